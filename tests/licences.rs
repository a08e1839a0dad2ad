//! The licences the binary carries: `THIRD-PARTY-NOTICES.md` names every
//! crate it is built from (as `cargo tree` lists them) and the fonts and
//! files it embeds, each with its licence's text.

use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every crate the binary is built from, as `name version`.
fn crates_of_the_binary() -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let tree = Command::new(cargo)
        .args([
            "tree",
            "--locked",
            "--offline",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(repo())
        .output()
        .expect("cargo tree runs");
    assert!(
        tree.status.success(),
        "{}",
        String::from_utf8_lossy(&tree.stderr)
    );
    let mut crates: Vec<String> = String::from_utf8(tree.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let version = words.next()?.trim_start_matches('v');
            (name != "casepaper").then(|| format!("{name} {version}"))
        })
        .collect();
    crates.sort();
    crates.dedup();
    crates
}

#[test]
fn the_notices_name_every_crate_of_the_binary_and_every_font_it_carries() {
    let notices = std::fs::read_to_string(repo().join("THIRD-PARTY-NOTICES.md"))
        .expect("THIRD-PARTY-NOTICES.md (docs/dev/notices.sh makes it)");
    let crates = crates_of_the_binary();
    assert!(crates.len() > 100, "{crates:?}");
    let missing: Vec<&String> = crates
        .iter()
        .filter(|c| !notices.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "THIRD-PARTY-NOTICES.md lacks {missing:?}: run docs/dev/notices.sh"
    );
    for carried in [
        "### Noto Sans (templates/fonts/)",
        "Copyright 2010, 2012-2020 Google Inc.",
        "### htmx 2.0.8",
        "Zero-Clause BSD",
        "### typst-assets",
        "Libertinus Serif fonts in files/fonts/LibertinusSerif-*.otf",
        "SIL OPEN FONT LICENSE Version 1.1",
        "Apache License",
    ] {
        assert!(notices.contains(carried), "the notices lack {carried:?}");
    }
    for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let text = std::fs::read_to_string(repo().join(file)).unwrap();
        assert!(text.len() > 1000, "{file}");
    }
}
