//! The coach takes whatever a leader types: it never panics, stays within
//! 0..=100 and gives the same answer every time.
use plab_domain::coach::{Strength, assess, assess_with, explain, key_terms, themes_of};
use plab_domain::program::CoachThresholds;

fn odd_inputs() -> Vec<String> {
    vec![
        String::new(),
        " ".to_owned(),
        "\n\t\r".to_owned(),
        "?".to_owned(),
        "?!.,;:'\"()-—–…".to_owned(),
        "'''".to_owned(),
        "'s n't &&& & - -- '".to_owned(),
        "🚀🔥💡".to_owned(),
        "Why do 👩‍💻 skip our 📅 demo? 🤔".to_owned(),
        "¿Por qué los analistas nuevos no vienen a la demo del viernes?".to_owned(),
        "なぜ新人は金曜日のデモに来ないのか".to_owned(),
        "Ünïcödé Wörds İstanbul ǅ ß".to_owned(),
        "a".to_owned(),
        "I".to_owned(),
        "ing ed s ies".to_owned(),
        "WHY DO NEW ANALYSTS SKIP OUR FRIDAY DEMO?".to_owned(),
        "How Do I Connect With The Next Generation".to_owned(),
        "why ".repeat(2_500),
        "x".repeat(10_000),
        "My hypothesis is that our Slack channels fail new hires so that we can decide. ".repeat(130),
        "\u{0}\u{7}\u{1b}[31m control characters".to_owned(),
        "1234567890 2024 18-25 35".to_owned(),
    ]
}

#[test]
fn any_text_is_assessed_within_bounds_without_panicking() {
    for input in odd_inputs() {
        let a = assess(&input);
        assert!(a.score <= 100, "{input:?} scored {}", a.score);
        let sum: u32 = explain(&input).iter().map(|c| u32::from(c.points)).sum();
        assert_eq!(u32::from(a.score), sum.min(100), "{input:?}");
        for f in &a.findings {
            assert!(!f.code.is_empty() && !f.message.is_empty() && !f.suggestion.is_empty());
        }
        let _ = themes_of(&input);
        let _ = key_terms(&input);
    }
}

#[test]
fn empty_text_is_weak_and_says_so() {
    let a = assess("");
    assert_eq!(a.strength, Strength::Weak);
    assert!(a.themes.is_empty());
    assert!(!a.findings.is_empty());
}

#[test]
fn assessment_is_deterministic() {
    let questions = [
        "Why do new analysts skip our Friday demo?",
        "I want to learn about Gen Z.",
        "How can our leadership team authentically use new AI and collaborative tools to improve \
         our own productivity and model this for the organization?",
    ];
    for q in questions {
        let first = assess(q);
        for _ in 0..5 {
            assert_eq!(assess(q), first);
            assert_eq!(key_terms(q), key_terms(q));
            assert_eq!(themes_of(q), themes_of(q));
        }
        let json_a = serde_json::to_string(&first).expect("json");
        let json_b = serde_json::to_string(&assess(q)).expect("json");
        assert_eq!(json_a, json_b);
    }
}

#[test]
fn threshold_extremes_do_not_panic() {
    for (fair_from, strong_from) in [(0, 0), (100, 100), (255, 255), (80, 20)] {
        let a = assess_with("Why do new analysts skip our Friday demo?", CoachThresholds { fair_from, strong_from });
        assert!(a.score <= 100);
    }
}

#[test]
fn whitespace_and_case_do_not_change_the_verdict() {
    let a = assess("Why do new analysts skip our Friday demo?");
    let b = assess("  why do new analysts\n skip our Friday demo ?  ");
    assert_eq!(a.strength, b.strength);
    assert_eq!(a.themes, b.themes);
}
