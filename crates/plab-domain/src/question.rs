//! A leader's research question. Leaders revise it; every version is kept with
//! the coach's assessment of that version.
use crate::coach::Assessment;
use crate::person::FieldError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct QuestionText(String);

impl QuestionText {
    pub const MAX_CHARS: usize = 1000;

    pub fn parse(raw: &str) -> Result<QuestionText, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new("question", crate::words::required("write your research question")));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new("question", format!("is longer than {} characters", Self::MAX_CHARS)));
        }
        Ok(QuestionText(s.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One stored version of a leader's question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionVersion {
    pub version: u32,
    pub text: String,
    pub assessment: Assessment,
    /// When it was saved; RFC 3339 in JSON.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
}

impl QuestionVersion {
    /// When it was saved, as a page shows it (`Thu 29 Oct 2026, 10:00 UTC`).
    pub fn saved(&self) -> String {
        crate::session::human_instant(self.created_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_normalised() {
        assert_eq!(QuestionText::parse("  Why  do\nwe meet? ").expect("valid").as_str(), "Why do we meet?");
    }

    #[test]
    fn empty_and_overlong_questions_are_rejected() {
        assert!(QuestionText::parse("   ").is_err());
        assert!(QuestionText::parse(&"a".repeat(1001)).is_err());
    }
}
