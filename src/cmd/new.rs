//! `casepaper new`: record skeletons a coordinator fills in, made by
//! `casepaper::records::new`.

use std::path::{Path, PathBuf};

use super::outcome::{Outcome, Ran};
use crate::cli::{NewArgs, NewRecord};
use casepaper::error::Error;
use casepaper::model::today;
use casepaper::pipeline::{PROGRAM_FILE, find_root, records_or_here};
use casepaper::records::new;

pub fn new(args: NewArgs) -> Ran {
    let root = records_root(&args.records)?;
    let written = match args.record {
        NewRecord::Case { id } => new::case(&root, &id)?,
        NewRecord::Contact { case, date, kind } => {
            new::contact(&root, &case, date.unwrap_or_else(today), kind.as_deref())?
        }
        NewRecord::Plan { case, date } => new::plan(&root, &case, date.unwrap_or_else(today))?,
        NewRecord::Consent { case, action, date } => {
            new::consent(&root, &case, &action, date.unwrap_or_else(today))?
        }
        NewRecord::Review {
            case,
            date,
            meeting,
        } => {
            let review = new::review(&root, &case, date.unwrap_or_else(today), &meeting)?;
            if review.outcomes == 0 {
                eprintln!(
                    "note: no outcomes could be read from {}, so the review has one progress entry to fill",
                    review.plan.display()
                );
            }
            review.path
        }
        NewRecord::Exit { case, reason } => new::exit(&root, &case, &reason)?,
    };
    eprintln!(
        "wrote {}; fill in every empty element, then run `casepaper validate` to see what is left",
        written.display()
    );
    Ok(Outcome::Clean)
}

/// The records folder `--records` names: it must hold the program file.
fn records_root(named: &Path) -> Result<PathBuf, Error> {
    // Standing in the records folder or a case folder, the default names it.
    let here = records_or_here(&[named.to_path_buf()]);
    if here[0] != named {
        return Ok(find_root(&here[0])?);
    }
    if !named.join(PROGRAM_FILE).is_file() {
        return Err(Error::Records(format!(
            "{} is not a records folder: it has no {PROGRAM_FILE}; name one with --records",
            named.display()
        )));
    }
    Ok(named.to_path_buf())
}
