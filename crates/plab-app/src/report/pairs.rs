//! The report pair by pair, for HR's own spreadsheets: who is paired with
//! whom, in which departments, and how the pair's sessions are going. Only
//! facts a program's sponsors already see on their pages: names,
//! departments, the pair's status, counts of sessions, the last session
//! held, the cadence and how many signals the pair shows. Never a note,
//! homework, a pulse or check-in answer or anything computed from fewer
//! people than the group size other than the pair's own record.
use super::cadence_kept;
use crate::accounts::Actor;
use crate::{AppError, access, lab};
use plab_domain::session::SessionStatus;
use plab_domain::signals::signals_at;
use plab_domain::{Date, PairId, ProgramId};
use plab_store::{Scope, Store, StoredSession};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;

/// One partner as the per-pair export names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PartnerCell {
    pub name: String,
    pub department: String,
}

/// One pair of the program.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PairRow {
    pub pair: i64,
    pub leader: PartnerCell,
    pub mentor: PartnerCell,
    /// `forming`, `active` or `ended`.
    pub status: String,
    pub sessions_held: usize,
    pub sessions_cancelled: usize,
    /// Did not take place: a partner said so, or nobody said within a week.
    pub sessions_missed: usize,
    /// The day (UTC) of the pair's last held session; null before the first.
    pub last_session: Option<String>,
    /// The report's cadence kept, for this pair alone: of its sessions held
    /// or cancelled, the share held on time. Null before any.
    pub cadence_kept: Option<f64>,
    /// How many signals the pair shows now.
    pub signals: usize,
    /// `check` when the pair needs a conversation about its fit, else `clear`.
    pub fit: String,
}

/// Every pair of the program, for its sponsors, as of `now`.
pub async fn pair_rows(store: &Store, actor: &Actor, program: ProgramId) -> Result<Vec<PairRow>, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let stored = store.program(program).await?;
    let cadence = stored.settings.cadence_days;
    let pairs = lab::list_pairs(store, actor, program, lab::Page::ALL).await?;
    let departments: HashMap<i64, (String, String)> =
        store.pair_departments(program).await?.into_iter().map(|d| (d.pair.0, (d.leader, d.mentor))).collect();
    let sessions = store.program_sessions(program).await?;
    let measures = store.session_measures(Scope::Program(program)).await?;
    let pulses = store.program_pulse_answers(program).await?;
    let now = OffsetDateTime::now_utc();
    let evidence = crate::signals::evidence_by_pair(cadence, &sessions, &measures, &pulses, now);
    let mut by_pair: BTreeMap<i64, Vec<StoredSession>> = BTreeMap::new();
    for s in sessions {
        by_pair.entry(s.pair_id.0).or_default().push(s);
    }
    Ok(pairs
        .into_iter()
        .map(|p| {
            let own = by_pair.get(&p.id).map_or(&[][..], Vec::as_slice);
            let (leader_department, mentor_department) = departments.get(&p.id).cloned().unwrap_or_default();
            let held = || own.iter().filter(|s| s.status == SessionStatus::Held);
            PairRow {
                pair: p.id,
                leader: PartnerCell { name: p.leader.name, department: leader_department },
                mentor: PartnerCell { name: p.mentor.name, department: mentor_department },
                status: p.status,
                sessions_held: held().count(),
                sessions_cancelled: own.iter().filter(|s| s.status == SessionStatus::Cancelled).count(),
                sessions_missed: own.iter().filter(|s| s.status_at(now) == SessionStatus::Missed).count(),
                last_session: held().map(|s| s.starts_at).max().map(|t| Date::of_instant(t).to_string()),
                cadence_kept: cadence_kept(own, cadence, now),
                signals: evidence.get(&PairId(p.id)).map_or(0, |e| signals_at(e, now).len()),
                fit: p.fit.unwrap_or_else(|| "clear".to_owned()),
            }
        })
        .collect())
}

/// The pairs as CSV, one row each. Names and departments come from the
/// directory (a file or an identity provider anyone may have typed into),
/// so they pass through `csv_cell`; cadence is a percentage as the page
/// shows one.
pub fn pairs_csv(rows: &[PairRow]) -> String {
    use crate::csv_cell::neutralise;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut ok = out
        .write_record([
            "pair",
            "leader",
            "leader_department",
            "mentor",
            "mentor_department",
            "status",
            "sessions_held",
            "sessions_cancelled",
            "sessions_missed",
            "last_session",
            "cadence_kept",
            "signals",
        ])
        .is_ok();
    for r in rows {
        let cells = [
            r.pair.to_string(),
            neutralise(&r.leader.name).into_owned(),
            neutralise(&r.leader.department).into_owned(),
            neutralise(&r.mentor.name).into_owned(),
            neutralise(&r.mentor.department).into_owned(),
            r.status.clone(),
            r.sessions_held.to_string(),
            r.sessions_cancelled.to_string(),
            r.sessions_missed.to_string(),
            r.last_session.clone().unwrap_or_default(),
            super::figures::percent(r.cadence_kept, ""),
            r.signals.to_string(),
        ];
        ok &= out.write_record(&cells).is_ok();
    }
    debug_assert!(ok, "writing CSV into memory cannot fail");
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
