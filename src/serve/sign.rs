//! Signatures: those a case's documents still owe, as its page offers to
//! record them, and one received, recorded in its record file (the text
//! is changed by [`crate::records::sign`] and saved by the pipeline).

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::app::{App, plain_name, record_files};
use super::http::{Reply, Request};
use crate::error::{Error, Result};
use crate::model::{CaseRecord, ConsentEvent, Decision, Kind, Signature, SignatureMethod, Signed};
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
    /// The services of a consent whose decisions come with this signature
    /// (the last of those giving it): the decision the parent marked on the
    /// signed form is recorded with it.
    pub decide: Vec<Undecided>,
}

/// A service of a consent with no decision written yet.
#[derive(Debug, Clone, Serialize)]
pub struct Undecided {
    /// The service's id in the plan.
    pub id: String,
    /// Its name, as the coordinator reads it.
    pub name: String,
    /// The decision's entry, as a JSON pointer.
    #[serde(skip)]
    pub pointer: String,
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
        let consent = match list.signed {
            Signed::Consent(n) => case.record.consents().nth(n).map(|(_, _, c)| c),
            _ => None,
        };
        for (i, signature) in list.owed() {
            let decide = consent
                .map(|c| undecided(&case.record, c, i, &list.pointer))
                .unwrap_or_default();
            out.push(Owed {
                document: list.document.clone(),
                name: signature.name.clone(),
                role: signature.role.words().to_string(),
                file: name.clone(),
                pointer: format!("{}/{i}", list.pointer),
                unlisted: (!list.listed)
                    .then(|| (list.entry_pointer(i), list.signatures.to_vec(), i)),
                decide,
            });
        }
    }
    out
}

/// The services of `consent` the signature `i` decides, each with the
/// pointer of its decision (`signatures` is the list's pointer).
fn undecided(
    record: &CaseRecord,
    consent: &ConsentEvent,
    i: usize,
    signatures: &str,
) -> Vec<Undecided> {
    let at = signatures.trim_end_matches("/signatures");
    let language = record.case.language.as_str();
    let rows = record.plan.iter().flat_map(|p| &p.services);
    consent
        .undecided_by(i)
        .into_iter()
        .map(|(j, d)| {
            let name = (rows.clone())
                .find(|r| r.id == d.service)
                .map(|r| r.service.for_document("en", language).to_string())
                .unwrap_or_default();
            Undecided {
                id: d.service.clone(),
                name: format!("{name} ({})", d.service),
                pointer: format!("{at}/services/{j}/decision"),
            }
        })
        .collect()
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
        let owed = owed(&valid)
            .into_iter()
            .find(|o| o.file == file && o.pointer == pointer);
        // The parent's decisions, as marked on the signed form, come first.
        let mut now = now;
        if let Some(owed) = owed.as_ref().filter(|o| !o.decide.is_empty()) {
            let mut value = match crate::records::read::value(&now) {
                Some(value) => value,
                None => return back("Nothing was recorded: the file does not read as YAML."),
            };
            for service in &owed.decide {
                let sent = req
                    .get(&format!("decision.{}", service.id))
                    .unwrap_or_default();
                let Some(decision) = Decision::ALL.iter().find(|d| d.name() == sent) else {
                    return back(&format!(
                        "Nothing was recorded: give {}'s decision on {}, as marked on the signed form (accepted or declined).",
                        owed.name, service.name
                    ));
                };
                let (parent, key) = service.pointer.rsplit_once('/').unwrap_or_default();
                match value.pointer_mut(parent).and_then(Value::as_object_mut) {
                    Some(entry) => {
                        entry.insert(key.to_string(), Value::from(decision.name()));
                    }
                    None => {
                        return back(
                            "Nothing was recorded: that consent is no longer in the file.",
                        );
                    }
                }
            }
            now = match crate::records::patch::patch(&now, &value) {
                Ok(text) => text,
                Err(why) => return back(&format!("Nothing was recorded: {why}.")),
            };
        }
        let written = match owed.and_then(|o| o.unlisted) {
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
