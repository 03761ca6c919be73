//! The measure step's signals (`plab_domain::signals`), gathered from what the
//! store recorded: sessions, their moves, homework, pulses and the timer's
//! segment times. A partner sees the signals meant for their role on their
//! pair, computed only from their own answers and the facts both partners
//! see (`disclosure::partner_evidence`), so that no signal decodes the other
//! partner's private answers; the program's sponsors see every signal, from
//! all the evidence, as a pair at risk.
use crate::accounts::Actor;
use crate::{AppError, access};
use plab_domain::PairId;
use plab_domain::program::Role;
use plab_domain::session::{Pulse, SessionStatus};
use plab_domain::signals::{PairEvidence, SegmentMinutes, SessionEvidence, Signal, signals_at};
use plab_store::{PulseAnswer, Scope, SessionMeasures, Store, StoredSession};
use std::collections::{BTreeMap, HashMap, HashSet};
use time::OffsetDateTime;

/// The signals of one pair that the actor may see: the leader's and the
/// mentor's for their role, all of them for the program's sponsors.
pub async fn for_pair(store: &Store, actor: &Actor, pair: PairId) -> Result<Vec<Signal>, AppError> {
    let (p, access) = access::pair(store, actor, pair).await?;
    let role = match access {
        access::PairAccess::Partner(role) => role,
        access::PairAccess::Sponsor => Role::Sponsor,
    };
    let cadence = store.program(p.program).await?.settings.cadence_days;
    let sessions = store.sessions(pair).await?;
    let measures = store.session_measures(Scope::Pair(pair)).await?;
    let pulses = store.pair_pulse_answers(pair).await?;
    let now = OffsetDateTime::now_utc();
    let Some(evidence) = evidence_by_pair(cadence, &sessions, &measures, &pulses, now).remove(&pair) else {
        return Ok(Vec::new());
    };
    let evidence = crate::disclosure::partner_evidence(evidence, role);
    let signals = signals_at(&evidence, now);
    Ok(signals.into_iter().filter(|s| s.is_shown_to(role)).collect())
}

/// Each pair's evidence, from a program's (or one pair's) records, with each
/// session's status as of `now` (a session nobody answered for a week is missed).
pub(crate) fn evidence_by_pair(
    cadence_days: u32,
    sessions: &[StoredSession],
    measures: &SessionMeasures,
    pulses: &[PulseAnswer],
    now: OffsetDateTime,
) -> BTreeMap<PairId, PairEvidence> {
    let homework: HashSet<_> = measures.homework.iter().copied().collect();
    let moved: HashMap<_, _> = measures.reschedules.iter().copied().collect();
    let mut recorded: HashMap<_, Vec<SegmentMinutes>> = HashMap::new();
    for t in &measures.segments {
        recorded.entry(t.session).or_default().push(SegmentMinutes { segment: t.segment.clone(), minutes: t.minutes });
    }
    let mut answers: HashMap<_, [BTreeMap<String, i64>; 2]> = HashMap::new();
    for a in pulses {
        let slot = usize::from(a.role == Role::Mentor);
        answers.entry(a.session).or_default()[slot].insert(a.item.clone(), i64::from(a.value));
    }
    let pulse = |session, role: Role| {
        let slot = usize::from(role == Role::Mentor);
        answers.get(&session).and_then(|a| Pulse::parse(role, &a[slot]).ok())
    };
    let mut out: BTreeMap<PairId, PairEvidence> = BTreeMap::new();
    // The previous held session of the same pair, to read whether its homework was done.
    let mut last_held: HashMap<PairId, &StoredSession> = HashMap::new();
    let mut ordered: Vec<&StoredSession> = sessions.iter().collect();
    ordered.sort_by_key(|s| (s.pair_id, s.seq));
    for s in ordered {
        let previous_homework_done = last_held.get(&s.pair_id).is_some_and(|p| p.homework_done);
        let evidence = SessionEvidence {
            sequence: u32::try_from(s.seq).unwrap_or(u32::MAX),
            status: s.status_at(now),
            starts_at: s.starts_at,
            reschedules: moved.get(&s.id).copied().unwrap_or(0),
            planned_minutes: u32::try_from(s.minutes).unwrap_or(60),
            homework_set: homework.contains(&s.id),
            previous_homework_done,
            leader_pulse: pulse(s.id, Role::Leader),
            mentor_pulse: pulse(s.id, Role::Mentor),
            recorded: recorded.remove(&s.id).unwrap_or_default(),
        };
        if s.status == SessionStatus::Held {
            last_held.insert(s.pair_id, s);
        }
        out.entry(s.pair_id)
            .or_insert_with(|| PairEvidence { cadence_days, sessions: Vec::new() })
            .sessions
            .push(evidence);
    }
    out
}
