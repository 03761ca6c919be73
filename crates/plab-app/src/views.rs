//! How pairs and the people in them are shown: one lookup for everyone in a
//! list of pairs. Callers have authorized the actor (`access`).
use crate::AppError;
use plab_store::{Pair, Store};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PairView {
    pub id: i64,
    pub program: i64,
    pub leader: PersonRef,
    pub mentor: PersonRef,
    /// `forming` until both partners accept the lab rules, then `active`.
    pub status: String,
    pub kind: String,
    pub score: f64,
}

/// The people behind these ids, looked up at once.
pub(crate) async fn person_refs(store: &Store, ids: &[&str]) -> Result<HashMap<String, PersonRef>, AppError> {
    let found = store.names_and_emails(ids).await?;
    ids.iter()
        .map(|id| {
            let (name, email) =
                found.get(*id).cloned().ok_or_else(|| AppError::NotFound { what: "person", id: (*id).to_owned() })?;
            Ok(((*id).to_owned(), PersonRef { id: (*id).to_owned(), name, email }))
        })
        .collect()
}

/// The views of these pairs, with one lookup for everyone in them.
pub(crate) async fn views(store: &Store, pairs: &[&Pair]) -> Result<Vec<PairView>, AppError> {
    let ids: Vec<&str> = pairs.iter().flat_map(|p| [p.pair.leader.as_str(), p.pair.mentor.as_str()]).collect();
    let people = person_refs(store, &ids).await?;
    Ok(pairs
        .iter()
        .map(|p| PairView {
            id: p.id,
            program: p.program.0,
            leader: people[&p.pair.leader].clone(),
            mentor: people[&p.pair.mentor].clone(),
            status: p.status.clone(),
            kind: p.pair.kind.clone(),
            score: p.pair.score,
        })
        .collect())
}

pub(crate) async fn view(store: &Store, p: &Pair) -> Result<PairView, AppError> {
    let mut one = views(store, &[p]).await?;
    one.pop().ok_or_else(|| AppError::NotFound { what: "pair", id: p.id.to_string() })
}
