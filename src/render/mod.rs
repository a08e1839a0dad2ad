//! Stage 4, render: a validated case to Typst source to PDF bytes.
//!
//! For each document a case has data for, a minijinja template writes Typst
//! markup (every record value escaped on the way, see `escape`), and Typst,
//! compiled in-process, lays it out and exports the PDF. The `Renderer` is
//! made once per run and keeps the template environment, fonts, the Typst
//! library and Typst's caches warm across all documents.

mod context;
pub mod escape;
pub mod i18n;
pub mod profile;
mod source;
pub mod templates;
mod world;
pub use source::{BODY_FOLLOWS, TypstSource};
pub use world::Glyphs;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use chrono::{Datelike, Timelike};
use typst::foundations::{Datetime, Smart};
use typst_kit::diagnostics::{DiagnosticFormat, emit, termcolor};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::{CaseRecord, Kind, ProgramFile, Signature, Signed, text};
use i18n::Translations;
use templates::TemplateSet;
use world::Engine;

/// The documents casepaper produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    Plan,
    Consent,
    ServicesGrid,
    Outcomes,
    Contacts,
    Transition,
    ExitLetter,
    Notice,
    MeetingNotice,
    PublicBenefits,
    AccessRecord,
}

impl DocKind {
    /// The kind of the document named `ident` (`case/stem`).
    fn of_ident(ident: &str) -> Option<DocKind> {
        DocKind::from_stem(ident.rsplit('/').next()?)
    }

    pub const ALL: [DocKind; 11] = [
        DocKind::Plan,
        DocKind::Consent,
        DocKind::ServicesGrid,
        DocKind::Outcomes,
        DocKind::Contacts,
        DocKind::Transition,
        DocKind::ExitLetter,
        DocKind::Notice,
        DocKind::MeetingNotice,
        DocKind::PublicBenefits,
        DocKind::AccessRecord,
    ];

    /// The name used on the command line and for the output file.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Plan => "plan",
            DocKind::Consent => "consent",
            DocKind::ServicesGrid => "services-grid",
            DocKind::Outcomes => "outcomes",
            DocKind::Contacts => "contacts",
            DocKind::Transition => "transition",
            DocKind::ExitLetter => "exit-letter",
            DocKind::Notice => "notice",
            DocKind::MeetingNotice => "meeting-notice",
            DocKind::PublicBenefits => "public-benefits-notice",
            DocKind::AccessRecord => "record-of-access",
        }
    }

    pub fn from_name(name: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The record files a document of this kind is made from (besides the
    /// program file and the templates). Its context holds nothing else, so
    /// its fingerprint covers everything that can change it.
    pub fn reads(self) -> &'static [Kind] {
        match self {
            // Review files are folded into the plan.
            DocKind::Consent | DocKind::ServicesGrid | DocKind::Outcomes => {
                &[Kind::Case, Kind::Plan, Kind::Review]
            }
            // The plan of a meeting shows the transition steps written by then.
            DocKind::Plan => &[Kind::Case, Kind::Plan, Kind::Review, Kind::Transition],
            // The exit date ends the months the contact sheet lists.
            DocKind::Contacts => &[Kind::Case, Kind::Contacts, Kind::Exit],
            DocKind::Transition => &[Kind::Case, Kind::Transition],
            DocKind::ExitLetter => &[Kind::Case, Kind::Exit],
            // A notice of the start or a change of services lists them; one
            // of an exit gives its reason.
            DocKind::Notice => &[
                Kind::Case,
                Kind::Notices,
                Kind::Plan,
                Kind::Review,
                Kind::Exit,
            ],
            // A meeting notice names the transition conference as such.
            DocKind::MeetingNotice => &[
                Kind::Case,
                Kind::Notices,
                Kind::Plan,
                Kind::Review,
                Kind::Transition,
            ],
            // The notification about public benefits is dated in the plan's billing.
            DocKind::PublicBenefits => &[Kind::Case, Kind::Plan],
            // Who saw the records, and the releases the consents give.
            DocKind::AccessRecord => &[Kind::Case, Kind::Plan, Kind::Access],
        }
    }

    /// The documents of this kind `case` makes: none while a file it reads
    /// has errors (of a case with errors, only those its files without
    /// errors make whole).
    pub fn documents_of(self, case: &crate::validate::ValidCase) -> Vec<Document> {
        match self
            .reads()
            .iter()
            .any(|kind| case.with_errors.contains(kind))
        {
            true => Vec::new(),
            false => self.documents(&case.record),
        }
    }

    /// The kind of the document whose output file is `stem`.pdf.
    pub fn from_stem(stem: &str) -> Option<DocKind> {
        if stem.starts_with("consent-") {
            return Some(DocKind::Consent);
        }
        for kind in DocKind::ALL.into_iter().filter(|k| k.per_item()) {
            if stem.starts_with(&format!("{}-", kind.name())) {
                return Some(kind);
            }
        }
        // A document made in several languages ends in its language's code.
        let plain = match stem.rsplit_once('-') {
            Some((kind, lang)) if lang.len() == 2 && DocKind::from_name(stem).is_none() => kind,
            _ => stem,
        };
        DocKind::from_name(plain).filter(|k| !k.per_item())
    }

    /// Documents made one per item (consent occasion, meeting, notice),
    /// named `KIND-DATE...`.
    fn per_item(self) -> bool {
        matches!(
            self,
            DocKind::Plan
                | DocKind::Consent
                | DocKind::Notice
                | DocKind::MeetingNotice
                | DocKind::PublicBenefits
        )
    }

    /// A document of one day (a plan of its meeting, a consent form, a
    /// notice, the exit letter): what it prints is fixed once given or
    /// signed, so its copy names no commit and changes only when what it
    /// prints does. The others follow the case as it goes and name the
    /// records version they were made from.
    pub fn dated(self) -> bool {
        self.per_item() || self == DocKind::ExitLetter
    }

    fn template(self) -> String {
        format!("{}.typ.j2", self.name())
    }

    /// Whether the family is given this document (everything but the
    /// contact sheet, the program's own log of its contacts): it is made in
    /// each language the family's papers are made in.
    pub fn family_facing(self) -> bool {
        self != DocKind::Contacts
    }

    /// The PDFs of this kind the case has data for: one per consent
    /// occasion for the consent form, one per meeting for the plan, else
    /// one or none; a family-facing document once in each of the family's
    /// languages (see `CaseFile::document_languages`), each then named by
    /// its language (`outcomes-es`, `outcomes-en`).
    pub fn documents(self, record: &CaseRecord) -> Vec<Document> {
        let docs = self.items(record);
        let languages = record.case.document_languages();
        if !self.family_facing() || languages.len() < 2 {
            return docs;
        }
        docs.into_iter()
            .flat_map(|doc| {
                languages.iter().map(move |lang| Document {
                    file_stem: format!("{}-{lang}", doc.file_stem),
                    lang: lang.to_string(),
                    ..doc.clone()
                })
            })
            .collect()
    }

    /// One document per item, in the case's language.
    fn items(self, record: &CaseRecord) -> Vec<Document> {
        let lang = &record.case.language;
        let one = |present: bool| {
            if present {
                vec![Document {
                    kind: self,
                    item: None,
                    file_stem: self.name().to_string(),
                    lang: lang.clone(),
                }]
            } else {
                Vec::new()
            }
        };
        let plan = record.plan.as_ref();
        let notices = record.notices.as_ref();
        match self {
            DocKind::Notice => numbered(
                self,
                lang,
                notices
                    .iter()
                    .flat_map(|n| &n.prior_written)
                    .map(|n| format!("notice-{}-{}", n.date, n.action)),
            ),
            DocKind::MeetingNotice => numbered(
                self,
                lang,
                notices
                    .iter()
                    .flat_map(|n| &n.meetings)
                    .map(|n| format!("meeting-notice-{}", n.date)),
            ),
            DocKind::Consent => numbered(
                self,
                lang,
                record
                    .consents()
                    .map(|(_, _, c)| format!("consent-{}-{}", c.date, c.subject())),
            ),
            DocKind::Plan => numbered(
                self,
                lang,
                plan.iter()
                    .flat_map(|p| &p.meetings)
                    .map(|m| format!("plan-{}", m.date)),
            ),
            DocKind::PublicBenefits => numbered(
                self,
                lang,
                (plan.and_then(|p| p.public_notification()))
                    .map(|on| format!("public-benefits-notice-{on}"))
                    .into_iter(),
            ),
            DocKind::AccessRecord => {
                one(record.access.is_some()
                    || record.consents().any(|(_, _, c)| !c.release.is_empty()))
            }
            DocKind::ServicesGrid | DocKind::Outcomes => one(record.plan.is_some()),
            DocKind::Contacts => one(!record.contacts.is_empty()),
            DocKind::Transition => one(record.transition.is_some()),
            DocKind::ExitLetter => one(record.exit.is_some()),
        }
    }
}

/// One document per item (consent occasion or meeting), named by `stems`;
/// a name used twice gets the item's number.
fn numbered(kind: DocKind, lang: &str, stems: impl Iterator<Item = String>) -> Vec<Document> {
    let mut docs: Vec<Document> = Vec::new();
    for (i, mut stem) in stems.enumerate() {
        if docs.iter().any(|d| d.file_stem == stem) {
            stem = format!("{stem}-{}", i + 1);
        }
        docs.push(Document {
            kind,
            item: Some(i),
            file_stem: stem,
            lang: lang.to_string(),
        });
    }
    docs
}

/// One PDF to make for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocKind,
    /// For a consent form, which consent occasion of the plan; for a plan
    /// document, which meeting (by position).
    pub item: Option<usize>,
    /// The output file's name without `.pdf`, e.g. `consent-2025-03-14-initiation`.
    pub file_stem: String,
    /// The code of the language it is written in.
    pub lang: String,
}

impl Document {
    /// The document as people name it, in the words of `catalog` (the
    /// translations of one language): its title (a consent form's by what
    /// it asks, a notice's with its action in English, the desk's
    /// language), the day of its occasion for one of several (a meeting,
    /// a notice, a consent), and its language when the family's papers are
    /// made in more than one (named by `language`).
    pub fn title(
        &self,
        record: &CaseRecord,
        catalog: &i18n::Catalog,
        language: &dyn Fn(&str) -> String,
    ) -> String {
        let text = |key: &str| catalog.text(key, &[]).unwrap_or_else(|| key.to_string());
        let plan = record.plan.as_ref();
        let notices = record.notices.as_ref();
        let nth = |i: Option<usize>| i.unwrap_or_default();
        let (title, day) = match self.kind {
            DocKind::Consent => match record.consents().nth(nth(self.item)) {
                Some((_, _, c)) => (
                    text(&format!("consent.title.{}", c.subject())),
                    Some(c.date),
                ),
                None => (text("document.consent"), None),
            },
            DocKind::Plan => (
                text("document.plan"),
                plan.and_then(|p| p.meetings.get(nth(self.item)))
                    .map(|m| m.date),
            ),
            DocKind::Notice => match notices.and_then(|n| n.prior_written.get(nth(self.item))) {
                Some(n) => (
                    format!("{}: {}", text("document.notice"), n.action.words()),
                    Some(n.date),
                ),
                None => (text("document.notice"), None),
            },
            DocKind::MeetingNotice => (
                text("document.meeting-notice"),
                (notices.and_then(|n| n.meetings.get(nth(self.item)))).map(|n| n.date),
            ),
            kind => (text(&format!("document.{}", kind.name())), None),
        };
        let mut words = title;
        if let Some(day) = day {
            words = format!("{words}, {}", crate::model::day(day));
        }
        let several = self.kind.family_facing() && record.case.document_languages().len() > 1;
        if several {
            words = format!("{words} ({})", language(&self.lang));
        }
        words
    }
}

/// Where a document came from, as the PDF records it: the short
/// fingerprint and the commit for the footer, the keywords for the metadata.
pub struct Stamp {
    pub fingerprint: String,
    /// The records' short commit id, when they are in git and committed.
    pub commit: Option<String>,
    /// The records are in git but an input has uncommitted changes.
    pub uncommitted: bool,
    pub keywords: Vec<String>,
}

impl Stamp {
    /// No fingerprint, commit or keywords: what a document is made with to
    /// find its content's digest.
    pub fn blank() -> Stamp {
        Stamp {
            fingerprint: String::new(),
            commit: None,
            uncommitted: false,
            keywords: Vec::new(),
        }
    }
}

/// A signature a document still needs, and where the record lists it.
pub struct OwedSignature<'a> {
    pub signature: &'a Signature,
    /// The record file that lists it.
    pub file: Kind,
    /// Its JSON pointer in that file.
    pub pointer: String,
    /// For a meeting kept in a review file: that file's date.
    pub review: Option<chrono::NaiveDate>,
    /// How it is written in the record once given.
    pub how_to_record: &'static str,
}

impl Document {
    /// The document's name without the language a copy is named by: the
    /// same for each copy of one document in the family's languages.
    pub fn base_stem(&self) -> &str {
        self.file_stem
            .strip_suffix(&format!("-{}", self.lang))
            .unwrap_or(&self.file_stem)
    }

    /// The day the document is of, which its footer calls the record date:
    /// a dated document's own day (a consent's, its meeting's for a plan,
    /// the day a notice was given, the exit letter's), so that nothing
    /// recorded later makes it look backdated; a document that follows the
    /// case as it goes (the contact sheet, the services grid, the outcomes
    /// page, the transition plan) is of the newest date in what it reads.
    pub fn record_date(&self, record: &CaseRecord) -> chrono::NaiveDate {
        let notices = record.notices.as_ref();
        let own = self.item.and_then(|i| match self.kind {
            DocKind::Consent => record.consents().nth(i).map(|(_, _, c)| c.date),
            DocKind::Plan => record.plan.as_ref()?.meetings.get(i).map(|m| m.date),
            DocKind::Notice => notices?.prior_written.get(i).map(|n| n.given_on),
            DocKind::MeetingNotice => notices?.meetings.get(i).map(|n| n.given_on),
            DocKind::PublicBenefits => record.plan.as_ref()?.public_notification(),
            _ => None,
        });
        let own = match self.kind {
            DocKind::ExitLetter => record.exit.as_ref().map(|e| e.letter_date),
            _ => own,
        };
        own.unwrap_or_else(|| record.newest_date(self.kind.reads()))
    }

    /// The signatures this document lists that have not been given yet.
    pub fn owed_signatures<'a>(&self, record: &'a CaseRecord) -> Vec<OwedSignature<'a>> {
        let signed = match (self.kind, self.item) {
            (DocKind::Consent, Some(i)) => Signed::Consent(i),
            (DocKind::Plan, Some(i)) => Signed::Meeting(i),
            (DocKind::Transition, _) => Signed::Transition,
            (DocKind::ExitLetter, _) => Signed::Exit,
            _ => return Vec::new(),
        };
        let lists = record.signature_lists();
        let Some(list) = lists.into_iter().find(|l| l.signed == signed) else {
            return Vec::new();
        };
        list.owed()
            .map(|(j, signature)| OwedSignature {
                signature,
                file: list.file,
                pointer: list.entry_pointer(j),
                review: list.review,
                how_to_record: list.how_to_record(),
            })
            .collect()
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

/// Renders documents, keeping everything reusable warm between them. One
/// renderer serves every thread of a run.
pub struct Renderer {
    env: minijinja::Environment<'static>,
    engine: Engine,
    pub timings: Timings,
    /// Typst's own timing by kind, when `render --profile` asks.
    pub profile: profile::Profile,
}

/// Where rendering time went, summed over all threads, in nanoseconds.
#[derive(Debug, Default)]
pub struct Timings {
    /// minijinja: records to Typst source.
    pub template: AtomicU64,
    /// Typst: source to laid-out pages.
    pub compile: AtomicU64,
    /// typst-pdf: pages to PDF bytes.
    pub export: AtomicU64,
    /// By document kind (in `DocKind::ALL`'s order): documents made, and
    /// their compile and export time.
    pub by_kind: [KindTimings; DocKind::ALL.len()],
}

/// One document kind's share of the rendering time, in nanoseconds.
#[derive(Debug, Default)]
pub struct KindTimings {
    pub documents: AtomicU64,
    pub compile: AtomicU64,
    pub export: AtomicU64,
}

impl Timings {
    /// The counters of a kind of document.
    fn of_kind(&self, kind: DocKind) -> Option<&KindTimings> {
        let at = DocKind::ALL.iter().position(|k| *k == kind)?;
        self.by_kind.get(at)
    }
}

/// Adds the time since `start` to `counter`.
pub fn add_since(counter: &AtomicU64, start: Instant) {
    counter.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// Typst's memoization cache is aged after every document, and what went
/// unused for `CACHE_AGE` agings is dropped: what the templates share
/// (the parsed and evaluated `casepaper.typ`, shaped text of the fixed
/// wording) stays warm, what belonged to one case's text goes, and memory
/// stays bounded on runs of any length. Aging after every document keeps
/// the cache small, so each walk of it is short: on 100 generated cases
/// (1,070 documents, 2 cores) peak memory fell from 276-286 MB (every 8th
/// document, age 2) to 177-181 MB and the render from 15.4-16.3 s to
/// 14.9-15.4 s; age 10 was slower and larger, age 2 no better.
const CACHE_AGE: usize = 4;

impl Renderer {
    pub fn new(
        templates: TemplateSet,
        translations: Arc<Translations>,
    ) -> Result<Renderer, crate::Error> {
        let env = templates
            .environment(translations)
            .map_err(crate::Error::Templates)?;
        Ok(Renderer {
            env,
            engine: Engine::new(templates),
            timings: Timings::default(),
            profile: profile::Profile::default(),
        })
    }

    /// The Typst source of one document.
    pub fn typst_source(
        &self,
        program: &ProgramFile,
        record: &CaseRecord,
        doc: &Document,
        stamp: &Stamp,
    ) -> Result<TypstSource, RenderError> {
        let start = Instant::now();
        let ctx = context::document(program, record, doc, stamp);
        let ctx = text::in_language(&doc.lang, &record.case.language, || {
            minijinja::context! {
                lang => doc.lang.as_str(),
                words => record.words_profile(program),
                ctx => minijinja::Value::from(minijinja::value::Serde(&ctx)),
            }
        });
        let source = templates::render(&self.env, &doc.kind.template(), ctx)
            .map(TypstSource::new)
            .map_err(RenderError);
        add_since(&self.timings.template, start);
        source
    }

    /// The digest of what `doc` prints (see `provenance::content_digest`):
    /// its Typst source made with a blank stamp.
    pub fn content_digest(
        &self,
        program: &ProgramFile,
        record: &CaseRecord,
        doc: &Document,
    ) -> Result<String, RenderError> {
        let source = self.typst_source(program, record, doc, &Stamp::blank())?;
        Ok(crate::provenance::content_digest(source.text()))
    }

    /// The Typst source of another template (the caseload report), with a
    /// context of its own.
    pub fn source(
        &self,
        template: &str,
        ctx: minijinja::Value,
    ) -> Result<TypstSource, RenderError> {
        templates::render(&self.env, template, ctx)
            .map(TypstSource::new)
            .map_err(RenderError)
    }

    /// Compiles Typst source and gives the text it lays out, one text run a
    /// line, in the order the runs are placed: what a PDF's text layer is
    /// made from. Tests and the escaper's fuzz target use it to see what a
    /// value prints as without exporting a PDF.
    pub fn laid_out_text(&self, source: String) -> Result<String, RenderError> {
        contained(|| self.laid_out_text_unguarded(TypstSource::new(source)))
    }

    fn laid_out_text_unguarded(&self, source: TypstSource) -> Result<String, RenderError> {
        let document = self.compile(&source)?;
        let mut text = String::new();
        for page in document.pages() {
            collect_text(&page.frame, &mut text);
        }
        self.age_caches();
        Ok(text)
    }

    /// Lays out one document, with Typst's errors as text.
    fn compile(&self, source: &TypstSource) -> Result<PagedDocument, RenderError> {
        compile(&self.engine.world(source.text().to_string()))
            .map_err(|handed| self.as_written(source, handed))
    }

    /// An error compiling what Typst was handed, described at the line the
    /// template wrote: the source as written is compiled for it (an error
    /// inside the body is otherwise placed at `document-body`). Should the
    /// source as written compile, the error is the hand-over's own, as is.
    fn as_written(&self, source: &TypstSource, handed: RenderError) -> RenderError {
        match source.as_written() {
            Some(written) => compile(&self.engine.world(written.to_string()))
                .err()
                .unwrap_or(handed),
            None => handed,
        }
    }

    /// Ages Typst's caches after a document (see `CACHE_AGE`).
    fn age_caches(&self) {
        typst::comemo::evict(CACHE_AGE);
    }

    /// Compiles Typst source to PDF bytes, conforming to PDF/A-2a (archival)
    /// and PDF/UA-1 (accessible) together; a document that cannot conform is
    /// an error, never a silent downgrade. `ident` names the document stably
    /// (`case/kind`), and `dated` is its creation date (UTC), taken from the
    /// records so the same records give the same bytes.
    pub fn pdf(
        &self,
        source: TypstSource,
        ident: String,
        dated: chrono::NaiveDateTime,
    ) -> Result<Vec<u8>, RenderError> {
        contained(|| self.pdf_unguarded(source, ident, dated))
    }

    fn pdf_unguarded(
        &self,
        source: TypstSource,
        ident: String,
        dated: chrono::NaiveDateTime,
    ) -> Result<Vec<u8>, RenderError> {
        let mut profiled = self.profile.one_at_a_time();
        let start = Instant::now();
        let world = self.engine.world(source.text().to_string());
        let document = compile(&world).map_err(|handed| self.as_written(&source, handed));
        add_since(&self.timings.compile, start);
        let doc_kind = DocKind::of_ident(&ident);
        let kind = doc_kind.and_then(|k| self.timings.of_kind(k));
        if let Some(kind) = kind {
            add_since(&kind.compile, start);
            kind.documents.fetch_add(1, Ordering::Relaxed);
        }
        let document = document?;
        let start = Instant::now();
        let standards = PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
            .map_err(|e| RenderError(format!("PDF standards: {}", e.message())))?;
        let date = Datetime::from_ymd_hms(
            dated.year(),
            dated.month() as u8,
            dated.day() as u8,
            dated.hour() as u8,
            dated.minute() as u8,
            dated.second() as u8,
        )
        .ok_or_else(|| RenderError(format!("{dated} cannot be a PDF date")))?;
        let options = PdfOptions {
            ident: Smart::Custom(ident),
            creator: Smart::Custom(Some(format!("casepaper {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(date)),
            standards,
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&document, &options)
            .map_err(|errors| RenderError(describe(&world, &errors)));
        self.age_caches();
        add_since(&self.timings.export, start);
        if let Some(kind) = kind {
            add_since(&kind.export, start);
        }
        if let (Some(held), Some(doc_kind)) = (profiled.as_mut(), doc_kind) {
            profile::Profile::record(held, doc_kind, &world);
        }
        pdf
    }
}

/// How an error from a panic inside Typst starts.
pub const INTERNAL: &str = "the typesetting engine stopped with an internal error";

thread_local! {
    /// Set while this thread runs Typst: a panic's message is kept here
    /// instead of printed.
    static IN_TYPST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static PANIC_MESSAGE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs Typst work so that a panic inside Typst (a fault in the engine, which
/// some unusual text has triggered) fails this one document with an error
/// instead of ending the run: the other documents and cases are still made.
fn contained<T>(work: impl FnOnce() -> Result<T, RenderError>) -> Result<T, RenderError> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_TYPST.with(|flag| flag.get()) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                // Where, from the crate's folder on: `typst-layout-0.15.1/src/...`.
                let place = info
                    .location()
                    .map(|l| {
                        let file = l.file();
                        let from = file
                            .rfind("/src/")
                            .and_then(|i| file[..i].rfind('/').map(|j| j + 1))
                            .unwrap_or(0);
                        format!(", in {}:{}", &file[from..], l.line())
                    })
                    .unwrap_or_default();
                PANIC_MESSAGE.with(|m| *m.borrow_mut() = Some(format!("{message}{place}")));
            } else {
                default(info);
            }
        }));
    });
    IN_TYPST.with(|flag| flag.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    IN_TYPST.with(|flag| flag.set(false));
    result.unwrap_or_else(|_| {
        let message = PANIC_MESSAGE
            .with(|m| m.borrow_mut().take())
            .unwrap_or_default();
        Err(RenderError(format!(
            "{INTERNAL}: {message}. This is a fault in casepaper, not a mistake in the record; \
             the other documents were made. Unusual characters in the case's text (a combining \
             mark after a direction control, for example) can cause it, and retyping that text \
             usually helps. Please report it to whoever supports casepaper."
        )))
    })
}

/// Lays out one document, with Typst's errors as text.
fn compile(world: &world::DocWorld<'_>) -> Result<PagedDocument, RenderError> {
    typst::compile::<PagedDocument>(world)
        .output
        .map_err(|errors| RenderError(describe(world, &errors)))
}

/// Appends the text runs of a frame and the frames it holds, one a line.
fn collect_text(frame: &typst::layout::Frame, out: &mut String) {
    use typst::layout::FrameItem;
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect_text(&group.frame, out),
            FrameItem::Text(run) => {
                out.push_str(&run.text);
                out.push('\n');
            }
            _ => {}
        }
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

#[cfg(test)]
mod tests {
    use super::escape::typst_text;
    use super::{INTERNAL, RenderError, Renderer, contained};

    /// The text runs of a one-paragraph document, in the order they are
    /// placed on the line.
    fn runs(markup: &str) -> Vec<String> {
        let templates = super::templates::TemplateSet::load(None).unwrap();
        let translations = std::sync::Arc::new(templates.translations().unwrap());
        let renderer = Renderer::new(templates, translations).unwrap();
        let source = format!("#set text(font: \"Noto Sans\")\n{markup}\n");
        let text = renderer.laid_out_text(source).unwrap();
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_right_to_left_value_keeps_to_itself_on_the_line() {
        // Without the isolate the separator after a Hebrew name is drawn
        // before it, and the next value's number beside it: the runs are
        // placed "With: ", "; ", "שלום", "12", " Bea".
        let placed = runs(&format!(
            "With: {}; {}",
            typst_text("\u{5e9}\u{5dc}\u{5d5}\u{5dd}"),
            typst_text("12 Bea")
        ));
        let at = |needle: &str| placed.iter().position(|r| r.contains(needle)).unwrap();
        assert!(at("\u{5e9}") < at(";"), "{placed:?}");
        assert!(at(";") <= at("12 Bea"), "{placed:?}");
    }

    #[test]
    fn a_panic_inside_typst_work_fails_that_document_with_a_plain_error() {
        let failed = contained::<()>(|| panic!("glyphs fell out of range"));
        let message = failed.unwrap_err().0;
        assert!(message.starts_with(INTERNAL), "{message}");
        assert!(
            message.contains("glyphs fell out of range, in "),
            "{message}"
        );
        assert!(message.contains("not a mistake in the record"), "{message}");
        // The next document is made as usual.
        assert_eq!(contained(|| Ok::<_, RenderError>(7)).ok(), Some(7));
        let error = contained::<()>(|| Err(RenderError("a Typst error".into())));
        assert_eq!(error.unwrap_err().0, "a Typst error");
    }
}
