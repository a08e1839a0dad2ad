//! A program's team on one records repository, for the tests: a bare
//! shared copy (as on the program's server) holding the sample records, and
//! two coordinators' clones of it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{BIN, Test, copy_dir, repo};

/// One person's clone: its folder and who commits there.
pub struct Clone {
    pub dir: PathBuf,
    pub name: &'static str,
}

impl Clone {
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", self.name)
            .env("GIT_AUTHOR_EMAIL", "staff@program.example")
            .env("GIT_COMMITTER_NAME", self.name)
            .env("GIT_COMMITTER_EMAIL", "staff@program.example");
        cmd
    }

    pub fn git(&self, args: &[&str]) -> String {
        let out = self.command("git").args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// `casepaper sync` here, as of a fixed day: its status and what it said.
    pub fn sync(&self, message: Option<&str>) -> (i32, String) {
        let mut cmd = self.command(BIN);
        cmd.args(["sync", "records", "--as-of", "2026-12-10"]);
        if let Some(message) = message {
            cmd.args(["--message", message]);
        }
        let out = cmd.output().expect("casepaper runs");
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        (out.status.code().unwrap_or(-1), said)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        fs::write(self.path(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} lacks {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// `casepaper new contact` here, its note then filled in as the
    /// coordinator would.
    pub fn note(&self, case: &str, date: &str, summary: &str, by: &str) -> String {
        let out = self
            .command(BIN)
            .args(["new", "contact", case, "--date", date, "--kind", "phone"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8_lossy(&out.stderr);
        let rel = said
            .strip_prefix("wrote ")
            .and_then(|s| s.split(';').next())
            .expect("the file new wrote")
            .to_string();
        let note = format!(
            "kind: contacts\nversion: 1\nnotes:\n  - date: {date}\n    minutes: 15\n    type: phone\n    \
             participants: [Lucía Ortega (madre)]\n    summary: {summary}\n    signed: {{by: {by}, on: {date}}}\n"
        );
        self.write(&rel, &note);
        rel
    }
}

/// A bare shared copy holding the sample records, and two clones of it.
pub fn team(test: &Test) -> (PathBuf, Clone, Clone) {
    let shared = test.path("shared.git");
    let first = Clone {
        dir: test.path("natalia"),
        name: "Natalia Vega",
    };
    fs::create_dir_all(&first.dir).unwrap();
    first.git(&[
        "init",
        "--quiet",
        "--bare",
        "--initial-branch=main",
        "../shared.git",
    ]);
    first.git(&["init", "--quiet", "--initial-branch=main"]);
    copy_dir(&repo().join("records"), &first.path("records"));
    first.write(".gitignore", "out/\n");
    first.git(&["add", "--all"]);
    first.git(&["commit", "--quiet", "-m", "The program's records"]);
    first.git(&["remote", "add", "origin", "../shared.git"]);
    first.git(&["push", "--quiet", "--set-upstream", "origin", "main"]);
    let second = Clone {
        dir: test.path("marisol"),
        name: "Marisol Lopez",
    };
    let out = first
        .command("git")
        .args(["clone", "--quiet", "shared.git", "marisol"])
        .current_dir(test.dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (shared, first, second)
}

pub fn shared_head(shared: &Path) -> String {
    let out = Command::new("git")
        .args(["--git-dir"])
        .arg(shared)
        .args(["rev-parse", "main"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
