//! Commands that print something for other tools: a record kind's JSON
//! Schema, shell completions and the manual page.

use std::io::Write;

use clap::CommandFactory;

use super::outcome::{Outcome, Ran};
use crate::cli::{Cli, CompletionsArgs, ManArgs, SchemaArgs};
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

pub fn man(args: ManArgs) -> Ran {
    let mut cli = Cli::command();
    // Built, so `help` is among the commands, as the first page lists it.
    cli.build();
    let Some(dir) = args.out else {
        let mut out = std::io::stdout().lock();
        clap_mangen::Man::new(cli)
            .render(&mut out)
            .map_err(|e| Error::written("the manual page", e))?;
        return Ok(Outcome::Clean);
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::made(dir.display(), e))?;
    // The page of each command is named as the first page lists it
    // (casepaper-render(1)); hidden commands (git's merge driver) have none.
    let pages = std::iter::once(cli.clone()).chain(
        (cli.get_subcommands())
            .filter(|c| !c.is_hide_set())
            .map(|c| c.clone().name(format!("casepaper-{}", c.get_name()))),
    );
    for page in pages {
        let path = dir.join(format!("{}.1", page.get_name()));
        let mut text = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut text)
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| Error::written(path.display(), e))?;
    }
    Ok(Outcome::Clean)
}
