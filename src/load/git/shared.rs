//! The shared copy of the records (the program's repository on its server
//! or git host, git's `origin`) and the git steps of a sync: fetch, join,
//! send. The pipeline's `sync` decides when each is taken; nothing here
//! runs unless a person asked for a sync.

use std::path::PathBuf;

use super::{Repo, git, run, text};
use crate::error::Error;

/// The name git gives the records' merge driver in its configuration and
/// in `.gitattributes`.
pub const MERGE_DRIVER: &str = "casepaper";

/// The line of `.gitattributes` that has record files joined as records.
pub const ATTRIBUTES_LINE: &str = "records/**/*.yaml merge=casepaper";

/// Where this clone sends its commits and takes the others': a remote and
/// its branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub remote: String,
    pub branch: String,
}

impl Upstream {
    /// The remote-tracking name git keeps the shared copy's newest commit
    /// under (`origin/main`).
    pub fn tracking(&self) -> String {
        format!("{}/{}", self.remote, self.branch)
    }
}

/// How far this clone and the shared copy (as last fetched) are apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Apart {
    /// Commits here the shared copy does not have yet.
    pub ahead: usize,
    /// Commits in the shared copy not here yet.
    pub behind: usize,
}

/// What joining the shared copy's commits gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Join {
    /// Nothing was made here since: the shared copy's commits were taken
    /// as they are.
    FastForward,
    /// Both sides' changes are in the files, not yet committed.
    Joined,
    /// These files (paths in the repository) hold a value changed two ways.
    Conflicts(Vec<String>),
}

/// Why the shared copy could not be reached or did not take the commits.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreached {
    /// It could not be reached (offline, server down), with what git said.
    Offline(String),
    /// It has commits this clone has not joined yet (someone sent first).
    Moved,
}

impl Repo {
    fn git_here(&self) -> std::process::Command {
        let mut cmd = git(&self.git_top);
        cmd.env_remove("GIT_OPTIONAL_LOCKS");
        cmd
    }

    fn ok(&self, args: &[&str]) -> Result<String, Error> {
        run(self.git_here().args(args))
            .map(text)
            .map_err(Error::Git)
    }

    /// The shared copy: the branch's upstream, else `origin` and the
    /// branch of the same name; `None` when the repository has neither.
    pub fn upstream(&self) -> Option<Upstream> {
        let named = self
            .ok(&[
                "rev-parse",
                "--abbrev-ref",
                "--symbolic-full-name",
                "@{upstream}",
            ])
            .ok();
        let branch_here = self.ok(&["symbolic-ref", "--short", "HEAD"]).ok()?;
        let remote_of = self
            .ok(&["config", &format!("branch.{branch_here}.remote")])
            .ok();
        if let (Some(full), Some(remote)) = (named, remote_of)
            && let Some(branch) = full.strip_prefix(&format!("{remote}/"))
        {
            return Some(Upstream {
                branch: branch.to_string(),
                remote,
            });
        }
        let remotes = self.ok(&["remote"]).ok()?;
        remotes.lines().any(|r| r == "origin").then(|| Upstream {
            remote: "origin".to_string(),
            branch: branch_here,
        })
    }

    /// git's own folder for this repository (`.git`).
    pub fn git_dir(&self) -> Result<PathBuf, Error> {
        let dir = PathBuf::from(self.ok(&["rev-parse", "--git-dir"])?);
        Ok(match dir.is_absolute() {
            true => dir,
            false => self.git_top.join(dir),
        })
    }

    /// Has git join record files with `driver` (a command line with git's
    /// `%O %A %B %P %X %Y`), in this repository's configuration, and for
    /// a repository whose `.gitattributes` does not name it yet, in its
    /// own attributes (`.git/info/attributes`, never committed).
    pub fn use_merge_driver(&self, driver: &str) -> Result<(), Error> {
        let key = |k: &str| format!("merge.{MERGE_DRIVER}.{k}");
        self.ok(&[
            "config",
            "--local",
            &key("name"),
            "casepaper: records joined entry by entry",
        ])?;
        self.ok(&["config", "--local", &key("driver"), driver])?;
        let named = self
            .ok(&["check-attr", "merge", "--", "records/x/notes.yaml"])
            .is_ok_and(|out| out.ends_with(&format!(": {MERGE_DRIVER}")));
        if !named {
            let info = self.git_dir()?.join("info");
            std::fs::create_dir_all(&info)
                .and_then(|()| {
                    let path = info.join("attributes");
                    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push('\n');
                    }
                    text.push_str(ATTRIBUTES_LINE);
                    text.push('\n');
                    std::fs::write(path, text)
                })
                .map_err(|e| Error::Git(format!("git's attributes could not be written: {e}")))?;
        }
        Ok(())
    }

    /// Takes the shared copy's newest commits (nothing here changes), or
    /// says what git said when it could not be reached.
    pub fn fetch(&self, up: &Upstream) -> Result<(), String> {
        run(self.git_here().args(["fetch", "--quiet", &up.remote])).map(drop)
    }

    /// How far this clone and the shared copy as last fetched are apart.
    pub fn apart(&self, up: &Upstream) -> Apart {
        let counts = self
            .ok(&[
                "rev-list",
                "--left-right",
                "--count",
                &format!("HEAD...{}", up.tracking()),
            ])
            .unwrap_or_default();
        let mut n = counts.split_whitespace().map(|n| n.parse().unwrap_or(0));
        Apart {
            ahead: n.next().unwrap_or(0),
            behind: n.next().unwrap_or(0),
        }
    }

    /// Whether a join of the shared copy's commits is under way (begun,
    /// not yet committed).
    pub fn joining(&self) -> bool {
        self.ok(&["rev-parse", "--quiet", "--verify", "MERGE_HEAD"])
            .is_ok()
    }

    /// The files a join left holding a value changed two ways.
    pub fn conflicted(&self) -> Vec<String> {
        self.ok(&["diff", "--name-only", "--diff-filter=U", "-z"])
            .map(|out| {
                out.split('\0')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The files a join left holding a value changed two ways that still
    /// hold git's markers: a file chosen and written since (in the desk or
    /// an editor, the markers gone) is taken as chosen.
    pub fn still_conflicted(&self) -> Result<Vec<String>, Error> {
        let mut left = Vec::new();
        for path in self.conflicted() {
            let text = std::fs::read_to_string(self.git_top.join(&path)).unwrap_or_default();
            match crate::load::yaml::has_conflict_markers(&text) {
                true => left.push(path),
                false => {
                    self.ok(&["add", "--", &path])?;
                }
            }
        }
        Ok(left)
    }

    /// Stages every change under `dir` (a path in the repository), for the
    /// commit that finishes a join.
    pub fn stage_under(&self, dir: &str) -> Result<(), Error> {
        self.ok(&["add", "--all", "--", dir]).map(drop)
    }

    /// Joins the shared copy's commits into the files, committing nothing
    /// (a fast-forward when nothing was made here since).
    pub fn join(&self, up: &Upstream) -> Result<Join, Error> {
        let tracking = up.tracking();
        if self.apart(up).ahead == 0 {
            self.ok(&["merge", "--quiet", "--ff-only", &tracking])?;
            return Ok(Join::FastForward);
        }
        let joined = run(self.git_here().args([
            "merge",
            "--quiet",
            "--no-ff",
            "--no-commit",
            "--no-edit",
            &tracking,
        ]));
        match (joined, self.conflicted()) {
            (Ok(_), _) => Ok(Join::Joined),
            (Err(_), files) if !files.is_empty() => Ok(Join::Conflicts(files)),
            (Err(said), _) => Err(Error::Git(said)),
        }
    }

    /// Whether the commit `rev` joined two others (a merge).
    pub fn is_join(&self, rev: &str) -> bool {
        self.ok(&["rev-parse", "--quiet", "--verify", &format!("{rev}^2")])
            .is_ok()
    }

    /// Commits the join under way, with `message`.
    pub fn finish_join(&self, message: &str) -> Result<(), Error> {
        self.ok(&["commit", "--quiet", "-m", message]).map(drop)
    }

    /// Sends this clone's commits to the shared copy.
    pub fn send(&self, up: &Upstream) -> Result<(), Unreached> {
        let refspec = format!("HEAD:refs/heads/{}", up.branch);
        match run(self
            .git_here()
            .args(["push", "--quiet", &up.remote, &refspec]))
        {
            Ok(_) => {
                // The remote-tracking branch follows, so `apart` counts
                // nothing ahead even where git does not update it itself.
                let _ = self.fetch(up);
                Ok(())
            }
            Err(said) if said.contains("[rejected]") || said.contains("fetch first") => {
                Err(Unreached::Moved)
            }
            Err(said) => Err(Unreached::Offline(said)),
        }
    }

    /// Commits everything changed under `dir` (a path in the repository),
    /// with `message`; gives the commit's id, or `None` when nothing had
    /// changed.
    pub fn commit_all_under(&self, dir: &str, message: &str) -> Result<Option<String>, Error> {
        if self.uncommitted(&[dir.to_string()])?.is_empty() {
            return Ok(None);
        }
        self.commit_files(&[dir.to_string()], message).map(Some)
    }
}

/// git's own line by line merge of three files, written into `ours` (with
/// conflict markers where lines were changed two ways); `true` when it was
/// clean. For files that do not read as records.
pub fn merge_lines(
    ours: &std::path::Path,
    base: &std::path::Path,
    theirs: &std::path::Path,
    labels: [&str; 2],
) -> Result<bool, Error> {
    let mut cmd = std::process::Command::new("git");
    cmd.args([
        "merge-file",
        "-L",
        labels[0],
        "-L",
        "common",
        "-L",
        labels[1],
    ])
    .arg(ours)
    .arg(base)
    .arg(theirs)
    .stdin(std::process::Stdio::null());
    let status = cmd
        .status()
        .map_err(|e| Error::Git(format!("git could not be run ({e}); is git installed?")))?;
    match status.code() {
        Some(0) => Ok(true),
        Some(n) if n > 0 && n < 128 => Ok(false),
        _ => Err(Error::Git("git merge-file failed".to_string())),
    }
}
