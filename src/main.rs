//! casepaper: early-intervention case records (YAML in git) to the signed
//! paperwork families receive, as PDFs.
//!
//! The pipeline is the library (`casepaper::pipeline` and its stages); this
//! binary only parses the command line (`cli`) and dispatches to one
//! command (`cmd`), each a short list of the library's steps.

mod cli;
mod cmd;

use clap::Parser;

/// mimalloc instead of the system allocator: loading and Typst allocate
/// many small objects, and glibc's malloc/free were a fifth of `validate`'s
/// profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    cmd::exit(match cli.command {
        cli::Command::Validate(args) => cmd::validate(args),
        cli::Command::Render(args) => cmd::render(args),
        cli::Command::Watch(args) => cmd::watch(args),
        cli::Command::Check(args) => cmd::check(args),
        cli::Command::Verify(args) => cmd::verify(args),
        cli::Command::Export(args) => cmd::export(args),
        cli::Command::Log(args) => cmd::log(args),
        cli::Command::Due(args) => cmd::due(args),
        cli::Command::Init(args) => cmd::init(args),
        cli::Command::New(args) => cmd::new(args),
        cli::Command::Sync(args) => cmd::sync(args),
        cli::Command::MergeRecords(args) => cmd::merge_records(args),
        cli::Command::Schema(args) => cmd::schema(args),
        cli::Command::Completions(args) => cmd::completions(args),
        cli::Command::Man(args) => cmd::man(args),
        cli::Command::Serve(args) => cmd::serve(args),
    })
}
