//! Each figure of the report once, with the words and the formatting the
//! sponsor's page shows: the page's "at a glance", the summary CSV and the
//! print view all read this list, so a figure cannot mean one thing on the
//! page and another in the download.
use super::Report;

/// One figure: its stable key (the CSV's `metric`), what the page calls it,
/// and its value as the page shows it (percentages as `87%`, averages with
/// two decimals, `withheld` below the minimum group size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub metric: String,
    pub label: String,
    pub value: String,
    /// Shown in the page's "at a glance" (the rest have sections of their own).
    pub glance: bool,
}

/// What a figure withheld below the minimum group size shows.
pub const WITHHELD: &str = "withheld";

/// A share (0-1) as the page shows it: `87%`; `none` when there is none.
pub fn percent(share: Option<f64>, none: &str) -> String {
    share.map_or_else(|| none.to_owned(), |s| format!("{:.0}%", s * 100.0))
}

/// An average on a 1-5 scale as the page shows it: `3.85`, or withheld.
pub fn average(value: Option<f64>) -> String {
    value.map_or_else(|| WITHHELD.to_owned(), |v| format!("{v:.2}"))
}

/// A change between two averages as the page shows it: `+0.50`, or `–`.
pub fn change(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format!("{v:+.2}"))
}

/// Every figure of the report, in the order the page and the CSV list them.
pub fn figures(r: &Report) -> Vec<Figure> {
    let glance = |metric: &str, label: &str, value: String| Figure {
        metric: metric.to_owned(),
        label: label.to_owned(),
        value,
        glance: true,
    };
    let count = |metric: &str, label: &str, n: usize| glance(metric, label, n.to_string());
    let mut out = vec![
        count("pairs", "Pairs", r.pairs),
        count("cross_department_pairs", "Silos crossed (pairs across departments)", r.cross_department_pairs),
        count("sessions.scheduled", "Sessions scheduled (any outcome)", r.sessions.scheduled),
        count("sessions.held", "Sessions held", r.sessions.held),
        count("sessions.planned", "Sessions still planned (not held, cancelled or missed yet)", r.sessions.planned),
        count("sessions.cancelled", "Sessions cancelled", r.sessions.cancelled),
        count("sessions.missed", "Sessions that did not take place", r.sessions.missed),
        glance(
            "cadence_kept",
            "Cadence kept (sessions held on time, of all no longer planned)",
            percent(r.cadence_kept, "none yet"),
        ),
        count("homework.set", "Homework set", r.homework.set),
        count("homework.done", "Homework done", r.homework.done),
        count("checkins.due", "Check-ins due", r.checkins.due),
        count("checkins.completed", "Check-ins completed", r.checkins.completed),
        glance(
            "checkins.mentor_feels_heard_avg",
            "Mentors feel heard (1-5)",
            average(r.checkins.mentor_feels_heard_avg),
        ),
        count("insights", "Insights and decisions logged", r.insights),
        count("at_risk", "Pairs at risk", r.at_risk.len()),
        glance(
            "retention.participants_retained",
            "Retention: participants",
            percent(r.retention.participants_retained, WITHHELD),
        ),
        glance(
            "retention.comparable_retained",
            "Retention: comparable colleagues",
            percent(r.retention.comparable_retained, WITHHELD),
        ),
    ];
    let detail = |metric: String, label: String, value: String| Figure { metric, label, value, glance: false };
    let tally = |metric: &str, label: &str, n: usize| detail(metric.to_owned(), label.to_owned(), n.to_string());
    out.extend([
        tally("signals.expert_reflex", "Pairs showing the expert reflex", r.signals.expert_reflex),
        tally("signals.mentor_apprehension", "Pairs showing mentor apprehension", r.signals.mentor_apprehension),
        tally("signals.unfocused", "Pairs showing unfocused sessions", r.signals.unfocused),
        tally("questions.strong", "Research questions: strong", r.questions.strong),
        tally("questions.fair", "Research questions: fair", r.questions.fair),
        tally("questions.weak", "Research questions: weak", r.questions.weak),
        tally("commitments.made", "Commitments made by leaders", r.commitments.made),
        tally("commitments.kept", "Commitments kept", r.commitments.kept),
        tally("commitments.dropped", "Commitments dropped", r.commitments.dropped),
        tally("commitments.overdue", "Commitments open past their day", r.commitments.overdue),
    ]);
    for (theme, n) in &r.question_themes {
        out.push(detail(format!("question_themes.{theme}"), format!("Questions on {theme}"), n.to_string()));
    }
    for o in &r.self_assessment {
        let who = format!("{}s", o.role);
        for (phase, label, value) in [
            ("baseline", "start", average(o.baseline)),
            ("closing", "end", average(o.closing)),
            ("change", "change", change(o.change)),
        ] {
            let name = format!("Self-assessment ({who}, {label}): {}", o.statement);
            out.push(detail(format!("self_assessment.{}.{phase}", o.item), name, value));
        }
    }
    out
}
