//! `verify`: whether a printed PDF still matches the records it names.

use casepaper::pipeline::{CONTENT, InputChange, Stamp, Verdict, verify as verify_pdf};

use super::outcome::{Outcome, Ran};
use crate::cli::VerifyArgs;

/// Says whether the PDF's fingerprint matches the records now (clean) or
/// not (findings, naming the inputs that changed).
pub fn verify(args: VerifyArgs) -> Ran {
    let verified = verify_pdf(&args.paths, &args.pdf)?;
    let stamp = &verified.stamp;
    let pdf = args.pdf.display();
    let made_from = made_from(stamp);
    match verified.verdict {
        Verdict::NoCase => {
            println!(
                "{pdf} does not match: case {} is not in the records, or its records have errors (run casepaper validate)",
                stamp.case_id
            );
            Ok(Outcome::Findings)
        }
        Verdict::NoDocument => {
            println!(
                "{pdf} does not match: case {} makes no document {} now, or a record it is made from has errors (run casepaper validate)",
                stamp.case_id, stamp.stem
            );
            Ok(Outcome::Findings)
        }
        Verdict::Matches { fingerprint } => {
            println!(
                "{pdf} matches the current records: case {}, {}, fingerprint {fingerprint}{made_from}",
                stamp.case_id, stamp.stem,
            );
            Ok(Outcome::Clean)
        }
        Verdict::Differs { made, now, changes } => {
            println!(
                "{pdf} does not match the current records (fingerprint {made} in the PDF, {now} now){made_from}:"
            );
            for change in &changes {
                match change {
                    InputChange::Changed(name) if name == CONTENT => println!(
                        "  what it prints from the case's records changed (a record it is made from was edited since)"
                    ),
                    InputChange::Changed(name) => println!("  {name} changed"),
                    InputChange::New(name) => println!("  {name} is new since the PDF was made"),
                    InputChange::Removed(name) => {
                        println!("  {name} was removed since the PDF was made")
                    }
                }
            }
            if changes.is_empty() {
                println!("  the document's inputs are the same; it was made as another document");
            }
            Ok(Outcome::Findings)
        }
    }
}

/// What the PDF says it was made from, for the message.
fn made_from(stamp: &Stamp) -> String {
    match &stamp.commit {
        Some(c) if c == "uncommitted" => {
            " (made from records with uncommitted changes)".to_string()
        }
        Some(c) => format!(" (made from commit {c})"),
        None => String::new(),
    }
}
