//! Re-encrypting every note under a new key, in one transaction. Only the
//! columns encryption needs are read and written, so columns other features add
//! to `notes` are left as they are.
use crate::notes::sealed_note;
use crate::{Result, SealedNote, Store, StoreError};

/// The outcome of a re-encryption run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resealed {
    pub resealed: u64,
    /// Rows already under the new key.
    pub skipped: u64,
}

/// Rows are read in batches so that memory stays flat however many notes there are.
const BATCH: i64 = 500;

impl Store {
    /// Gives every note not yet under `new_key_id` to `reseal`, which returns its
    /// new nonce and ciphertext, and every outbox message still waiting to
    /// `reseal_mail` (its dedupe key, nonce and sealed bytes; sent messages
    /// keep no content). The first error rolls the whole run back: either
    /// every row moves to the new key or none does.
    pub async fn reseal_notes<E: From<StoreError>>(
        &self,
        new_key_id: &str,
        mut reseal: impl FnMut(&SealedNote) -> std::result::Result<(Vec<u8>, Vec<u8>), E>,
        mut reseal_mail: impl FnMut(&str, &[u8], &[u8]) -> std::result::Result<(Vec<u8>, Vec<u8>), E>,
    ) -> std::result::Result<Resealed, E> {
        let mut tx = self.pool.begin().await.map_err(StoreError::from)?;
        let mut outcome = Resealed::default();
        let mut after = i64::MIN;
        loop {
            let batch = notes_after(&mut tx, after).await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for note in &batch {
                if note.key_id == new_key_id {
                    outcome.skipped += 1;
                    continue;
                }
                let (nonce, ciphertext) = reseal(note)?;
                sqlx::query("UPDATE notes SET key_id = $1, nonce = $2, ciphertext = $3 WHERE id = $4")
                    .bind(new_key_id)
                    .bind(nonce)
                    .bind(ciphertext)
                    .bind(note.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::from)?;
                outcome.resealed += 1;
            }
        }
        let waiting = sqlx::query(
            "SELECT id, dedupe_key, nonce, sealed FROM outbox WHERE status IN ('pending', 'sending') AND key_id <> $1",
        )
        .bind(new_key_id)
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        for r in waiting {
            use sqlx::Row;
            let read = |e: sqlx::Error| StoreError::from(e);
            let id: i64 = r.try_get("id").map_err(read)?;
            let key: String = r.try_get("dedupe_key").map_err(read)?;
            let (nonce, sealed): (Vec<u8>, Vec<u8>) =
                (r.try_get("nonce").map_err(read)?, r.try_get("sealed").map_err(read)?);
            let (nonce, sealed) = reseal_mail(&key, &nonce, &sealed)?;
            sqlx::query("UPDATE outbox SET key_id = $1, nonce = $2, sealed = $3 WHERE id = $4")
                .bind(new_key_id)
                .bind(nonce)
                .bind(sealed)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(outcome)
    }
}

async fn notes_after(tx: &mut sqlx::Transaction<'_, sqlx::Any>, after: i64) -> Result<Vec<SealedNote>> {
    let rows = sqlx::query(
        "SELECT id, pair_id, author_id, key_id, nonce, ciphertext, created_at FROM notes WHERE id > $1 ORDER BY id LIMIT $2",
    )
    .bind(after)
    .bind(BATCH)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(sealed_note).collect()
}
