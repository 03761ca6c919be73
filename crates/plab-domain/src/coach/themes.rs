//! Which themes of the data exchange (docs/product.md, step 0) a text touches. Works
//! on full questions and on a mentor's short perspectives ("TikTok",
//! "onboarding as a new hire").
use super::lexicon::{Lexicon, lexicon};
use super::text::analyse;
use crate::theme::Theme;

lexicon!(technology_words => [
    "tech", "technology", "digital", "ai", "artificial intelligence", "genai", "chatgpt", "copilot",
    "chatbot", "bot", "tool", "app", "software", "platform", "channel", "slack", "microsoft teams",
    "teams channel", "zoom", "email", "newsletter", "intranet", "wiki", "sharepoint", "notion",
    "confluence", "trello", "crm", "salesforce", "erp", "excel", "spreadsheet", "dashboard", "data",
    "analytics", "automation", "automate", "online", "website", "social media", "tiktok",
    "instagram", "linkedin", "whatsapp", "youtube", "snapchat", "twitter", "reddit", "discord",
    "video", "video call", "laptop", "phone", "smartphone", "mobile", "device", "cloud", "tableau",
    "visualisation", "visualization", "code", "coding", "github", "metaverse", "crypto",
    "blockchain", "vr", "virtual", "asynchronous", "async", "messaging", "workflow", "agile",
    "digital native", "tech savvy", "savvy", "internet", "computer", "algorithm",
    "machine learning", "robot", "robotics", "scanner", "kiosk", "self-checkout",
    "collaborative tool", "collaboration tool", "communication channel", "portal", "e-learning",
    "podcast", "streaming", "gaming", "sms", "text message", "database", "programming", "cyber",
    "security", "standup", "ux", "ui", "first draft", "prompt", "webinar", "hybrid meeting",
    "chat app", "group chat", "live chat",
]);

lexicon!(brand_words => [
    "brand", "branding", "reputation", "image", "marketing", "ad", "campaign", "logo", "tagline",
    "slogan", "influencer", "sponsorship", "sponsor", "perceive", "perception", "public stance",
    "cool", "outdated", "audience", "employer brand", "careers page", "word of mouth", "tiktok",
    "instagram", "social media", "youtube", "snapchat", "uniform", "in-store music",
    "recruitment ad", "voice of", "messaging", "look and feel", "trendy", "authentic",
    "authenticity", "press", "media", "pr", "storytelling", "followers", "viral", "embarrass",
    "proud of our", "recommend", "describe us", "say about us", "think of us", "say about our",
    "rating", "online review", "app store review", "stance", "value proposition",
]);

lexicon!(product_words => [
    "product", "feature", "app", "checkout", "pricing", "price", "subscription", "premium", "tier",
    "service", "customer", "user", "usability", "ux", "ui", "user experience",
    "customer experience", "website", "portal", "onboarding flow", "form", "claim", "mortgage",
    "calculator", "delivery", "friction", "in-app purchase", "purchase", "game", "release",
    "invoice", "banking", "online banking", "packaging", "store", "menu", "support ticket",
    "customer support", "complaint", "return", "refund", "buyer", "subscriber", "patient", "client",
    "consumer", "insurance", "loan", "account", "basket", "cart", "budgeting", "prescription",
    "design", "prototype", "beta", "launch", "relaunch", "pain point", "customer service", "ticket",
    "notification", "sign-up", "login", "recipe", "catalogue", "inventory", "quality",
    "feedback from customers", "reviews",
]);

lexicon!(competitor_words => [
    "competitor", "competitive", "rival", "fintech", "start-up", "challenger", "alternative",
    "other bank", "other retailer", "other company", "other firm", "instead of our", "than ours",
    "over ours", "compare with competitors", "instead of our own", "switch", "switch to",
    "market share", "falling behind", "fall behind", "lose to", "chose a", "other store",
    "other supermarket", "other brand", "other app", "industry", "peer company", "benchmark",
    "the market", "disruptor", "amazon", "copy", "what others", "elsewhere", "other employer",
    "streaming competitor",
]);

lexicon!(purpose_words => [
    "purpose", "value", "mission", "vision", "meaning", "meaningful", "matter", "sustainability",
    "esg", "social impact", "ethics", "ethical", "community", "volunteer", "volunteering",
    "good cause", "social cause", "charitable cause", "pride", "proud", "strategy", "town hall",
    "all-hands", "all hands", "belief", "on the wall", "stance", "purpose statement",
    "mission statement", "culture", "connected to", "connect our", "customer first", "principle",
    "integrity", "trust in leadership", "climate", "environment", "green", "diversity",
    "responsible", "charity", "box-ticking", "authentic", "model this", "lead by example",
    "leadership team", "communicate our strategy", "direction", "company's why", "believe in",
    "public service", "caring",
]);

lexicon!(safety_words => [
    "psychological safety", "unsafe", "safety", "speak up", "speaking up", "silent", "silence",
    "voice", "belong", "belonging", "inclusion", "inclusive", "trust", "mistake", "admit",
    "challenge", "disagree", "disagreement", "dissent", "raise concern", "concern", "honest",
    "honestly", "candid", "approachable", "hierarchy", "feedback", "anonymous", "hold back",
    "comfortable", "embarrass", "respect", "psychological", "bias", "harassment", "women",
    "diversity", "unspoken", "say no", "ask for help", "asking for help", "culture", "retro",
    "retrospective", "q&a", "question the", "judge", "judgment", "judgement", "listen", "heard",
    "isolated", "lonely", "welcome", "team spirit", "conflict", "report incidents",
    "report an incident", "whistleblow", "apprehensive", "vulnerable", "vulnerability",
    "code review comment", "idea", "barrier", "afraid", "reluctant", "hesitant", "pushback",
    "push back", "be open", "open and honest",
]);

lexicon!(career_words => [
    "career", "promotion", "promote", "develop", "development", "growth", "grow", "training",
    "trainee", "mentoring scheme", "mentoring program", "mentorship", "coaching", "progression",
    "path", "job board", "internal move", "rotation", "graduate", "apprenticeship", "apprentice",
    "leave", "attrition", "retention", "retain", "turnover", "stay", "quit", "resign", "onboarding",
    "induction", "new hire", "work-life", "work life", "flexible", "flexibility", "hybrid",
    "remote work", "schedule", "scheduling", "shift", "parental leave", "leave policy", "pay",
    "salary", "benefit", "bonus", "reward", "motivate", "motivation", "engagement", "burnout",
    "wellbeing", "workload", "workplace", "future of work", "performance review", "review process",
    "appraisal", "gen z", "millennial", "young people", "next generation", "younger generation",
    "youth", "talent", "employer", "intern", "internship", "early career", "first year", "junior",
    "job", "hiring", "recruit", "learning", "tenure", "management training", "future",
    "expect from", "team lead", "internal", "track", "succession", "entitled", "handbook",
    "overtime", "rota", "night shift", "part-time", "young employee", "younger employee",
    "young staff", "younger staff", "younger colleague", "younger worker", "young talent",
    "leadership development", "generation", "want from work", "motivates", "applying",
]);

fn lexicon_of(theme: Theme) -> &'static Lexicon {
    match theme {
        Theme::Technology => technology_words(),
        Theme::MarketBrand => brand_words(),
        Theme::MarketProduct => product_words(),
        Theme::MarketCompetitors => competitor_words(),
        Theme::CulturePurpose => purpose_words(),
        Theme::CultureSafety => safety_words(),
        Theme::CultureCareer => career_words(),
    }
}

/// The themes a piece of text touches (a question or a mentor's perspective),
/// sorted and without duplicates.
pub fn themes_of(text: &str) -> Vec<Theme> {
    let analysed = analyse(text);
    Theme::ALL.into_iter().filter(|&theme| lexicon_of(theme).any(&analysed)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentor_perspectives_map_to_themes() {
        assert!(themes_of("AI tools for first drafts").contains(&Theme::Technology));
        assert!(themes_of("TikTok").contains(&Theme::Technology));
        assert!(themes_of("agile workflows").contains(&Theme::Technology));
        assert!(themes_of("customer support tickets").contains(&Theme::MarketProduct));
        assert!(themes_of("onboarding as a new hire").contains(&Theme::CultureCareer));
        assert!(themes_of("competitor apps").contains(&Theme::MarketCompetitors));
    }

    #[test]
    fn themes_are_sorted_and_unique() {
        let themes = themes_of("Why do junior nurses stay silent about safety in our app?");
        let mut sorted = themes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(themes, sorted);
    }

    #[test]
    fn text_without_a_theme_has_none() {
        assert!(themes_of("").is_empty());
        assert!(themes_of("hello there").is_empty());
    }
}
