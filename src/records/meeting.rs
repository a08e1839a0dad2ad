//! A plan meeting after the first (a review, an annual meeting, a change
//! the family asked for) written into the plan as the plan's schema says:
//! the meeting joins `meetings`, each service's new columns are a
//! `changes:` entry dated by the meeting (the row keeps what was first
//! agreed, so earlier papers still show it), a new service or outcome is
//! added with `added_on`, progress joins each outcome's, and the consent
//! to the change covers the services it changed. The plan is never copied.

use serde_json::{Map, Value, json};

use crate::model::MeetingType;

/// What a meeting form sends: the meeting, the services as they stand
/// after it, the progress on each outcome, the new outcomes and the
/// consent to the change.
#[derive(Debug, Clone, Default)]
pub struct MeetingSent {
    /// A `meetings` entry, with the present levels and family assessment
    /// as the meeting leaves them.
    pub meeting: Value,
    /// Every service as it stands after the meeting, by `id`; a service of
    /// the plan left out ends on the meeting's date.
    pub services: Vec<Value>,
    /// `(outcome number, note)`.
    pub progress: Vec<(i64, Value)>,
    pub new_outcomes: Vec<Value>,
    /// The consent's own elements (description, explained, language,
    /// signatures, insurance), without its date, action and services.
    pub consent: Value,
}

/// Each service of the plan as it stands: its row with every change
/// applied, without `added_on` and `changes`.
pub fn services_now(plan: &Value) -> Vec<Value> {
    let rows = plan.get("services").and_then(Value::as_array);
    (rows.into_iter().flatten())
        .map(|row| {
            let mut now = row.as_object().cloned().unwrap_or_default();
            now.shift_remove("added_on");
            let changes = now.shift_remove("changes");
            for change in changes.iter().filter_map(Value::as_array).flatten() {
                for (key, value) in change.as_object().into_iter().flatten() {
                    if key != "on" {
                        now.insert(key.clone(), value.clone());
                    }
                }
            }
            Value::Object(now)
        })
        .collect()
}

/// The element `key` (`present_levels`, `family_assessment`) as the plan's
/// latest meeting to revise it left it.
pub fn latest(plan: &Value, key: &str) -> Option<Value> {
    let meetings = plan.get("meetings").and_then(Value::as_array);
    (meetings.into_iter().flatten().rev())
        .find_map(|m| m.get(key).cloned())
        .or_else(|| plan.get(key).cloned())
}

/// The plan with the meeting `sent` recorded, and the ids of the services
/// it changed, added or ended, in the plan's order.
pub fn with_meeting(plan: &Value, sent: &MeetingSent) -> Result<(Value, Vec<String>), String> {
    let mut plan = plan.clone();
    let date = (sent.meeting.get("date").and_then(Value::as_str))
        .ok_or("the meeting needs its date")?
        .to_string();
    let kind: Option<MeetingType> = sent
        .meeting
        .get("type")
        .and_then(|t| serde_json::from_value(t.clone()).ok());
    let now = services_now(&plan);
    // The meeting, with what it revised only.
    let mut meeting = sent.meeting.clone();
    if let Value::Object(m) = &mut meeting {
        for key in ["present_levels", "family_assessment"] {
            if m.get(key).is_some() && m.get(key) == latest(&plan, key).as_ref() {
                m.shift_remove(key);
            }
        }
    }
    push(&mut plan, "meetings", meeting)?;
    let mut changed = Vec::new();
    let rows = plan
        .get_mut("services")
        .and_then(Value::as_array_mut)
        .ok_or("the plan has no services")?;
    for (row, was) in rows.iter_mut().zip(&now) {
        let id = was.get("id").and_then(Value::as_str).unwrap_or_default();
        let after = sent
            .services
            .iter()
            .find(|s| s.get("id").and_then(Value::as_str) == Some(id));
        let mut change = Map::new();
        change.insert("on".into(), json!(date));
        match after {
            Some(Value::Object(after)) => {
                for (key, value) in after {
                    if key != "id" && was.get(key) != Some(value) {
                        change.insert(key.clone(), value.clone());
                    }
                }
            }
            // Taken off the plan: it ends on the meeting's day.
            _ => {
                change.insert("end_date".into(), json!(date));
            }
        }
        if change.len() > 1 {
            let changes = (row.as_object_mut().ok_or("a service is not a mapping")?)
                .entry("changes")
                .or_insert_with(|| json!([]));
            changes
                .as_array_mut()
                .ok_or("a service's changes are not a list")?
                .push(Value::Object(change));
            changed.push(id.to_string());
        }
    }
    for service in &sent.services {
        let id = service
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if now
            .iter()
            .any(|s| s.get("id").and_then(Value::as_str) == Some(id))
        {
            continue;
        }
        let mut row = Map::new();
        row.insert("id".into(), json!(id));
        row.insert("added_on".into(), json!(date));
        for (key, value) in service.as_object().into_iter().flatten() {
            row.entry(key.clone()).or_insert(value.clone());
        }
        rows.push(Value::Object(row));
        changed.push(id.to_string());
    }
    let review = kind.map(|k| k.progress_review().name()).unwrap_or("other");
    if let Some(outcomes) = plan.get_mut("outcomes").and_then(Value::as_array_mut) {
        for (number, note) in &sent.progress {
            let Some(outcome) = outcomes
                .iter_mut()
                .find(|o| o.get("number").and_then(Value::as_i64) == Some(*number))
            else {
                return Err(format!("the plan has no outcome {number}"));
            };
            let entry = json!({"date": date, "review": review, "note": note});
            let map = outcome
                .as_object_mut()
                .ok_or("an outcome is not a mapping")?;
            (map.entry("progress").or_insert_with(|| json!([])))
                .as_array_mut()
                .ok_or("an outcome's progress is not a list")?
                .push(entry);
        }
        let mut next = outcomes
            .iter()
            .filter_map(|o| o.get("number").and_then(Value::as_i64))
            .max()
            .unwrap_or(0);
        for outcome in &sent.new_outcomes {
            next += 1;
            let mut row = Map::new();
            row.insert("number".into(), json!(next));
            row.insert("added_on".into(), json!(date));
            for (key, value) in outcome.as_object().into_iter().flatten() {
                row.entry(key.clone()).or_insert(value.clone());
            }
            outcomes.push(Value::Object(row));
        }
    }
    if !changed.is_empty() {
        let mut consent = Map::new();
        consent.insert("date".into(), json!(date));
        consent.insert("action".into(), json!("change"));
        for (key, value) in sent.consent.as_object().into_iter().flatten() {
            consent.insert(key.clone(), value.clone());
        }
        let services: Vec<Value> = changed.iter().map(|id| json!({"service": id})).collect();
        consent.insert("services".into(), Value::Array(services));
        push(&mut plan, "consents", Value::Object(consent))?;
    }
    Ok((plan, changed))
}

fn push(plan: &mut Value, list: &str, value: Value) -> Result<(), String> {
    (plan.get_mut(list).and_then(Value::as_array_mut))
        .ok_or_else(|| format!("the plan has no {list}"))?
        .push(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Value {
        json!({
            "kind": "plan",
            "meetings": [{"date": "2026-04-10", "type": "initial"}],
            "present_levels": {"communication": "Ten words."},
            "outcomes": [{"number": 1, "outcome": "Words."}, {"number": 2, "outcome": "Play."}],
            "services": [
                {"id": "speech", "minutes": 60, "location": "Home",
                 "changes": [{"on": "2026-06-01", "minutes": 45}]},
                {"id": "play", "minutes": 30, "location": "Library", "end_date": "2027-04-10"},
                {"id": "ot", "minutes": 30, "location": "Home", "end_date": "2027-04-10"}
            ],
            "consents": []
        })
    }

    #[test]
    fn a_meeting_writes_changes_new_rows_progress_and_the_consent_never_the_plan_again() {
        let plan = plan();
        let now = services_now(&plan);
        assert_eq!(
            now[0],
            json!({"id": "speech", "minutes": 45, "location": "Home"})
        );
        let mut speech = now[0].clone();
        speech["location"] = json!("Grandmother's home");
        let sent = MeetingSent {
            meeting: json!({"date": "2026-10-09", "type": "six-month-review",
                            "present_levels": {"communication": "Ten words."}}),
            services: vec![
                speech,
                now[1].clone(),
                json!({"id": "group", "minutes": 90}),
            ],
            progress: vec![(1, json!("Thirty words."))],
            new_outcomes: vec![json!({"outcome": "Sleep."})],
            consent: json!({"explained": true}),
        };
        let (after, changed) = with_meeting(&plan, &sent).unwrap();
        assert_eq!(changed, ["speech", "ot", "group"]);
        assert_eq!(
            after,
            json!({
                "kind": "plan",
                "meetings": [{"date": "2026-04-10", "type": "initial"},
                             {"date": "2026-10-09", "type": "six-month-review"}],
                "present_levels": {"communication": "Ten words."},
                "outcomes": [
                    {"number": 1, "outcome": "Words.",
                     "progress": [{"date": "2026-10-09", "review": "six-month", "note": "Thirty words."}]},
                    {"number": 2, "outcome": "Play."},
                    {"number": 3, "added_on": "2026-10-09", "outcome": "Sleep."}
                ],
                "services": [
                    {"id": "speech", "minutes": 60, "location": "Home",
                     "changes": [{"on": "2026-06-01", "minutes": 45},
                                 {"on": "2026-10-09", "location": "Grandmother's home"}]},
                    {"id": "play", "minutes": 30, "location": "Library", "end_date": "2027-04-10"},
                    {"id": "ot", "minutes": 30, "location": "Home", "end_date": "2027-04-10",
                     "changes": [{"on": "2026-10-09", "end_date": "2026-10-09"}]},
                    {"id": "group", "added_on": "2026-10-09", "minutes": 90}
                ],
                "consents": [{"date": "2026-10-09", "action": "change", "explained": true,
                              "services": [{"service": "speech"}, {"service": "ot"},
                                           {"service": "group"}]}]
            })
        );
        assert_eq!(
            latest(&after, "present_levels"),
            Some(json!({"communication": "Ten words."}))
        );
    }
}
