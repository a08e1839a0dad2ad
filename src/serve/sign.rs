//! The signatures a case's documents still owe, as its page offers to
//! record them (the record file is changed by [`crate::records::sign`]).

use serde::Serialize;
use serde_json::Value;

use crate::model::Kind;
use crate::pipeline::Valid;

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
}

/// Every signature the case's documents still owe, with the file and entry
/// it is recorded in.
pub fn owed(valid: &Valid) -> Vec<Owed> {
    let Some(case) = valid.cases().first() else {
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
            });
        }
    }
    out
}
