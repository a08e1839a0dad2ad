//! Records kept in git: which commit last changed each input, which inputs
//! have uncommitted changes, and the records as they were at a past commit.
//!
//! This runs the `git` command rather than linking a git library: every
//! program keeping records in git has it installed, it reads every repository
//! format and configuration git itself writes (worktrees, packs, partial
//! clones, `safe.directory`), and it keeps several minutes of compilation
//! (gix) out of every build. Reading uses only read-only plumbing
//! (`rev-parse`, `status`, `log`, `ls-tree`, `cat-file`, `diff`), with
//! optional locks off. It writes only when a person asks: the desk's
//! commit ([`Repo::commit_files`]), and a sync (`shared`: commit, fetch,
//! merge, push; the pipeline's `sync` decides when).

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::Error;

mod shared;
pub use shared::{ATTRIBUTES_LINE, Apart, Join, MERGE_DRIVER, Unreached, Upstream, merge_lines};

/// How many hex digits of a commit id footers and `log` show.
pub const SHORT_COMMIT: usize = 10;

/// A git repository holding records.
#[derive(Debug, Clone)]
pub struct Repo {
    /// Where git runs: the repository's top folder on disk.
    git_top: PathBuf,
    /// The folder whose files mirror the repository's top folder: the same
    /// as `git_top`, or a snapshot's folder when rendering a past commit.
    files_top: PathBuf,
    /// The commit the files are from; `None` for the working tree.
    commit: Option<String>,
}

/// One commit: its full id and its commit time (seconds since 1970, UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: String,
    pub time: i64,
    pub date: String,
    pub subject: String,
}

impl Commit {
    pub fn short(&self) -> &str {
        &self.id[..SHORT_COMMIT.min(self.id.len())]
    }
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off"])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_LITERAL_PATHSPECS", "1")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    cmd
}

/// Runs a git command and returns its standard output, or what git said.
fn run(cmd: &mut Command) -> Result<Vec<u8>, String> {
    let output = cmd
        .output()
        .map_err(|e| format!("git could not be run ({e}); is git installed?"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim_end().to_string()
}

/// A path on disk as a path in the repository (`records/ct-2025-0117`), with
/// `/` between names.
fn relative(top: &Path, local: &Path) -> Option<String> {
    let real = std::fs::canonicalize(local).ok()?;
    Some(super::slash_path(real.strip_prefix(top).ok()?))
}

impl Repo {
    /// The repository the folder `dir` is in, as its working tree; `None`
    /// when it is not in one (or git is not installed).
    pub fn discover(dir: &Path) -> Option<Repo> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let top = text(run(git(dir).args(["rev-parse", "--show-toplevel"])).ok()?);
        let top = std::fs::canonicalize(top).ok()?;
        Some(Repo {
            git_top: top.clone(),
            files_top: top,
            commit: None,
        })
    }

    /// The commit the files are from, when they are a snapshot.
    pub fn commit(&self) -> Option<&str> {
        self.commit.as_deref()
    }

    /// A file or folder on disk as a path in the repository.
    pub fn path_of(&self, local: &Path) -> Option<String> {
        relative(&self.files_top, local)
    }

    /// Whether a path in the repository exists in the files rendered from.
    pub fn exists(&self, path: &str) -> bool {
        self.files_top.join(path).exists()
    }

    /// The commits that changed anything under `paths` (paths in the
    /// repository), newest first, with the files each changed.
    pub fn history(&self, paths: &[String]) -> Result<History, Error> {
        let mut cmd = git(&self.git_top);
        cmd.args([
            "log",
            "-z",
            "--no-renames",
            "--name-only",
            "--format=%x01%H%x02%ct%x02%cs%x02%s",
        ]);
        cmd.arg(self.commit.as_deref().unwrap_or("HEAD"));
        cmd.arg("--").args(paths);
        let out = match run(&mut cmd) {
            Ok(out) => out,
            // A repository without any commit yet has no history.
            Err(e) if e.contains("does not have any commits") || e.contains("unknown revision") => {
                return Ok(History::default());
            }
            Err(e) => return Err(Error::Git(e)),
        };
        let mut history = History::default();
        for token in out.split(|b| *b == 0) {
            let token = String::from_utf8_lossy(token);
            let token = token.trim_start_matches('\n');
            if let Some(header) = token.strip_prefix('\u{1}') {
                let mut parts = header.splitn(4, '\u{2}');
                let id = parts.next().unwrap_or_default().to_string();
                let time = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0);
                let date = parts.next().unwrap_or_default().to_string();
                let subject = parts.next().unwrap_or_default().to_string();
                history.commits.push(Commit {
                    id,
                    time,
                    date,
                    subject,
                });
            } else if !token.is_empty() && !history.commits.is_empty() {
                let index = history.commits.len() - 1;
                history.newest.entry(token.to_string()).or_insert(index);
            }
        }
        Ok(history)
    }

    /// The paths under `paths` with changes not committed: modified, staged,
    /// deleted or new (untracked) files. Empty for a snapshot.
    pub fn uncommitted(&self, paths: &[String]) -> Result<BTreeSet<String>, Error> {
        if self.commit.is_some() {
            return Ok(BTreeSet::new());
        }
        let mut cmd = git(&self.git_top);
        cmd.args(["status", "--porcelain=v1", "-z", "--untracked-files=all"]);
        cmd.arg("--").args(paths);
        let out = run(&mut cmd).map_err(Error::Git)?;
        let mut dirty = BTreeSet::new();
        let mut fields = out.split(|b| *b == 0);
        while let Some(entry) = fields.next() {
            if entry.len() < 4 {
                continue;
            }
            let status = &entry[..2];
            dirty.insert(String::from_utf8_lossy(&entry[3..]).to_string());
            // A rename or copy is followed by the path it came from.
            if (status.contains(&b'R') || status.contains(&b'C'))
                && let Some(from) = fields.next()
            {
                dirty.insert(String::from_utf8_lossy(from).to_string());
            }
        }
        Ok(dirty)
    }
}

impl Repo {
    /// What changed under `paths` since the last commit, as `git diff`
    /// shows it (new files in full).
    pub fn diff(&self, paths: &[String]) -> Result<String, Error> {
        let new = self.untracked(paths)?;
        let mut cmd = git(&self.git_top);
        cmd.args(["diff", "--no-color", "--no-ext-diff", "HEAD", "--"])
            .args(paths);
        let mut out = match run(&mut cmd) {
            Ok(bytes) => text(bytes),
            // No commit yet: everything is new.
            Err(_) => String::new(),
        };
        for path in new {
            let mut cmd = git(&self.git_top);
            cmd.args(["diff", "--no-color", "--no-index", "--", "/dev/null"])
                .arg(&path);
            // `--no-index` exits 1 when the files differ, as they do.
            let output = cmd
                .output()
                .map_err(|e| Error::Git(format!("git could not be run ({e})")))?;
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&text(output.stdout));
        }
        Ok(out)
    }

    /// Files under `paths` git does not know yet.
    fn untracked(&self, paths: &[String]) -> Result<Vec<String>, Error> {
        let mut cmd = git(&self.git_top);
        cmd.args(["ls-files", "-z", "--others", "--exclude-standard", "--"])
            .args(paths);
        let out = run(&mut cmd).map_err(Error::Git)?;
        Ok(out
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).to_string())
            .collect())
    }

    /// Whether git knows who commits here: a name and an e-mail address,
    /// from its configuration or the environment.
    pub fn knows_who_commits(&self) -> bool {
        ["GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"]
            .iter()
            .all(|var| run(git(&self.git_top).args(["var", var])).is_ok())
    }

    /// The name git commits under here, when it knows one.
    pub fn who_commits(&self) -> Option<String> {
        let ident = text(run(git(&self.git_top).args(["var", "GIT_AUTHOR_IDENT"])).ok()?);
        let name = ident.split(" <").next()?.trim().to_string();
        (!name.is_empty()).then_some(name)
    }

    /// Makes `name` and `email` who commits in this repository (its own
    /// configuration; the user's other repositories are left as they are).
    pub fn set_who_commits(&self, name: &str, email: &str) -> Result<(), Error> {
        for (key, value) in [("user.name", name), ("user.email", email)] {
            run(git(&self.git_top).args(["config", "--local", key, value])).map_err(Error::Git)?;
        }
        Ok(())
    }

    /// Commits `files` (paths in the repository; new, changed or deleted)
    /// with `message`, as the user's own git identity; gives the new
    /// commit's id. Nothing else is committed, and nothing is pushed; but
    /// while a join of the shared copy is under way, the commit finishes
    /// it and holds the join's files too (git commits a join whole).
    pub fn commit_files(&self, files: &[String], message: &str) -> Result<String, Error> {
        // The message and the list go through files: a command line is
        // bounded by the system's argument limit (128 KB on Linux).
        let written = |bytes: &[u8]| {
            let mut file = tempfile::NamedTempFile::new()?;
            std::io::Write::write_all(&mut file, bytes)?;
            Ok::<_, std::io::Error>(file)
        };
        let unwritten =
            |e: std::io::Error| Error::Git(format!("the commit could not be prepared: {e}"));
        let list: Vec<u8> = files.iter().flat_map(|f| f.bytes().chain([0])).collect();
        let list = written(&list).map_err(unwritten)?;
        let message = written(message.as_bytes()).map_err(unwritten)?;
        let pathspec = |cmd: &mut Command| {
            cmd.arg("--pathspec-from-file")
                .arg(list.path())
                .arg("--pathspec-file-nul");
        };
        let mut add = git(&self.git_top);
        add.args(["add", "--all"]);
        pathspec(&mut add);
        run(&mut add).map_err(Error::Git)?;
        let mut commit = git(&self.git_top);
        commit
            .env_remove("GIT_OPTIONAL_LOCKS")
            .args(["commit", "--quiet", "--cleanup=whitespace", "--file"])
            .arg(message.path());
        if !self.joining() {
            pathspec(&mut commit);
        }
        run(&mut commit).map_err(Error::Git)?;
        let head = run(git(&self.git_top).args(["rev-parse", "HEAD"])).map_err(Error::Git)?;
        Ok(text(head))
    }
}

/// The commits that changed a set of paths, newest first, and for each path
/// the newest commit that changed it.
#[derive(Debug, Default)]
pub struct History {
    pub commits: Vec<Commit>,
    /// Path in the repository to its newest commit (an index into `commits`).
    newest: HashMap<String, usize>,
}

impl History {
    /// The newest commit that changed `path`.
    pub fn newest_of(&self, path: &str) -> Option<usize> {
        self.newest.get(path).copied()
    }

    /// The newest commit that changed anything under the folder `dir`
    /// (that `keep` accepts).
    pub fn newest_under(&self, dir: &str, keep: impl Fn(&str) -> bool) -> Option<usize> {
        let prefix = format!("{dir}/");
        self.newest
            .iter()
            .filter(|(path, _)| path.starts_with(&prefix) && keep(path))
            .map(|(_, &i)| i)
            .min()
    }
}

/// The files of a past commit, written to a temporary folder that mirrors
/// the repository's top folder; removed when dropped.
pub struct Snapshot {
    /// The temporary folder, removed when the snapshot is dropped.
    _files: tempfile::TempDir,
    /// The repository, reading its files from the snapshot.
    pub repo: Repo,
    /// The folder in the snapshot that corresponds to `cwd`.
    pub cwd: PathBuf,
}

/// Writes the files of revision `rev` (a commit id, tag, branch, `HEAD~3`) of
/// the repository that `cwd` is in to a temporary folder, without touching
/// the working tree or the repository.
pub fn snapshot(cwd: &Path, rev: &str) -> Result<Snapshot, Error> {
    write_snapshot(cwd, rev).map_err(Error::Git)
}

/// The work of [`snapshot`], with what went wrong in words.
fn write_snapshot(cwd: &Path, rev: &str) -> Result<Snapshot, String> {
    let prefix = text(
        run(git(cwd).args(["rev-parse", "--show-prefix"]))
            .map_err(|e| format!("--at needs the records in a git repository: {e}"))?,
    );
    let top = std::fs::canonicalize(text(run(git(cwd).args(["rev-parse", "--show-toplevel"]))?))
        .map_err(|e| e.to_string())?;
    let commit = text(
        run(git(&top)
            .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
            .arg(format!("{rev}^{{commit}}")))
        .map_err(|_| {
            format!(
                "`{rev}` is not a commit in the repository at {}",
                top.display()
            )
        })?,
    );

    let listing = run(git(&top).args(["ls-tree", "-r", "-z", "--full-tree", &commit]))?;
    let dir = tempfile::Builder::new()
        .prefix("casepaper-at-")
        .tempdir()
        .map_err(|e| format!("a temporary folder could not be made: {e}"))?;
    let files_top = std::fs::canonicalize(dir.path()).map_err(|e| e.to_string())?;
    let mut blobs: Vec<(String, String)> = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (mode, kind, id) = (meta.next(), meta.next(), meta.next());
        // Regular files only: no symlinks (which could point anywhere) and
        // no submodules.
        if kind != Some("blob") || !matches!(mode, Some("100644" | "100755")) {
            continue;
        }
        if path
            .split('/')
            .any(|part| part == ".." || part == "." || part.is_empty())
        {
            continue;
        }
        blobs.push((id.unwrap_or_default().to_string(), path.to_string()));
    }
    write_blobs(&top, &blobs, &files_top)?;
    let cwd = files_top.join(&prefix);
    std::fs::create_dir_all(&cwd).map_err(|e| e.to_string())?;
    Ok(Snapshot {
        _files: dir,
        repo: Repo {
            git_top: top,
            files_top,
            commit: Some(commit),
        },
        cwd,
    })
}

/// Reads the blobs with one `git cat-file --batch` and writes each to its
/// path under `to`.
fn write_blobs(top: &Path, blobs: &[(String, String)], to: &Path) -> Result<(), String> {
    let mut child = git(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git could not be run ({e}); is git installed?"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let ids: Vec<String> = blobs.iter().map(|(id, _)| id.clone()).collect();
    let feeder = std::thread::spawn(move || {
        for id in ids {
            if writeln!(stdin, "{id}").is_err() {
                break;
            }
        }
    });
    let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut result = Ok(());
    for (_, path) in blobs {
        let mut header = String::new();
        if out.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
            result = Err("git cat-file stopped early".to_string());
            break;
        }
        let size: usize = header
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file said `{}`", header.trim_end()))?;
        let mut bytes = vec![0; size + 1];
        out.read_exact(&mut bytes).map_err(|e| e.to_string())?;
        bytes.pop();
        let file = to.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&file, &bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let _ = feeder.join();
    let _ = child.wait();
    result
}
