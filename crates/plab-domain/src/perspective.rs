//! What a mentor writes about the perspectives they can offer in one program
//! ("AI tools for first drafts", "onboarding as a new hire"), parsed into a
//! short list the pairing engine reads the same way as the directory's.
use crate::coach::themes_of;
use crate::person::FieldError;
use crate::theme::Theme;
use serde::Serialize;

const FIELD: &str = "perspectives";

/// A validated list of perspectives: trimmed, non-empty, each short, at most a
/// dozen, without case-insensitive duplicates (the first spelling is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Perspectives(Vec<String>);

impl Perspectives {
    pub const MAX_CHARS: usize = 120;
    pub const MAX_ENTRIES: usize = 12;

    /// One perspective per line, as typed in a textarea; blank lines are skipped.
    pub fn parse_lines(text: &str) -> Result<Perspectives, Vec<FieldError>> {
        Self::parse(text.lines())
    }

    /// Every problem is reported, each naming the entry (1-based, blank ones counted).
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<Perspectives, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut kept: Vec<String> = Vec::new();
        for (i, raw) in entries.into_iter().enumerate() {
            let entry = raw.trim();
            if entry.is_empty() {
                continue;
            }
            let n = i + 1;
            if entry.chars().count() > Self::MAX_CHARS {
                let start: String = entry.chars().take(30).collect();
                errors.push(FieldError::new(
                    FIELD,
                    format!("entry {n} ('{start}…') is longer than {} characters", Self::MAX_CHARS),
                ));
            } else if entry.chars().any(char::is_control) {
                errors.push(FieldError::new(FIELD, format!("entry {n} ('{entry}') contains control characters")));
            } else if !kept.iter().any(|k| k.to_lowercase() == entry.to_lowercase()) {
                kept.push(entry.to_owned());
            }
        }
        if errors.is_empty() && kept.is_empty() {
            errors.push(FieldError::new(FIELD, "name at least one perspective, or use the directory's"));
        }
        if kept.len() > Self::MAX_ENTRIES {
            errors.push(FieldError::new(
                FIELD,
                format!("{} perspectives is more than {}; keep the ones you know best", kept.len(), Self::MAX_ENTRIES),
            ));
        }
        if errors.is_empty() { Ok(Perspectives(kept)) } else { Err(errors) }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// One perspective with the themes of the data exchange the pairing engine reads in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerspectiveThemes {
    pub text: String,
    pub themes: Vec<Theme>,
}

/// How the engine's topic pairing will read each perspective.
pub fn with_themes(perspectives: &[String]) -> Vec<PerspectiveThemes> {
    perspectives.iter().map(|p| PerspectiveThemes { text: p.clone(), themes: themes_of(p) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(result: Result<Perspectives, Vec<FieldError>>) -> Vec<String> {
        result.expect_err("invalid").into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn lines_are_trimmed_and_blank_lines_skipped() {
        let p = Perspectives::parse_lines("  AI tools for first drafts \n\n TikTok\r\n").expect("valid");
        assert_eq!(p.as_slice(), ["AI tools for first drafts", "TikTok"]);
    }

    #[test]
    fn duplicates_differing_in_case_are_kept_once() {
        let p = Perspectives::parse(["TikTok", "tiktok", "TIKTOK ", "Slack"]).expect("valid");
        assert_eq!(p.as_slice(), ["TikTok", "Slack"]);
    }

    #[test]
    fn an_overlong_entry_is_named_with_its_number() {
        let long = "a".repeat(Perspectives::MAX_CHARS + 1);
        let errors = messages(Perspectives::parse(["TikTok", long.as_str()]));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("perspectives: entry 2 ("), "{errors:?}");
    }

    #[test]
    fn at_most_twelve_distinct_perspectives() {
        let twelve: Vec<String> = (1..=12).map(|i| format!("topic {i}")).collect();
        assert!(Perspectives::parse(twelve.iter().map(String::as_str)).is_ok());
        let thirteen: Vec<String> = (1..=13).map(|i| format!("topic {i}")).collect();
        let errors = messages(Perspectives::parse(thirteen.iter().map(String::as_str)));
        assert!(errors[0].contains("13 perspectives is more than 12"), "{errors:?}");
    }

    #[test]
    fn nothing_written_is_not_a_list() {
        assert!(messages(Perspectives::parse_lines(" \n ")).iter().any(|m| m.contains("at least one")));
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(Perspectives::parse(["bad\u{7}bell"]).is_err());
    }

    #[test]
    fn themes_show_how_the_engine_reads_each_perspective() {
        let shown = with_themes(&["TikTok".into(), "onboarding as a new hire".into(), "hello".into()]);
        assert!(shown[0].themes.contains(&Theme::Technology));
        assert!(shown[1].themes.contains(&Theme::CultureCareer));
        assert!(shown[2].themes.is_empty());
    }
}
