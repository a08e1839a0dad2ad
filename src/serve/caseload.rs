//! The caseload page: every case by coordinator, its next deadlines and
//! how many findings it has, as of a day.

use minijinja::context;
use serde::Serialize;

use super::app::{App, v};
use super::http::{Reply, Request};
use crate::error::Result;
use crate::finding::Severity;

impl App {
    pub(super) fn caseload(&self, req: &Request) -> Result<Reply> {
        let as_of = self.as_of(req);
        let wanted = req.get("coordinator").filter(|c| !c.is_empty());
        let dirty = self.uncommitted();
        let mut desk = self.desk();
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
                removed => req.get("removed").filter(|f| super::app::plain_name(f)),
            },
        )?;
        Ok(Reply::html(200, page))
    }
}
