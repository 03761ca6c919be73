//! The fit check: after a pair's first held session each partner privately
//! answers "Is this pairing a good fit for your research question?". Only the
//! answerer reads their answer; the sponsor learns only whether the pair needs
//! a conversation (`PairFit`), never who answered what.
use crate::person::FieldError;

/// The question each partner is asked, as they read it.
pub const QUESTION: &str = "Is this pairing a good fit for your research question?";

/// The longest optional line a partner may add.
pub const MAX_COMMENT_CHARS: usize = 500;

/// One partner's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitAnswer {
    Fit,
    Unsure,
    NotFit,
}

impl FitAnswer {
    pub const ALL: [FitAnswer; 3] = [FitAnswer::Fit, FitAnswer::Unsure, FitAnswer::NotFit];

    pub fn as_str(self) -> &'static str {
        match self {
            FitAnswer::Fit => "fit",
            FitAnswer::Unsure => "unsure",
            FitAnswer::NotFit => "not_fit",
        }
    }

    /// The choice as the partner reads it.
    pub fn wording(self) -> &'static str {
        match self {
            FitAnswer::Fit => "A good fit",
            FitAnswer::Unsure => "Not sure yet",
            FitAnswer::NotFit => "Not a fit",
        }
    }

    pub fn parse(raw: &str) -> Result<FitAnswer, FieldError> {
        FitAnswer::ALL
            .into_iter()
            .find(|a| a.as_str() == raw.trim())
            .ok_or_else(|| FieldError::new("fit", "Choose one answer: a good fit, not sure yet, or not a fit."))
    }
}

/// The optional line, trimmed; empty is none.
pub fn parse_comment(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let chars = text.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(FieldError::new(
            "comment",
            format!("Keep the line to {MAX_COMMENT_CHARS} characters; it has {chars}."),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// What a sponsor learns of a pair's fit answers: only whether it needs a
/// conversation. `Clear` covers no answer, one answer and two, so that the
/// value reveals neither who answered nor what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairFit {
    /// At least one partner answered "not a fit".
    Check,
    Clear,
}

impl PairFit {
    /// The pair's signal from its partners' answers, in any order.
    pub fn of(answers: &[FitAnswer]) -> PairFit {
        if answers.contains(&FitAnswer::NotFit) { PairFit::Check } else { PairFit::Clear }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PairFit::Check => "check",
            PairFit::Clear => "clear",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_answers_parse_and_anything_else_names_the_fit_field() {
        for a in FitAnswer::ALL {
            assert_eq!(FitAnswer::parse(a.as_str()), Ok(a));
        }
        let err = FitAnswer::parse("maybe").expect_err("refused");
        assert_eq!(err.field, "fit");
        assert!(!err.message.contains("maybe"));
    }

    #[test]
    fn a_blank_line_is_no_comment_and_a_long_one_is_refused_on_the_comment_field() {
        assert_eq!(parse_comment(Some("   ")), Ok(None));
        assert_eq!(parse_comment(None), Ok(None));
        assert_eq!(parse_comment(Some(" ok ")), Ok(Some("ok".into())));
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(parse_comment(Some(&long)).expect_err("too long").field, "comment");
    }

    #[test]
    fn any_not_a_fit_asks_for_a_conversation_and_nothing_else_does() {
        assert_eq!(PairFit::of(&[]), PairFit::Clear);
        assert_eq!(PairFit::of(&[FitAnswer::Unsure]), PairFit::Clear);
        assert_eq!(PairFit::of(&[FitAnswer::Fit, FitAnswer::Unsure]), PairFit::Clear);
        assert_eq!(PairFit::of(&[FitAnswer::Fit, FitAnswer::NotFit]), PairFit::Check);
        assert_eq!(PairFit::of(&[FitAnswer::NotFit]), PairFit::Check);
    }
}
