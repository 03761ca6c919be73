//! Who did what, when: sponsor and admin actions. It records ids and counts,
//! never the content of notes or answers.
use crate::{Result, Store, now_rfc3339};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub at: String,
}

impl Store {
    pub async fn audit(&self, actor: &str, action: &str, subject: &str, detail: &str) -> Result<()> {
        sqlx::query("INSERT INTO audit_log (actor, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(actor)
            .bind(action)
            .bind(subject)
            .bind(detail)
            .bind(now_rfc3339())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The newest entries first.
    pub async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let rows =
            sqlx::query("SELECT id, actor, action, subject, detail, at FROM audit_log ORDER BY id DESC LIMIT $1")
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: r.try_get("detail")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}
