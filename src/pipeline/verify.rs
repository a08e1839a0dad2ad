//! `verify`'s run: whether a printed PDF still matches the records it
//! names. Its fingerprint is worked out again from the case's inputs as
//! they are now, the case found a batch of cases at a time.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::execute::Warm;
use super::records::{BATCH, Records};
use crate::error::{Error, Result};
use crate::provenance::{self, Inputs, Stamp};
use crate::render::DocKind;

/// What a PDF's fingerprint says against the records now.
pub struct Verified {
    /// What the PDF says it was made from.
    pub stamp: Stamp,
    pub verdict: Verdict,
}

pub enum Verdict {
    /// The case is not in the records, or its records have errors.
    NoCase,
    /// The case makes no document of that name now (or not while a file
    /// it reads has errors).
    NoDocument,
    /// The records give the same fingerprint (its short form).
    Matches { fingerprint: String },
    /// They give another one: the PDF's and the records' (short forms),
    /// and each input that changed since the PDF was made.
    Differs {
        made: String,
        now: String,
        changes: Vec<InputChange>,
    },
}

/// One input of a document since its PDF was made, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputChange {
    Changed(String),
    New(String),
    Removed(String),
}

/// The largest PDF `verify` reads: far more than any document casepaper
/// makes (a plan with a large logo is well under 1 MB), so a device or a
/// huge file is refused instead of read until memory runs out.
const LARGEST_PDF: u64 = 64 * 1024 * 1024;

/// Reads the PDF at `pdf` (at most [`LARGEST_PDF`]) and holds its
/// fingerprint against the records at `paths`.
pub fn verify(paths: &[PathBuf], pdf: &Path) -> Result<Verified> {
    let mut bytes = Vec::new();
    std::fs::File::open(pdf)
        .and_then(|file| file.take(LARGEST_PDF + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::read(pdf.display(), e))?;
    if bytes.len() as u64 > LARGEST_PDF {
        return Err(Error::Usage(format!(
            "{} was not made by casepaper: it is larger than {} MB, and no document casepaper makes is",
            pdf.display(),
            LARGEST_PDF / 1024 / 1024
        )));
    }
    let stamp = provenance::read_stamp(&bytes).ok_or_else(|| {
        Error::Usage(format!(
            "{} was not made by casepaper: it has no fingerprint in its metadata",
            pdf.display()
        ))
    })?;
    // The case's own inputs and what the document prints now, from its
    // batch (a case id is unique across batches, so the first valid case
    // with it is the one). A case with errors in some files has documents
    // of the others, checked alike.
    let kind = DocKind::from_stem(&stamp.stem);
    let mut warm = Warm::default();
    let mut found: Option<(Inputs, Option<std::result::Result<String, String>>)> = None;
    let valid = Records::open(paths)?
        .load_later(None)
        .validate_in_batches(BATCH, |batch| {
            if found.is_some() {
                return Vec::new();
            }
            let mut cases = batch.cases().iter().chain(batch.partial());
            let case = cases.find(|c| c.record.case.case_id == stamp.case_id);
            let folder = case.and_then(|c| batch.caseload.folder(&c.dir));
            let (Some(case), Some(folder), Some(program)) = (case, folder, batch.program()) else {
                return Vec::new();
            };
            let inputs = Inputs::for_case(&batch.caseload, folder, &Default::default());
            let doc = kind
                .into_iter()
                .flat_map(|k| k.documents_of(case))
                .find(|d| d.file_stem == stamp.stem);
            let content = doc.map(|doc| {
                let renderer = warm.renderer(batch).map_err(|e| e.to_string())?;
                (renderer.content_digest(program, &case.record, &doc)).map_err(|e| e.to_string())
            });
            found = Some((inputs, content));
            Vec::new()
        });
    let (Some((inputs, content)), Some(kind)) = (found, kind) else {
        return Ok(Verified {
            stamp,
            verdict: Verdict::NoCase,
        });
    };
    let content = match content {
        Some(Ok(content)) => content,
        Some(Err(error)) => return Err(Error::Templates(error)),
        None => {
            return Ok(Verified {
                stamp,
                verdict: Verdict::NoDocument,
            });
        }
    };
    let shared = provenance::shared_inputs(
        &valid.caseload,
        &valid.templates.digest,
        valid.validated.logo.as_deref(),
    );
    let inputs = inputs.sharing(&shared);
    let now = inputs.fingerprint(&stamp.stem, &content);
    let short = |f: &str| f[..provenance::SHORT.min(f.len())].to_string();
    let verdict = if now == stamp.fingerprint {
        Verdict::Matches {
            fingerprint: short(&now),
        }
    } else {
        Verdict::Differs {
            made: short(&stamp.fingerprint),
            now: short(&now),
            changes: changes(&stamp, &inputs, kind, &content),
        }
    };
    Ok(Verified { stamp, verdict })
}

/// Each input that changed, is new or was removed since the PDF was made:
/// the template set, the logo, casepaper itself; for a document that
/// follows the case, each record file it reads; and, when no record file
/// is named, what the document prints ([`provenance::CONTENT`]).
fn changes(stamp: &Stamp, inputs: &Inputs, kind: DocKind, content: &str) -> Vec<InputChange> {
    let short = |v: &String| v[..v.len().min(provenance::INPUT_DIGITS)].to_string();
    let mut current = inputs.of_document(content);
    let names_files = !kind.dated();
    if names_files {
        current.extend((inputs.files_of(kind.reads())).map(|f| (f.name.clone(), f.digest.clone())));
    }
    let mut changes = Vec::new();
    for (name, value) in current.iter().filter(|(n, _)| *n != provenance::CONTENT) {
        match stamp.inputs.get(name) {
            Some(old) if *old == short(value) => {}
            Some(_) => changes.push(InputChange::Changed(name.clone())),
            None => changes.push(InputChange::New(name.clone())),
        }
    }
    for name in (stamp.inputs.keys()).filter(|n| !current.contains_key(*n)) {
        changes.push(InputChange::Removed(name.clone()));
    }
    let printed = stamp.inputs.get(provenance::CONTENT);
    if changes.is_empty() && printed.is_some_and(|old| *old != short(&current[provenance::CONTENT]))
    {
        changes.push(InputChange::Changed(provenance::CONTENT.into()));
    }
    changes
}
