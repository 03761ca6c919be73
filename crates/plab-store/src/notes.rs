//! A pair's lab in storage: its notes (only ciphertext: the key lives outside
//! the database) and its partners' acceptance of the lab rules.
use crate::{Result, Store, StoreError, now_rfc3339};
use plab_domain::PairId;
use plab_domain::pair::PairStatus;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A stored note, still encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedNote {
    pub id: i64,
    pub pair_id: PairId,
    pub author_id: String,
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
    pub created_at: time::OffsetDateTime,
}

/// A `notes` row with at least `id, pair_id, author_id, key_id, nonce, ciphertext, created_at`.
pub(crate) fn sealed_note(r: &AnyRow) -> Result<SealedNote> {
    Ok(SealedNote {
        id: r.try_get("id")?,
        pair_id: PairId(r.try_get("pair_id")?),
        author_id: r.try_get("author_id")?,
        key_id: r.try_get("key_id")?,
        nonce: r.try_get("nonce")?,
        ciphertext: r.try_get("ciphertext")?,
        created_at: crate::sql::instant(r, "created_at")?,
    })
}

impl Store {
    pub async fn add_note(
        &self,
        pair: PairId,
        author: &str,
        key_id: &str,
        nonce: &[u8],
        ciphertext: &[u8],
    ) -> Result<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO notes (pair_id, author_id, key_id, nonce, ciphertext, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(pair.0)
        .bind(author)
        .bind(key_id)
        .bind(nonce.to_vec())
        .bind(ciphertext.to_vec())
        .bind(now_rfc3339())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(id)
    }

    pub async fn notes(&self, pair: PairId) -> Result<Vec<SealedNote>> {
        let rows = sqlx::query("SELECT id, pair_id, author_id, key_id, nonce, ciphertext, created_at FROM notes WHERE pair_id = $1 AND kind = 'note' ORDER BY id")
            .bind(pair.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(sealed_note).collect()
    }

    /// The ids of the keys the stored notes and homework are sealed under, in
    /// order; empty while nothing is sealed yet.
    pub async fn note_key_ids(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT key_id FROM notes ORDER BY key_id").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(r.try_get("key_id")?)).collect()
    }

    /// Records that a partner accepted the lab rules; the pair becomes active
    /// once both have. Returns the pair's status afterwards.
    pub async fn accept_charter(&self, pair: PairId, employee_id: &str) -> Result<PairStatus> {
        let mut tx = self.pool.begin().await?;
        // A no-op update takes the pair's row lock on both backends, so two
        // partners accepting at once are serialised and the second one's count
        // sees the first one's acceptance.
        let row = sqlx::query("UPDATE pairs SET status = status WHERE id = $1 RETURNING leader_id, mentor_id, status")
            .bind(pair.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "pair", id: pair.to_string() })?;
        let (leader, mentor): (String, String) = (row.try_get("leader_id")?, row.try_get("mentor_id")?);
        let status = PairStatus::parse(&row.try_get::<String, _>("status")?)
            .ok_or_else(|| StoreError::Corrupt(format!("pair {pair} has an unknown status")))?;
        sqlx::query(
            "INSERT INTO charter_acceptances (pair_id, employee_id, accepted_at) VALUES ($1, $2, $3) \
             ON CONFLICT (pair_id, employee_id) DO NOTHING",
        )
        .bind(pair.0)
        .bind(employee_id)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        let accepted: Vec<String> =
            sqlx::query("SELECT employee_id FROM charter_acceptances WHERE pair_id = $1 AND employee_id IN ($2, $3)")
                .bind(pair.0)
                .bind(leader.as_str())
                .bind(mentor.as_str())
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get("employee_id"))
                .collect::<Result<_, _>>()?;
        // The rule is the domain's; the store persists its outcome.
        let after = status.after_acceptances(accepted.contains(&leader), accepted.contains(&mentor));
        if after != status {
            sqlx::query("UPDATE pairs SET status = $1 WHERE id = $2")
                .bind(after.as_str())
                .bind(pair.0)
                .execute(&mut *tx)
                .await?;
        }
        let status = after;
        tx.commit().await?;
        Ok(status)
    }

    /// Who of the pair has accepted the lab rules.
    pub async fn charter_accepted_by(&self, pair: PairId) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT employee_id FROM charter_acceptances WHERE pair_id = $1 ORDER BY employee_id")
            .bind(pair.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("employee_id")?)).collect()
    }
}
