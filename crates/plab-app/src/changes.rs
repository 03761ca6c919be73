//! The leader's priorities: who moved or cancelled each session, the
//! sponsor's count of pairs where one partner changes sessions far more than
//! the other (`plab_domain::asymmetry`), and the nudge, without blame, to
//! the partner who can act. Counts only: never a note or a reason.
use crate::AppError;
use crate::accounts::Actor;
use plab_domain::ProgramId;
use plab_domain::asymmetry::{ChangeCounts, MIN_CHANGES, Side, TIMES_THE_OTHER};
use plab_domain::program::Role;
use plab_store::{Pair, Store};
use serde::{Deserialize, Serialize};

/// A session change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Moved,
    Cancelled,
}

/// Records who made a change to a session of `pair`: the partner's role,
/// or `sponsor` for anyone else (never counted for either partner).
pub(crate) async fn record(
    store: &Store,
    pair: &Pair,
    session: plab_domain::SessionId,
    actor: &Actor,
    change: Change,
) -> Result<(), AppError> {
    let me = actor.employee_id.clone().unwrap_or_else(|| actor.email.clone());
    let role = if me == pair.pair.leader {
        "leader"
    } else if me == pair.pair.mentor {
        "mentor"
    } else {
        "sponsor"
    };
    let change = match change {
        Change::Moved => "moved",
        Change::Cancelled => "cancelled",
    };
    store.record_session_change(session, pair.id, &me, role, change).await?;
    Ok(())
}

/// What the sponsor's report says about who moves and cancels sessions:
/// how many pairs have a leader (or a mentor) who changes sessions far more
/// than their partner. Both are null while the program has fewer pairs than
/// its minimum group size, so that no one pair can be singled out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChangeAsymmetry {
    pub leader_far_more: Option<usize>,
    pub mentor_far_more: Option<usize>,
    /// The rule: at least `min_changes` changes, and at least `times_the_other` times the partner's.
    pub min_changes: u32,
    pub times_the_other: u32,
}

/// The program's figure, from each pair's counts; `pairs` open pairs now.
pub(crate) async fn for_report(
    store: &Store,
    program: ProgramId,
    pairs: usize,
    min_group_size: u32,
) -> Result<ChangeAsymmetry, AppError> {
    let mut out =
        ChangeAsymmetry { min_changes: MIN_CHANGES, times_the_other: TIMES_THE_OTHER, ..ChangeAsymmetry::default() };
    if pairs < usize::try_from(min_group_size).unwrap_or(usize::MAX) {
        return Ok(out);
    }
    let counts = store.session_change_counts(program).await?;
    let sides: Vec<Side> = counts.values().filter_map(|c| c.lopsided()).collect();
    out.leader_far_more = Some(sides.iter().filter(|s| **s == Side::Leader).count());
    out.mentor_far_more = Some(sides.iter().filter(|s| **s == Side::Mentor).count());
    Ok(out)
}

/// The nudge for the partner `role` of `pair`, when they are the one who
/// moves or cancels far more; nothing for the other partner.
pub async fn nudge(store: &Store, pair: &Pair, role: Role) -> Result<Option<String>, AppError> {
    let side = match role {
        Role::Leader => Side::Leader,
        Role::Mentor => Side::Mentor,
        Role::Sponsor => return Ok(None),
    };
    let counts: ChangeCounts = store.pair_change_counts(pair.id).await?;
    Ok(counts.nudge_for(side))
}

/// The pair page's nudge for the signed-in partner; nothing for anyone else.
pub async fn nudge_for_pair(store: &Store, actor: &Actor, id: plab_domain::PairId) -> Result<Option<String>, AppError> {
    match crate::access::partner_of_pair(store, actor, id).await {
        Ok((pair, role, _)) => nudge(store, &pair, role).await,
        Err(AppError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
