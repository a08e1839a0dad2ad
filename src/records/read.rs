//! Record files read as they are written, for what the typed records do
//! not keep: a list's entries with their place in the file (a contact
//! note's file and number, to change it), and whom a case is about when
//! its records have errors (so there is no typed record, and the case is
//! still shown by its child's name, never hidden).

use serde_json::Value;

use crate::load::yaml;

/// A record file's whole value, read leniently: none for a text that does
/// not read as YAML (`validate` says why).
pub fn value(text: &str) -> Option<Value> {
    yaml::parse(text).ok().map(|doc| doc.value)
}

/// The entries of the list at `pointer` (a JSON pointer) of a record
/// file's text, in file order; none when the file or the list does not
/// read.
pub fn entries(text: &str, pointer: &str) -> Vec<Value> {
    value(text)
        .and_then(|v| v.pointer(pointer)?.as_array().cloned())
        .unwrap_or_default()
}

/// A case file as written: what names the case on a page while its
/// records have errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseAsWritten {
    pub case_id: Option<String>,
    /// The child's name, the woman's, or the child care program's.
    pub client: Option<String>,
    /// The coordinator's staff id.
    pub coordinator: Option<String>,
    /// The case is the example `casepaper init` wrote (`example: true`).
    pub example: bool,
}

impl CaseAsWritten {
    /// Reads what it can of a case file's text.
    pub fn of(text: &str) -> CaseAsWritten {
        CaseAsWritten::of_value(value(text).as_ref())
    }

    /// Reads what it can of a case file's value, when it has one.
    pub fn of_value(value: Option<&Value>) -> CaseAsWritten {
        let at = |pointer: &str| {
            let found = value?.pointer(pointer)?;
            found.as_str().map(str::to_string)
        };
        CaseAsWritten {
            case_id: at("/case_id"),
            client: ["/child/name", "/woman/name", "/child_care_program"]
                .iter()
                .find_map(|p| at(p)),
            coordinator: at("/coordinator"),
            example: (value.and_then(|v| v.pointer("/example")))
                .and_then(Value::as_bool)
                .unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_file_with_errors_still_names_its_client_whichever_kind() {
        let case = CaseAsWritten::of(
            "case_id: ct-1\ncoordinator: mlopez\nchild: {name: Ada Test, date_of_birth: nope}\n",
        );
        assert_eq!(
            case,
            CaseAsWritten {
                case_id: Some("ct-1".into()),
                client: Some("Ada Test".into()),
                coordinator: Some("mlopez".into()),
                example: false,
            }
        );
        assert!(CaseAsWritten::of("case_id: ct-1\nexample: true\n").example);
        assert!(!CaseAsWritten::of("case_id: ct-1\nexample: \"true\"\n").example);
        let woman = CaseAsWritten::of("woman: {name: Bea Test}\n");
        assert_eq!(woman.client.as_deref(), Some("Bea Test"));
        let program = CaseAsWritten::of("child_care_program: Little Steps\n");
        assert_eq!(program.client.as_deref(), Some("Little Steps"));
        assert_eq!(
            CaseAsWritten::of("case_id: [unclosed\n"),
            CaseAsWritten::default()
        );
    }

    #[test]
    fn a_list_gives_its_entries_in_order_and_nothing_when_it_does_not_read() {
        let text = "notes:\n  - {date: 2026-12-01}\n  - {date: 2026-12-02, minutes: 30}\n";
        assert_eq!(
            entries(text, "/notes"),
            [
                serde_json::json!({"date": "2026-12-01"}),
                serde_json::json!({"date": "2026-12-02", "minutes": 30}),
            ]
        );
        assert!(entries(text, "/other").is_empty());
        assert!(entries("notes: [unclosed\n", "/notes").is_empty());
    }
}
