//! Rules about a staff member rather than one case: the coordinator's
//! certificates (Connecticut procedure, seed 000). One finding per person
//! and certificate, at the person's entry in program.yaml, naming every
//! case it concerns, so a supervisor knows which families' records are
//! affected.

use chrono::NaiveDate;

use super::case::day;
use super::settings::{setting, severity_of};
use crate::finding::{Finding, Severity, dotted};
use crate::load::Caseload;
use crate::model::{ProgramFile, RuleId, RuleSetting, Staff};
use crate::validate::ValidCase;

/// What the coordinator rule needs of one case: who coordinates it, the
/// rule's setting for it, and the first note its coordinator signed. Small,
/// so a caseload checked a batch at a time keeps one for every case.
#[derive(Debug, Clone)]
pub struct Coordinated {
    case_id: String,
    coordinator: String,
    setting: RuleSetting,
    first_note: Option<NaiveDate>,
}

impl Coordinated {
    /// What the rule needs of `case`; nothing for an example case, which
    /// is not checked.
    pub fn of(program: &ProgramFile, case: &ValidCase) -> Option<Coordinated> {
        let record = &case.record;
        if record.case.example {
            return None;
        }
        let coordinator = &record.case.coordinator;
        Some(Coordinated {
            case_id: record.case.case_id.clone(),
            coordinator: coordinator.clone(),
            setting: setting(
                program,
                record.profile(program),
                RuleId::CoordinatorQualified,
            ),
            first_note: (record.contacts.iter())
                .filter(|n| &n.signed.by == coordinator)
                .map(|n| n.date)
                .min(),
        })
    }
}

/// Each coordinator holds both certificates from before the first note
/// they signed as coordinator, unless trained before 2018-09-01.
pub fn coordinator_certificates(
    caseload: &Caseload,
    program: &ProgramFile,
    cases: &[Coordinated],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, staff) in program.staff.iter().enumerate() {
        if staff.trained_before_2018 {
            continue;
        }
        let coordinated: Vec<&Coordinated> = (cases.iter())
            .filter(|c| c.coordinator == staff.id && c.setting != RuleSetting::Off)
            .collect();
        let strictest =
            (coordinated.iter()).fold(RuleSetting::Off, |s, c| s.max_severity(c.setting));
        let Some(severity) = severity_of(strictest) else {
            continue;
        };
        let at = |pointer: String, message: String| at_staff(caseload, severity, pointer, message);
        for (field, held, name) in certificates(staff) {
            let message = match held {
                None => format!(
                    "{} coordinates {} but has no {name} recorded (`certificates.{field}`)",
                    staff.name,
                    case_list(coordinated.iter().map(|c| c.case_id.to_string()))
                ),
                Some(held) => {
                    let early: Vec<&Coordinated> = (coordinated.iter().copied())
                        .filter(|c| c.first_note.is_some_and(|f| f < held))
                        .collect();
                    let Some(earliest) = early.iter().filter_map(|c| c.first_note).min() else {
                        continue;
                    };
                    let listed = early.iter().map(|c| match c.first_note {
                        Some(f) if early.len() > 1 => format!("{} (from {})", c.case_id, day(f)),
                        _ => c.case_id.to_string(),
                    });
                    findings.push(at(
                        format!("/staff/{index}/certificates/{field}"),
                        format!(
                            "{} signed a note as coordinator on {} but received the {name} only on {}; \
                             the notes signed before it are in {}",
                            staff.name,
                            day(earliest),
                            day(held),
                            case_list(listed)
                        ),
                    ));
                    continue;
                }
            };
            findings.push(at(format!("/staff/{index}"), message));
        }
    }
    findings
}

/// The two certificates: their element, date and name.
fn certificates(staff: &Staff) -> [(&'static str, Option<NaiveDate>, &'static str); 2] {
    let certs = staff.certificates.as_ref();
    [
        (
            "initial",
            certs.and_then(|x| x.initial),
            "Birth to Three Initial Certificate",
        ),
        (
            "service_coordinator",
            certs.and_then(|x| x.service_coordinator),
            "Service Coordinator Certificate",
        ),
    ]
}

/// `case ct-1` or `cases ct-1, ct-2 and ct-3`.
fn case_list(ids: impl Iterator<Item = String>) -> String {
    let ids: Vec<String> = ids.collect();
    match ids.as_slice() {
        [one] => format!("case {one}"),
        [rest @ .., last] => format!("cases {} and {last}", rest.join(", ")),
        [] => "no case".into(),
    }
}

/// A finding at `pointer` of program.yaml.
fn at_staff(caseload: &Caseload, severity: Severity, pointer: String, message: String) -> Finding {
    let code = RuleId::CoordinatorQualified;
    let path = dotted("program", &pointer);
    let finding = match &caseload.program {
        Some(file) => Finding::error(&file.path, code, message).at(file.position(&pointer)),
        None => Finding::error(&caseload.root, code, message),
    };
    Finding {
        severity,
        ..finding.path(path)
    }
}
