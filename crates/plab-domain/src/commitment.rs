//! A leader's commitment (issue 23, item 6): something they will try, by a
//! day, often turned from an entry of their insight log ("I will try the team
//! channel for the all-hands prep by 15 Jan"). The leader keeps it, drops it
//! or lets it run overdue; the mentor reads it only when the leader shares
//! it; sponsors and the program office get counts.
use crate::Date;
use crate::person::FieldError;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct CommitmentId(pub i64);

impl fmt::Display for CommitmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommitmentState {
    Open,
    Kept,
    Dropped,
}

impl CommitmentState {
    pub const ALL: [CommitmentState; 3] = [CommitmentState::Open, CommitmentState::Kept, CommitmentState::Dropped];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentState::Open => "open",
            CommitmentState::Kept => "kept",
            CommitmentState::Dropped => "dropped",
        }
    }

    /// How the leader reads it.
    pub fn label(self) -> &'static str {
        match self {
            CommitmentState::Open => "still open",
            CommitmentState::Kept => "kept",
            CommitmentState::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<CommitmentState> {
        CommitmentState::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

impl fmt::Display for CommitmentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const MAX_COMMITMENT_CHARS: usize = 500;
/// How far ahead a commitment may be due: a year.
pub const MAX_DAYS_AHEAD: i64 = 366;

/// A commitment as typed or sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawCommitment<'a> {
    pub text: &'a str,
    pub due_on: &'a str,
    pub shared: bool,
}

/// A valid new commitment: text, a due day from `today` to a year ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommitment {
    pub text: String,
    pub due_on: Date,
    pub shared: bool,
}

impl NewCommitment {
    /// Every problem is named by its field, in words for the leader.
    pub fn parse(raw: &RawCommitment<'_>, today: Date) -> Result<NewCommitment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = raw.text.trim();
        if text.is_empty() {
            errors.push(FieldError::new("text", crate::words::required("say what you will try, and for what")));
        } else if text.chars().count() > MAX_COMMITMENT_CHARS {
            errors.push(FieldError::new("text", format!("is longer than {MAX_COMMITMENT_CHARS} characters")));
        } else if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            errors.push(FieldError::new("text", "contains control characters"));
        }
        let due = raw.due_on.trim();
        let due_on = if due.is_empty() {
            errors.push(FieldError::new("due_on", crate::words::required("the day you will have tried it by")));
            None
        } else {
            match Date::parse(due) {
                Err(_) => {
                    errors.push(FieldError::new(
                        "due_on",
                        format!(
                            "'{due}' is not a date: write it as year-month-day, for example {}",
                            today.plus_days(14)
                        ),
                    ));
                    None
                }
                Ok(d) if d < today => {
                    errors.push(FieldError::new("due_on", "is in the past: choose today or a later day"));
                    None
                }
                Ok(d) if d > today.plus_days(MAX_DAYS_AHEAD) => {
                    errors.push(FieldError::new(
                        "due_on",
                        "is more than a year ahead: choose a day within the next twelve months",
                    ));
                    None
                }
                Ok(d) => Some(d),
            }
        };
        match due_on {
            Some(due_on) if errors.is_empty() => {
                Ok(NewCommitment { text: text.to_owned(), due_on, shared: raw.shared })
            }
            _ => Err(errors),
        }
    }
}

/// Whether an open commitment has run past its day.
pub fn is_overdue(state: CommitmentState, due_on: Date, today: Date) -> bool {
    state == CommitmentState::Open && due_on < today
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-12-07").expect("date")
    }

    fn parse(text: &str, due: &str) -> Result<NewCommitment, Vec<FieldError>> {
        NewCommitment::parse(&RawCommitment { text, due_on: due, shared: false }, today())
    }

    fn fields(r: Result<NewCommitment, Vec<FieldError>>) -> Vec<&'static str> {
        r.expect_err("refused").iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_commitment_due_within_the_year_is_accepted() {
        let c = parse(" I will try the team channel for the all-hands prep ", "2027-01-15").expect("valid");
        assert_eq!(c.text, "I will try the team channel for the all-hands prep");
        assert_eq!(c.due_on.to_string(), "2027-01-15");
        assert!(parse("today is fine", "2026-12-07").is_ok());
    }

    #[test]
    fn a_due_date_in_the_past_or_over_a_year_ahead_is_refused_in_plain_words() {
        let past = parse("x", "2026-12-06").expect_err("past");
        assert!(past[0].message.contains("in the past"), "{past:?}");
        let far = parse("x", "2028-01-01").expect_err("far");
        assert!(far[0].message.contains("more than a year ahead"), "{far:?}");
    }

    #[test]
    fn bad_text_and_bad_dates_name_their_fields() {
        assert_eq!(fields(parse("", "15 Jan")), ["text", "due_on"]);
        assert_eq!(fields(parse("x", "")), ["due_on"]);
        assert_eq!(fields(parse(&"x".repeat(MAX_COMMITMENT_CHARS + 1), "2027-01-01")), ["text"]);
    }

    #[test]
    fn only_an_open_commitment_past_its_day_is_overdue() {
        let due = Date::parse("2026-12-01").expect("date");
        assert!(is_overdue(CommitmentState::Open, due, today()));
        assert!(!is_overdue(CommitmentState::Kept, due, today()));
        assert!(!is_overdue(CommitmentState::Open, today(), today()));
    }
}
