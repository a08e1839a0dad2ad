//! `sync`: this computer's records and the team's shared copy made one;
//! and `merge-records`, the merge driver git runs for record files.

use casepaper::finding::Sources;
use casepaper::model::today;
use casepaper::pipeline::{NotSynced, SyncRequest, sync as run_sync};
use casepaper::records::merge::{Joined, Labels, join_texts};
use casepaper::{Error, pipeline::git};

use super::outcome::{Outcome, Ran};
use super::tell::report;
use crate::cli::{Format, MergeRecordsArgs, SyncArgs};

pub fn sync(args: SyncArgs) -> Ran {
    let request = SyncRequest::new(args.records, args.message, args.as_of.unwrap_or_else(today));
    match run_sync(&request) {
        Ok(synced) => {
            eprintln!("{}", synced.words());
            Ok(Outcome::Clean)
        }
        Err(NotSynced::Git(e)) => Err(e),
        Err(NotSynced::NotShared(words)) => Err(Error::Records(words)),
        Err(not) => {
            if let NotSynced::Invalid { findings }
            | NotSynced::Breaks { findings, .. }
            | NotSynced::Unsendable { findings, .. } = &not
            {
                report(findings, &Sources::new(), Format::Human);
            }
            eprintln!("not synced: {}", not.words());
            if let NotSynced::NeedsMessage { .. } = not {
                eprintln!("give them with --message \"...\"");
            }
            Ok(Outcome::Findings)
        }
    }
}

pub fn merge_records(args: MergeRecordsArgs) -> Ran {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|source| Error::Io {
            what: path.display().to_string(),
            action: casepaper::error::Action::Read,
            source,
        })
    };
    let labels = Labels {
        ours: args.ours_label.as_deref().unwrap_or("ours"),
        theirs: args.theirs_label.as_deref().unwrap_or("theirs"),
    };
    let texts = (read(&args.base), read(&args.ours), read(&args.theirs));
    let joined = match &texts {
        (Ok(base), Ok(ours), Ok(theirs)) => join_texts(base, ours, theirs, labels),
        _ => Joined::NotRecords,
    };
    let write = |text: &str| {
        std::fs::write(&args.ours, text).map_err(|source| Error::Io {
            what: args.ours.display().to_string(),
            action: casepaper::error::Action::Written,
            source,
        })
    };
    match joined {
        Joined::Clean(text) => write(&text).map(|()| Outcome::Clean),
        Joined::Conflict { text, .. } => write(&text).map(|()| Outcome::Findings),
        Joined::NotRecords => {
            let clean = git::merge_lines(
                &args.ours,
                &args.base,
                &args.theirs,
                [labels.ours, labels.theirs],
            )?;
            Ok(if clean {
                Outcome::Clean
            } else {
                Outcome::Findings
            })
        }
    }
}
