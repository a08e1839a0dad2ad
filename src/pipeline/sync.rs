//! A sync: this clone's records and the team's shared copy made one, as
//! safely as a person who is not a programmer needs it. What is pending is
//! committed (with the message the person gives, once the records
//! validate); the shared copy's commits are fetched and joined, record
//! files entry by entry (`casepaper merge-records`); the joined records
//! are validated and held to the rules; and only when the join breaks
//! nothing that neither side broke alone are the commits sent. Offline,
//! the commits wait here for the next sync. No step throws a commit away:
//! a join that cannot be finished is left under way, for the desk (or an
//! editor) to finish, and the next sync goes on from there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{BATCH, Records};
use crate::error::Error;
use crate::finding::{Finding, Severity};
use crate::load::git::{self, Apart, Join, Repo, Unreached};

/// What a sync is asked to do.
#[derive(Debug, Clone)]
pub struct SyncRequest {
    /// The records folder.
    pub records: PathBuf,
    /// The message for the commit of what is pending, if anything is.
    pub message: Option<String>,
    /// The day the rules are held to.
    pub as_of: NaiveDate,
    /// The merge driver's command line for git (`%O %A %B %P %X %Y`).
    pub driver: String,
}

impl SyncRequest {
    /// A sync of `records`, with git running this program as the records'
    /// merge driver.
    pub fn new(records: PathBuf, message: Option<String>, as_of: NaiveDate) -> SyncRequest {
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "casepaper".to_string());
        SyncRequest {
            records,
            message,
            as_of,
            driver: format!(
                "'{}' merge-records %O %A %B %P %X %Y",
                exe.replace('\'', "'\\''")
            ),
        }
    }
}

/// A sync that ran to the end: the shared copy and this clone hold the
/// same commits.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// The commit of what was pending, when something was.
    pub committed: Option<String>,
    /// Commits taken from the shared copy.
    pub received: usize,
    /// Commits sent to it.
    pub sent: usize,
}

/// Why a sync stopped before the end; nothing was lost, and the next sync
/// goes on from where this one stopped.
#[derive(Debug)]
pub enum NotSynced {
    /// The records are not in a git repository, or it has no shared copy.
    NotShared(String),
    /// Records are changed and not committed, and no message was given.
    NeedsMessage { files: Vec<String> },
    /// The changed records do not validate; nothing was committed.
    Invalid { findings: Vec<Finding> },
    /// The shared copy could not be reached; `ahead` commits wait here.
    Offline {
        committed: Option<String>,
        ahead: usize,
        said: String,
    },
    /// These files (paths in the repository) hold a value two people
    /// changed two ways; the join is under way.
    Conflicts {
        committed: Option<String>,
        files: Vec<String>,
    },
    /// Others sent to the shared copy each time this sync was about to;
    /// `ahead` commits wait here.
    Busy {
        committed: Option<String>,
        ahead: usize,
    },
    /// The joined records break rules neither side broke alone; the join
    /// is under way and nothing was sent.
    Breaks {
        committed: Option<String>,
        findings: Vec<Finding>,
    },
    /// This computer's commits, made outside a sync, have errors the
    /// shared copy does not (or, for a join, that neither side had); nothing
    /// was sent.
    Unsendable {
        committed: Option<String>,
        findings: Vec<Finding>,
    },
    /// git could not do a step.
    Git(Error),
}

impl Synced {
    /// What the sync did, in a sentence.
    pub fn words(&self) -> String {
        let mut did = Vec::new();
        if let Some(commit) = &self.committed {
            did.push(format!(
                "committed the changed records ({})",
                &commit[..git::SHORT_COMMIT.min(commit.len())]
            ));
        }
        if self.received > 0 {
            did.push(format!(
                "took {} from the shared copy",
                commits(self.received)
            ));
        }
        if self.sent > 0 {
            did.push(format!("sent {} to the shared copy", commits(self.sent)));
        }
        match did.is_empty() {
            true => "synced: this computer and the shared copy already held the same records"
                .to_string(),
            false => format!(
                "synced: {}; this computer and the shared copy now hold the same records",
                did.join(", ")
            ),
        }
    }
}

/// `1 commit`, `2 commits`.
fn commits(n: usize) -> String {
    match n {
        1 => "1 commit".to_string(),
        n => format!("{n} commits"),
    }
}

impl NotSynced {
    /// Why the sync stopped, what is kept, and what to do, in words.
    pub fn words(&self) -> String {
        let committed = |c: &Option<String>| match c {
            Some(_) => "the changed records were committed; ",
            None => "",
        };
        match self {
            NotSynced::NotShared(words) => words.clone(),
            NotSynced::NeedsMessage { files } => format!(
                "{} changed and not committed yet ({}); a sync commits them first, \
                 with a few words on what changed",
                match files.len() {
                    1 => "1 record file is".to_string(),
                    n => format!("{n} record files are"),
                },
                files.join(", ")
            ),
            NotSynced::Invalid { findings } => format!(
                "the changed records have {} (above), so nothing was committed or sent; \
                 mend them, then sync again",
                errors_count(findings.len())
            ),
            NotSynced::Offline {
                committed: c,
                ahead,
                said,
            } => format!(
                "{}the shared copy could not be reached ({}); {}",
                committed(c),
                said.lines().next().unwrap_or("no answer"),
                waiting(*ahead),
            ),
            NotSynced::Busy {
                committed: c,
                ahead,
            } => format!(
                "{}others sent to the shared copy {ATTEMPTS} times while this sync ran; {}",
                committed(c),
                waiting(*ahead),
            ),
            NotSynced::Conflicts {
                committed: c,
                files,
            } => format!(
                "{}two people changed the same thing in {}: choose what is right on the desk's \
                 Sync page, which shows both versions side by side (or, in an editor, keep the \
                 right lines between `<<<<<<<`, `=======` and `>>>>>>>` and remove those three \
                 lines), then sync again; nothing was sent",
                committed(c),
                files.join(", ")
            ),
            NotSynced::Breaks {
                committed: c,
                findings,
            } => format!(
                "{}the records joined with the shared copy's changes have {} that neither \
                 copy had alone (above), so nothing was sent; mend the records on the desk \
                 or in the files, then sync again (the joined records stay here until then)",
                committed(c),
                errors_count(findings.len())
            ),
            NotSynced::Unsendable {
                committed: c,
                findings,
            } => format!(
                "{}this computer's commits have {} the shared copy does not have (above), so \
                 nothing was sent; mend the records on the desk or in the files, then sync \
                 again with a few words on what you mended",
                committed(c),
                errors_count(findings.len())
            ),
            NotSynced::Git(e) => e.to_string(),
        }
    }
}

/// What waits on this computer for the next sync.
fn waiting(ahead: usize) -> String {
    match ahead {
        0 => "nothing waits to be sent; sync again later".to_string(),
        1 => {
            "nothing is lost: 1 commit waits on this computer and goes at the next sync".to_string()
        }
        n => format!("nothing is lost: {n} commits wait on this computer and go at the next sync"),
    }
}

fn errors_count(n: usize) -> String {
    match n {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    }
}

impl From<Error> for NotSynced {
    fn from(e: Error) -> NotSynced {
        NotSynced::Git(e)
    }
}

/// Where a clone stands against the shared copy, as last fetched: for the
/// desk, without reaching the network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    pub apart: Apart,
    /// When the last sync ran to the end here (local time), if ever.
    pub last: Option<String>,
    /// A join is under way (conflicts to choose, or records to mend).
    pub joining: bool,
    /// Files holding a value changed two ways.
    pub conflicted: Vec<String>,
}

/// The file in git's folder that holds when the last sync ran to the end.
const LAST_SYNC: &str = "casepaper-last-sync";

/// How many times a sync joins again when someone sent first meanwhile.
const ATTEMPTS: usize = 3;

/// Where the records in `records` stand against their shared copy, or
/// `None` when they have none.
pub fn sync_state(records: &Path) -> Option<SyncState> {
    let repo = Repo::discover(records)?;
    let up = repo.upstream()?;
    let last = repo
        .git_dir()
        .ok()
        .and_then(|dir| std::fs::read_to_string(dir.join(LAST_SYNC)).ok())
        .map(|text| text.trim().to_string());
    Some(SyncState {
        apart: repo.apart(&up),
        last,
        joining: repo.joining(),
        conflicted: repo.conflicted(),
    })
}

/// Syncs the records in `req.records` with their shared copy.
pub fn sync(req: &SyncRequest) -> Result<Synced, NotSynced> {
    let repo = Repo::discover(&req.records).ok_or_else(|| {
        NotSynced::NotShared(format!(
            "{} is not in a git repository, so there is no shared copy to sync with; \
             ask the program's IT for the shared repository's address and clone it \
             (README.md, \"Working as a team\")",
            req.records.display()
        ))
    })?;
    let up = repo.upstream().ok_or_else(|| {
        NotSynced::NotShared(
            "this repository is not a clone of a shared one, so there is nothing to sync \
             with (git has no `origin`); ask the program's IT for the shared repository's \
             address and clone it (README.md, \"Working as a team\")"
                .to_string(),
        )
    })?;
    repo.use_merge_driver(&req.driver)?;
    let dir = repo.path_of(&req.records).unwrap_or_default();
    let mut synced = Synced::default();
    if !repo.joining() {
        synced.committed = commit_pending(&repo, req, &dir)?;
    }
    let committed = || synced.committed.clone();
    // This sync joined and checked the commits it is about to send.
    let mut joined_here = false;
    for _ in 0..ATTEMPTS {
        if !repo.joining() {
            if let Err(said) = repo.fetch(&up) {
                return Err(NotSynced::Offline {
                    committed: committed(),
                    ahead: repo.apart(&up).ahead,
                    said,
                });
            }
            let behind = repo.apart(&up).behind;
            if behind > 0 {
                match repo.join(&up)? {
                    Join::FastForward | Join::Joined => synced.received += behind,
                    Join::Conflicts(files) => {
                        return Err(NotSynced::Conflicts {
                            committed: committed(),
                            files,
                        });
                    }
                }
            }
        }
        if repo.joining() {
            let files = repo.still_conflicted()?;
            if !files.is_empty() {
                return Err(NotSynced::Conflicts {
                    committed: committed(),
                    files,
                });
            }
            repo.stage_under(&dir)?;
            let findings = new_errors(&req.records, &["HEAD", "MERGE_HEAD"], req.as_of, true)?;
            if !findings.is_empty() {
                return Err(NotSynced::Breaks {
                    committed: committed(),
                    findings,
                });
            }
            repo.finish_join(&format!(
                "Joined the records of the shared copy ({})",
                up.tracking()
            ))?;
            joined_here = true;
        }
        let ahead = repo.apart(&up).ahead;
        if ahead == 0 {
            return Ok(finished(&repo, synced));
        }
        // Commits made outside a sync (a join finished by hand, a file
        // committed on the Changes page) are held to the same bar before
        // they leave: a join by its two sides, others by the shared copy.
        if !joined_here {
            let findings = match repo.is_join("HEAD") {
                true => new_errors(&req.records, &["HEAD^1", "HEAD^2"], req.as_of, true)?,
                false => new_errors(&req.records, &[&up.tracking()], req.as_of, false)?,
            };
            if !findings.is_empty() {
                return Err(NotSynced::Unsendable {
                    committed: committed(),
                    findings,
                });
            }
        }
        match repo.send(&up) {
            Ok(()) => {
                synced.sent = ahead;
                return Ok(finished(&repo, synced));
            }
            // Someone sent first: their commits are joined, then ours sent.
            Err(Unreached::Moved) => continue,
            Err(Unreached::Offline(said)) => {
                return Err(NotSynced::Offline {
                    committed: committed(),
                    ahead,
                    said,
                });
            }
        }
    }
    Err(NotSynced::Busy {
        committed: committed(),
        ahead: repo.apart(&up).ahead,
    })
}

/// The sync's end written down, for the desk to show.
fn finished(repo: &Repo, synced: Synced) -> Synced {
    if let Ok(dir) = repo.git_dir() {
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
        let _ = std::fs::write(dir.join(LAST_SYNC), format!("{now}\n"));
    }
    synced
}

/// Commits the records changed under `dir` with the request's message,
/// once they validate.
fn commit_pending(repo: &Repo, req: &SyncRequest, dir: &str) -> Result<Option<String>, NotSynced> {
    let pending = repo.uncommitted(&[dir.to_string()])?;
    if pending.is_empty() {
        return Ok(None);
    }
    let Some(message) = req.message.as_deref().filter(|m| !m.trim().is_empty()) else {
        return Err(NotSynced::NeedsMessage {
            files: pending.into_iter().collect(),
        });
    };
    let valid = Records::open(std::slice::from_ref(&req.records))?
        .load_later(None)
        .validate_in_batches(BATCH, |_| Vec::new());
    let findings: Vec<Finding> = errors(valid.findings());
    if !findings.is_empty() {
        return Err(NotSynced::Invalid { findings });
    }
    Ok(repo.commit_all_under(dir, message)?)
}

fn errors(findings: &[Finding]) -> Vec<Finding> {
    (findings.iter())
        .filter(|f| f.severity == Severity::Error)
        .cloned()
        .collect()
}

/// The errors in the records now that the records of none of `revs` had:
/// with the two sides of a join, what two people's changes, each sound,
/// break together (`rules`: held to the rules as well as validated); with
/// the shared copy alone, what this computer's commits would bring it.
fn new_errors(
    records: &Path,
    revs: &[&str],
    as_of: NaiveDate,
    rules: bool,
) -> Result<Vec<Finding>, Error> {
    let found = |records: &Path| match rules {
        true => checked(records, as_of),
        false => validated(records),
    };
    let sides: Vec<BTreeSet<(String, String, String)>> = (revs.iter())
        .map(|rev| {
            let snapshot = git::snapshot(records, rev)?;
            let found = found(&snapshot.cwd)?;
            Ok(found.iter().map(|f| same(f, &snapshot.cwd)).collect())
        })
        .collect::<Result<_, Error>>()?;
    Ok(found(records)?
        .into_iter()
        .filter(|f| !sides.iter().any(|side| side.contains(&same(f, records))))
        .collect())
}

/// The errors of validation in the records at `records`.
fn validated(records: &Path) -> Result<Vec<Finding>, Error> {
    let valid = Records::open(&[records.to_path_buf()])?
        .load_later(None)
        .validate_in_batches(BATCH, |_| Vec::new());
    Ok(errors(valid.findings()))
}

/// The errors of validation and of the rules in the records at `records`.
fn checked(records: &Path, as_of: NaiveDate) -> Result<Vec<Finding>, Error> {
    let valid = Records::open(&[records.to_path_buf()])?
        .load_later(None)
        .check_in_batches(BATCH, as_of, |_| {});
    Ok(errors(valid.findings()))
}

/// A finding as the same problem in another copy of the records: its file
/// within the records, its code and its message.
fn same(f: &Finding, records: &Path) -> (String, String, String) {
    let file = f.file.strip_prefix(records).unwrap_or(&f.file);
    (
        crate::load::slash_path(file),
        f.code.to_string(),
        f.message.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_waits_is_said_by_its_count() {
        let offline = |ahead| NotSynced::Offline {
            committed: None,
            ahead,
            said: "fatal: could not read from remote repository.\nmore".to_string(),
        };
        assert_eq!(
            offline(0).words(),
            "the shared copy could not be reached (fatal: could not read from remote repository.); \
             nothing waits to be sent; sync again later"
        );
        assert_eq!(
            offline(1).words(),
            "the shared copy could not be reached (fatal: could not read from remote repository.); \
             nothing is lost: 1 commit waits on this computer and goes at the next sync"
        );
        let busy = NotSynced::Busy {
            committed: Some("0123456789abcdef".to_string()),
            ahead: 2,
        };
        assert_eq!(
            busy.words(),
            "the changed records were committed; others sent to the shared copy 3 times while this \
             sync ran; nothing is lost: 2 commits wait on this computer and go at the next sync"
        );
        let synced = Synced {
            committed: Some("0123456789abcdef".to_string()),
            received: 1,
            sent: 0,
        };
        assert_eq!(
            synced.words(),
            "synced: committed the changed records (0123456789), took 1 commit from the shared copy; \
             this computer and the shared copy now hold the same records"
        );
        assert_eq!(
            Synced::default().words(),
            "synced: this computer and the shared copy already held the same records"
        );
    }
}
