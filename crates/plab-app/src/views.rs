//! How pairs and the people in them are shown: one lookup for everyone in a
//! list of pairs. Callers have authorized the actor (`access`).
use crate::{AppError, Problem};
use plab_store::{ListedPair, Pair, Partner, Store};
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
    /// For the program's sponsors only: `check` when the pair needs a
    /// conversation about its fit, else `clear` (never who answered what).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<String>,
}

impl From<Partner> for PersonRef {
    fn from(p: Partner) -> PersonRef {
        PersonRef { id: p.employee_id, name: p.name, email: p.email }
    }
}

impl From<ListedPair> for PairView {
    fn from(p: ListedPair) -> PairView {
        PairView {
            id: p.id.0,
            program: p.program.0,
            leader: p.leader.into(),
            mentor: p.mentor.into(),
            status: p.status.as_str().to_owned(),
            kind: p.kind,
            score: p.score,
            fit: None,
        }
    }
}

/// The most items one page of a list may ask for (`?limit=`).
pub const MAX_PAGE_LIMIT: u32 = 1000;

/// Which part of a list to show, in id order: the items with an id above
/// `after`, at most `limit` of them. Without either, the whole list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Page {
    after: Option<i64>,
    limit: Option<u32>,
}

impl Page {
    /// The whole list.
    pub const ALL: Page = Page { after: None, limit: None };

    /// A list route's `?limit=N&after=ID`: `limit` a whole number from 1 to
    /// [`MAX_PAGE_LIMIT`], `after` any id; each may be left out. Every
    /// parameter at fault is named.
    pub fn parse(limit: Option<&str>, after: Option<&str>) -> Result<Page, AppError> {
        let mut problems = Vec::new();
        let limit = limit.and_then(|raw| match raw.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE_LIMIT).contains(&n) => Some(n),
            _ => {
                problems.push(Problem::new(format!("use a whole number from 1 to {MAX_PAGE_LIMIT}")).field("limit"));
                None
            }
        });
        let after = after.and_then(|raw| match raw.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push(Problem::new("use the id of the last item of the previous page").field("after"));
                None
            }
        });
        if problems.is_empty() { Ok(Page { after, limit }) } else { Err(AppError::Invalid(problems)) }
    }

    pub fn after(self) -> Option<i64> {
        self.after
    }

    pub fn limit(self) -> Option<u32> {
        self.limit
    }
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
            id: p.id.0,
            program: p.program.0,
            leader: people[&p.pair.leader].clone(),
            mentor: people[&p.pair.mentor].clone(),
            status: p.status.as_str().to_owned(),
            kind: p.pair.kind.clone(),
            score: p.pair.score,
            fit: None,
        })
        .collect())
}

pub(crate) async fn view(store: &Store, p: &Pair) -> Result<PairView, AppError> {
    let mut one = views(store, &[p]).await?;
    one.pop().ok_or_else(|| AppError::NotFound { what: "pair", id: p.id.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Invalid(problems) => problems.into_iter().filter_map(|p| p.field).collect(),
            other => panic!("expected a user error, got {other:?}"),
        }
    }

    #[test]
    fn no_paging_parameters_is_the_whole_list() {
        assert_eq!(Page::parse(None, None).expect("ok"), Page::ALL);
    }

    #[test]
    fn a_page_takes_a_limit_up_to_the_maximum_and_any_id_after() {
        let page = Page::parse(Some("1000"), Some("-3")).expect("ok");
        assert_eq!((page.limit(), page.after()), (Some(MAX_PAGE_LIMIT), Some(-3)));
        assert_eq!(Page::parse(Some("1"), None).expect("ok").limit(), Some(1));
    }

    #[test]
    fn a_limit_of_zero_negative_too_large_or_not_a_number_names_limit() {
        for bad in ["0", "-1", "1001", "ten", "", "1.5", "99999999999"] {
            assert_eq!(fields(Page::parse(Some(bad), None).expect_err(bad)), ["limit"], "limit={bad}");
        }
    }

    #[test]
    fn a_bad_limit_and_a_bad_after_are_reported_together() {
        assert_eq!(fields(Page::parse(Some("0"), Some("x")).expect_err("bad")), ["limit", "after"]);
    }
}
