//! The languages a family's papers are made in: the case's and each family
//! member's (`reads`) must have a translation file, and text a family reads
//! that a document's language lacks is named, so that a coordinator is never
//! surprised by a Spanish form with English in it.

use super::ByKind;
use super::messages::spot;
use super::schemas::Schemas;
use crate::finding::{Finding, RecordCode, Severity, dotted};
use crate::load::RecordFile;
use crate::model::{CaseRecord, Kind, ProgramFile, Text};

/// The case's language and each family member's must be ones the
/// documents can be written in.
pub fn known(
    record: &CaseRecord,
    by_kind: &ByKind,
    languages: &[&str],
    findings: &mut Vec<Finding>,
) {
    let Some(case_file) = by_kind.get(&Kind::Case).and_then(|f| f.first()) else {
        return;
    };
    let case = &record.case;
    let given = std::iter::once(("/language".to_string(), case.language.as_str())).chain(
        case.family.iter().enumerate().filter_map(|(i, m)| {
            m.reads
                .as_deref()
                .map(|lang| (format!("/family/{i}/reads"), lang))
        }),
    );
    for (pointer, lang) in given {
        if languages.contains(&lang) {
            continue;
        }
        findings.push(
            Finding::error(
                &case_file.path,
                RecordCode::UnknownLanguage,
                format!(
                    "the documents cannot be written in `{lang}` yet; the languages are {} \
                     (a program adds one with templates/i18n/{lang}.yaml)",
                    languages.join(", ")
                ),
            )
            .at(spot(case_file, &pointer))
            .path(dotted("case", &pointer)),
        );
    }
}

/// The language's name in English, or its code for a language casepaper
/// has no name for.
pub(crate) fn plain_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "es" => "Spanish",
        _ => code,
    }
}

/// The language's name, for messages: a code with no name is quoted.
fn name(code: &str) -> String {
    match plain_name(code) {
        name if name == code => format!("`{code}`"),
        name => name.to_string(),
    }
}

/// A notice for each text a family reads (a `family_text` of its record
/// file's schema) with none in one of the languages the family's papers are
/// made in: those papers print it as the record gives it. A language with
/// no translation file is reported by [`known`] instead. The contact notes
/// are the program's own log, made in the case's language, and are left
/// out.
pub fn untranslated(
    record: &CaseRecord,
    by_kind: &ByKind,
    schemas: &Schemas,
    known: &[&str],
    findings: &mut Vec<Finding>,
) {
    let case_lang = record.case.language.as_str();
    let languages = family_languages(record, known);
    let files = (by_kind.iter())
        .filter(|(kind, _)| !matches!(kind, Kind::Contacts | Kind::Program))
        .flat_map(|(kind, files)| files.iter().map(move |f| (*kind, *f)));
    for (kind, file) in files {
        let Some(schema) = record_version(file).and_then(|v| schemas.get(kind, v)) else {
            continue;
        };
        for pointer in schemas.family_texts(schema, &file.doc.value) {
            let Some(text) = text_at(file, &pointer) else {
                continue;
            };
            let element = dotted(kind.name(), &pointer);
            let lacking = lacking(&text, &languages, case_lang);
            if lacking.is_empty() {
                continue;
            }
            let message = match &text {
                Text::Plain(_) => format!(
                    "`{element}` is written once, so it is taken to be in {}, the case's language, and the \
                     family's {} papers print it as written; give it in each language, for example {{{}}} \
                     (text written once in another language than the case's is marked with that \
                     language's code, for example {{{}: ...}})",
                    name(case_lang),
                    names(&lacking),
                    example(&languages),
                    lacking[0]
                ),
                _ => format!(
                    "`{element}` has no {missing} text, so the family's {missing} papers print it in {}; \
                     give it in each language, for example {{{}}}",
                    names(&text.languages(case_lang)),
                    example(&languages),
                    missing = names(&lacking),
                ),
            };
            findings.push(notice(file, &pointer, element, message));
        }
    }
}

/// A notice for each text of the program file that the family's papers
/// print (the coordinator's credential, where to take a complaint, the
/// state program's grievance process) with none in one of the languages
/// those papers are made in.
pub fn untranslated_program(
    record: &CaseRecord,
    program: &ProgramFile,
    file: &RecordFile,
    known: &[&str],
    findings: &mut Vec<Finding>,
) {
    let languages = family_languages(record, known);
    let case = &record.case;
    let mut texts: Vec<(String, &Text)> = Vec::new();
    if let Some(i) = program.staff.iter().position(|s| s.id == case.coordinator) {
        texts.push((
            format!("/staff/{i}/credential"),
            &program.staff[i].credential,
        ));
    }
    texts.push(program.program.complaints_pointer(case.state));
    let policies = program.program.policy_texts(case.state);
    if case.part_c_rights() {
        texts.extend(policies);
    } else {
        texts.extend(program.program.grievance_pointer(case.state));
        // The system of payments is printed whatever rights the family has.
        texts.extend(
            policies
                .into_iter()
                .filter(|(p, _)| p.ends_with("/payments")),
        );
    }
    let own = program.program.text_language();
    for (pointer, text) in texts {
        // Text the file gives once is the program's language's.
        let lacking = lacking(text, &languages, own);
        if lacking.is_empty() {
            continue;
        }
        let element = dotted(Kind::Program.name(), &pointer);
        let written = match text_at(file, &pointer) {
            Some(Text::Plain(_)) => format!(
                "is written once, so it is taken to be in {} (the program file's `language`)",
                name(own)
            ),
            _ => format!("has no {} text", names(&lacking)),
        };
        let message = format!(
            "`{element}` {written}, and the {} papers of case {} print it in {}; give it in each language, \
             for example {{{}}}",
            names(&lacking),
            case.case_id,
            names(&text.languages(own)),
            example(&with_own(&languages, own)),
        );
        findings.push(notice(file, &pointer, element, message));
    }
}

/// The languages the family's papers are made in that have a translation
/// file.
fn family_languages<'a>(record: &'a CaseRecord, known: &[&str]) -> Vec<&'a str> {
    let mut languages = record.case.document_languages();
    languages.retain(|l| known.contains(l));
    languages
}

/// Those of `languages` that `text` gives nothing in (text written once
/// being in `once`).
fn lacking<'a>(text: &Text, languages: &[&'a str], once: &str) -> Vec<&'a str> {
    (languages.iter().copied())
        .filter(|lang| text.lacks(lang, once))
        .collect()
}

/// The text at `pointer` of `file`, as the record gives it.
fn text_at(file: &RecordFile, pointer: &str) -> Option<Text> {
    serde_json::from_value(file.doc.value.pointer(pointer)?.clone()).ok()
}

/// The record file's layout version (`version:`).
fn record_version(file: &RecordFile) -> Option<u64> {
    file.doc.value.get("version")?.as_u64()
}

/// Languages by name, for messages: "English and Spanish".
fn names(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|l| name(l))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// `languages` with `own` first, when it is not among them.
fn with_own<'a>(languages: &[&'a str], own: &'a str) -> Vec<&'a str> {
    let mut all = vec![own];
    all.extend(languages.iter().copied().filter(|l| *l != own));
    all
}

/// `es: ..., en: ...`
fn example(languages: &[&str]) -> String {
    (languages.iter())
        .map(|l| format!("{l}: ..."))
        .collect::<Vec<_>>()
        .join(", ")
}

fn notice(file: &RecordFile, pointer: &str, element: String, message: String) -> Finding {
    Finding {
        severity: Severity::Notice,
        ..Finding::error(&file.path, RecordCode::Untranslated, message)
    }
    .at(spot(file, pointer))
    .path(element)
}
