//! `plab report`: the program's outcome report, the same document as the API's.
use crate::output::print_json;
use crate::{Failure, out};
use plab_app::{Store, programs, report};

pub async fn report(store: &Store, program: &str, json: bool) -> Result<(), Failure> {
    let program = programs::parse_id(program)?;
    let r = report::build(store, program, time::OffsetDateTime::now_utc()).await?;
    if json {
        return print_json(&r);
    }
    let avg = |v: Option<f64>| v.map_or_else(|| "withheld".to_owned(), |v| format!("{v:.2}"));
    out!("{} (program {}, from {})", r.name, r.program, r.starts_on);
    out!("pairs: {} ({} across departments)", r.pairs, r.cross_department_pairs);
    out!("sessions: {} planned, {} held, {} cancelled", r.sessions.planned, r.sessions.held, r.sessions.cancelled);
    out!("homework: {} set, {} done", r.homework.set, r.homework.done);
    out!(
        "check-ins: {} due, {} completed; mentors feel heard: {}",
        r.checkins.due,
        r.checkins.completed,
        avg(r.checkins.mentor_feels_heard_avg)
    );
    out!("insights logged: {}", r.insights);
    out!("questions: {} weak, {} fair, {} strong", r.questions.weak, r.questions.fair, r.questions.strong);
    out!(
        "signals: expert reflex {}, mentor apprehension {}, unfocused {}",
        r.signals.expert_reflex,
        r.signals.mentor_apprehension,
        r.signals.unfocused
    );
    for p in &r.at_risk {
        out!("  pair {} at risk: {}", p.pair, p.signals.join(", "));
    }
    out!(
        "retention: participants {}, comparable colleagues {}",
        avg(r.retention.participants_retained),
        avg(r.retention.comparable_retained)
    );
    Ok(())
}
