//! The leader's insight log (protocol step 5): each decision changed or
//! action taken, with the theme it belongs to, the session it came from, and
//! whether the program's sponsors may read its text. Sponsors always get the
//! counts; the text only of what the leader chose to share.
use crate::SessionId;
use crate::person::FieldError;
use crate::theme::Theme;
use std::fmt;

/// One entry of a leader's insight log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct InsightId(pub i64);

impl fmt::Display for InsightId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InsightKind {
    /// A decision the leader changed.
    Decision,
    /// An action the leader took.
    Action,
}

impl InsightKind {
    pub const ALL: [InsightKind; 2] = [InsightKind::Decision, InsightKind::Action];

    pub fn as_str(self) -> &'static str {
        match self {
            InsightKind::Decision => "decision",
            InsightKind::Action => "action",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InsightKind::Decision => "a decision I changed",
            InsightKind::Action => "an action I took",
        }
    }

    pub fn parse(s: &str) -> Option<InsightKind> {
        InsightKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

impl fmt::Display for InsightKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

pub const MAX_INSIGHT_CHARS: usize = 1_000;

/// An insight as typed (a form) or sent (the API); `session` is an id as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawInsight<'a> {
    pub kind: &'a str,
    pub theme: &'a str,
    pub text: &'a str,
    pub session: Option<&'a str>,
    pub shared: bool,
}

/// A valid insight. Whether `session` is one of the pair's held sessions is
/// for the service to check: it needs the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInsight {
    pub kind: InsightKind,
    pub theme: Theme,
    pub text: String,
    pub session: Option<SessionId>,
    pub shared: bool,
}

impl NewInsight {
    /// Every problem is named by its field.
    pub fn parse(raw: &RawInsight<'_>) -> Result<NewInsight, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = InsightKind::parse(raw.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", format!("'{}' is not decision or action", raw.kind.trim())));
        }
        let theme = Theme::parse(raw.theme);
        if theme.is_none() {
            let names: Vec<&str> = Theme::ALL.iter().map(|t| t.as_str()).collect();
            errors.push(FieldError::new(
                "theme",
                format!("'{}' is not a theme; use one of {}", raw.theme.trim(), names.join(", ")),
            ));
        }
        let text = raw.text.trim();
        if text.is_empty() {
            errors.push(FieldError::new("text", "is empty: say what you decided or did"));
        } else if text.chars().count() > MAX_INSIGHT_CHARS {
            errors.push(FieldError::new("text", format!("is longer than {MAX_INSIGHT_CHARS} characters")));
        } else if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            errors.push(FieldError::new("text", "contains control characters"));
        }
        let session = match raw.session.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match s.parse::<i64>() {
                Ok(id) if id > 0 => Some(SessionId(id)),
                _ => {
                    errors.push(FieldError::new("session", format!("'{s}' is not a session id")));
                    None
                }
            },
        };
        match (kind, theme) {
            (Some(kind), Some(theme)) if errors.is_empty() => {
                Ok(NewInsight { kind, theme, text: text.to_owned(), session, shared: raw.shared })
            }
            _ => Err(errors),
        }
    }
}

/// How many insights of each kind, and how many of them are shared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct InsightCounts {
    pub decisions: u32,
    pub actions: u32,
    /// Of those, the ones whose text the sponsors may read.
    pub shared: u32,
}

impl InsightCounts {
    pub fn add(&mut self, kind: InsightKind, shared: bool, n: u32) {
        match kind {
            InsightKind::Decision => self.decisions += n,
            InsightKind::Action => self.actions += n,
        }
        if shared {
            self.shared += n;
        }
    }

    pub fn total(&self) -> u32 {
        self.decisions + self.actions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw<'a>(kind: &'a str, theme: &'a str, text: &'a str, session: Option<&'a str>) -> RawInsight<'a> {
        RawInsight { kind, theme, text, session, shared: false }
    }

    fn fields(r: Result<NewInsight, Vec<FieldError>>) -> Vec<&'static str> {
        r.expect_err("invalid").iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_insight_has_a_kind_a_theme_and_text_and_is_private_by_default() {
        let i = NewInsight::parse(&raw("decision", "technology", "  We pilot AI drafts. ", Some("7"))).expect("valid");
        assert_eq!(
            i,
            NewInsight {
                kind: InsightKind::Decision,
                theme: Theme::Technology,
                text: "We pilot AI drafts.".into(),
                session: Some(SessionId(7)),
                shared: false,
            }
        );
        assert_eq!(NewInsight::parse(&raw("action", "culture.safety", "x", Some(""))).expect("valid").session, None);
    }

    #[test]
    fn every_bad_field_of_an_insight_is_named() {
        assert_eq!(
            fields(NewInsight::parse(&raw("idea", "gen-z", " ", Some("two")))),
            ["kind", "theme", "text", "session"]
        );
        let long = "y".repeat(MAX_INSIGHT_CHARS + 1);
        assert_eq!(fields(NewInsight::parse(&raw("action", "market.brand", &long, None))), ["text"]);
        assert_eq!(fields(NewInsight::parse(&raw("action", "market.brand", "ok", Some("-3")))), ["session"]);
    }

    #[test]
    fn counts_add_up_by_kind_and_shared() {
        let mut c = InsightCounts::default();
        c.add(InsightKind::Decision, true, 2);
        c.add(InsightKind::Action, false, 3);
        assert_eq!((c.decisions, c.actions, c.shared, c.total()), (2, 3, 2, 5));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in InsightKind::ALL {
            assert_eq!(InsightKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(InsightKind::parse("Decision"), None);
    }
}
