//! New record files a coordinator fills in (`casepaper new`).
//!
//! A skeleton comes from the record kind's schema (`schemas::skeleton`),
//! so it always holds exactly the elements the schema requires, each empty
//! with a comment saying what goes there. `validate` then names every
//! element still to fill, by line. Nothing existing is ever overwritten;
//! a consent to services is spliced into plan.yaml, every other line kept.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::read;
use super::write::{self, NotWritten, create_new};
use crate::error::Error;
use crate::load::{PROGRAM_FILE, dated_path};
pub use crate::model::case_id_problem;
use crate::model::{FileSettings, Kind};
use crate::output::NewFiles;
use crate::validate::schemas::{Values, bundled, skeleton};

/// A review file made: where, from which plan, with how many of its
/// outcomes (none read leaves one progress entry to fill).
pub struct NewReview {
    pub path: PathBuf,
    pub plan: PathBuf,
    pub outcomes: usize,
}

/// Whether `id` can be a case id (see [`case_id_problem`]).
pub fn valid_case_id(id: &str) -> bool {
    case_id_problem(id).is_none()
}

pub fn case(root: &Path, id: &str) -> Result<PathBuf, Error> {
    if let Some(problem) = case_id_problem(id) {
        return Err(Error::Usage(format!(
            "`{id}` cannot be a case id: {}",
            problem.words()
        )));
    }
    let dir = root.join(id);
    if dir.exists() {
        return Err(Error::Exists {
            what: dir.display().to_string(),
            hint: "",
        });
    }
    fs::create_dir(&dir).map_err(|e| Error::made(dir.display(), e))?;
    let text = skeleton(Kind::Case, &["part_c", "child"], &[("case_id", id)], &[]);
    let path = dir.join("case.yaml");
    create_new(&path, text.as_bytes(), new_files(root))?;
    Ok(path)
}

/// Who writes a new note or review in the case folder `dir`, for its
/// file's name: the staff member who signs it (`signed.by` of `entry`),
/// else the case's coordinator.
pub fn writer(dir: &Path, entry: Option<&serde_json::Value>) -> Option<String> {
    let signer = entry
        .and_then(|e| e.pointer("/signed/by"))
        .and_then(serde_json::Value::as_str);
    if let Some(by) = signer.filter(|by| !by.trim().is_empty()) {
        return Some(by.to_string());
    }
    let text = fs::read_to_string(dir.join("case.yaml")).ok()?;
    let case = super::read::value(&text)?;
    Some(case.get("coordinator")?.as_str()?.to_string())
}

/// The folder of an existing case, or an error saying how to start one.
fn case_dir(root: &Path, case: &str) -> Result<PathBuf, Error> {
    let dir = root.join(case);
    if !valid_case_id(case) || !dir.join("case.yaml").is_file() {
        return Err(Error::Records(format!(
            "there is no case `{case}` in {}: a case is a folder holding case.yaml \
             (`casepaper new case {case}` starts one)",
            root.display()
        )));
    }
    Ok(dir)
}

/// `value` when it is one of the choices the schema of `kind` gives at
/// `pointer`, else an error listing them.
fn one_of(value: &str, what: &str, kind: Kind, pointer: &str) -> Result<(), Error> {
    let choices: Vec<String> = bundled(kind)
        .pointer(pointer)
        .and_then(|v| v.as_array())
        .map(|choices| {
            choices
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if choices.iter().any(|c| c == value) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "`{value}` is not {what}; the choices are {}",
        choices.join(", ")
    )))
}

pub fn contact(
    root: &Path,
    case: &str,
    date: NaiveDate,
    kind: Option<&str>,
) -> Result<PathBuf, Error> {
    let dir = case_dir(root, case)?;
    if let Some(kind) = kind {
        one_of(
            kind,
            "a kind of contact",
            Kind::Contacts,
            "/properties/notes/items/properties/type/enum",
        )?;
    }
    let date = date.to_string();
    let mut values = vec![("date", date.as_str())];
    if let Some(kind) = kind {
        values.push(("type", kind));
    }
    let text = skeleton(Kind::Contacts, &[], &values, &[]);
    let path = dated_path(&dir, "contacts", &date, writer(&dir, None).as_deref());
    create_new(&path, text.as_bytes(), new_files(root))?;
    Ok(path)
}

/// A review file with one progress entry for each outcome the case's plan
/// has (numbered, the outcome's words in a comment), so the coordinator
/// writes the progress on each.
pub fn review(root: &Path, case: &str, date: NaiveDate, meeting: &str) -> Result<NewReview, Error> {
    let dir = case_dir(root, case)?;
    one_of(
        meeting,
        "a kind of review meeting",
        Kind::Review,
        "/properties/type/enum",
    )?;
    let plan_path = dir.join("plan.yaml");
    let plan_text = fs::read_to_string(&plan_path).map_err(|_| {
        Error::Records(format!(
            "case `{case}` has no plan.yaml to review; a review records progress on the plan's outcomes"
        ))
    })?;
    let outcomes = plan_outcomes(&plan_text);
    let read = outcomes.len();
    let progress: Vec<Values> = outcomes
        .into_iter()
        .map(|(number, words)| vec![("outcome", format!("{number}  # {words}"))])
        .collect();
    // With no outcomes read, the skeleton's one empty entry.
    let entries = match progress.is_empty() {
        true => Vec::new(),
        false => vec![("progress", progress)],
    };
    let date = date.to_string();
    let values = [("date", date.as_str()), ("type", meeting)];
    let text = skeleton(Kind::Review, &[], &values, &entries);
    let path = dated_path(&dir, "review", &date, writer(&dir, None).as_deref());
    create_new(&path, text.as_bytes(), new_files(root))?;
    Ok(NewReview {
        path,
        plan: plan_path,
        outcomes: read,
    })
}

/// The plan's outcomes as (number, the outcome's first 60 characters),
/// read leniently: a plan that does not parse gives none.
fn plan_outcomes(text: &str) -> Vec<(u64, String)> {
    read::entries(text, "/outcomes")
        .iter()
        .filter_map(|o| {
            let number = o.get("number")?.as_u64()?;
            let words: String = o
                .get("outcome")?
                .as_str()?
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let short: String = words.chars().take(60).collect();
            let short = if short.len() < words.len() {
                format!("{short}...")
            } else {
                short
            };
            Some((number, short))
        })
        .collect()
}

/// An exit record for the reason given, with what that reason needs (the
/// attempts to reach the family, the reason in words, the new address and
/// program of a family that moved, the program a transfer goes to).
pub fn exit(root: &Path, case: &str, reason: &str) -> Result<PathBuf, Error> {
    let dir = case_dir(root, case)?;
    one_of(
        reason,
        "a reason for exit",
        Kind::Exit,
        "/properties/reason/enum",
    )?;
    let also: &[&str] = match reason {
        "could-not-reach" => &["attempts"],
        "other" => &["reason_detail"],
        "moved" => &["new_address"],
        "transferred" => &["next_program", "transfer"],
        _ => &[],
    };
    let values = [("reason", reason), ("role", "coordinator")];
    let text = skeleton(Kind::Exit, also, &values, &[]);
    let path = dir.join("exit.yaml");
    create_new(&path, text.as_bytes(), new_files(root))?;
    Ok(path)
}

/// What a plan skeleton fills in from the case and program files, read
/// leniently (a file that does not parse gives nothing).
struct PlanPeople {
    client: String,
    /// The coordinator's staff id and name.
    coordinator: String,
    coordinator_name: String,
    coordinator_discipline: String,
    /// The first family member, who signs the consent.
    parent: String,
}

/// One entry of a list in a skeleton: its values, the empty ones left out.
fn entry(values: &[(&'static str, &str)]) -> Values {
    values
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, v.to_string()))
        .collect()
}

impl PlanPeople {
    /// Who signs a plan or a consent to services: the parent (a child care
    /// program's director) and the coordinator, their signatures owed.
    fn signers(&self) -> Vec<Values> {
        let role = match self.client.as_str() {
            "child-care-program" => "director",
            _ => "parent",
        };
        vec![
            entry(&[("role", role), ("name", &self.parent)]),
            entry(&[("role", "coordinator"), ("name", &self.coordinator_name)]),
        ]
    }
}

/// The mode of a new record file, as the program file asks.
fn new_files(root: &Path) -> NewFiles {
    let program = fs::read_to_string(root.join(PROGRAM_FILE))
        .ok()
        .and_then(|t| read::value(&t))
        .unwrap_or_default();
    FileSettings::of_program(&program).new_files()
}

fn plan_people(root: &Path, dir: &Path) -> PlanPeople {
    let read = |path: PathBuf| {
        fs::read_to_string(path)
            .ok()
            .and_then(|t| read::value(&t))
            .unwrap_or_default()
    };
    let case = read(dir.join("case.yaml"));
    let program = read(root.join(PROGRAM_FILE));
    let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).unwrap_or("").to_string();
    let coordinator = text(case.get("coordinator"));
    let staff = program
        .get("staff")
        .and_then(|s| s.as_array())
        .cloned()
        .unwrap_or_default();
    let member = staff
        .iter()
        .find(|s| s.get("id").and_then(|i| i.as_str()) == Some(coordinator.as_str()));
    let of_member = |key: &str| member.map(|s| text(s.get(key))).unwrap_or_default();
    PlanPeople {
        client: text(case.get("client")),
        coordinator_name: of_member("name"),
        coordinator_discipline: of_member("discipline"),
        coordinator,
        parent: text(case.pointer("/family/0/name")),
    }
}

/// The plan of a case's initial meeting: the meeting, an outcome, the
/// service coordination row (the coordinator's own service, 303.34) and a
/// row for the next service, and the consent to start them that the
/// family and the coordinator still have to sign. What the client needs
/// (a child's present levels, a woman's health, a program's setting and
/// needs) is there too.
pub fn plan(root: &Path, case: &str, date: NaiveDate) -> Result<PathBuf, Error> {
    let dir = case_dir(root, case)?;
    let path = dir.join("plan.yaml");
    if path.exists() {
        return Err(Error::Exists {
            what: path.display().to_string(),
            hint: "; a later meeting goes in `meetings` (with its changes), or `casepaper new review`",
        });
    }
    let who = plan_people(root, &dir);
    let date = date.to_string();
    let also: &[&str] = match who.client.as_str() {
        "postpartum" => &["health"],
        "child-care-program" => &["child_care"],
        _ => &["present_levels"],
    };
    // Each service ends on a date (or lasts a `duration` instead).
    let with_end = |mut values: Values| {
        values.push(("end_date", String::new()));
        values
    };
    let coordination = entry(&[
        ("id", "service-coordination"),
        ("service", "Service coordination"),
        ("name", &who.coordinator_name),
        ("staff", &who.coordinator),
        ("discipline", &who.coordinator_discipline),
        ("times", "1"),
        ("per", "month"),
        ("service_coordination", "true"),
        ("start_date", &date),
        ("outcomes", "[1]"),
    ]);
    // Who signs the plan and the consent; owed until they do.
    let signers = who.signers();
    let entries = vec![
        (
            "meetings",
            vec![entry(&[("date", &date), ("type", "initial")])],
        ),
        ("outcomes", vec![entry(&[("number", "1")])]),
        (
            "services",
            vec![
                with_end(coordination),
                with_end(entry(&[("outcomes", "[1]")])),
            ],
        ),
        (
            "consents",
            vec![entry(&[("date", &date), ("action", "initiation")])],
        ),
        (
            "consents.services",
            // The parent's decision is written once given.
            vec![entry(&[("service", "service-coordination")])],
        ),
        ("meetings.signatures", signers.clone()),
        ("consents.signatures", signers),
    ];
    let text = skeleton(Kind::Plan, also, &[], &entries);
    create_new(&path, text.as_bytes(), new_files(root))?;
    Ok(path)
}

/// The lines of a top-level list (`name:` and its entries) in a skeleton.
fn top_level_block<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{name}:")));
    let head = lines.next().into_iter();
    head.chain(lines.take_while(|l| l.starts_with(' ') || l.is_empty()))
        .collect()
}

/// Adds a consent to services to the end of the plan's `consents`, as a
/// text splice that leaves every other line of plan.yaml as it is. The new
/// text is parsed and must hold one more consent, ending in this one, and
/// the file must not have changed meanwhile, before it replaces plan.yaml.
pub fn consent(root: &Path, case: &str, action: &str, date: NaiveDate) -> Result<PathBuf, Error> {
    let dir = case_dir(root, case)?;
    let actions: Vec<&str> = crate::model::ConsentAction::ALL
        .iter()
        .map(|a| a.name())
        .collect();
    if !actions.contains(&action) {
        return Err(Error::Usage(format!(
            "`{action}` is not an action a consent to services is for; the choices are {}",
            actions.join(", ")
        )));
    }
    let path = dir.join("plan.yaml");
    let text = fs::read_to_string(&path).map_err(|_| {
        Error::Records(format!(
            "case `{case}` has no plan.yaml: a consent to services goes on the plan \
             (`casepaper new plan {case}` starts one)"
        ))
    })?;
    let parsed = read::value;
    let consents_in = |v: &serde_json::Value| {
        v.get("consents")
            .and_then(|c| c.as_array())
            .map_or(0, Vec::len)
    };
    let Some(before) = parsed(&text) else {
        return Err(Error::Records(format!(
            "{} cannot be read as YAML; run `casepaper validate` and fix it first",
            path.display()
        )));
    };
    let services: Vec<String> = before
        .get("services")
        .and_then(|s| s.as_array())
        .into_iter()
        .flatten()
        .filter_map(|s| Some(s.get("id")?.as_str()?.to_string()))
        .collect();
    let who = plan_people(root, &dir);
    let date = date.to_string();
    let entries = vec![
        (
            "consents",
            vec![entry(&[("date", &date), ("action", action)])],
        ),
        (
            "consents.services",
            services
                .iter()
                .map(|id| entry(&[("service", id)]))
                .collect(),
        ),
        ("consents.signatures", who.signers()),
    ];
    let skeleton_text = skeleton(Kind::Plan, &[], &[], &entries);
    let block = top_level_block(&skeleton_text, "consents");
    let spliced = splice_list_entry(&text, "consents", &block[1..]);
    let after = parsed(&spliced);
    let added = after.as_ref().is_some_and(|a| {
        consents_in(a) == consents_in(&before) + 1
            && a.pointer(&format!("/consents/{}/date", consents_in(&before)))
                .and_then(|d| d.as_str())
                == Some(date.as_str())
    });
    if !added {
        return Err(Error::Records(format!(
            "the consent could not be added to {} safely (its `consents` list is not written in \
             the usual way); nothing was changed - add it by hand",
            path.display()
        )));
    }
    let _writing = write::lock();
    match write::replace(&path, &spliced, &write::digest(&text)) {
        Ok(()) => Ok(path),
        Err(NotWritten::Changed(_)) => Err(Error::Records(format!(
            "{} changed while the consent was being added; nothing was written - run the command again",
            path.display()
        ))),
        Err(NotWritten::Io(e)) => Err(Error::written(path.display(), e)),
        Err(e) => Err(Error::Records(format!(
            "the consent could not be added to {}: {e}; nothing was changed - add it by hand",
            path.display()
        ))),
    }
}

/// `text` with `entry` (lines starting `  - `) added at the end of its
/// top-level list `name`, or with the list added at the end of the file.
fn splice_list_entry(text: &str, name: &str, entry: &[&str]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let entry_text: String = entry.iter().map(|l| format!("{l}\n")).collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.starts_with(&format!("{name}:")))
    else {
        let mut out = text.to_string();
        if !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        }
        return out + &format!("{name}:\n") + &entry_text;
    };
    // The list runs to the next top-level key (comments and blank lines
    // just before it stay with that key).
    let mut end = start + 1;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if line.starts_with(' ') || line.starts_with('-') {
            end = i + 1;
        } else if !(line.is_empty() || line.starts_with('#')) {
            break;
        }
    }
    let mut out: String = lines[..end].iter().map(|l| format!("{l}\n")).collect();
    out.push_str(&entry_text);
    for line in &lines[end..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}
