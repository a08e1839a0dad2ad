//! Signatures a document still owes (`signature-owed`): a notice for each
//! from the day the document asked for it, a warning (the rule's severity)
//! once it has been owed longer than `check.signature_warning_days`. `due`
//! lists the same signatures, oldest first.

use chrono::{Days, NaiveDate};

use super::case::{At, CaseCheck, DueDates, Level, day};
use crate::model::{CaseRecord, Kind, RuleId, Signature};

/// One signature owed on `as_of`.
pub struct Owed<'a> {
    /// The document in a coordinator's words.
    pub document: String,
    pub signature: &'a Signature,
    /// The document's date: owed since then.
    pub since: NaiveDate,
    pub file: Kind,
    /// The signature's JSON pointer in `file`.
    pub pointer: String,
    /// For a meeting kept in a review file: that file's date.
    pub review: Option<NaiveDate>,
    /// How it is written in the record once given.
    pub how_to_record: &'static str,
}

impl Owed<'_> {
    /// The day it becomes a warning: `days` after it was asked for.
    pub fn warning_from(&self, days: u32) -> NaiveDate {
        self.since + Days::new(u64::from(days))
    }

    /// "Bea Test (parent)".
    pub fn signer(&self) -> String {
        format!("{} ({})", self.signature.name, self.signature.role.words())
    }
}

/// Every signature the case's documents dated by `as_of` still owe.
pub fn owed(record: &CaseRecord, as_of: NaiveDate) -> Vec<Owed<'_>> {
    let mut out = Vec::new();
    for list in record.signature_lists() {
        if list.since > as_of {
            continue;
        }
        for (j, signature) in list.owed() {
            out.push(Owed {
                document: list.document.clone(),
                signature,
                since: list.since,
                file: list.file,
                pointer: list.entry_pointer(j),
                review: list.review,
                how_to_record: list.how_to_record(),
            });
        }
    }
    out.sort_by_key(|o| o.since);
    out
}

/// `signature-owed`: each owed signature, at its entry in the record.
pub fn signature_owed(c: &mut CaseCheck) {
    let days = c.program.check.signature_warning_days();
    for o in owed(c.record, c.as_of) {
        let waited = (c.as_of - o.since).num_days();
        let level = if c.as_of > o.warning_from(days) {
            Level::Broken
        } else {
            Level::Soon
        };
        let waited = match waited {
            0 => "asked for today".to_string(),
            1 => "owed for 1 day".to_string(),
            n => format!("owed for {n} days"),
        };
        let message = format!(
            "{} is not signed by {} yet: asked for on {} ({waited}; after {days} days this is a \
             warning); the document prints as a draft until it is. {}",
            o.document,
            o.signer(),
            day(o.since),
            crate::model::text::upper_first(o.how_to_record),
        );
        let at = match o.review {
            Some(date) => At::Review(date, o.pointer.clone()),
            None => At::File(o.file, o.pointer.clone()),
        };
        c.report(RuleId::SignatureOwed, level, at, message);
    }
}

/// Each owed signature, by the day it becomes a warning (oldest first).
pub(super) fn due(due: &mut DueDates) {
    let days = due.program.check.signature_warning_days();
    for o in owed(due.record, due.as_of) {
        let what = format!(
            "signature of {} on {}, owed since {}",
            o.signer(),
            o.document,
            day(o.since)
        );
        due.add(RuleId::SignatureOwed, o.warning_from(days), what);
    }
}
