//! Every integration test, in one binary with a module per area: each
//! drives the real `casepaper` binary, its server or a browser on fixture
//! folders (`common` is the one helper they share) and compares whole
//! answers.

mod common;

mod access;
mod browser;
mod check;
mod documents;
mod events;
mod everyday;
mod history;
mod hostile;
mod languages;
mod licences;
mod notices;
mod plan;
mod reliability;
mod render;
mod required;
mod serve;
mod team;
mod validate;
mod walkthrough;
