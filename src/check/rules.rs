//! The order every rule about one case runs in; each rule is a function
//! of its topic's file, named by its id. Numbers and sources are in the
//! domain notes: 34 CFR 303 for the federal ones, the Connecticut service
//! coordination procedure and the Vermont One Plan contract.

use super::case::CaseCheck;
use super::{
    consents, contact, exit, meetings, notices, records, services, signatures, transition,
};

pub fn run(c: &mut CaseCheck) {
    contact::monthly_contact(c);
    contact::note_signed(c);
    services::coordinator_direct_provider(c);
    meetings::initial_plan_45_days(c);
    meetings::program_choice(c);
    meetings::evaluation_45_days(c);
    services::services(c);
    consents::evaluation_consent(c);
    consents::insurance_billing(c);
    notices::prior_written_notice(c);
    notices::meeting_notice(c);
    meetings::reviews(c);
    transition::transition_part_c(c);
    transition::transition_postpartum(c);
    transition::transition_age_six(c);
    contact::minimum_documentation(c);
    exit::exit_recorded(c);
    exit::services_end(c);
    exit::exit_notice(c);
    exit::transfer_records(c);
    records::records_release(c);
    records::record_access(c);
    services::service_delivery(c);
    signatures::signature_owed(c);
}
