//! The records as the pipeline holds them, step by step: opened
//! ([`Records`]), read ([`Loaded`]), validated ([`Valid`]), a whole
//! caseload at once or a batch of cases at a time.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Result;
use crate::finding::{self, Finding};
use crate::load::{self, Caseload, git};
use crate::model::ProgramFile;
use crate::provenance::GitState;
use crate::render::Glyphs;
use crate::render::i18n::Translations;
use crate::render::templates::TemplateSet;
use crate::validate::{self, Schemas, ValidCase, Validated};

/// The templates the records render with: the built-in ones, or the
/// program's own folder beside the records folder.
pub struct Templates {
    pub set: TemplateSet,
    /// The program's own template folder, when it has one.
    pub dir: Option<PathBuf>,
    pub translations: Arc<Translations>,
    /// The digest of the whole set (a provenance input of every document).
    pub digest: String,
}

impl Templates {
    /// The templates for the records folder `root`.
    pub fn for_records(root: &Path) -> Result<Templates> {
        let dir = template_override(root);
        let set = TemplateSet::load(dir.as_deref())?;
        let translations = Arc::new(set.translations()?);
        let digest = set.digest();
        Ok(Templates {
            set,
            dir,
            translations,
            digest,
        })
    }
}

/// The template folder beside the records folder, if there is one.
pub fn template_override(records_root: &Path) -> Option<PathBuf> {
    let root = if records_root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        records_root
    };
    let beside = std::fs::canonicalize(root)
        .ok()?
        .parent()?
        .join("templates");
    beside.is_dir().then_some(beside)
}

/// A records folder opened: its program file (and logo) read, the case
/// folders the paths name found, and the templates loaded. Nothing of the
/// cases is read yet.
pub struct Records {
    opened: load::Opened,
    templates: Templates,
}

impl Records {
    /// Opens the records the paths name: a whole records folder, or some of
    /// its case folders.
    pub fn open(paths: &[PathBuf]) -> Result<Records> {
        let opened = load::open(paths)?;
        let templates = Templates::for_records(&opened.caseload.root)?;
        Ok(Records { opened, templates })
    }

    /// The records folder (the one holding `program.yaml`).
    pub fn root(&self) -> &Path {
        &self.opened.caseload.root
    }

    /// What was read so far: the program file, its text and its logo.
    pub fn caseload(&self) -> &Caseload {
        &self.opened.caseload
    }

    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Where the records stand in git: `None` outside a repository. `repo`
    /// is the repository to ask (a snapshot's, with `--at`), else the one
    /// the records folder is in.
    pub fn git(&self, repo: Option<git::Repo>) -> Option<Result<GitState>> {
        let repo = repo.or_else(|| git::Repo::discover(self.root()))?;
        let logo = self.opened.caseload.logo.as_ref().map(|(f, _)| f.as_str());
        Some(GitState::read(
            repo,
            self.root(),
            self.templates.dir.as_deref(),
            logo,
        ))
    }

    /// Reads `text` as the file at `path` instead of what is on disk (or
    /// as a new file): `validate` then says what the records would be with
    /// it, before anything is written.
    pub fn propose(mut self, path: PathBuf, text: &str) -> Records {
        self.opened.propose(path, text);
        self
    }

    /// Reads the case folders (`validate` parses them). With `incremental`, a case whose
    /// files, inputs and commits are as when its documents were last made is
    /// not parsed (it is listed in the caseload's `skipped`).
    pub fn load(self, incremental: Option<&dyn Unchanged>) -> Loaded {
        let caseload = self
            .opened
            .read_cases(|dir, texts| incremental.and_then(|inc| inc.unchanged_case(dir, texts)));
        Loaded {
            caseload,
            templates: self.templates,
        }
    }

    /// Reads the case folders as [`Records::load`] does, then lets go of
    /// the texts of those to parse: they are read again when
    /// [`Loaded::validate_in_batches`] comes to their batch (and the inputs
    /// a document's fingerprint names are worked out from what was read
    /// then). A render holds no more than a batch of cases' texts.
    pub fn load_later(self, incremental: Option<&dyn Unchanged>) -> Loaded {
        let unchanged = |dir: &Path, texts: &[(PathBuf, Arc<str>)]| {
            incremental.and_then(|inc| inc.unchanged_case(dir, texts))
        };
        let caseload =
            (self.opened).read_cases_later(incremental.map(|_| &unchanged as &load::Unchanged<'_>));
        Loaded {
            caseload,
            templates: self.templates,
        }
    }
}

/// Which case folders loading need not parse, because every document made
/// from them is current: a render's [`Incremental`](super::Incremental)
/// tells it.
pub trait Unchanged: Sync {
    /// The case id of the case folder `dir`, whose files read as `texts`,
    /// when it need not be parsed.
    fn unchanged_case(&self, dir: &Path, texts: &[(PathBuf, Arc<str>)]) -> Option<String>;
}

/// How many cases `render`, `check`, `due`, `validate`, `verify` and
/// `serve`'s caseload validate (and make documents for) at a time: enough that the threads seldom wait for the last document
/// of a batch, few enough that what a batch holds (typed records, values,
/// texts) stays small beside Typst's own memory. A debug build (the
/// tests') goes one case at a time, so every test of a command over
/// several cases crosses the batches' boundaries.
pub const BATCH: usize = if cfg!(debug_assertions) { 1 } else { 64 };

/// The records read, not yet parsed or validated.
pub struct Loaded {
    pub caseload: Caseload,
    pub templates: Templates,
}

impl Loaded {
    /// Validates every record against its schema and the case's files
    /// against each other; cases with errors are left out of `cases`.
    pub fn validate(mut self) -> Valid {
        let translations = self.templates.translations.clone();
        let (schemas, languages, glyphs) = validation_setup(&self.templates.set, &translations);
        let validated = validate::validate(&mut self.caseload, &schemas, &languages, &|c| {
            glyphs.prints(c)
        });
        Valid {
            caseload: self.caseload,
            templates: self.templates,
            validated,
        }
    }

    /// Validates the cases `size` at a time, in order, and hands each batch
    /// to `each` as a [`Valid`] of its own: the program, the batch's case
    /// folders and valid cases, and the findings that bear on them (the
    /// program's and the load's, and its cases'). The first batch also holds
    /// the cases left unparsed. A batch's typed records, values and the
    /// texts no finding names are let go before the next batch is parsed,
    /// so a render holds no more than one batch of cases however large the
    /// caseload. Case ids are unique across batches as in one pass.
    ///
    /// `each` gives the findings its work on the batch made (signatures
    /// `--final` found owed, say); they join validation's, and the texts
    /// they name are kept to be quoted. Gives every finding, in file order,
    /// the folders left out and the cases' folders (without their files),
    /// and no typed cases: what a command reports once every batch is done.
    pub fn validate_in_batches(
        mut self,
        size: usize,
        mut each: impl FnMut(&Valid) -> Vec<Finding>,
    ) -> Valid {
        let translations = self.templates.translations.clone();
        let (schemas, languages, glyphs) = validation_setup(&self.templates.set, &translations);
        let fonts = |c| glyphs.prints(c);
        let prints = validate::Printable::new(&fonts);
        let (mut validator, mut all) =
            validate::Validator::new(&self.caseload, &schemas, &languages, &prints);
        let shared_findings = all.findings.clone();
        let mut folders = std::mem::take(&mut self.caseload.cases)
            .into_iter()
            .peekable();
        let mut skipped = std::mem::take(&mut self.caseload.skipped);
        let mut done = Vec::new();
        let mut first = true;
        while first || folders.peek().is_some() {
            first = false;
            let batch: Vec<load::CaseFolder> = folders.by_ref().take(size.max(1)).collect();
            let dirs: std::collections::HashSet<PathBuf> =
                batch.iter().map(|f| f.dir.clone()).collect();
            let in_batch = |path: &Path| path.parent().is_some_and(|p| dirs.contains(p));
            let mut sources: finding::Sources = self
                .caseload
                .sources
                .extract_if(|path, _| in_batch(path))
                .collect();
            let mut found = Validated::default();
            let batch = validator.cases(batch, &mut found);
            for folder in &batch {
                sources.extend(folder.reread.iter().flatten().cloned());
            }
            let mut findings = shared_findings.clone();
            findings.extend(found.findings.iter().cloned());
            finding::sort(&mut findings);
            let valid = Valid {
                caseload: Caseload {
                    root: self.caseload.root.clone(),
                    program: self.caseload.program.take(),
                    cases: batch,
                    skipped: std::mem::take(&mut skipped),
                    sources,
                    findings: Vec::new(),
                    logo: self.caseload.logo.take(),
                },
                templates: self.templates,
                validated: Validated {
                    program: all.program.clone(),
                    cases: found.cases,
                    rejected: found.rejected.clone(),
                    // What can be worked out of a case with errors, for
                    // the batch's pages; not kept past the batch.
                    partial: std::mem::take(&mut found.partial),
                    findings,
                    logo: all.logo.clone(),
                    deferred: found.deferred.clone(),
                },
            };
            found.findings.extend(each(&valid));
            let Valid {
                caseload,
                templates,
                ..
            } = valid;
            self.templates = templates;
            self.caseload.program = caseload.program;
            self.caseload.logo = caseload.logo;
            self.caseload.skipped.extend(caseload.skipped);
            // The texts of files a finding names stay, to be quoted.
            let named: std::collections::HashSet<&Path> =
                found.findings.iter().map(|f| f.file.as_path()).collect();
            self.caseload.sources.extend(
                (caseload.sources.into_iter()).filter(|(path, _)| named.contains(path.as_path())),
            );
            done.extend(caseload.cases.into_iter().map(|folder| load::CaseFolder {
                dir: folder.dir,
                broken: folder.broken,
                ..load::CaseFolder::default()
            }));
            all.rejected.extend(found.rejected);
            all.deferred.extend(found.deferred);
            all.findings.extend(found.findings);
        }
        finding::sort(&mut all.findings);
        self.caseload.cases = done;
        Valid {
            caseload: self.caseload,
            templates: self.templates,
            validated: all,
        }
    }
}

/// The schemas (knowing the templates' languages), the languages and the
/// fonts' glyphs that validation holds the records to.
fn validation_setup<'t>(
    set: &TemplateSet,
    translations: &'t Translations,
) -> (Schemas, Vec<&'t str>, Glyphs) {
    let mut schemas = Schemas::embedded();
    let glyphs = Glyphs::of(set);
    let languages = translations.codes();
    schemas.languages = languages.iter().map(|l| l.to_string()).collect();
    (schemas, languages, glyphs)
}

/// The records validated: the typed program and cases, and every finding.
pub struct Valid {
    pub caseload: Caseload,
    pub templates: Templates,
    pub validated: Validated,
}

impl Valid {
    /// Every finding of loading and validation, in file order.
    pub fn findings(&self) -> &[Finding] {
        &self.validated.findings
    }

    /// The program file, when it is valid (nothing is checked or rendered
    /// without it).
    pub fn program(&self) -> Option<&ProgramFile> {
        self.validated.program.as_ref()
    }

    /// The cases that passed validation.
    pub fn cases(&self) -> &[ValidCase] {
        &self.validated.cases
    }

    /// The first case, whole, or with errors as far as its files without
    /// errors go: the one case of a desk page.
    pub fn first_case(&self) -> Option<&ValidCase> {
        self.cases().first().or(self.partial().first())
    }

    /// The cases with errors whose case file is valid, each typed from
    /// its files without errors: what their pages can still show.
    pub fn partial(&self) -> &[ValidCase] {
        &self.validated.partial
    }
}
