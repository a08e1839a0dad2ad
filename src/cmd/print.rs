//! Commands that print something for other tools: a record kind's JSON
//! Schema, shell completions and the manual page.

use std::io::Write;

use clap::CommandFactory;

use super::outcome::{Outcome, Ran};
use crate::cli::{Cli, CompletionsArgs, SchemaArgs};
use casepaper::error::Error;
use casepaper::pipeline::schemas::bundled;

pub fn schema(args: SchemaArgs) -> Ran {
    let text = serde_json::to_string_pretty(&bundled(args.kind))
        .map_err(|e| Error::written("the schema", e.into()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Error::written("the schema", e))?;
    Ok(Outcome::Clean)
}

pub fn completions(args: CompletionsArgs) -> Ran {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "casepaper",
        &mut std::io::stdout(),
    );
    Ok(Outcome::Clean)
}

pub fn man() -> Ran {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Error::written("the manual page", e))?;
    Ok(Outcome::Clean)
}
