//! The research-question coach (PRODUCT.md, step 1): deterministic and explainable.
//! PLACEHOLDER being replaced by the full rubric.
use crate::theme::Theme;
use serde::{Deserialize, Serialize};

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

/// Assesses a question with the default thresholds.
pub fn assess(text: &str) -> Assessment {
    let _ = text;
    Assessment {
        strength: Strength::Weak,
        score: 0,
        themes: Vec::new(),
        findings: Vec::new(),
    }
}

/// The themes a piece of text touches (a question or a mentor's perspective).
pub fn themes_of(text: &str) -> Vec<Theme> {
    let _ = text;
    Vec::new()
}

/// Content words of a text, normalised (lower-case, light stemming, no stop words),
/// for matching a question against a mentor's perspectives.
pub fn key_terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 3)
        .map(str::to_lowercase)
        .collect()
}
