//! `verify`: whether a printed PDF still matches the records it names.

use casepaper::error::Error;
use casepaper::pipeline::{BATCH, Records};
use casepaper::provenance::{self, Inputs, Stamp};
use casepaper::render::DocKind;

use super::{Outcome, Ran};
use crate::cli::VerifyArgs;

/// Recomputes a PDF's fingerprint from the records and says whether it
/// matches (clean) or not (findings, naming the inputs that changed).
pub fn verify(args: VerifyArgs) -> Ran {
    let bytes = std::fs::read(&args.pdf).map_err(|e| Error::read(args.pdf.display(), e))?;
    let stamp = provenance::read_stamp(&bytes).ok_or_else(|| {
        Error::Usage(format!(
            "{} was not made by casepaper: it has no fingerprint in its metadata",
            args.pdf.display()
        ))
    })?;
    // The case's own inputs, from its batch (a case id is unique across
    // batches, so the first valid case with it is the one).
    let mut found: Option<Inputs> = None;
    let valid = Records::open(&args.paths)?
        .load_later(None)
        .validate_in_batches(BATCH, |batch| {
            let case = (batch.cases().iter()).find(|c| c.record.case.case_id == stamp.case_id);
            let folder = case.and_then(|c| batch.caseload.folder(&c.dir));
            if let (None, Some(folder)) = (&found, folder) {
                found = Some(Inputs::for_case(
                    &batch.caseload,
                    folder,
                    &Default::default(),
                ));
            }
            Vec::new()
        });
    let pdf = args.pdf.display();
    let (Some(inputs), Some(kind)) = (found, DocKind::from_stem(&stamp.stem)) else {
        println!(
            "{pdf} does not match: case {} is not in the records, or its records have errors (run casepaper validate)",
            stamp.case_id
        );
        return Ok(Outcome::Findings);
    };
    let shared = provenance::shared_inputs(
        &valid.caseload,
        &valid.templates.digest,
        valid.validated.logo.as_deref(),
    );
    let inputs = inputs.sharing(&shared);
    let now = inputs.fingerprint(&stamp.stem, kind.reads());
    let made_from = made_from(&stamp);
    if now == stamp.fingerprint {
        println!(
            "{pdf} matches the current records: case {}, {}, fingerprint {}{made_from}",
            stamp.case_id,
            stamp.stem,
            &now[..provenance::SHORT]
        );
        return Ok(Outcome::Clean);
    }
    println!(
        "{pdf} does not match the current records (fingerprint {} in the PDF, {} now){made_from}:",
        &stamp.fingerprint[..provenance::SHORT.min(stamp.fingerprint.len())],
        &now[..provenance::SHORT]
    );
    tell_changes(&stamp, &inputs, kind);
    Ok(Outcome::Findings)
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

/// Prints each input that changed, is new or was removed since the PDF
/// was made.
fn tell_changes(stamp: &Stamp, inputs: &Inputs, kind: DocKind) {
    let short = |v: &String| v[..v.len().min(provenance::INPUT_DIGITS)].to_string();
    let current = inputs.of(kind.reads());
    let mut told = false;
    for (name, value) in &current {
        match stamp.inputs.get(name) {
            Some(old) if *old == short(value) => {}
            Some(_) => {
                println!("  {name} changed");
                told = true;
            }
            None => {
                println!("  {name} is new since the PDF was made");
                told = true;
            }
        }
    }
    for name in stamp.inputs.keys().filter(|n| !current.contains_key(*n)) {
        println!("  {name} was removed since the PDF was made");
        told = true;
    }
    if !told {
        println!("  the document's inputs are the same; it was made as another document");
    }
}
