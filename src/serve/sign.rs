//! Signatures: those a case's documents still owe, as its page offers to
//! record them, and one received, recorded in its record file (the text
//! is changed by [`crate::records::sign`] and saved by the pipeline).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::app::{App, plain_name, record_files};
use super::http::{Reply, Request};
use crate::error::{Error, Result};
use crate::model::{Kind, Signature, SignatureMethod};
use crate::pipeline::{NotSaved, Target, Valid, save};
use crate::records::write;

/// A signature still owed, as a case's page offers to record it.
#[derive(Debug, Clone, Serialize)]
pub struct Owed {
    /// The document, in a coordinator's words.
    pub document: String,
    pub name: String,
    pub role: String,
    /// The record file's name in the case folder.
    pub file: String,
    /// The signer's entry in that file, as a JSON pointer.
    pub pointer: String,
    /// For a meeting that lists no one to sign its plan: where the meeting
    /// is in the file, those who sign it, and which of them this is; the
    /// list is written with the first signature received.
    #[serde(skip)]
    pub unlisted: Option<(String, Vec<Signature>, usize)>,
}

/// Every signature the case's documents still owe, with the file and entry
/// it is recorded in.
pub fn owed(valid: &Valid) -> Vec<Owed> {
    // A case with errors: the signatures of its files without errors.
    let Some(case) = valid.first_case() else {
        return Vec::new();
    };
    let Some(folder) = valid.caseload.folder(&case.dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for list in case.record.signature_lists() {
        let file = folder.files.iter().find(|f| {
            f.kind() == Some(list.file)
                && (list.file != Kind::Review
                    || list.review.is_some_and(|d| {
                        f.doc.value.get("date").and_then(Value::as_str) == Some(&d.to_string())
                    }))
        });
        let Some(file) = file else { continue };
        let name = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        for (i, signature) in list.owed() {
            out.push(Owed {
                document: list.document.clone(),
                name: signature.name.clone(),
                role: signature.role.name().to_string(),
                file: name.clone(),
                pointer: format!("{}/{i}", list.pointer),
                unlisted: (!list.listed)
                    .then(|| (list.entry_pointer(i), list.signatures.to_vec(), i)),
            });
        }
    }
    out
}

impl App {
    /// A signature received: its date and way added to the signer's entry,
    /// when the file is as the page showed it and the records are valid
    /// with it.
    pub(super) fn sign(&self, req: &Request, folder: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let file = req.get("file").unwrap_or_default();
        if !plain_name(file) || !record_files(&dir).iter().any(|f| f == file) {
            return Ok(self.not_found());
        }
        let path = dir.join(file);
        let (pointer, base) = (
            req.get("pointer").unwrap_or_default(),
            req.get("base").unwrap_or_default(),
        );
        let date = req.get("signed_on").unwrap_or_default().trim();
        let method = req.get("method").unwrap_or_default();
        let back = |problem: &str| {
            let problem: String = form_urlencoded::byte_serialize(problem.as_bytes()).collect();
            Ok(Reply::see_other(&format!(
                "/case/{folder}?problem={problem}#signatures"
            )))
        };
        if date.parse::<NaiveDate>().is_err() {
            return back("Give the date the signature was made (YYYY-MM-DD).");
        }
        let Some(method) = SignatureMethod::ALL.iter().find(|m| m.name() == method) else {
            return back("Say whether it was signed on paper or electronically.");
        };
        let now = std::fs::read_to_string(&path).map_err(|e| Error::read(path.display(), e))?;
        if write::digest(&now) != base {
            return back(
                "Nothing was recorded: the file changed since the page was opened. Here it is as it is now; record the signature again.",
            );
        }
        // A meeting that lists no one to sign its plan gets its list with
        // the first signature received.
        let valid = crate::pipeline::Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate();
        let unlisted = owed(&valid)
            .into_iter()
            .find(|o| o.file == file && o.pointer == pointer)
            .and_then(|o| o.unlisted);
        let written = match unlisted {
            Some((meeting, signers, i)) => {
                crate::records::sign::list(&now, &meeting, &signers, i, date, *method)
            }
            None => crate::records::sign::record(&now, pointer, date, *method),
        };
        let text = match written {
            Ok(text) => text,
            Err(why) => return back(&format!("Nothing was recorded: {why}.")),
        };
        match save(&dir, Target::Replace { path: &path, base }, &text)? {
            Ok(_) => Ok(Reply::see_other(&format!("/case/{folder}?saved={file}"))),
            Err(NotSaved::Invalid(problems)) => {
                let first = problems.first().map(|p| p.message.as_str());
                back(&format!(
                    "Nothing was recorded: {}",
                    first.unwrap_or_default()
                ))
            }
            Err(NotSaved::NotWritten(e)) => back(&format!("Nothing was recorded: {e}.")),
        }
    }
}
