//! Services delivered as planned (seed 003, 5.d: the coordinator monitors
//! that planned services are delivered): the contact notes that name a
//! service (`service:`) are its deliveries, compared with the plan's
//! frequency month by month. One place for the arithmetic, asked by the
//! `service-delivery` rule and by `due`.
//!
//! A service is compared only once the notes record a delivery of it, so a
//! program that keeps its visit records elsewhere is not told that nothing
//! was delivered. Attempts that reached no one deliver nothing.

use chrono::{Days, Months, NaiveDate};

use crate::model::{CaseRecord, CheckSettings, Per, ServiceRow, month_start};

/// How one calendar month's deliveries of a service compare with the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthDelivery {
    /// The first day of the month.
    pub month: NaiveDate,
    /// Deliveries the notes record in the month.
    pub delivered: u32,
    /// Sessions the plan calls for in the month (a weekly service's are
    /// counted over the month's days).
    pub planned: f64,
}

impl MonthDelivery {
    /// Fewer deliveries than planned, beyond the program's tolerance.
    pub fn short(&self, settings: &CheckSettings) -> bool {
        let allowed = f64::from(100 - settings.shortfall_percent().min(100)) / 100.0;
        f64::from(self.delivered) < self.planned * allowed
    }

    /// More deliveries than planned, beyond the program's tolerance.
    pub fn over(&self, settings: &CheckSettings) -> bool {
        let allowed = f64::from(100 + settings.shortfall_percent()) / 100.0;
        f64::from(self.delivered) > (self.planned * allowed).max(self.planned + 1.0)
    }
}

/// The dates the notes record `service` delivered (contacts that reached
/// the family), oldest first.
pub fn deliveries(record: &CaseRecord, service: &ServiceRow) -> Vec<NaiveDate> {
    let mut dates: Vec<NaiveDate> = record
        .contacts
        .iter()
        .filter(|n| n.reached() && n.service.as_deref() == Some(service.id.as_str()))
        .map(|n| n.date)
        .collect();
    dates.sort();
    dates
}

/// Sessions the plan calls for between `from` and `until` (both included).
pub fn planned_between(service: &ServiceRow, from: NaiveDate, until: NaiveDate) -> f64 {
    if until < from {
        return 0.0;
    }
    let days = (until - from).num_days() as f64 + 1.0;
    let times = f64::from(service.frequency.times);
    match service.frequency.per {
        Per::Week => times * days / 7.0,
        Per::Month => {
            let month_days = days_in_month(from) as f64;
            times * days / month_days
        }
    }
}

/// Each whole calendar month the service ran from its start through `last`
/// (the day before `--as-of`, or the case's last open day), with what was
/// delivered in it. Empty while the notes record no delivery of it.
pub fn months(record: &CaseRecord, service: &ServiceRow, last: NaiveDate) -> Vec<MonthDelivery> {
    let delivered = deliveries(record, service);
    if delivered.is_empty() {
        return Vec::new();
    }
    let end = service.current().end_date.map_or(last, |e| e.min(last));
    let mut m = month_start(service.start_date);
    if m < service.start_date {
        m = m + Months::new(1);
    }
    let mut out = Vec::new();
    loop {
        let next = m + Months::new(1);
        let month_end = next - Days::new(1);
        if month_end > end {
            break;
        }
        out.push(MonthDelivery {
            month: m,
            delivered: delivered.iter().filter(|d| **d >= m && **d < next).count() as u32,
            // The frequency agreed by then: a meeting may have changed it.
            planned: planned_between(
                &service.as_of(m).unwrap_or_else(|| service.current()),
                m,
                month_end,
            ),
        });
        m = next;
    }
    out
}

/// The longest stretch without a delivery from the service's start through
/// `last`: its first and last day without one, when longer than the
/// program allows. None while the notes record no delivery.
pub fn longest_gap(
    record: &CaseRecord,
    service: &ServiceRow,
    last: NaiveDate,
    settings: &CheckSettings,
) -> Option<(NaiveDate, NaiveDate)> {
    let delivered = deliveries(record, service);
    if delivered.is_empty() {
        return None;
    }
    let end = service.current().end_date.map_or(last, |e| e.min(last));
    let mut from = service.start_date;
    let mut longest: Option<(NaiveDate, NaiveDate)> = None;
    for date in delivered
        .iter()
        .copied()
        .filter(|d| *d >= service.start_date)
        .chain(std::iter::once(end + Days::new(1)))
    {
        if date > end + Days::new(1) {
            break;
        }
        let gap_end = date - Days::new(1);
        let len = (gap_end - from).num_days() + 1;
        if len > i64::from(settings.gap_days())
            && longest.is_none_or(|(a, b)| len > (b - a).num_days() + 1)
        {
            longest = Some((from, gap_end));
        }
        from = date + Days::new(1);
    }
    longest
}

fn days_in_month(date: NaiveDate) -> u32 {
    let first = month_start(date);
    ((first + Months::new(1)) - first).num_days() as u32
}

/// How often a service is planned, in words: `1 time a week`.
pub fn frequency_words(service: &ServiceRow) -> String {
    let times = service.frequency.times;
    let noun = if times == 1 { "time" } else { "times" };
    format!("{times} {noun} a {}", service.frequency.per)
}

/// A number of sessions as a message gives it: `4`, `4.4`.
pub fn sessions(planned: f64) -> String {
    let rounded = (planned * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_month_has_its_own_number_of_days() {
        assert_eq!(days_in_month(d("2025-02-14")), 28);
        assert_eq!(days_in_month(d("2024-02-01")), 29);
        assert_eq!(days_in_month(d("2025-03-31")), 31);
        assert_eq!(days_in_month(d("2025-04-30")), 30);
    }

    #[test]
    fn the_tolerance_is_a_share_of_the_planned_sessions() {
        let settings = CheckSettings::default();
        let month = |delivered, planned| MonthDelivery {
            month: d("2025-03-01"),
            delivered,
            planned,
        };
        // Four planned, 25% allowed short: three is enough, two is not.
        assert!(!month(3, 4.0).short(&settings));
        assert!(month(2, 4.0).short(&settings));
        // Once a month: none is short, one is not, three is over.
        assert!(month(0, 1.0).short(&settings));
        assert!(!month(1, 1.0).short(&settings));
        assert!(!month(2, 1.0).over(&settings));
        assert!(month(3, 1.0).over(&settings));
        // Four planned: six is over, five is within.
        assert!(!month(5, 4.0).over(&settings));
        assert!(month(6, 4.0).over(&settings));
    }
}
