//! Stage 3, check: the rules a coordinator is held to across records and
//! over time (monthly contact, consent before services, reviews every six
//! months, the transition at three ...), judged on one date, `--as-of`, so a
//! check gives the same answer on any day it is rerun.
//!
//! Every rule has a stable id and a default severity in the profile of the
//! state whose rules apply (the case's `state`, else the program's); a
//! program can switch a rule off or change its severity in `rules:` of its
//! program file. Findings point at the record element that is late or
//! missing, with the same shape as `validate`'s.
//!
//! The files, from the bottom up: `settings` (the rule table and a
//! program's own settings), `case` (the shared base every topic builds on:
//! one case being checked, where a finding points, what "soon" is, a
//! deadline and the dates being gathered), then one file per topic, each
//! owning both its rules and the dates `due` lists for them: `contact`,
//! `meetings`, `services` (with `delivery`, the sessions the notes show),
//! `consents`, `notices`, `transition`, `exit`, `records` (releases and
//! access), `signatures`, `staff`.
//! Above them `rules` (the order the rules about a case run in),
//! `deadlines` (a case's dates, gathered from the topics) and `checker` (a
//! caseload a batch at a time). Nothing low imports anything above it.

mod case;
mod checker;
mod consents;
mod contact;
mod deadlines;
pub mod delivery;
mod exit;
mod meetings;
pub mod notices;
mod records;
mod rules;
mod services;
mod settings;
pub mod signatures;
mod staff;
pub mod transition;

pub use case::Deadline;
pub use checker::Checker;
pub use deadlines::deadlines;
pub use meetings::initial_plan_due;
pub use settings::{RULES, Rule};
pub use staff::{Coordinated, coordinator_certificates};
