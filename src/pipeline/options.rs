//! What a render makes, and how: the options a command gives the
//! render run, part of every case's stamp.

use crate::error::{Error, Result};
use crate::render::DocKind;

/// What a render makes, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// The kinds of document to make (every kind by default).
    pub kinds: Vec<DocKind>,
    /// Only fully signed documents: a document still owing a signature is
    /// refused, and reported as a finding.
    pub final_only: bool,
    /// Also write each document's Typst source beside its PDF.
    pub emit_typst: bool,
    /// Make every document, even those the output folder has current.
    pub force: bool,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            kinds: DocKind::ALL.to_vec(),
            final_only: false,
            emit_typst: false,
            force: false,
        }
    }
}

impl RenderOptions {
    /// The kinds `only` names (every kind when it names none).
    pub fn kinds(only: &[String]) -> Result<Vec<DocKind>> {
        let mut kinds = Vec::new();
        for name in only {
            let kind = DocKind::from_name(name.trim()).ok_or_else(|| {
                let all = DocKind::ALL.map(DocKind::name).join(", ");
                Error::Usage(format!(
                    "--only: `{name}` is not a document; the documents are {all}"
                ))
            })?;
            kinds.push(kind);
        }
        if kinds.is_empty() {
            kinds = DocKind::ALL.to_vec();
        }
        Ok(kinds)
    }

    /// The options as part of a case's stamp: a case made with other
    /// documents chosen is not current.
    pub(super) fn stamp(&self) -> String {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.name()).collect();
        let emit = if self.emit_typst {
            "Some(Typst)"
        } else {
            "None"
        };
        format!(
            "documents={} final={} emit={emit}",
            kinds.join(","),
            self.final_only
        )
    }
}
