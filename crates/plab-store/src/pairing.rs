//! Pairing: the sponsor's pins and forbids, the engine's stored proposals, and
//! the approved pairs they become.
use crate::{ProgramId, Result, Revision, Store, StoreError, now_rfc3339};
use plab_domain::PairId;
use plab_domain::pair::{PairStatus, ProposalStatus};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairRule {
    Pin,
    Forbid,
}

impl PairRule {
    fn as_str(self) -> &'static str {
        match self {
            PairRule::Pin => "pin",
            PairRule::Forbid => "forbid",
        }
    }
}

/// One pair as stored in a proposal or as an approved pair.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPair {
    pub leader: String,
    pub mentor: String,
    pub score: f64,
    pub kind: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub id: i64,
    pub program: ProgramId,
    pub status: ProposalStatus,
    /// The engine's parameters and inputs summary, as JSON.
    pub parameters: String,
    pub total_score: f64,
    pub solve_ms: f64,
    pub unmatched: Vec<String>,
    /// Why each of `unmatched` got no mentor, in the same order (empty for
    /// proposals stored before the engine gave reasons).
    pub unmatched_reasons: Vec<String>,
    pub created_at: OffsetDateTime,
    pub pairs: Vec<StoredPair>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub id: PairId,
    pub program: ProgramId,
    pub status: PairStatus,
    pub pair: StoredPair,
    pub created_at: OffsetDateTime,
    /// The day (`YYYY-MM-DD`) the sponsor ended the pair, and why.
    pub ended: Option<(String, String)>,
}

impl Pair {
    /// Neither ended nor waiting to be: forming or active.
    pub fn is_open(&self) -> bool {
        self.status != PairStatus::Ended
    }
}

/// A pair as lists show it: both partners' names and e-mails joined in, the
/// engine's reasons left out.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedPair {
    pub id: PairId,
    pub program: ProgramId,
    pub status: PairStatus,
    pub kind: String,
    pub score: f64,
    pub leader: Partner,
    pub mentor: Partner,
}

/// One partner of a listed pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub employee_id: String,
    pub name: String,
    pub email: String,
}

/// A proposal about to be stored.
pub struct NewProposal<'a> {
    pub parameters: &'a str,
    pub total_score: f64,
    pub solve_ms: f64,
    pub unmatched: &'a [String],
    /// Why each of `unmatched` got no mentor, in the same order.
    pub unmatched_reasons: &'a [String],
    pub pairs: &'a [StoredPair],
}

fn encode(reasons: &[String]) -> String {
    serde_json::to_string(reasons).unwrap_or_else(|_| "[]".to_owned())
}

fn decode(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("reasons: {e}")))
}

impl Store {
    /// Pins or forbids a pair, replacing any earlier rule on it.
    pub async fn set_pair_rule(&self, program: ProgramId, leader: &str, mentor: &str, rule: PairRule) -> Result<()> {
        sqlx::query(
            "INSERT INTO pair_rules (program_id, leader_id, mentor_id, rule, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (program_id, leader_id, mentor_id) DO UPDATE SET rule = excluded.rule, created_at = excluded.created_at",
        )
        .bind(program.0)
        .bind(leader)
        .bind(mentor)
        .bind(rule.as_str())
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn clear_pair_rule(&self, program: ProgramId, leader: &str, mentor: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM pair_rules WHERE program_id = $1 AND leader_id = $2 AND mentor_id = $3")
            .bind(program.0)
            .bind(leader)
            .bind(mentor)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "pin or forbid", id: format!("{leader} + {mentor}") });
        }
        Ok(())
    }

    /// Every pin and forbid of the program, oldest first.
    pub async fn all_pair_rules(&self, program: ProgramId) -> Result<Vec<(String, String, PairRule)>> {
        let rows = sqlx::query(
            "SELECT leader_id, mentor_id, rule FROM pair_rules WHERE program_id = $1 ORDER BY created_at, leader_id, mentor_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let rule = match r.try_get::<String, _>("rule")?.as_str() {
                    "pin" => PairRule::Pin,
                    "forbid" => PairRule::Forbid,
                    other => return Err(StoreError::Corrupt(format!("a pairing rule is '{other}'"))),
                };
                Ok((r.try_get("leader_id")?, r.try_get("mentor_id")?, rule))
            })
            .collect()
    }

    /// Ends a pair that has not ended: records the day and the reason, and
    /// cancels its planned sessions (with the calendar messages in
    /// `outgoing`, in the same transaction). False when it had ended already.
    pub async fn end_pair(
        &self,
        pair: PairId,
        ended_on: &str,
        reason: &str,
        outgoing: &[crate::Outgoing],
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        if !end_pair_in(&mut tx, pair, ended_on, reason).await? {
            return Ok(false);
        }
        crate::outbox::enqueue_in(&mut tx, outgoing).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The program's proposal made just before `before`, if any.
    pub async fn proposal_before(&self, program: ProgramId, before: i64) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT MAX(id) AS previous_id FROM proposals WHERE program_id = $1 AND id < $2")
            .bind(program.0)
            .bind(before)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>("previous_id")?)
    }

    pub async fn pair_rules(&self, program: ProgramId, rule: PairRule) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT leader_id, mentor_id FROM pair_rules WHERE program_id = $1 AND rule = $2 ORDER BY leader_id, mentor_id")
            .bind(program.0)
            .bind(rule.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("leader_id")?, r.try_get("mentor_id")?))).collect()
    }

    /// Leader-mentor pairs of every other program: never proposed again.
    pub async fn pairs_elsewhere(&self, program: ProgramId) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT DISTINCT leader_id, mentor_id FROM pairs WHERE program_id <> $1")
            .bind(program.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("leader_id")?, r.try_get("mentor_id")?))).collect()
    }

    /// Stores a proposal; earlier open proposals of the program are superseded.
    pub async fn add_proposal(&self, program: ProgramId, p: &NewProposal<'_>) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE proposals SET status = 'superseded' WHERE program_id = $1 AND status = 'proposed'")
            .bind(program.0)
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query(
            "INSERT INTO proposals (program_id, status, parameters, total_score, solve_ms, unmatched, unmatched_reasons, created_at) \
             VALUES ($1, 'proposed', $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(program.0)
        .bind(p.parameters)
        .bind(p.total_score)
        .bind(p.solve_ms)
        .bind(encode(p.unmatched))
        .bind(encode(p.unmatched_reasons))
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for pair in p.pairs {
            sqlx::query(
                "INSERT INTO proposal_pairs (proposal_id, leader_id, mentor_id, score, kind, reasons) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(pair.leader.as_str())
            .bind(pair.mentor.as_str())
            .bind(pair.score)
            .bind(pair.kind.as_str())
            .bind(encode(&pair.reasons))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn proposal(&self, program: ProgramId, id: i64) -> Result<Proposal> {
        let row = sqlx::query(
            "SELECT status, parameters, total_score, solve_ms, unmatched, unmatched_reasons, created_at FROM proposals \
             WHERE program_id = $1 AND id = $2",
        )
        .bind(program.0)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: "proposal", id: id.to_string() })?;
        let pairs = sqlx::query("SELECT leader_id, mentor_id, score, kind, reasons FROM proposal_pairs WHERE proposal_id = $1 ORDER BY leader_id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(Proposal {
            id,
            program,
            status: ProposalStatus::parse(&row.try_get::<String, _>("status")?)
                .ok_or_else(|| StoreError::Corrupt(format!("proposal {id} has an unknown status")))?,
            parameters: row.try_get("parameters")?,
            total_score: row.try_get("total_score")?,
            solve_ms: row.try_get("solve_ms")?,
            unmatched: decode(&row.try_get::<String, _>("unmatched")?)?,
            unmatched_reasons: decode(&row.try_get::<String, _>("unmatched_reasons")?)?,
            created_at: crate::sql::instant(&row, "created_at")?,
            pairs: pairs.iter().map(stored_pair).collect::<Result<_>>()?,
        })
    }

    /// The newest proposal of the program, if any.
    pub async fn latest_proposal_id(&self, program: ProgramId) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT MAX(id) AS latest_id FROM proposals WHERE program_id = $1")
            .bind(program.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>("latest_id")?)
    }

    /// Turns an open proposal into the program's pairs (status `forming`), all or nothing.
    pub async fn approve_proposal(&self, program: ProgramId, id: i64) -> Result<usize> {
        self.approve_proposal_pairs(program, id, None).await
    }

    /// Approves the proposal with only the pairs of these leaders (all of
    /// them with `None`); the others are left for a later run.
    pub async fn approve_proposal_pairs(&self, program: ProgramId, id: i64, only: Option<&[String]>) -> Result<usize> {
        let mut proposal = self.proposal(program, id).await?;
        if let Some(only) = only {
            proposal.pairs.retain(|p| only.contains(&p.leader));
        }
        if !proposal.status.is_open() {
            return Err(StoreError::Conflict(format!("proposal {id} is {}, not open for approval", proposal.status)));
        }
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query("UPDATE proposals SET status = 'approved' WHERE id = $1 AND status = 'proposed'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("proposal {id} was approved or superseded meanwhile")));
        }
        let now = now_rfc3339();
        for p in &proposal.pairs {
            sqlx::query(
                "INSERT INTO pairs (program_id, leader_id, mentor_id, status, kind, score, reasons, proposal_id, created_at) \
                 VALUES ($1, $2, $3, 'forming', $4, $5, $6, $7, $8)",
            )
            .bind(program.0)
            .bind(p.leader.as_str())
            .bind(p.mentor.as_str())
            .bind(p.kind.as_str())
            .bind(p.score)
            .bind(encode(&p.reasons))
            .bind(id)
            .bind(now.as_str())
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_unique_violation() => {
                    StoreError::Conflict(format!("leader '{}' already has a pair in this program", p.leader))
                }
                _ => StoreError::Database(e),
            })?;
        }
        tx.commit().await?;
        Ok(proposal.pairs.len())
    }

    pub async fn pair(&self, id: PairId) -> Result<Pair> {
        let r = sqlx::query(concat!("SELECT ", pair_columns!(), " FROM pairs WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "pair", id: id.to_string() })?;
        pair_from_row(&r)
    }

    pub async fn pairs(&self, program: ProgramId) -> Result<Vec<Pair>> {
        let rows = sqlx::query(concat!("SELECT ", pair_columns!(), " FROM pairs WHERE program_id = $1 ORDER BY id"))
            .bind(program.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(pair_from_row).collect()
    }

    /// Every pair a person is a partner in, in any program.
    pub async fn pairs_of_person(&self, employee_id: &str) -> Result<Vec<Pair>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            pair_columns!(),
            " FROM pairs WHERE leader_id = $1 OR mentor_id = $1 ORDER BY id"
        ))
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(pair_from_row).collect()
    }

    /// Up to `limit` of the program's pairs with an id above `after`, in id
    /// order, with both partners joined in. `partner` keeps only the pairs
    /// that person is the leader or mentor of. A request that read revision
    /// `at` is served from the program's whole list kept in memory (read in
    /// one query the first time); without one, one query reads just the page.
    pub async fn listed_pairs(
        &self,
        program: ProgramId,
        partner: Option<&str>,
        after: Option<i64>,
        limit: Option<u32>,
        at: Option<Revision>,
    ) -> Result<Vec<ListedPair>> {
        let Some(at) = at else { return self.listed_pairs_now(program, partner, after, limit).await };
        let all = match self.cache.pairs(at, program.0) {
            Some(all) => all,
            None => {
                let all: Arc<[ListedPair]> = self.listed_pairs_now(program, None, None, None).await?.into();
                self.cache.keep_pairs(at, program.0, Arc::clone(&all));
                all
            }
        };
        let after = after.unwrap_or(i64::MIN);
        let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
        Ok(all
            .iter()
            .filter(|p| {
                p.id.0 > after && partner.is_none_or(|me| p.leader.employee_id == me || p.mentor.employee_id == me)
            })
            .take(limit)
            .cloned()
            .collect())
    }

    async fn listed_pairs_now(
        &self,
        program: ProgramId,
        partner: Option<&str>,
        after: Option<i64>,
        limit: Option<u32>,
    ) -> Result<Vec<ListedPair>> {
        let query = match partner {
            None => sqlx::query(concat!(listed_pairs_sql!(), " ORDER BY p.id LIMIT $3")),
            Some(_) => sqlx::query(concat!(
                listed_pairs_sql!(),
                " AND (p.leader_id = $4 OR p.mentor_id = $4) ORDER BY p.id LIMIT $3"
            )),
        };
        let mut query = query.bind(program.0).bind(after.unwrap_or(i64::MIN)).bind(limit.map_or(i64::MAX, i64::from));
        if let Some(person) = partner {
            query = query.bind(person);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(listed_pair_from_row).collect()
    }
}

/// A program's pairs after an id, joined with both partners; `listed_pair_from_row` reads it.
macro_rules! listed_pairs_sql {
    () => {
        "SELECT p.id, p.program_id, p.status, p.kind, p.score, \
         p.leader_id, l.name AS leader_name, l.email AS leader_email, \
         p.mentor_id, m.name AS mentor_name, m.email AS mentor_email \
         FROM pairs p JOIN people l ON l.employee_id = p.leader_id JOIN people m ON m.employee_id = p.mentor_id \
         WHERE p.program_id = $1 AND p.id > $2"
    };
}
use listed_pairs_sql;

fn listed_pair_from_row(r: &AnyRow) -> Result<ListedPair> {
    let partner = |id: &str, name: &str, email: &str| -> Result<Partner> {
        Ok(Partner { employee_id: r.try_get(id)?, name: r.try_get(name)?, email: r.try_get(email)? })
    };
    Ok(ListedPair {
        id: PairId(r.try_get("id")?),
        program: ProgramId(r.try_get("program_id")?),
        status: PairStatus::parse(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| StoreError::Corrupt("a pair's status is unknown".into()))?,
        kind: r.try_get("kind")?,
        score: r.try_get("score")?,
        leader: partner("leader_id", "leader_name", "leader_email")?,
        mentor: partner("mentor_id", "mentor_name", "mentor_email")?,
    })
}

/// The `pairs` columns `pair_from_row` reads.
macro_rules! pair_columns {
    () => {
        "id, program_id, status, created_at, leader_id, mentor_id, score, kind, reasons, ended_on, end_reason"
    };
}
use pair_columns;

fn pair_from_row(r: &AnyRow) -> Result<Pair> {
    Ok(Pair {
        id: PairId(r.try_get("id")?),
        program: ProgramId(r.try_get("program_id")?),
        status: PairStatus::parse(&r.try_get::<String, _>("status")?)
            .ok_or_else(|| StoreError::Corrupt("a pair's status is unknown".into()))?,
        pair: stored_pair(r)?,
        created_at: crate::sql::instant(r, "created_at")?,
        ended: match (r.try_get::<Option<String>, _>("ended_on")?, r.try_get::<Option<String>, _>("end_reason")?) {
            (Some(on), reason) => Some((on, reason.unwrap_or_default())),
            (None, _) => None,
        },
    })
}

/// A `pairs` or `proposal_pairs` row: both name these columns alike.
fn stored_pair(r: &AnyRow) -> Result<StoredPair> {
    Ok(StoredPair {
        leader: r.try_get("leader_id")?,
        mentor: r.try_get("mentor_id")?,
        score: r.try_get("score")?,
        kind: r.try_get("kind")?,
        reasons: decode(&r.try_get::<String, _>("reasons")?)?,
    })
}

/// Ends an open pair inside the caller's transaction (its planned sessions
/// cancelled); false when it had ended already.
pub(crate) async fn end_pair_in(
    tx: &mut sqlx::AnyConnection,
    pair: PairId,
    ended_on: &str,
    reason: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pairs SET status = 'ended', ended_on = $2, end_reason = $3 WHERE id = $1 AND status <> 'ended'",
    )
    .bind(pair.0)
    .bind(ended_on)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE sessions SET status = 'cancelled', updated_at = $2, sequence = sequence + 1 \
         WHERE pair_id = $1 AND status = 'planned'",
    )
    .bind(pair.0)
    .bind(now_rfc3339())
    .execute(&mut *tx)
    .await?;
    Ok(true)
}
