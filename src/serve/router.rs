//! Which page answers a request: the path and method, read once.

use super::app::{App, asset, plain_name};
use super::http::{Reply, Request};
use super::kinds::NewRecord;

impl App {
    /// The page a request asks for; what goes wrong is a page too.
    pub fn page(&self, req: &Request) -> Reply {
        let parts: Vec<&str> = req.path.trim_matches('/').split('/').collect();
        let get = req.is_get();
        let post = req.is_post();
        let result = match parts.as_slice() {
            [""] if get => self.caseload(req),
            ["static", name] if get => Ok(asset(name)),
            ["changes"] if get || post => self.changes(req),
            ["sync"] if get || post => self.sync_page(req),
            ["conflict"] if get || post => self.conflict(req),
            ["new-case"] if get || post => self.new_case(req),
            ["case", folder, rest @ ..] if plain_name(folder) => match (rest, get, post) {
                ([], true, _) => self.case(req, folder),
                (["documents", file], true, _) if plain_name(file) => self.pdf(folder, file),
                ([form], _, _) if get || post => match NewRecord::from_segment(form) {
                    Some(kind) => self.new_record(req, folder, kind),
                    None if *form == "sign" && post => self.sign(req, folder),
                    None if *form == "remove" && post => self.remove_example(folder),
                    None if *form == "evaluation" => self.evaluation(req, folder),
                    None if *form == "meeting" => self.plan_meeting(req, folder),
                    None if *form == "decline" => self.decline(req, folder),
                    None => Ok(self.not_found()),
                },
                (["note", file, n], _, _) if (get || post) && plain_name(file) => {
                    match n.parse::<usize>() {
                        Ok(n) => self.change_note(req, folder, file, n),
                        Err(_) => Ok(self.not_found()),
                    }
                }
                (["drafts", id], _, true) => self.discard_draft(folder, id),
                (["edit", file], _, _) if (get || post) && plain_name(file) => {
                    self.edit(req, folder, file)
                }
                (["form", file], _, _) if (get || post) && plain_name(file) => {
                    self.file_form(req, folder, file)
                }
                _ => Ok(self.not_found()),
            },
            _ => Ok(self.not_found()),
        };
        result.unwrap_or_else(|e| self.message(500, "Something went wrong", &e.to_string()))
    }
}
