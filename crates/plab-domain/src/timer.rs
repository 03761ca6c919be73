//! The session timer's state, kept by the server so that a reload or the
//! other partner's device shows the segment running and its time left
//! instead of starting again at Connect.
use time::OffsetDateTime;

/// A running (or paused) timer: which agenda segment, and its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerState {
    /// The agenda segment running, from 0 (Connect).
    pub segment: usize,
    /// When the clock last started counting.
    pub started_at: OffsetDateTime,
    /// The seconds the segment ran before `started_at` (pauses keep them).
    pub spent_seconds: i64,
    pub paused: bool,
}

impl TimerState {
    /// The seconds the current segment has run as of `now`.
    pub fn elapsed_seconds(&self, now: OffsetDateTime) -> i64 {
        let running = if self.paused { 0 } else { (now - self.started_at).whole_seconds().max(0) };
        self.spent_seconds.saturating_add(running)
    }
}

/// What a partner presses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerAction {
    Start,
    Pause,
    Resume,
    Next,
    Stop,
}

impl TimerAction {
    pub fn parse(raw: &str) -> Option<TimerAction> {
        match raw.trim() {
            "start" => Some(TimerAction::Start),
            "pause" => Some(TimerAction::Pause),
            "resume" => Some(TimerAction::Resume),
            "next" => Some(TimerAction::Next),
            "stop" => Some(TimerAction::Stop),
            _ => None,
        }
    }
}

/// The most minutes a finished segment is recorded at (ten hours).
const MAX_MINUTES: i64 = 600;

/// The timer after an action, and the segment it finished with its minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub state: Option<TimerState>,
    pub finished: Option<(usize, u32)>,
}

/// Applies `action` to the timer of a session whose agenda has `segments`
/// parts. `shown` is the segment the presser's page showed: when the other
/// device has moved on meanwhile, "Next" does nothing, so two presses at once
/// skip no segment. Starting a running timer leaves it as it is.
pub fn step(
    current: Option<TimerState>,
    action: TimerAction,
    shown: Option<usize>,
    segments: usize,
    now: OffsetDateTime,
) -> Step {
    let unchanged = Step { state: current, finished: None };
    let fresh = |segment| TimerState { segment, started_at: now, spent_seconds: 0, paused: false };
    match (action, current) {
        (TimerAction::Start, None) if segments > 0 => Step { state: Some(fresh(0)), finished: None },
        (TimerAction::Pause, Some(t)) if !t.paused => Step {
            state: Some(TimerState { spent_seconds: t.elapsed_seconds(now), started_at: now, paused: true, ..t }),
            finished: None,
        },
        (TimerAction::Resume, Some(t)) if t.paused => {
            Step { state: Some(TimerState { started_at: now, paused: false, ..t }), finished: None }
        }
        (TimerAction::Next, Some(t)) if shown.is_none_or(|s| s == t.segment) => {
            let minutes = ((t.elapsed_seconds(now) + 30) / 60).clamp(0, MAX_MINUTES);
            let finished = Some((t.segment, u32::try_from(minutes).unwrap_or(0)));
            let state = (t.segment + 1 < segments).then(|| fresh(t.segment + 1));
            Step { state, finished }
        }
        (TimerAction::Stop, _) => Step { state: None, finished: None },
        _ => unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn at(minutes: i64) -> OffsetDateTime {
        crate::session::parse_instant("2026-11-02T10:00").expect("t") + Duration::minutes(minutes)
    }

    #[test]
    fn the_timer_walks_the_agenda_and_records_each_finished_segment() {
        let started = step(None, TimerAction::Start, None, 4, at(0));
        assert_eq!(started.state.map(|t| t.segment), Some(0));
        let next = step(started.state, TimerAction::Next, Some(0), 4, at(11));
        assert_eq!(next.finished, Some((0, 11)));
        assert_eq!(next.state.map(|t| (t.segment, t.started_at)), Some((1, at(11))));
        let last = TimerState { segment: 3, started_at: at(55), spent_seconds: 0, paused: false };
        let done = step(Some(last), TimerAction::Next, Some(3), 4, at(60));
        assert_eq!((done.state, done.finished), (None, Some((3, 5))));
    }

    #[test]
    fn a_pause_keeps_the_time_run_and_stops_the_clock() {
        let running = TimerState { segment: 1, started_at: at(10), spent_seconds: 0, paused: false };
        let paused = step(Some(running), TimerAction::Pause, None, 4, at(20)).state.expect("paused");
        assert_eq!(paused.elapsed_seconds(at(50)), 600, "a paused clock does not move");
        let resumed = step(Some(paused), TimerAction::Resume, None, 4, at(50)).state.expect("resumed");
        assert_eq!(resumed.elapsed_seconds(at(55)), 900);
    }

    #[test]
    fn two_devices_pressing_next_at_once_skip_no_segment() {
        let running = TimerState { segment: 1, started_at: at(10), spent_seconds: 0, paused: false };
        let first = step(Some(running), TimerAction::Next, Some(1), 4, at(40));
        let second = step(first.state, TimerAction::Next, Some(1), 4, at(40));
        assert_eq!(second.state.map(|t| t.segment), Some(2));
        assert_eq!(second.finished, None);
        let again = step(second.state, TimerAction::Start, None, 4, at(41));
        assert_eq!(again.state, second.state, "starting a running timer changes nothing");
    }
}
