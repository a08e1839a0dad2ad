//! The fixed text of the documents, one translation file per language.
//!
//! `templates/i18n/<lang>.yaml` holds every word a template prints that does
//! not come from a record: headings, labels, sentences, the names of record
//! values (`contact_type.visit`) and how dates are written. Templates ask for
//! text with `tr("key", name=value, ...)`; `{name}` in the translation is
//! replaced by the value. A key missing in the case's language is an error
//! for that document, never English text slipped into a Spanish letter.
//! English is the reference: every language must have exactly its keys.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::load::yaml;

/// One entry of a translation file: a sentence, or a list (month names).
#[derive(Debug, Clone)]
pub enum Entry {
    Text(String),
    List(Vec<String>),
}

/// One language's translations, by dotted key (`consent.heading`).
#[derive(Debug, Default)]
pub struct Catalog {
    pub entries: BTreeMap<String, Entry>,
}

/// The ending of a text's key that gives its form for more than one
/// reader (see `Catalog::text_for`).
pub const PLURAL: &str = "@plural";

/// Every language the template set has a translation file for.
#[derive(Debug, Default)]
pub struct Translations {
    pub languages: BTreeMap<String, Catalog>,
}

/// The language every other translation is compared with.
pub const REFERENCE: &str = "en";

impl Translations {
    /// Reads the translation files `i18n/<lang>.yaml` among the template
    /// files `files` (by path in the template folder, with their bytes).
    pub fn from_files<'a>(
        files: impl Iterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Translations, String> {
        let mut languages = BTreeMap::new();
        for (name, bytes) in files {
            let Some(lang) = name
                .strip_prefix("i18n/")
                .and_then(|n| n.strip_suffix(".yaml"))
            else {
                continue;
            };
            let file = format!("templates/{name}");
            let text = std::str::from_utf8(bytes).map_err(|_| format!("{file} is not UTF-8"))?;
            let doc = yaml::parse(text).map_err(|problems| {
                let first = &problems[0];
                format!(
                    "{file}:{}:{}: {}",
                    first.pos.line, first.pos.column, first.message
                )
            })?;
            let mut catalog = Catalog::default();
            flatten("", &doc.value, &mut catalog.entries)
                .map_err(|key| format!("{file}: `{key}` must be text or a list of text"))?;
            languages.insert(lang.to_string(), catalog);
        }
        let translations = Translations { languages };
        if let Some(problem) = translations.problems().into_iter().next() {
            return Err(problem);
        }
        Ok(translations)
    }

    /// The codes of the languages there are translations for.
    pub fn codes(&self) -> Vec<&str> {
        self.languages.keys().map(String::as_str).collect()
    }

    pub fn get(&self, lang: &str) -> Option<&Catalog> {
        self.languages.get(lang)
    }

    /// Keys one language has and the reference lacks, or the other way round.
    pub fn problems(&self) -> Vec<String> {
        let Some(reference) = self.languages.get(REFERENCE) else {
            return vec![format!(
                "templates/i18n/{REFERENCE}.yaml is missing: it is the reference translation"
            )];
        };
        let mut problems = Vec::new();
        for (lang, catalog) in &self.languages {
            for key in reference.entries.keys() {
                if !catalog.entries.contains_key(key) {
                    problems.push(format!(
                        "templates/i18n/{lang}.yaml has no translation for `{key}`"
                    ));
                }
            }
            for key in catalog.entries.keys() {
                // A text's form for more than one reader goes with its key.
                let base = key.strip_suffix(PLURAL).unwrap_or(key);
                if !reference.entries.contains_key(base) {
                    problems.push(format!(
                        "templates/i18n/{lang}.yaml has `{key}`, which {REFERENCE}.yaml does not have"
                    ));
                }
            }
        }
        problems
    }
}

fn flatten(
    prefix: &str,
    value: &serde_json::Value,
    out: &mut BTreeMap<String, Entry>,
) -> Result<(), String> {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out)?;
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), Entry::Text(s.clone()));
        }
        Value::Array(items) => {
            let list = items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| prefix.to_string())?;
            out.insert(prefix.to_string(), Entry::List(list));
        }
        _ => return Err(prefix.to_string()),
    }
    Ok(())
}

impl Catalog {
    /// The text for `key`, with `{name}` placeholders filled from `args`.
    /// The text of `key` for a document addressed to `readers` people:
    /// its form for more than one reader (`key@plural`, where a language
    /// addresses one reader and several differently: Spanish usted and
    /// ustedes) when there are several and the language has one.
    pub fn text_for(&self, key: &str, readers: usize, args: &[(&str, String)]) -> Option<String> {
        let plural = (readers > 1)
            .then(|| self.text(&format!("{key}{PLURAL}"), args))
            .flatten();
        plural.or_else(|| self.text(key, args))
    }

    pub fn text(&self, key: &str, args: &[(&str, String)]) -> Option<String> {
        let Some(Entry::Text(template)) = self.entries.get(key) else {
            return None;
        };
        Some(fill(template, args))
    }

    /// One of a state's words (`words.<profile>.<name>`): a profile such
    /// as `VT-part-c` falls back to `VT` for the words it does not change.
    pub fn word(&self, profile: &str, name: &str) -> Option<String> {
        let mut profile = profile;
        loop {
            if let Some(text) = self.text(&format!("words.{profile}.{name}"), &[]) {
                return Some(text);
            }
            profile = &profile[..profile.rfind('-')?];
        }
    }

    fn list(&self, key: &str) -> Option<&[String]> {
        match self.entries.get(key) {
            Some(Entry::List(l)) => Some(l),
            _ => None,
        }
    }

    /// A date the way this language writes it, e.g. March 2, 2025 or
    /// 2 de marzo de 2025.
    pub fn date(&self, date: NaiveDate) -> Option<String> {
        let month = self.list("date.months")?.get(date.month0() as usize)?;
        self.text(
            "date.format",
            &[
                ("day", date.day().to_string()),
                ("month", month.clone()),
                ("year", date.year().to_string()),
            ],
        )
    }

    /// A time of day, given on the 24-hour clock as the records give it,
    /// the way this language writes it: 4:00 PM in US English, 16:00 in
    /// Spanish (`date.time`, with `{hour}` on the 24-hour clock, `{hour12}`
    /// on the 12-hour one and `{period}` from `date.periods`). None when
    /// the translations give no `date.time`.
    pub fn time(&self, hour: u32, minute: u32) -> Option<String> {
        let period = (self.list("date.periods"))
            .and_then(|p| p.get(usize::from(hour >= 12)))
            .cloned()
            .unwrap_or_default();
        let hour12 = match hour % 12 {
            0 => 12,
            h => h,
        };
        self.text(
            "date.time",
            &[
                ("hour", hour.to_string()),
                ("hour12", hour12.to_string()),
                ("minute", format!("{minute:02}")),
                ("period", period),
            ],
        )
    }

    /// A month as a heading, e.g. March 2025 or Marzo de 2025.
    pub fn month(&self, date: NaiveDate) -> Option<String> {
        let month = self.list("date.months")?.get(date.month0() as usize)?;
        let text = self.text(
            "date.month_heading",
            &[("month", month.clone()), ("year", date.year().to_string())],
        )?;
        Some(crate::model::text::upper_first(&text))
    }
}

/// Replaces each `{name}` with its argument; other braces stay as they are.
fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => match args.iter().find(|(name, _)| *name == &after[..close]) {
                Some((_, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            },
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::templates::TemplateSet;

    fn builtin() -> Translations {
        TemplateSet::load(None).unwrap().translations().unwrap()
    }

    #[test]
    fn every_language_has_every_key() {
        let t = builtin();
        assert!(t.codes().contains(&"en") && t.codes().contains(&"es"));
        assert_eq!(t.problems(), Vec::<String>::new());
    }

    #[test]
    fn a_missing_key_is_named() {
        let mut t = builtin();
        t.languages
            .get_mut("es")
            .unwrap()
            .entries
            .remove("consent.statements.heading");
        assert_eq!(
            t.problems(),
            ["templates/i18n/es.yaml has no translation for `consent.statements.heading`"]
        );
    }

    #[test]
    fn every_key_a_template_asks_for_exists() {
        let set = TemplateSet::load(None).unwrap();
        let t = builtin();
        let en = t.get("en").unwrap();
        let mut asked = 0;
        for (name, bytes) in set.files() {
            if !name.ends_with(".j2") {
                continue;
            }
            let text = std::str::from_utf8(bytes).unwrap();
            for piece in text.split("tr(\"").skip(1) {
                let key = &piece[..piece.find('"').unwrap()];
                if key.ends_with('.') {
                    // A key completed from a record value: checked below.
                    continue;
                }
                asked += 1;
                assert!(en.entries.contains_key(key), "{name} asks for `{key}`");
            }
        }
        assert!(asked > 100, "only {asked} keys found in the templates");
    }

    /// Record values printed through translations (`tr("contact_type." ~ n.type)`):
    /// every value the schema allows has a translation.
    #[test]
    fn every_record_value_has_a_name() {
        let t = builtin();
        let en = t.get("en").unwrap();
        let groups: &[(&str, &[&str])] = &[
            (
                "role",
                &["parent", "guardian", "coordinator", "provider", "other"],
            ),
            ("method", &["paper", "electronic"]),
            (
                "contact_type",
                &["visit", "phone", "email", "text", "meeting", "other"],
            ),
            (
                "attempt_method",
                &["phone", "letter", "email", "text", "visit"],
            ),
            (
                "service_method",
                &[
                    "home-visit",
                    "telehealth",
                    "group",
                    "community-visit",
                    "office",
                ],
            ),
            ("intensity", &["individual", "group"]),
            ("per", &["week", "month"]),
            ("review", &["initial", "six-month", "annual", "other"]),
            ("insurance", &["consented", "declined", "not-applicable"]),
            (
                "transition.title",
                &[
                    "part-c",
                    "postpartum",
                    "beyond-age-six",
                    "child-care-program",
                ],
            ),
            ("consent.title", &["initiation", "change", "continuation"]),
            (
                "document",
                &[
                    "consent",
                    "services-grid",
                    "outcomes",
                    "contacts",
                    "transition",
                    "exit-letter",
                ],
            ),
        ];
        for (group, values) in groups {
            for value in *values {
                let key = format!("{group}.{value}");
                assert!(en.entries.contains_key(&key), "no translation for `{key}`");
            }
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let t = builtin();
        let d = NaiveDate::from_ymd_opt(2025, 3, 2).unwrap();
        assert_eq!(t.get("en").unwrap().date(d).unwrap(), "March 2, 2025");
        assert_eq!(t.get("es").unwrap().date(d).unwrap(), "2 de marzo de 2025");
        assert_eq!(t.get("es").unwrap().month(d).unwrap(), "Marzo de 2025");
    }

    #[test]
    fn times_follow_the_language() {
        let t = builtin();
        let (en, es) = (t.get("en").unwrap(), t.get("es").unwrap());
        let times = |c: &Catalog| {
            [(0, 5), (9, 30), (11, 59), (12, 0), (16, 0), (23, 45)]
                .map(|(h, m)| c.time(h, m).unwrap())
        };
        assert_eq!(
            times(en),
            [
                "12:05 AM", "9:30 AM", "11:59 AM", "12:00 PM", "4:00 PM", "11:45 PM"
            ]
        );
        assert_eq!(
            times(es),
            ["0:05", "9:30", "11:59", "12:00", "16:00", "23:45"]
        );
    }

    #[test]
    fn placeholders_are_filled_and_other_braces_kept() {
        assert_eq!(
            fill("{a} and {b} {c", &[("a", "1".into()), ("b", "{a}".into())]),
            "1 and {a} {c"
        );
    }
}
