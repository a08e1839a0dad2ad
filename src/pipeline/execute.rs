//! Planning a render (which documents, which refused for owed signatures)
//! and carrying it out: each case's inputs, every document in parallel,
//! each PDF written as soon as it is made, and what was made told to the
//! incremental state.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::incremental::{CaseInputs, Incremental};
use super::options::RenderOptions;
use super::records::Valid;
use crate::error::{Error, Result};
use crate::finding::{self, Finding};
use crate::model::ProgramFile;
use crate::output;
use crate::parallel;
use crate::provenance::{self, DocumentInputs, Version};
use crate::render::{DocKind, Document, RenderError, Renderer, Stamp, add_since};
use crate::validate::ValidCase;

/// Told of each document as it is done (a progress bar); `()` is told
/// nothing.
pub trait Sink: Sync {
    /// `documents` more are to be made (a batch was planned).
    fn planned(&self, _documents: usize) {}
    fn document_done(&self) {}
}

impl Sink for () {}

/// What one render leaves for the next in the same process (`watch`): the
/// renderer, with its fonts, Typst library and template environment, for as
/// long as the templates and the logo stay the same. (Typst's own caches
/// are process-wide and stay warm either way.)
#[derive(Default)]
pub struct Warm {
    renderer: Option<(RendererKey, Renderer)>,
}

/// What a renderer is made from: the template set's digest and the logo.
type RendererKey = (String, Option<Vec<u8>>);

impl Warm {
    /// The renderer for the templates and logo of `valid`: the one kept, if
    /// they are the same, else a new one.
    pub fn renderer(&mut self, valid: &Valid) -> Result<&Renderer> {
        let logo = valid.validated.logo.clone();
        let key = (valid.templates.digest.clone(), logo.clone());
        if self
            .renderer
            .as_ref()
            .is_none_or(|(made_for, _)| *made_for != key)
        {
            self.renderer = None;
            let mut templates = valid.templates.set.clone();
            let named = valid.program().and_then(|p| p.program.logo.as_ref());
            if let (Some(named), Some(bytes)) = (named, logo) {
                templates.insert(named.asset_name(), bytes);
            }
            let renderer = Renderer::new(templates, valid.templates.translations.clone())?;
            self.renderer = Some((key, renderer));
        }
        Ok(&self.renderer.as_ref().expect("made above").1)
    }
}

/// A document that could not be made.
pub struct DocumentFailure {
    /// Its path in the output folder (`ct-2025-0117/contacts.pdf`).
    pub pdf_name: String,
    pub case_id: String,
    pub error: RenderError,
}

/// What a render did.
#[derive(Default)]
pub struct Report {
    /// Documents written.
    pub written: usize,
    /// Documents left as they were, being current.
    pub unchanged: usize,
    /// Documents that could not be made, in case and document order.
    pub failed: Vec<DocumentFailure>,
    /// The output folder could not be written: the first such error (the
    /// documents after it were not attempted).
    pub write_error: Option<Error>,
    /// The manifest could not be written (the next render makes every
    /// document again).
    pub manifest_error: Option<std::io::Error>,
    /// Wall time of making the documents.
    pub render_wall: Duration,
    /// Time the threads spent on documents, summed.
    pub busy: Duration,
    /// Documents removed because no record makes them any more.
    pub removed: Vec<String>,
}

impl Report {
    /// Adds what another batch of the same render did.
    pub fn absorb(&mut self, other: Report) {
        self.written += other.written;
        self.unchanged += other.unchanged;
        self.failed.extend(other.failed);
        if self.write_error.is_none() {
            self.write_error = other.write_error;
        }
        if self.manifest_error.is_none() {
            self.manifest_error = other.manifest_error;
        }
        self.render_wall += other.render_wall;
        self.busy += other.busy;
        self.removed.extend(other.removed);
    }

    /// Ends a render: removes the documents no record makes any more
    /// (`made_by_records`: every document the records of each rendered
    /// case make, by case id) and saves the manifest. After an error
    /// writing the output folder nothing is removed, and the manifest is
    /// saved as far as it goes.
    pub fn finish(
        &mut self,
        incremental: &mut Incremental,
        made_by_records: &HashMap<String, HashSet<String>>,
    ) {
        if self.write_error.is_none() {
            self.removed = incremental.remove_stale(made_by_records);
        }
        if self.write_error.is_some() {
            let _ = incremental.save();
        } else if let Err(e) = incremental.save() {
            self.manifest_error = Some(e);
        }
    }
}

/// One case's documents to make.
struct Job<'v> {
    case: &'v ValidCase,
    docs: Vec<Document>,
}

/// The documents a render makes from valid records.
pub struct Build<'v> {
    valid: &'v Valid,
    options: RenderOptions,
    jobs: Vec<Job<'v>>,
    /// Validation's findings and the signatures `--final` found owed.
    findings: Vec<Finding>,
    /// The signatures `--final` found owed, one finding each.
    owed: Vec<Finding>,
    refused: usize,
}

impl<'v> Build<'v> {
    /// Chooses each valid case's documents, and of a case with errors
    /// those its files without errors make; with `final_only`, a document
    /// still owing a signature is refused and reported like any other
    /// finding in the records.
    pub fn plan(valid: &'v Valid, options: &RenderOptions) -> Build<'v> {
        let mut owed = Vec::new();
        let mut jobs = Vec::new();
        for case in valid.cases().iter().chain(valid.partial()) {
            let mut docs = Vec::new();
            for &kind in &options.kinds {
                for doc in kind.documents_of(case) {
                    let found = if options.final_only {
                        owed_findings(valid, case, &doc)
                    } else {
                        Vec::new()
                    };
                    if found.is_empty() {
                        docs.push(doc);
                    }
                    // A document's copies in other languages owe the same.
                    for finding in found {
                        if !owed.iter().any(|f: &Finding| f.message == finding.message) {
                            owed.push(finding);
                        }
                    }
                }
            }
            jobs.push(Job { case, docs });
        }
        let refused = owed.len();
        let mut findings = valid.findings().to_vec();
        findings.extend(owed.iter().cloned());
        finding::sort(&mut findings);
        Build {
            valid,
            options: options.clone(),
            jobs,
            findings,
            owed,
            refused,
        }
    }

    /// The signatures `--final` found owed (also among [`Build::findings`]).
    pub fn owed(&self) -> &[Finding] {
        &self.owed
    }

    /// How many valid cases the build makes documents for.
    pub fn cases(&self) -> usize {
        let whole = self
            .jobs
            .iter()
            .filter(|job| job.case.with_errors.is_empty());
        whole.count()
    }

    /// The folders of the cases with errors the build makes some documents
    /// for (those their files without errors make).
    pub fn partly(&self) -> Vec<PathBuf> {
        (self.jobs.iter())
            .filter(|job| !job.case.with_errors.is_empty() && !job.docs.is_empty())
            .map(|job| job.case.dir.clone())
            .collect()
    }

    /// Every finding: validation's and the owed signatures'.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// How many documents `--final` refused for an owed signature.
    pub fn refused(&self) -> usize {
        self.refused
    }

    /// How many documents the build makes (or finds current).
    pub fn documents(&self) -> usize {
        self.jobs.iter().map(|job| job.docs.len()).sum()
    }

    /// Makes the documents in parallel, one renderer (fonts, library,
    /// caches) shared by every thread, each PDF written as soon as it is
    /// made; tells `incremental` what was made, removes the documents no
    /// record makes any more and saves the manifest. Without a valid
    /// program file nothing is made.
    pub fn execute(
        &self,
        renderer: &Renderer,
        incremental: &mut Incremental,
        sink: &dyn Sink,
    ) -> Report {
        let mut report = self.execute_batch(renderer, incremental, sink);
        report.finish(incremental, &self.made_by_records());
        report
    }

    /// Makes the documents as [`Build::execute`] does, for a render that
    /// goes a batch of cases at a time: the manifest is told what was made,
    /// but stale documents are left and the manifest is not saved until
    /// [`Report::finish`], once every batch is made.
    pub fn execute_batch(
        &self,
        renderer: &Renderer,
        incremental: &mut Incremental,
        sink: &dyn Sink,
    ) -> Report {
        let Some(program) = self.valid.program() else {
            return Report::default();
        };
        let caseload = &self.valid.caseload;
        let mut report = Report {
            unchanged: incremental.unchanged_documents(&caseload.skipped),
            ..Report::default()
        };
        let start = Instant::now();
        let shared: &Incremental = incremental;
        // Each case's inputs first (its documents share them), then every
        // document of every case is one item of work, so one case's
        // documents use every core too. Outcomes come back in order, so
        // messages and the manifest do not depend on which thread finished
        // first.
        let cases: Vec<Option<CaseInputs>> = parallel::map(&self.jobs, |job| {
            let folder = caseload.folder(&job.case.dir)?;
            Some(shared.case_inputs(caseload, folder))
        });
        let documents: Vec<(usize, &Document)> = self
            .jobs
            .iter()
            .enumerate()
            .filter(|(i, _)| cases[*i].is_some())
            .flat_map(|(i, job)| job.docs.iter().map(move |doc| (i, doc)))
            .collect();
        let run = Run {
            build: self,
            renderer,
            program,
            incremental: shared,
            cases: &cases,
            sink,
            stop: AtomicBool::new(false),
            busy: AtomicU64::new(0),
        };
        // Documents are made kind by kind (the batch's plans, then its
        // consent forms ...): what documents of a kind share (the fixed
        // wording, the letterhead, the tables' headers) is then laid out
        // once and found again by the next before Typst's cache lets it go
        // (see `render::CACHE_AGE`). A cold render of 100 generated cases
        // took 9.4-10.2 s so against 11.1-13.7 s case by case (three runs
        // each, alternated), with the same pages.
        let outcomes =
            parallel::map_taken_by(&documents, |&(_, doc)| doc.kind, |item| run.document(item));
        report.busy = Duration::from_nanos(run.busy.load(Ordering::Relaxed));
        report.render_wall = start.elapsed();
        let made = self.tally(outcomes, &documents, incremental, &mut report);
        self.settle_cases(&cases, &made, incremental);
        report
    }

    /// Every document each rendered case's records make, of any kind (also
    /// those this render does not make, as with `--only`), by case id.
    /// A case with errors is left out: what its files with errors make
    /// is not known, so none of its documents is taken for stale.
    pub fn made_by_records(&self) -> HashMap<String, HashSet<String>> {
        self.jobs
            .iter()
            .filter(|job| job.case.with_errors.is_empty())
            .map(|job| {
                let record = &job.case.record;
                let id = &record.case.case_id;
                let files = DocKind::ALL
                    .iter()
                    .flat_map(|kind| kind.documents(record))
                    .map(|doc| format!("{id}/{}.pdf", doc.file_stem))
                    .collect();
                (id.clone(), files)
            })
            .collect()
    }

    /// Counts what became of each document and tells the manifest; gives,
    /// per case, whether all its documents were made (or current).
    fn tally(
        &self,
        outcomes: Vec<Outcome>,
        documents: &[(usize, &Document)],
        incremental: &mut Incremental,
        report: &mut Report,
    ) -> Vec<bool> {
        let mut case_made = vec![true; self.jobs.len()];
        for (outcome, &(i, _)) in outcomes.into_iter().zip(documents) {
            case_made[i] &= outcome.result.is_ok();
            match outcome.result {
                Ok(true) => {
                    incremental.made(outcome.pdf_name, outcome.key);
                    report.written += 1;
                }
                Ok(false) => report.unchanged += 1,
                Err(Failure::Document(error)) => {
                    incremental.not_made(&outcome.pdf_name);
                    report.failed.push(DocumentFailure {
                        pdf_name: outcome.pdf_name,
                        case_id: self.jobs[i].case.record.case.case_id.clone(),
                        error,
                    });
                }
                Err(Failure::Write(error)) => {
                    incremental.not_made(&outcome.pdf_name);
                    report.write_error.get_or_insert(error);
                }
                Err(Failure::Skipped) => {}
            }
        }
        case_made
    }

    /// A case whose documents were all made, with nothing to report about
    /// it, is kept whole in the manifest; any other is parsed next time.
    fn settle_cases(
        &self,
        cases: &[Option<CaseInputs>],
        made: &[bool],
        incremental: &mut Incremental,
    ) {
        let flagged: HashSet<&Path> = self
            .findings
            .iter()
            .flat_map(|f| [Some(f.file.as_path()), f.file.parent()])
            .flatten()
            .collect();
        for (i, job) in self.jobs.iter().enumerate() {
            let dir = job.case.dir.as_path();
            match &cases[i] {
                Some(inputs) if made[i] && !flagged.contains(dir) => {
                    let case_id = &job.case.record.case.case_id;
                    let mut files = Vec::new();
                    for doc in &job.docs {
                        let name = format!("{case_id}/{}", doc.file_stem);
                        files.push(format!("{name}.pdf"));
                        if self.options.emit_typst {
                            files.push(format!("{name}.typ"));
                        }
                    }
                    incremental.keep_case(dir, inputs.stamp.clone(), case_id, files);
                }
                _ => incremental.forget_case(dir),
            }
        }
        for dir in &self.valid.validated.rejected {
            incremental.forget_case(dir);
        }
    }
}

/// What became of one document.
struct Outcome {
    /// Its path in the output folder.
    pdf_name: String,
    /// Its stamp for the manifest.
    key: String,
    /// Written (true) or current (false).
    result: std::result::Result<bool, Failure>,
}

enum Failure {
    /// The document could not be made (its inputs or templates).
    Document(RenderError),
    /// The output folder cannot be written: nothing else could be either.
    Write(Error),
    /// Not attempted, because the output folder could not be written.
    Skipped,
}

/// What every document of one execution shares.
struct Run<'r, 'v> {
    build: &'r Build<'v>,
    renderer: &'r Renderer,
    program: &'r ProgramFile,
    incremental: &'r Incremental,
    cases: &'r [Option<CaseInputs>],
    sink: &'r dyn Sink,
    /// Set once the output folder cannot be written.
    stop: AtomicBool,
    /// Nanoseconds spent on documents, summed over threads.
    busy: AtomicU64,
}

impl Run<'_, '_> {
    /// Makes the document of case `i`, unless the output folder has it
    /// current.
    fn document(&self, &(i, doc): &(usize, &Document)) -> Outcome {
        let doc_start = Instant::now();
        let case = self.build.jobs[i].case;
        let inputs = self.cases[i]
            .as_ref()
            .expect("documents of cases without a folder are not listed");
        let version = self.incremental.version(inputs, doc.kind);
        let case_id = &case.record.case.case_id;
        let pdf_name = format!("{case_id}/{}.pdf", doc.file_stem);
        let typ_name = format!("{case_id}/{}.typ", doc.file_stem);
        let content = self
            .renderer
            .content_digest(self.program, &case.record, doc);
        let stamped = content.map(|content| {
            let doc_inputs = DocumentInputs {
                stem: &doc.file_stem,
                content: &content,
                files: (!doc.kind.dated()).then(|| doc.kind.reads()),
            };
            let fingerprint = inputs.inputs.fingerprint(&doc.file_stem, &content);
            let keywords = inputs.inputs.keywords(case_id, &doc_inputs, &version);
            (fingerprint, keywords)
        });
        // Everything the PDF's bytes are made from besides the document's
        // content: its keywords and whether the records are committed.
        let key = match &stamped {
            Ok((_, keywords)) => format!(
                "{} {}",
                provenance::digest(keywords.join(", ").as_bytes()),
                version.label()
            ),
            Err(_) => String::new(),
        };
        let mut wanted = vec![pdf_name.as_str()];
        if self.build.options.emit_typst {
            wanted.push(&typ_name);
        }
        let result = if stamped.is_ok() && self.incremental.is_current(&pdf_name, &key, &wanted) {
            Ok(false)
        } else if self.stop.load(Ordering::Relaxed) {
            Err(Failure::Skipped)
        } else {
            let made = stamped
                .map_err(Failure::Document)
                .and_then(|(fingerprint, keywords)| {
                    self.make(case, doc, &version, &fingerprint, keywords)
                });
            if matches!(made, Err(Failure::Write(_))) {
                self.stop.store(true, Ordering::Relaxed);
            }
            made.map(|()| true)
        };
        self.sink.document_done();
        add_since(&self.busy, doc_start);
        Outcome {
            pdf_name,
            key,
            result,
        }
    }

    /// Makes one document and writes it (and its Typst source, when asked).
    fn make(
        &self,
        case: &ValidCase,
        doc: &Document,
        version: &Version,
        fingerprint: &str,
        keywords: Vec<String>,
    ) -> std::result::Result<(), Failure> {
        let record = &case.record;
        let case_id = &record.case.case_id;
        let stamp = Stamp {
            fingerprint: fingerprint[..provenance::SHORT].to_string(),
            commit: match version {
                Version::Commit(c) => Some(c.short().to_string()),
                _ => None,
            },
            uncommitted: *version == Version::Uncommitted,
            keywords,
        };
        let dir = output::case_dir(self.incremental.out(), case_id);
        let write = |path: std::path::PathBuf, bytes: &[u8]| {
            output::write_document(&path, bytes, self.incremental.written())
                .map_err(|e| Failure::Write(Error::written(path.display(), e)))
        };
        let typst = self
            .renderer
            .typst_source(self.program, record, doc, &stamp)
            .map_err(Failure::Document)?;
        if self.build.options.emit_typst {
            write(
                dir.join(format!("{}.typ", doc.file_stem)),
                typst.text().as_bytes(),
            )?;
        }
        let ident = format!("{case_id}/{}", doc.file_stem);
        let pdf = self
            .renderer
            .pdf(typst, ident, created(record, doc, version))
            .map_err(Failure::Document)?;
        write(dir.join(format!("{}.pdf", doc.file_stem)), &pdf)
    }
}

/// A document's creation date: the commit's time when the records are
/// committed, else the day the document is of.
fn created(
    record: &crate::model::CaseRecord,
    doc: &Document,
    version: &Version,
) -> chrono::NaiveDateTime {
    match version {
        Version::Commit(c) => chrono::DateTime::from_timestamp(c.time, 0).map(|t| t.naive_utc()),
        _ => None,
    }
    .unwrap_or_else(|| doc.record_date(record).and_time(chrono::NaiveTime::MIN))
}

/// One error per signature a document still needs, at the signature's entry
/// in the record.
fn owed_findings(valid: &Valid, case: &ValidCase, doc: &Document) -> Vec<Finding> {
    let record = &case.record;
    let folder = valid.caseload.folder(&case.dir);
    doc.owed_signatures(record)
        .into_iter()
        .map(|owed| {
            // A meeting kept in a review file: the review file of its date.
            let review = owed.review.map(|d| d.to_string());
            let file = folder.and_then(|f| {
                f.files.iter().find(|r| {
                    r.kind() == Some(owed.file)
                        && review.as_deref().is_none_or(|d| {
                            r.doc.value.get("date").and_then(|v| v.as_str()) == Some(d)
                        })
                })
            });
            let s = owed.signature;
            let role = s.role.words();
            let message = format!(
                "{} is not signed by {} ({role}) yet; `render --final` makes only fully signed documents \
                 ({}, or render without --final to print a draft for signing)",
                doc.base_stem(),
                s.name,
                owed.how_to_record,
            );
            let path = finding::dotted(owed.file.name(), &owed.pointer);
            match file {
                Some(file) => Finding::error(&file.path, crate::model::RuleId::SignatureOwed, message)
                    .at(file.position(&owed.pointer))
                    .path(path),
                None => Finding::error(&case.dir, crate::model::RuleId::SignatureOwed, message).path(path),
            }
        })
        .collect()
}
