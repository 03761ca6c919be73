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
                    id: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    subject: r.try_get(3)?,
                    detail: r.try_get(4)?,
                    at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Failed sign-ins for an e-mail at or after `since` (RFC 3339).
    pub async fn sign_in_failures_since(&self, email: &str, since: &str) -> Result<u64> {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM sign_in_failures WHERE email = $1 AND failed_at >= $2")
            .bind(email)
            .bind(since)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub async fn record_sign_in_failure(&self, email: &str) -> Result<()> {
        sqlx::query("INSERT INTO sign_in_failures (email, failed_at) VALUES ($1, $2)")
            .bind(email)
            .bind(now_rfc3339())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn clear_sign_in_failures(&self, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = $1").bind(email).execute(&self.pool).await?;
        Ok(())
    }
}
