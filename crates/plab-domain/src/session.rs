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
    /// It did not take place: a partner said so, or nobody said whether it
    /// did within [`MISSED_AFTER_DAYS`] of its start.
    Missed,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Planned => "planned",
            SessionStatus::Held => "held",
            SessionStatus::Cancelled => "cancelled",
            SessionStatus::Missed => "missed",
        }
    }

    pub fn parse(s: &str) -> Option<SessionStatus> {
        match s {
            "planned" => Some(SessionStatus::Planned),
            "held" => Some(SessionStatus::Held),
            "cancelled" => Some(SessionStatus::Cancelled),
            "missed" => Some(SessionStatus::Missed),
            _ => None,
        }
    }
}

/// A planned session nobody said took place reads as missed this many days
/// after its start: its to-dos end and it counts as not kept.
pub const MISSED_AFTER_DAYS: i64 = 7;
/// A held session's pulse is asked for on the partners' home this many days
/// after its start; later it can still be answered, but nobody is asked.
pub const PULSE_ASKED_FOR_DAYS: i64 = 14;

impl SessionStatus {
    /// The status as of `now`: a planned session unanswered
    /// [`MISSED_AFTER_DAYS`] after its start is missed. Computed on every
    /// read, so no clock-driven write is needed.
    pub fn as_of(self, starts_at: OffsetDateTime, now: OffsetDateTime) -> SessionStatus {
        if self == SessionStatus::Planned && lapsed(starts_at, now) { SessionStatus::Missed } else { self }
    }
}

/// Whether a planned session's week to say if it took place is over.
pub fn lapsed(starts_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    starts_at + Duration::days(MISSED_AFTER_DAYS) < now
}

/// Whether both partners are asked "did it take place?": the session is
/// still planned (as of `now`) and its planned end has passed.
pub fn asks_whether_held(status: SessionStatus, starts_at: OffsetDateTime, minutes: i64, now: OffsetDateTime) -> bool {
    status.as_of(starts_at, now) == SessionStatus::Planned && starts_at + Duration::minutes(minutes) <= now
}

/// Whether a held session's pulse is still asked for on the home page.
pub fn pulse_still_asked(starts_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now <= starts_at + Duration::days(PULSE_ASKED_FOR_DAYS)
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

/// The first session: a week after the pair became active (time to find a
/// slot), never before the program starts, moved off weekends.
pub fn first_session_day(program_starts: Date, activated_on: Date) -> Date {
    let earliest = activated_on.days_since_epoch() + 7;
    Date::from_days_since_epoch(earliest.max(program_starts.days_since_epoch()))
        .unwrap_or(activated_on)
        .or_next_weekday()
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
                None => errors.push(FieldError::new(item.code, crate::words::ONE_TO_FIVE)),
                Some(&v) => match u8::try_from(v).ok().filter(|v| (1..=5).contains(v)) {
                    Some(v) => out.push((item.code, v)),
                    None => errors.push(FieldError::new(item.code, crate::words::between(v, 1, 5))),
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
    fn a_past_session_is_asked_about_after_its_end_and_missed_a_week_after_its_start() {
        let start = parse_instant("2026-11-02T10:00").expect("t");
        let at = |s: &str| parse_instant(s).expect("t");
        let planned = SessionStatus::Planned;
        assert!(!asks_whether_held(planned, start, 60, at("2026-11-02T10:30")), "still running");
        assert!(asks_whether_held(planned, start, 60, at("2026-11-02T11:00")));
        assert!(asks_whether_held(planned, start, 60, at("2026-11-09T09:59")));
        assert_eq!(planned.as_of(start, at("2026-11-09T09:59")), SessionStatus::Planned);
        assert_eq!(planned.as_of(start, at("2026-11-09T10:01")), SessionStatus::Missed);
        assert!(!asks_whether_held(planned, start, 60, at("2026-11-09T10:01")), "nobody is asked any more");
        assert_eq!(SessionStatus::Held.as_of(start, at("2027-01-01T00:00")), SessionStatus::Held);
        assert!(!asks_whether_held(SessionStatus::Held, start, 60, at("2026-11-03T10:00")));
        assert_eq!(SessionStatus::parse("missed"), Some(SessionStatus::Missed));
    }

    #[test]
    fn a_pulse_is_asked_for_two_weeks_after_the_session() {
        let start = parse_instant("2026-11-02T10:00").expect("t");
        assert!(pulse_still_asked(start, parse_instant("2026-11-16T09:00").expect("t")));
        assert!(!pulse_still_asked(start, parse_instant("2026-11-16T11:00").expect("t")));
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
}
