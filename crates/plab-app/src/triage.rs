//! Working through the pairs at risk: one row per signal of each pair, with
//! since when it shows, the pair's last held session and where the sponsors
//! are with it (new, contacted, resolved), sortable; the advice for each kind
//! of signal once. Only the program's sponsors see it or set a follow-up, and
//! it holds nothing the report does not: which signals a pair shows, never
//! whose answers raised them.
use crate::accounts::Actor;
use crate::report::Report;
use crate::{AppError, Problem, access};
use plab_domain::signals::SignalKind;
use plab_domain::triage::FollowUp;
use plab_domain::{Date, PairId, ProgramId};
use plab_store::Store;
use std::collections::HashMap;

/// What the table is sorted by (`?sort=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// The longest-standing signal first.
    #[default]
    Since,
    Signal,
    /// The pair whose last session lies furthest back first.
    LastSession,
    /// New, then contacted, then resolved.
    FollowUp,
    Pair,
}

impl SortBy {
    pub const ALL: [SortBy; 5] = [SortBy::Pair, SortBy::Signal, SortBy::Since, SortBy::LastSession, SortBy::FollowUp];

    /// Any other value sorts by the default, since when.
    pub fn parse(raw: Option<&str>) -> SortBy {
        SortBy::ALL.into_iter().find(|s| Some(s.as_str()) == raw).unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Since => "since",
            SortBy::Signal => "signal",
            SortBy::LastSession => "last_session",
            SortBy::FollowUp => "follow_up",
            SortBy::Pair => "pair",
        }
    }
}

/// One signal of one pair at risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageRow {
    pub pair: i64,
    pub leader: String,
    pub mentor: String,
    pub signal: SignalKind,
    /// Since when the signal shows without a break.
    pub since: Date,
    /// When the pair's last held session started, `None` before the first.
    pub last_held: Option<Date>,
    pub follow_up: FollowUp,
}

impl TriageRow {
    pub fn signal_label(&self) -> &'static str {
        signal_label(self.signal)
    }

    pub fn since_text(&self) -> String {
        plab_domain::session::human_date(self.since)
    }

    pub fn last_held_text(&self) -> String {
        self.last_held.map_or_else(|| "none held yet".to_owned(), plab_domain::session::human_date)
    }
}

/// A signal's name as a sponsor reads it.
pub fn signal_label(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::ExpertReflex => "Expert reflex",
        SignalKind::MentorApprehension => "Mentor apprehension",
        SignalKind::Unfocused => "Unfocused",
    }
}

/// The pairs at risk as the sponsor works through them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Triage {
    pub rows: Vec<TriageRow>,
    pub sort: SortBy,
    /// The advice for each kind of signal in the table, once: (name, what to do).
    pub advice: Vec<(&'static str, &'static str)>,
}

/// The program's pairs at risk from its report, sorted by `sort`, with the
/// sponsors' follow-ups.
pub async fn table(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    report: &Report,
    sort: SortBy,
) -> Result<Triage, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let pairs = store.listed_pairs(program, None, None, None, actor.seen).await?;
    let names: HashMap<i64, (&str, &str)> =
        pairs.iter().map(|p| (p.id.0, (p.leader.name.as_str(), p.mentor.name.as_str()))).collect();
    let recorded: HashMap<(i64, String), (FollowUp, Date)> =
        store.follow_ups(program).await?.into_iter().map(|f| ((f.pair.0, f.signal), (f.state, f.set_on))).collect();
    let mut rows = Vec::new();
    for risk in &report.at_risk {
        let (leader, mentor) = names.get(&risk.pair).copied().unwrap_or_default();
        let last_held =
            risk.last_held.as_deref().and_then(|t| plab_domain::session::parse_instant(t).ok()).map(Date::of_instant);
        for (i, name) in risk.signals.iter().enumerate() {
            let Some(signal) = SignalKind::from_name(name) else { continue };
            let since = risk.since.get(i).and_then(|d| Date::parse(d).ok()).unwrap_or_else(crate::sessions::today);
            let follow_up = FollowUp::current(recorded.get(&(risk.pair, name.clone())).copied(), since);
            rows.push(TriageRow {
                pair: risk.pair,
                leader: leader.to_owned(),
                mentor: mentor.to_owned(),
                signal,
                since,
                last_held,
                follow_up,
            });
        }
    }
    sort_rows(&mut rows, sort);
    let mut kinds: Vec<SignalKind> = rows.iter().map(|r| r.signal).collect();
    kinds.sort();
    kinds.dedup();
    let advice = kinds.into_iter().map(|k| (signal_label(k), k.adjustment())).collect();
    Ok(Triage { rows, sort, advice })
}

fn sort_rows(rows: &mut [TriageRow], sort: SortBy) {
    let pair = |r: &TriageRow| (r.leader.to_lowercase(), r.pair, r.signal);
    match sort {
        SortBy::Since => rows.sort_by_key(|r| (r.since, pair(r))),
        SortBy::Signal => rows.sort_by_key(|r| (r.signal, r.since, pair(r))),
        // Never held sorts first: it lies furthest back of all.
        SortBy::LastSession => rows.sort_by_key(|r| (r.last_held, pair(r))),
        SortBy::FollowUp => rows.sort_by_key(|r| (r.follow_up, r.since, pair(r))),
        SortBy::Pair => rows.sort_by_key(pair),
    }
}

/// The follow-up of each signal a pair shows now, for its sponsors' pair
/// page: (signal, state). The partners get `None`: it is the sponsors' work.
pub async fn of_pair(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    report: &Report,
) -> Result<Vec<(SignalKind, FollowUp)>, AppError> {
    let (p, _) = access::sponsor_of_pair(store, actor, pair).await?;
    let Some(risk) = report.at_risk.iter().find(|r| r.pair == pair.0) else { return Ok(Vec::new()) };
    let recorded = store.follow_ups(p.program).await?;
    Ok(risk
        .signals
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let kind = SignalKind::from_name(name)?;
            let since = risk.since.get(i).and_then(|d| Date::parse(d).ok()).unwrap_or_else(crate::sessions::today);
            let stored = recorded.iter().find(|f| f.pair == pair && f.signal == *name).map(|f| (f.state, f.set_on));
            Some((kind, FollowUp::current(stored, since)))
        })
        .collect())
}

/// A sponsor of the pair's program records where they are with one of its
/// signals; audited. Returns the pair's program, to go back to.
pub async fn set_follow_up(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    signal: &str,
    state: &str,
) -> Result<ProgramId, AppError> {
    let (p, _) = access::sponsor_of_pair(store, actor, pair).await?;
    let mut problems = Vec::new();
    let kind = SignalKind::from_name(signal.trim());
    if kind.is_none() {
        problems.push(Problem::new("choose one of the pair's signals").field("signal"));
    }
    let state = FollowUp::parse(state);
    if state.is_none() {
        problems.push(Problem::new("choose new, contacted or resolved").field("state"));
    }
    let (Some(kind), Some(state)) = (kind, state) else { return Err(AppError::Invalid(problems)) };
    store.set_follow_up(pair, kind.as_str(), state).await?;
    store
        .audit(&actor.email, "triage.follow_up", &format!("pair {pair}"), &format!("{kind}: {}", state.as_str()))
        .await?;
    Ok(p.program)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pair: i64, leader: &str, signal: SignalKind, since: &str, last: Option<&str>, f: FollowUp) -> TriageRow {
        TriageRow {
            pair,
            leader: leader.into(),
            mentor: "M".into(),
            signal,
            since: Date::parse(since).expect("date"),
            last_held: last.map(|d| Date::parse(d).expect("date")),
            follow_up: f,
        }
    }

    #[test]
    fn the_table_sorts_by_each_column() {
        let mut rows = vec![
            row(1, "Bea", SignalKind::Unfocused, "2026-11-01", Some("2026-10-20"), FollowUp::Resolved),
            row(2, "Ada", SignalKind::ExpertReflex, "2026-11-20", None, FollowUp::New),
            row(3, "Cem", SignalKind::MentorApprehension, "2026-10-01", Some("2026-11-25"), FollowUp::Contacted),
        ];
        let order = |rows: &[TriageRow]| rows.iter().map(|r| r.pair).collect::<Vec<_>>();
        sort_rows(&mut rows, SortBy::Since);
        assert_eq!(order(&rows), [3, 1, 2]);
        sort_rows(&mut rows, SortBy::LastSession);
        assert_eq!(order(&rows), [2, 1, 3], "never held first");
        sort_rows(&mut rows, SortBy::FollowUp);
        assert_eq!(order(&rows), [2, 3, 1]);
        sort_rows(&mut rows, SortBy::Pair);
        assert_eq!(order(&rows), [2, 1, 3]);
        sort_rows(&mut rows, SortBy::Signal);
        assert_eq!(order(&rows), [2, 3, 1]);
        assert_eq!(SortBy::parse(Some("nonsense")), SortBy::Since);
    }
}
