//! Planning a pair's series of sessions where both partners live: one local
//! time on the leader's clock, inside both partners' working hours where such
//! a time exists, each session converted from that wall-clock time on its own
//! day so that daylight-saving changes never move it for the leader.
use crate::date::Date;
use crate::zone::Zone;
use time::{Duration, OffsetDateTime, Weekday};

/// Working hours start, each partner in their own zone, Monday to Friday.
pub const WORK_START: (u8, u8) = (9, 0);
/// Working hours end (exclusive), each partner in their own zone.
pub const WORK_END: (u8, u8) = (17, 0);

/// The leader's local start time preferred among equally good ones.
const PREFERRED_START: (u8, u8) = (10, 0);

/// A planned series of sessions at one local time on the leader's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub starts: Vec<OffsetDateTime>,
    /// The start time on the anchor's (the leader's) clock.
    pub local_hour: u8,
    pub local_minute: u8,
    /// Every session lies inside both partners' working hours.
    pub inside_both: bool,
}

/// The series rule as users read it.
pub fn series_rule_text() -> &'static str {
    "Sessions are planned at one local time in the leader's time zone, inside both partners' working hours \
     (09:00-17:00, Monday to Friday, each in their own zone) where such a time exists; otherwise at the time \
     with the fewest minutes outside them. The time stays the same on the leader's clock across \
     daylight-saving changes."
}

fn is_weekday(day: Date) -> bool {
    !matches!(day.midnight_utc().weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// How many of the `minutes` from `start` fall outside working hours in
/// `zone`; Saturdays and Sundays there are outside all day.
pub fn minutes_outside_working_hours(zone: &Zone, start: OffsetDateTime, minutes: u32) -> u32 {
    let total = Duration::minutes(i64::from(minutes));
    let Some(end) = start.checked_add(total) else {
        return minutes;
    };
    let mut inside = Duration::ZERO;
    // A day's working hours lie within that local day, so only the local days
    // the session touches can overlap it.
    for days in zone.local(start).day.days_since_epoch()..=zone.local(end).day.days_since_epoch() {
        let Some(day) = Date::from_days_since_epoch(days).filter(|&d| is_weekday(d)) else {
            continue;
        };
        let open = zone.at_local(day, WORK_START.0, WORK_START.1);
        let close = zone.at_local(day, WORK_END.0, WORK_END.1);
        if let (Some(open), Some(close)) = (open, close) {
            let (from, to) = (open.max(start), close.min(end));
            if to > from {
                inside += to - from;
            }
        }
    }
    let outside_seconds = (total - inside).whole_seconds().max(0);
    u32::try_from((outside_seconds + 59) / 60).unwrap_or(u32::MAX)
}

/// Each session at `hour:minute` on the anchor's clock, every `cadence_days`
/// anchor-local days from `first_day`, converted to UTC one by one so that the
/// anchor's clock time holds across daylight-saving changes.
fn series_starts(
    first_day: Date,
    cadence_days: u32,
    count: u32,
    hour: u8,
    minute: u8,
    anchor: &Zone,
) -> Vec<OffsetDateTime> {
    (0..i64::from(count))
        .filter_map(|k| Date::from_days_since_epoch(first_day.days_since_epoch() + k * i64::from(cadence_days)))
        .filter_map(|day| anchor.at_local(day, hour, minute))
        .collect()
}

/// Plans `count` sessions of `minutes`, every `cadence_days` from `first_day`
/// (a day on the anchor's calendar), at one local time on `anchor`'s clock.
/// Candidates: the first day moved forward 0 to 6 days (never to the anchor's
/// weekend) and every half hour of the anchor's day. The winner has the fewest
/// minutes outside either partner's working hours, summed over all sessions
/// and partners; ties go to the earliest first day, then the start closest to
/// 10:00, then the earlier start.
pub fn plan_series(
    first_day: Date,
    cadence_days: u32,
    count: u32,
    minutes: u32,
    anchor: &Zone,
    other: &Zone,
) -> Series {
    let (preferred_hour, preferred_minute) = PREFERRED_START;
    if count == 0 {
        return Series {
            starts: Vec::new(),
            local_hour: preferred_hour,
            local_minute: preferred_minute,
            inside_both: true,
        };
    }
    let preferred = i32::from(preferred_hour) * 60 + i32::from(preferred_minute);
    // (outside minutes, days moved, distance from 10:00, minute of day), lowest wins.
    let mut best: Option<((u64, i64, i32, i32), Series)> = None;
    for moved in 0..=6 {
        let day = first_day.plus_days(moved);
        if !is_weekday(day) {
            continue;
        }
        for slot in 0..48u8 {
            let (hour, minute) = (slot / 2, slot % 2 * 30);
            let starts = series_starts(day, cadence_days, count, hour, minute, anchor);
            let outside: u64 = starts
                .iter()
                .map(|&s| {
                    u64::from(minutes_outside_working_hours(anchor, s, minutes))
                        + u64::from(minutes_outside_working_hours(other, s, minutes))
                })
                .sum();
            let minute_of_day = i32::from(hour) * 60 + i32::from(minute);
            let key = (outside, moved, (minute_of_day - preferred).abs(), minute_of_day);
            if best.as_ref().is_none_or(|(best_key, _)| key < *best_key) {
                let series = Series { starts, local_hour: hour, local_minute: minute, inside_both: outside == 0 };
                best = Some((key, series));
            }
        }
    }
    best.map(|(_, series)| series).unwrap_or_else(|| Series {
        starts: Vec::new(),
        local_hour: preferred_hour,
        local_minute: preferred_minute,
        inside_both: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{format_instant, parse_instant};

    fn day(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    fn zone(name: &str) -> Zone {
        Zone::parse(name).expect("zone")
    }

    /// Whether `minutes` from `start` lie inside 09:00-17:00 of one weekday in
    /// `zone`, read off the local clock rather than by `minutes_outside_working_hours`.
    fn inside_working_hours(zone: &Zone, start: OffsetDateTime, minutes: u32) -> bool {
        let (from, to) = (zone.local(start), zone.local(start + Duration::minutes(i64::from(minutes))));
        let weekday = !matches!(from.weekday, Weekday::Saturday | Weekday::Sunday);
        weekday && from.day == to.day && (from.hour, from.minute) >= WORK_START && (to.hour, to.minute) <= WORK_END
    }

    fn outside_for_both(starts: &[OffsetDateTime], minutes: u32, a: &Zone, b: &Zone) -> u32 {
        starts
            .iter()
            .map(|&s| minutes_outside_working_hours(a, s, minutes) + minutes_outside_working_hours(b, s, minutes))
            .sum()
    }

    #[test]
    fn a_series_keeps_the_leaders_clock_time_across_both_daylight_saving_changes() {
        let (new_york, berlin) = (zone("America/New_York"), zone("Europe/Berlin"));
        // Mondays from 2027-01-11 to 2027-06-14: the US changes on 03-14, the EU on 03-28.
        let series = plan_series(day("2027-01-11"), 14, 12, 60, &new_york, &berlin);
        assert!(series.inside_both);
        assert_eq!((series.local_hour, series.local_minute), (10, 0));
        assert_eq!(series.starts.len(), 12);
        for (k, &start) in series.starts.iter().enumerate() {
            let local = new_york.local(start);
            assert_eq!(local.day, day("2027-01-11").plus_days(14 * k as i64));
            assert_eq!(new_york.hhmm(start), "10:00", "session {k}");
            assert!(inside_working_hours(&new_york, start, 60), "session {k} for New York");
            assert!(inside_working_hours(&berlin, start, 60), "session {k} for Berlin at {}", berlin.hhmm(start));
        }
        let utc: Vec<String> = series.starts.iter().map(|&t| format_instant(t)).collect();
        assert_eq!(utc[4], "2027-03-08T15:00:00Z", "before the US change");
        assert_eq!(utc[5], "2027-03-22T14:00:00Z", "between the US and EU changes");
        assert_eq!(utc[6], "2027-04-05T14:00:00Z", "after both");
        assert_eq!(berlin.hhmm(series.starts[4]), "16:00");
        assert_eq!(berlin.hhmm(series.starts[5]), "15:00");
        assert_eq!(berlin.hhmm(series.starts[6]), "16:00");
    }

    #[test]
    fn partners_in_the_same_zone_meet_at_ten() {
        let berlin = zone("Europe/Berlin");
        let series = plan_series(day("2027-01-11"), 7, 4, 60, &berlin, &berlin);
        assert!(series.inside_both);
        assert_eq!((series.local_hour, series.local_minute), (10, 0));
        assert_eq!(berlin.local(series.starts[0]).day, day("2027-01-11"));
        assert!(series.starts.iter().all(|&t| berlin.hhmm(t) == "10:00"));
    }

    #[test]
    fn without_a_shared_hour_the_series_has_the_fewest_minutes_outside_working_hours() {
        // In summer Los Angeles works 16:00-24:00 UTC and Tokyo 00:00-08:00 UTC: no shared minute.
        let (los_angeles, tokyo) = (zone("America/Los_Angeles"), zone("Asia/Tokyo"));
        let first = day("2027-06-07");
        let series = plan_series(first, 7, 4, 60, &los_angeles, &tokyo);
        assert!(!series.inside_both);
        let chosen = outside_for_both(&series.starts, 60, &los_angeles, &tokyo);
        let at_ten = series_starts(first, 7, 4, 10, 0, &los_angeles);
        assert!(chosen <= outside_for_both(&at_ten, 60, &los_angeles, &tokyo));
        for moved in 0..=6 {
            for slot in 0..48u8 {
                let starts = series_starts(first.plus_days(moved), 7, 4, slot / 2, slot % 2 * 30, &los_angeles);
                assert!(chosen <= outside_for_both(&starts, 60, &los_angeles, &tokyo), "day +{moved} slot {slot}");
            }
        }
        // An hour straddling the end of one's day and the start of the other's is the best there is.
        assert_eq!(chosen, 4 * 60);
    }

    #[test]
    fn the_one_winter_hour_tokyo_and_los_angeles_share_is_found() {
        // In winter Tokyo 09:00-10:00 is Los Angeles 16:00-17:00 the day before,
        // so Monday in Tokyo is Sunday in Los Angeles: the series starts Tuesday.
        let (tokyo, los_angeles) = (zone("Asia/Tokyo"), zone("America/Los_Angeles"));
        let series = plan_series(day("2027-01-11"), 7, 4, 60, &tokyo, &los_angeles);
        assert!(series.inside_both);
        assert_eq!((series.local_hour, series.local_minute), (9, 0));
        assert_eq!(tokyo.local(series.starts[0]).day, day("2027-01-12"));
        assert_eq!(los_angeles.hhmm(series.starts[0]), "16:00");
    }

    #[test]
    fn a_day_that_is_a_weekend_for_the_other_partner_is_avoided() {
        // Auckland (UTC+13 in January) is 23 hours ahead of Honolulu: Monday morning in
        // Auckland is still Sunday in Honolulu, Friday in Honolulu already Saturday in Auckland.
        let (auckland, honolulu) = (zone("Pacific/Auckland"), zone("Pacific/Honolulu"));
        let from_monday = plan_series(day("2027-01-11"), 7, 6, 60, &auckland, &honolulu);
        let from_friday = plan_series(day("2027-01-15"), 7, 6, 60, &honolulu, &auckland);
        for (series, anchor, first) in
            [(&from_monday, &auckland, "2027-01-12"), (&from_friday, &honolulu, "2027-01-18")]
        {
            assert!(series.inside_both);
            assert_eq!(anchor.local(series.starts[0]).day, day(first), "anchored in {}", anchor.name());
            for &start in &series.starts {
                for z in [&auckland, &honolulu] {
                    assert!(
                        !matches!(z.local(start).weekday, Weekday::Saturday | Weekday::Sunday),
                        "{}",
                        z.human(start)
                    );
                    assert!(inside_working_hours(z, start, 60), "{}", z.human(start));
                }
            }
        }
    }

    #[test]
    fn a_series_through_a_daylight_saving_gap_is_planned_without_failing() {
        // Every candidate's second session falls on Sunday 2027-03-14, when New York skips 02:00-03:00.
        let new_york = zone("America/New_York");
        let series = plan_series(day("2027-03-08"), 6, 3, 60, &new_york, &new_york);
        assert_eq!(series.starts.len(), 3);
        let in_gap = series_starts(day("2027-03-14"), 1, 1, 2, 30, &new_york);
        assert_eq!(in_gap.iter().map(|&t| new_york.hhmm(t)).collect::<Vec<_>>(), ["03:30"]);
    }

    #[test]
    fn minutes_outside_working_hours_match_a_minute_by_minute_count() {
        let starts = [
            ("America/New_York", "2027-03-12T20:30:00Z", 600), // Friday afternoon into the weekend
            ("America/New_York", "2027-03-14T06:00:00Z", 180), // across the spring-forward gap
            ("Europe/Berlin", "2027-10-31T00:00:00Z", 1_500),  // Sunday of the fall-back change into Monday
            ("Asia/Kolkata", "2027-01-11T03:00:00Z", 90),      // half-hour offset
            ("Pacific/Auckland", "2027-01-10T19:30:00Z", 120), // Sunday evening UTC is Monday morning there
        ];
        for (name, start, minutes) in starts {
            let (z, start) = (zone(name), parse_instant(start).expect("start"));
            let by_minute =
                (0..minutes).filter(|&m| !inside_working_hours(&z, start + Duration::minutes(i64::from(m)), 1)).count();
            assert_eq!(minutes_outside_working_hours(&z, start, minutes) as usize, by_minute, "{name} {start}");
        }
    }

    #[test]
    fn an_empty_series_has_no_sessions() {
        let berlin = zone("Europe/Berlin");
        assert!(plan_series(day("2027-01-11"), 14, 0, 60, &berlin, &berlin).starts.is_empty());
    }

    #[test]
    fn the_series_rule_text_names_the_working_hours() {
        let hours = format!("{:02}:{:02}-{:02}:{:02}", WORK_START.0, WORK_START.1, WORK_END.0, WORK_END.1);
        assert!(series_rule_text().contains(&hours));
        assert!(series_rule_text().contains("daylight-saving"));
    }
}
