//! The program's outcome report (docs/interfaces.md): what a sponsor runs the
//! program for, without reading anyone's notes. The same document comes from
//! `plab report --program ID --json` (the operator) and
//! `GET /api/v1/programs/{program}/report` (the program's sponsors), apart
//! from its generation time. Averages of private answers are released in
//! steps (`session::next_release`); everything else is a count.
use crate::accounts::Actor;
use crate::{AppError, access};
use plab_domain::Date;
use plab_domain::ProgramId;
use plab_domain::coach::Strength;
use plab_domain::selfassessment::{Phase, SELF_ITEMS};
use plab_domain::session::{PersonAnswers, SessionStatus};
use plab_domain::signals::{SignalKind, raised_since, signals_at};
use plab_store::{RetentionGroup, Scope, Store, StoredSession};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use time::OffsetDateTime;

mod figures;
mod pairs;
mod periods;
pub use figures::{Figure, WITHHELD, average, change, figures, percent};
pub use pairs::{PairRow, PartnerCell, pair_rows, pairs_csv};
pub use periods::{FORTNIGHT_DAYS, Fortnight, fortnights_csv};

/// The released-averages key of the mentors' "heard" check-in answer.
const HEARD_ITEM: &str = "checkin.heard";

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub program: i64,
    pub name: String,
    pub starts_on: String,
    /// RFC 3339, UTC: the one field that differs between two reports of the same data.
    pub generated_at: String,
    pub pairs: usize,
    /// Pairs whose leader and mentor work in different departments: silos crossed.
    pub cross_department_pairs: usize,
    pub sessions: SessionTotals,
    pub homework: HomeworkTotals,
    pub checkins: CheckinTotals,
    /// Decisions changed and actions taken, logged by the leaders.
    pub insights: usize,
    pub questions: QuestionStrengths,
    /// How many pairs show each signal now.
    pub signals: SignalCounts,
    pub at_risk: Vec<AtRisk>,
    /// Share of the sessions that fell due (held, cancelled or missed) that
    /// were held within a week of their place in the cadence: a cancelled or
    /// missed session is one the cadence did not keep (null before any fell due).
    pub cadence_kept: Option<f64>,
    /// How many current research questions touch each theme.
    pub question_themes: BTreeMap<String, usize>,
    /// Fortnight by fortnight (the protocol's rhythm) from the Monday of the
    /// program's start: sessions and signals over time.
    pub fortnights: Vec<Fortnight>,
    pub retention: Retention,
    /// Each self-assessment statement's group average at the start and the
    /// end, and the change; each null until the minimum group size answered.
    pub self_assessment: Vec<SelfOutcome>,
    /// Open pairs that need a conversation about their fit: a partner
    /// answered "not a fit" (never who, never what else was said).
    #[serde(default)]
    pub fit_checks: usize,
    /// Pairs where one partner moves or cancels sessions far more than the
    /// other (issue 23); null below the minimum group size of pairs.
    #[serde(default)]
    pub session_changes: crate::changes::ChangeAsymmetry,
    /// The program's mentors against comparable non-participants (see
    /// `plab_domain::outcomes`): retention and promotions, each share null
    /// while either group is below the minimum group size.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub mentor_outcomes: plab_domain::outcomes::MentorOutcomes,
    /// The leaders' commitments, as counts only (issue 23).
    #[serde(default)]
    pub commitments: crate::commitments::CommitmentCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SelfOutcome {
    pub item: String,
    /// `leader` or `mentor`.
    pub role: String,
    pub statement: String,
    pub baseline: Option<f64>,
    pub closing: Option<f64>,
    pub change: Option<f64>,
}

/// The program's sessions by what became of them. "Planned" means one
/// thing everywhere (page, report, CSV): still planned, neither held nor
/// cancelled yet. Every session ever scheduled is `scheduled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SessionTotals {
    /// Every session of the program's pairs, whatever became of it.
    pub scheduled: usize,
    /// Still planned: not held, cancelled or missed yet.
    pub planned: usize,
    pub held: usize,
    pub cancelled: usize,
    /// Did not take place: a partner said so, or nobody said within a week.
    pub missed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct HomeworkTotals {
    pub set: usize,
    pub done: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CheckinTotals {
    pub due: usize,
    pub completed: usize,
    /// The mentors' "Do you feel your perspective is being heard?" (1-5),
    /// null until the program's minimum group size of mentors has answered.
    pub mentor_feels_heard_avg: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct QuestionStrengths {
    pub weak: usize,
    pub fair: usize,
    pub strong: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SignalCounts {
    pub expert_reflex: usize,
    pub mentor_apprehension: usize,
    pub unfocused: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AtRisk {
    pub pair: i64,
    pub signals: Vec<String>,
    /// The day each signal (same order) has been raised since, `YYYY-MM-DD`.
    pub since: Vec<String>,
    /// When the pair's last held session started (RFC 3339), null before the first.
    pub last_held: Option<String>,
}

/// Participants' retention against comparable non-participants (same
/// department and level), from the directory's leave dates since the start.
#[derive(Debug, Clone, PartialEq, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Retention {
    pub participants: usize,
    pub participants_left: usize,
    pub comparable: usize,
    pub comparable_left: usize,
    /// Share of participants still here, null below the minimum group size.
    pub participants_retained: Option<f64>,
    pub comparable_retained: Option<f64>,
}

/// How long a report stays in memory while the program's data is unchanged:
/// the figures that move with the clock alone (signals, due check-ins, the
/// weeks) are at most this old.
pub const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// The report as the program's sponsors see it: built again when the data
/// changes or after `FRESH_FOR` (its `generated_at` says when).
pub async fn for_sponsor(store: &Store, actor: &Actor, program: ProgramId) -> Result<Arc<Report>, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    store.remember(actor.seen, "report", program.0, FRESH_FOR, build(store, program, OffsetDateTime::now_utc())).await
}

/// The report as the operator sees it (`plab report`), as of `now`.
pub async fn build(store: &Store, program: ProgramId, now: OffsetDateTime) -> Result<Report, AppError> {
    let stored = store.program(program).await?;
    // Once retention has destroyed the answers it is computed from, the
    // report is the one kept at that moment (`retention::run`).
    if let Some(kept) = store.final_report(program).await? {
        return serde_json::from_str(&kept)
            .map_err(|e| AppError::Fault(format!("program {program}'s kept report: {e}")));
    }
    let settings = &stored.settings;
    let sessions = store.program_sessions(program).await?;
    let measures = store.session_measures(Scope::Program(program)).await?;
    let homework: HashSet<_> = measures.homework.iter().copied().collect();
    let pulses = store.program_pulse_answers(program).await?;
    let evidence = crate::signals::evidence_by_pair(settings.cadence_days, &sessions, &measures, &pulses, now);
    // An ended pair counts in the history (its sessions) but not among the pairs now, nor at risk.
    let ended: HashSet<plab_domain::PairId> =
        store.pairs(program).await?.into_iter().filter(|p| !p.is_open()).map(|p| p.id).collect();
    let mut departments = store.pair_departments(program).await?;
    departments.retain(|d| !ended.contains(&d.pair));
    let questions = store.current_questions(program).await?;

    let mut totals = SessionTotals { scheduled: sessions.len(), ..SessionTotals::default() };
    let mut homework_totals = HomeworkTotals::default();
    for s in &sessions {
        match s.status_at(now) {
            SessionStatus::Planned => totals.planned += 1,
            SessionStatus::Held => totals.held += 1,
            SessionStatus::Cancelled => totals.cancelled += 1,
            SessionStatus::Missed => totals.missed += 1,
        }
        if homework.contains(&s.id) {
            homework_totals.set += 1;
        }
        if s.homework_done {
            homework_totals.done += 1;
        }
    }
    let mut strengths = QuestionStrengths::default();
    let mut question_themes = BTreeMap::new();
    for (_, q) in &questions {
        match q.assessment.strength {
            Strength::Weak => strengths.weak += 1,
            Strength::Fair => strengths.fair += 1,
            Strength::Strong => strengths.strong += 1,
        }
        for theme in &q.assessment.themes {
            *question_themes.entry(theme.as_str().to_owned()).or_insert(0) += 1;
        }
    }
    let mut signal_counts = SignalCounts::default();
    let mut at_risk = Vec::new();
    for (pair, e) in evidence.iter().filter(|(pair, _)| !ended.contains(*pair)) {
        let raised = signals_at(e, now);
        for s in &raised {
            match s.kind {
                SignalKind::ExpertReflex => signal_counts.expert_reflex += 1,
                SignalKind::MentorApprehension => signal_counts.mentor_apprehension += 1,
                SignalKind::Unfocused => signal_counts.unfocused += 1,
            }
        }
        if !raised.is_empty() {
            let not_before = stored.starts_on.midnight_utc();
            let since =
                raised.iter().map(|s| Date::of_instant(raised_since(e, s.kind, now, not_before)).to_string()).collect();
            let last_held = sessions
                .iter()
                .filter(|s| s.pair_id == *pair && s.status == SessionStatus::Held && s.starts_at <= now)
                .map(|s| s.starts_at)
                .max()
                .map(plab_domain::session::format_instant);
            at_risk.push(AtRisk {
                pair: pair.0,
                signals: raised.iter().map(|s| s.kind.as_str().to_owned()).collect(),
                since,
                last_held,
            });
        }
    }
    let summary = crate::measure::summary_of(store, program, now).await?;
    let heard: Vec<PersonAnswers> = summary
        .heard
        .iter()
        .map(|h| PersonAnswers { person: h.mentor.clone(), sum: u32::from(h.heard), count: 1 })
        .collect();
    let released = store.released_averages(program).await?;
    let previous = released.iter().find(|(code, _)| code == HEARD_ITEM).map(|(_, r)| r);
    let rule = crate::sessions::AverageRule::of(store, &stored).await?;
    let heard_avg = crate::sessions::release_if_due(store, program, HEARD_ITEM, previous, &heard, &rule).await?;
    let checkins = CheckinTotals {
        due: usize::try_from(summary.due + summary.overdue).unwrap_or(usize::MAX),
        completed: usize::try_from(summary.done).unwrap_or(usize::MAX),
        mentor_feels_heard_avg: heard_avg.map(|a| (a.average * 100.0).round() / 100.0),
    };
    let insights = store.insight_tallies(program).await?.iter().map(|t| usize::try_from(t.count).unwrap_or(0)).sum();
    let self_assessment = self_outcomes(store, program, &released, &rule).await?;
    let at_risk_at = |t: OffsetDateTime| evidence.values().filter(|e| !signals_at(e, t).is_empty()).count();
    let since = stored.starts_on;
    let retention = retention(&store.retention_groups(program, since).await?, rule.group_size);
    let session_changes = crate::changes::for_report(store, program, departments.len(), rule.group_size).await?;
    let today = plab_domain::Date::of_instant(now).to_string();
    let mentor_outcomes =
        crate::outcomes::for_report(store, program, &stored.starts_on.to_string(), &today, rule.group_size).await?;
    Ok(Report {
        program: program.0,
        name: stored.name.clone(),
        starts_on: stored.starts_on.to_string(),
        generated_at: plab_domain::session::format_instant(now),
        pairs: departments.len(),
        cross_department_pairs: departments.iter().filter(|d| d.leader != d.mentor).count(),
        sessions: totals,
        homework: homework_totals,
        checkins,
        insights,
        questions: strengths,
        signals: signal_counts,
        at_risk,
        cadence_kept: cadence_kept(&sessions, settings.cadence_days, now),
        question_themes,
        fortnights: periods::fortnights(&sessions, stored.starts_on, now, at_risk_at),
        retention,
        self_assessment,
        fit_checks: crate::fit::checks(store, program).await?.len(),
        session_changes,
        mentor_outcomes,
        commitments: crate::commitments::counts(store, program, Date::of_instant(now)).await?,
    })
}

/// Each statement's released averages per phase, and the change between them.
async fn self_outcomes(
    store: &Store,
    program: ProgramId,
    released: &[(String, plab_domain::session::Release)],
    rule: &crate::sessions::AverageRule,
) -> Result<Vec<SelfOutcome>, AppError> {
    let answers = store.self_assessment_answers(program).await?;
    let mut out = Vec::new();
    for item in &SELF_ITEMS {
        let mut figure = [None, None];
        for (slot, phase) in Phase::ALL.into_iter().enumerate() {
            let key = format!("self.{}.{}", phase.as_str(), item.code);
            let live: Vec<PersonAnswers> = answers
                .iter()
                .filter(|a| a.phase == phase && a.item == item.code)
                .map(|a| PersonAnswers { person: a.employee_id.clone(), sum: u32::from(a.value), count: 1 })
                .collect();
            let previous = released.iter().find(|(code, _)| *code == key).map(|(_, r)| r);
            let average = crate::sessions::release_if_due(store, program, &key, previous, &live, rule).await?;
            figure[slot] = average.map(|a| (a.average * 100.0).round() / 100.0);
        }
        let [baseline, closing] = figure;
        out.push(SelfOutcome {
            item: item.code.to_owned(),
            role: item.role.as_str().to_owned(),
            statement: item.statement.to_owned(),
            baseline,
            closing,
            change: baseline.zip(closing).map(|(b, c)| ((c - b) * 100.0).round() / 100.0),
        });
    }
    Ok(out)
}

/// Of the sessions that fell due and are settled (held, cancelled or
/// missed; not those whose partners may still say they took place), the
/// share held within a week of its place in the cadence, counted from each
/// pair's first session.
pub(crate) fn cadence_kept(sessions: &[StoredSession], cadence_days: u32, now: OffsetDateTime) -> Option<f64> {
    let mut first_of_pair = BTreeMap::new();
    for s in sessions {
        first_of_pair.entry(s.pair_id).or_insert(s.starts_at);
    }
    let settled: Vec<&StoredSession> = sessions.iter().filter(|s| s.status_at(now) != SessionStatus::Planned).collect();
    if settled.is_empty() {
        return None;
    }
    let on_time = settled
        .iter()
        .filter(|s| s.status == SessionStatus::Held)
        .filter(|s| {
            let first = first_of_pair[&s.pair_id];
            let planned = first + time::Duration::days(i64::from(cadence_days) * (s.seq - 1));
            s.status == SessionStatus::Held && (s.starts_at - planned).abs() <= time::Duration::days(7)
        })
        .count();
    Some(share(on_time, settled.len()))
}

fn share(part: usize, whole: usize) -> f64 {
    let ratio = part as f64 / whole.max(1) as f64;
    (ratio * 1000.0).round() / 1000.0
}

/// Participants against everyone else in the departments and levels the
/// participants come from; each share only from the minimum group size.
fn retention(groups: &[RetentionGroup], min_group_size: u32) -> Retention {
    let participant_groups: HashSet<(&str, i64)> =
        groups.iter().filter(|g| g.participant).map(|g| (g.department.as_str(), g.level)).collect();
    let mut r = Retention::default();
    for g in groups {
        let (people, left) = (usize::try_from(g.people).unwrap_or(0), usize::try_from(g.left).unwrap_or(0));
        if g.participant {
            r.participants += people;
            r.participants_left += left;
        } else if participant_groups.contains(&(g.department.as_str(), g.level)) {
            r.comparable += people;
            r.comparable_left += left;
        }
    }
    let min = usize::try_from(min_group_size).unwrap_or(usize::MAX);
    let retained = |people: usize, left: usize| (people >= min).then(|| share(people - left, people));
    r.participants_retained = retained(r.participants, r.participants_left);
    r.comparable_retained = retained(r.comparable, r.comparable_left);
    r
}

/// The report's summary as CSV: one table, a `metric,value,label` row per
/// figure, each value as the sponsor's page shows it (`figures`). The
/// fortnights are a table of their own (`fortnights_csv`).
///
/// The program's name is the one text a person typed, so it is the one cell
/// guarded against running as a spreadsheet formula (`csv_cell`). The other
/// cells are the product's own: metric names, labels, dates and figures.
pub fn to_csv(r: &Report) -> String {
    let heading = [
        ("program", "Program number", r.program.to_string()),
        ("name", "Program", crate::csv_cell::neutralise(&r.name).into_owned()),
        ("starts_on", "Starts on", r.starts_on.clone()),
        ("generated_at", "As of (UTC)", r.generated_at.clone()),
    ];
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut ok = out.write_record(["metric", "value", "label"]).is_ok();
    for (metric, label, value) in &heading {
        ok &= out.write_record([metric, value.as_str(), label]).is_ok();
    }
    for f in figures(r) {
        ok &= out.write_record([&f.metric, &f.value, &f.label]).is_ok();
    }
    debug_assert!(ok, "writing CSV into memory cannot fail");
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
