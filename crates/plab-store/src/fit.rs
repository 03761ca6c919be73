//! The fit check's answers (migration 0034): one per partner and pair.
use crate::your_data::{
    Col::{Int, OptText, Text},
    Record, records,
};
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::PairId;
use plab_domain::fit::FitAnswer;
use plab_domain::program::Role;
use sqlx::Row;
use std::collections::BTreeSet;

/// One partner's own answer, as they read it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFit {
    pub answer: FitAnswer,
    pub comment: Option<String>,
    pub answered_at: String,
}

fn answer_of(raw: &str) -> Result<FitAnswer> {
    FitAnswer::parse(raw).map_err(|_| StoreError::Corrupt(format!("a fit answer '{raw}' is unknown")))
}

impl Store {
    /// Saves (or changes) a partner's answer for the pair.
    pub async fn save_fit_answer(
        &self,
        pair: PairId,
        employee_id: &str,
        role: Role,
        answer: FitAnswer,
        comment: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO fit_answers (pair_id, employee_id, role, answer, comment, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (pair_id, employee_id) DO UPDATE SET answer = excluded.answer, \
             comment = excluded.comment, answered_at = excluded.answered_at",
        )
        .bind(pair.0)
        .bind(employee_id)
        .bind(role.as_str())
        .bind(answer.as_str())
        .bind(comment)
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A partner's own answer for the pair, if they gave one.
    pub async fn own_fit_answer(&self, pair: PairId, employee_id: &str) -> Result<Option<StoredFit>> {
        let row =
            sqlx::query("SELECT answer, comment, answered_at FROM fit_answers WHERE pair_id = $1 AND employee_id = $2")
                .bind(pair.0)
                .bind(employee_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(StoredFit {
                answer: answer_of(&r.try_get::<String, _>("answer")?)?,
                comment: r.try_get("comment")?,
                answered_at: r.try_get("answered_at")?,
            })
        })
        .transpose()
    }

    /// The program's open pairs that need a conversation: a partner answered
    /// "not a fit". Only the pairs, never who answered or what else.
    pub async fn pairs_needing_fit_check(&self, program: ProgramId) -> Result<BTreeSet<PairId>> {
        let rows = sqlx::query(
            "SELECT DISTINCT p.id FROM pairs p JOIN fit_answers f ON f.pair_id = p.id \
             WHERE p.program_id = $1 AND p.status <> 'ended' AND f.answer = 'not_fit' ORDER BY p.id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(PairId(r.try_get("id")?))).collect()
    }

    /// The person's own fit answers, comments included.
    pub async fn export_fit_answers(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT pair_id, role, answer, comment, answered_at FROM fit_answers \
             WHERE employee_id = $1 ORDER BY pair_id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[("pair_id", Int), ("role", Text), ("answer", Text), ("comment", OptText), ("answered_at", Text)],
        )
    }
}
