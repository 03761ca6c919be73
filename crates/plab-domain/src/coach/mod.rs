//! The research-question coach (docs/product.md, step 1): deterministic and
//! explainable. No network and no model: lexicons plus the shape of the
//! sentence.
//!
//! The score is the sum of six named criteria (see [`Criterion`]):
//! framing 25, object 25, group 15, purpose 15, scope 10, detail 10. The
//! strength follows the program's [`CoachThresholds`]. Every missed criterion
//! becomes a [`Finding`] with a stable code and a concrete suggestion.
mod advice;
mod framing;
mod group;
#[cfg(test)]
mod heldout_leak;
mod lexicon;
mod object;
mod rubric;
mod terms;
mod text;
mod themes;
mod words;

use crate::program::CoachThresholds;
use crate::theme::Theme;
use serde::{Deserialize, Serialize};

pub use terms::key_terms;
pub use themes::themes_of;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Weak,
    Fair,
    Strong,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Weak => "weak",
            Strength::Fair => "fair",
            Strength::Strong => "strong",
        }
    }

    /// The strength of a score under a program's thresholds.
    pub fn from_score(score: u8, thresholds: CoachThresholds) -> Strength {
        if score >= thresholds.strong_from {
            Strength::Strong
        } else if score >= thresholds.fair_from {
            Strength::Fair
        } else {
            Strength::Weak
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub message: String,
    pub suggestion: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub strength: Strength,
    pub score: u8,
    pub themes: Vec<Theme>,
    pub findings: Vec<Finding>,
}

/// The criteria of the rubric; each point of the score belongs to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Framed to learn: a hypothesis or an open question, not a wish (25).
    Framing,
    /// A named practice, channel, tool, product or process (25).
    Object,
    /// A real group of people, not a generation label (15).
    Group,
    /// What the leader might decide or change (15).
    Purpose,
    /// Answerable through a junior colleague's experience in a few sessions (10).
    Scope,
    /// Enough content to say who, what and why (10).
    Detail,
}

impl Criterion {
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Framing => "framing",
            Criterion::Object => "object",
            Criterion::Group => "group",
            Criterion::Purpose => "purpose",
            Criterion::Scope => "scope",
            Criterion::Detail => "detail",
        }
    }
}

/// Points one criterion gave a question, out of its maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScore {
    pub criterion: Criterion,
    pub points: u8,
    pub max: u8,
}

/// Assesses a question with the default thresholds.
pub fn assess(text: &str) -> Assessment {
    assess_with(text, CoachThresholds::default())
}

/// Assesses a question; the strength follows the sponsor's thresholds.
pub fn assess_with(text: &str, thresholds: CoachThresholds) -> Assessment {
    let evaluation = rubric::evaluate(&text::analyse(text));
    let score = evaluation.total();
    Assessment {
        strength: Strength::from_score(score, thresholds),
        score,
        themes: themes_of(text),
        findings: evaluation.issues.into_iter().map(advice::Issue::into_finding).collect(),
    }
}

/// The score broken down by criterion: why a question got the points it got.
pub fn explain(text: &str) -> Vec<CriterionScore> {
    rubric::evaluate(&text::analyse(text)).scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strength(q: &str) -> Strength {
        assess(q).strength
    }

    fn codes(q: &str) -> Vec<String> {
        assess(q).findings.into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn wish_about_a_generation_is_weak() {
        assert_eq!(strength("I want to learn about Gen Z."), Strength::Weak);
        let codes = codes("I want to learn about Gen Z.");
        assert!(codes.contains(&"wish_not_question".to_owned()), "{codes:?}");
        assert!(codes.contains(&"generation_label".to_owned()), "{codes:?}");
    }

    #[test]
    fn wish_without_object_is_weak() {
        assert_eq!(strength("I want to be better at tech."), Strength::Weak);
        assert!(codes("I want to be better at tech.").contains(&"vague_object".to_owned()));
    }

    #[test]
    fn hypothesis_about_named_channel_is_strong() {
        let q = "My hypothesis is that our current communication channels aren't effective for \
                 our hybrid, early-career employees, and I want to understand why.";
        assert_eq!(strength(q), Strength::Strong);
        assert!(assess(q).themes.contains(&Theme::Technology));
    }

    #[test]
    fn leadership_team_using_ai_tools_to_improve_is_strong() {
        let q = "How can our leadership team authentically use new AI and collaborative tools to \
                 improve our own productivity and model this for the organization?";
        assert_eq!(strength(q), Strength::Strong);
    }

    #[test]
    fn generic_self_help_question_is_weak() {
        assert_eq!(strength("How do I connect with the next generation?"), Strength::Weak);
        assert!(codes("How do I connect with the next generation?").contains(&"generic_question".to_owned()));
    }

    #[test]
    fn short_specific_why_question_is_strong() {
        assert_eq!(strength("Why do new analysts skip our Friday demo?"), Strength::Strong);
    }

    #[test]
    fn yes_no_question_is_flagged() {
        assert!(codes("Is our intranet useful for new hires?").contains(&"yes_no_question".to_owned()));
    }

    #[test]
    fn sponsor_thresholds_move_the_strength_not_the_score() {
        let q = "How does the team use Slack?";
        let default = assess(q);
        let strict = assess_with(q, CoachThresholds { fair_from: 90, strong_from: 95 });
        assert_eq!(default.score, strict.score);
        assert_eq!(strict.strength, Strength::Weak);
        let lenient = assess_with(q, CoachThresholds { fair_from: 0, strong_from: 1 });
        assert_eq!(lenient.strength, Strength::Strong);
    }

    #[test]
    fn score_is_the_sum_of_the_criteria() {
        let q = "Why do trainee pharmacists work around our prescription software?";
        let sum: u32 = explain(q).iter().map(|c| u32::from(c.points)).sum();
        assert_eq!(u32::from(assess(q).score), sum);
        assert!(explain(q).iter().all(|c| c.points <= c.max));
        // The criteria's maxima make up the whole 0-100 range, so a score is never capped.
        assert_eq!(explain(q).iter().map(|c| u32::from(c.max)).sum::<u32>(), 100);
    }

    #[test]
    fn serialises_with_lowercase_strength_and_named_fields() {
        let json = serde_json::to_value(assess("I want to learn about Gen Z.")).expect("json");
        assert_eq!(json["strength"], "weak");
        assert!(json["score"].is_u64());
        assert!(json["themes"].is_array());
        let finding = &json["findings"][0];
        assert!(finding["code"].is_string() && finding["message"].is_string());
        assert!(finding["suggestion"].is_string());
    }
}
