//! Rotating the notes key: every note is opened with the old key and sealed
//! again with the new one, all in one transaction. Rows already under the new
//! key are left alone, so running it twice is harmless; a note the old key
//! cannot open stops the run before anything is written.
use crate::vault::Vault;
use crate::{AppError, Problem};
use plab_store::Store;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rekeyed {
    /// Notes moved from the old key to the new one.
    pub resealed: u64,
    /// Notes that were already under the new key.
    pub skipped: u64,
    /// The new key's id (a digest that names the key without revealing it).
    pub key_id: String,
}

pub async fn rekey_notes(store: &Store, old: &Vault, new: &Vault, by: &str) -> Result<Rekeyed, AppError> {
    if old.key_id() == new.key_id() {
        return Err(AppError::invalid(Problem::new("the old and the new key are the same key").field("--new-key")));
    }
    let done = store
        .reseal_notes(
            new.key_id(),
            |note| {
                let plain = old.open(note.pair_id, &note.author_id, &note.nonce, &note.ciphertext).map_err(|_| {
                    AppError::invalid(
                        Problem::new(format!(
                            "the old key cannot open it (it is under key {}, the old key is {}); nothing was changed",
                            note.key_id,
                            old.key_id()
                        ))
                        .at(format!("note {}", note.id)),
                    )
                })?;
                new.seal(note.pair_id, &note.author_id, &plain)
            },
            |key, nonce, sealed| {
                let message = old.open_mail(key, nonce, sealed).map_err(|_| {
                    AppError::invalid(
                        Problem::new("the old key cannot open this waiting message; nothing was changed")
                            .at(format!("outbox message {key}")),
                    )
                })?;
                new.seal_mail(key, &message)
            },
        )
        .await?;
    store
        .audit(
            by,
            "notes.rekey",
            "notes",
            &format!("{} re-encrypted, {} already under the new key", done.resealed, done.skipped),
        )
        .await?;
    Ok(Rekeyed { resealed: done.resealed, skipped: done.skipped, key_id: new.key_id().to_owned() })
}
