//! The languages a family's papers are made in: the case's and each family
//! member's (`reads`) must have a translation file, and text a family reads
//! that a document's language lacks is named, so that a coordinator is never
//! surprised by a Spanish form with English in it.

use super::ByKind;
use super::messages::spot;
use crate::finding::{Finding, RecordCode, Severity, dotted};
use crate::model::{CaseRecord, Kind, PlanFile, Text};

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

/// Every text a family-facing document prints that the record may give in
/// several languages: the record kind, its JSON pointer, the text.
fn family_texts(record: &CaseRecord) -> Vec<(Kind, String, &Text)> {
    let mut texts = Vec::new();
    for (i, m) in record.case.family.iter().enumerate() {
        texts.push((
            Kind::Case,
            format!("/family/{i}/relationship"),
            &m.relationship,
        ));
    }
    for (kind, i, c) in record.consents() {
        texts.push((kind, format!("/consents/{i}/description"), &c.description));
    }
    if let Some(plan) = &record.plan {
        for (i, o) in plan.outcomes.iter().enumerate() {
            let at = |what: &str| format!("/outcomes/{i}/{what}");
            texts.push((Kind::Plan, at("outcome"), &o.outcome));
            texts.push((Kind::Plan, at("criteria"), &o.criteria));
            texts.push((Kind::Plan, at("procedures"), &o.procedures));
            for (j, s) in o.strategies.iter().enumerate() {
                texts.push((Kind::Plan, at(&format!("strategies/{j}")), s));
            }
            for (j, p) in o
                .progress
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.from_review)
            {
                texts.push((Kind::Plan, at(&format!("progress/{j}/note")), &p.note));
            }
        }
        for (i, s) in plan.services.iter().enumerate() {
            texts.push((Kind::Plan, format!("/services/{i}/service"), &s.service));
            texts.push((Kind::Plan, format!("/services/{i}/location"), &s.location));
            for (j, c) in s.changes.iter().enumerate() {
                if let Some(location) = &c.location {
                    let at = format!("/services/{i}/changes/{j}/location");
                    texts.push((Kind::Plan, at, location));
                }
            }
        }
        assessments(plan, &mut texts);
        for (i, s) in plan.other_services.iter().enumerate() {
            texts.push((
                Kind::Plan,
                format!("/other_services/{i}/service"),
                &s.service,
            ));
        }
    }
    for (i, n) in record
        .notices
        .iter()
        .flat_map(|n| &n.prior_written)
        .enumerate()
    {
        texts.push((
            Kind::Notices,
            format!("/prior_written/{i}/reasons"),
            &n.reasons,
        ));
        if let Some(request) = &n.request {
            texts.push((
                Kind::Notices,
                format!("/prior_written/{i}/request"),
                request,
            ));
        }
    }
    for (i, n) in record.notices.iter().flat_map(|n| &n.meetings).enumerate() {
        texts.push((Kind::Notices, format!("/meetings/{i}/place"), &n.place));
        for (j, who) in n.invited.iter().enumerate() {
            texts.push((Kind::Notices, format!("/meetings/{i}/invited/{j}"), who));
        }
    }
    if let Some(exit) = &record.exit {
        if let Some(detail) = &exit.reason_detail {
            texts.push((Kind::Exit, "/reason_detail".into(), detail));
        }
        if let Some(transfer) = &exit.transfer {
            texts.push((Kind::Exit, "/transfer/records".into(), &transfer.records));
        }
    }
    texts
}

/// The family assessment and present levels: the plan's first and each
/// revision at a plan file's meeting.
fn assessments<'a>(plan: &'a PlanFile, texts: &mut Vec<(Kind, String, &'a Text)>) {
    let meetings = plan
        .meetings
        .iter()
        .filter(|m| !m.from_review)
        .map(|m| (m.in_file, m));
    for (i, m) in meetings.clone() {
        for (j, who) in m.participants.iter().enumerate() {
            texts.push((Kind::Plan, format!("/meetings/{i}/participants/{j}"), who));
        }
    }
    let revisions = meetings.map(|(i, m)| {
        (
            format!("/meetings/{i}"),
            m.family_assessment.as_ref(),
            m.present_levels.as_ref(),
        )
    });
    let first = (
        String::new(),
        Some(&plan.family_assessment),
        plan.present_levels.as_ref(),
    );
    for (at, assessment, levels) in std::iter::once(first).chain(revisions) {
        if let Some(a) = assessment {
            for (name, text) in [
                ("concerns", &a.concerns),
                ("priorities", &a.priorities),
                ("resources", &a.resources),
            ] {
                texts.push((Kind::Plan, format!("{at}/family_assessment/{name}"), text));
            }
        }
        if let Some(l) = levels {
            let areas = [
                ("physical", &l.physical),
                ("cognitive", &l.cognitive),
                ("communication", &l.communication),
                ("social_emotional", &l.social_emotional),
                ("adaptive", &l.adaptive),
            ];
            for (name, text) in areas {
                texts.push((Kind::Plan, format!("{at}/present_levels/{name}"), text));
            }
        }
    }
}

/// A notice for each family text with none in one of the languages the
/// family's papers are made in: those papers print it as the record gives it.
/// A language with no translation file is reported by [`known`] instead.
pub fn untranslated(
    record: &CaseRecord,
    by_kind: &ByKind,
    known: &[&str],
    findings: &mut Vec<Finding>,
) {
    let case_lang = record.case.language.as_str();
    let mut languages = record.case.document_languages();
    languages.retain(|l| known.contains(l));
    for (kind, pointer, text) in family_texts(record) {
        let Some(file) = by_kind.get(&kind).and_then(|f| f.first()) else {
            continue;
        };
        let lacking: Vec<&str> = languages
            .iter()
            .copied()
            .filter(|lang| text.lacks(lang, case_lang))
            .collect();
        if lacking.is_empty() {
            continue;
        }
        let element = dotted(kind.name(), &pointer);
        let missing = lacking
            .iter()
            .map(|l| name(l))
            .collect::<Vec<_>>()
            .join(" and ");
        let given = text
            .languages(case_lang)
            .into_iter()
            .map(name)
            .collect::<Vec<_>>();
        let example = languages
            .iter()
            .map(|l| format!("{l}: ..."))
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!(
            "`{element}` has no {missing} text, so the family's {missing} papers print it in {}; \
             give it in each language, for example {{{example}}}",
            given.join(" and ")
        );
        findings.push(
            Finding {
                severity: Severity::Notice,
                ..Finding::error(&file.path, RecordCode::Untranslated, message)
            }
            .at(spot(file, &pointer))
            .path(element),
        );
    }
}
