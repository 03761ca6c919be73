//! "Why you were paired" (issue 23): the engine's reasons for the actor's own
//! pair, in sentences written for them (`plab_domain::why`). Only the pair's
//! two partners; never a score, another candidate or a third person.
use crate::accounts::Actor;
use crate::{AppError, access};
use plab_domain::PairId;
use plab_store::Store;
use serde::Serialize;

/// The kind of pairing and the reasons, for one partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WhyPaired {
    /// The engine's kind: `topic`, `tension` (constructive tension) or
    /// `strategic` (strategic adjacency).
    pub kind: String,
    /// Sentences from the reader's own point of view, the kind first.
    pub reasons: Vec<String>,
}

/// Why the actor and their partner were paired.
pub async fn why(store: &Store, actor: &Actor, pair: PairId) -> Result<WhyPaired, AppError> {
    let (p, role, _) = access::partner_of_pair(store, actor, pair).await?;
    Ok(WhyPaired {
        kind: p.pair.kind.clone(),
        reasons: plab_domain::why::sentences(&p.pair.kind, &p.pair.reasons, role),
    })
}
