//! `due`: the deadlines the rules lead to, by coordinator, and the
//! caseload report that prints them.

use std::io::{self, Write};

use chrono::{Days, NaiveDate};

use casepaper::finding;
use casepaper::model::{day, today};
use casepaper::pipeline::{CaseDue, CoordinatorDue, Deadline, PROGRAM_FILE, Records, Window};

use super::outcome::{Outcome, Ran};
use super::tell::report;
use crate::cli::{DueArgs, Format};

pub fn due(args: DueArgs) -> Ran {
    let as_of = args.as_of.unwrap_or_else(today);
    let until = as_of + Days::new(u64::from(args.within));
    let due = Records::open(&args.paths)?
        .load_later(None)
        .due(Window { as_of, until });
    let valid = &due.valid;
    if finding::has_errors(valid.findings()) {
        report(valid.findings(), &valid.caseload.sources, Format::Human);
    }
    let Some(coordinators) = due.by_coordinator() else {
        eprintln!(
            "no deadlines: the program file has errors (fix {} first)",
            valid.caseload.root.join(PROGRAM_FILE).display()
        );
        return Ok(Outcome::Findings);
    };
    // The report is made first: one that cannot be written (inside the
    // records, say) stops the command before it prints anything.
    let report_made = match &args.pdf {
        Some(path) => Some((path, due.write_report(&coordinators, path)?)),
        None => None,
    };
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
    if let Some((pdf_path, made)) = report_made {
        match made {
            Ok(()) => eprintln!("wrote the caseload report to {}", pdf_path.display()),
            Err(err) => {
                eprintln!("error: the caseload report was not rendered:\n{err}");
                return Ok(Outcome::Findings);
            }
        }
    }
    Ok(Outcome::of(valid.findings()))
}

fn print_due(coordinators: &[CoordinatorDue], as_of: NaiveDate, until: NaiveDate) {
    let mut out = io::stdout().lock();
    let _ = writeln!(
        out,
        "Deadlines as of {}, through {} (overdue first)",
        day(as_of),
        day(until)
    );
    for c in coordinators {
        let count: usize = c.cases.iter().map(|k| k.deadlines.len()).sum();
        let _ = writeln!(out, "\n{} ({})", c.name, c.id);
        // A case with errors is listed first: its deadlines are unknown, or
        // those below leave out its files with errors.
        for case in c.cases.iter().filter(|k| k.has_errors) {
            let what = if case.deadlines.is_empty() {
                "its deadlines are worked out once they are fixed"
            } else {
                "its deadlines below leave out its files with errors until they are fixed"
            };
            let _ = writeln!(
                out,
                "  {:<8} {:<19} {:<13} has errors: {what} ({})",
                "ERRORS", "", case.case_id, case.client_name
            );
        }
        if count == 0 && c.cases.iter().all(|k| !k.has_errors) {
            let _ = writeln!(out, "  nothing due");
            continue;
        }
        let mut rows: Vec<(&CaseDue, &Deadline)> = c
            .cases
            .iter()
            .flat_map(|&k| k.deadlines.iter().map(move |d| (k, &d.deadline)))
            .collect();
        rows.sort_by(|a, b| {
            (!a.1.overdue, a.1.date, &a.0.case_id).cmp(&(!b.1.overdue, b.1.date, &b.0.case_id))
        });
        for (case, d) in rows {
            let _ = writeln!(
                out,
                "  {:<8} {:<19} {:<13} {} ({})",
                if d.overdue { "OVERDUE" } else { "" },
                day(d.date),
                case.case_id,
                d.what,
                case.client_name
            );
        }
    }
}
