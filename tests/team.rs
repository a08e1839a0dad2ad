//! A program's team on one records repository: a shared copy (a bare
//! repository, as on the program's server) and two coordinators' clones,
//! each syncing with `casepaper sync` as they would from the desk.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, BIN, Test};

/// One person's clone: its folder and who commits there.
struct Clone {
    dir: PathBuf,
    name: &'static str,
}

impl Clone {
    fn command(&self, program: &str) -> Command {
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

    fn git(&self, args: &[&str]) -> String {
        let out = self.command("git").args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// `casepaper sync` here, as of a fixed day: its status and what it said.
    fn sync(&self, message: Option<&str>) -> (i32, String) {
        let mut cmd = self.command(BIN);
        cmd.args(["sync", "records", "--as-of", "2026-12-10"]);
        if let Some(message) = message {
            cmd.args(["--message", message]);
        }
        let out = cmd.output().expect("casepaper runs");
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        (out.status.code().unwrap_or(-1), said)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn write(&self, rel: &str, text: &str) {
        fs::write(self.path(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} lacks {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// `casepaper new contact` here, its note then filled in as the
    /// coordinator would.
    fn note(&self, case: &str, date: &str, summary: &str, by: &str) -> String {
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
fn team(test: &Test) -> (PathBuf, Clone, Clone) {
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
    common::copy_dir(&common::repo().join("records"), &first.path("records"));
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

fn shared_head(shared: &Path) -> String {
    let out = Command::new("git")
        .args(["--git-dir"])
        .arg(shared)
        .args(["rev-parse", "main"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

const STAFF_A: &str = "  - id: abrown\n    name: Ana Brown\n    credential: M.S.\n    \
                       discipline: Physical therapy\n    phone: (860) 555-0181\n";
const STAFF_B: &str = "  - id: cdiaz\n    name: Carlos Díaz\n    credential: M.S.W.\n    \
                       discipline: Social work\n    phone: (860) 555-0182\n";
const FREQUENCY: &str = "    frequency: {times: 1, per: week}\n    intensity: individual\n    minutes: 60\n    method: home-visit\n    location: Hogar de la abuela";
const PLAN: &str = "records/ct-2026-0058/plan.yaml";

#[test]
fn two_coordinators_sync_notes_staff_and_a_reassigned_case_and_nothing_is_lost() {
    let test = Test::empty();
    let (shared, natalia, marisol) = team(&test);

    // Natalia, at the office: a note, a new staff member, the case of the
    // Castellano family taken over from Marisol, and the speech therapy
    // twice a week.
    let note_a = natalia.note(
        "ct-2026-0058",
        "2026-12-08",
        "Llamada de la mañana.",
        "nvega",
    );
    assert_eq!(
        note_a,
        "records/ct-2026-0058/contacts-2026-12-08-nvega.yaml"
    );
    natalia.edit(
        "records/program.yaml",
        "  - id: jokafor\n",
        &format!("{STAFF_A}  - id: jokafor\n"),
    );
    natalia.edit(
        "records/ct-2026-0102/case.yaml",
        "coordinator: mlopez\n",
        "coordinator: nvega\ncoordinator_since: 2026-12-08\n",
    );
    natalia.edit(PLAN, FREQUENCY, &FREQUENCY.replace("times: 1", "times: 2"));

    // Without a message, nothing is committed or sent.
    let (status, said) = natalia.sync(None);
    assert_eq!(status, 1, "{said}");
    assert_eq!(
        said,
        "not synced: 4 record files are changed and not committed yet (records/ct-2026-0058/contacts-2026-12-08-nvega.yaml, \
         records/ct-2026-0058/plan.yaml, records/ct-2026-0102/case.yaml, records/program.yaml); a sync commits them \
         first, with a few words on what changed\ngive them with --message \"...\"\n"
    );
    let (status, said) = natalia.sync(Some("Natalia's Monday"));
    assert_eq!(status, 0, "{said}");
    let sent = natalia.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        said,
        format!(
            "synced: committed the changed records ({}), sent 1 commit to the shared copy; this computer and the \
             shared copy now hold the same records\n",
            &sent[..10]
        )
    );
    assert_eq!(shared_head(&shared), sent);

    // Marisol, offline at a home visit the same day: a note for the same
    // case, another staff member, a note for the family she no longer
    // coordinates, and the speech therapy three times a week.
    let note_b = marisol.note(
        "ct-2026-0058",
        "2026-12-08",
        "Visita con la abuela.",
        "nvega",
    );
    assert_eq!(
        note_b, note_a,
        "the same day and coordinator name the same file"
    );
    marisol.edit(
        "records/program.yaml",
        "  - id: jokafor\n",
        &format!("{STAFF_B}  - id: jokafor\n"),
    );
    let late = "  - {date: 2026-12-09, minutes: 30, type: visit, participants: [Teresa Castellano (mother)], \
                summary: Brought the questionnaire., signed: {by: mlopez, on: 2026-12-09}}\n";
    let contacts_0102 = "records/ct-2026-0102/contacts.yaml";
    marisol.write(contacts_0102, &(marisol.read(contacts_0102) + late));
    marisol.edit(PLAN, FREQUENCY, &FREQUENCY.replace("times: 1", "times: 3"));
    marisol.git(&["remote", "set-url", "origin", "../unreachable.git"]);
    let (status, said) = marisol.sync(Some("Marisol's visits"));
    assert_eq!(status, 1, "{said}");
    let kept = marisol.git(&["rev-parse", "HEAD"]);
    assert!(
        said.starts_with(
            "not synced: the changed records were committed; the shared copy could not be reached ("
        ),
        "{said}"
    );
    assert!(
        said.ends_with(
            "); nothing is lost: 1 commit waits on this computer and goes at the next sync\n"
        ),
        "{said}"
    );

    // Back online: the notes, the staff and the reassignment join; the
    // frequency, changed two ways, is hers to choose.
    marisol.git(&["remote", "set-url", "origin", "../shared.git"]);
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 1, "{said}");
    assert_eq!(
        said,
        "not synced: two people changed the same thing in records/ct-2026-0058/plan.yaml: choose what is right in \
         the desk, which shows both versions side by side (or keep it between the `<<<<<<<` and `>>>>>>>` lines of \
         the file and remove those lines), then sync again; nothing was sent\n"
    );
    assert_eq!(shared_head(&shared), sent, "nothing was sent");
    let plan = marisol.read(PLAN);
    let conflict = "<<<<<<< HEAD\n    frequency: {times: 3, per: week}\n=======\n    \
                    frequency: {times: 2, per: week}\n>>>>>>> origin/main\n";
    assert!(plan.contains(conflict), "{plan}");
    // Two notes, Marisol's first, then Natalia's from the shared copy.
    assert_eq!(
        marisol.read(&note_a),
        "kind: contacts\nversion: 1\nnotes:\n  - date: 2026-12-08\n    minutes: 15\n    type: phone\n    \
         participants: [Lucía Ortega (madre)]\n    summary: Visita con la abuela.\n    signed: {by: nvega, on: 2026-12-08}\n  \
         - date: 2026-12-08\n    minutes: 15\n    type: phone\n    participants: [Lucía Ortega (madre)]\n    \
         summary: Llamada de la mañana.\n    signed: {by: nvega, on: 2026-12-08}\n"
    );
    let program = marisol.read("records/program.yaml");
    assert!(
        program.contains(&format!("{STAFF_B}{STAFF_A}  - id: jokafor\n")),
        "{program}"
    );

    // She keeps twice a week, as agreed with Natalia.
    marisol.write(
        PLAN,
        &plan.replace(conflict, "    frequency: {times: 2, per: week}\n"),
    );
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 1, "{said}");
    assert_eq!(
        said,
        "records/ct-2026-0102/contacts.yaml:9:140: error[note-signed]: the note of December 9, 2026 is signed by \
         Marisol Lopez, but the case's coordinator since December 8, 2026 is `nvega`; contact notes are signed by \
         the family's service coordinator\n\
         not synced: the records joined with the shared copy's changes have 1 error that neither copy had \
         alone (above), so nothing was sent; mend the records in the desk or the files, then sync again (the \
         joined records stay here until then)\n"
    );
    assert_eq!(shared_head(&shared), sent, "nothing was sent");

    // The visit was Natalia's, handed over that morning: she signs it.
    marisol.edit(
        contacts_0102,
        "signed: {by: mlopez, on: 2026-12-09}",
        "signed: {by: nvega, on: 2026-12-09}",
    );
    let (status, said) = marisol.sync(None);
    assert_eq!(status, 0, "{said}");
    assert_eq!(
        said,
        "synced: sent 2 commits to the shared copy; this computer and the shared copy now hold the same records\n"
    );
    let joined = marisol.git(&["rev-parse", "HEAD"]);
    assert_eq!(shared_head(&shared), joined);
    assert_eq!(
        marisol.git(&["rev-parse", "HEAD^1"]),
        kept,
        "her commit is kept"
    );
    assert_eq!(marisol.git(&["rev-parse", "HEAD^2"]), sent, "and Natalia's");

    let (status, said) = natalia.sync(None);
    assert_eq!(status, 0, "{said}");
    assert_eq!(
        said,
        "synced: took 2 commits from the shared copy; this computer and the shared copy now hold the same records\n"
    );
    assert_eq!(natalia.git(&["rev-parse", "HEAD"]), joined);

    // Every note written exists once, in both clones; the records validate.
    for clone in [&natalia, &marisol] {
        let notes = clone.read(&note_a) + &clone.read(contacts_0102);
        for summary in [
            "Llamada de la mañana.",
            "Visita con la abuela.",
            "Brought the questionnaire.",
        ] {
            assert_eq!(notes.matches(summary).count(), 1, "{summary}");
        }
        assert!(clone.git(&["status", "--porcelain"]).is_empty());
        let out = clone
            .command(BIN)
            .args(["validate", "records"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
