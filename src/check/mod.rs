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
//! program's own settings), `case` (the shared base every rule builds on:
//! one case being checked, where a finding points, what "soon" is), then
//! one file per topic (`consents`, `notices`, `signatures`, `transition`,
//! `delivery`, `staff`, `initial` for the 45-day timeline), `rules` (the
//! rules not yet in a topic file of their own, and the order all run in),
//! `deadlines` (the dates `due` lists) and `checker` (a caseload a batch
//! at a time). Nothing low imports anything above it.

mod case;
mod checker;
mod consents;
mod deadlines;
pub mod delivery;
mod initial;
pub mod notices;
mod rules;
mod settings;
pub mod signatures;
mod staff;
pub mod transition;

pub use case::day;
pub use checker::Checker;
pub use deadlines::{Deadline, deadlines};
pub use initial::initial_plan_due;
pub use settings::{RULES, Rule};
pub use staff::{Coordinated, coordinator_certificates};
