//! The coach against labelled research questions.
//!
//! - `questions.tsv` is the tuning set and `questions_adversarial.tsv` holds
//!   polished-but-vague and short-but-specific questions; rules are tuned
//!   against both.
//! - `questions_heldout.tsv` was written alongside the tuning set; word-list
//!   entries found only there were removed (see `coach/heldout_leak.rs`).
//! - `questions_heldout_2.tsv` was written before the rules that read vague
//!   aims were added, and is never tuned against.
//!
//! Run with `-- --nocapture` to see the numbers; set `COACH_FIXTURE_VERBOSE=1`
//! to print every question's breakdown.
use plab_domain::Theme;
use plab_domain::coach::{Strength, assess, explain};
use std::path::PathBuf;

const TUNING: &str = "questions.tsv";
const ADVERSARIAL: &str = "questions_adversarial.tsv";
const HELDOUT: &str = "questions_heldout.tsv";
const HELDOUT_2: &str = "questions_heldout_2.tsv";
const ALL_SETS: [&str; 4] = [TUNING, ADVERSARIAL, HELDOUT, HELDOUT_2];

struct Labelled {
    line: usize,
    label: Strength,
    themes: Vec<Theme>,
    question: String,
}

fn load(name: &str) -> Vec<Labelled> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    raw.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "{name}:{}: expected 3 tab-separated columns", i + 1);
            let label = match cols[0] {
                "weak" => Strength::Weak,
                "fair" => Strength::Fair,
                "strong" => Strength::Strong,
                other => panic!("{name}:{}: unknown label {other:?}", i + 1),
            };
            let themes = cols[1]
                .split(',')
                .filter(|t| *t != "-" && !t.is_empty())
                .map(|t| Theme::parse(t).unwrap_or_else(|| panic!("{name}:{}: theme {t:?}", i + 1)))
                .collect();
            Labelled { line: i + 1, label, themes, question: cols[2].to_owned() }
        })
        .collect()
}

/// Per-question theme agreement: F1 of precision and recall against the
/// expected set. Extra themes cost precision; a question labelled "-" scores 1
/// only when the coach returns no theme.
fn theme_f1(expected: &[Theme], got: &[Theme]) -> f64 {
    if expected.is_empty() || got.is_empty() {
        return if expected.is_empty() && got.is_empty() { 1.0 } else { 0.0 };
    }
    let common = expected.iter().filter(|t| got.contains(t)).count() as f64;
    2.0 * common / (expected.len() + got.len()) as f64
}

struct Report {
    total: usize,
    exact: usize,
    /// Weak questions rated not weak, or the reverse.
    weak_errors: usize,
    cross: Vec<String>,
    theme_f1_sum: f64,
    /// The old measure: rows with a theme where any expected theme was found.
    themed: usize,
    any_hit: usize,
}

impl Report {
    fn accuracy(&self) -> f64 {
        self.exact as f64 / self.total as f64
    }
    fn theme_f1(&self) -> f64 {
        self.theme_f1_sum / self.total as f64
    }
}

fn run(name: &str) -> Report {
    let verbose = std::env::var_os("COACH_FIXTURE_VERBOSE").is_some();
    let rows = load(name);
    let mut report = Report {
        total: rows.len(),
        exact: 0,
        weak_errors: 0,
        cross: Vec::new(),
        theme_f1_sum: 0.0,
        themed: 0,
        any_hit: 0,
    };
    for row in &rows {
        let a = assess(&row.question);
        let line = format!(
            "{name}:{} expected {} got {} ({}) {:?}",
            row.line,
            row.label.as_str(),
            a.strength.as_str(),
            a.score,
            row.question
        );
        if a.strength == row.label {
            report.exact += 1;
        } else {
            eprintln!("MISCLASSIFIED {line}");
        }
        if (row.label == Strength::Weak) != (a.strength == Strength::Weak) {
            report.weak_errors += 1;
        }
        let cross =
            matches!((row.label, a.strength), (Strength::Weak, Strength::Strong) | (Strength::Strong, Strength::Weak));
        if cross {
            report.cross.push(line.clone());
        }
        let f1 = theme_f1(&row.themes, &a.themes);
        report.theme_f1_sum += f1;
        if f1 < 1.0 && verbose {
            eprintln!("THEMES {name}:{} expected {:?} got {:?}", row.line, row.themes, a.themes);
        }
        if !row.themes.is_empty() {
            report.themed += 1;
            report.any_hit += usize::from(row.themes.iter().any(|t| a.themes.contains(t)));
        }
        if verbose {
            let parts: Vec<String> =
                explain(&row.question).iter().map(|c| format!("{}={}", c.criterion.as_str(), c.points)).collect();
            let codes: Vec<&str> = a.findings.iter().map(|f| f.code.as_str()).collect();
            eprintln!("  {line}\n    {} {codes:?}", parts.join(" "));
        }
    }
    eprintln!(
        "{name}: {} questions, exact label {:.1}% ({}/{}), weak/not-weak errors {}, weak<->strong {}, \
         theme F1 {:.1}% (old any-hit {}/{})",
        report.total,
        100.0 * report.accuracy(),
        report.exact,
        report.total,
        report.weak_errors,
        report.cross.len(),
        100.0 * report.theme_f1(),
        report.any_hit,
        report.themed
    );
    report
}

#[test]
fn fixtures_are_large_and_balanced_enough() {
    let tuning = load(TUNING);
    assert!(tuning.len() >= 120, "tuning set has {}", tuning.len());
    assert!(load(HELDOUT).len() >= 40, "held-out set has {}", load(HELDOUT).len());
    assert!(load(HELDOUT_2).len() >= 40, "fresh held-out set has {}", load(HELDOUT_2).len());
    for theme in Theme::ALL {
        assert!(tuning.iter().any(|r| r.themes.contains(&theme)), "no tuning question on {theme}");
    }
    for name in [TUNING, HELDOUT_2] {
        let rows = load(name);
        for label in [Strength::Weak, Strength::Fair, Strength::Strong] {
            assert!(rows.iter().filter(|r| r.label == label).count() >= 10, "{name}: few {}", label.as_str());
        }
        assert!(rows.iter().any(|r| r.themes.is_empty()), "{name}: no question labelled without a theme");
    }
}

#[test]
fn theme_score_penalises_extra_themes_and_themes_where_none_is_expected() {
    let expected = [Theme::Technology];
    assert_eq!(theme_f1(&expected, &[Theme::Technology]), 1.0);
    assert!(theme_f1(&expected, &Theme::ALL) < 0.3, "returning every theme must score badly");
    assert_eq!(theme_f1(&[], &[Theme::Technology]), 0.0);
    assert_eq!(theme_f1(&[], &[]), 1.0);
}

#[test]
fn no_weak_question_is_rated_strong_or_the_reverse_on_any_set() {
    for name in ALL_SETS {
        let report = run(name);
        assert!(report.cross.is_empty(), "weak/strong confused:\n{}", report.cross.join("\n"));
    }
}

#[test]
fn adversarial_questions_are_judged_on_meaning_not_length() {
    run(ADVERSARIAL);
    let rows = load(ADVERSARIAL);
    assert!(rows.len() >= 20, "adversarial set has {}", rows.len());
    let wrong: Vec<String> = rows
        .iter()
        .filter(|r| (r.label == Strength::Weak) != (assess(&r.question).strength == Strength::Weak))
        .map(|r| format!("{ADVERSARIAL}:{} expected {} got {:?}", r.line, r.label.as_str(), assess(&r.question)))
        .collect();
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), rows.len(), wrong.join("\n"));
}

// The floors below are regression floors set just under the measured value
// (see the README), not targets: raise them when the coach improves.

#[test]
fn tuning_set_scores() {
    let report = run(TUNING);
    assert!(report.accuracy() >= TUNING_EXACT_FLOOR, "tuning accuracy {:.3}", report.accuracy());
    assert!(report.theme_f1() >= TUNING_THEME_F1_FLOOR, "tuning theme F1 {:.3}", report.theme_f1());
}

#[test]
fn heldout_set_scores() {
    let report = run(HELDOUT);
    assert!(report.accuracy() >= HELDOUT_EXACT_FLOOR, "held-out accuracy {:.3}", report.accuracy());
    assert!(report.theme_f1() >= HELDOUT_THEME_F1_FLOOR, "held-out theme F1 {:.3}", report.theme_f1());
}

#[test]
fn fresh_heldout_set_scores() {
    let report = run(HELDOUT_2);
    assert!(report.accuracy() >= HELDOUT_2_EXACT_FLOOR, "fresh held-out accuracy {:.3}", report.accuracy());
    assert!(report.theme_f1() >= HELDOUT_2_THEME_F1_FLOOR, "fresh held-out theme F1 {:.3}", report.theme_f1());
}

// Measured after the vague-aim rule: tuning 100.0% / F1 77.2%, held-out
// 86.8% / 49.5%, fresh held-out 75.5% / 70.1%. Regression floors, not targets.
const TUNING_EXACT_FLOOR: f64 = 0.99;
const TUNING_THEME_F1_FLOOR: f64 = 0.76;
const HELDOUT_EXACT_FLOOR: f64 = 0.85;
const HELDOUT_THEME_F1_FLOOR: f64 = 0.48;
const HELDOUT_2_EXACT_FLOOR: f64 = 0.74;
const HELDOUT_2_THEME_F1_FLOOR: f64 = 0.69;
