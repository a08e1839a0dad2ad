//! The pages: each reads the records through the library's steps and
//! fills a template of `templates/web/`. Record text reaches the page only
//! through minijinja's HTML escaping (every template is `.html`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use minijinja::{Environment, Value as Jinja, context};
use serde::Serialize;
use serde_json::{Value, json};

use super::desk::{Desk, FindingView};
use super::forms::{self, Field};
use super::guard::{Guard, Refusal};
use super::kinds::NewRecord;
use super::{Reply, Request};
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::load::git::Repo;
use crate::model::SignatureMethod;
use crate::pipeline::{NotSaved, Records, RenderConfig, RenderRun, Target, Valid, Warm, save};
use crate::records::read::{self, CaseAsWritten};
use crate::records::write::{self, NotWritten};

/// The server's state: one of each, shared by every thread.
pub struct App {
    pub root: PathBuf,
    pub addr: SocketAddr,
    pub guard: Guard,
    pub desk: Mutex<Desk>,
    /// The renderer (fonts, Typst library, templates), kept warm.
    pub warm: Mutex<Warm>,
    /// The output folder, as `casepaper render` writes it: the same
    /// manifest, so each makes again only what the other has not.
    pub out: PathBuf,
    pub pages: Environment<'static>,
    pub as_of: Option<NaiveDate>,
    pub repo: Option<Repo>,
}

/// The page templates and their assets, built in.
const PAGES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/web/base.html")),
    (
        "caseload.html",
        include_str!("../../templates/web/caseload.html"),
    ),
    ("case.html", include_str!("../../templates/web/case.html")),
    ("form.html", include_str!("../../templates/web/form.html")),
    ("edit.html", include_str!("../../templates/web/edit.html")),
    (
        "changes.html",
        include_str!("../../templates/web/changes.html"),
    ),
    (
        "message.html",
        include_str!("../../templates/web/message.html"),
    ),
];

/// Files under `/static/`: the style sheet and the pinned htmx.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "desk.css",
        "text/css; charset=utf-8",
        include_bytes!("../../templates/web/static/desk.css"),
    ),
    (
        "htmx-2.0.8.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../templates/web/static/htmx-2.0.8.min.js"),
    ),
];

pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // `2026-12-08` as a coordinator reads it: December 8, 2026.
    env.add_filter("day", |iso: String| {
        iso.parse::<NaiveDate>()
            .map(crate::model::day)
            .unwrap_or(iso)
    });
    for (name, source) in PAGES {
        env.add_template(name, source)
            .expect("the built-in pages parse");
    }
    env
}

/// A case folder's name as it may appear in a path: what a case id may be.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl App {
    /// The page a request asks for; what goes wrong is a page too.
    pub fn page(&self, req: &Request) -> Reply {
        let parts: Vec<&str> = req.path.trim_matches('/').split('/').collect();
        let get = req.method == tiny_http::Method::Get;
        let post = req.method == tiny_http::Method::Post;
        let result = match parts.as_slice() {
            [""] if get => self.caseload(req),
            ["static", name] if get => Ok(asset(name)),
            ["changes"] if get || post => self.changes(req),
            ["case", folder, rest @ ..] if plain_name(folder) => match (rest, get, post) {
                ([], true, _) => self.case(req, folder),
                (["documents", file], true, _) if plain_name(file) => self.pdf(folder, file),
                ([form], _, _) if get || post => match NewRecord::from_segment(form) {
                    Some(kind) => self.new_record(req, folder, kind),
                    None if *form == "sign" && post => self.sign(req, folder),
                    None => Ok(self.not_found()),
                },
                (["note", file, n], _, _) if (get || post) && plain_name(file) => {
                    match n.parse::<usize>() {
                        Ok(n) => self.change_note(req, folder, file, n),
                        Err(_) => Ok(self.not_found()),
                    }
                }
                (["edit", file], _, _) if (get || post) && plain_name(file) => {
                    self.edit(req, folder, file)
                }
                _ => Ok(self.not_found()),
            },
            _ => Ok(self.not_found()),
        };
        result.unwrap_or_else(|e| self.message(500, "Something went wrong", &e.to_string()))
    }

    pub fn refused(&self, refusal: Refusal) -> Reply {
        self.message(refusal.status(), "Not let in", refusal.message())
    }

    fn not_found(&self) -> Reply {
        self.message(404, "Not found", "There is no such page, case or file.")
    }

    fn message(&self, status: u16, title: &str, text: &str) -> Reply {
        let page = self.fill("message.html", context! { title, text });
        Reply::html(status, page.unwrap_or_else(|_| text.to_string()))
    }

    fn fill(&self, name: &str, ctx: Jinja) -> Result<String> {
        let csrf = self.guard.csrf();
        self.pages
            .get_template(name)
            .and_then(|t| t.render(context! { csrf, ..ctx }))
            .map_err(|e| Error::Templates(format!("the page {name} could not be made: {e:#}")))
    }

    fn as_of(&self, req: &Request) -> NaiveDate {
        self.as_of
            .or_else(|| req.get("as_of")?.parse().ok())
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The records folder as a path in the repository, when it is in one.
    fn records_in_repo(&self) -> Option<(&Repo, String)> {
        let repo = self.repo.as_ref()?;
        Some((repo, repo.path_of(&self.root)?))
    }

    /// The files under the records folder with changes not committed.
    fn uncommitted(&self) -> Vec<String> {
        let Some((repo, rel)) = self.records_in_repo() else {
            return Vec::new();
        };
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        repo.uncommitted(std::slice::from_ref(&rel))
            .map(|set| {
                set.into_iter()
                    .map(|p| p.strip_prefix(&prefix).unwrap_or(&p).to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn caseload(&self, req: &Request) -> Result<Reply> {
        let as_of = self.as_of(req);
        let wanted = req.get("coordinator").filter(|c| !c.is_empty());
        let dirty = self.uncommitted();
        let mut desk = self.desk.lock().unwrap_or_else(|e| e.into_inner());
        desk.refresh(as_of)?;
        #[derive(Serialize)]
        struct Row<'a> {
            case: &'a super::desk::CaseSummary,
            errors: usize,
            warnings: usize,
            overdue: usize,
            uncommitted: bool,
            next: Vec<&'a crate::check::Deadline>,
        }
        let mut groups: Vec<(String, String, Vec<Row>)> = desk
            .staff
            .iter()
            .filter(|s| wanted.is_none_or(|w| w == s.id))
            .map(|s| (s.id.clone(), s.name.clone(), Vec::new()))
            .collect();
        let mut unassigned = Vec::new();
        for case in desk.cases() {
            let mut next: Vec<&crate::check::Deadline> = case.deadlines.iter().collect();
            next.sort_by_key(|d| (!d.overdue, d.date));
            let row = Row {
                errors: case.errors(),
                warnings: case.count(Severity::Warning),
                overdue: case.deadlines.iter().filter(|d| d.overdue).count(),
                uncommitted: dirty
                    .iter()
                    .any(|p| p.starts_with(&format!("{}/", case.folder))),
                next: next.into_iter().take(3).collect(),
                case,
            };
            match groups.iter_mut().find(|g| g.0 == case.coordinator) {
                Some(group) => group.2.push(row),
                None if wanted.is_none() => unassigned.push(row),
                None => {}
            }
        }
        if !unassigned.is_empty() {
            groups.push((String::new(), "No coordinator found".into(), unassigned));
        }
        let page = self.fill(
            "caseload.html",
            context! {
                as_of => as_of.to_string(),
                as_of_words => crate::model::day(as_of),
                staff => v(&desk.staff),
                wanted,
                groups => v(&groups),
                general => v(&desk.general),
                uncommitted => dirty.len(),
            },
        )?;
        Ok(Reply::html(200, page))
    }

    /// The case folder `folder` of the records, if it is one.
    fn case_dir(&self, folder: &str) -> Option<PathBuf> {
        let dir = self.root.join(folder);
        dir.join("case.yaml").is_file().then_some(dir)
    }

    /// Renders the documents of the case at `dir` (as validated in
    /// `valid`) into the server's output folder, as `casepaper render`
    /// would (only those whose inputs changed are made again); gives the
    /// names of the case's documents there. A case with errors has none.
    fn render_case(&self, dir: &Path, valid: &Valid) -> Result<Vec<String>> {
        let Some(case) = valid.cases().first() else {
            return Ok(Vec::new());
        };
        let config = RenderConfig::desk(vec![dir.to_path_buf()], self.out.clone());
        // One render at a time here (the renderer's lock), and none beside
        // a `casepaper render` into the same folder (the folder's lock,
        // waited for a little).
        let mut warm = self.warm.lock().unwrap_or_else(|e| e.into_inner());
        RenderRun::start(&config)?.render(&mut warm, &())?;
        let mut documents: Vec<String> =
            std::fs::read_dir(self.out.join(&case.record.case.case_id))
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().to_string())
                        .filter(|n| n.ends_with(".pdf"))
                        .collect()
                })
                .unwrap_or_default();
        documents.sort();
        Ok(documents)
    }

    /// The records of the case at `dir`, validated.
    fn validated(dir: &Path) -> Result<Valid> {
        Ok(Records::open(&[dir.to_path_buf()])?.load(None).validate())
    }

    fn case(&self, req: &Request, folder: &str) -> Result<Reply> {
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
        let record = valid.cases().first().map(|c| &c.record);
        let family = record.map(|r| family_block(&r.case, valid.program()));
        // A case with errors still shows whom it is about, as the caseload does.
        let client = record.is_none().then(|| raw_client(&dir)).flatten();
        let deadlines = match (valid.program(), record) {
            (Some(program), Some(record)) => crate::check::deadlines(program, record, as_of),
            _ => Vec::new(),
        };
        let files = record_files(&dir);
        let history = self.history(&dir);
        let notes = recent_notes(&dir);
        let owed: Vec<Value> = super::sign::owed(&valid)
            .into_iter()
            .map(|o| {
                let base = std::fs::read_to_string(dir.join(&o.file))
                    .map(|t| write::digest(&t))
                    .unwrap_or_default();
                json!({"owed": o, "base": base})
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
                findings => v(&findings),
                deadlines => v(&deadlines),
                exited => files.iter().any(|f| f == "exit.yaml"),
                files => v(&files),
                history => v(&history),
                owed => v(&owed),
                notes => v(&notes),
                today => as_of.to_string(),
                problem => req.get("problem"),
                saved => req.get("saved"),
                as_of => crate::model::day(as_of),
            },
        )?;
        Ok(Reply::html(200, page))
    }

    /// The commits that changed the case folder, newest first.
    fn history(&self, dir: &Path) -> Vec<Value> {
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
                    .map(|c| json!({"date": c.date, "commit": c.short(), "subject": c.subject}))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn pdf(&self, folder: &str, file: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let valid = Self::validated(&dir)?;
        let documents = self.render_case(&dir, &valid)?;
        let Some(case) = valid.cases().first() else {
            return Ok(self.not_found());
        };
        if !documents.iter().any(|d| d == file) {
            return Ok(self.not_found());
        }
        let path = self.out.join(&case.record.case.case_id).join(file);
        let body = std::fs::read(&path).map_err(|e| Error::read(path.display(), e))?;
        Ok(Reply {
            status: 200,
            content_type: "application/pdf",
            body,
            headers: vec![(
                "Content-Disposition",
                format!("inline; filename=\"{file}\""),
            )],
        })
    }

    /// The form for a new record (GET), or the record sent (POST):
    /// written as a new file when the records are valid with it, else the
    /// form again with each problem beside its field. The Add and Remove
    /// buttons of a list send the form too, and only change the form.
    fn new_record(&self, req: &Request, folder: &str, kind: NewRecord) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let today = self.as_of(req).to_string();
        let valid = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate();
        let mut fields = kind.fields(&valid);
        let form = FormPage {
            folder: folder.to_string(),
            action: format!("/case/{folder}/{}", kind.segment()),
            title: kind.title(),
            save: kind.save(),
            base: None,
            theirs: None,
        };
        if req.method == tiny_http::Method::Get {
            forms::fill(&mut fields, &kind.start(&valid, &today));
            return self.record_page(&form, &fields, &[], 200);
        }
        let (sent, asked) = forms::shape(&mut fields, &req.form);
        let value = forms::value_of(&fields, &sent);
        forms::fill(&mut fields, &value);
        if asked {
            return self.record_page(&form, &fields, &[], 200);
        }
        let (record, text) = kind.record(value.clone());
        // A dated name taken meanwhile gives the next.
        let path = || kind.path(&dir, &value, &today);
        let target = Target::Create {
            path: &path,
            intended: &record,
        };
        match save(&dir, target, &text)? {
            Ok(path) => Ok(Reply::see_other(&format!(
                "/case/{folder}?saved={}",
                file_name(&path)
            ))),
            Err(NotSaved::Invalid(problems)) => {
                let found = problems.into_iter().map(|p| (p.path, p.beside)).collect();
                let left = forms::place_errors(&mut fields, kind.under(), found);
                self.record_page(&form, &fields, &left, 422)
            }
            Err(NotSaved::NotWritten(e)) => {
                let why = format!("Nothing was saved: {} ({e}).", file_name(&path()));
                self.record_page(&form, &fields, &[why], 409)
            }
        }
    }

    fn record_page(
        &self,
        form: &FormPage,
        fields: &[Field],
        problems: &[String],
        status: u16,
    ) -> Result<Reply> {
        let mut invalid = Vec::new();
        invalid_fields(fields, &mut invalid);
        let page = self.fill(
            "form.html",
            context! {
                folder => &form.folder,
                action => &form.action,
                title => form.title,
                save => form.save,
                base => &form.base,
                theirs => &form.theirs,
                fields => v(fields),
                problems => v(problems),
                invalid => v(&invalid),
            },
        )?;
        Ok(Reply::html(status, page))
    }

    /// A contact note already written, in the note form (GET), or the note
    /// as changed (POST): its lines in the file are written anew, when the
    /// file is as the form was opened with and the records are valid with
    /// it. Every other line of the file stays as written.
    fn change_note(&self, req: &Request, folder: &str, file: &str, n: usize) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        if !file.starts_with("contacts") || !record_files(&dir).iter().any(|f| f == file) {
            return Ok(self.not_found());
        }
        let path = dir.join(file);
        let now = std::fs::read_to_string(&path).map_err(|e| Error::read(path.display(), e))?;
        let Some(note) = read::entries(&now, "/notes").into_iter().nth(n) else {
            return Ok(self.not_found());
        };
        let valid = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate();
        let mut fields = NewRecord::Contact.fields(&valid);
        let mut form = FormPage {
            folder: folder.to_string(),
            action: format!("/case/{folder}/note/{file}/{n}"),
            title: "Change a contact note",
            save: "Save the note",
            base: Some(write::digest(&now)),
            theirs: None,
        };
        if req.method == tiny_http::Method::Get {
            forms::fill(&mut fields, &note);
            return self.record_page(&form, &fields, &[], 200);
        }
        let changed = forms::value_of(&fields, &req.form);
        forms::fill(&mut fields, &changed);
        let base = req.get("base").unwrap_or_default();
        if write::digest(&now) != base {
            let why = format!(
                "Nothing was saved: {file} was changed by someone or something else since this \
                 form was opened. Your note is below as you wrote it, and the note as it is in \
                 the file now is under it; save again to write yours over it."
            );
            let mut theirs = String::new();
            crate::records::yaml::write(&note, 0, &mut theirs);
            form.theirs = Some(theirs);
            return self.record_page(&form, &fields, &[why], 409);
        }
        form.base = Some(base.to_string());
        let text = match crate::records::entry::replace(&now, "/notes", n, &changed) {
            Ok(text) => text,
            Err(why) => {
                let why = format!("Nothing was saved: {why} (Record files, {file}).");
                return self.record_page(&form, &fields, &[why], 422);
            }
        };
        match save(&dir, Target::Replace { path: &path, base }, &text)? {
            Ok(_) => Ok(Reply::see_other(&format!("/case/{folder}?saved={file}"))),
            Err(NotSaved::Invalid(problems)) => {
                let found = problems.into_iter().map(|p| (p.path, p.beside)).collect();
                let under = format!("contacts.notes[{n}]");
                let left = forms::place_errors(&mut fields, &under, found);
                self.record_page(&form, &fields, &left, 422)
            }
            Err(NotSaved::NotWritten(e)) => {
                self.record_page(&form, &fields, &[format!("Nothing was saved: {e}.")], 409)
            }
        }
    }

    /// A signature received: its date and way added to the signer's entry,
    /// when the file is as the page showed it and the records are valid
    /// with it.
    fn sign(&self, req: &Request, folder: &str) -> Result<Reply> {
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
        let text = match crate::records::sign::record(&now, pointer, date, *method) {
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

    /// A record file's text to change (GET), or the changed text (POST):
    /// written when the file has not changed since the page was opened and
    /// the records are valid with it.
    fn edit(&self, req: &Request, folder: &str, file: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let path = dir.join(file);
        if !record_files(&dir).iter().any(|f| f == file) {
            return Ok(self.not_found());
        }
        let now = std::fs::read_to_string(&path).map_err(|e| Error::read(path.display(), e))?;
        // The file's findings, each with its line and the text there; the
        // one a link came from (`?line=N`) first.
        let at = req.get("line").and_then(|l| l.parse::<usize>().ok());
        let mut found: Vec<Value> = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate()
            .check(self.as_of(req))
            .iter()
            .filter(|f| f.file == path)
            .map(|f| {
                let line = f.pos.map(|p| p.line);
                let shown = line
                    .and_then(|l| now.lines().nth(l - 1))
                    .unwrap_or_default();
                json!({"severity": f.severity, "line": line, "text": shown.trim_end(),
                       "message": f.message, "here": line.is_some() && line == at})
            })
            .collect();
        found.sort_by_key(|f| !f["here"].as_bool().unwrap_or(false));
        let show = |text: &str, base: &str, problems: Vec<String>, theirs: Option<&str>, status| {
            let page = self.fill(
                "edit.html",
                context! {
                    folder, file, text, base, theirs,
                    problems => v(&problems),
                    found => v(&found),
                },
            )?;
            Ok(Reply::html(status, page))
        };
        if req.method == tiny_http::Method::Get {
            return show(&now, &write::digest(&now), Vec::new(), None, 200);
        }
        let text = req.get("text").unwrap_or_default().replace("\r\n", "\n");
        let base = req.get("base").unwrap_or_default();
        match save(&dir, Target::Replace { path: &path, base }, &text)? {
            Ok(_) => Ok(Reply::see_other(&format!("/case/{folder}?saved={file}"))),
            Err(NotSaved::Invalid(problems)) => {
                let problems = (problems.into_iter())
                    .map(|p| match p.line {
                        Some(line) => format!("line {line}: {}", p.message),
                        None => p.message,
                    })
                    .collect();
                show(&text, base, problems, None, 422)
            }
            Err(NotSaved::NotWritten(NotWritten::Changed(theirs))) => {
                let why = vec![format!(
                    "Nothing was saved: {}. Both versions are below; copy what you need into \
                     yours and save again.",
                    NotWritten::Changed(String::new())
                )];
                show(&text, &write::digest(&theirs), why, Some(&theirs), 409)
            }
            Err(NotSaved::NotWritten(e)) => show(
                &text,
                base,
                vec![format!("Nothing was saved: {e}.")],
                None,
                500,
            ),
        }
    }

    /// What changed since the last commit (GET), or a commit of it (POST).
    fn changes(&self, req: &Request) -> Result<Reply> {
        let Some((repo, rel)) = self.records_in_repo() else {
            return Ok(self.message(
                200,
                "Changes",
                "The records folder is not in a git repository, so there is no history to save changes in.",
            ));
        };
        let paths = [rel];
        let mut said = req.get("committed").map(|c| format!("Committed as {c}."));
        if req.method == tiny_http::Method::Post {
            let message = req.get("message").unwrap_or_default().trim();
            if message.is_empty() {
                said = Some("Write what changed, in a few words, to commit.".into());
            } else {
                let _writing = write::lock();
                let id = repo.commit_changes(&paths, message)?;
                let short = &id[..id.len().min(crate::load::git::SHORT_COMMIT)];
                return Ok(Reply::see_other(&format!("/changes?committed={short}")));
            }
        }
        let diff = repo.diff(&paths)?;
        let files = self.uncommitted();
        let page = self.fill("changes.html", context! { diff, files => v(&files), said })?;
        Ok(Reply::html(200, page))
    }
}

/// A value for a page.
fn v<T: Serialize + ?Sized>(value: &T) -> Jinja {
    Jinja::from(minijinja::value::Serde(value))
}

fn asset(name: &str) -> Reply {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, bytes)) => Reply {
            status: 200,
            content_type,
            body: bytes.to_vec(),
            headers: Vec::new(),
        },
        None => Reply::html(404, "Not found".into()),
    }
}

/// The case's newest contact notes (ten), each with its file and place
/// there, as they are written in the files (validation keeps only the
/// typed notes).
fn recent_notes(dir: &Path) -> Vec<Value> {
    let mut notes: Vec<Value> = record_files(dir)
        .into_iter()
        .filter(|name| name.starts_with("contacts"))
        .filter_map(|name| {
            let text = std::fs::read_to_string(dir.join(&name)).ok()?;
            Some((name, read::entries(&text, "/notes")))
        })
        .flat_map(|(name, listed)| {
            listed.into_iter().enumerate().map(move |(n, note)| {
                let summary = note.get("summary").and_then(Value::as_str);
                let summary = shortened(summary.unwrap_or_default(), 90);
                json!({"file": name, "n": n, "date": note.get("date"),
                           "type": note.get("type"), "summary": summary})
            })
        })
        .collect();
    notes.sort_by(|a, b| b["date"].as_str().cmp(&a["date"].as_str()));
    notes.truncate(10);
    notes
}

/// Whom a case is about, read from its case.yaml as written (for a case
/// whose records have errors, so no typed record).
fn raw_client(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("case.yaml")).ok()?;
    CaseAsWritten::of(&text).client
}

/// `text` cut to about `most` characters at a word's end, with an
/// ellipsis when cut.
fn shortened(text: &str, most: usize) -> String {
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

/// What a record form page says besides its fields.
struct FormPage {
    folder: String,
    /// Where the form is sent.
    action: String,
    title: &'static str,
    save: &'static str,
    /// The digest of the file the form changes, as it was opened.
    base: Option<String>,
    /// The entry as someone else saved it meanwhile.
    theirs: Option<String>,
}

/// The fields with errors, the entries' too, in the form's order.
fn invalid_fields<'a>(fields: &'a [Field], out: &mut Vec<&'a Field>) {
    for field in fields {
        if !field.errors.is_empty() {
            out.push(field);
        }
        for entry in &field.entries {
            invalid_fields(entry, out);
        }
    }
}

/// The child and family, as the case page heads it.
fn family_block(
    case: &crate::model::CaseFile,
    program: Option<&crate::model::ProgramFile>,
) -> Value {
    let lang = case.language.as_str();
    let coordinator = program
        .and_then(|p| p.staff.iter().find(|s| s.id == case.coordinator))
        .map(|s| format!("{}, {}, {}", s.name, s.credential, s.phone))
        .unwrap_or_else(|| case.coordinator.clone());
    json!({
        "client": case.client_name(),
        "born": case.child.as_ref().map(|c| crate::model::day(c.date_of_birth)),
        "third_birthday": case.child.as_ref().map(|c| crate::model::day(c.third_birthday())),
        "languages": case.document_languages().iter()
            .map(|code| crate::validate::language_name(code).to_string())
            .collect::<Vec<_>>(),
        "coordinator": coordinator,
        "address": format!("{}, {}, {} {}", case.address.street, case.address.city, case.address.state, case.address.postal_code),
        "family": case.family.iter().map(|m| json!({
            "name": m.name,
            "relationship": m.relationship.for_document(lang, lang),
            "phone": m.phone,
            "email": m.email,
            "language": m.language,
            "interpreter": m.interpreter,
        })).collect::<Vec<_>>(),
    })
}

/// The record files of a case folder, by name.
fn record_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| !n.starts_with('.') && (n.ends_with(".yaml") || n.ends_with(".yml")))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// A path's file name, as a page names a record file.
fn file_name(path: &Path) -> String {
    (path.file_name())
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}
