//! The template folder: minijinja templates that write Typst, and the Typst
//! files they use.
//!
//! The built-in templates are embedded in the binary, so casepaper runs from
//! any folder. A `templates/` folder beside the records folder overrides them
//! file by file. Every file is read into memory once, before anything is
//! compiled: the Typst world then serves only these bytes, so no template can
//! reach a file outside the template folder (a symlink pointing out is
//! refused when the folder is read).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use std::sync::Arc;

use chrono::NaiveDate;
use minijinja::value::Kwargs;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior, Value};
use sha2::{Digest, Sha256};
use typst::foundations::Bytes;
use walkdir::WalkDir;

use super::escape::{typst_string, typst_text};
use super::i18n::{Catalog, Translations};

/// Largest file read from a template folder (a font fits easily).
const MAX_TEMPLATE_FILE: u64 = 20 * 1024 * 1024;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../templates/", $name)) as &[u8])),*]
    };
}

/// The built-in template folder.
const EMBEDDED: &[(&str, &[u8])] = embedded![
    "casepaper.typ",
    "blocks.typ",
    "partials.typ.j2",
    "plan.typ.j2",
    "notice.typ.j2",
    "meeting-notice.typ.j2",
    "safeguards.typ.j2",
    "consent.typ.j2",
    "services-grid.typ.j2",
    "outcomes.typ.j2",
    "contacts.typ.j2",
    "transition.typ.j2",
    "exit-letter.typ.j2",
    "public-benefits-notice.typ.j2",
    "record-of-access.typ.j2",
    "due.typ.j2",
    "i18n/en.yaml",
    "i18n/es.yaml",
    "fonts/NotoSans-Regular.ttf",
    "fonts/NotoSans-Bold.ttf",
    "fonts/NotoSans-Italic.ttf",
    "fonts/NotoSans-BoldItalic.ttf",
];

/// The built-in template folder's files, by path (for `init --templates`).
pub fn builtin_files() -> &'static [(&'static str, &'static [u8])] {
    EMBEDDED
}

/// All template files, by their path inside the template folder (`a/b.typ`).
/// `Bytes` shares one buffer, so the Typst world hands files out uncopied.
#[derive(Clone)]
pub struct TemplateSet {
    files: BTreeMap<String, Bytes>,
}

impl TemplateSet {
    /// The built-in templates, overridden by the files of `folder` if given.
    pub fn load(folder: Option<&Path>) -> Result<TemplateSet, crate::Error> {
        let mut files: BTreeMap<String, Bytes> = EMBEDDED
            .iter()
            .map(|&(name, bytes)| (name.to_string(), Bytes::new(bytes)))
            .collect();
        if let Some(folder) = folder {
            read_folder(folder, &mut files).map_err(crate::Error::Templates)?;
        }
        Ok(TemplateSet { files })
    }

    /// A file's bytes, by its path inside the template folder.
    pub fn get(&self, path: &str) -> Option<&Bytes> {
        self.files.get(path.trim_start_matches('/'))
    }

    /// Adds a file a record supplies (the program's logo) under `name`.
    pub fn insert(&mut self, name: String, bytes: Vec<u8>) {
        self.files.insert(name, Bytes::new(bytes));
    }

    /// The SHA-256 digest of the whole set (names and bytes), computed once
    /// per run.
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        for (name, bytes) in self.files() {
            h.update((name.len() as u64).to_le_bytes());
            h.update(name.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes.as_slice());
        }
        crate::provenance::hex(&h.finalize())
    }

    /// The translations among the files (`i18n/<lang>.yaml`).
    pub fn translations(&self) -> Result<Translations, crate::Error> {
        Translations::from_files(self.files().map(|(name, bytes)| (name, bytes.as_slice())))
            .map_err(crate::Error::Templates)
    }

    /// Every file, by path, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &Bytes)> {
        self.files
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes))
    }

    /// The minijinja environment over these templates, with `tr` and the
    /// date filters speaking the language in the context's `lang`.
    pub fn environment(
        &self,
        translations: Arc<Translations>,
    ) -> Result<Environment<'static>, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".typ.j2") {
                AutoEscape::Custom("typst".into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            let escape = matches!(state.auto_escape(), AutoEscape::Custom(_));
            if value.is_undefined() || value.is_none() {
                Ok(())
            } else if value.is_safe() || !escape {
                write!(out, "{value}").map_err(Error::from)
            } else {
                out.write_str(&typst_text(&value.to_string()))
                    .map_err(Error::from)
            }
        });
        add_translations(&mut env, translations);
        add_typst_filters(&mut env);
        for (name, bytes) in &self.files {
            if !name.ends_with(".j2") {
                continue;
            }
            let text = std::str::from_utf8(bytes)
                .map_err(|_| format!("template {name} is not UTF-8 text"))?
                .to_string();
            env.add_template_owned(name.clone(), text)
                .map_err(|e| format!("template {name} has an error: {e:#}"))?;
        }
        Ok(env)
    }
}

/// The words each state's profile gives (`words.<profile>.<name>` in the
/// translation files), filled into any text that names them: what the
/// state calls its early intervention system, the plan, and the coordinator.
pub const STATE_WORDS: [&str; 4] = ["system", "plan_name", "coordinator", "Coordinator"];

/// `tr` and the `date` and `month` filters, speaking the language in the
/// context's `lang`, with the state's words of the context's `words`.
fn add_translations(env: &mut Environment<'static>, translations: Arc<Translations>) {
    let t = translations.clone();
    env.add_function("tr", move |state: &State, key: &str, args: Kwargs| {
        let catalog = catalog(&t, state)?;
        let mut values = Vec::new();
        for name in args.args() {
            let value: Value = args.get(name)?;
            let text = if value.is_none() || value.is_undefined() {
                String::new()
            } else {
                value.to_string()
            };
            values.push((name, text));
        }
        // The state's own words, wherever a text names them.
        if let Some(profile) = state
            .lookup("words")
            .and_then(|v| v.as_str().map(str::to_string))
        {
            for word in STATE_WORDS {
                if !values.iter().any(|(n, _)| *n == word)
                    && let Some(text) = catalog.word(&profile, word)
                {
                    values.push((word, text));
                }
            }
        }
        // Whom the document addresses: the family members who read it.
        let readers = state
            .lookup("ctx")
            .and_then(|ctx| ctx.get_attr("readers").ok())
            .and_then(|r| r.len())
            .unwrap_or(1);
        catalog.text_for(key, readers, &values).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "templates/i18n/{}.yaml has no translation for `{key}`",
                    language(state)
                ),
            )
        })
    });
    let t = translations.clone();
    env.add_filter("date", move |state: &State, value: &str| {
        let date = parse_date(value)?;
        catalog(&t, state)?
            .date(date)
            .ok_or_else(|| missing_date_format(state))
    });
    let t = translations.clone();
    env.add_filter("time", move |state: &State, value: &str| {
        let parsed = value
            .split_once(':')
            .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
            .filter(|(h, m)| *h < 24 && *m < 60);
        let Some((hour, minute)) = parsed else {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("`{value}` is not a time of day (HH:MM)"),
            ));
        };
        // A program's own translations written before `date.time` print
        // the time as the record gives it.
        Ok(catalog(&t, state)?
            .time(hour, minute)
            .unwrap_or_else(|| value.to_string()))
    });
    let t = translations;
    env.add_filter("month", move |state: &State, value: &str| {
        let full = if value.len() == 7 {
            format!("{value}-01")
        } else {
            value.to_string()
        };
        catalog(&t, state)?
            .month(parse_date(&full)?)
            .ok_or_else(|| missing_date_format(state))
    });
}

/// Most characters of record text a block is kept whole with: about a
/// third of a page. A block holding more may break across pages, so that
/// text longer than a page is printed whole instead of cut at its end.
pub const KEPT_WHOLE_CHARS: usize = 1500;

/// Filters that write values as Typst code: a string literal, a number;
/// and `breakable(values...)`, Typst's `true` when the values hold more
/// text than a block is kept whole with ([`KEPT_WHOLE_CHARS`]), else
/// `false`.
fn add_typst_filters(env: &mut Environment<'static>) {
    env.add_function("breakable", |values: minijinja::value::Rest<Value>| {
        let chars: usize = values.iter().map(text_chars).sum();
        Value::from_safe_string((chars > KEPT_WHOLE_CHARS).to_string())
    });
    env.add_filter("typst_str", |v: &str| {
        Value::from_safe_string(typst_string(&super::escape::unmarked(v)))
    });
    // A string for the PDF's own fields (author, an image's description),
    // which PDF/A holds to 32,767 bytes: a longer value is cut there, with
    // an ellipsis; the page prints it whole.
    env.add_filter("typst_meta", |v: &str| {
        let text = super::escape::unmarked(v);
        Value::from_safe_string(typst_string(&shortened(&text, MAX_META_CHARS)))
    });
    // A number as a Typst number literal, for code such as a timeline
    // position; anything but a finite number is an error.
    env.add_filter("typst_num", |v: f64| {
        if v.is_finite() {
            Ok(Value::from_safe_string(format!("{v}")))
        } else {
            Err(Error::new(
                ErrorKind::InvalidOperation,
                "not a finite number",
            ))
        }
    });
}

/// Most characters of a PDF field made from record text: at four bytes a
/// character, within PDF/A's 32,767 bytes a string.
const MAX_META_CHARS: usize = 4000;

/// `text`, cut after `most` characters (never inside one of its
/// clusters), with an ellipsis when cut.
fn shortened(text: &str, most: usize) -> std::borrow::Cow<'_, str> {
    use unicode_segmentation::UnicodeSegmentation;
    if text.chars().count() <= most {
        return text.into();
    }
    let mut out = String::new();
    let mut chars = 0;
    for g in text.graphemes(true) {
        chars += g.chars().count();
        if chars >= most {
            break;
        }
        out.push_str(g);
    }
    out.push('…');
    out.into()
}

#[cfg(test)]
#[test]
fn a_long_pdf_field_is_cut_between_clusters_with_an_ellipsis() {
    assert_eq!(shortened("abc", 3), "abc");
    assert_eq!(shortened("abcd", 3), "ab…");
    assert_eq!(
        shortened("ae\u{301}x", 3),
        "a…",
        "the accent stays with its letter"
    );
    assert_eq!(
        shortened(&"x".repeat(40_000), MAX_META_CHARS)
            .chars()
            .count(),
        MAX_META_CHARS
    );
}

/// The characters of text a value holds: a string's, or those of the
/// strings in a list or map (its keys aside).
fn text_chars(value: &Value) -> usize {
    if let Some(text) = value.as_str() {
        return text.chars().count();
    }
    match value.try_iter() {
        Ok(items) if value.kind() == minijinja::value::ValueKind::Map => items
            .filter_map(|key| value.get_item(&key).ok())
            .map(|v| text_chars(&v))
            .sum(),
        Ok(items) => items.map(|v| text_chars(&v)).sum(),
        Err(_) => 0,
    }
}

/// Reads an override folder, refusing anything that resolves outside it.
fn read_folder(folder: &Path, files: &mut BTreeMap<String, Bytes>) -> Result<(), String> {
    let root = fs::canonicalize(folder).map_err(|e| {
        format!(
            "the template folder {} cannot be read: {e}",
            folder.display()
        )
    })?;
    for entry in WalkDir::new(&root).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("the template folder cannot be read: {e}"))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let real = fs::canonicalize(entry.path())
            .map_err(|e| format!("{} cannot be read: {e}", entry.path().display()))?;
        if !real.starts_with(&root) || !real.is_file() {
            // A link out of the folder: templates may only use their own files.
            continue;
        }
        let meta = fs::metadata(&real).map_err(|e| format!("{}: {e}", real.display()))?;
        if meta.len() > MAX_TEMPLATE_FILE {
            return Err(format!(
                "{} is larger than the {} MB a template file may be",
                entry.path().display(),
                MAX_TEMPLATE_FILE / (1024 * 1024)
            ));
        }
        let Ok(rel) = entry.path().strip_prefix(&root) else {
            continue;
        };
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = fs::read(&real).map_err(|e| format!("{}: {e}", real.display()))?;
        files.insert(name, Bytes::new(bytes));
    }
    Ok(())
}

fn parse_date(value: &str) -> Result<NaiveDate, Error> {
    value.parse().map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("`{value}` is not a date"),
        )
    })
}

/// The language the document is written in: the context's `lang`.
fn language(state: &State) -> String {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn catalog<'t>(translations: &'t Translations, state: &State) -> Result<&'t Catalog, Error> {
    let lang = language(state);
    translations.get(&lang).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("there is no translation file templates/i18n/{lang}.yaml"),
        )
    })
}

fn missing_date_format(state: &State) -> Error {
    Error::new(
        ErrorKind::InvalidOperation,
        format!(
            "templates/i18n/{}.yaml needs `date.months` (twelve names), `date.format` and `date.month_heading`",
            language(state)
        ),
    )
}

/// Renders a template to Typst source.
pub fn render(
    env: &Environment<'static>,
    template: &str,
    context: Value,
) -> Result<String, String> {
    let tmpl = env
        .get_template(template)
        .map_err(|e| format!("template {template}: {e:#}"))?;
    tmpl.render(context)
        .map_err(|e| format!("template {template}: {e:#}"))
}
