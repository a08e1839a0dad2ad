//! Which inputs a document was made from: a SHA-256 fingerprint over the
//! tool version, the template set (templates, translations, fonts), the
//! program file and logo, and the case's record files, plus a short digest
//! of each input. The footer prints the fingerprint's first twelve hex
//! digits; the PDF's keywords carry all of it, so `casepaper verify` can
//! say later whether a printed page still matches the records, and which
//! input changed when it does not.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::load::{CaseFolder, Caseload};
use crate::render::templates::TemplateSet;

/// How many hex digits of the fingerprint the footer shows.
pub const SHORT: usize = 12;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The inputs of one case's documents, by name: `casepaper`, `templates`,
/// `program.yaml`, `logo`, and each record file by its path in the records
/// folder (`ct-2025-0117/plan.yaml`). Values are SHA-256 hex digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs(pub BTreeMap<String, String>);

/// The digest of the whole template set, computed once per run.
pub fn templates_digest(templates: &TemplateSet) -> String {
    let mut h = Sha256::new();
    for (name, bytes) in templates.files() {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes.as_slice());
    }
    hex(&h.finalize())
}

impl Inputs {
    /// The inputs of the documents of the case in `folder`.
    pub fn for_case(
        caseload: &Caseload,
        folder: &CaseFolder,
        templates: &str,
        logo: Option<&[u8]>,
    ) -> Inputs {
        let mut parts = BTreeMap::new();
        parts.insert(
            "casepaper".into(),
            digest(env!("CARGO_PKG_VERSION").as_bytes()),
        );
        parts.insert("templates".into(), templates.to_string());
        let text = |path: &Path| caseload.sources.get(path).map(|t| digest(t.as_bytes()));
        if let Some(program) = &caseload.program {
            parts.insert(
                "program.yaml".into(),
                text(&program.path).unwrap_or_default(),
            );
        }
        if let Some(logo) = logo {
            parts.insert("logo".into(), digest(logo));
        }
        for file in &folder.files {
            let name = file
                .path
                .strip_prefix(&caseload.root)
                .unwrap_or(&file.path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            parts.insert(name, text(&file.path).unwrap_or_default());
        }
        Inputs(parts)
    }

    /// The fingerprint of one document (`stem`, e.g. `contacts`) made from
    /// these inputs.
    pub fn fingerprint(&self, stem: &str) -> String {
        let mut h = Sha256::new();
        h.update(stem.as_bytes());
        for (name, value) in &self.0 {
            h.update([0]);
            h.update(name.as_bytes());
            h.update([0]);
            h.update(value.as_bytes());
        }
        hex(&h.finalize())
    }

    /// The PDF keywords that record the fingerprint and every input's digest.
    pub fn keywords(&self, case_id: &str, stem: &str) -> Vec<String> {
        let mut words = vec![
            format!("casepaper-fingerprint={}", self.fingerprint(stem)),
            format!("case={case_id}"),
            format!("document={stem}"),
        ];
        words.extend(
            self.0
                .iter()
                .map(|(name, value)| format!("input:{name}={}", &value[..value.len().min(16)])),
        );
        words
    }
}

/// What a PDF's keywords say about how it was made.
#[derive(Debug, Default)]
pub struct Stamp {
    pub fingerprint: String,
    pub case_id: String,
    pub stem: String,
    /// Input name to the first 16 hex digits of its digest.
    pub inputs: BTreeMap<String, String>,
}

/// Reads the stamp from a PDF's bytes (its document information keywords).
pub fn read_stamp(pdf: &[u8]) -> Option<Stamp> {
    let start = find(pdf, b"/Keywords(")? + b"/Keywords(".len();
    let len = find(&pdf[start..], b")")?;
    let keywords = std::str::from_utf8(&pdf[start..start + len]).ok()?;
    let mut stamp = Stamp::default();
    for word in keywords.split(", ") {
        if let Some(v) = word.strip_prefix("casepaper-fingerprint=") {
            stamp.fingerprint = v.to_string();
        } else if let Some(v) = word.strip_prefix("case=") {
            stamp.case_id = v.to_string();
        } else if let Some(v) = word.strip_prefix("document=") {
            stamp.stem = v.to_string();
        } else if let Some((name, v)) = word.strip_prefix("input:").and_then(|w| w.rsplit_once('='))
        {
            stamp.inputs.insert(name.to_string(), v.to_string());
        }
    }
    (!stamp.fingerprint.is_empty()).then_some(stamp)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_changes_with_any_input_and_the_document() {
        let mut inputs = Inputs(BTreeMap::from([
            ("a/case.yaml".to_string(), digest(b"one")),
            ("templates".to_string(), digest(b"t")),
        ]));
        let contacts = inputs.fingerprint("contacts");
        assert_eq!(contacts, inputs.fingerprint("contacts"));
        assert_ne!(contacts, inputs.fingerprint("outcomes"));
        inputs.0.insert("a/case.yaml".into(), digest(b"two"));
        assert_ne!(contacts, inputs.fingerprint("contacts"));
    }
}
