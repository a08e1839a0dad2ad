//! `render --profile`: where each document kind's Typst time goes, from
//! Typst's own timing (`typst-timing`, what `typst compile --timings`
//! records), summed by kind.
//!
//! While profiling, documents are compiled and exported one at a time (the
//! rest of the work still runs on every core), so every event Typst records
//! belongs to the one document being made. After each document the events are
//! taken out and folded into its kind's totals: the time of each of Typst's
//! phases (evaluation, realization, paragraph layout, PDF export ...) without
//! the phases inside it, how often the document was laid out (Typst lays a
//! document out again while page numbers or other introspected values
//! change), and the time of each block by the source line that made it.
//! Source lines from the generated document have their quoted text replaced
//! by `"…"`, so the same markup on every case adds up and no record text
//! reaches the report.

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::Deserialize;
use typst::WorldExt;
use typst::syntax::Span;
use typst_kit::diagnostics::DiagnosticWorld;

use super::DocKind;

/// One kind's profile.
#[derive(Debug, Default, Clone)]
pub struct KindProfile {
    pub documents: u64,
    /// How many times Typst laid a document out (`layout document` runs).
    pub layout_runs: u64,
    /// The whole time of each run, by its number in the document (the first,
    /// the second ...), microseconds.
    pub runs: Vec<Timed>,
    /// Each phase's own time (the phases inside it excluded), microseconds.
    pub phases: HashMap<String, Timed>,
    /// Each block's time by the source line that made it (the blocks inside
    /// it included; a block inside one made by the same line is not counted
    /// twice), microseconds.
    pub blocks: HashMap<String, Timed>,
}

/// A total time and how many events made it.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Timed {
    pub micros: f64,
    pub count: u64,
}

impl Timed {
    fn add(&mut self, micros: f64) {
        self.micros += micros;
        self.count += 1;
    }
}

impl KindProfile {
    /// All the time Typst spent on this kind, microseconds.
    pub fn total(&self) -> f64 {
        self.phases.values().map(|t| t.micros).sum()
    }

    /// The phases, the costliest first.
    pub fn phases_by_time(&self) -> Vec<(&str, Timed)> {
        let mut v: Vec<_> = self.phases.iter().map(|(k, t)| (k.as_str(), *t)).collect();
        v.sort_by(|a, b| b.1.micros.total_cmp(&a.1.micros).then(a.0.cmp(b.0)));
        v
    }

    /// The blocks, the costliest first.
    pub fn blocks_by_time(&self) -> Vec<(&str, Timed)> {
        let mut v: Vec<_> = self.blocks.iter().map(|(k, t)| (k.as_str(), *t)).collect();
        v.sort_by(|a, b| b.1.micros.total_cmp(&a.1.micros).then(a.0.cmp(b.0)));
        v
    }
}

/// The profile of a run: off unless `start` is called.
#[derive(Debug, Default)]
pub struct Profile {
    on: AtomicBool,
    /// Held while a document is compiled and exported, so that Typst's
    /// events are one document's.
    kinds: Mutex<HashMap<DocKind, KindProfile>>,
}

/// One event as `typst_timing::export_json` writes it.
#[derive(Deserialize)]
struct Event {
    name: String,
    ph: String,
    ts: f64,
    tid: u64,
    args: Option<Where>,
}

#[derive(Deserialize)]
struct Where {
    file: String,
}

/// A scope not yet closed.
struct Open {
    name: String,
    start: f64,
    /// The time of the scopes closed inside it.
    inner: f64,
    block: Option<String>,
}

impl Profile {
    /// Starts recording Typst's timing (for the rest of the process).
    pub fn start(&self) {
        self.on.store(true, Ordering::Relaxed);
        typst_timing::enable();
    }

    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    /// While profiling, the lock to hold over one document's Typst work.
    pub(super) fn one_at_a_time(&self) -> Option<MutexGuard<'_, HashMap<DocKind, KindProfile>>> {
        let held = self
            .is_on()
            .then(|| self.kinds.lock().unwrap_or_else(|p| p.into_inner()));
        // What a document that failed left behind is not the next one's.
        typst_timing::clear();
        held
    }

    /// Folds the events Typst recorded for one document of `kind`, compiled
    /// in `world`, into the kind's totals. `held` is `one_at_a_time`'s lock.
    pub(super) fn record(
        held: &mut HashMap<DocKind, KindProfile>,
        kind: DocKind,
        world: &impl DiagnosticWorld,
    ) {
        let mut json = Vec::new();
        let exported = typst_timing::export_json(&mut json, |raw| (source_line(world, raw), 0));
        let Ok(events) = exported.map(|()| serde_json::from_slice::<Vec<Event>>(&json)) else {
            return;
        };
        let Ok(events) = events else { return };
        let profile = held.entry(kind).or_default();
        profile.documents += 1;
        fold(profile, events);
    }

    /// The profile so far, by kind in `DocKind::ALL`'s order.
    pub fn by_kind(&self) -> Vec<(DocKind, KindProfile)> {
        let kinds = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        DocKind::ALL
            .iter()
            .filter_map(|k| kinds.get(k).map(|p| (*k, p.clone())))
            .collect()
    }
}

/// Adds one document's events (in the order they were recorded) to `profile`.
fn fold(profile: &mut KindProfile, events: Vec<Event>) {
    let mut stacks: HashMap<u64, Vec<Open>> = HashMap::new();
    let mut run = 0;
    for event in events {
        let stack = stacks.entry(event.tid).or_default();
        if event.ph == "B" {
            let block = (event.name == "block")
                .then(|| event.args.map(|w| w.file))
                .flatten();
            stack.push(Open {
                name: event.name,
                start: event.ts,
                inner: 0.0,
                block,
            });
            continue;
        }
        let Some(open) = stack.pop() else { continue };
        let took = event.ts - open.start;
        if let Some(parent) = stack.last_mut() {
            parent.inner += took;
        }
        if open.name == "layout document" {
            profile.layout_runs += 1;
            if profile.runs.len() <= run {
                profile.runs.push(Timed::default());
            }
            profile.runs[run].add(took);
            run += 1;
        }
        if let Some(line) = open.block
            && !stack.iter().any(|o| o.block.as_ref() == Some(&line))
        {
            profile.blocks.entry(line).or_default().add(took);
        }
        profile
            .phases
            .entry(open.name)
            .or_default()
            .add(took - open.inner);
    }
}

/// `file:line: text` of the line a span starts on.
fn source_line(world: &impl DiagnosticWorld, raw: NonZeroU64) -> String {
    let span = Span::from_raw(raw);
    let Some(id) = span.id() else {
        return "(no source)".into();
    };
    let Ok(source) = world.source(id) else {
        return "(no source)".into();
    };
    let Some(range) = world.range(span) else {
        return "(no source)".into();
    };
    let lines = source.lines();
    let line = lines.byte_to_line(range.start).unwrap_or(0);
    let text = lines
        .line_to_range(line)
        .map(|r| &source.text()[r])
        .unwrap_or("");
    let file = world.name(id);
    if file.starts_with("templates/") {
        format!(
            "{}:{}: {}",
            file.trim_start_matches("templates/"),
            line + 1,
            shown(text)
        )
    } else {
        format!("document: {}", shown(text))
    }
}

/// A source line as the report shows it: trimmed, quoted text elided, at
/// most 70 characters.
fn shown(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.trim().chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            out.push('…');
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => {}
                }
            }
            out.push('"');
        }
    }
    if out.chars().count() > 70 {
        out = out.chars().take(69).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(name: &str, ph: &str, ts: f64, file: Option<&str>) -> Event {
        Event {
            name: name.into(),
            ph: ph.into(),
            ts,
            tid: 1,
            args: file.map(|f| Where { file: f.into() }),
        }
    }

    #[test]
    fn a_phase_counts_its_own_time_and_a_block_its_whole_time() {
        let mut p = KindProfile::default();
        fold(
            &mut p,
            vec![
                ev("compile", "B", 0.0, None),
                ev("layout document", "B", 10.0, None),
                ev("block", "B", 20.0, Some("a")),
                ev("block", "B", 25.0, Some("a")),
                ev("linebreak", "B", 30.0, None),
                ev("linebreak", "E", 70.0, None),
                ev("block", "E", 80.0, Some("a")),
                ev("block", "E", 90.0, Some("a")),
                ev("layout document", "E", 95.0, None),
                ev("compile", "E", 100.0, None),
            ],
        );
        assert_eq!(p.layout_runs, 1);
        assert_eq!(
            p.runs,
            [Timed {
                micros: 85.0,
                count: 1
            }]
        );
        assert_eq!(
            p.phases["linebreak"],
            Timed {
                micros: 40.0,
                count: 1
            }
        );
        // 70 in blocks, 40 of it line breaking: 30 their own.
        assert_eq!(
            p.phases["block"],
            Timed {
                micros: 30.0,
                count: 2
            }
        );
        assert_eq!(p.phases["layout document"].micros, 15.0);
        assert_eq!(p.phases["compile"].micros, 15.0);
        assert_eq!(p.total(), 100.0);
        // The inner block from the same line is inside the outer one's 70.
        assert_eq!(
            p.blocks["a"],
            Timed {
                micros: 70.0,
                count: 1
            }
        );
        assert_eq!(p.phases_by_time()[0].0, "linebreak");
    }

    #[test]
    fn each_layout_run_has_its_own_time() {
        let mut p = KindProfile::default();
        let doc = |from: f64, to: f64| {
            vec![
                ev("layout document", "B", from, None),
                ev("layout document", "E", to, None),
            ]
        };
        // Two documents: the first laid out twice, the second once.
        fold(
            &mut p,
            [doc(0.0, 30.0), doc(30.0, 33.0)]
                .into_iter()
                .flatten()
                .collect(),
        );
        fold(&mut p, doc(0.0, 50.0));
        assert_eq!(p.layout_runs, 3);
        assert_eq!(
            p.runs,
            [
                Timed {
                    micros: 80.0,
                    count: 2
                },
                Timed {
                    micros: 3.0,
                    count: 1
                }
            ]
        );
    }

    #[test]
    fn threads_keep_their_own_scopes() {
        let mut p = KindProfile::default();
        let mut other = ev("realize", "B", 5.0, None);
        other.tid = 2;
        let mut other_end = ev("realize", "E", 15.0, None);
        other_end.tid = 2;
        fold(
            &mut p,
            vec![
                ev("eval", "B", 0.0, None),
                other,
                other_end,
                ev("eval", "E", 20.0, None),
            ],
        );
        assert_eq!(p.phases["eval"].micros, 20.0);
        assert_eq!(p.phases["realize"].micros, 10.0);
    }

    #[test]
    fn a_line_is_shown_without_its_quoted_text() {
        assert_eq!(
            shown(r#"  #field[#"Date of \"consent\"";][#"May 1";]  "#),
            r#"#field[#"…";][#"…";]"#
        );
        assert_eq!(shown(&"x".repeat(80)).chars().count(), 70);
        assert_eq!(shown(&"x".repeat(70)), "x".repeat(70));
    }
}
