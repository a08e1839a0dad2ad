//! Stage 4, render: a validated case to Typst source to PDF bytes.
//!
//! For each document a case has data for, a minijinja template writes Typst
//! markup (every record value escaped on the way, see `escape`), and Typst,
//! compiled in-process, lays it out and exports the PDF. The `Renderer` is
//! made once per run and keeps the template environment, fonts, the Typst
//! library and Typst's caches warm across all documents.

mod context;
pub mod escape;
pub mod templates;
mod world;

use std::fmt;

use typst::foundations::Smart;
use typst_kit::diagnostics::{DiagnosticFormat, emit, termcolor};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::model::{CaseRecord, ProgramFile};
use templates::TemplateSet;
use world::Engine;

/// The documents casepaper produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Consent,
    ServicesGrid,
    Outcomes,
    Contacts,
    Transition,
    ExitLetter,
}

impl DocKind {
    pub const ALL: [DocKind; 6] = [
        DocKind::Consent,
        DocKind::ServicesGrid,
        DocKind::Outcomes,
        DocKind::Contacts,
        DocKind::Transition,
        DocKind::ExitLetter,
    ];

    /// The name used on the command line and for the output file.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Consent => "consent",
            DocKind::ServicesGrid => "services-grid",
            DocKind::Outcomes => "outcomes",
            DocKind::Contacts => "contacts",
            DocKind::Transition => "transition",
            DocKind::ExitLetter => "exit-letter",
        }
    }

    pub fn from_name(name: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The document's title as printed.
    pub fn title(self) -> &'static str {
        match self {
            DocKind::Consent => "Consent for Services",
            DocKind::ServicesGrid => "Services Grid",
            DocKind::Outcomes => "Outcomes Page",
            DocKind::Contacts => "Service Coordination Contact Sheet",
            DocKind::Transition => "Transition Plan",
            DocKind::ExitLetter => "Notice of Exit from Services",
        }
    }

    fn template(self) -> String {
        format!("{}.typ.j2", self.name())
    }

    /// Whether the case has the data this document is made from.
    pub fn applies_to(self, record: &CaseRecord) -> bool {
        match self {
            DocKind::Consent | DocKind::ServicesGrid | DocKind::Outcomes => record.plan.is_some(),
            DocKind::Contacts => !record.contacts.is_empty(),
            DocKind::Transition => record.transition.is_some(),
            DocKind::ExitLetter => record.exit.is_some(),
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why one document could not be rendered.
#[derive(Debug)]
pub struct RenderError(pub String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Renders documents, keeping everything reusable warm between them.
pub struct Renderer {
    env: minijinja::Environment<'static>,
    engine: Engine,
}

impl Renderer {
    pub fn new(templates: TemplateSet) -> Result<Renderer, String> {
        let env = templates.environment()?;
        Ok(Renderer {
            env,
            engine: Engine::new(templates),
        })
    }

    /// The Typst source of one document.
    pub fn typst_source(
        &self,
        program: &ProgramFile,
        record: &CaseRecord,
        kind: DocKind,
    ) -> Result<String, RenderError> {
        let ctx = context::document(program, record, kind);
        let ctx =
            minijinja::context! { ctx => minijinja::Value::from(minijinja::value::Serde(&ctx)) };
        templates::render(&self.env, &kind.template(), ctx).map_err(RenderError)
    }

    /// Compiles Typst source to PDF bytes.
    pub fn pdf(&self, source: String, ident: String) -> Result<Vec<u8>, RenderError> {
        let world = self.engine.world(source);
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errors| RenderError(describe(&world, &errors)))?;
        let options = PdfOptions {
            ident: Smart::Custom(ident),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| RenderError(describe(&world, &errors)))
    }
}

/// Typst's diagnostics as text, printed by typst-kit (codespan underneath).
fn describe(world: &world::DocWorld<'_>, errors: &[typst::diag::SourceDiagnostic]) -> String {
    let mut buffer = termcolor::Buffer::no_color();
    if emit(&mut buffer, world, errors, DiagnosticFormat::Human).is_err() {
        return errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ");
    }
    String::from_utf8_lossy(buffer.as_slice())
        .trim_end()
        .to_string()
}
