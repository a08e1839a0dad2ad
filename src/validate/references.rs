//! References between records: every staff id, service id and outcome number
//! a record uses must exist, and no two cases may share a case id (the id
//! names the output folder, so a clash would overwrite a family's papers).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::messages::spot;
use crate::finding::{Finding, RecordCode};
use crate::load::RecordFile;
use crate::load::yaml::child_pointer;
use crate::model::{CaseIdProblem, CaseRecord, Kind, PlanFile, ProgramFile, case_id_problem};

/// Reports a case id that is a device's name on Windows, or one already
/// used by another case folder.
pub fn unique_case_id(
    id: &str,
    file: &RecordFile,
    seen: &mut BTreeMap<String, PathBuf>,
    findings: &mut Vec<Finding>,
) {
    // The schema's pattern reports a case id of the wrong shape.
    if let Some(problem @ CaseIdProblem::WindowsDevice) = case_id_problem(id) {
        findings.push(
            Finding::error(
                &file.path,
                RecordCode::ReservedCaseId,
                format!("`{id}` cannot be a case id: {}", problem.words()),
            )
            .at(spot(file, "/case_id"))
            .path("case.case_id"),
        );
    }
    if let Some(other) = seen.get(id) {
        findings.push(
            Finding::error(
                &file.path,
                RecordCode::DuplicateCaseId,
                format!(
                    "case id `{id}` is already used by {}; every case needs its own id",
                    other.display()
                ),
            )
            .at(spot(file, "/case_id"))
            .path("case.case_id"),
        );
    } else {
        seen.insert(id.to_string(), file.path.clone());
    }
}

/// A family served outside Part C is told the state program's grievance
/// process instead of the Part C safeguards: the program file must give it.
pub fn grievance(
    record: &CaseRecord,
    case_file: &RecordFile,
    program: &ProgramFile,
    findings: &mut Vec<Finding>,
) {
    let case = &record.case;
    if case.part_c_rights() || program.program.grievance_for(case.state).is_some() {
        return;
    }
    findings.push(
        Finding::error(
            &case_file.path,
            RecordCode::MissingGrievance,
            "this family is served outside Part C, so its documents give the state program's own grievance \
             process instead of the Part C safeguards; add it to program.yaml as `program.grievance` \
             (or `grievance_by_state`), in the words the family should read"
                .to_string(),
        )
        .at(spot(case_file, "/client"))
        .path("case.client"),
    );
}

/// The program's staff ids, to check references against.
struct StaffIds<'a> {
    ids: Vec<&'a str>,
}

impl StaffIds<'_> {
    fn has(&self, id: &str) -> bool {
        self.ids.contains(&id)
    }

    /// The error for `id` at `pointer` of `file`, which no one on staff has.
    fn unknown(&self, file: &RecordFile, pointer: &str, path: String, id: &str) -> Finding {
        let list = self.ids.join(", ");
        Finding::error(
            &file.path,
            RecordCode::UnknownReference,
            format!("`{id}` is not a staff id in program.yaml; the staff ids are {list}"),
        )
        .at(spot(file, pointer))
        .path(path)
    }
}

/// Checks the references inside one case against the program and itself.
pub fn check(
    record: &CaseRecord,
    program: &ProgramFile,
    files: &BTreeMap<Kind, Vec<&RecordFile>>,
    failed: &BTreeMap<Kind, Vec<&RecordFile>>,
    findings: &mut Vec<Finding>,
) {
    let staff = StaffIds {
        ids: program.staff.iter().map(|s| s.id.as_str()).collect(),
    };
    let first = |kind| files.get(&kind).and_then(|f| f.first().copied());
    if let Some(case_file) = first(Kind::Case)
        && !staff.has(&record.case.coordinator)
    {
        findings.push(staff.unknown(
            case_file,
            "/coordinator",
            "case.coordinator".into(),
            &record.case.coordinator,
        ));
    }
    let mut service_ids = BTreeSet::new();
    if let (Some(plan), Some(plan_file)) = (&record.plan, first(Kind::Plan)) {
        service_ids = within_plan(plan, plan_file, &staff, findings);
    }
    // A plan with errors still names its services, where its list reads.
    let failed_plan = failed.get(&Kind::Plan).and_then(|f| f.first());
    let raw_ids: Option<BTreeSet<&str>> = failed_plan.map(|f| {
        f.doc
            .value
            .get("services")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("id")?.as_str())
            .collect()
    });
    let service_ids = match &raw_ids {
        Some(ids) if !ids.is_empty() => Some(ids),
        Some(_) => None,
        None => Some(&service_ids),
    };
    // Notes are read as written, so a contacts file with errors is checked too.
    let mut contacts: Vec<&RecordFile> = files.get(&Kind::Contacts).cloned().unwrap_or_default();
    contacts.extend(failed.get(&Kind::Contacts).into_iter().flatten());
    contacts.sort_by(|a, b| a.path.cmp(&b.path));
    notes(&contacts, &staff, service_ids, findings);
}

/// What the plan's parts name of each other (outcome numbers, service
/// ids, providers on staff): each unknown or doubled one is an error.
/// Gives the plan's service ids.
fn within_plan<'p>(
    plan: &'p PlanFile,
    plan_file: &RecordFile,
    staff: &StaffIds,
    findings: &mut Vec<Finding>,
) -> BTreeSet<&'p str> {
    let numbers = outcome_numbers(plan, plan_file, findings);
    let service_ids = services(plan, plan_file, &numbers, staff, findings);
    consents(plan, plan_file, &service_ids, findings);
    service_ids
}

/// The checks of a plan that need nothing else of the case, for a case
/// whose case file has errors: so one pass finds a misspelled service id
/// in the plan's consent beside a bad date in the case file.
pub fn plan_alone(
    plan: &PlanFile,
    plan_file: &RecordFile,
    contacts: &[&RecordFile],
    program: &ProgramFile,
    findings: &mut Vec<Finding>,
) {
    let staff = StaffIds {
        ids: program.staff.iter().map(|s| s.id.as_str()).collect(),
    };
    let service_ids = within_plan(plan, plan_file, &staff, findings);
    notes(contacts, &staff, Some(&service_ids), findings);
}

/// The plan's outcome numbers; a number used twice is an error.
fn outcome_numbers(
    plan: &PlanFile,
    plan_file: &RecordFile,
    findings: &mut Vec<Finding>,
) -> BTreeSet<u32> {
    let mut numbers = BTreeSet::new();
    for (i, outcome) in plan.outcomes.iter().enumerate() {
        if !numbers.insert(outcome.number) {
            findings.push(
                Finding::error(
                    &plan_file.path,
                    RecordCode::DuplicateId,
                    format!(
                        "outcome number {} is used twice; number each outcome once",
                        outcome.number
                    ),
                )
                .at(spot(plan_file, &format!("/outcomes/{i}/number")))
                .path(format!("plan.outcomes[{i}].number")),
            );
        }
    }
    numbers
}

/// The plan's service ids; an id used twice, an outcome the plan lacks and
/// a provider not on staff are errors.
fn services<'p>(
    plan: &'p PlanFile,
    plan_file: &RecordFile,
    numbers: &BTreeSet<u32>,
    staff: &StaffIds,
    findings: &mut Vec<Finding>,
) -> BTreeSet<&'p str> {
    let mut service_ids = BTreeSet::new();
    for (i, service) in plan.services.iter().enumerate() {
        let pointer = format!("/services/{i}");
        if !service_ids.insert(service.id.as_str()) {
            findings.push(
                Finding::error(
                    &plan_file.path,
                    RecordCode::DuplicateId,
                    format!(
                        "service id `{}` is used twice; give each service its own id",
                        service.id
                    ),
                )
                .at(spot(plan_file, &format!("{pointer}/id")))
                .path(format!("plan.services[{i}].id")),
            );
        }
        for (j, n) in service.outcomes.iter().enumerate() {
            if !numbers.contains(n) {
                findings.push(
                    Finding::error(
                        &plan_file.path,
                        RecordCode::UnknownReference,
                        format!(
                            "service `{}` supports outcome {n}, but the plan has no outcome {n}",
                            service.id
                        ),
                    )
                    .at(spot(plan_file, &format!("{pointer}/outcomes/{j}")))
                    .path(format!("plan.services[{i}].outcomes[{j}]")),
                );
            }
        }
        if let Some(id) = &service.provider.staff
            && !staff.has(id)
        {
            findings.push(staff.unknown(
                plan_file,
                &child_pointer(&format!("{pointer}/provider"), "staff"),
                format!("plan.services[{i}].provider.staff"),
                id,
            ));
        }
    }
    service_ids
}

/// Each consent's decisions name services on the plan.
fn consents(
    plan: &PlanFile,
    plan_file: &RecordFile,
    service_ids: &BTreeSet<&str>,
    findings: &mut Vec<Finding>,
) {
    for (i, consent) in plan.consents.iter().enumerate() {
        for (j, decision) in consent.services.iter().enumerate() {
            if !service_ids.contains(decision.service.as_str()) {
                let known = service_ids.iter().copied().collect::<Vec<_>>().join(", ");
                findings.push(
                    Finding::error(
                        &plan_file.path,
                        RecordCode::UnknownReference,
                        format!(
                            "consent names service `{}`, which is not on the plan; the service ids are {known}",
                            decision.service
                        ),
                    )
                    .at(spot(plan_file, &format!("/consents/{i}/services/{j}/service")))
                    .path(format!("plan.consents[{i}].services[{j}].service")),
                );
            }
        }
    }
}

/// Contact notes: each must be signed by someone on staff, and a service
/// it delivered must be on the plan.
fn notes(
    files: &[&RecordFile],
    staff: &StaffIds,
    service_ids: Option<&BTreeSet<&str>>,
    findings: &mut Vec<Finding>,
) {
    // Notes from several files are checked file by file so the position
    // is right.
    for file in files {
        let notes = file.doc.value.get("notes").and_then(|n| n.as_array());
        for (i, note) in notes.into_iter().flatten().enumerate() {
            let by = note
                .pointer("/signed/by")
                .and_then(|b| b.as_str())
                .unwrap_or_default();
            if !staff.has(by) {
                findings.push(staff.unknown(
                    file,
                    &format!("/notes/{i}/signed/by"),
                    format!("contacts.notes[{i}].signed.by"),
                    by,
                ));
            }
            if let Some(service) = note.get("service").and_then(|s| s.as_str())
                && let Some(service_ids) = service_ids
                && !service_ids.contains(service)
            {
                findings.push(unknown_service(file, i, service, service_ids));
            }
        }
    }
}

/// A note naming a service the plan does not have.
fn unknown_service(
    file: &RecordFile,
    i: usize,
    service: &str,
    service_ids: &BTreeSet<&str>,
) -> Finding {
    let known = if service_ids.is_empty() {
        "the case has no plan with services yet".to_string()
    } else {
        let ids: Vec<&str> = service_ids.iter().copied().collect();
        format!("the service ids are {}", ids.join(", "))
    };
    Finding::error(
        &file.path,
        RecordCode::UnknownReference,
        format!("this note delivered service `{service}`, which is not on the plan; {known}"),
    )
    .at(spot(file, &format!("/notes/{i}/service")))
    .path(format!("contacts.notes[{i}].service"))
}
