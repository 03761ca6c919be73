//! Sessions (protocol step 4): the schedule of a pair's hours, the agenda each
//! follows, and the private pulse each partner answers afterwards.
use crate::date::Date;
use crate::person::FieldError;
use crate::program::Role;
use crate::zone::Zone;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Planned,
    Held,
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Held => "held",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<SessionStatus> {
        match s {
            "planned" => Some(SessionStatus::Planned),
            "held" => Some(SessionStatus::Held),
            "cancelled" => Some(SessionStatus::Cancelled),
            _ => None,
        }
    }
}

impl std::fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One part of the session's agenda.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Segment {
    pub name: &'static str,
    pub minutes: u32,
    /// Who leads this part.
    pub lead: &'static str,
    pub purpose: &'static str,
}

/// The protocol's hour: 10 Connect / 30 Mentor's Lab / 15 Reflection / 5 Next Steps.
const HOUR: [(&str, u32, &str, &str); 4] = [
    ("Connect", 10, "both", "Check in as people, not titles; recall the research question."),
    (
        "Mentor's Lab",
        30,
        "mentor",
        "The mentor leads: show how you work, the tools and channels you use, what you see. The leader asks and listens.",
    ),
    ("Mentee's Reflection", 15, "leader", "The leader says what surprised them and what they might do differently."),
    ("Next Steps", 5, "both", "Agree the homework: one thing to try, read or watch before the next session."),
];

/// The agenda scaled to the session's length; rounding goes to the Mentor's Lab,
/// which is the point of the hour.
pub fn agenda(total_minutes: u32) -> Vec<Segment> {
    let mut segments: Vec<Segment> = HOUR
        .iter()
        .map(|&(name, minutes, lead, purpose)| Segment { name, minutes: minutes * total_minutes / 60, lead, purpose })
        .collect();
    let used: u32 = segments.iter().map(|s| s.minutes).sum();
    segments[1].minutes += total_minutes - used;
    segments
}

/// Sessions start at this hour, UTC, until the partners reschedule them.
pub const DEFAULT_START_HOUR_UTC: i64 = 10;

/// The first session: a week after the pair became active (time to find a
/// slot), never before the program starts, moved off weekends.
pub fn first_session_day(program_starts: Date, activated_on: Date) -> Date {
    let earliest = activated_on.days_since_epoch() + 7;
    Date::from_days_since_epoch(earliest.max(program_starts.days_since_epoch()))
        .unwrap_or(activated_on)
        .or_next_weekday()
}

/// When each of `count` sessions starts, every `cadence_days` from the first day.
pub fn schedule(first_day: Date, cadence_days: u32, count: u32) -> Vec<OffsetDateTime> {
    let start = first_day.days_since_epoch() * 86_400 + DEFAULT_START_HOUR_UTC * 3_600;
    (0..i64::from(count))
        .filter_map(|i| OffsetDateTime::from_unix_timestamp(start + i * i64::from(cadence_days) * 86_400).ok())
        .collect()
}

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

pub fn format_instant(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC).replace_nanosecond(0).ok().and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default()
}

/// How a start time reads on a page: `Thu 29 Oct 2026, 10:00 UTC`.
pub fn human_instant(t: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short] [day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
    );
    t.to_offset(UtcOffset::UTC).format(format).unwrap_or_default()
}

/// How a day reads on a page: `Mon 11 Jan 2027`.
pub fn human_date(day: crate::Date) -> String {
    let format = time::macros::format_description!("[weekday repr:short] [day padding:none] [month repr:short] [year]");
    day.midnight_utc().format(format).unwrap_or_else(|_| day.to_string())
}

/// A start time as RFC 3339 (`2026-12-01T10:00:00Z`, any offset) or as a
/// browser's `datetime-local` value (`2026-12-01T10:00`), read as UTC.
pub fn parse_instant(raw: &str) -> Result<OffsetDateTime, FieldError> {
    let raw = raw.trim();
    if let Ok(t) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Ok(t.to_offset(UtcOffset::UTC));
    }
    let local = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    PrimitiveDateTime::parse(raw, local).map(PrimitiveDateTime::assume_utc).map_err(|_| {
        FieldError::new("starts_at", format!("'{raw}' is not a time like 2026-12-01T10:00:00Z or 2026-12-01T10:00"))
    })
}

/// A new start for a planned session: not in the past, within a year, on a
/// weekday in the time zone of the partner who moves it.
pub fn check_reschedule(new_start: OffsetDateTime, now: OffsetDateTime, zone: &Zone) -> Result<(), FieldError> {
    if new_start < now {
        return Err(FieldError::new("starts_at", "is in the past"));
    }
    if new_start > now + Duration::days(366) {
        return Err(FieldError::new("starts_at", "is more than a year ahead"));
    }
    if matches!(zone.local(new_start).weekday, Weekday::Saturday | Weekday::Sunday) {
        return Err(FieldError::new("starts_at", format!("falls on a weekend ({})", zone.name())));
    }
    Ok(())
}

/// A session can be marked held from an hour before it starts, not earlier.
pub fn can_hold(starts_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    starts_at - Duration::hours(1) <= now
}

pub const MAX_HOMEWORK_CHARS: usize = 2_000;

/// The homework agreed in Next Steps: optional, trimmed, bounded.
pub fn parse_homework(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_HOMEWORK_CHARS {
        return Err(FieldError::new("homework", format!("is longer than {MAX_HOMEWORK_CHARS} characters")));
    }
    Ok(Some(text.to_owned()))
}

/// One statement of the private pulse, answered on a 1-5 agreement scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PulseItem {
    pub code: &'static str,
    pub role: Role,
    pub statement: &'static str,
}

/// What each partner answers after a held session. The items watch the
/// protocol's failure modes: the leader's expert reflex (`listened`, `led`),
/// the mentor's apprehension (`candid`) and the unfocused session (`focused`).
pub const PULSE_ITEMS: [PulseItem; 6] = [
    PulseItem { code: "listened", role: Role::Leader, statement: "I asked and listened more than I explained." },
    PulseItem { code: "focused", role: Role::Leader, statement: "We worked on my research question." },
    PulseItem { code: "shared_challenge", role: Role::Leader, statement: "I shared a real challenge of my own." },
    PulseItem { code: "led", role: Role::Mentor, statement: "I got to lead the Mentor's Lab." },
    PulseItem { code: "candid", role: Role::Mentor, statement: "I said what I really think, not the safe answer." },
    PulseItem { code: "heard", role: Role::Mentor, statement: "I felt my perspective was heard." },
];

pub fn pulse_items(role: Role) -> impl Iterator<Item = &'static PulseItem> {
    PULSE_ITEMS.iter().filter(move |i| i.role == role)
}

/// A complete, valid pulse: every item of the partner's role, each 1-5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulse(Vec<(&'static str, u8)>);

impl Pulse {
    pub fn parse(role: Role, answers: &BTreeMap<String, i64>) -> Result<Pulse, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for item in pulse_items(role) {
            match answers.get(item.code) {
                None => errors.push(FieldError::new(item.code, "is missing: answer 1 to 5")),
                Some(&v) => match u8::try_from(v).ok().filter(|v| (1..=5).contains(v)) {
                    Some(v) => out.push((item.code, v)),
                    None => errors.push(FieldError::new(item.code, format!("{v} is outside 1..=5"))),
                },
            }
        }
        for key in answers.keys() {
            if !pulse_items(role).any(|i| i.code == key) {
                errors.push(FieldError::new("answers", format!("'{key}' is not a {role} pulse item")));
            }
        }
        if errors.is_empty() { Ok(Pulse(out)) } else { Err(errors) }
    }

    pub fn answers(&self) -> &[(&'static str, u8)] {
        &self.0
    }
}

/// One person's answers to one pulse item over all their sessions. Their own
/// mean (`sum / count`) is what enters a group figure, so each person counts
/// once; it is kept as a sum and a count so that a change is seen exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonAnswers {
    pub person: String,
    pub sum: u32,
    pub count: u32,
}

impl PersonAnswers {
    fn mean(&self) -> f64 {
        f64::from(self.sum) / f64::from(self.count.max(1))
    }

    fn same_mean(&self, other: &PersonAnswers) -> bool {
        u64::from(self.sum) * u64::from(other.count) == u64::from(other.sum) * u64::from(self.count)
    }
}

/// An average of private answers as sponsors see it, and how many people it covers.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GroupAverage {
    pub respondents: u32,
    pub average: f64,
}

/// A group average released to sponsors (the `number`th for its item), with
/// the per-person answers it was computed from, so the next release can tell
/// who has answered or changed an answer since.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub number: u32,
    pub figure: GroupAverage,
    /// Sorted by person.
    pub basis: Vec<PersonAnswers>,
}

/// How many people answered for the first time, changed their answers (their
/// own mean moved) or withdrew them since `basis`.
fn people_changed(basis: &[PersonAnswers], live: &[PersonAnswers]) -> usize {
    let before = |person: &str| basis.iter().find(|b| b.person == person);
    let new_or_moved = live.iter().filter(|l| before(&l.person).is_none_or(|b| !b.same_mean(l))).count();
    let withdrawn = basis.iter().filter(|b| !live.iter().any(|l| l.person == b.person)).count();
    new_or_moved + withdrawn
}

/// The release rule for averages of private answers. A sponsor who reads the
/// figure before and after one more person answers could otherwise work out
/// that person's answer from the two averages and counts. So the figure sponsors
/// see moves only in steps: the first release once at least `min_group_size`
/// people have answered, and a new one only once at least `min_group_size`
/// people have answered or changed their answer since the last release. Any
/// two figures a sponsor can see then differ by the answers of at least that
/// many people. Returns the new release when one is due, None to keep showing
/// `previous` (or nothing).
pub fn next_release(previous: Option<&Release>, live: &[PersonAnswers], min_group_size: u32) -> Option<Release> {
    let basis = previous.map_or(&[][..], |p| &p.basis[..]);
    let needed = usize::try_from(min_group_size.max(1)).unwrap_or(usize::MAX);
    if live.is_empty() || people_changed(basis, live) < needed {
        return None;
    }
    let respondents = u32::try_from(live.len()).unwrap_or(u32::MAX);
    let mean = live.iter().map(PersonAnswers::mean).sum::<f64>() / f64::from(respondents);
    let mut basis = live.to_vec();
    basis.sort_by(|a, b| a.person.cmp(&b.person));
    Some(Release {
        number: previous.map_or(1, |p| p.number + 1),
        figure: GroupAverage { respondents, average: (mean * 100.0).round() / 100.0 },
        basis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn the_hour_follows_the_protocol_agenda() {
        let minutes: Vec<u32> = agenda(60).iter().map(|s| s.minutes).collect();
        assert_eq!(minutes, [10, 30, 15, 5]);
        assert_eq!(agenda(60)[1].lead, "mentor");
    }

    #[test]
    fn a_longer_session_scales_the_agenda_and_keeps_every_minute() {
        for total in [15, 45, 90, 97, 240] {
            assert_eq!(agenda(total).iter().map(|s| s.minutes).sum::<u32>(), total);
        }
        assert_eq!(agenda(90).iter().map(|s| s.minutes).collect::<Vec<_>>(), [15, 46, 22, 7]);
    }

    #[test]
    fn the_first_session_is_a_weekday_a_week_after_activation_and_not_before_the_program() {
        // 2026-11-27 is a Friday: a week later is Friday 12-04.
        assert_eq!(first_session_day(day("2026-01-01"), day("2026-11-27")), day("2026-12-04"));
        // Saturday 2026-11-28 + 7 = Saturday 12-05, moved to Monday 12-07.
        assert_eq!(first_session_day(day("2026-01-01"), day("2026-11-28")), day("2026-12-07"));
        assert_eq!(first_session_day(day("2027-02-01"), day("2026-11-27")), day("2027-02-01"));
    }

    #[test]
    fn sessions_follow_the_cadence_at_the_default_hour() {
        let times = schedule(day("2026-12-04"), 14, 3);
        let shown: Vec<String> = times.into_iter().map(format_instant).collect();
        assert_eq!(shown, ["2026-12-04T10:00:00Z", "2026-12-18T10:00:00Z", "2027-01-01T10:00:00Z"]);
    }

    #[test]
    fn a_start_time_reads_as_a_weekday_date_and_utc_hour_on_pages() {
        let t = parse_instant("2026-10-29T10:00:00Z").expect("t");
        assert_eq!(human_instant(t), "Thu 29 Oct 2026, 10:00 UTC");
    }

    #[test]
    fn start_times_are_read_as_rfc3339_or_a_browser_local_time_in_utc() {
        let a = parse_instant("2026-12-01T11:30:00+01:00").expect("rfc3339");
        let b = parse_instant("2026-12-01T10:30").expect("datetime-local");
        assert_eq!(a, b);
        assert_eq!(parse_instant("next tuesday").expect_err("bad").field, "starts_at");
    }

    #[test]
    fn a_reschedule_into_the_past_or_a_weekend_is_refused() {
        let now = parse_instant("2026-11-27T12:00").expect("now");
        let utc = Zone::utc();
        assert!(check_reschedule(parse_instant("2026-11-26T10:00").expect("t"), now, &utc).is_err());
        assert!(check_reschedule(parse_instant("2026-11-28T10:00").expect("t"), now, &utc).is_err());
        assert!(check_reschedule(parse_instant("2028-01-03T10:00").expect("t"), now, &utc).is_err());
        assert!(check_reschedule(parse_instant("2026-11-30T10:00").expect("t"), now, &utc).is_ok());
        // Monday 02:00 UTC is still Sunday evening in New York.
        let ny = Zone::parse("America/New_York").expect("zone");
        let monday_early = parse_instant("2026-11-30T02:00").expect("t");
        assert!(check_reschedule(monday_early, now, &utc).is_ok());
        let e = check_reschedule(monday_early, now, &ny).expect_err("a Sunday in New York");
        assert!(e.message.contains("weekend (America/New_York)"), "{}", e.message);
    }

    #[test]
    fn a_session_far_in_the_future_cannot_be_marked_held() {
        let now = parse_instant("2026-11-27T12:00").expect("now");
        assert!(can_hold(parse_instant("2026-11-27T12:45").expect("t"), now));
        assert!(!can_hold(parse_instant("2026-11-28T12:00").expect("t"), now));
    }

    #[test]
    fn a_pulse_needs_every_item_of_the_role_on_a_one_to_five_scale() {
        let ok: BTreeMap<String, i64> = [("led", 4), ("candid", 2), ("heard", 5)].map(|(k, v)| (k.into(), v)).into();
        assert_eq!(Pulse::parse(Role::Mentor, &ok).expect("valid").answers().len(), 3);
        let bad: BTreeMap<String, i64> = [("led", 0), ("listened", 3)].map(|(k, v)| (k.into(), v)).into();
        let fields: Vec<&str> = Pulse::parse(Role::Mentor, &bad).expect_err("bad").iter().map(|e| e.field).collect();
        assert_eq!(fields, ["led", "candid", "heard", "answers"]);
    }

    fn answers(values: &[(&str, u32)]) -> Vec<PersonAnswers> {
        values.iter().map(|&(person, v)| PersonAnswers { person: person.into(), sum: v, count: 1 }).collect()
    }

    /// The figure a sponsor sees after each read, releasing as the service does.
    fn read(released: &mut Option<Release>, live: &[PersonAnswers], min: u32) -> Option<GroupAverage> {
        if let Some(next) = next_release(released.as_ref(), live, min) {
            *released = Some(next);
        }
        released.as_ref().map(|r| r.figure)
    }

    #[test]
    fn nothing_is_released_below_the_minimum_group_size() {
        let mut released = None;
        assert_eq!(read(&mut released, &answers(&[("a", 4), ("b", 5), ("c", 3), ("d", 4)]), 5), None);
        let five = answers(&[("a", 4), ("b", 5), ("c", 3), ("d", 4), ("e", 4)]);
        assert_eq!(read(&mut released, &five, 5), Some(GroupAverage { respondents: 5, average: 4.0 }));
        assert_eq!(next_release(None, &[], 2), None);
    }

    #[test]
    fn one_more_answer_cannot_be_worked_out_by_differencing_two_reads() {
        let min = 3;
        let mut live = answers(&[("a", 4), ("b", 2), ("c", 3), ("d", 5)]);
        let mut released = None;
        let before = read(&mut released, &live, min).expect("four people answered");
        // One more person answers 1. Had the figure followed the live answers,
        // 5 * after - 4 * before would be their answer.
        live.extend(answers(&[("e", 1)]));
        let after = read(&mut released, &live, min).expect("still shown");
        assert_eq!(after, before, "neither the figure nor its count moves for one new answer");
        assert_eq!((after.respondents, after.average), (4, 3.5));
    }

    #[test]
    fn a_new_figure_is_released_once_min_group_size_people_answered_since() {
        let min = 3;
        let mut live = answers(&[("a", 4), ("b", 2), ("c", 3)]);
        let mut released = None;
        assert_eq!(read(&mut released, &live, min), Some(GroupAverage { respondents: 3, average: 3.0 }));
        live.extend(answers(&[("d", 5), ("e", 5)]));
        assert_eq!(read(&mut released, &live, min).expect("shown").respondents, 3, "two new answers are not enough");
        live.extend(answers(&[("f", 5)]));
        let third = read(&mut released, &live, min).expect("shown");
        assert_eq!(third, GroupAverage { respondents: 6, average: 4.0 });
        assert_eq!(released.as_ref().map(|r| r.number), Some(2));
        // A change counts like a new answer: three people revise theirs.
        for (person, value) in [("a", 1), ("b", 1), ("c", 1)] {
            live.iter_mut().find(|p| p.person == person).expect("person").sum = value;
        }
        assert_eq!(read(&mut released, &live, min), Some(GroupAverage { respondents: 6, average: 3.0 }));
    }

    #[test]
    fn one_person_changing_their_answer_five_times_releases_nothing() {
        let min = 3;
        let mut live = answers(&[("a", 4), ("b", 2), ("c", 3)]);
        let mut released = None;
        let first = read(&mut released, &live, min).expect("released");
        for value in [1, 5, 2, 4, 1] {
            live[0].sum = value;
            assert_eq!(read(&mut released, &live, min), Some(first), "after changing to {value}");
        }
        // Another session's answer that leaves their own mean where it was is no change.
        live[0] = PersonAnswers { person: "a".into(), sum: 8, count: 2 };
        live[1] = PersonAnswers { person: "b".into(), sum: 4, count: 2 };
        live[2] = PersonAnswers { person: "c".into(), sum: 6, count: 2 };
        assert_eq!(read(&mut released, &live, min), Some(first));
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
