//! The one helper every integration test uses: copy a fixture records folder
//! into a temporary directory, change what the test is about, run the real
//! `casepaper` binary there, and look at exit status, output and PDFs.

pub mod team;
pub mod web;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_casepaper");

/// The repository's own folder (for `records/` and `tests/fixtures/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Test {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    /// A temporary folder holding a copy of `tests/fixtures/<name>` as `records/`.
    pub fn fixture(name: &str) -> Test {
        let test = Test::empty();
        copy_dir(
            &repo().join("tests/fixtures").join(name),
            &test.path("records"),
        );
        test
    }

    /// A temporary folder holding a copy of the sample `records/`.
    pub fn samples() -> Test {
        let test = Test::empty();
        copy_dir(&repo().join("records"), &test.path("records"));
        test
    }

    pub fn empty() -> Test {
        Test {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) -> &Test {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Replaces `from` with `to` in a file; the text must be there.
    /// Replaces the text of `rel` from the first `from` up to the next
    /// `until` with `with`; an `until` of "\n" takes the rest of the line,
    /// its newline included.
    pub fn splice(&self, rel: &str, from: &str, until: &str, with: &str) -> &Test {
        let text = self.read(rel);
        let start = text
            .find(from)
            .unwrap_or_else(|| panic!("{rel} has no {from:?}"));
        let end = start
            + text[start..]
                .find(until)
                .unwrap_or_else(|| panic!("{rel} has no {until:?} after {from:?}"));
        let end = if until == "\n" { end + 1 } else { end };
        self.write(rel, &format!("{}{with}{}", &text[..start], &text[end..]))
    }

    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Test {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1))
    }

    /// Runs casepaper with `args`, from the temporary folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("casepaper runs");
        Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs `casepaper ARGS --format json` and asserts the whole list of
    /// findings is empty (not only the exit status: a warning or a notice
    /// exits 0 too).
    pub fn assert_no_findings(&self, args: &[&str]) {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let run = self.run(&all);
        let findings: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(
            (run.status, findings),
            (0, Vec::new()),
            "casepaper {}\n--- stderr\n{}",
            args.join(" "),
            run.stderr
        );
    }

    /// Runs casepaper like `run`, and also gives the wall time and the
    /// process's peak resident memory in megabytes (from `wait4`).
    // The child is reaped by wait4 below, which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    pub fn run_measured(&self, args: &[&str]) -> (Run, std::time::Duration, u64) {
        use std::io::Read;
        use std::process::Stdio;
        let start = std::time::Instant::now();
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("casepaper runs");
        let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let out = std::thread::spawn(move || {
            let mut text = String::new();
            out.read_to_string(&mut text).ok();
            text
        });
        let err = std::thread::spawn(move || {
            let mut text = String::new();
            err.read_to_string(&mut text).ok();
            text
        });
        let pid = child.id() as libc::pid_t;
        let mut status = 0;
        // SAFETY: wait4 on our own child, with valid out-pointers; std's
        // wait does not report peak memory.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(reaped, pid, "wait4 failed");
        let elapsed = start.elapsed();
        let run = Run {
            status: if libc::WIFEXITED(status) {
                libc::WEXITSTATUS(status)
            } else {
                -1
            },
            stdout: out.join().unwrap(),
            stderr: err.join().unwrap(),
        };
        (run, elapsed, usage.ru_maxrss as u64 / 1024)
    }

    /// The text of a PDF, with runs of white space folded to one space.
    pub fn pdf_text(&self, rel: &str) -> String {
        pdf_text(&self.path(rel))
    }
}

impl Run {
    pub fn assert_status(&self, expected: i32) -> &Run {
        assert_eq!(
            self.status, expected,
            "exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The stderr must contain this text.
    pub fn stderr_has(&self, expected: &str) -> &Run {
        assert!(
            self.stderr.contains(expected),
            "stderr lacks {expected:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }
}

pub fn pdf_text(path: &Path) -> String {
    let text =
        pdf_extract::extract_text(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    normalize(&text)
}

/// Folds white space so text can be compared however lines were broken.
/// pdf-extract puts a space where bold text meets a following colon
/// (`Target date :`), so a space before a colon is dropped too.
pub fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" :", ":")
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Test {
    /// Runs git in the temporary folder, with no user or system
    /// configuration, a fixed identity, and commit times of `date`
    /// (YYYY-MM-DD, noon UTC); returns its output.
    pub fn git_at(&self, date: &str, args: &[&str]) -> String {
        let stamp = format!("{date}T12:00:00+00:00");
        let output = Command::new("git")
            .args(args)
            .current_dir(self.dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Cora Coordinator")
            .env("GIT_AUTHOR_EMAIL", "cora@program.example")
            .env("GIT_COMMITTER_NAME", "Cora Coordinator")
            .env("GIT_COMMITTER_EMAIL", "cora@program.example")
            .env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_string()
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.git_at("2025-01-01", args)
    }

    /// Commits everything in the folder on `date`; returns the commit id.
    pub fn commit(&self, date: &str, message: &str) -> String {
        self.git_at(date, &["add", "--all"]);
        self.git_at(date, &["commit", "--quiet", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Makes the folder a git repository (branch `main`) that ignores `out/`.
    pub fn git_init(&self) -> &Test {
        self.git(&["init", "--quiet", "--initial-branch=main"]);
        self.write(".gitignore", "out/\n");
        self
    }
}

/// Every file under `dir`, by its path relative to `dir` (with `/`), with
/// its bytes.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap();
                let name: Vec<_> = name.iter().map(|c| c.to_string_lossy()).collect();
                files.insert(name.join("/"), fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A Part C transition plan for the fixture's child (third birthday
/// 2027-02-28): `extra` lines go after `target_date`.
pub fn part_c_plan(extra: &str) -> String {
    format!(
        "kind: transition\nversion: 1\ntype: part-c\nwritten_on: 2026-06-15\ntarget_date: 2027-02-28\n{extra}\
         steps:\n  - {{step: Visit the preschool, who: Bea Test, by: 2027-01-15}}\n\
         receiving:\n  - {{service: Preschool, contact: Lee Park (860) 555-0120}}\n\
         family_next_steps: Visit in January.\n\
         signatures:\n  - {{role: parent, name: Bea Test, signed_on: 2026-06-15, method: paper}}\n"
    )
}

/// The fixture's program offers Connecticut's EIS Over 3.
pub fn offers_eis_over_3(test: &Test) {
    test.write(
        "records/program.yaml",
        &test.read("records/program.yaml").replace(
            "  phone: (860) 555-0100\n",
            "  phone: (860) 555-0100\n  offers_eis_over_3: true\n",
        ),
    );
}

/// The fixture child, born 2024-05-20, turns three on 2027-05-20, inside
/// EIS Over 3's window (after May 1, before a school year of 2027-08-30),
/// and the program offers it.
pub fn eis_over_3_child(test: &Test) {
    offers_eis_over_3(test);
    test.edit(
        "records/case-a/case.yaml",
        "date_of_birth: 2024-02-29",
        "date_of_birth: 2024-05-20",
    );
}

/// Writes an exit of the fixture case because the family moved, on
/// `exit_date`, its letter dated and signed by the coordinator on
/// `letter_date` (see [`write_exit`]).
pub fn write_moved_exit(test: &Test, exit_date: &str, letter_date: &str) {
    write_exit(
        test,
        &format!(
            "kind: exit\nversion: 1\nreason: moved\nexit_date: {exit_date}\nletter_date: {letter_date}\n\
             signatures:\n  - {{role: coordinator, name: Cora Lind, signed_on: {letter_date}, method: paper}}\n"
        ),
    );
}

/// Writes the fixture case's exit record, with the prior written notice of
/// the exit (ten days before it) that a Part C child's exit needs.
pub fn write_exit(test: &Test, exit: &str) {
    test.write("records/case-a/exit.yaml", exit);
    let on = exit
        .split("exit_date: ")
        .nth(1)
        .and_then(|rest| rest.get(..10))
        .expect("an exit record gives its exit_date");
    end_services_at_exit(test, on);
    let date: chrono::NaiveDate = on.parse().unwrap();
    let given = date - chrono::Days::new(10);
    // An earlier exit's notice goes with it.
    let notices: String = test
        .read("records/case-a/notices.yaml")
        .lines()
        .filter(|l| !l.starts_with("  - {action: exit,"))
        .map(|l| format!("{l}\n"))
        .collect();
    test.write(
        "records/case-a/notices.yaml",
        &notices.replacen(
            "prior_written:\n",
            &format!(
                "prior_written:\n  - {{action: exit, date: {on}, given_on: {given}, reasons: The family's plan ends.}}\n"
            ),
            1,
        ),
    );
}

/// The exit ends every service: the fixture plan's two services, planned
/// until August 1, 2025, end on an earlier exit date `on` (a change of that
/// day, which needs no meeting), in place of what an earlier exit wrote. A
/// row planned otherwise, or a plan whose `dev` row has changes of its own,
/// is left as it is.
fn end_services_at_exit(test: &Test, on: &str) {
    const MARK: &str = "  # ended by the exit";
    let sc_end = "end_date: 2025-08-01, funding: Part C, outcomes: [1]";
    let mut plan: String = test
        .read("records/case-a/plan.yaml")
        .lines()
        .filter_map(|l| match l.strip_suffix(MARK) {
            Some(sc) if sc.starts_with("  - {id: sc") => {
                Some(format!("{}{sc_end}}}\n", &sc[..sc.find(sc_end).unwrap()]))
            }
            Some(_) => None,
            None => Some(format!("{l}\n")),
        })
        .collect();
    if on >= "2025-08-01" || plan.contains("    changes:\n") {
        test.write("records/case-a/plan.yaml", &plan);
        return;
    }
    let dev_end = "    end_date: 2025-08-01\n    funding: Part C\n    outcomes: [1]\n";
    plan = plan
        .replacen(
            dev_end,
            &format!("{dev_end}    changes:{MARK}\n      - {{on: {on}, end_date: {on}}}{MARK}\n"),
            1,
        )
        .replace(
            &format!("{sc_end}}}\n"),
            &format!("{sc_end}, changes: [{{on: {on}, end_date: {on}}}]}}{MARK}\n"),
        );
    test.write("records/case-a/plan.yaml", &plan);
}

/// The line of the fixture's plan that lists who signed the plan of its
/// meeting.
pub const MEETING_SIGNED: &str = "    signatures: [{role: parent, name: Bea Test, method: paper, signed_on: 2025-02-03}, \
    {role: coordinator, name: Cora Lind, method: paper, signed_on: 2025-02-03}]\n";

/// The fixture's plan gets a meeting of type change on `date`.
pub fn change_meeting(test: &Test, date: &str) {
    test.edit(
        "records/case-a/plan.yaml",
        "    type: initial\n",
        &format!("    type: initial\n  - date: {date}\n    type: change\n"),
    );
}

/// The fixture's `dev` service gets `changes`, one flow mapping per entry.
pub fn dev_changes(test: &Test, entries: &[&str]) {
    let listed: String = entries.iter().map(|e| format!("      - {e}\n")).collect();
    test.edit(
        "records/case-a/plan.yaml",
        "    outcomes: [1]\n  - {id: sc",
        &format!("    outcomes: [1]\n    changes:\n{listed}  - {{id: sc"),
    );
}

/// The fixture's consent still owing the mother's signature.
pub fn unsign_consent(test: &Test) {
    test.edit(
        "records/case-a/plan.yaml",
        "{role: parent, name: Bea Test, signed_on: 2025-02-03, method: paper}",
        "{role: parent, name: Bea Test}",
    );
}

/// The hostile strings of `tests/hostile/strings.json`.
pub fn corpus() -> Vec<String> {
    let text = fs::read_to_string(repo().join("tests/hostile/strings.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Text as compared: no white space (lines break anywhere) and no
/// default-ignorable characters (zero-width, bidi controls, soft hyphen,
/// variation selectors), which print as nothing.
/// The ligatures ﬁ and ﬂ read as their letters: a PDF maps each glyph to
/// one text, so where a value holds the ligature character, the same glyph
/// made by the font from "f" + "i" elsewhere reads back as the ligature.
pub fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !ignorable(*c))
        .collect::<String>()
        .replace('\u{fb01}', "fi")
        .replace('\u{fb02}', "fl")
}

/// Text whose characters a PDF stores in display order, not reading order,
/// or reorders around a base letter: right-to-left scripts and overrides,
/// Indic scripts, combining marks. Text extraction gives their characters,
/// not their sequence.
pub fn reordered(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x0300..=0x036F | 0x0590..=0x08FF | 0x0900..=0x0DFF | 0x202A..=0x202E
            | 0x2066..=0x2069 | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFE)
    })
}

pub fn ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// The fixture with a second parent, who reads Spanish: every family paper
/// is then made in English and in Spanish.
pub fn with_spanish_reader(test: &Test) {
    test.edit(
        "records/case-a/case.yaml",
        "    interpreter: false\n",
        "    interpreter: false\n  - name: Tomás Test\n    relationship: father\n    phone: (860) 555-0103\n    language: Spanish\n    reads: es\n    interpreter: true\n",
    );
}

/// A document's text without its page footers (`Case ID · ... fingerprint
/// XXXXXXXXXXXX`, in English or Spanish), so that a sentence a page break
/// cuts reads whole.
pub fn without_page_footers(text: &str, case_id: &str) -> String {
    let mut rest = text;
    let mut out = String::new();
    loop {
        let start = [format!("Case {case_id} · "), format!("Caso {case_id} · ")]
            .iter()
            .filter_map(|m| rest.find(m.as_str()))
            .min();
        let Some(start) = start else { break };
        let tail = &rest[start..];
        let Some(end) = ["fingerprint ", "huella "]
            .iter()
            .filter_map(|m| tail.find(m).map(|at| at + m.len() + 12))
            .min()
        else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = tail.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    normalize(&out)
}

/// The lines of `check` of the records on `as_of` for the rules `rules`,
/// each whole, in order.
pub fn findings_of(test: &Test, as_of: &str, rules: &[&str]) -> Vec<String> {
    test.run(&["check", "records", "--as-of", as_of])
        .stderr
        .lines()
        .filter(|l| rules.iter().any(|r| l.contains(&format!("[{r}]"))))
        .map(str::to_string)
        .collect()
}
