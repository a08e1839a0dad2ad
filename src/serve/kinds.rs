//! The records a form makes: a new file (a contact note
//! `contacts-DATE-STAFF.yaml`, a plan review `review-DATE-STAFF.yaml`, the exit
//! `exit.yaml`, the initial plan `plan.yaml`), or a new entry of a list in
//! a case's file (a prior written notice or meeting notice in
//! `notices.yaml`, made the first time; a consent before the plan in
//! `case.yaml`; a consent to services in `plan.yaml`; who saw the records
//! and a parent's request to see them in `access.yaml`). What each form
//! holds comes from the record kind's schema; what it starts with comes
//! from the case.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::forms::{self, Field};
use crate::load::dated_path;
use crate::model::transition::{ConferenceKind, Notification, PartCTransition};
use crate::model::{ExitReason, Kind};
use crate::pipeline::Valid;
use crate::render::i18n::Catalog;
use crate::validate::schemas::bundled;

/// A record a form writes: a new file, or a new entry of a list in a
/// case's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewRecord {
    Contact,
    Review,
    Exit,
    /// A prior written notice, added to notices.yaml.
    Notice,
    /// The notice of a plan meeting, added to notices.yaml.
    MeetingNotice,
    /// A consent given before there is a plan (to the evaluation, to
    /// release records), added to case.yaml.
    Consent,
    /// The plan of the initial meeting: plan.yaml.
    Plan,
    /// A consent to the plan's services, added to plan.yaml.
    ServicesConsent,
    /// A party outside the program that saw the records (303.406), added
    /// to access.yaml.
    Access,
    /// A parent's request to see the record (303.405), added to access.yaml.
    AccessRequest,
    /// The transition plan: transition.yaml.
    Transition,
}

/// Where a form's record is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A file of its own.
    File,
    /// The last entry of the list `list` of the case's `file` (made, with
    /// the list, when the case has no such file yet).
    Entry {
        kind: Kind,
        file: &'static str,
        list: &'static str,
    },
}

impl NewRecord {
    pub const ALL: [NewRecord; 11] = [
        NewRecord::Contact,
        NewRecord::Review,
        NewRecord::Exit,
        NewRecord::Notice,
        NewRecord::MeetingNotice,
        NewRecord::Consent,
        NewRecord::Plan,
        NewRecord::ServicesConsent,
        NewRecord::Access,
        NewRecord::AccessRequest,
        NewRecord::Transition,
    ];

    /// The form at `/case/ID/<segment>`.
    pub fn from_segment(segment: &str) -> Option<NewRecord> {
        NewRecord::ALL.into_iter().find(|k| k.segment() == segment)
    }

    pub fn segment(self) -> &'static str {
        match self {
            NewRecord::Contact => "contact",
            NewRecord::Review => "review",
            NewRecord::Exit => "exit",
            NewRecord::Notice => "notice",
            NewRecord::MeetingNotice => "meeting-notice",
            NewRecord::Consent => "consent",
            NewRecord::Plan => "plan",
            NewRecord::ServicesConsent => "services-consent",
            NewRecord::Access => "access",
            NewRecord::AccessRequest => "access-request",
            NewRecord::Transition => "transition",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            NewRecord::Contact => "New contact note",
            NewRecord::Review => "New plan review",
            NewRecord::Exit => "Record the exit",
            NewRecord::Notice => "Record a prior written notice",
            NewRecord::MeetingNotice => "Record a meeting notice",
            NewRecord::Consent => "Record a consent",
            NewRecord::Plan => "Record the initial plan",
            NewRecord::ServicesConsent => "Record a consent to services",
            NewRecord::Access => "Record who saw the records",
            NewRecord::AccessRequest => "Record a request to see the record",
            NewRecord::Transition => "Write the transition plan",
        }
    }

    pub fn save(self) -> &'static str {
        match self {
            NewRecord::Contact => "Save the note",
            NewRecord::Review => "Save the review",
            NewRecord::Exit => "Save the exit",
            NewRecord::Notice | NewRecord::MeetingNotice => "Save the notice",
            NewRecord::Consent | NewRecord::ServicesConsent => "Save the consent",
            NewRecord::Plan => "Save the plan",
            NewRecord::Access | NewRecord::AccessRequest => "Save it in the record of access",
            NewRecord::Transition => "Save the transition plan",
        }
    }

    fn kind(self) -> Kind {
        match self {
            NewRecord::Contact => Kind::Contacts,
            NewRecord::Review => Kind::Review,
            NewRecord::Exit => Kind::Exit,
            NewRecord::Notice | NewRecord::MeetingNotice => Kind::Notices,
            NewRecord::Consent => Kind::Case,
            NewRecord::Plan | NewRecord::ServicesConsent => Kind::Plan,
            NewRecord::Access | NewRecord::AccessRequest => Kind::Access,
            NewRecord::Transition => Kind::Transition,
        }
    }

    pub fn place(self) -> Place {
        let notices = |list| Place::Entry {
            kind: Kind::Notices,
            file: "notices.yaml",
            list,
        };
        let access = |list| Place::Entry {
            kind: Kind::Access,
            file: "access.yaml",
            list,
        };
        match self {
            NewRecord::Contact
            | NewRecord::Review
            | NewRecord::Exit
            | NewRecord::Plan
            | NewRecord::Transition => Place::File,
            NewRecord::ServicesConsent => Place::Entry {
                kind: Kind::Plan,
                file: "plan.yaml",
                list: "consents",
            },
            NewRecord::Notice => notices("prior_written"),
            NewRecord::MeetingNotice => notices("meetings"),
            NewRecord::Consent => Place::Entry {
                kind: Kind::Case,
                file: "case.yaml",
                list: "consents",
            },
            NewRecord::Access => access("access"),
            NewRecord::AccessRequest => access("requests"),
        }
    }

    /// Where `validate` names the form's elements: `contacts.notes[0].date`,
    /// or for an entry added to a list of `count` entries,
    /// `notices.prior_written[2].date`.
    pub fn under(self, count: usize) -> String {
        match self.place() {
            Place::Entry { kind, list, .. } => format!("{}.{list}[{count}]", kind.name()),
            Place::File => match self {
                NewRecord::Contact => "contacts.notes[0]".into(),
                other => other.kind().name().into(),
            },
        }
    }

    /// The form's fields, from the schema, with the program's staff and
    /// the plan's services to choose from where the schema leaves them
    /// open.
    pub fn fields(self, valid: &Valid) -> Vec<Field> {
        let whole = whole_form(self.kind());
        let item = |list: &str| {
            whole
                .pointer(&format!("/properties/{list}/items"))
                .cloned()
                .unwrap_or_default()
        };
        let mut form = match (self, self.place()) {
            (NewRecord::Contact, _) => item("notes"),
            (_, Place::Entry { list, .. }) => item(list),
            (_, Place::File) => whole,
        };
        // What a form of this kind leaves to later events or other forms.
        let later: &[&str] = match self {
            // A consent to services is the plan's.
            NewRecord::Consent => &["/action", "/services"],
            NewRecord::ServicesConsent => &["/evaluation"],
            // The plan as its first meeting writes it, with the consent to
            // start its services: revisions, progress and changes come with
            // the reviews; billing and notes are written as text.
            NewRecord::Plan => &[
                "/meetings/items/family_assessment",
                "/meetings/items/present_levels",
                "/meetings/items/health",
                "/outcomes/items/added_on",
                "/outcomes/items/progress",
                "/services/items/added_on",
                "/services/items/changes",
                "/consents/items/evaluation",
                "/billing",
                "/notes",
                "/family_delay",
            ],
            _ => &[],
        };
        for path in later {
            without(&mut form, path);
        }
        if self == NewRecord::Plan {
            let client = valid.first_case().map(|c| c.record.case.client);
            if client == Some(crate::model::Client::Child) {
                without(&mut form, "/health");
                without(&mut form, "/child_care");
            }
        }
        fields_for(&form, valid, false)
    }
    /// The form's fields for a record opened or sent for `reason` (an
    /// exit's): only the elements that reason has.
    pub fn for_reason(self, fields: &mut Vec<Field>, reason: Option<&str>) {
        let reason = reason.and_then(|r| ExitReason::ALL.iter().find(|x| x.name() == r));
        if let (NewRecord::Exit, Some(reason)) = (self, reason) {
            fields.retain(|f| reason.uses(f.name.split('.').next().unwrap_or_default()));
        }
    }

    /// What the form as filled in (`value`) gives to choose from: the
    /// initial plan's consent picks among the services written above it
    /// (each named as the plan names it, in English where it can, with its
    /// id), once there are any.
    pub fn choose_from_form(self, fields: &mut [Field], value: &Value) {
        if self != NewRecord::Plan {
            return;
        }
        let services = value.get("services").and_then(Value::as_array);
        let choices: Vec<(String, String)> = (services.into_iter().flatten())
            .filter_map(|service| {
                let id = service.get("id")?.as_str().filter(|id| !id.is_empty())?;
                // In the desk's language (English) where the plan has it.
                let name = match service.get("service") {
                    Some(Value::String(name)) => Some(name.as_str()),
                    Some(Value::Object(names)) => (names.get("en").and_then(Value::as_str))
                        .or_else(|| names.values().find_map(Value::as_str)),
                    _ => None,
                };
                Some((
                    id.to_string(),
                    match name {
                        Some(name) => format!("{name} ({id})"),
                        None => id.to_string(),
                    },
                ))
            })
            .collect();
        forms::choose(fields, "consents[].services[].service", &choices);
    }

    /// What the form's record owes, said before its fields: for the
    /// transition plan, the branch of 303.209 the child is on.
    pub fn intro(self, valid: &Valid) -> Vec<String> {
        match self {
            NewRecord::Transition => super::branch::lines(valid),
            _ => Vec::new(),
        }
    }

    /// What a new form holds: today's dates, the case's coordinator
    /// signing, a review's progress entry for each of the plan's outcomes
    /// and the parents' and coordinator's signatures.
    pub fn start(
        self,
        valid: &Valid,
        today: &str,
        asked: &dyn Fn(&str) -> Option<String>,
    ) -> Value {
        let record = valid.first_case().map(|c| &c.record);
        // The language a consent is given in: the first parent's.
        let language = record
            .and_then(|r| r.case.family.first())
            .map(|m| m.language.clone())
            .unwrap_or_default();
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
            NewRecord::Exit => {
                let mut exit = json!({
                    "exit_date": today,
                    "letter_date": today,
                    "signatures": [{"role": "coordinator", "name": coordinator_name}],
                });
                // Opened for a reason: what that reason's exit holds.
                let reason = asked("reason")
                    .and_then(|r| ExitReason::ALL.iter().copied().find(|x| x.name() == r));
                let Some(reason) = reason else { return exit };
                exit["reason"] = json!(reason.name());
                match (reason, record) {
                    // The attempts since the family was last reached.
                    (ExitReason::CouldNotReach, Some(r)) => {
                        let mut notes: Vec<_> = r.contacts.iter().collect();
                        notes.sort_by_key(|n| n.date);
                        let since = notes.iter().rposition(|n| n.reached()).map_or(0, |i| i + 1);
                        let attempts: Vec<Value> = (notes[since..].iter())
                            .filter_map(|n| n.exit_attempt())
                            .map(|(date, method)| json!({"date": date.to_string(), "method": method.name()}))
                            .collect();
                        if !attempts.is_empty() {
                            exit["attempts"] = json!(attempts);
                        }
                    }
                    // Services end the day before the third birthday (or
                    // the school year, under EIS Over 3); the program the
                    // transition plan names receives the child.
                    (ExitReason::TurnedThree, Some(r)) => {
                        if let Some(t) = valid.program().and_then(|p| PartCTransition::of(r, p)) {
                            exit["exit_date"] = json!(t.services_end.to_string());
                        }
                        let receiving = r.transition.as_ref().and_then(|t| t.receiving.first());
                        if let Some(next) = receiving {
                            exit["next_program"] =
                                json!({"name": next.service, "contact": next.contact});
                        }
                    }
                    _ => {}
                }
                exit
            }
            // Opened from what the case owes: the action and its date.
            NewRecord::Notice => json!({
                "action": asked("action").unwrap_or_default(),
                "date": asked("date").unwrap_or_default(),
                "given_on": today,
            }),
            NewRecord::MeetingNotice => json!({
                "date": asked("date").unwrap_or_default(),
                "given_on": today,
            }),
            NewRecord::Plan => {
                let participants: Vec<String> = record
                    .map(|r| {
                        r.case
                            .family
                            .iter()
                            .map(|m| {
                                let lang = r.case.language.as_str();
                                format!("{} ({})", m.name, m.relationship.for_document(lang, lang))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let mut participants: Vec<Value> =
                    participants.into_iter().map(Value::from).collect();
                // The coordinator's role in the case's language, in the
                // state's word for it.
                let role = record
                    .and_then(|r| {
                        let catalog = valid.templates.translations.get(r.case.language.as_str())?;
                        catalog.word(&r.words_profile(valid.program()?), "coordinator")
                    })
                    .unwrap_or_else(|| "service coordinator".into());
                participants.push(json!(format!("{coordinator_name} ({role})")));
                let parents: Vec<Value> = record
                    .map(|r| {
                        r.case
                            .family
                            .iter()
                            .map(|m| json!({"role": "parent", "name": m.name}))
                            .collect()
                    })
                    .unwrap_or_default();
                let mut signers = parents;
                signers.push(json!({"role": "coordinator", "name": coordinator_name}));
                json!({
                    "meetings": [{"date": today, "type": "initial", "participants": participants,
                                  "signatures": signers}],
                    "outcomes": [{"number": 1}],
                    "services": [{
                        "id": "service-coordination",
                        "provider": {"name": coordinator_name, "staff": coordinator},
                        "service_coordination": true,
                        "natural_environment": true,
                        "start_date": today,
                        "outcomes": [1],
                    }],
                    // The consent to start the services, given at the
                    // meeting: each service's decision is the parent's.
                    "consents": [{
                        "date": today,
                        "action": "initiation",
                        "services": [{"service": "service-coordination"}],
                        "signatures": signers,
                    }],
                })
            }
            NewRecord::ServicesConsent => {
                let services: Vec<Value> = record
                    .and_then(|r| r.plan.as_ref())
                    .map(|p| {
                        p.services
                            .iter()
                            .map(|s| json!({"service": s.id}))
                            .collect()
                    })
                    .unwrap_or_default();
                json!({
                    "date": today,
                    "action": "initiation",
                    "services": services,
                    "native_language": language,
                    "signatures": signatures,
                })
            }
            NewRecord::Transition => {
                let program = valid.program();
                let branch = record
                    .zip(program)
                    .and_then(|(r, p)| PartCTransition::of(r, p));
                let Some(t) = branch else {
                    return json!({"written_on": today, "signatures": signatures});
                };
                let child = record
                    .and_then(|r| r.case.child.as_ref())
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                let words = |key: &str| {
                    family_words(valid, key, &|_, _| Some(vec![("child", child.clone())]))
                };
                let step = |key: &str, by: chrono::NaiveDate| json!({"step": words(key), "who": coordinator_name, "by": by.to_string()});
                let today_date = today.parse().unwrap_or(t.found);
                let mut steps = Vec::new();
                match t.notification {
                    Notification::Owed { by } => {
                        steps.push(step("transition.desk.notify", by.unwrap_or(today_date)))
                    }
                    Notification::Referral => steps.push(step("transition.desk.refer", today_date)),
                    Notification::OptedOut { .. } | Notification::NotOwed => {}
                }
                match t.conference {
                    ConferenceKind::SchoolDistrict => {
                        steps.push(step("transition.desk.conference", t.dates.conference_by))
                    }
                    ConferenceKind::OtherServices => steps.push(step(
                        "transition.desk.conference_other",
                        t.dates.conference_by,
                    )),
                    ConferenceKind::NotRequired => {}
                }
                let mut signers: Vec<Value> = (record.into_iter())
                    .flat_map(|r| &r.case.family)
                    .map(|m| json!({"role": "parent", "name": m.name}))
                    .collect();
                signers.push(json!({"role": "coordinator", "name": coordinator_name}));
                json!({
                    "type": "part-c",
                    "written_on": today,
                    "target_date": t.dates.third_birthday.to_string(),
                    "steps": steps,
                    "signatures": signers,
                })
            }
            NewRecord::Access => json!({"date": today}),
            // Asked today by the first parent, and not met yet.
            NewRecord::AccessRequest => json!({
                "by": record.and_then(|r| r.case.family.first()).map(|m| m.name.clone()),
                "requested_on": today,
            }),
            NewRecord::Consent => {
                // What the parent decides is left to the parent: the
                // coordinator records it once given.
                json!({
                    "date": today,
                    "native_language": language,
                    "signatures": signatures,
                })
            }
        }
    }

    /// The record file's whole value, and its text: the new file, or for
    /// an entry, the file made to hold it when the case has none yet.
    pub fn record(self, value: Value) -> (Value, String) {
        let kind = self.kind();
        let mut record = json!({"kind": kind.name(), "version": 1});
        match (self, self.place()) {
            (NewRecord::Contact, _) => record["notes"] = json!([value]),
            (_, Place::Entry { list, .. }) => record[list] = json!([value]),
            (_, Place::File) => {
                if let (Value::Object(all), Value::Object(given)) = (&mut record, value) {
                    all.extend(given);
                }
            }
        }
        let mut text = format!(
            "# yaml-language-server: $schema=../../schemas/{}.v1.yaml\n",
            kind.name()
        );
        crate::records::yaml::write_plain(&record, 0, &mut text);
        (record, text)
    }

    /// The new file's path in the case folder: a note or review named by
    /// the record's date and who writes it (a free name), or the file's
    /// one name (`exit.yaml`).
    pub fn path(self, dir: &Path, value: &Value, today: &str) -> PathBuf {
        let date = value
            .get("date")
            .and_then(Value::as_str)
            .filter(|d| d.parse::<chrono::NaiveDate>().is_ok())
            .unwrap_or(today);
        let by = || crate::records::new::writer(dir, Some(value));
        match (self, self.place()) {
            (NewRecord::Contact, _) => dated_path(dir, "contacts", date, by().as_deref()),
            (NewRecord::Review, _) => dated_path(dir, "review", date, by().as_deref()),
            (_, Place::Entry { file, .. }) => dir.join(file),
            (NewRecord::Plan, _) => dir.join("plan.yaml"),
            (NewRecord::Transition, _) => dir.join("transition.yaml"),
            (_, Place::File) => dir.join("exit.yaml"),
        }
    }
}

/// A record kind's schema as a form takes it: every element but `kind`
/// and `version`, in the schema's order.
pub fn whole_form(kind: Kind) -> Value {
    let schema = bundled(kind);
    let mut whole = forms::resolved(&schema, &schema);
    if let Some(Value::Object(properties)) = whole.get_mut("properties") {
        // Keeping the schema's order of the rest.
        properties.shift_remove("kind");
        properties.shift_remove("version");
    }
    whole
}

/// The fields of `form` (a schema, or part of one), with the program's
/// staff and the plan's services to choose from where the schema leaves
/// them open, each value in the translations' words, and a field for each
/// language the case's papers are made in. For a whole file's form
/// (`whole_file`) rather than a new record's or an entry's.
pub fn fields_for(form: &Value, valid: &Valid, whole_file: bool) -> Vec<Field> {
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
    if let Some(plan) = valid.first_case().and_then(|c| c.record.plan.as_ref()) {
        services.extend(
            plan.services
                .iter()
                .map(|s| (s.id.clone(), format!("{} ({})", s.service.first(), s.id))),
        );
    }
    // By the element's scope in a new record's form, and in a whole
    // file's (`notes[].signed.by` in a contacts file's). A consent's
    // `services[].service` is a plan's service; a whole plan's is its
    // name.
    let mut known = vec![
        ("signed.by", staff.clone()),
        ("notes[].signed.by", staff.clone()),
        ("service", services.clone()),
        ("consents[].services[].service", services.clone()),
        ("services[].provider.staff", staff.clone()),
        ("services[].changes[].provider.staff", staff),
    ];
    if !whole_file {
        known.push(("services[].service", services));
    }
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
    forms::fields(form, &known, &words, &paper_languages(valid))
}

/// What fills a translation's placeholders, by name.
pub type Args = Vec<(&'static str, String)>;

/// The translations' text `key` in the words of each language the case's
/// papers are made in, filled from `args` (given each language and its
/// catalog): one text where there is one language, else a text for each.
/// None where a language lacks it.
pub fn family_words(
    valid: &Valid,
    key: &str,
    args: &dyn Fn(&str, &Catalog) -> Option<Args>,
) -> Option<Value> {
    let record = &valid.first_case()?.record;
    let languages = record.case.document_languages();
    let mut words = serde_json::Map::new();
    for lang in &languages {
        let catalog = valid.templates.translations.get(lang)?;
        words.insert(
            lang.to_string(),
            json!(catalog.text(key, &args(lang, catalog)?)?),
        );
    }
    match languages.as_slice() {
        [one] => words.remove(*one),
        _ => Some(Value::Object(words)),
    }
}

/// `schema` without the element at `path`, a path of property names
/// (`/services/items/changes`: `items` steps into a list's entries).
fn without(schema: &mut Value, path: &str) {
    let Some((parent, key)) = path.rsplit_once('/') else {
        return;
    };
    let mut node = schema;
    for step in parent.split('/').filter(|s| !s.is_empty()) {
        let next = if step == "items" {
            node.get_mut("items")
        } else {
            node.get_mut("properties").and_then(|p| p.get_mut(step))
        };
        match next {
            Some(n) => node = n,
            None => return,
        }
    }
    if let Some(Value::Object(properties)) = node.get_mut("properties") {
        properties.shift_remove(key);
    }
}

/// The languages the case's papers are made in, each with its name: a
/// text the family reads has a field for each.
fn paper_languages(valid: &Valid) -> Vec<(String, String)> {
    let codes: Vec<String> = match valid.first_case() {
        Some(case) => (case.record.case.document_languages().into_iter())
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    };
    codes
        .into_iter()
        .map(|code| {
            let name = crate::validate::language_name(&code).to_string();
            (code, name)
        })
        .collect()
}
