//! A leader's commitments (issue 23, item 6): made from the insight log or
//! the pair page, kept or dropped by the leader, shared with the mentor at
//! the leader's choice. Sponsors and the program office get counts only
//! (`counts`), never a text, a pair or a name.
use crate::accounts::Actor;
use crate::{AppError, Problem, access};
use plab_domain::commitment::{CommitmentId, CommitmentState, NewCommitment, RawCommitment, is_overdue};
use plab_domain::insight::InsightId;
use plab_domain::program::Role;
use plab_domain::session::format_instant;
use plab_domain::{Date, PairId};
use plab_store::{ProgramId, Store, StoredCommitment};
use serde::{Deserialize, Serialize};

/// A commitment as its leader (and, when shared, its mentor) reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CommitmentView {
    pub id: i64,
    pub pair: i64,
    pub text: String,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// `open`, `kept` or `dropped`.
    pub state: String,
    /// Open and past its day.
    pub overdue: bool,
    /// Whether the pair's mentor reads it.
    pub shared: bool,
    /// The entry of the insight log it came from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insight: Option<i64>,
    /// RFC 3339.
    pub created_at: String,
}

impl CommitmentView {
    pub fn state_label(&self) -> &'static str {
        CommitmentState::parse(&self.state).map_or("", CommitmentState::label)
    }

    pub fn is_open(&self) -> bool {
        self.state == CommitmentState::Open.as_str()
    }
}

fn view(c: &StoredCommitment, today: Date) -> CommitmentView {
    CommitmentView {
        id: c.id.0,
        pair: c.pair.0,
        text: c.text.clone(),
        due_on: c.due_on.to_string(),
        state: c.state.as_str().to_owned(),
        overdue: is_overdue(c.state, c.due_on, today),
        shared: c.shared,
        insight: c.insight.map(|i| i.0),
        created_at: format_instant(c.created_at),
    }
}

/// What the leader sends to make a commitment.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentInput {
    /// What the leader will try, at most 500 characters.
    pub text: String,
    /// `YYYY-MM-DD`, from today to a year ahead.
    pub due_on: String,
    /// The id of an entry of this pair's insight log it comes from; none by default.
    #[serde(default)]
    pub insight: Option<i64>,
    /// Whether the pair's mentor may read it; false by default.
    #[serde(default)]
    pub shared: bool,
}

/// What the leader changes: the state, the sharing, or both.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentChange {
    /// `open`, `kept` or `dropped`; unchanged when left out.
    #[serde(default)]
    pub state: Option<String>,
    /// Whether the pair's mentor may read it; unchanged when left out.
    #[serde(default)]
    pub shared: Option<bool>,
}

/// A pair's commitments as the caller may read them, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairCommitments {
    pub pair: i64,
    /// The leader (all of them, may change them) or the mentor (shared ones only).
    pub is_leader: bool,
    pub commitments: Vec<CommitmentView>,
}

/// The pair's partners: the leader reads every commitment, the mentor only
/// the shared ones; sponsors 403, anyone else 404.
pub async fn pair_commitments(store: &Store, actor: &Actor, pair: PairId) -> Result<PairCommitments, AppError> {
    let (_, role, _) = access::partner_of_pair(store, actor, pair).await?;
    let today = crate::sessions::today();
    let is_leader = role == Role::Leader;
    let commitments =
        store.commitments(pair).await?.iter().filter(|c| is_leader || c.shared).map(|c| view(c, today)).collect();
    Ok(PairCommitments { pair: pair.0, is_leader, commitments })
}

/// The pair's leader makes a commitment, from an entry of their log or not.
pub async fn add_commitment(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    input: &CommitmentInput,
) -> Result<CommitmentView, AppError> {
    let (p, me) = access::leader_of_pair(store, actor, pair).await?;
    crate::retention::refuse_if_closed(store, p.program).await?;
    let today = crate::sessions::today();
    let raw = RawCommitment { text: &input.text, due_on: &input.due_on, shared: input.shared };
    let parsed = NewCommitment::parse(&raw, today);
    let insight = match input.insight {
        None => None,
        Some(id) => match store.insight(InsightId(id)).await {
            Ok(i) if i.pair == pair => Some(i.id),
            _ => {
                let problem = Problem::new(format!("{id} is not an entry of this pair's insight log")).field("insight");
                let mut problems: Vec<Problem> = parsed.err().unwrap_or_default().into_iter().map(Into::into).collect();
                problems.push(problem);
                return Err(AppError::Invalid(problems));
            }
        },
    };
    let id = store.add_commitment(pair, p.program, &me, insight, &parsed?).await?;
    Ok(view(&store.commitment(id).await?, today))
}

/// The leader marks a commitment kept, dropped or open again, and shares it or not.
pub async fn change_commitment(
    store: &Store,
    actor: &Actor,
    id: CommitmentId,
    input: &CommitmentChange,
) -> Result<CommitmentView, AppError> {
    let (c, p) = access::leader_of_commitment(store, actor, id).await?;
    crate::retention::refuse_if_closed(store, p.program).await?;
    let state = match input.state.as_deref() {
        None => c.state,
        Some(s) => CommitmentState::parse(s).ok_or_else(|| {
            AppError::invalid(Problem::new(format!("'{}' is not open, kept or dropped", s.trim())).field("state"))
        })?,
    };
    store.set_commitment(id, state, input.shared.unwrap_or(c.shared)).await?;
    Ok(view(&store.commitment(id).await?, crate::sessions::today()))
}

/// A program's commitments as counts: all that sponsors and the program office see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CommitmentCounts {
    pub made: usize,
    pub open: usize,
    pub kept: usize,
    pub dropped: usize,
    /// Open and past their day.
    pub overdue: usize,
}

pub async fn counts(store: &Store, program: ProgramId, today: Date) -> Result<CommitmentCounts, AppError> {
    let mut out = CommitmentCounts::default();
    for (state, due_on) in store.commitment_states(program).await? {
        out.made += 1;
        match state {
            CommitmentState::Open => out.open += 1,
            CommitmentState::Kept => out.kept += 1,
            CommitmentState::Dropped => out.dropped += 1,
        }
        if is_overdue(state, due_on, today) {
            out.overdue += 1;
        }
    }
    Ok(out)
}
