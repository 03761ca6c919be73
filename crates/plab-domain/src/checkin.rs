//! The check-in (protocol step 5): once a pair has held the program's
//! `checkin_after` sessions, each partner is asked the protocol's questions
//! *separately*. The answers go to the program's sponsors, never to the other
//! partner. Here: the questions, the rules for answers, and when a check-in is
//! due or overdue. It never asks "did you like it?".
use crate::person::FieldError;
use crate::program::Role;
use time::{Duration, OffsetDateTime};

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerKind {
    /// Free text.
    Text,
    /// 1 to 5, with an optional line saying why.
    Scale,
}

/// One question of a partner's check-in; `code` is the answer's field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CheckinQuestion {
    pub code: &'static str,
    pub role: Role,
    pub text: &'static str,
    pub kind: AnswerKind,
}

/// The protocol's questions, the leader's first, then the mentor's.
pub const QUESTIONS: [CheckinQuestion; 4] = [
    CheckinQuestion {
        code: "insight",
        role: Role::Leader,
        text: "What is the most valuable insight you've gained?",
        kind: AnswerKind::Text,
    },
    CheckinQuestion {
        code: "change",
        role: Role::Leader,
        text: "What's a specific decision you've changed or action you've taken as a result?",
        kind: AnswerKind::Text,
    },
    CheckinQuestion {
        code: "view_of_organization",
        role: Role::Mentor,
        text: "How has this experience impacted your view of the organization?",
        kind: AnswerKind::Text,
    },
    CheckinQuestion {
        code: "heard",
        role: Role::Mentor,
        text: "Do you feel your perspective is being heard?",
        kind: AnswerKind::Scale,
    },
];

/// The field of the line that goes with the scale answer.
pub const HEARD_COMMENT: &str = "heard_comment";

/// What 1 and 5 mean on the "heard" scale.
pub const HEARD_SCALE: &str = "1 = not at all, 5 = fully";

pub const MAX_ANSWER_CHARS: usize = 2_000;
pub const MAX_COMMENT_CHARS: usize = 300;

/// A check-in left unanswered this many days after the session that made it
/// due is overdue.
pub const OVERDUE_AFTER_DAYS: i64 = 14;

/// The questions one partner is asked.
pub fn questions(role: Role) -> impl Iterator<Item = &'static CheckinQuestion> {
    QUESTIONS.iter().filter(move |q| q.role == role)
}

/// Answers as typed (a form) or sent (the API); `heard` is the number as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawCheckin<'a> {
    pub insight: Option<&'a str>,
    pub change: Option<&'a str>,
    pub view_of_organization: Option<&'a str>,
    pub heard: Option<&'a str>,
    pub heard_comment: Option<&'a str>,
}

/// A complete, valid check-in of one partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckinAnswers {
    Leader { insight: String, change: String },
    Mentor { view_of_organization: String, heard: u8, heard_comment: Option<String> },
}

impl CheckinAnswers {
    /// Every problem is named by its field; a partner answers only their own
    /// role's questions, every one of them.
    pub fn parse(role: Role, raw: &RawCheckin<'_>) -> Result<CheckinAnswers, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, value: Option<&str>| {
            required_text(field, value).map_err(|e| errors.push(e)).ok().unwrap_or_default()
        };
        let answers = match role {
            Role::Leader => {
                let answers = CheckinAnswers::Leader {
                    insight: text("insight", raw.insight),
                    change: text("change", raw.change),
                };
                for (field, value) in [
                    ("view_of_organization", raw.view_of_organization),
                    ("heard", raw.heard),
                    (HEARD_COMMENT, raw.heard_comment),
                ] {
                    errors.extend(not_asked(field, value, Role::Mentor));
                }
                answers
            }
            Role::Mentor => {
                let view_of_organization = text("view_of_organization", raw.view_of_organization);
                let heard = parse_scale("heard", raw.heard).map_err(|e| errors.push(e)).unwrap_or_default();
                let heard_comment =
                    comment(HEARD_COMMENT, raw.heard_comment).map_err(|e| errors.push(e)).ok().flatten();
                for (field, value) in [("insight", raw.insight), ("change", raw.change)] {
                    errors.extend(not_asked(field, value, Role::Leader));
                }
                CheckinAnswers::Mentor { view_of_organization, heard, heard_comment }
            }
            Role::Sponsor => {
                errors.push(FieldError::new("role", "sponsors run check-ins; only a leader or a mentor answers one"));
                return Err(errors);
            }
        };
        if errors.is_empty() { Ok(answers) } else { Err(errors) }
    }

    pub fn role(&self) -> Role {
        match self {
            CheckinAnswers::Leader { .. } => Role::Leader,
            CheckinAnswers::Mentor { .. } => Role::Mentor,
        }
    }
}

fn not_asked(field: &'static str, value: Option<&str>, of: Role) -> Option<FieldError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|_| FieldError::new(field, format!("is a {of}'s question: answer your own role's questions")))
}

/// Free text: trimmed, not empty, bounded; line breaks and tabs allowed.
fn required_text(field: &'static str, value: Option<&str>) -> Result<String, FieldError> {
    let text = value.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(FieldError::new(field, "is empty: answer in a few words"));
    }
    if text.chars().count() > MAX_ANSWER_CHARS {
        return Err(FieldError::new(field, format!("is longer than {MAX_ANSWER_CHARS} characters")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new(field, "contains control characters"));
    }
    Ok(text.to_owned())
}

/// The optional line beside a scale answer: one line, bounded.
fn comment(field: &'static str, value: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(FieldError::new(field, format!("is longer than {MAX_COMMENT_CHARS} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(field, "is one line, without line breaks or control characters"));
    }
    Ok(Some(text.to_owned()))
}

/// A whole number from 1 to 5.
pub fn parse_scale(field: &'static str, value: Option<&str>) -> Result<u8, FieldError> {
    let Some(raw) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(FieldError::new(field, crate::words::ONE_TO_FIVE));
    };
    raw.parse::<u8>()
        .ok()
        .filter(|v| (1..=5).contains(v))
        .ok_or_else(|| FieldError::new(field, format!("'{raw}' is not a whole number from 1 to 5")))
}

/// Where a partner's check-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckinState {
    /// The pair has held fewer sessions than the program's `checkin_after`.
    NotYet,
    /// Due since the session that made it due, unanswered.
    Due,
    /// Unanswered `OVERDUE_AFTER_DAYS` days after that session.
    Overdue,
    /// Answered (by the partner, or recorded by a sponsor).
    Done,
}

impl CheckinState {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinState::NotYet => "not_yet",
            CheckinState::Due => "due",
            CheckinState::Overdue => "overdue",
            CheckinState::Done => "done",
        }
    }

    /// The state as a page says it.
    pub fn label(self) -> &'static str {
        match self {
            CheckinState::NotYet => "not open yet",
            CheckinState::Due => "due",
            CheckinState::Overdue => "overdue",
            CheckinState::Done => "answered",
        }
    }

    /// Due or overdue: the partner has something to do.
    pub fn is_pending(self) -> bool {
        matches!(self, CheckinState::Due | CheckinState::Overdue)
    }
}

impl std::fmt::Display for CheckinState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When the check-in fell due: the start of the `checkin_after`-th held
/// session, in time order; None while fewer have been held.
pub fn due_at(held_starts: &[OffsetDateTime], checkin_after: u32) -> Option<OffsetDateTime> {
    let nth = usize::try_from(checkin_after.max(1)).ok()? - 1;
    let mut held = held_starts.to_vec();
    held.sort_unstable();
    held.get(nth).copied()
}

/// When an unanswered check-in due at `due` becomes overdue.
pub fn overdue_at(due: OffsetDateTime) -> OffsetDateTime {
    due + Duration::days(OVERDUE_AFTER_DAYS)
}

pub fn state(due: Option<OffsetDateTime>, answered: bool, now: OffsetDateTime) -> CheckinState {
    match due {
        _ if answered => CheckinState::Done,
        None => CheckinState::NotYet,
        Some(due) if now >= overdue_at(due) => CheckinState::Overdue,
        Some(_) => CheckinState::Due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::parse_instant;

    fn at(s: &str) -> OffsetDateTime {
        parse_instant(s).expect("instant")
    }

    fn fields(r: Result<CheckinAnswers, Vec<FieldError>>) -> Vec<&'static str> {
        r.expect_err("invalid").iter().map(|e| e.field).collect()
    }

    #[test]
    fn each_partner_is_asked_the_protocols_own_questions() {
        let leader: Vec<&str> = questions(Role::Leader).map(|q| q.text).collect();
        assert_eq!(
            leader,
            [
                "What is the most valuable insight you've gained?",
                "What's a specific decision you've changed or action you've taken as a result?"
            ]
        );
        let mentor: Vec<&str> = questions(Role::Mentor).map(|q| q.text).collect();
        assert_eq!(
            mentor,
            [
                "How has this experience impacted your view of the organization?",
                "Do you feel your perspective is being heard?"
            ]
        );
        assert_eq!(questions(Role::Sponsor).count(), 0);
    }

    #[test]
    fn no_question_asks_whether_they_liked_it() {
        for q in QUESTIONS {
            let t = q.text.to_lowercase();
            assert!(!t.contains("like") && !t.contains("enjoy") && !t.contains("satisf"), "{}", q.text);
        }
    }

    #[test]
    fn a_leaders_check_in_needs_both_answers_trimmed() {
        let raw = RawCheckin {
            insight: Some("  Juniors skip the wiki. "),
            change: Some("We record demos."),
            ..Default::default()
        };
        let answers = CheckinAnswers::parse(Role::Leader, &raw).expect("valid");
        assert_eq!(
            answers,
            CheckinAnswers::Leader { insight: "Juniors skip the wiki.".into(), change: "We record demos.".into() }
        );
        assert_eq!(answers.role(), Role::Leader);
        assert_eq!(fields(CheckinAnswers::parse(Role::Leader, &RawCheckin::default())), ["insight", "change"]);
    }

    #[test]
    fn a_mentors_heard_answer_is_one_to_five_with_an_optional_line() {
        let raw = RawCheckin {
            view_of_organization: Some("More open than I thought."),
            heard: Some("4"),
            heard_comment: Some(" mostly "),
            ..Default::default()
        };
        let CheckinAnswers::Mentor { heard, heard_comment, .. } =
            CheckinAnswers::parse(Role::Mentor, &raw).expect("valid")
        else {
            panic!("a mentor's answers");
        };
        assert_eq!((heard, heard_comment.as_deref()), (4, Some("mostly")));
        for bad in ["0", "6", "four", "4.5", ""] {
            let raw = RawCheckin { view_of_organization: Some("ok"), heard: Some(bad), ..Default::default() };
            assert_eq!(fields(CheckinAnswers::parse(Role::Mentor, &raw)), ["heard"], "{bad}");
        }
    }

    #[test]
    fn answers_that_are_too_long_or_carry_control_characters_are_named() {
        let long = "x".repeat(MAX_ANSWER_CHARS + 1);
        let raw = RawCheckin { insight: Some(&long), change: Some("a\u{7}b"), ..Default::default() };
        assert_eq!(fields(CheckinAnswers::parse(Role::Leader, &raw)), ["insight", "change"]);
        let multi = RawCheckin { insight: Some("first line\nsecond line"), change: Some("ok"), ..Default::default() };
        assert!(CheckinAnswers::parse(Role::Leader, &multi).is_ok(), "free text may span lines");
        let raw = RawCheckin {
            view_of_organization: Some("ok"),
            heard: Some("3"),
            heard_comment: Some("two\nlines"),
            ..Default::default()
        };
        assert_eq!(fields(CheckinAnswers::parse(Role::Mentor, &raw)), [HEARD_COMMENT]);
    }

    #[test]
    fn a_partner_answers_only_their_own_roles_questions() {
        let raw = RawCheckin { insight: Some("a"), change: Some("b"), heard: Some("5"), ..Default::default() };
        assert_eq!(fields(CheckinAnswers::parse(Role::Leader, &raw)), ["heard"]);
        let raw =
            RawCheckin { view_of_organization: Some("a"), heard: Some("5"), insight: Some("b"), ..Default::default() };
        assert_eq!(fields(CheckinAnswers::parse(Role::Mentor, &raw)), ["insight"]);
        assert_eq!(fields(CheckinAnswers::parse(Role::Sponsor, &raw)), ["role"]);
    }

    #[test]
    fn the_check_in_falls_due_at_the_checkin_after_th_held_session_in_time_order() {
        let held = [at("2026-02-02T10:00:00Z"), at("2026-01-05T10:00:00Z"), at("2026-01-19T10:00:00Z")];
        assert_eq!(due_at(&held, 3), Some(at("2026-02-02T10:00:00Z")));
        assert_eq!(due_at(&held[..2], 3), None, "two held of three needed");
        assert_eq!(due_at(&held, 4), None);
    }

    #[test]
    fn an_unanswered_check_in_is_overdue_fourteen_days_after_it_fell_due() {
        let due = at("2026-02-02T10:00:00Z");
        assert_eq!(state(None, false, due), CheckinState::NotYet);
        assert_eq!(state(Some(due), false, due), CheckinState::Due);
        assert_eq!(state(Some(due), false, at("2026-02-16T09:59:59Z")), CheckinState::Due);
        assert_eq!(state(Some(due), false, at("2026-02-16T10:00:00Z")), CheckinState::Overdue);
        assert_eq!(state(Some(due), true, at("2026-03-01T10:00:00Z")), CheckinState::Done);
        assert!(CheckinState::Overdue.is_pending() && !CheckinState::Done.is_pending());
    }
}
