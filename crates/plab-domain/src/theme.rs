//! The data-exchange taxonomy (docs/product.md, step 0), used everywhere themes appear.
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Theme {
    #[serde(rename = "technology")]
    Technology,
    #[serde(rename = "market.brand")]
    MarketBrand,
    #[serde(rename = "market.product")]
    MarketProduct,
    #[serde(rename = "market.competitors")]
    MarketCompetitors,
    #[serde(rename = "culture.purpose")]
    CulturePurpose,
    #[serde(rename = "culture.safety")]
    CultureSafety,
    #[serde(rename = "culture.career")]
    CultureCareer,
}

impl Theme {
    pub const ALL: [Theme; 7] = [
        Theme::Technology,
        Theme::MarketBrand,
        Theme::MarketProduct,
        Theme::MarketCompetitors,
        Theme::CulturePurpose,
        Theme::CultureSafety,
        Theme::CultureCareer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Technology => "technology",
            Theme::MarketBrand => "market.brand",
            Theme::MarketProduct => "market.product",
            Theme::MarketCompetitors => "market.competitors",
            Theme::CulturePurpose => "culture.purpose",
            Theme::CultureSafety => "culture.safety",
            Theme::CultureCareer => "culture.career",
        }
    }

    /// A short human label, for reasons and pages.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Technology => "technology and digital fluency",
            Theme::MarketBrand => "the brand",
            Theme::MarketProduct => "the product",
            Theme::MarketCompetitors => "competitors",
            Theme::CulturePurpose => "purpose and values",
            Theme::CultureSafety => "psychological safety",
            Theme::CultureCareer => "careers and development",
        }
    }

    pub fn parse(s: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_round_trips_through_its_name() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), Some(t));
            let json = serde_json::to_string(&t).expect("serialize");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
        }
    }

    #[test]
    fn unknown_theme_is_rejected() {
        assert_eq!(Theme::parse("gen-z"), None);
    }
}
