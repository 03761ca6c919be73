//! Closing a program, and retention: how long its pairs' private data (notes,
//! homework, pulse and check-in answers, self-assessments, insight texts) is
//! kept after it closes (the program's `retention_days`), and destroying it
//! when that runs out (`plab retention run`, and `plab serve` once a day).
//!
//! Closing is an explicit action of a sponsor of the program (or of the
//! operator at the machine). It cancels the sessions still planned, and from
//! then on the program takes no new private writes: every service that writes
//! one asks `refuse_if_closed` first. When the data is destroyed, the outcome
//! report as it stood is kept in its place, so the figures sponsors were shown
//! (counts and released averages) stay; the audit log records counts only.
use crate::accounts::Actor;
use crate::{AppError, Problem, access};
use plab_domain::Date;
use plab_domain::program::destroyed_on;
use plab_store::{ProgramId, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// What closing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Closed {
    pub program: i64,
    /// The same id, as `GET /api/v1/programs/{program}` names it.
    pub id: i64,
    pub name: String,
    /// Always `closed`.
    pub state: String,
    /// `YYYY-MM-DD`.
    pub closed_on: String,
    /// Sessions that were still planned and are now cancelled.
    pub cancelled_sessions: u64,
    /// The day the program's private data will be destroyed, `YYYY-MM-DD`.
    pub destroyed_on: String,
}

/// A sponsor of the program closes it today (`today`, the caller's clock).
pub async fn close_as_sponsor(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    today: Date,
) -> Result<Closed, AppError> {
    let me = access::sponsor_of_program(store, actor, program).await?;
    close(store, program, today, &me).await
}

/// The operator at the machine closes a program on `on` (`plab program close`).
pub async fn close_as_operator(store: &Store, program: ProgramId, on: Date, by: &str) -> Result<Closed, AppError> {
    close(store, program, on, by).await
}

async fn close(store: &Store, program: ProgramId, on: Date, by: &str) -> Result<Closed, AppError> {
    let stored = store.program(program).await?;
    let settings = stored.settings;
    let cancelled = store.close_program(program, on, by).await?;
    // The report as it stands at close is the one served from now on.
    let report = crate::report::build(store, program, time::OffsetDateTime::now_utc()).await?;
    let frozen = serde_json::to_string(&report).map_err(|e| AppError::Fault(e.to_string()))?;
    store.freeze_report(program, &frozen).await?;
    let detail = format!("closed on {on}; {cancelled} planned sessions cancelled");
    store.audit(by, "program.close", &format!("program {program}"), &detail).await?;
    Ok(Closed {
        program: program.0,
        id: program.0,
        name: stored.name,
        state: plab_domain::life::ProgramState::Closed.as_str().to_owned(),
        closed_on: on.to_string(),
        cancelled_sessions: cancelled,
        destroyed_on: destroyed_on(on, settings.retention_days).to_string(),
    })
}

/// Refuses a new private write (a note, a pulse, a check-in, a
/// self-assessment, an insight, a session change) in a closed program.
pub async fn refuse_if_closed(store: &Store, program: ProgramId) -> Result<(), AppError> {
    match store.closure(program).await?.closed_on {
        None => Ok(()),
        Some(on) => Err(AppError::Conflict(format!(
            "This program closed on {on}: what was written stays to read until it is destroyed, and nothing new is added."
        ))),
    }
}

/// `refuse_if_closed` for the program of a pair.
pub async fn refuse_if_pair_closed(store: &Store, pair: plab_domain::PairId) -> Result<(), AppError> {
    refuse_if_closed(store, store.pair(pair).await?.program).await
}

/// How long a program keeps its pairs' private data, as its participants read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// The program runs: kept until this many days after it closes.
    Running { days: u32 },
    /// Closed: destroyed on `destroyed_on`.
    Closed { closed_on: Date, destroyed_on: Date },
    /// Already destroyed.
    Destroyed { closed_on: Date, on: Date },
}

impl Keeping {
    /// One plain sentence for the pair's page and the participant's home.
    pub fn sentence(&self) -> String {
        match self {
            Keeping::Running { days } => {
                format!("Your pair's notes and answers are kept until {days} days after the program closes.")
            }
            Keeping::Closed { closed_on, destroyed_on } => format!(
                "This program closed on {closed_on}. Your pair's notes and answers will be destroyed on {destroyed_on}."
            ),
            Keeping::Destroyed { closed_on, on } => {
                format!("This program closed on {closed_on}. Your pair's notes and answers were destroyed on {on}.")
            }
        }
    }
}

impl Keeping {
    /// The same for the program's sponsors, about all its pairs.
    pub fn for_sponsors(&self) -> String {
        match self {
            Keeping::Running { days } => format!(
                "The program is running. Its pairs' notes and answers are kept until {days} days after it closes."
            ),
            Keeping::Closed { closed_on, destroyed_on } => format!(
                "The program closed on {closed_on}. Its pairs' notes and answers will be destroyed on {destroyed_on}; the report keeps its figures."
            ),
            Keeping::Destroyed { closed_on, on } => format!(
                "The program closed on {closed_on}. Its pairs' notes and answers were destroyed on {on}; the report shows the figures as they stood."
            ),
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self, Keeping::Running { .. })
    }
}

/// What a sponsor reads before closing the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingPreview {
    pub name: String,
    pub keeping: Keeping,
    /// Sessions still planned, which closing cancels.
    pub planned_sessions: i64,
    /// The day the data would be destroyed if the program closed today.
    pub destroyed_on: Date,
    pub retention_days: u32,
}

/// For the confirmation step: what closing the program today would do. Sponsors only.
pub async fn closing_preview(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    today: Date,
) -> Result<ClosingPreview, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let stored = store.program(program).await?;
    let days = stored.settings.retention_days;
    let counts = store.session_counts(program, time::OffsetDateTime::now_utc()).await?;
    Ok(ClosingPreview {
        name: stored.name,
        keeping: keeping(store, program).await?,
        planned_sessions: counts.planned,
        destroyed_on: destroyed_on(today, days),
        retention_days: days,
    })
}

/// Where the program is with its retention (no access check: callers have made theirs).
pub async fn keeping(store: &Store, program: ProgramId) -> Result<Keeping, AppError> {
    let days = store.program(program).await?.settings.retention_days;
    let closure = store.closure(program).await?;
    Ok(match (closure.closed_on, closure.purged_on) {
        (None, _) => Keeping::Running { days },
        (Some(closed_on), None) => Keeping::Closed { closed_on, destroyed_on: destroyed_on(closed_on, days) },
        (Some(closed_on), Some(on)) => Keeping::Destroyed { closed_on, on },
    })
}

/// What one program lost (or would lose, in a dry run), per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Destroyed {
    pub program: i64,
    pub destroyed: BTreeMap<String, i64>,
}

/// The audit actor of what runs by itself.
pub const ACTOR: &str = "retention";

/// Destroys the private data of every closed program whose retention has
/// run out on `as_of` (`closed_on + retention_days <= as_of`), one
/// transaction per program; `dry_run` only counts. A program already purged
/// is never touched again.
pub async fn run(store: &Store, as_of: Date, dry_run: bool) -> Result<Vec<Destroyed>, AppError> {
    let mut out = Vec::new();
    for (program, closed_on) in store.closed_unpurged().await? {
        let days = store.program(program).await?.settings.retention_days;
        if destroyed_on(closed_on, days) > as_of {
            continue;
        }
        let counts = if dry_run {
            store.private_counts(program).await?
        } else {
            // The report as it stands, kept in place of the data it is computed from.
            let report = crate::report::build(store, program, time::OffsetDateTime::now_utc()).await?;
            let kept = serde_json::to_string(&report).map_err(|e| AppError::Fault(e.to_string()))?;
            let Some(counts) = store.destroy_private(program, as_of, &kept).await? else { continue };
            let detail: Vec<String> = counts.iter().map(|(kind, n)| format!("{kind}: {n}")).collect();
            store.audit(ACTOR, "retention.destroy", &format!("program {program}"), &detail.join(", ")).await?;
            counts
        };
        out.push(Destroyed {
            program: program.0,
            destroyed: counts.into_iter().map(|(kind, n)| (kind.to_owned(), n)).collect(),
        });
    }
    if !dry_run && !out.is_empty() {
        store.checkpoint().await?;
    }
    Ok(out)
}

/// Parses `--as-of`: a day, `YYYY-MM-DD`.
pub fn parse_day(raw: &str, field: &str) -> Result<Date, AppError> {
    Date::parse(raw.trim())
        .map_err(|e| AppError::invalid(Problem::new(format!("'{raw}' is not a day: {e}; use YYYY-MM-DD")).field(field)))
}
