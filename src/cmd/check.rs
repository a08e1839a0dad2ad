//! `check`: the records held to the rules over time, as of a day.

use casepaper::finding;
use casepaper::model::today;
use casepaper::pipeline::{BATCH, PROGRAM_FILE, Records};

use super::outcome::{Outcome, Ran};
use super::tell::{self, counted, report};
use crate::cli::{CheckArgs, Format};

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
        tell::deferred(&valid);
        if valid.program().is_none() {
            eprintln!(
                "no rules were checked: the program file has errors (fix {} first)",
                valid.caseload.root.join(PROGRAM_FILE).display()
            );
        }
    }
    Ok(Outcome::of(findings))
}
