//! The record forms: a case started, a new record of a kind (a file, or an
//! entry of a list in a case's file; kept as a draft when unfinished), a
//! contact note changed, and the evaluation and eligibility written into
//! the case file; each saved through the pipeline, its problems beside
//! their fields.

use minijinja::context;
use serde_json::{Value, json};

use super::app::{App, file_name, record_files, v};
use super::drafts::{Draft, Drafts};
use super::forms::{self, Field};
use super::http::{Reply, Request};
use super::kinds::{NewRecord, Place};
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::pipeline::{NotSaved, Records, Target, save};
use crate::records::read;
use crate::records::write;
use crate::validate::schemas::bundled;

impl App {
    /// Discards the case's draft `id` (POST).
    pub(super) fn discard_draft(&self, folder: &str, id: &str) -> Result<Reply> {
        if self.case_dir(folder).is_none() {
            return Ok(self.not_found());
        }
        Drafts::beside(&self.root).discard(folder, id);
        Ok(Reply::see_other(&format!("/case/{folder}")))
    }

    /// Who is at the desk, as a draft says who started it: the name git
    /// commits under, else the computer's user.
    fn who(&self) -> String {
        (self.repo.as_ref().and_then(|r| r.who_commits()))
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "this computer's user".into())
    }

    /// The form for a new record (GET), or the record sent (POST):
    /// written as a new file when the records are valid with it, else the
    /// form again with each problem beside its field. The Add and Remove
    /// buttons of a list send the form too, and only change the form.
    pub(super) fn new_record(&self, req: &Request, folder: &str, kind: NewRecord) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let today = self.as_of(req).to_string();
        let valid = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate();
        let mut fields = kind.fields(&valid);
        kind.for_reason(&mut fields, req.get("reason"));
        let drafts = Drafts::beside(&self.root);
        // A draft resumed: its form as it was kept.
        let resumed = req
            .get("draft")
            .filter(|id| !id.is_empty())
            .and_then(|id| drafts.get(folder, id))
            .filter(|d| d.form == kind.segment());
        // A case has one transition plan: once written, it changes as a form.
        if kind == NewRecord::Transition && dir.join("transition.yaml").exists() {
            return Ok(Reply::see_other(&format!(
                "/case/{folder}/form/transition.yaml"
            )));
        }
        let form = FormPage {
            intro: kind.intro(&valid),
            preview: (kind == NewRecord::Exit).then_some("Preview the letter"),
            draft: Some(resumed.as_ref().map(|d| d.id.clone()).unwrap_or_default()),
            ..FormPage::new(
                folder,
                format!("/case/{folder}/{}", kind.segment()),
                kind.title(),
                kind.save(),
            )
        };
        if req.is_get() {
            if let Some(draft) = &resumed {
                let (value, _) = forms::take(&mut fields, &draft.sent);
                kind.choose_from_form(&mut fields, &value);
                return self.record_page(&form, &fields, &[], 200);
            }
            let asked = |name: &str| req.get(name).map(str::to_string);
            forms::fill(&mut fields, &kind.start(&valid, &today, &asked));
            return self.record_page(&form, &fields, &[], 200);
        }
        if req.get("keep") == Some("draft") {
            let sent: Vec<(String, String)> = (req.form.iter())
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "csrf" | "keep" | "draft" | "add" | "remove")
                })
                .cloned()
                .collect();
            let draft = Draft {
                id: String::new(),
                form: kind.segment().to_string(),
                title: kind.title().to_string(),
                started_by: self.who(),
                kept_on: String::new(),
                sent,
            };
            drafts.keep(folder, draft, resumed.as_ref().map(|d| d.id.as_str()))?;
            return Ok(Reply::see_other(&format!(
                "/case/{folder}?kept={}",
                kind.segment()
            )));
        }
        let (value, asked) = forms::take(&mut fields, &req.form);
        kind.choose_from_form(&mut fields, &value);
        if asked {
            return self.record_page(&form, &fields, &[], 200);
        }
        let (record, text) = kind.record(value.clone());
        if kind == NewRecord::Exit && req.get("preview") == Some("letter") {
            return self.preview_exit(&dir, &text);
        }
        // A dated name taken meanwhile gives the next.
        let path = || kind.path(&dir, &value, &today);
        // An entry goes under the list of the case's file as it is now, or
        // makes the file.
        let mut count = 0;
        let mut base = String::new();
        let mut text = text;
        let existing = match kind.place() {
            Place::Entry { list, .. } => match std::fs::read_to_string(path()) {
                Ok(now) => {
                    count = read::entries(&now, &format!("/{list}")).len();
                    base = write::digest(&now);
                    match crate::records::entry::append(&now, list, &value) {
                        Ok(with) => text = with,
                        Err(why) => {
                            let why = format!(
                                "Nothing was saved: {why} (Record files, {}).",
                                file_name(&path())
                            );
                            return self.record_page(&form, &fields, &[why], 422);
                        }
                    }
                    Some(path())
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::read(path().display(), e)),
            },
            Place::File => None,
        };
        let target = match &existing {
            Some(path) => Target::Replace { path, base: &base },
            None => Target::Create {
                path: &path,
                intended: &record,
            },
        };
        let saved = save(&dir, target, &text)?;
        // The draft the form was resumed from is done with.
        if let (Ok(_), Some(draft)) = (&saved, &resumed) {
            drafts.discard(folder, &draft.id);
        }
        let file = file_name(&path());
        self.answer_save(saved, &form, &mut fields, &kind.under(count), &file)
    }

    /// The answer to a save: the case's page, saying what was saved; or
    /// the form again, each problem beside its field (`under` is where
    /// `validate` names the form's elements), or why `file` was not
    /// written.
    pub(super) fn answer_save(
        &self,
        saved: std::result::Result<std::path::PathBuf, NotSaved>,
        form: &FormPage,
        fields: &mut [Field],
        under: &str,
        file: &str,
    ) -> Result<Reply> {
        match saved {
            Ok(path) => Ok(Reply::see_other(&format!(
                "/case/{}?saved={}",
                form.folder,
                file_name(&path)
            ))),
            Err(NotSaved::Invalid(problems)) => {
                let found = problems
                    .into_iter()
                    .map(|p| (p.path, p.beside, p.message))
                    .collect();
                let left = forms::place_errors(fields, under, found);
                self.record_page(form, fields, &left, 422)
            }
            Err(NotSaved::NotWritten(e)) => {
                let why = format!("Nothing was saved: {file} ({e}).");
                self.record_page(form, fields, &[why], 409)
            }
        }
    }

    pub(super) fn record_page(
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
                title => &form.title,
                save => form.save,
                base => &form.base,
                theirs => &form.theirs,
                intro => &form.intro,
                preview => form.preview,
                draft => &form.draft,
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
    pub(super) fn change_note(
        &self,
        req: &Request,
        folder: &str,
        file: &str,
        n: usize,
    ) -> Result<Reply> {
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
        let mut form = FormPage::new(
            folder,
            format!("/case/{folder}/note/{file}/{n}"),
            "Change a contact note",
            "Save the note",
        )
        .changing(&now);
        if req.is_get() {
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
        // The help `casepaper new contact` wrote beside each element goes
        // with the value it was written for.
        let hints = crate::validate::schemas::hints(crate::model::Kind::Contacts);
        let ours = |comment: &str| hints.contains(comment);
        let text = match crate::records::entry::replace(&now, "/notes", n, &changed, &ours) {
            Ok(text) => text,
            Err(why) => {
                let why = format!("Nothing was saved: {why} (Record files, {file}).");
                return self.record_page(&form, &fields, &[why], 422);
            }
        };
        let saved = save(&dir, Target::Replace { path: &path, base }, &text)?;
        let under = format!("contacts.notes[{n}]");
        self.answer_save(saved, &form, &mut fields, &under, file)
    }
}

/// The elements of case.yaml the evaluation form writes, in the schema's
/// order: with a Connecticut family's choice of program, once told of the
/// programs of its area.
const EVALUATION: [&str; 5] = [
    "eligibility_date",
    "eligible",
    "screening_date",
    "evaluation_date",
    "program_choice",
];

impl App {
    /// The screening, the evaluation and the finding of eligibility (GET),
    /// or the dates and finding sent (POST): each written into case.yaml
    /// where it is, or after the elements before it, when the file is as
    /// the form was opened with and the records are valid with it.
    pub(super) fn evaluation(&self, req: &Request, folder: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        let path = dir.join("case.yaml");
        let now = std::fs::read_to_string(&path).map_err(|e| Error::read(path.display(), e))?;
        let schema = bundled(Kind::Case);
        let whole = forms::resolved(&schema, &schema);
        let order: Vec<String> = (whole.get("properties").and_then(Value::as_object))
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let mut fields = forms::fields(&case_form(&whole, &EVALUATION), &[], &|_, _| None, &[]);
        let mut form = FormPage::new(
            folder,
            format!("/case/{folder}/evaluation"),
            "Record the evaluation and eligibility",
            "Save the evaluation",
        )
        .changing(&now);
        if req.is_get() {
            forms::fill(&mut fields, &read::value(&now).unwrap_or_default());
            return self.record_page(&form, &fields, &[], 200);
        }
        let sent = forms::value_of(&fields, &req.form);
        forms::fill(&mut fields, &sent);
        let base = req.get("base").unwrap_or_default();
        if write::digest(&now) != base {
            let why = "Nothing was saved: case.yaml was changed by someone or something else \
                       since this form was opened. What you entered is below; save again to \
                       write it."
                .to_string();
            return self.record_page(&form, &fields, &[why], 409);
        }
        form.base = Some(base.to_string());
        let mut text = now.clone();
        for key in EVALUATION {
            let before: Vec<&str> = order
                .iter()
                .take_while(|k| *k != key)
                .map(String::as_str)
                .collect();
            match crate::records::entry::set(&text, key, sent.get(key), &before) {
                Ok(changed) => text = changed,
                Err(why) => {
                    let why = format!("Nothing was saved: {why} (Record files, case.yaml).");
                    return self.record_page(&form, &fields, &[why], 422);
                }
            }
        }
        let saved = save(&dir, Target::Replace { path: &path, base }, &text)?;
        self.answer_save(saved, &form, &mut fields, "case", "case.yaml")
    }
}

/// The elements of a new case file the form asks for, in the schema's
/// order; the rest (the consents, the evaluation, the exceptions to the
/// timeline) have forms of their own or come later.
const NEW_CASE: [&str; 10] = [
    "case_id",
    "client",
    "state",
    "part_c",
    "language",
    "child",
    "family",
    "address",
    "coordinator",
    "referral_date",
];

impl App {
    /// The form that starts a case (GET), or the case sent (POST): its
    /// folder and case.yaml made when the case file is valid, else the
    /// form again with each problem beside its field and nothing made.
    pub(super) fn new_case(&self, req: &Request) -> Result<Reply> {
        let as_of = self.as_of(req);
        let staff: Vec<(String, String)> = {
            let mut desk = self.desk();
            desk.refresh(as_of)?;
            (desk.staff.iter())
                .map(|s| (s.id.clone(), format!("{} ({})", s.name, s.id)))
                .collect()
        };
        // The languages the program's papers can be made in.
        let templates = crate::pipeline::Templates::for_records(&self.root)?;
        let languages: Vec<(String, String)> = (templates.translations.codes().into_iter())
            .map(|code| {
                (
                    code.to_string(),
                    crate::validate::language_name(code).to_string(),
                )
            })
            .collect();
        let schema = bundled(Kind::Case);
        let form_schema = case_form(&forms::resolved(&schema, &schema), &NEW_CASE);
        let known = [
            ("coordinator", staff),
            ("language", languages.clone()),
            ("family[].reads", languages.clone()),
        ];
        // The family's languages are not known before the form is sent: a
        // text the family reads has a field for each the program has.
        let mut fields = forms::fields(&form_schema, &known, &|_, _| None, &languages);
        let form = FormPage::new("", "/new-case".into(), "Start a case", "Start the case");
        if req.is_get() {
            let start = json!({
                "client": "child",
                "part_c": true,
                "language": "en",
                "family": [{}],
                "referral_date": as_of.to_string(),
            });
            forms::fill(&mut fields, &start);
            return self.record_page(&form, &fields, &[], 200);
        }
        let (value, asked) = forms::take(&mut fields, &req.form);
        if asked {
            return self.record_page(&form, &fields, &[], 200);
        }
        let id = (value.get("case_id").and_then(Value::as_str))
            .unwrap_or_default()
            .to_string();
        if let Some(problem) = crate::records::new::case_id_problem(&id) {
            if let Some(field) = fields.iter_mut().find(|f| f.name == "case_id") {
                field
                    .errors
                    .push(format!("`{id}` cannot be a case id: {}.", problem.words()));
            }
            return self.record_page(&form, &fields, &[], 422);
        }
        let mut record = json!({"kind": "case", "version": 1});
        if let (Value::Object(all), Value::Object(given)) = (&mut record, value) {
            all.extend(given);
        }
        let mut text = "# yaml-language-server: $schema=../../schemas/case.v1.yaml\n".to_string();
        crate::records::yaml::write_plain(&record, 0, &mut text);
        let dir = self.root.join(&id);
        let _writing = write::lock();
        if let Err(e) = std::fs::create_dir(&dir) {
            let why = match e.kind() {
                std::io::ErrorKind::AlreadyExists => {
                    format!(
                        "Nothing was saved: there is already a case {id}; give this one another id."
                    )
                }
                _ => format!("Nothing was saved: the folder {id} could not be made ({e})."),
            };
            return self.record_page(&form, &fields, &[why], 409);
        }
        drop(_writing);
        let path = || dir.join("case.yaml");
        let target = Target::Create {
            path: &path,
            intended: &record,
        };
        let saved = save(&dir, target, &text);
        if !matches!(saved, Ok(Ok(_))) {
            // Nothing is left of a case not started.
            let _ = std::fs::remove_dir(&dir);
        }
        match saved? {
            Ok(_) => Ok(Reply::see_other(&format!("/case/{id}?saved=case.yaml"))),
            not => self.answer_save(not, &form, &mut fields, "case", "case.yaml"),
        }
    }
}

/// The form for the elements `keys` of the case file (as `whole`, its
/// schema resolved, has them), in that order, those the file requires
/// marked.
fn case_form(whole: &Value, keys: &[&str]) -> Value {
    let properties: serde_json::Map<String, Value> = (keys.iter())
        .filter_map(|k| {
            Some((
                k.to_string(),
                whole.pointer(&format!("/properties/{k}"))?.clone(),
            ))
        })
        .collect();
    let required = whole.get("required").cloned().unwrap_or_default();
    json!({"type": "object", "required": required, "properties": properties})
}

impl FormPage {
    /// A form sent to `action`, for the case `folder` (none for a case
    /// not started), changing no file as it was and kept as no draft.
    pub(super) fn new(
        folder: &str,
        action: String,
        title: impl Into<String>,
        save: &'static str,
    ) -> FormPage {
        FormPage {
            folder: folder.to_string(),
            action,
            title: title.into(),
            intro: Vec::new(),
            preview: None,
            save,
            base: None,
            theirs: None,
            draft: None,
        }
    }
}

impl FormPage {
    /// The form changing a file whose text is `now`: a save is refused
    /// when the file is no longer as it was.
    pub(super) fn changing(mut self, now: &str) -> FormPage {
        self.base = Some(write::digest(now));
        self
    }
}

/// What a record form page says besides its fields.
pub(super) struct FormPage {
    folder: String,
    /// Where the form is sent.
    action: String,
    title: String,
    save: &'static str,
    /// What the form's record owes, said before its fields (the branch of
    /// the transition at three).
    pub(super) intro: Vec<String>,
    /// A button that previews the record's paper before it is saved.
    pub(super) preview: Option<&'static str>,
    /// The digest of the file the form changes, as it was opened.
    pub(super) base: Option<String>,
    /// The entry as someone else saved it meanwhile.
    theirs: Option<String>,
    /// Whether the form can be kept as a draft: `Some` with the id of the
    /// draft it was resumed from, or empty for a form begun here.
    draft: Option<String>,
}

/// The fields with errors, the entries' too, in the form's order.
pub(super) fn invalid_fields<'a>(fields: &'a [Field], out: &mut Vec<&'a Field>) {
    for field in fields {
        if !field.errors.is_empty() {
            out.push(field);
        }
        for entry in &field.entries {
            invalid_fields(entry, out);
        }
    }
}
