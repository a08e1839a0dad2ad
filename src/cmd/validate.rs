//! `validate`: every record against its schema and the case's files
//! against each other.

use casepaper::finding;
use casepaper::pipeline::{BATCH, Records};

use super::outcome::{Outcome, Ran};
use super::tell::{self, counted, report};
use crate::cli::{Format, ValidateArgs};

pub fn validate(args: ValidateArgs) -> Ran {
    let valid = Records::open(&args.paths)?
        .load_later(None)
        .validate_in_batches(BATCH, |_| Vec::new());
    report(valid.findings(), &valid.caseload.sources, args.format);
    if args.format == Format::Human {
        if valid.findings().is_empty() {
            let cases = counted(valid.caseload.cases.len(), "case");
            eprintln!("{cases} valid, no problems found");
        } else {
            eprintln!("{}", finding::summary(valid.findings()));
        }
        tell::deferred(&valid);
    }
    Ok(Outcome::of(valid.findings()))
}
