//! Sessions and signals over time, in fortnights: the protocol's rhythm is
//! a session every two weeks, so a weekly bin shows a sawtooth of empty and
//! full weeks where a fortnight shows whether the pairs kept meeting.
use plab_domain::Date;
use plab_domain::session::SessionStatus;
use plab_store::StoredSession;
use serde::Serialize;
use time::OffsetDateTime;

/// The length of one bin, in days.
pub const FORTNIGHT_DAYS: i64 = 14;

/// The most bins a report carries: ten years.
const MOST: usize = 260;

/// Two weeks of the program: its sessions by what became of them, and the
/// pairs at risk at its end. The same words as the report's totals:
/// `scheduled` is every session that falls in it, `planned` those still
/// planned (neither held nor cancelled yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Fortnight {
    /// Its first day, a Monday.
    pub starts: String,
    /// Its last day, a Sunday 13 days later.
    pub ends: String,
    pub scheduled: usize,
    pub held: usize,
    pub planned: usize,
    pub cancelled: usize,
    /// Did not take place: a partner said so, or nobody said within a week.
    pub missed: usize,
    /// Pairs showing any signal at its end (or now, for the current one).
    pub pairs_at_risk: usize,
}

/// Fortnight by fortnight from the Monday of the program's start to the one
/// holding today.
pub(crate) fn fortnights(
    sessions: &[StoredSession],
    starts_on: Date,
    now: OffsetDateTime,
    at_risk_at: impl Fn(OffsetDateTime) -> usize,
) -> Vec<Fortnight> {
    let today = Date::of_instant(now);
    let mut out = Vec::new();
    let mut first = starts_on.monday_of_week();
    while first <= today && out.len() < MOST {
        let next = first.plus_days(FORTNIGHT_DAYS);
        let (from, to) = (first.midnight_utc(), next.midnight_utc());
        let inside: Vec<&StoredSession> = sessions.iter().filter(|s| s.starts_at >= from && s.starts_at < to).collect();
        let count = |status| inside.iter().filter(|s| s.status_at(now) == status).count();
        out.push(Fortnight {
            starts: first.to_string(),
            ends: first.plus_days(FORTNIGHT_DAYS - 1).to_string(),
            scheduled: inside.len(),
            held: count(SessionStatus::Held),
            planned: count(SessionStatus::Planned),
            cancelled: count(SessionStatus::Cancelled),
            missed: count(SessionStatus::Missed),
            pairs_at_risk: at_risk_at(to.min(now)),
        });
        first = next;
    }
    out
}

/// The fortnights as their own CSV table: a header row, then one row each.
pub fn fortnights_csv(fortnights: &[Fortnight]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut ok = out
        .write_record([
            "fortnight_starts",
            "fortnight_ends",
            "scheduled",
            "held",
            "planned",
            "cancelled",
            "missed",
            "pairs_at_risk",
        ])
        .is_ok();
    for f in fortnights {
        let figures = [f.scheduled, f.held, f.planned, f.cancelled, f.missed, f.pairs_at_risk].map(|n| n.to_string());
        let [scheduled, held, planned, cancelled, missed, at_risk] = &figures;
        ok &= out.write_record([&f.starts, &f.ends, scheduled, held, planned, cancelled, missed, at_risk]).is_ok();
    }
    debug_assert!(ok, "writing CSV into memory cannot fail");
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plab_domain::{PairId, SessionId};

    fn session(day: Date, status: SessionStatus) -> StoredSession {
        let at = day.midnight_utc() + time::Duration::hours(10);
        StoredSession {
            id: SessionId(1),
            pair_id: PairId(1),
            seq: 1,
            starts_at: at,
            minutes: 60,
            status,
            homework_done: false,
            sequence: 0,
            updated_at: at,
            missed_at: None,
        }
    }

    #[test]
    fn a_pair_meeting_every_other_week_fills_every_fortnight_alike() {
        let monday = Date::parse("2026-01-05").expect("date");
        let sessions: Vec<StoredSession> =
            (0..4).map(|i| session(monday.plus_days(3 + 14 * i), SessionStatus::Held)).collect();
        let now = monday.plus_days(8 * 7).midnight_utc();
        let bins = fortnights(&sessions, monday.plus_days(2), now, |_| 0);
        assert_eq!(bins[0].starts, "2026-01-05");
        assert_eq!(bins[0].ends, "2026-01-18");
        assert_eq!(bins[1].starts, "2026-01-19", "bins are 14 days");
        let held: Vec<usize> = bins.iter().map(|b| b.held).collect();
        assert_eq!(held, [1, 1, 1, 1, 0], "no sawtooth");
    }

    #[test]
    fn a_fortnight_counts_each_outcome_and_every_session_as_scheduled() {
        let monday = Date::parse("2026-01-05").expect("date");
        let sessions = [
            session(monday, SessionStatus::Held),
            session(monday.plus_days(1), SessionStatus::Cancelled),
            session(monday.plus_days(13), SessionStatus::Planned),
        ];
        let bins = fortnights(&sessions, monday, monday.plus_days(3).midnight_utc(), |_| 2);
        assert_eq!(bins.len(), 1);
        let b = &bins[0];
        assert_eq!((b.scheduled, b.held, b.cancelled, b.planned, b.pairs_at_risk), (3, 1, 1, 1, 2));
    }
}
