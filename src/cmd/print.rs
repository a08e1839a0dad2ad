//! Commands that print something for other tools: a record kind's JSON
//! Schema, and shell completions.

use std::io::Write;

use clap::CommandFactory;

use super::{CLEAN, Fatal};
use crate::cli::{Cli, CompletionsArgs, SchemaArgs};
use crate::validate::schemas::bundled;

pub fn schema(args: SchemaArgs) -> Result<u8, Fatal> {
    let text = serde_json::to_string_pretty(&bundled(args.kind))
        .map_err(|e| Fatal(format!("the schema cannot be written: {e}")))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Fatal(format!("the schema cannot be written: {e}")))?;
    Ok(CLEAN)
}

pub fn completions(args: CompletionsArgs) -> Result<u8, Fatal> {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "casepaper",
        &mut std::io::stdout(),
    );
    Ok(CLEAN)
}
