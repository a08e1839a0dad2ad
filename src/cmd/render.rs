//! `render`: documents from the records, now or as they were at a commit.

use std::time::{Duration, Instant};

use casepaper::pipeline::{self, RenderConfig, RenderRun, Warm};

use super::outcome::{Outcome, Ran};
use super::place::place;
use super::tell::{self, report};
use crate::cli::RenderArgs;

pub fn render(args: RenderArgs) -> Ran {
    render_warm(&args, &mut Warm::default())
}

/// `render`, reusing the renderer `warm` holds (`watch` keeps it between
/// runs).
pub fn render_warm(args: &RenderArgs, warm: &mut Warm) -> Ran {
    let start = Instant::now();
    let place = place(args)?;
    let config = RenderConfig {
        paths: place.paths.clone(),
        out: place.out.clone(),
        options: args.options()?,
        snapshot: place.snapshot.as_ref().map(|s| s.repo.clone()),
        lock_wait: Duration::ZERO,
        profile: args.profile,
    };
    let run = RenderRun::start(&config)?;
    if !tell::git_state(&run) {
        return Ok(Outcome::Findings);
    }
    let progress = tell::Progress::bar();
    let mut made = run.render(warm, &progress)?;
    progress.finish();
    let valid = &made.valid;
    report(valid.findings(), &valid.caseload.sources, args.format);
    if valid.program().is_none() {
        let program_file = valid.caseload.root.join(pipeline::PROGRAM_FILE);
        eprintln!(
            "nothing rendered: the program file has errors (fix {} first)",
            program_file.display()
        );
        return Ok(Outcome::Findings);
    }
    tell::failures(&mut made.report, &place.out_shown)?;
    tell::rendered(&made, &place.out_shown);
    if args.timings || args.profile {
        let renderer = warm.renderer(&made.valid)?;
        if args.timings {
            tell::timings(start, &made.report, renderer);
        }
        if args.profile {
            tell::profile(&renderer.profile);
        }
    }
    Ok(if made.report.failed.is_empty() {
        Outcome::of(made.valid.findings())
    } else {
        Outcome::Findings
    })
}
