//! Keeping the signal clear: the protocol's three failure modes ("Optimizing
//! the Experiment") detected from a pair's sessions. The leader's expert
//! reflex, the mentor's apprehension and the unfocused session each rest on
//! several sessions, never on one answer, and their evidence is worded so that
//! it never says whose answers raised it nor quotes an answer.
use crate::program::Role;
use crate::session::{Pulse, SessionStatus, agenda, can_hold};
use time::OffsetDateTime;

/// An answer at or below this on the 1-5 scale disagrees with its statement.
pub const LOW_ANSWER: u8 = 2;
/// The held-session rules read this many of the latest held sessions and say
/// nothing until that many have been held: with fewer, "two of the last two"
/// would pin each answer.
pub const HELD_WINDOW: usize = 3;
/// How many of those sessions must show the failure mode.
pub const HELD_MARKED: usize = 2;
/// The Mentor's Lab ran short when the timer recorded less than its planned
/// minutes divided by this.
pub const LAB_SHORT_DIVISOR: u32 = 2;
/// The cancellation rule reads this many of the latest sessions that fell due…
pub const DUE_WINDOW: usize = 4;
/// …and raises when at least this many of them slipped.
pub const DUE_SLIPPED: usize = 2;
/// A session moved this many times slipped, like a cancelled or a missed
/// one: the busy calendar is winning.
pub const RESCHEDULES_AS_SLIP: u32 = 2;
/// A pair fades out when no session has been held for more than this many
/// cadences while a session is owed (fell due unheld, or keeps being moved).
pub const FADE_OUT_CADENCES: i64 = 2;

/// What the session timer recorded for one agenda segment (named as in
/// [`agenda`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentMinutes {
    pub segment: String,
    pub minutes: u32,
}

/// One session of a pair. The fields after `planned_minutes` describe the
/// session as held and are read only when `status` is `Held`.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEvidence {
    pub sequence: u32,
    pub status: SessionStatus,
    pub starts_at: OffsetDateTime,
    pub reschedules: u32,
    /// The session's length; [`agenda`] gives each segment's planned share.
    pub planned_minutes: u32,
    /// Homework was agreed in Next Steps.
    pub homework_set: bool,
    /// The homework agreed at the previous held session was ticked done here.
    pub previous_homework_done: bool,
    pub leader_pulse: Option<Pulse>,
    pub mentor_pulse: Option<Pulse>,
    /// Empty when the timer was not used.
    pub recorded: Vec<SegmentMinutes>,
}

/// Everything the rules read about one pair, in any order.
#[derive(Debug, Clone, PartialEq)]
pub struct PairEvidence {
    pub cadence_days: u32,
    pub sessions: Vec<SessionEvidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    ExpertReflex,
    MentorApprehension,
    Unfocused,
}

impl SignalKind {
    pub const ALL: [SignalKind; 3] = [SignalKind::ExpertReflex, SignalKind::MentorApprehension, SignalKind::Unfocused];

    /// The kind named by `as_str`.
    pub fn from_name(name: &str) -> Option<SignalKind> {
        SignalKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::ExpertReflex => "expert_reflex",
            SignalKind::MentorApprehension => "mentor_apprehension",
            SignalKind::Unfocused => "unfocused",
        }
    }

    /// The protocol's adjustment, addressed to the partners it is shown to.
    pub fn adjustment(self) -> &'static str {
        match self {
            SignalKind::ExpertReflex => {
                "Re-centre on Lab Rule 2, curiosity over judgment: ask and listen rather than teach, debate \
                 or defend, and let the mentor lead the Mentor's Lab. A phrase to practise: \"Help me \
                 understand your perspective on that.\""
            }
            SignalKind::MentorApprehension => {
                "Model vulnerability first: share a real challenge, blind spot or uncertainty of your own, \
                 for example \"I'm struggling to understand why our team engagement is low on this \
                 project.\" It gives the mentor explicit permission to be open and candid."
            }
            SignalKind::Unfocused => {
                "Re-centre on the research question: recall it as the session opens, work on it in the \
                 Mentor's Lab and agree homework in Next Steps. Treat the hour as a high-value strategic \
                 meeting, not a chat, and protect it in the calendar."
            }
        }
    }

    /// Who is shown the signal: the partner who can act on it, and the
    /// program's sponsors, who see every signal as a pair at risk.
    pub fn shown_to(self) -> &'static [Role] {
        match self {
            SignalKind::ExpertReflex | SignalKind::MentorApprehension => &[Role::Leader, Role::Sponsor],
            SignalKind::Unfocused => &[Role::Leader, Role::Mentor, Role::Sponsor],
        }
    }
}

impl std::fmt::Display for SignalKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A raised signal: what was seen, what to do, and for whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    /// Plain sentences, one per rule that fired.
    pub evidence: Vec<String>,
    pub adjustment: &'static str,
    pub shown_to: &'static [Role],
}

impl Signal {
    fn new(kind: SignalKind, evidence: Vec<String>) -> Option<Signal> {
        (!evidence.is_empty()).then(|| Signal {
            kind,
            evidence,
            adjustment: kind.adjustment(),
            shown_to: kind.shown_to(),
        })
    }

    pub fn is_shown_to(&self, role: Role) -> bool {
        self.shown_to.contains(&role)
    }
}

/// The signals raised at one moment, for charting them over time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignalPoint {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub raised: Vec<SignalKind>,
}

/// The signals of a pair as of `at` (now, or a past moment for a chart). Only
/// what had happened by then counts: sessions held by `at` (from an hour
/// before their start, as [`can_hold`] allows) and sessions that had fallen
/// due. Pulses carry no time, so a held session's answers count from the
/// session on.
pub fn signals_at(evidence: &PairEvidence, at: OffsetDateTime) -> Vec<Signal> {
    let mut sessions: Vec<&SessionEvidence> = evidence.sessions.iter().collect();
    sessions.sort_by_key(|s| (s.starts_at, s.sequence));
    let held: Vec<&SessionEvidence> = sessions.iter().copied().filter(|s| held_by(s, at)).collect();

    let mut unfocused = Vec::new();
    if in_enough_of_the_last_held(&held, |i| lacked_substance(&held, i)) {
        unfocused.push(in_held_window(
            "no homework was agreed or the last one was left undone, or the pulses said the hour drifted \
             away from the research question",
        ));
    }
    if slipped_enough(&sessions, at) {
        unfocused.push(format!(
            "At least {} of the last {} sessions that fell due were cancelled, did not take place, or were moved {} \
             times or more.",
            words(DUE_SLIPPED),
            words(DUE_WINDOW),
            words(RESCHEDULES_AS_SLIP),
        ));
    }
    if let Some(days) = days_faded(evidence.cadence_days, &sessions, &held, at) {
        unfocused.push(format!(
            "No session has been recorded as held in the last {} days, longer than {} cadences of {} days, \
             while sessions fall due or keep being moved.",
            words(days),
            words(FADE_OUT_CADENCES),
            words(evidence.cadence_days),
        ));
    }

    let expert_reflex = in_enough_of_the_last_held(&held, |i| showed_expert_reflex(held[i])).then(|| {
        in_held_window(
            "the Mentor's Lab ran under half its planned time, or the pulses said the mentor did not get to \
             lead it or to be heard, or that the leader explained more than they asked and listened",
        )
    });
    let apprehension = in_enough_of_the_last_held(&held, |i| showed_apprehension(held[i])).then(|| {
        in_held_window(
            "the pulses said the conversation stayed polite and safe: a candid view or a real challenge was \
             held back",
        )
    });

    [
        Signal::new(SignalKind::ExpertReflex, expert_reflex.into_iter().collect()),
        Signal::new(SignalKind::MentorApprehension, apprehension.into_iter().collect()),
        Signal::new(SignalKind::Unfocused, unfocused),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Which signals were raised at each of `dates`, for a report's chart.
pub fn timeline(evidence: &PairEvidence, dates: impl IntoIterator<Item = OffsetDateTime>) -> Vec<SignalPoint> {
    dates
        .into_iter()
        .map(|at| SignalPoint { at, raised: signals_at(evidence, at).into_iter().map(|s| s.kind).collect() })
        .collect()
}

/// Since when a signal of `kind` raised at `at` has been raised without a
/// break, to the day, looking back no further than `not_before`.
pub fn raised_since(
    evidence: &PairEvidence,
    kind: SignalKind,
    at: OffsetDateTime,
    not_before: OffsetDateTime,
) -> OffsetDateTime {
    let raised = |t| signals_at(evidence, t).iter().any(|s| s.kind == kind);
    let mut since = at;
    while since - time::Duration::days(1) >= not_before && raised(since - time::Duration::days(1)) {
        since -= time::Duration::days(1);
    }
    since
}

fn held_by(s: &SessionEvidence, at: OffsetDateTime) -> bool {
    s.status == SessionStatus::Held && can_hold(s.starts_at, at)
}

fn in_held_window(what: &str) -> String {
    format!("In at least {} of the last {} held sessions {what}.", words(HELD_MARKED), words(HELD_WINDOW))
}

/// The held-session rule: at least `HELD_WINDOW` sessions have been held and
/// at least `HELD_MARKED` of the last `HELD_WINDOW` are marked.
fn in_enough_of_the_last_held(held: &[&SessionEvidence], marked: impl Fn(usize) -> bool) -> bool {
    held.len() >= HELD_WINDOW && (held.len() - HELD_WINDOW..held.len()).filter(|&i| marked(i)).count() >= HELD_MARKED
}

fn low(pulse: Option<&Pulse>, code: &str) -> bool {
    pulse.and_then(|p| p.answers().iter().find(|(c, _)| *c == code)).is_some_and(|&(_, v)| v <= LOW_ANSWER)
}

fn lab_ran_short(s: &SessionEvidence) -> bool {
    let Some(lab) = agenda(s.planned_minutes).into_iter().find(|segment| segment.lead == "mentor") else {
        return false;
    };
    s.recorded
        .iter()
        .find(|r| r.segment == lab.name)
        .is_some_and(|r| r.minutes.saturating_mul(LAB_SHORT_DIVISOR) < lab.minutes)
}

fn showed_expert_reflex(s: &SessionEvidence) -> bool {
    let (leader, mentor) = (s.leader_pulse.as_ref(), s.mentor_pulse.as_ref());
    low(leader, "listened") || low(mentor, "led") || low(mentor, "heard") || lab_ran_short(s)
}

fn showed_apprehension(s: &SessionEvidence) -> bool {
    low(s.mentor_pulse.as_ref(), "candid") || low(s.leader_pulse.as_ref(), "shared_challenge")
}

/// No homework agreed, the previous held session's homework left undone, or
/// the hour drifted from the research question.
fn lacked_substance(held: &[&SessionEvidence], i: usize) -> bool {
    let s = held[i];
    let left_undone = i > 0 && held[i - 1].homework_set && !s.previous_homework_done;
    !s.homework_set || left_undone || low(s.leader_pulse.as_ref(), "focused")
}

fn slipped_enough(sessions: &[&SessionEvidence], at: OffsetDateTime) -> bool {
    let slipped = sessions
        .iter()
        .rev()
        .filter(|s| s.starts_at <= at)
        .take(DUE_WINDOW)
        .filter(|s| {
            matches!(s.status, SessionStatus::Cancelled | SessionStatus::Missed) || s.reschedules >= RESCHEDULES_AS_SLIP
        })
        .count();
    slipped >= DUE_SLIPPED
}

/// Days since the last held session (or, before the first, since the first
/// session fell due) when that exceeds `FADE_OUT_CADENCES` cadences while a
/// session is owed: one not cancelled that fell due and was not held (a
/// missed session is owed), or one still ahead that keeps being moved. A booked session merely a few days late
/// after a cancellation is not a fade-out.
fn days_faded(
    cadence_days: u32,
    sessions: &[&SessionEvidence],
    held: &[&SessionEvidence],
    at: OffsetDateTime,
) -> Option<i64> {
    let owed = sessions.iter().any(|s| {
        s.status != SessionStatus::Cancelled
            && !held_by(s, at)
            && (s.starts_at <= at || s.reschedules >= RESCHEDULES_AS_SLIP)
    });
    let since = held.last().or_else(|| sessions.first().filter(|s| s.starts_at <= at))?.starts_at;
    let days = (at - since).whole_days();
    (owed && days > FADE_OUT_CADENCES * i64::from(cadence_days.max(1))).then_some(days)
}

/// Small counts in words, so that no sentence shows a digit that could be
/// read as an answer on the 1-5 scale.
fn words<N: Copy + ToString + TryInto<usize>>(n: N) -> String {
    const WORDS: [&str; 11] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    n.try_into().ok().and_then(|i| WORDS.get(i)).map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{PULSE_ITEMS, parse_instant};
    use std::collections::BTreeMap;
    use time::Duration;

    const CADENCE: u32 = 14;

    /// When session `n` (from 1) starts on the cadence.
    fn start(n: u32) -> OffsetDateTime {
        parse_instant("2026-01-05T10:00").expect("time") + Duration::days(i64::from(CADENCE * (n - 1)))
    }

    fn day_after(n: u32) -> OffsetDateTime {
        start(n) + Duration::days(1)
    }

    fn pulse(role: Role, answers: [(&str, i64); 3]) -> Option<Pulse> {
        let answers: BTreeMap<String, i64> = answers.iter().map(|&(k, v)| (k.to_owned(), v)).collect();
        Some(Pulse::parse(role, &answers).expect("valid pulse"))
    }

    fn leader(listened: i64, focused: i64, shared_challenge: i64) -> Option<Pulse> {
        pulse(Role::Leader, [("listened", listened), ("focused", focused), ("shared_challenge", shared_challenge)])
    }

    fn mentor(led: i64, candid: i64, heard: i64) -> Option<Pulse> {
        pulse(Role::Mentor, [("led", led), ("candid", candid), ("heard", heard)])
    }

    /// A timed hour whose Mentor's Lab took `lab` minutes.
    fn timer(lab: u32) -> Vec<SegmentMinutes> {
        agenda(60)
            .into_iter()
            .map(|s| SegmentMinutes {
                minutes: if s.lead == "mentor" { lab } else { s.minutes },
                segment: s.name.into(),
            })
            .collect()
    }

    /// Session `n` held on cadence the way a healthy pair holds it.
    fn good(n: u32) -> SessionEvidence {
        SessionEvidence {
            sequence: n,
            status: SessionStatus::Held,
            starts_at: start(n),
            reschedules: 0,
            planned_minutes: 60,
            homework_set: true,
            previous_homework_done: n > 1,
            leader_pulse: leader(5, 4, 4),
            mentor_pulse: mentor(4, 5, 5),
            recorded: timer(31),
        }
    }

    /// Session `n` held with every answer at its lowest, no homework and a short Lab.
    fn worst(n: u32) -> SessionEvidence {
        SessionEvidence {
            homework_set: false,
            previous_homework_done: false,
            leader_pulse: leader(1, 1, 1),
            mentor_pulse: mentor(1, 1, 1),
            recorded: timer(5),
            ..good(n)
        }
    }

    fn planned(n: u32) -> SessionEvidence {
        SessionEvidence {
            status: SessionStatus::Planned,
            homework_set: false,
            previous_homework_done: false,
            leader_pulse: None,
            mentor_pulse: None,
            recorded: Vec::new(),
            ..good(n)
        }
    }

    fn cancelled(n: u32) -> SessionEvidence {
        SessionEvidence { status: SessionStatus::Cancelled, ..planned(n) }
    }

    fn missed(n: u32) -> SessionEvidence {
        SessionEvidence { status: SessionStatus::Missed, ..planned(n) }
    }

    /// A program of `total` sessions: those given, then planned ones.
    fn pair(mut sessions: Vec<SessionEvidence>, total: u32) -> PairEvidence {
        let given = u32::try_from(sessions.len()).expect("few");
        sessions.extend((given + 1..=total).map(planned));
        PairEvidence { cadence_days: CADENCE, sessions }
    }

    fn kinds(evidence: &PairEvidence, at: OffsetDateTime) -> Vec<SignalKind> {
        signals_at(evidence, at).into_iter().map(|s| s.kind).collect()
    }

    fn evidence_of(evidence: &PairEvidence, at: OffsetDateTime, kind: SignalKind) -> Vec<String> {
        signals_at(evidence, at).into_iter().find(|s| s.kind == kind).map(|s| s.evidence).unwrap_or_default()
    }

    #[test]
    fn a_healthy_pair_raises_nothing_at_any_point_of_its_program() {
        let healthy = pair((1..=8).map(good).collect(), 8);
        let days = (-7..8 * 14 + 60).map(|d| start(1) + Duration::days(d));
        assert!(timeline(&healthy, days).iter().all(|p| p.raised.is_empty()));
    }

    #[test]
    fn expert_reflex_is_raised_when_two_of_the_last_three_sessions_show_it() {
        // One session by the leader's answer, another by the mentor's: they count together.
        let listened_little = SessionEvidence { leader_pulse: leader(2, 4, 4), ..good(2) };
        let did_not_lead = SessionEvidence { mentor_pulse: mentor(1, 5, 5), ..good(4) };
        let e = pair(vec![good(1), listened_little, good(3), did_not_lead], 8);
        assert_eq!(kinds(&e, day_after(3)), []);
        assert_eq!(kinds(&e, day_after(4)), [SignalKind::ExpertReflex]);
        assert_eq!(
            evidence_of(&e, day_after(4), SignalKind::ExpertReflex),
            ["In at least two of the last three held sessions the Mentor's Lab ran under half its planned time, \
              or the pulses said the mentor did not get to lead it or to be heard, or that the leader explained \
              more than they asked and listened."]
        );
    }

    #[test]
    fn a_mentor_not_heard_twice_is_an_expert_reflex() {
        let not_heard = |n| SessionEvidence { mentor_pulse: mentor(4, 4, 2), ..good(n) };
        let e = pair(vec![good(1), not_heard(2), not_heard(3)], 8);
        assert_eq!(kinds(&e, day_after(3)), [SignalKind::ExpertReflex]);
    }

    #[test]
    fn a_mentors_lab_cut_under_half_its_time_twice_is_an_expert_reflex() {
        let short = |n| SessionEvidence { recorded: timer(14), ..good(n) };
        let e = pair(vec![good(1), short(2), short(3)], 8);
        assert_eq!(kinds(&e, day_after(3)), [SignalKind::ExpertReflex]);
    }

    #[test]
    fn a_lab_at_half_its_time_or_not_timed_is_not_short() {
        let half = |n| SessionEvidence { recorded: timer(15), ..good(n) };
        let untimed = |n| SessionEvidence { recorded: Vec::new(), ..good(n) };
        let e = pair(vec![half(1), half(2), untimed(3), untimed(4)], 8);
        assert_eq!(kinds(&e, day_after(4)), []);
    }

    #[test]
    fn one_bad_session_among_good_ones_raises_nothing() {
        let e = pair(vec![good(1), good(2), worst(3), good(4), good(5)], 8);
        for n in 1..=5 {
            assert_eq!(kinds(&e, day_after(n)), [], "after session {n}");
        }
    }

    #[test]
    fn a_single_held_session_cannot_raise_an_answer_based_signal() {
        let e = pair(vec![worst(1)], 8);
        assert_eq!(kinds(&e, day_after(1)), []);
    }

    #[test]
    fn answer_based_signals_wait_for_three_held_sessions() {
        let e = pair(vec![worst(1), worst(2), good(3)], 8);
        assert_eq!(kinds(&e, day_after(2)), [], "two of the last two would pin each answer");
        assert_eq!(
            kinds(&e, day_after(3)),
            [SignalKind::ExpertReflex, SignalKind::MentorApprehension, SignalKind::Unfocused]
        );
    }

    #[test]
    fn apprehension_is_raised_when_a_candid_view_or_a_real_challenge_is_held_back_twice() {
        let safe_answers = SessionEvidence { mentor_pulse: mentor(4, 2, 4), ..good(2) };
        let no_challenge = SessionEvidence { leader_pulse: leader(5, 4, 1), ..good(3) };
        let e = pair(vec![good(1), safe_answers, no_challenge], 8);
        assert_eq!(kinds(&e, day_after(3)), [SignalKind::MentorApprehension]);
        let text = evidence_of(&e, day_after(3), SignalKind::MentorApprehension);
        assert!(text[0].starts_with("In at least two of the last three held sessions"), "{text:?}");
    }

    #[test]
    fn a_signal_clears_once_the_last_three_held_sessions_are_good_again() {
        let safe = |n| SessionEvidence { mentor_pulse: mentor(4, 1, 4), ..good(n) };
        let e = pair(vec![safe(1), safe(2), good(3), good(4), good(5)], 8);
        let raised: Vec<bool> = timeline(&e, (3..=5).map(day_after))
            .iter()
            .map(|p| p.raised.contains(&SignalKind::MentorApprehension))
            .collect();
        assert_eq!(raised, [true, false, false]);
    }

    #[test]
    fn no_homework_or_a_drifting_hour_twice_is_unfocused() {
        let no_homework = SessionEvidence { homework_set: false, ..good(2) };
        let drifted = SessionEvidence { leader_pulse: leader(5, 2, 4), previous_homework_done: false, ..good(3) };
        let e = pair(vec![good(1), no_homework, drifted], 8);
        assert_eq!(kinds(&e, day_after(3)), [SignalKind::Unfocused]);
        assert_eq!(
            evidence_of(&e, day_after(3), SignalKind::Unfocused),
            ["In at least two of the last three held sessions no homework was agreed or the last one was left \
              undone, or the pulses said the hour drifted away from the research question."]
        );
    }

    #[test]
    fn homework_left_undone_twice_is_unfocused() {
        let undone = |n| SessionEvidence { previous_homework_done: false, ..good(n) };
        let e = pair(vec![good(1), undone(2), undone(3)], 8);
        assert_eq!(kinds(&e, day_after(3)), [SignalKind::Unfocused]);
    }

    #[test]
    fn two_of_the_last_four_due_sessions_cancelled_is_unfocused() {
        let e = pair(vec![good(1), cancelled(2), good(3), cancelled(4), good(5)], 8);
        assert_eq!(kinds(&e, day_after(3)), []);
        assert_eq!(kinds(&e, start(4)), [SignalKind::Unfocused], "once the second cancelled session falls due");
        assert_eq!(
            evidence_of(&e, day_after(5), SignalKind::Unfocused),
            ["At least two of the last four sessions that fell due were cancelled, did not take place, or were \
                 moved two times or more."]
        );
    }

    #[test]
    fn sessions_that_did_not_take_place_count_like_cancellations() {
        let e = pair(vec![good(1), missed(2), good(3), missed(4), good(5)], 8);
        assert_eq!(kinds(&e, day_after(3)), []);
        assert_eq!(kinds(&e, start(4)), [SignalKind::Unfocused]);
    }

    #[test]
    fn a_signal_is_raised_since_the_day_it_first_showed_without_a_break() {
        let e = pair(vec![good(1), cancelled(2), good(3), cancelled(4), good(5)], 8);
        let since = raised_since(&e, SignalKind::Unfocused, day_after(5), start(1));
        assert_eq!(since.date(), start(4).date(), "raised once the second cancelled session fell due");
        assert_eq!(raised_since(&e, SignalKind::Unfocused, day_after(5), day_after(4)), day_after(4));
    }

    #[test]
    fn a_pair_whose_sessions_stop_taking_place_fades_out() {
        let e = pair(vec![good(1), good(2), missed(3), missed(4)], 4);
        assert_eq!(kinds(&e, start(2) + Duration::days(28)), [SignalKind::Unfocused]);
        let fade = evidence_of(&e, start(2) + Duration::days(40), SignalKind::Unfocused);
        assert!(fade.iter().any(|e| e.starts_with("No session has been recorded as held")), "{fade:?}");
    }

    #[test]
    fn a_session_moved_again_and_again_counts_like_a_cancellation() {
        let moved_twice = SessionEvidence { reschedules: 2, ..good(3) };
        let e = pair(vec![good(1), cancelled(2), moved_twice], 8);
        assert_eq!(kinds(&e, day_after(3)), [SignalKind::Unfocused]);
    }

    #[test]
    fn a_cancelled_session_then_a_rescheduled_one_held_on_cadence_raises_nothing() {
        let moved = SessionEvidence { reschedules: 1, starts_at: start(3) + Duration::days(2), ..good(3) };
        let e = pair(vec![good(1), cancelled(2), moved, good(4), good(5)], 8);
        let days = (0..5 * 14).map(|d| start(1) + Duration::days(d));
        assert!(timeline(&e, days).iter().all(|p| p.raised.is_empty()));
    }

    #[test]
    fn a_pair_that_stops_meeting_fades_out_after_twice_the_cadence() {
        let e = pair((1..=3).map(good).collect(), 8);
        assert_eq!(kinds(&e, start(3) + Duration::days(28)), []);
        assert_eq!(kinds(&e, start(3) + Duration::days(29)), [SignalKind::Unfocused]);
        assert_eq!(
            evidence_of(&e, start(3) + Duration::days(40), SignalKind::Unfocused),
            ["No session has been recorded as held in the last 40 days, longer than two cadences of 14 days, \
              while sessions fall due or keep being moved."]
        );
    }

    #[test]
    fn a_pair_that_keeps_moving_its_next_sessions_ahead_fades_out() {
        let pushed =
            |n| SessionEvidence { reschedules: 2, starts_at: start(9) + Duration::days(i64::from(n)), ..planned(n) };
        let mut e = pair((1..=3).map(good).collect(), 3);
        e.sessions.extend((4..=6).map(pushed));
        assert_eq!(kinds(&e, start(3) + Duration::days(29)), [SignalKind::Unfocused]);
        let moved_once = |n| SessionEvidence { reschedules: 1, ..pushed(n) };
        e.sessions.truncate(3);
        e.sessions.extend((4..=6).map(moved_once));
        assert_eq!(kinds(&e, start(3) + Duration::days(29)), [], "a session booked ahead once is not a fade-out");
    }

    #[test]
    fn a_pair_whose_first_session_never_happens_fades_out() {
        let e = pair(Vec::new(), 8);
        assert_eq!(kinds(&e, start(1) - Duration::days(1)), []);
        assert_eq!(kinds(&e, start(1) + Duration::days(29)), [SignalKind::Unfocused]);
    }

    #[test]
    fn a_pair_that_has_held_all_its_sessions_does_not_fade_out() {
        let e = pair(vec![good(1), good(2), good(3), cancelled(4)], 4);
        assert_eq!(kinds(&e, start(4) + Duration::days(200)), []);
    }

    #[test]
    fn a_pulse_left_unanswered_is_no_evidence() {
        let unanswered = |n| SessionEvidence { leader_pulse: None, mentor_pulse: None, ..good(n) };
        let e = pair((1..=4).map(unanswered).collect(), 8);
        assert_eq!(kinds(&e, day_after(4)), []);
    }

    #[test]
    fn sessions_given_in_any_order_are_read_in_time_order() {
        let mut e = pair(vec![worst(1), worst(2), good(3), good(4), good(5)], 6);
        let in_order = signals_at(&e, day_after(5));
        e.sessions.reverse();
        assert_eq!(signals_at(&e, day_after(5)), in_order);
        assert_eq!(in_order, []);
    }

    #[test]
    fn signals_as_of_a_past_date_count_only_what_had_happened() {
        let listened_little = |n| SessionEvidence { leader_pulse: leader(1, 4, 4), ..good(n) };
        let e = pair(vec![good(1), good(2), good(3), listened_little(4), listened_little(5), good(6), good(7)], 8);
        let chart = timeline(&e, (3..=7).map(day_after));
        let raised: Vec<&[SignalKind]> = chart.iter().map(|p| &p.raised[..]).collect();
        let none: &[SignalKind] = &[];
        let reflex: &[SignalKind] = &[SignalKind::ExpertReflex];
        assert_eq!(raised, [none, none, reflex, reflex, none]);
        assert_eq!(chart[2].at, day_after(5));
    }

    #[test]
    fn evidence_never_says_whose_answers_or_quotes_an_answer() {
        let lowest = |n| SessionEvidence { leader_pulse: leader(1, 2, 1), mentor_pulse: mentor(2, 1, 2), ..worst(n) };
        let e = pair(vec![lowest(1), lowest(2), lowest(3), cancelled(4), cancelled(5)], 8);
        let raised = signals_at(&e, start(5) + Duration::days(30));
        assert_eq!(raised.iter().map(|s| s.kind).collect::<Vec<_>>(), SignalKind::ALL);
        assert_eq!(raised[2].evidence.len(), 3, "every unfocused rule fired");
        for sentence in raised.iter().flat_map(|s| &s.evidence) {
            let lower = sentence.to_lowercase();
            for attribution in ["mentor said", "leader said", "answered", "rated", "scored", "/5", "your "] {
                assert!(!lower.contains(attribution), "{sentence:?} contains {attribution:?}");
            }
            let answer_like = sentence
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter_map(|token| token.parse::<u8>().ok())
                .find(|v| (1..=5).contains(v));
            assert_eq!(answer_like, None, "{sentence:?} shows a number that reads as an answer");
        }
    }

    #[test]
    fn each_signal_is_shown_to_the_partner_who_can_act_and_to_the_sponsor() {
        assert_eq!(SignalKind::ExpertReflex.shown_to(), [Role::Leader, Role::Sponsor]);
        assert_eq!(SignalKind::MentorApprehension.shown_to(), [Role::Leader, Role::Sponsor]);
        assert_eq!(SignalKind::Unfocused.shown_to(), [Role::Leader, Role::Mentor, Role::Sponsor]);
        assert!(SignalKind::ExpertReflex.adjustment().contains("\"Help me understand your perspective on that.\""));
        assert!(SignalKind::ExpertReflex.adjustment().contains("Lab Rule 2, curiosity over judgment"));
        assert!(
            SignalKind::MentorApprehension
                .adjustment()
                .contains("\"I'm struggling to understand why our team engagement is low on this project.\"")
        );
        assert!(SignalKind::Unfocused.adjustment().contains("Re-centre on the research question"));
        let e = pair(vec![worst(1), worst(2), worst(3)], 8);
        for signal in signals_at(&e, day_after(3)) {
            assert!(signal.is_shown_to(Role::Sponsor), "{} is a pair at risk", signal.kind);
            assert_eq!(signal.is_shown_to(Role::Mentor), signal.kind == SignalKind::Unfocused);
            assert_eq!(signal.adjustment, signal.kind.adjustment());
        }
    }

    #[test]
    fn kinds_read_as_their_api_names() {
        let names: Vec<&str> = SignalKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names, ["expert_reflex", "mentor_apprehension", "unfocused"]);
        for kind in SignalKind::ALL {
            assert_eq!(serde_json::to_value(kind).expect("json"), kind.as_str());
        }
    }

    #[test]
    fn every_pulse_item_a_rule_reads_is_asked_of_the_right_partner() {
        let read = [
            ("listened", Role::Leader),
            ("focused", Role::Leader),
            ("shared_challenge", Role::Leader),
            ("led", Role::Mentor),
            ("candid", Role::Mentor),
            ("heard", Role::Mentor),
        ];
        for (code, role) in read {
            assert!(PULSE_ITEMS.iter().any(|i| i.code == code && i.role == role), "{code} is a {role} item");
        }
    }
}
