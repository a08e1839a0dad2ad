//! `casepaper init`: a program's records repository, ready for git.
//!
//! It writes the program file (with the state's rule profile spelled out),
//! one example case, the schemas (so editors complete offline), `.gitignore`
//! for `out/`, `.gitattributes` naming the records' merge driver, a README
//! for the program's staff (with the team's workflow) and a pre-commit
//! configuration that runs `casepaper validate` before a commit, a merge's
//! commit and after a rebase; with `--templates`, also
//! the built-in templates and translations, which rendering then uses.
//! Nothing is written if any of these files is already there.

use std::path::{Path, PathBuf};

use super::outcome::{Outcome, Ran};
use crate::cli::{InitArgs, InitState};
use casepaper::error::Error;
use casepaper::pipeline::{NewFiles, RULES, builtin_templates, git, schemas};
use casepaper::records::write::create_new;

/// The example case's id (its state's prefix goes before it).
const EXAMPLE_ID: &str = "example-0001";

/// What differs between the states' starting points.
struct StateFacts {
    code: &'static str,
    name: &'static str,
    city: &'static str,
    zip: &'static str,
    area: &'static str,
    complaints: &'static str,
}

fn facts(state: InitState) -> StateFacts {
    match state {
        InitState::Ct => StateFacts {
            code: "CT",
            name: "Connecticut Birth to Three",
            city: "Hartford",
            zip: "06103",
            area: "860",
            complaints: "Birth to Three Family Rights Office, an example - write your state office's name, address and phone here",
        },
        InitState::Vt => StateFacts {
            code: "VT",
            name: "Vermont Children's Integrated Services",
            city: "Montpelier",
            zip: "05602",
            area: "802",
            complaints: "Children's Integrated Services Family Rights Office, an example - write your state office's name, address and phone here",
        },
    }
}

pub fn init(args: InitArgs) -> Ran {
    let facts = facts(args.state);
    let id = format!("{}-{EXAMPLE_ID}", facts.code.to_ascii_lowercase());
    let fill = |text: &str| {
        text.replace("@STATE@", facts.code)
            .replace("@STATE_NAME@", facts.name)
            .replace("@CITY@", facts.city)
            .replace("@ZIP@", facts.zip)
            .replace("@AREA@", facts.area)
            .replace("@COMPLAINTS@", facts.complaints)
            .replace("@ST@", &facts.code.to_ascii_lowercase())
            .replace("@ID@", &id)
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (".gitignore".into(), b"out/\n".to_vec()),
        (
            ".gitattributes".into(),
            format!(
                "# Record files are joined entry by entry when two people changed them\n\
                 # (`casepaper sync` tells git where casepaper is).\n{}\n",
                git::ATTRIBUTES_LINE
            )
            .into_bytes(),
        ),
        (
            "README.md".into(),
            fill(include_str!("starter/README.md")).into_bytes(),
        ),
        (
            ".pre-commit-config.yaml".into(),
            include_bytes!("starter/pre-commit-config.yaml").to_vec(),
        ),
        (
            "records/program.yaml".into(),
            (fill(include_str!("starter/program.yaml")) + &rules_block(args.state, facts.name))
                .into_bytes(),
        ),
    ];
    for (name, text) in [
        ("case.yaml", include_str!("starter/case.yaml")),
        ("plan.yaml", include_str!("starter/plan.yaml")),
        ("contacts.yaml", include_str!("starter/contacts.yaml")),
    ] {
        files.push((
            Path::new("records").join(&id).join(name),
            fill(text).into_bytes(),
        ));
    }
    for (name, text) in schemas::files() {
        files.push((Path::new("schemas").join(name), text.as_bytes().to_vec()));
    }
    if args.templates {
        for (name, bytes) in builtin_templates() {
            files.push((Path::new("templates").join(name), bytes.to_vec()));
        }
        files.push((
            "templates/fonts/OFL.txt".into(),
            include_bytes!("../../templates/fonts/OFL.txt").to_vec(),
        ));
    }

    let dir = &args.dir;
    let existing: Vec<String> = files
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Usage(format!(
            "{} already holds {}; nothing was written (init never overwrites a file)",
            dir.display(),
            existing.join(", ")
        )));
    }
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        create_new(&path, bytes, NewFiles::Umask)?;
    }
    eprintln!(
        "started a records repository in {} for {} with an example case, {id}; next: \
         edit records/program.yaml, then `git init`. The example is marked `example: true`, \
         so `check` and `due` pass over it; delete records/{id} once your first real case is in \
         (the next `render` removes its PDFs)",
        dir.display(),
        facts.name
    );
    Ok(Outcome::Clean)
}

/// The program file's `rules:` block: every rule with the state's setting
/// and what it asks, so staff see what `check` holds cases to.
fn rules_block(state: InitState, name: &str) -> String {
    let schema = schemas::bundled(casepaper::model::Kind::Program);
    let mut out = format!(
        "# How `casepaper check` treats each rule: off, error, warning or notice.\n\
         # These are the defaults for {name}.\nrules:\n"
    );
    for rule in RULES {
        let setting = match state {
            InitState::Ct => rule.ct,
            InitState::Vt => rule.vt,
        };
        // The name the program file uses for it (the model's serde name).
        let word = serde_json::to_value(setting).unwrap_or_default();
        let word = word.as_str().unwrap_or("error");
        let what = schema
            .pointer(&format!(
                "/properties/rules/properties/{}/description",
                rule.id
            ))
            .and_then(|d| d.as_str())
            .unwrap_or("");
        out.push_str(&format!("  {}: {word}  # {what}\n", rule.id));
    }
    out
}
