//! The audit log of sponsor, admin and account actions: ids and counts, never
//! the content of notes or answers.
use crate::AppError;
use plab_store::{AuditEntry, Store};

/// The newest `limit` entries, newest first (the operator at the machine).
pub async fn recent(store: &Store, limit: u32) -> Result<Vec<AuditEntry>, AppError> {
    Ok(store.audit_log(limit).await?)
}
