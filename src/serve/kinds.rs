//! The records a form makes, each a new file: a contact note
//! (`contacts-DATE.yaml`), a plan review (`review-DATE.yaml`) and the
//! exit (`exit.yaml`). What each form holds comes from the record kind's
//! schema; what it starts with comes from the case.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::forms::{self, Field};
use crate::model::Kind;
use crate::pipeline::Valid;
use crate::validate::schemas::bundled;

/// A record a form writes as a new file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewRecord {
    Contact,
    Review,
    Exit,
}

impl NewRecord {
    /// The form at `/case/ID/<segment>`.
    pub fn from_segment(segment: &str) -> Option<NewRecord> {
        match segment {
            "contact" => Some(NewRecord::Contact),
            "review" => Some(NewRecord::Review),
            "exit" => Some(NewRecord::Exit),
            _ => None,
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            NewRecord::Contact => "contact",
            NewRecord::Review => "review",
            NewRecord::Exit => "exit",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            NewRecord::Contact => "New contact note",
            NewRecord::Review => "New plan review",
            NewRecord::Exit => "Record the exit",
        }
    }

    pub fn save(self) -> &'static str {
        match self {
            NewRecord::Contact => "Save the note",
            NewRecord::Review => "Save the review",
            NewRecord::Exit => "Save the exit",
        }
    }

    fn kind(self) -> Kind {
        match self {
            NewRecord::Contact => Kind::Contacts,
            NewRecord::Review => Kind::Review,
            NewRecord::Exit => Kind::Exit,
        }
    }

    /// Where `validate` names the form's elements: `contacts.notes[0].date`.
    pub fn under(self) -> &'static str {
        match self {
            NewRecord::Contact => "contacts.notes[0]",
            NewRecord::Review => "review",
            NewRecord::Exit => "exit",
        }
    }

    /// The form's fields, from the schema, with the program's staff and
    /// the plan's services to choose from where the schema leaves them
    /// open.
    pub fn fields(self, valid: &Valid) -> Vec<Field> {
        let schema = bundled(self.kind());
        let mut whole = forms::resolved(&schema, &schema);
        if let Some(Value::Object(properties)) = whole.get_mut("properties") {
            // Keeping the schema's order of the rest.
            properties.shift_remove("kind");
            properties.shift_remove("version");
        }
        let form = match self {
            NewRecord::Contact => whole
                .pointer("/properties/notes/items")
                .cloned()
                .unwrap_or_default(),
            _ => whole,
        };
        let staff: Vec<(String, String)> = valid
            .program()
            .map(|p| {
                p.staff
                    .iter()
                    .map(|s| (s.id.clone(), format!("{} ({})", s.name, s.id)))
                    .collect()
            })
            .unwrap_or_default();
        let mut services = Vec::new();
        if let Some(plan) = valid.cases().first().and_then(|c| c.record.plan.as_ref()) {
            services.extend(
                plan.services
                    .iter()
                    .map(|s| (s.id.clone(), format!("{} ({})", s.service.first(), s.id))),
            );
        }
        let known = [("signed.by", staff), ("service", services)];
        let translations = valid.templates.translations.clone();
        let words = move |key: &str, value: &str| {
            // The translations' words for a value, where they are plain
            // words (a role's may be the state's title, filled in later).
            let groups = match key {
                "type" => vec!["contact_type"],
                "method" => vec!["method", "attempt_method"],
                other => vec![other],
            };
            let en = translations.get("en")?;
            groups
                .iter()
                .filter_map(|g| en.text(&format!("{g}.{value}"), &[]))
                .find(|w| !w.contains('{'))
        };
        forms::fields(&form, &known, &words)
    }

    /// What a new form holds: today's dates, the case's coordinator
    /// signing, a review's progress entry for each of the plan's outcomes
    /// and the parents' and coordinator's signatures.
    pub fn start(self, valid: &Valid, today: &str) -> Value {
        let record = valid.cases().first().map(|c| &c.record);
        let coordinator = record
            .map(|r| r.case.coordinator.clone())
            .unwrap_or_default();
        let coordinator_name = valid
            .program()
            .and_then(|p| p.staff.iter().find(|s| s.id == coordinator))
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let mut signatures: Vec<Value> = record
            .map(|r| {
                r.case
                    .family
                    .iter()
                    .take(1)
                    .map(|m| json!({"role": "parent", "name": m.name}))
                    .collect()
            })
            .unwrap_or_default();
        signatures.push(json!({"role": "coordinator", "name": coordinator_name}));
        match self {
            NewRecord::Contact => {
                json!({"date": today, "signed": {"by": coordinator, "on": today}})
            }
            NewRecord::Review => {
                let progress: Vec<Value> = record
                    .and_then(|r| r.plan.as_ref())
                    .map(|p| {
                        p.outcomes
                            .iter()
                            .map(|o| json!({"outcome": o.number}))
                            .collect()
                    })
                    .unwrap_or_default();
                json!({"date": today, "type": "six-month-review", "progress": progress,
                       "signatures": signatures})
            }
            NewRecord::Exit => json!({
                "exit_date": today,
                "letter_date": today,
                "signatures": [{"role": "coordinator", "name": coordinator_name}],
            }),
        }
    }

    /// The record file's whole value, and its text.
    pub fn record(self, value: Value) -> (Value, String) {
        let (kind, file) = match self {
            NewRecord::Contact => ("contacts", "contacts.v1.yaml"),
            NewRecord::Review => ("review", "review.v1.yaml"),
            NewRecord::Exit => ("exit", "exit.v1.yaml"),
        };
        let mut record = json!({"kind": kind, "version": 1});
        match self {
            NewRecord::Contact => record["notes"] = json!([value]),
            _ => {
                if let (Value::Object(all), Value::Object(given)) = (&mut record, value) {
                    all.extend(given);
                }
            }
        }
        let mut text = format!("# yaml-language-server: $schema=../../schemas/{file}\n");
        crate::records::yaml::write(&record, 0, &mut text);
        (record, text)
    }

    /// The new file's path in the case folder: named by the record's date
    /// (a free name), or `exit.yaml`.
    pub fn path(self, dir: &Path, value: &Value, today: &str) -> PathBuf {
        let date = value
            .get("date")
            .and_then(Value::as_str)
            .filter(|d| d.parse::<chrono::NaiveDate>().is_ok())
            .unwrap_or(today);
        match self {
            NewRecord::Contact => crate::load::dated_path(dir, "contacts", date),
            NewRecord::Review => crate::load::dated_path(dir, "review", date),
            NewRecord::Exit => dir.join("exit.yaml"),
        }
    }
}
