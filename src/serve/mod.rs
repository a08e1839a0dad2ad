//! `casepaper serve`: the coordinator's desk in a browser, on the
//! coordinator's own machine.
//!
//! An HTTP server (hyper, on loopback; [`server`] says what a request may
//! cost and how long it may take) answers the browser. Pages are
//! made on the server from minijinja templates (`templates/web/`), and work
//! without JavaScript; a vendored, pinned htmx updates the caseload in
//! place. Every page translates a request into the pipeline's runs
//! ([`crate::pipeline`]) and their answer into a typed view: the caseload
//! is `check` and `due` kept warm per case folder ([`desk`]), a case's
//! documents are an ordinary render run into the output folder (`out/`, as
//! `render`'s) with the renderer kept warm, and every form's record is
//! saved by [`crate::pipeline::save`], validated as the records would be
//! with it before it is written.
//!
//! HTTP is `server`'s (the connection), `http`'s (a request and a reply,
//! and the order of the checks) and `guard`'s (who is let in); `router` reads a
//! request's path once; `app` is the desk's state and what every page
//! shares; then one file per page: `caseload`, `case` (and its PDFs),
//! `record` (the record forms: a new case, a new record or list entry, a
//! note changed, the evaluation written into the case file), `sign`,
//! `edit`, `changes`, `sync` (the shared copy, and a file two people
//! changed two ways); `timeline` (the case's life, on its page). `forms` makes
//! fields from a schema and a record from a form; `kinds` knows each kind
//! of new record.
//!
//! ```text
//! Server::bind(options)        loopback address, the launch's host name, token, form token
//!   .url()                     the first address, with the token
//!   .run()                     answers requests until the process ends
//! ```

mod app;
mod branch;
mod case;
mod caseload;
mod changes;
mod desk;
mod drafts;
mod edit;
mod file_form;
mod forms;
mod guard;
mod http;
mod kinds;
mod meeting;
mod preview;
mod record;
mod router;
mod server;
mod sign;
mod sync;
mod timeline;

pub use http::{Head, MAX_BODY, Reply};
pub use server::{Limits, MAX_CONNECTIONS, Options, Server};
