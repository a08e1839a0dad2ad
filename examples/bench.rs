//! The benchmark: generates synthetic caseloads and times the release
//! `casepaper` binary on them, one fresh process per measurement, as a
//! program would run it. Prints a Markdown table for docs/dev/performance.md.
//!
//!     cargo build --release && cargo run --release --example bench -- [N ...]
//!     cargo run --release --example bench -- --desk [N ...]   # the desk's pages only
//!
//! N defaults to 1, 100 and 1000 cases. For each: `validate`, a cold
//! `render` of every document into an empty folder, `render` again with
//! nothing changed, and `check`. Also `validate` of about 10,000 record files
//! (2,700 cases). Each row gives wall time, documents per second, the peak
//! resident memory of the process (from wait4), and for renders the share
//! of the work outside Typst's compile and PDF export (`render --timings`).
//!
//! Then `serve` on each caseload: the caseload page (first, then warm), a
//! case's page (its documents rendered), a contact note saved followed
//! by its case page with the contact sheet made again, as a browser would,
//! and every other page of the desk (each form, a record as text, the
//! changes to commit).
//!
//! Then, on the first caseload of more than one case, `render --profile`
//! (where each kind's Typst time goes) and, when `CASEPAPER_PEER_PYTHON`
//! names a Python with the typst binding, the peer (`examples/peer.py`) on
//! the sources casepaper emits.
//!
//!     cargo run --release --example bench -- --against OLD [--rounds K] [N ...]
//!
//! `--against`: a cold `render` of each caseload by another casepaper
//! binary (an earlier build, kept aside) and by this one, alternately, K
//! rounds (1 by default), on the same records in the same run: documents
//! per second, peak memory and Typst's work by document kind for each, and
//! the peer on the sources each emits.

mod caseload;
#[path = "../tests/common/http.rs"]
mod http;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The release binary beside this example (`target/release/casepaper`).
fn casepaper() -> PathBuf {
    let exe = std::env::current_exe().expect("the bench's own path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/release/examples/bench")
        .join("casepaper");
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build --release` first",
        bin.display()
    );
    bin
}

struct Measured {
    wall: f64,
    peak_kb: i64,
    stderr: String,
    status: i32,
}

/// Runs casepaper once and measures its wall time and peak memory.
fn measure(args: &[&str]) -> Measured {
    measure_binary(&casepaper(), args)
}

/// Runs the casepaper binary `bin` once and measures its wall time and
/// peak memory.
// The child is reaped by wait4, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn measure_binary(bin: &Path, args: &[&str]) -> Measured {
    let start = Instant::now();
    let child = Command::new(bin)
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("casepaper starts");
    let pid = child.id() as libc::pid_t;
    // Read stderr while the child runs, then reap it with wait4 for its
    // resource usage (std's wait does not report peak memory).
    let mut pipe = child.stderr.expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut pipe, &mut text).ok();
        text
    });
    let mut status = 0;
    // SAFETY: plain wait4 on our own child, with valid out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    let wall = start.elapsed().as_secs_f64();
    let stderr = reader.join().unwrap_or_default();
    Measured {
        wall,
        peak_kb: usage.ru_maxrss,
        stderr,
        status: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

/// The number in `rendered N documents`.
fn rendered(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("rendered "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// `outside_typst=12.3%` from `--timings`.
fn outside_typst(stderr: &str) -> String {
    stderr
        .split_whitespace()
        .find_map(|w| w.strip_prefix("outside_typst="))
        .unwrap_or("-")
        .to_string()
}

fn row(cases: usize, files: usize, what: &str, m: &Measured, docs: Option<usize>) {
    assert!(
        m.status == 0 || what.starts_with("check"),
        "{what} on {cases} cases failed ({}):\n{}",
        m.status,
        m.stderr
    );
    let rate = docs
        .filter(|&d| d > 0)
        .map_or("-".to_string(), |d| format!("{:.0}", d as f64 / m.wall));
    let docs_text = docs.map_or("-".to_string(), |d| d.to_string());
    println!(
        "| {cases} | {files} | {what} | {:.3} s | {docs_text} | {rate} | {} MB | {} |",
        m.wall,
        m.peak_kb / 1024,
        if what.starts_with("render") {
            outside_typst(&m.stderr)
        } else {
            "-".into()
        }
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let against = value_of("--against").map(PathBuf::from);
    let rounds: usize = value_of("--rounds").map_or(1, |r| r.parse().expect("--rounds K"));
    let sizes: Vec<usize> = {
        let given: Vec<usize> = (args.iter().enumerate())
            .filter(|(i, _)| *i == 0 || !["--against", "--rounds"].contains(&args[i - 1].as_str()))
            .filter_map(|(_, a)| a.parse().ok())
            .collect();
        if given.is_empty() {
            vec![1, 100, 1000]
        } else {
            given
        }
    };
    let work = tempfile::tempdir().expect("a temporary folder");
    if let Some(old) = against {
        against_rows(&old, &sizes, rounds, work.path());
        return;
    }
    // `--desk`: only the desk's pages, on caseloads written for them.
    if std::env::args().any(|a| a == "--desk") {
        println!("| cases | serve | first | warm (median of 5) |");
        println!("|---|---|---|---|");
        for &n in &sizes {
            let records = work.path().join(format!("records-{n}"));
            caseload::write(&records, n, 1).expect("caseload written");
            serve_rows(&records, n);
        }
        return;
    }
    println!(
        "casepaper benchmark: {} cores, casepaper {}\n",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "| cases | record files | command | wall | documents | documents/s | peak RSS | outside Typst |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for &n in &sizes {
        let records = work.path().join(format!("records-{n}"));
        let out = work.path().join(format!("out-{n}"));
        let files = caseload::write(&records, n, 1).expect("caseload written");
        let (r, o) = (records.to_str().unwrap(), out.to_str().unwrap());

        row(n, files, "validate", &measure(&["validate", r]), None);
        let cold = measure(&["render", r, "--out", o, "--timings"]);
        row(
            n,
            files,
            "render (cold)",
            &cold,
            Some(rendered(&cold.stderr)),
        );
        let again = measure(&["render", r, "--out", o, "--timings"]);
        row(
            n,
            files,
            "render (nothing changed)",
            &again,
            Some(rendered(&again.stderr)),
        );
        row(
            n,
            files,
            "check",
            &measure(&["check", r, "--as-of", "2026-10-01"]),
            None,
        );
        // Where the cold render's time went: the totals, then each kind's
        // compile and export time per document.
        for line in cold.stderr.lines().filter(|l| l.starts_with("timings: ")) {
            eprintln!("{n} cases: {line}");
        }
    }
    println!("\n| cases | serve | first | warm (median of 5) |");
    println!("|---|---|---|---|");
    for &n in &sizes {
        serve_rows(&work.path().join(format!("records-{n}")), n);
    }
    if let Some(&n) = sizes.iter().find(|&&n| n > 1).or(sizes.first()) {
        profile_rows(&work.path().join(format!("records-{n}")), work.path(), n);
        peer_rows(&work.path().join(format!("records-{n}")), work.path(), n);
    }
    // About 10,000 record files.
    let records = work.path().join("records-10k");
    let files = caseload::write(&records, 2700, 1).expect("caseload written");
    row(
        2700,
        files,
        "validate",
        &measure(&["validate", records.to_str().unwrap()]),
        None,
    );
}

/// `--against OLD`: cold renders of each caseload by OLD and by this build,
/// alternately, then the peer on what each emits.
fn against_rows(old: &Path, sizes: &[usize], rounds: usize, work: &Path) {
    assert!(old.is_file(), "{} is not a casepaper binary", old.display());
    let new = casepaper();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "casepaper benchmark: {cores} cores; before: {}, after: {} (casepaper {})\n",
        old.display(),
        new.display(),
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "| cases | round | binary | wall | documents | documents/s | peak RSS | Typst compile | PDF export |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut kinds: Vec<(usize, &str, String)> = Vec::new();
    for &n in sizes {
        let records = work.join(format!("records-{n}"));
        caseload::write(&records, n, 1).expect("caseload written");
        let mut rates: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut counts: [usize; 2] = [0, 0];
        for round in 1..=rounds {
            for (b, (label, bin)) in [("before", old), ("after", new.as_path())]
                .iter()
                .enumerate()
            {
                let out = work.join(format!("out-{n}-{label}"));
                let _ = std::fs::remove_dir_all(&out);
                let (r, o) = (records.to_str().unwrap(), out.to_str().unwrap());
                let run = measure_binary(bin, &["render", r, "--out", o, "--timings"]);
                assert_eq!(
                    run.status, 0,
                    "{label} failed on {n} cases:\n{}",
                    run.stderr
                );
                let docs = rendered(&run.stderr);
                let rate = docs as f64 / run.wall;
                rates[b].push(rate);
                counts[b] = docs;
                let total = |key: &str| {
                    (run.stderr.split_whitespace())
                        .find_map(|w| w.strip_prefix(key))
                        .unwrap_or("-")
                        .to_string()
                };
                println!(
                    "| {n} | {round} | {label} | {:.1} s | {docs} | {rate:.0} | {} MB | {} | {} |",
                    run.wall,
                    run.peak_kb / 1024,
                    total("typst_compile="),
                    total("pdf_export="),
                );
                if round == rounds {
                    for line in run
                        .stderr
                        .lines()
                        .filter(|l| l.starts_with("timings: kind="))
                    {
                        kinds.push((n, label, line.trim_start_matches("timings: ").to_string()));
                    }
                }
            }
        }
        assert_eq!(counts[0], counts[1], "both make the same documents");
        let median = |v: &mut Vec<f64>| {
            v.sort_by(|a, b| a.total_cmp(b));
            let half = v.len() / 2;
            if v.len().is_multiple_of(2) {
                (v[half - 1] + v[half]) / 2.0
            } else {
                v[half]
            }
        };
        let (before, after) = (median(&mut rates[0]), median(&mut rates[1]));
        println!(
            "| {n} | median | after / before | | | {:.2}x ({before:.0} -> {after:.0}) | | | |",
            after / before
        );
    }
    println!("\nTypst's work a document, by kind (the last round; per thread, {cores} threads):\n");
    println!("| cases | binary | kind | documents | compile | export |");
    println!("|---|---|---|---|---|---|");
    for (n, label, line) in &kinds {
        let f = fields(line);
        let get = |k: &str| {
            f.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        println!(
            "| {n} | {label} | {} | {} | {} | {} |",
            get("kind"),
            get("documents"),
            get("compile_per_document"),
            get("export_per_document")
        );
    }
    if let Some(&n) = sizes.iter().find(|&&n| n > 1).or(sizes.first()) {
        let records = work.join(format!("records-{n}"));
        for (label, bin) in [("before", old), ("after", new.as_path())] {
            println!("\nThe peer on the sources {label} emits:");
            peer_rows_of(bin, &records, &work.join(label), n);
        }
    }
}

/// `render --profile` on a caseload: where each kind's Typst time goes, as a
/// table.
fn profile_rows(records: &Path, work: &Path, n: usize) {
    let out = work.join(format!("out-profile-{n}"));
    let run = measure(&[
        "render",
        records.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--profile",
    ]);
    assert_eq!(run.status, 0, "render --profile failed:\n{}", run.stderr);
    println!(
        "\nWhere Typst's time goes, by kind ({n} cases, `render --profile`, documents \
         one at a time; phases exclude the phases inside them, blocks include theirs):\n"
    );
    println!(
        "| kind | documents | Typst a document | layout runs (each) | costliest phases | costliest blocks |"
    );
    println!("|---|---|---|---|---|---|");
    let lines: Vec<Vec<(String, String)>> = (run.stderr.lines())
        .filter_map(|l| l.strip_prefix("profile: "))
        .map(fields)
        .collect();
    let get = |f: &[(String, String)], k: &str| {
        f.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    for head in lines.iter().filter(|f| !get(f, "documents").is_empty()) {
        let kind = get(head, "kind");
        let of_kind = |what: &str, take: usize| -> String {
            (lines.iter())
                .filter(|f| get(f, "kind") == kind && !get(f, what).is_empty())
                .take(take)
                .map(|f| {
                    format!(
                        "`{}` {} ({})",
                        get(f, what),
                        get(f, "per_document"),
                        get(f, "share")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        println!(
            "| {kind} | {} | {} | {} ({}) | {} | {} |",
            get(head, "documents"),
            get(head, "typst_per_document"),
            get(head, "layout_runs"),
            get(head, "per_run").replace(',', ", "),
            of_kind("phase", 4),
            of_kind("block", 3).replace('|', "\\|"),
        );
    }
}

/// The peer: the typst Python binding on the sources casepaper emitted
/// (`examples/peer.py`), one thread, against casepaper's rate per core on
/// the same caseload. Runs when `CASEPAPER_PEER_PYTHON` names a Python that
/// has the binding (see docs/dev/performance.md).
fn peer_rows(records: &Path, work: &Path, n: usize) {
    peer_rows_of(&casepaper(), records, work, n)
}

/// The peer on the sources the casepaper binary `bin` emits.
fn peer_rows_of(bin: &Path, records: &Path, work: &Path, n: usize) {
    let Some(python) = std::env::var_os("CASEPAPER_PEER_PYTHON") else {
        eprintln!(
            "peer skipped: set CASEPAPER_PEER_PYTHON to a Python with `typst` 0.15 installed"
        );
        return;
    };
    let out = work.join(format!("out-peer-{n}"));
    let (r, o) = (records.to_str().unwrap(), out.to_str().unwrap());
    let run = measure_binary(bin, &["render", r, "--out", o, "--emit", "typst"]);
    assert_eq!(run.status, 0, "render --emit typst failed:\n{}", run.stderr);
    let docs = rendered(&run.stderr);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let ours = docs as f64 / run.wall / cores as f64;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let peer = Command::new(python)
        .arg(root.join("examples/peer.py"))
        .args([o, root.join("templates").to_str().unwrap()])
        .arg(records.join("logo.svg"))
        .arg(typst_assets_fonts())
        .arg(root.join("templates/fonts"))
        .output()
        .expect("the peer's Python starts");
    let said = String::from_utf8_lossy(&peer.stdout);
    assert!(
        peer.status.success(),
        "the peer failed:\n{said}\n{}",
        String::from_utf8_lossy(&peer.stderr)
    );
    let total = said
        .lines()
        .filter_map(|l| l.strip_prefix("peer: "))
        .map(fields)
        .find(|f| f[0].0 == "documents");
    let theirs: f64 = total
        .and_then(|f| {
            f.iter()
                .find(|(k, _)| k == "documents_per_second")
                .map(|(_, v)| v.clone())
        })
        .and_then(|v| v.parse().ok())
        .expect("the peer's rate");
    println!(
        "\nAgainst the typst Python binding on the same emitted sources ({n} cases, {docs} documents):\n"
    );
    println!("| | documents/s | per core | |");
    println!("|---|---|---|---|");
    println!(
        "| casepaper render (whole run, {cores} cores) | {:.0} | {ours:.1} | {:.2}x the binding |",
        ours * cores as f64,
        ours / theirs
    );
    println!(
        "| typst Python binding (compile and export only, 1 thread) | {theirs:.1} | {theirs:.1} | |"
    );
    for line in said.lines().filter(|l| l.contains("kind=")) {
        eprintln!("{n} cases: {line}");
    }
}

/// typst-assets' fonts (what casepaper embeds), in Cargo's registry.
fn typst_assets_fonts() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cargo"));
    let registry = home.join("registry/src");
    let found = std::fs::read_dir(&registry)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|index| {
            std::fs::read_dir(index.path())
                .into_iter()
                .flatten()
                .flatten()
        });
    found
        .map(|d| d.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("typst-assets-0.15"))
        })
        .map(|p| p.join("files/fonts"))
        .expect("typst-assets 0.15 in Cargo's registry (cargo build fetches it)")
}

/// `key=value key="quoted value"` pairs of a line.
fn fields(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = line.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
            None => after.split_once(' ').unwrap_or((after, "")),
        };
        out.push((key.trim().to_string(), value.to_string()));
        rest = next.trim();
    }
    out
}

/// `casepaper serve` on a caseload, timed over HTTP from this process.
fn serve_rows(records: &Path, n: usize) {
    use std::io::BufRead;
    let mut child = Command::new(casepaper())
        .args([
            "serve",
            records.to_str().unwrap(),
            "--no-open",
            "--as-of",
            "2026-10-01",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("casepaper serve starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let rest = line.trim().strip_prefix("http://").expect("an address");
    let (host, token) = rest.split_once("/?token=").expect("a token");
    // The launch's own name is what the browser sends; the socket goes to
    // loopback (the system's resolver may not know names under localhost).
    let port = host.rsplit(':').next().expect("a port");
    let addr = &format!("127.0.0.1:{port}");
    let cookie = format!("casepaper_token={token}");
    let get = |path: &str| {
        let headers = [("Host", host.to_string()), ("Cookie", cookie.clone())];
        http::request(addr, "GET", path, &headers, "")
    };
    let timed = |what: &dyn Fn() -> u16| {
        let start = Instant::now();
        let status = what();
        assert!(status < 400, "serve answered {status}");
        start.elapsed().as_secs_f64() * 1000.0
    };
    let first_and_warm = |label: &str, what: &dyn Fn() -> u16| {
        let first = timed(what);
        let mut warm: Vec<f64> = (0..5).map(|_| timed(what)).collect();
        warm.sort_by(|a, b| a.total_cmp(b));
        println!("| {n} | {label} | {first:.0} ms | {:.0} ms |", warm[2]);
    };
    first_and_warm("caseload page", &|| get("/").status);
    let page = get("/").text();
    let case = page
        .split("href=\"/case/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a case on the caseload page")
        .to_string();
    let case_page = format!("/case/{case}");
    first_and_warm("a case's page (its documents made)", &|| {
        get(&case_page).status
    });
    let form = get(&format!("/case/{case}/contact")).text();
    let field = |mark: &str| {
        let at = form.find(mark).expect("the form") + mark.len();
        form[at..at + form[at..].find('"').unwrap()].to_string()
    };
    let csrf = field("name=\"csrf\" value=\"");
    let by_at = form.find("name=\"signed.by\"").unwrap();
    let by = form[..by_at + form[by_at..].find("\" selected").unwrap()]
        .rsplit('"')
        .next()
        .unwrap()
        .to_string();
    let saves = std::cell::Cell::new(0);
    let save_and_show = || {
        saves.set(saves.get() + 1);
        let summary = format!("Benchmark note {}.", saves.get());
        let body = http::encode(&[
            ("csrf", &csrf),
            ("date", "2026-09-30"),
            ("minutes", "30"),
            ("type", "phone"),
            ("participants", "Parent"),
            ("summary", &summary),
            ("signed.by", &by),
            ("signed.on", "2026-09-30"),
        ]);
        let headers = [
            ("Host", host.to_string()),
            ("Cookie", cookie.clone()),
            ("Origin", format!("http://{host}")),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ];
        let saved = http::request(
            addr,
            "POST",
            &format!("/case/{case}/contact"),
            &headers,
            &body,
        );
        assert_eq!(saved.status, 303, "{}", saved.text());
        let to = saved.header("Location").unwrap().to_string();
        get(&to).status
    };
    first_and_warm("save a contact note, then its case page", &save_and_show);
    // Every other page of the desk: each form (made from its schema and
    // the case's records), a record as text, the changes to commit.
    for (label, path) in [
        ("start a case (form)", "/new-case".to_string()),
        ("a consent (form)", format!("/case/{case}/consent")),
        (
            "evaluation and eligibility (form)",
            format!("/case/{case}/evaluation"),
        ),
        (
            "a prior written notice (form)",
            format!("/case/{case}/notice"),
        ),
        (
            "a meeting notice (form)",
            format!("/case/{case}/meeting-notice"),
        ),
        ("the initial plan (form)", format!("/case/{case}/plan")),
        (
            "a consent to services (form)",
            format!("/case/{case}/services-consent"),
        ),
        ("a plan review (form)", format!("/case/{case}/review")),
        ("the exit (form)", format!("/case/{case}/exit")),
        ("the plan as text", format!("/case/{case}/edit/plan.yaml")),
        ("changes to commit", "/changes".to_string()),
    ] {
        first_and_warm(label, &|| get(&path).status);
    }
    let _ = child.kill();
    let _ = child.wait();
}
