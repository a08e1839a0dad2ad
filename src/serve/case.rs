//! A case's page (whom it is about, its documents made fresh, its
//! findings and deadlines, signatures owed, newest notes, history) and its
//! documents as PDFs.

use std::path::Path;

use minijinja::context;
use serde::Serialize;

use serde_json::Value;

use super::app::{App, record_files, v};
use super::desk::FindingView;
use super::http::{Reply, Request};
use crate::error::{Error, Result};
use crate::model::{CaseFile, ProgramFile, day};
use crate::pipeline::{DocKind, Records, RenderConfig, RenderRun, Valid};
use crate::records::read::{self, CaseAsWritten};
use crate::records::write;

impl App {
    /// Renders the documents of the case at `dir` (as validated in
    /// `valid`) into the server's output folder, as `casepaper render`
    /// would (only those whose inputs changed are made again); gives the
    /// case's documents there, named as people name them (in English, the
    /// desk's language). A case with errors has those its files without
    /// errors make.
    pub(super) fn render_case(&self, dir: &Path, valid: &Valid) -> Result<Vec<DocumentView>> {
        let Some(case) = valid.first_case() else {
            return Ok(Vec::new());
        };
        let config = RenderConfig::desk(vec![dir.to_path_buf()], self.out.clone());
        // One render at a time here (the renderer's lock), and none beside
        // a `casepaper render` into the same folder (the folder's lock,
        // waited for a little).
        let mut warm = self.warm();
        RenderRun::start(&config)?.render(&mut warm, &())?;
        let record = &case.record;
        let folder = self.out.join(&record.case.case_id);
        let english = valid.templates.translations.get("en");
        let language = |code: &str| crate::validate::language_name(code).to_string();
        let mut documents: Vec<DocumentView> = (DocKind::ALL.iter())
            .flat_map(|kind| kind.documents_of(case))
            .map(|doc| DocumentView {
                file: format!("{}.pdf", doc.file_stem),
                title: match english {
                    Some(catalog) => doc.title(record, catalog, &language),
                    None => doc.file_stem.clone(),
                },
            })
            .filter(|doc| folder.join(&doc.file).is_file())
            .collect();
        documents.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(documents)
    }

    /// The records of the case at `dir`, validated.
    pub(super) fn validated(dir: &Path) -> Result<Valid> {
        Ok(Records::open(&[dir.to_path_buf()])?.load(None).validate())
    }

    pub(super) fn case(&self, req: &Request, folder: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let as_of = self.as_of(req);
        let valid = Self::validated(&dir)?;
        let documents = self.render_case(&dir, &valid)?;
        let findings: Vec<FindingView> = valid
            .check(as_of)
            .iter()
            .filter(|f| f.file.starts_with(&dir))
            .map(|f| FindingView::of(&self.root, f))
            .collect();
        // A case with errors still shows what its files without errors
        // give: the family, deadlines, signatures owed, notices to give.
        let whole = valid.cases().first().map(|c| &c.record);
        let record = valid.first_case().map(|c| &c.record);
        // The case file as written, read once: whether it is the example,
        // and for a case with errors whom it is about.
        let case_text = std::fs::read_to_string(dir.join("case.yaml")).unwrap_or_default();
        let case_value = read::value(&case_text);
        let written = CaseAsWritten::of_value(case_value.as_ref());
        // A case with errors in its other files still shows its family,
        // from its case file alone when that reads.
        let family = match record {
            Some(r) => Some(family_block(&r.case, valid.program())),
            None => (case_value.and_then(|v| serde_json::from_value::<CaseFile>(v).ok()))
                .map(|case| family_block(&case, valid.program())),
        };
        // A case with errors still shows whom it is about, as the caseload does.
        let client = record.is_none().then_some(written.client).flatten();
        let deadlines = match (valid.program(), record) {
            (Some(program), Some(record)) => crate::check::deadlines(program, record, as_of, as_of),
            _ => Vec::new(),
        };
        let notices = match (valid.program(), record) {
            (Some(program), Some(record)) => notices_owed(folder, record, program, as_of),
            _ => Vec::new(),
        };
        let drafts = super::drafts::Drafts::beside(&self.root).of(folder);
        let files = record_files(&dir);
        // The case's life, from the files without errors.
        let timeline = match valid.first_case() {
            Some(case) => {
                super::timeline::in_files(super::timeline::timeline(case, &documents), &files)
            }
            None => Vec::new(),
        };
        let history = self.history(&dir);
        let notes = recent_notes(&dir);
        // The plan's services still running after today, each a parent
        // may decline.
        let services: Vec<ServiceView> = (record.and_then(|r| r.plan.as_ref()).into_iter())
            .flat_map(|plan| &plan.services)
            .map(|row| row.current())
            .filter(|row| row.end_date.is_none_or(|end| end > as_of))
            .map(|row| ServiceView {
                name: row.service.first().to_string(),
                until: row.end_date.map(crate::model::day),
                id: row.id,
            })
            .collect();
        let owed: Vec<OwedView> = super::sign::owed(&valid)
            .into_iter()
            .map(|owed| OwedView {
                base: std::fs::read_to_string(dir.join(&owed.file))
                    .map(|t| write::digest(&t))
                    .unwrap_or_default(),
                owed,
            })
            .collect();
        let page = self.fill(
            "case.html",
            context! {
                folder,
                case_id => record.map(|r| r.case.case_id.clone()).unwrap_or_else(|| folder.to_string()),
                family => v(&family),
                client,
                documents => v(&documents),
                timeline => v(&timeline),
                has_errors => whole.is_none(),
                partial => whole.is_none() && record.is_some(),
                findings => v(&findings),
                deadlines => v(&deadlines),
                exited => files.iter().any(|f| f == "exit.yaml"),
                example => written.example,
                files => v(&files),
                history => v(&history),
                owed => v(&owed),
                notices => v(&notices),
                drafts => v(&drafts),
                kept => req.get("kept"),
                notes => v(&notes),
                services => v(&services),
                exit_reasons => v(&crate::model::ExitReason::ALL.iter().map(|r| (r.name(), r.words())).collect::<Vec<_>>()),
                has_plan => files.iter().any(|f| f == "plan.yaml"),
                today => as_of.to_string(),
                problem => req.get("problem"),
                saved => req.get("saved"),
                unchanged => req.get("unchanged"),
                as_of => crate::model::day(as_of),
            },
        )?;
        Ok(Reply::html(200, page))
    }

    /// Removes the example case `casepaper init` wrote, once the program
    /// has its own: the folder and everything in it, only when its case
    /// file says `example: true`. Its documents go at the next render.
    pub(super) fn remove_example(&self, folder: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let _writing = write::lock();
        let text = std::fs::read_to_string(dir.join("case.yaml"))
            .map_err(|e| Error::read(dir.display(), e))?;
        if !CaseAsWritten::of(&text).example {
            return Ok(self.message(
                409,
                "Not removed",
                "Only the example case casepaper wrote (example: true in its case file) can be \
                 removed here; a family's case is closed with its exit.",
            ));
        }
        std::fs::remove_dir_all(&dir).map_err(|e| Error::written(dir.display(), e))?;
        Ok(Reply::see_other(&format!("/?removed={folder}")))
    }

    /// The commits that changed the case folder, newest first.
    pub(super) fn history(&self, dir: &Path) -> Vec<CommitView> {
        let Some(repo) = &self.repo else {
            return Vec::new();
        };
        let Some(path) = repo.path_of(dir) else {
            return Vec::new();
        };
        repo.history(&[path])
            .map(|h| {
                h.commits
                    .iter()
                    .take(30)
                    .map(|c| CommitView {
                        date: c.date.clone(),
                        commit: c.short().to_string(),
                        subject: c.subject.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn pdf(&self, folder: &str, file: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let valid = Self::validated(&dir)?;
        let documents = self.render_case(&dir, &valid)?;
        let Some(case) = valid.first_case() else {
            return Ok(self.not_found());
        };
        if !documents.iter().any(|d| d.file == file) {
            return Ok(self.not_found());
        }
        let path = self.out.join(&case.record.case.case_id).join(file);
        let body = std::fs::read(&path).map_err(|e| Error::read(path.display(), e))?;
        Ok(Reply::pdf(body, file))
    }
}

/// The notices the case's records call for and do not have yet (a prior
/// written notice once the day to give it is near), each with the form
/// that records it, opened on its action and date.
fn notices_owed(
    folder: &str,
    record: &crate::model::CaseRecord,
    program: &crate::model::ProgramFile,
    as_of: chrono::NaiveDate,
) -> Vec<NoticeOwedView> {
    let prior = crate::check::notices::owed_soon(record, program, as_of)
        .into_iter()
        .map(|a| NoticeOwedView {
            what: format!(
                "Prior written notice of the {}, {}",
                a.action.words(),
                day(a.date)
            ),
            form: format!("/case/{folder}/notice?action={}&date={}", a.action, a.date),
        });
    let meetings = crate::check::notices::meetings_without_notice(record)
        .into_iter()
        .map(|date| NoticeOwedView {
            what: format!("Notice of the plan meeting of {}", day(date)),
            form: format!("/case/{folder}/meeting-notice?date={date}"),
        });
    prior.chain(meetings).collect()
}

/// A notice the case owes, and where to record it.
#[derive(Serialize)]
pub(super) struct NoticeOwedView {
    what: String,
    form: String,
}

/// The case's newest contact notes (ten), each with its file and place
/// there, as they are written in the files (validation keeps only the
/// typed notes).
pub(super) fn recent_notes(dir: &Path) -> Vec<NoteView> {
    let mut notes: Vec<NoteView> = record_files(dir)
        .into_iter()
        .filter(|name| name.starts_with("contacts"))
        .filter_map(|name| {
            let text = std::fs::read_to_string(dir.join(&name)).ok()?;
            Some((name, read::entries(&text, "/notes")))
        })
        .flat_map(|(name, listed)| {
            listed.into_iter().enumerate().map(move |(n, note)| {
                let text = |key: &str| note.get(key).and_then(Value::as_str).map(str::to_string);
                NoteView {
                    file: name.clone(),
                    n,
                    date: text("date"),
                    kind: text("type"),
                    summary: shortened(&text("summary").unwrap_or_default(), 90),
                }
            })
        })
        .collect();
    notes.sort_by(|a, b| b.date.cmp(&a.date));
    notes.truncate(10);
    notes
}

/// `text` cut to about `most` characters at a word's end, with an
/// ellipsis when cut.
pub(super) fn shortened(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_string();
    }
    let cut: String = text.chars().take(most).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!(
        "{}\u{2026}",
        cut[..at].trim_end_matches([',', ';', ':', '.'])
    )
}

/// The child and family, as the case page heads it.
pub(super) fn family_block(case: &CaseFile, program: Option<&ProgramFile>) -> FamilyView {
    let lang = case.language.as_str();
    let coordinator = program
        .and_then(|p| p.staff.iter().find(|s| s.id == case.coordinator))
        .map(|s| format!("{}, {}, {}", s.name, s.credential, s.phone))
        .unwrap_or_else(|| case.coordinator.clone());
    let address = &case.address;
    FamilyView {
        client: case.client_name().to_string(),
        born: case.child.as_ref().map(|c| day(c.date_of_birth)),
        third_birthday: case.child.as_ref().map(|c| day(c.third_birthday())),
        languages: (case.document_languages().iter())
            .map(|code| crate::validate::language_name(code).to_string())
            .collect(),
        coordinator,
        address: format!(
            "{}, {}, {} {}",
            address.street, address.city, address.state, address.postal_code
        ),
        family: (case.family.iter())
            .map(|m| MemberView {
                name: m.name.clone(),
                relationship: m.relationship.for_document(lang, lang).to_string(),
                phone: m.phone.clone(),
                email: m.email.clone(),
                language: m.language.clone(),
                interpreter: m.interpreter,
            })
            .collect(),
    }
}

/// The child and family at the head of a case's page.
#[derive(Serialize)]
pub(super) struct FamilyView {
    client: String,
    born: Option<String>,
    third_birthday: Option<String>,
    /// The languages the family's papers are made in, by name.
    languages: Vec<String>,
    /// The coordinator's name, credential and phone.
    coordinator: String,
    address: String,
    family: Vec<MemberView>,
}

/// A family member, as the case page lists them.
#[derive(Serialize)]
pub(super) struct MemberView {
    name: String,
    relationship: String,
    phone: String,
    email: Option<String>,
    language: String,
    interpreter: bool,
}

/// A signature still owed, with the digest of its file as the page read
/// it (the form sends it back, so a change made meanwhile is found).
#[derive(Serialize)]
pub(super) struct OwedView {
    owed: super::sign::Owed,
    base: String,
}

/// A commit that changed the case folder.
/// A service of the plan still running.
#[derive(Serialize)]
pub(super) struct ServiceView {
    id: String,
    name: String,
    /// Its end date, in words.
    until: Option<String>,
}

#[derive(Serialize)]
pub(super) struct CommitView {
    date: String,
    commit: String,
    subject: String,
}

/// A contact note as written, with its file and place there (to change it).
#[derive(Serialize)]
pub(super) struct NoteView {
    file: String,
    n: usize,
    date: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    summary: String,
}

/// A document of the case, as its page lists it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct DocumentView {
    /// Its file in the case's output folder.
    pub file: String,
    /// Its name in people's words: "Consent for Initiation of Services,
    /// December 4, 2026 (Spanish)".
    pub title: String,
}
