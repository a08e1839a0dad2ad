//! Every record file of a case as a form made from its kind's schema: the
//! file's values in their fields, saved as a change of only the elements
//! that differ, every other line (comments, order, quoting) as written.
//! What a form cannot say stays for the text editor.

use serde_json::Value;

use super::app::{App, record_files};
use super::forms;
use super::http::{Reply, Request};
use super::kinds::{fields_for, whole_form};
use super::record::FormPage;
use crate::error::{Error, Result};
use crate::model::Kind;
use crate::pipeline::{Records, Target, save};
use crate::records::{patch::patch, read, write};

impl App {
    /// The record file `file` of the case as a form (GET), or the form
    /// sent (POST): the file changed to the values sent, when it is as the
    /// form was opened with and the records are valid with it. A form
    /// sent unchanged leaves the file as it is.
    pub(super) fn file_form(&self, req: &Request, folder: &str, file: &str) -> Result<Reply> {
        let Some(dir) = self.case_dir(folder) else {
            return Ok(self.not_found());
        };
        if !record_files(&dir).iter().any(|f| f == file) {
            return Ok(self.not_found());
        }
        let path = dir.join(file);
        let now = std::fs::read_to_string(&path).map_err(|e| Error::read(path.display(), e))?;
        let editor = format!("/case/{folder}/edit/{file}");
        let Some(old) = read::value(&now) else {
            return Ok(self.message(
                422,
                "This file cannot be shown as a form",
                &format!("{file} does not read as a record; change it as text at {editor}."),
            ));
        };
        let Some(kind) = old
            .get("kind")
            .and_then(Value::as_str)
            .and_then(Kind::from_name)
        else {
            return Ok(self.message(
                422,
                "This file cannot be shown as a form",
                &format!(
                    "{file} does not say which kind of record it is; change it as text at {editor}."
                ),
            ));
        };
        let valid = Records::open(std::slice::from_ref(&dir))?
            .load(None)
            .validate();
        let schema = whole_form(kind);
        let mut fields = fields_for(&schema, &valid, true);
        let mut form = FormPage::new(
            folder,
            format!("/case/{folder}/form/{file}"),
            format!("Change {file}"),
            "Save the file",
        )
        .changing(&now);
        if kind == Kind::Transition {
            form.intro = super::branch::lines(&valid);
        }
        if req.is_get() {
            forms::fill(&mut fields, &old);
            return self.record_page(&form, &fields, &[], 200);
        }
        let (mut value, asked) = forms::take(&mut fields, &req.form);
        if asked {
            return self.record_page(&form, &fields, &[], 200);
        }
        // What the form has no field for (`kind`, `version`) stays.
        let shown = schema.get("properties").and_then(Value::as_object);
        if let (Value::Object(given), Value::Object(was)) = (&mut value, &old) {
            let mut whole = serde_json::Map::new();
            for (key, v) in was {
                if !shown.is_some_and(|p| p.contains_key(key)) {
                    whole.insert(key.clone(), v.clone());
                }
            }
            whole.extend(std::mem::take(given));
            *given = whole;
        }
        let base = req.get("base").unwrap_or_default();
        let text = match patch(&now, &value) {
            Ok(text) => text,
            Err(why) => {
                let why = format!("Nothing was saved: {why} ({editor}).");
                return self.record_page(&form, &fields, &[why], 422);
            }
        };
        if text == now && write::digest(&now) == base {
            return Ok(Reply::see_other(&format!(
                "/case/{folder}?unchanged={file}"
            )));
        }
        let saved = save(&dir, Target::Replace { path: &path, base }, &text)?;
        self.answer_save(saved, &form, &mut fields, kind.name(), file)
    }
}
