//! Each rule's setting: its defaults in each state's profile (the table
//! [`RULES`]), a program's own choice in `rules:` of its program file, and
//! the severity a broken rule is reported at.

use crate::finding::Severity;
use crate::model::{ProgramFile, RuleId, RuleSetting, State};

/// One rule: its id, what it holds a record to, and its default setting in
/// the Connecticut Birth to Three and Vermont CIS profiles.
pub struct Rule {
    pub id: RuleId,
    pub ct: RuleSetting,
    pub vt: RuleSetting,
}

use RuleSetting::{Error as E, Off, Warning as W};

/// Every rule, in the order they are run. Monthly contact and the
/// coordinator's certificates are Connecticut procedure; the postpartum and
/// age-six transitions, minimum documentation and the exit notice are
/// Vermont's; the rest are federal (34 CFR 303) and on in both.
pub const RULES: &[Rule] = &[
    Rule {
        id: RuleId::MonthlyContact,
        ct: E,
        vt: Off,
    },
    Rule {
        id: RuleId::NoteSigned,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::CoordinatorQualified,
        ct: E,
        vt: Off,
    },
    Rule {
        id: RuleId::InitialPlan45Days,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::ServicesStart,
        ct: W,
        vt: W,
    },
    Rule {
        id: RuleId::ConsentBeforeService,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::EvaluationConsent,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::InsuranceBilling,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::PriorWrittenNotice,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::MeetingNotice,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::Review6Months,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::AnnualMeeting,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::TransitionPartC,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::TransitionPostpartum,
        ct: Off,
        vt: E,
    },
    Rule {
        id: RuleId::TransitionAgeSix,
        ct: Off,
        vt: E,
    },
    Rule {
        id: RuleId::MinimumDocumentation,
        ct: Off,
        vt: E,
    },
    Rule {
        id: RuleId::ContactAttemptsOnly,
        ct: W,
        vt: Off,
    },
    Rule {
        id: RuleId::CoordinatorDirectProvider,
        ct: E,
        vt: Off,
    },
    Rule {
        id: RuleId::ServiceDelivery,
        ct: W,
        vt: W,
    },
    Rule {
        id: RuleId::ExitRecorded,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::ServicesEnd,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::ExitNotice,
        ct: W,
        vt: E,
    },
    Rule {
        id: RuleId::TransferRecords,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::ProgramChoice,
        ct: W,
        vt: Off,
    },
    Rule {
        id: RuleId::RecordsRelease,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::RecordAccess,
        ct: E,
        vt: E,
    },
    Rule {
        id: RuleId::SignatureOwed,
        ct: W,
        vt: W,
    },
];

/// The severity of a broken rule with this setting (none when it is off).
pub fn severity_of(setting: RuleSetting) -> Option<Severity> {
    match setting {
        Off => None,
        RuleSetting::Error => Some(Severity::Error),
        RuleSetting::Warning => Some(Severity::Warning),
        RuleSetting::Notice => Some(Severity::Notice),
    }
}

/// A rule's setting: the program's own, else its state profile's default.
pub fn setting(program: &ProgramFile, profile: State, rule: RuleId) -> RuleSetting {
    if let Some(s) = program.rules.get(&rule) {
        return *s;
    }
    RULES
        .iter()
        .find(|r| r.id == rule)
        .map_or(Off, |r| match profile {
            State::CT => r.ct,
            State::VT => r.vt,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_table_gives_every_rule_its_defaults_once_in_the_schema_order() {
        let ids: Vec<RuleId> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
    }
}
