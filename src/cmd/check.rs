//! `check` and `due`: the rules over time, and the deadlines they lead to.

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{Days, Local, NaiveDate};
use serde::Serialize;

use casepaper::check::{self, Deadline};
use casepaper::error::Error;
use casepaper::finding;
use casepaper::model::ProgramFile;
use casepaper::pipeline::{BATCH, Records, Valid};
use casepaper::render::Renderer;
use casepaper::validate::ValidCase;
use casepaper::{load, output};

use super::{Outcome, Ran, counted, report};
use crate::cli::{CheckArgs, DueArgs, Format};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

pub fn check(args: CheckArgs) -> Ran {
    let as_of = args.as_of.unwrap_or_else(today);
    let (mut cases, mut examples) = (0, Vec::new());
    let valid = Records::open(&args.paths)?
        .load_later(None)
        .check_in_batches(BATCH, as_of, |batch| {
            for case in batch.cases() {
                if case.record.case.example {
                    examples.push(case.record.case.case_id.clone());
                } else {
                    cases += 1;
                }
            }
        });
    let findings = valid.findings();
    report(findings, &valid.caseload.sources, args.format);
    if args.format == Format::Human {
        for id in &examples {
            eprintln!(
                "note: {id} is an example case (`example: true` in its case.yaml), so it is not checked; \
                 delete its folder once your first real case is in"
            );
        }
        if findings.is_empty() {
            eprintln!(
                "{} checked as of {}, no problems found",
                counted(cases, "case"),
                as_of
            );
        } else {
            eprintln!("{} (as of {as_of})", finding::summary(findings));
        }
        super::tell_deferred(&valid);
        if valid.program().is_none() {
            eprintln!(
                "no rules were checked: the program file has errors (fix {} first)",
                valid.caseload.root.join(load::PROGRAM_FILE).display()
            );
        }
    }
    Ok(Outcome::of(findings))
}

/// The deadlines of one coordinator's caseload, as the report shows them.
#[derive(Serialize)]
struct CoordinatorDue<'a> {
    id: &'a str,
    name: &'a str,
    credential: &'a str,
    phone: &'a str,
    cases: Vec<CaseDue>,
}

#[derive(Serialize)]
struct CaseDue {
    case_id: String,
    client_name: String,
    #[serde(skip)]
    coordinator: String,
    deadlines: Vec<DeadlineView>,
}

/// A deadline with its place on the report's timeline, 0 at `as_of` and 1
/// at the end of the window (overdue ones sit at 0).
#[derive(Serialize)]
struct DeadlineView {
    #[serde(flatten)]
    deadline: Deadline,
    at: f64,
}

impl CaseDue {
    /// The case's deadlines overdue or due by `until`, placed on the
    /// window's timeline.
    fn of(program: &ProgramFile, case: &ValidCase, (as_of, until): (NaiveDate, NaiveDate)) -> Self {
        let span = (until - as_of).num_days().max(1) as f64;
        let record = &case.record;
        CaseDue {
            case_id: record.case.case_id.clone(),
            client_name: record.case.client_name().to_string(),
            coordinator: record.case.coordinator.clone(),
            deadlines: check::deadlines(program, record, as_of)
                .into_iter()
                .filter(|d| d.overdue || d.date <= until)
                .map(|deadline| DeadlineView {
                    at: ((deadline.date - as_of).num_days() as f64 / span).clamp(0.0, 1.0),
                    deadline,
                })
                .collect(),
        }
    }
}

pub fn due(args: DueArgs) -> Ran {
    let as_of = args.as_of.unwrap_or_else(today);
    let until = as_of + Days::new(u64::from(args.within));
    let mut cases = Vec::new();
    let valid = Records::open(&args.paths)?
        .load_later(None)
        .validate_in_batches(BATCH, |batch| {
            if let Some(program) = batch.program() {
                let of = |case| CaseDue::of(program, case, (as_of, until));
                cases.extend(batch.cases().iter().map(of));
            }
            Vec::new()
        });
    if finding::has_errors(valid.findings()) {
        report(valid.findings(), &valid.caseload.sources, Format::Human);
    }
    let Some(program) = valid.program() else {
        eprintln!(
            "no deadlines: the program file has errors (fix {} first)",
            valid.caseload.root.join(load::PROGRAM_FILE).display()
        );
        return Ok(Outcome::Findings);
    };
    let coordinators = by_coordinator(program, cases);
    match args.format {
        Format::Json => {
            let mut out = io::stdout().lock();
            for c in &coordinators {
                for case in &c.cases {
                    for d in &case.deadlines {
                        let _ = serde_json::to_writer(&mut out, &d.deadline);
                        let _ = writeln!(out);
                    }
                }
            }
        }
        Format::Human => print_due(&coordinators, as_of, until),
    }
    if let Some(pdf_path) = &args.pdf
        && caseload_report(&valid, program, &coordinators, (as_of, until), pdf_path)?
            == Outcome::Findings
    {
        return Ok(Outcome::Findings);
    }
    Ok(Outcome::of(valid.findings()))
}

/// Per coordinator (in program.yaml order), the cases they coordinate (in
/// the order of `cases`); a case whose coordinator is not on the staff
/// list is left out.
fn by_coordinator(program: &ProgramFile, cases: Vec<CaseDue>) -> Vec<CoordinatorDue<'_>> {
    let mut by_staff: BTreeMap<usize, CoordinatorDue> = BTreeMap::new();
    for case in cases {
        let Some((pos, staff)) = program
            .staff
            .iter()
            .enumerate()
            .find(|(_, s)| s.id == case.coordinator)
        else {
            continue;
        };
        let entry = by_staff.entry(pos).or_insert_with(|| CoordinatorDue {
            id: &staff.id,
            name: &staff.name,
            credential: &staff.credential,
            phone: &staff.phone,
            cases: Vec::new(),
        });
        entry.cases.push(case);
    }
    by_staff.into_values().collect()
}

/// `due --pdf`: the caseload report, one page per coordinator. A report
/// that cannot be made is said, and is a finding.
fn caseload_report(
    valid: &Valid,
    program: &ProgramFile,
    coordinators: &[CoordinatorDue],
    (as_of, until): (NaiveDate, NaiveDate),
    pdf_path: &std::path::Path,
) -> Ran {
    let templates = &valid.templates;
    let renderer = Renderer::new(templates.set.clone(), templates.translations.clone())?;
    let ctx = minijinja::context! {
        lang => "en",
        ctx => minijinja::Value::from(minijinja::value::Serde(&serde_json::json!({
            "program": &program.program,
            "logo": null,
            "as_of": as_of.to_string(),
            "until": until.to_string(),
            "coordinators": coordinators,
        }))),
    };
    let result = renderer.source("due.typ.j2", ctx).and_then(|typst| {
        renderer.pdf(
            typst,
            "caseload/due".into(),
            as_of.and_time(chrono::NaiveTime::MIN),
        )
    });
    match result {
        Ok(pdf) => {
            output::write_atomic(pdf_path, &pdf)
                .map_err(|e| Error::written(pdf_path.display(), e))?;
            eprintln!("wrote the caseload report to {}", pdf_path.display());
            Ok(Outcome::Clean)
        }
        Err(err) => {
            eprintln!("error: the caseload report was not rendered:\n{err}");
            Ok(Outcome::Findings)
        }
    }
}

fn print_due(coordinators: &[CoordinatorDue], as_of: NaiveDate, until: NaiveDate) {
    let mut out = io::stdout().lock();
    let _ = writeln!(
        out,
        "Deadlines as of {}, through {} (overdue first)",
        check::day(as_of),
        check::day(until)
    );
    for c in coordinators {
        let count: usize = c.cases.iter().map(|k| k.deadlines.len()).sum();
        let _ = writeln!(out, "\n{} ({})", c.name, c.id);
        if count == 0 {
            let _ = writeln!(out, "  nothing due");
            continue;
        }
        let mut rows: Vec<(&CaseDue, &Deadline)> = c
            .cases
            .iter()
            .flat_map(|k| k.deadlines.iter().map(move |d| (k, &d.deadline)))
            .collect();
        rows.sort_by(|a, b| {
            (!a.1.overdue, a.1.date, &a.0.case_id).cmp(&(!b.1.overdue, b.1.date, &b.0.case_id))
        });
        for (case, d) in rows {
            let _ = writeln!(
                out,
                "  {:<8} {:<19} {:<13} {} ({})",
                if d.overdue { "OVERDUE" } else { "" },
                check::day(d.date),
                case.case_id,
                d.what,
                case.client_name
            );
        }
    }
}
