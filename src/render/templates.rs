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

use chrono::NaiveDate;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};
use walkdir::WalkDir;

use super::escape::{typst_string, typst_text};

/// Largest file read from a template folder (a font or logo fits easily).
const MAX_TEMPLATE_FILE: u64 = 20 * 1024 * 1024;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../templates/", $name)) as &[u8])),*]
    };
}

/// The built-in template folder.
const EMBEDDED: &[(&str, &[u8])] = embedded![
    "casepaper.typ",
    "partials.typ.j2",
    "consent.typ.j2",
    "services-grid.typ.j2",
    "outcomes.typ.j2",
    "contacts.typ.j2",
    "transition.typ.j2",
    "exit-letter.typ.j2",
];

/// All template files, by their path inside the template folder (`a/b.typ`).
pub struct TemplateSet {
    files: BTreeMap<String, Vec<u8>>,
}

impl TemplateSet {
    /// The built-in templates, overridden by the files of `folder` if given.
    pub fn load(folder: Option<&Path>) -> Result<TemplateSet, String> {
        let mut files: BTreeMap<String, Vec<u8>> = EMBEDDED
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        if let Some(folder) = folder {
            read_folder(folder, &mut files)?;
        }
        Ok(TemplateSet { files })
    }

    /// A file's bytes, by its path inside the template folder.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files
            .get(path.trim_start_matches('/'))
            .map(Vec::as_slice)
    }

    /// The minijinja environment over these templates.
    pub fn environment(&self) -> Result<Environment<'static>, String> {
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
        env.add_filter("date", date_filter);
        env.add_filter("month", month_filter);
        env.add_filter("typst_str", |v: &str| {
            Value::from_safe_string(typst_string(v))
        });
        for (name, bytes) in &self.files {
            if !name.ends_with(".j2") {
                continue;
            }
            let text = String::from_utf8(bytes.clone())
                .map_err(|_| format!("template {name} is not UTF-8 text"))?;
            env.add_template_owned(name.clone(), text)
                .map_err(|e| format!("template {name} has an error: {e:#}"))?;
        }
        Ok(env)
    }
}

/// Reads an override folder, refusing anything that resolves outside it.
fn read_folder(folder: &Path, files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), String> {
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
        files.insert(name, bytes);
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

/// `{{ d | date }}`: 2025-03-02 reads March 2, 2025.
fn date_filter(value: &str) -> Result<String, Error> {
    Ok(parse_date(value)?.format("%B %-d, %Y").to_string())
}

/// `{{ d | month }}`: 2025-03-02 (or 2025-03) reads March 2025.
fn month_filter(value: &str) -> Result<String, Error> {
    let full = if value.len() == 7 {
        format!("{value}-01")
    } else {
        value.to_string()
    };
    Ok(parse_date(&full)?.format("%B %Y").to_string())
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
