//! The meetings after the first and a parent's decline, as forms: a
//! review, an annual meeting or a change meeting starts from the plan as
//! it stands and is written as the meeting's changes, new rows, progress
//! and the consent to the change (`records::meeting`); a decline of one
//! service is the parent's consent entry and the service's end that day.
//! Each is saved through the pipeline as a change of plan.yaml that keeps
//! every other line.

use serde_json::{Value, json};

use super::app::App;
use super::forms;
use super::http::{Reply, Request};
use super::kinds::{NewRecord, family_words, fields_for, whole_form};
use super::record::FormPage;
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::pipeline::{Records, Target, save};
use crate::records::meeting::{MeetingSent, latest, services_now, with_meeting};
use crate::records::{patch::patch, read};

impl App {
    /// The form of a plan meeting after the first (GET), or the meeting
    /// sent (POST), written into plan.yaml; then the prior written notice
    /// the change owes, pre-filled.
    pub(super) fn plan_meeting(&self, req: &Request, folder: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let path = dir.join("plan.yaml");
        let Ok(now) = std::fs::read_to_string(&path) else {
            return Ok(self.message(
                404,
                "No plan yet",
                "This case has no plan.yaml yet: record the initial plan first.",
            ));
        };
        let Some(plan) = read::value(&now) else {
            return Ok(self.message(
                422,
                "The plan does not read",
                &format!("plan.yaml does not read as a record; change it as text at /case/{folder}/edit/plan.yaml."),
            ));
        };
        let valid = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate();
        let child =
            valid.first_case().map(|c| c.record.case.client) == Some(crate::model::Client::Child);
        let mut fields = fields_for(&meeting_form(child), &valid, true);
        let mut form = FormPage::new(
            folder,
            format!("/case/{folder}/meeting"),
            "Record a plan meeting (review, annual, change)",
            "Save the meeting",
        )
        .changing(&now);
        let today = self.as_of(req).to_string();
        if req.is_get() {
            let started = NewRecord::Plan.start(&valid, &today, &|_| None);
            let consent = NewRecord::ServicesConsent.start(&valid, &today, &|_| None);
            let outcomes = plan.get("outcomes").and_then(Value::as_array);
            let progress: Vec<Value> = (outcomes.into_iter().flatten())
                .filter_map(|o| o.get("number"))
                .map(|n| json!({"outcome": n}))
                .collect();
            let mut meeting = json!({
                "date": today,
                "type": "six-month-review",
                "participants": started.pointer("/meetings/0/participants"),
                "signatures": started.pointer("/meetings/0/signatures"),
            });
            for key in ["family_assessment", "present_levels"] {
                if let Some(now) = latest(&plan, key) {
                    meeting[key] = now;
                }
            }
            let start = json!({
                "meeting": meeting,
                "services": services_now(&plan),
                "progress": progress,
                "consent": {
                    "native_language": consent.get("native_language"),
                    "signatures": consent.get("signatures"),
                },
            });
            forms::fill(&mut fields, &start);
            return self.record_page(&form, &fields, &[], 200);
        }
        let (value, asked) = forms::take(&mut fields, &req.form);
        if asked {
            return self.record_page(&form, &fields, &[], 200);
        }
        let list = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let meeting = MeetingSent {
            meeting: value.get("meeting").cloned().unwrap_or_else(|| json!({})),
            services: list("services"),
            progress: list("progress")
                .into_iter()
                .filter_map(|p| Some((p.get("outcome")?.as_i64()?, p.get("note")?.clone())))
                .collect(),
            new_outcomes: list("new_outcomes"),
            consent: value.get("consent").cloned().unwrap_or_else(|| json!({})),
        };
        let base = req.get("base").unwrap_or_default().to_string();
        form.base = Some(base.clone());
        let refused = |why: String| {
            let why = format!("Nothing was saved: {why}.");
            self.record_page(&form, &fields, &[why], 422)
        };
        let (changed_plan, changed) = match with_meeting(&plan, &meeting) {
            Ok(done) => done,
            Err(why) => return refused(why),
        };
        let text = match patch(&now, &changed_plan) {
            Ok(text) => text,
            Err(why) => return refused(format!("{why} (plan.yaml)")),
        };
        let saved = save(
            &dir,
            Target::Replace {
                path: &path,
                base: &base,
            },
            &text,
        )?;
        let date = meeting
            .meeting
            .get("date")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match saved {
            // The change is an action the program proposes: its notice.
            Ok(_) if !changed.is_empty() => Ok(Reply::see_other(&format!(
                "/case/{folder}/notice?action=change&date={date}&saved=plan.yaml"
            ))),
            other => self.answer_save(other, &form, &mut fields, "plan", "plan.yaml"),
        }
    }

    /// A parent's decline of one service (GET: the form, pre-filled for
    /// the service asked for and today), or the decline sent (POST): a
    /// consent of that day declining it, and the service ended that day.
    pub(super) fn decline(&self, req: &Request, folder: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let path = dir.join("plan.yaml");
        let now = match std::fs::read_to_string(&path) {
            Ok(now) => now,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(self.not_found()),
            Err(e) => return Err(Error::read(path.display(), e)),
        };
        let Some(plan) = read::value(&now) else {
            return Ok(self.not_found());
        };
        let valid = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate();
        let services: Vec<(String, String)> = services_now(&plan)
            .iter()
            .filter_map(|s| {
                let id = s.get("id")?.as_str()?.to_string();
                let name = match s.get("service") {
                    Some(Value::String(name)) => name.clone(),
                    Some(Value::Object(names)) => {
                        (names.get("en").or_else(|| names.values().next()))
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string()
                    }
                    _ => String::new(),
                };
                Some((id.clone(), format!("{name} ({id})")))
            })
            .collect();
        let mut fields = fields_for(&decline_form(), &valid, true);
        forms::choose(&mut fields, "service", &services);
        let mut form = FormPage::new(
            folder,
            format!("/case/{folder}/decline"),
            "Record a parent's decline of a service",
            "Save the decline",
        )
        .changing(&now);
        let today = self.as_of(req).to_string();
        let record = valid.first_case().map(|c| &c.record);
        let parent = record
            .and_then(|r| r.case.family.first())
            .map(|m| m.name.clone());
        if req.is_get() {
            let service = req.get("service").unwrap_or_default();
            let consent = NewRecord::ServicesConsent.start(&valid, &today, &|_| None);
            let start = json!({
                "service": service,
                "date": today,
                "how": "paper",
                "description": decline_words(&valid, service, &today),
                "explained": true,
                "native_language": consent.get("native_language"),
            });
            forms::fill(&mut fields, &start);
            return self.record_page(&form, &fields, &[], 200);
        }
        let sent = forms::value_of(&fields, &req.form);
        forms::fill(&mut fields, &sent);
        let base = req.get("base").unwrap_or_default().to_string();
        form.base = Some(base.clone());
        let text = |key: &str| {
            sent.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (service, date, how) = (text("service"), text("date"), text("how"));
        let coordinator = NewRecord::Exit.start(&valid, &today, &|_| None);
        let coordinator = coordinator.pointer("/signatures/0/name").cloned();
        let mut consent = json!({
            "date": date,
            "action": "decline",
            "description": sent.get("description"),
            "services": [{"service": service, "decision": "declined"}],
            "explained": sent.get("explained").cloned().unwrap_or(json!(false)),
            "native_language": sent.get("native_language"),
            "signatures": [
                {"role": "parent", "name": parent, "signed_on": date, "method": how},
                {"role": "coordinator", "name": coordinator, "signed_on": date, "method": how},
            ],
        });
        if let Value::Object(c) = &mut consent {
            c.retain(|_, v| !v.is_null());
        }
        let mut changed = plan.clone();
        if let Some(consents) = changed.get_mut("consents").and_then(Value::as_array_mut) {
            consents.push(consent);
        }
        let row = (changed.get_mut("services").and_then(Value::as_array_mut)).and_then(|rows| {
            rows.iter_mut()
                .find(|r| r.get("id").and_then(Value::as_str) == Some(&service))
        });
        let Some(Value::Object(row)) = row else {
            let why = "Nothing was saved: choose the service the parent declines.".to_string();
            return self.record_page(&form, &fields, &[why], 422);
        };
        if let Some(changes) = (row.entry("changes").or_insert_with(|| json!([]))).as_array_mut() {
            changes.push(json!({"on": date, "end_date": date}));
        }
        let text = match patch(&now, &changed) {
            Ok(text) => text,
            Err(why) => {
                let why = format!("Nothing was saved: {why} (plan.yaml).");
                return self.record_page(&form, &fields, &[why], 422);
            }
        };
        let saved = save(
            &dir,
            Target::Replace {
                path: &path,
                base: &base,
            },
            &text,
        )?;
        self.answer_save(saved, &form, &mut fields, "plan", "plan.yaml")
    }
}

/// What the parent declines, in the words of each language the case's
/// papers are made in: the parent, the service as the plan names it and
/// the day.
fn decline_words(valid: &crate::pipeline::Valid, service: &str, today: &str) -> Option<Value> {
    let record = &valid.first_case()?.record;
    let row = (record.plan.as_ref()?.services.iter()).find(|s| s.id == service)?;
    let day: chrono::NaiveDate = today.parse().ok()?;
    let parent = record.case.family.first()?.name.clone();
    let case = record.case.language.as_str();
    family_words(valid, "consent.decline_description", &|lang, catalog| {
        Some(vec![
            ("parent", parent.clone()),
            ("service", row.service.for_document(lang, case).to_string()),
            ("date", catalog.date(day)?),
        ])
    })
}

/// The plan schema's element at `pointer` (`/meetings/items`).
fn part(plan: &Value, pointer: &str) -> Value {
    plan.pointer(pointer).cloned().unwrap_or_default()
}

/// `schema` (an object's) without the elements `keys`.
fn but(mut schema: Value, keys: &[&str]) -> Value {
    if let Some(Value::Object(p)) = schema.get_mut("properties") {
        for key in keys {
            p.shift_remove(*key);
        }
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        required.retain(|r| !keys.iter().any(|k| r == k));
    }
    schema
}

/// The meeting form: the meeting, every service as it stands, progress on
/// each outcome, new outcomes and the consent to the change; for a child's
/// plan, no health of the mother's.
fn meeting_form(child: bool) -> Value {
    let plan = whole_form(Kind::Plan);
    let mut meeting = but(
        part(&plan, "/properties/meetings/items"),
        if child { &["health"] } else { &[] },
    );
    // A meeting after the first.
    if let Some(Value::Array(types)) = meeting.pointer_mut("/properties/type/enum") {
        types.retain(|t| t != "initial");
    }
    let mut services = part(&plan, "/properties/services");
    services["items"] = but(
        part(&plan, "/properties/services/items"),
        &["added_on", "changes"],
    );
    services["description"] = json!(
        "Every service as it stands. Change a column to change it from the meeting's date (kept as \
         the meeting's change; what was first agreed stays on the earlier papers); to end a \
         service, set its end date to the meeting's date; add a service with a new id."
    );
    let note = part(
        &plan,
        "/properties/outcomes/items/properties/progress/items/properties/note",
    );
    let outcome = but(
        part(&plan, "/properties/outcomes/items"),
        &["number", "added_on", "progress"],
    );
    let consent = but(
        part(&plan, "/properties/consents/items"),
        &["date", "action", "services", "evaluation"],
    );
    json!({
        "type": "object",
        "required": ["meeting", "services"],
        "properties": {
            "meeting": meeting,
            "services": services,
            "progress": {
                "type": "array",
                "description": "Progress on each outcome, as the meeting reviewed it; an outcome without a note gets none.",
                "items": {"type": "object", "required": ["outcome"], "properties": {
                    "outcome": {"type": "integer", "description": "The outcome's number."},
                    "note": note,
                }},
            },
            "new_outcomes": {
                "type": "array",
                "description": "An outcome the meeting adds, numbered after the plan's last.",
                "items": outcome,
            },
            "consent": {
                "type": "object",
                "description": "The parent's consent to the services the meeting changed, added or ended (the form prints each before and after; the parent's decision boxes are left to tick). Written only when a service changed.",
                "properties": consent.get("properties").cloned().unwrap_or_default(),
            },
        },
    })
}

/// The decline form: which service, the day, how the parent gave it, and
/// the consent's own words.
fn decline_form() -> Value {
    let plan = whole_form(Kind::Plan);
    let consent = part(&plan, "/properties/consents/items/properties");
    json!({
        "type": "object",
        "required": ["service", "date", "how", "description", "explained", "native_language"],
        "properties": {
            "service": {"type": "string", "description": "The service the parent declines (or stops consenting to). It ends on the day of the decline; the others go on."},
            "date": {"type": "string", "format": "date", "description": "The day the parent declined; the service ends that day (303.420(d))."},
            "how": {"type": "string", "enum": ["paper", "electronic"], "description": "How the parent gave the decision: signed on paper, or electronically."},
            "description": consent.get("description"),
            "explained": consent.get("explained"),
            "native_language": consent.get("native_language"),
        },
    })
}
