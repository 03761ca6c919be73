//! The e-mail outbox: messages written with the change that causes them and
//! delivered by `plab serve`. Delivery claims one row at a time with a
//! compare-and-set on its status and lease, the same statement on both
//! backends, so two instances never send the same row while both are alive.
use crate::{Result, Store, StoreError, now_rfc3339};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A message to write to the outbox, already sealed by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Names the message: the same key written twice is one message.
    pub dedupe_key: String,
    /// `invitation`, `update`, `cancellation`, `reminder`, `checkin_due`, `digest`, `password_link`.
    pub kind: &'static str,
    pub recipient: String,
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub sealed: Vec<u8>,
}

/// A row claimed for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub dedupe_key: String,
    pub kind: String,
    pub recipient: String,
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub sealed: Vec<u8>,
    /// Including this one.
    pub attempts: i64,
}

/// What `plab mail status` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct MailCounts {
    pub pending: i64,
    /// Held by a delivering instance right now.
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    /// Due but not sent: the person turned that kind of mail off, or a
    /// week's digest had no pair at risk to report.
    pub skipped: i64,
    /// When the oldest message still waiting was written.
    pub oldest_waiting: Option<String>,
    /// The last error of messages still waiting or failed, newest first (at most five).
    pub recent_errors: Vec<MailError>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MailError {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i64,
    pub error: String,
}

pub(crate) async fn enqueue_in(tx: &mut sqlx::AnyConnection, mail: &[Outgoing]) -> Result<usize> {
    let now = now_rfc3339();
    let mut added = 0;
    for m in mail {
        let done = sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, recipient, key_id, nonce, sealed, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(&m.dedupe_key)
        .bind(m.kind)
        .bind(&m.recipient)
        .bind(&m.key_id)
        .bind(m.nonce.clone())
        .bind(m.sealed.clone())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        added += usize::try_from(done.rows_affected()).unwrap_or(0);
    }
    Ok(added)
}

fn claimed(r: &AnyRow) -> Result<Claimed> {
    Ok(Claimed {
        id: r.try_get("id")?,
        dedupe_key: r.try_get("dedupe_key")?,
        kind: r.try_get("kind")?,
        recipient: r.try_get("recipient")?,
        key_id: r.try_get("key_id")?,
        nonce: r.try_get("nonce")?,
        sealed: r.try_get("sealed")?,
        attempts: r.try_get("attempts")?,
    })
}

impl Store {
    /// Writes messages on their own (ones caused by the clock, such as
    /// reminders); a key already written adds nothing. Returns how many were new.
    pub async fn enqueue_mail(&self, mail: &[Outgoing]) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let added = enqueue_in(&mut tx, mail).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Records messages that were due but not sent (the person turned that
    /// kind of mail off, or there was nothing to say), so that they are not
    /// considered again.
    pub async fn record_skipped_mail(
        &self,
        kind: &'static str,
        keys_and_recipients: &[(String, String)],
    ) -> Result<()> {
        let now = now_rfc3339();
        for (key, recipient) in keys_and_recipients {
            sqlx::query(
                "INSERT INTO outbox (dedupe_key, kind, recipient, key_id, nonce, sealed, status, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, '', $4, $4, 'skipped', $5, $5) ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(key)
            .bind(kind)
            .bind(recipient)
            .bind(Vec::<u8>::new())
            .bind(&now)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// Whether a message with this key was ever written.
    pub async fn mail_exists(&self, dedupe_key: &str) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 AS one FROM outbox WHERE dedupe_key = $1")
            .bind(dedupe_key)
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Claims up to `limit` messages due at `now` (waiting, or held by an
    /// instance whose lease ran out) until `lease_until`.
    pub async fn claim_due_mail(&self, now: &str, lease_until: &str, limit: i64) -> Result<Vec<Claimed>> {
        let due: Vec<i64> = sqlx::query(
            "SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= $1) \
             OR (status = 'sending' AND lease_until <= $1) ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
        let mut out = Vec::with_capacity(due.len());
        for id in due {
            let row = sqlx::query(
                "UPDATE outbox SET status = 'sending', lease_until = $1, attempts = attempts + 1 \
                 WHERE id = $2 AND ((status = 'pending' AND next_attempt_at <= $3) \
                 OR (status = 'sending' AND lease_until <= $3)) \
                 RETURNING id, dedupe_key, kind, recipient, key_id, nonce, sealed, attempts",
            )
            .bind(lease_until)
            .bind(id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = row {
                out.push(claimed(&row)?);
            }
        }
        Ok(out)
    }

    /// The SMTP server took the message. Its content is dropped: the outbox
    /// keeps no copy of what was sent, only that it was.
    pub async fn mail_sent(&self, id: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, nonce = $3, sealed = $3 WHERE id = $2",
        )
        .bind(now_rfc3339())
        .bind(id)
        .bind(Vec::<u8>::new())
        .execute(&self.pool)
        .await?;
        one_row(done.rows_affected(), id)
    }

    /// Delivery failed for now: try again at `next_attempt_at`.
    pub async fn mail_retry(&self, id: i64, next_attempt_at: &str, error: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE outbox SET status = 'pending', next_attempt_at = $1, lease_until = NULL, last_error = $2 \
             WHERE id = $3",
        )
        .bind(next_attempt_at)
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        one_row(done.rows_affected(), id)
    }

    /// The SMTP server refused the message for good (or it cannot be opened).
    pub async fn mail_failed(&self, id: i64, error: &str) -> Result<()> {
        let done =
            sqlx::query("UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = $1 WHERE id = $2")
                .bind(error)
                .bind(id)
                .execute(&self.pool)
                .await?;
        one_row(done.rows_affected(), id)
    }

    pub async fn mail_counts(&self) -> Result<MailCounts> {
        let mut counts = MailCounts::default();
        for r in sqlx::query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").fetch_all(&self.pool).await? {
            let n: i64 = r.try_get("n")?;
            match r.try_get::<String, _>("status")?.as_str() {
                "pending" => counts.pending = n,
                "sending" => counts.sending = n,
                "sent" => counts.sent = n,
                "skipped" => counts.skipped = n,
                _ => counts.failed = n,
            }
        }
        counts.oldest_waiting =
            sqlx::query("SELECT MIN(created_at) AS t FROM outbox WHERE status IN ('pending', 'sending')")
                .fetch_one(&self.pool)
                .await?
                .try_get("t")?;
        let rows = sqlx::query(
            "SELECT id, kind, recipient, status, attempts, last_error FROM outbox \
             WHERE last_error IS NOT NULL AND status <> 'sent' ORDER BY id DESC LIMIT 5",
        )
        .fetch_all(&self.pool)
        .await?;
        counts.recent_errors = rows
            .iter()
            .map(|r| {
                Ok(MailError {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    recipient: r.try_get("recipient")?,
                    status: r.try_get("status")?,
                    attempts: r.try_get("attempts")?,
                    error: r.try_get("last_error")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(counts)
    }
}

fn one_row(affected: u64, id: i64) -> Result<()> {
    if affected == 1 { Ok(()) } else { Err(StoreError::NotFound { what: "outbox message", id: id.to_string() }) }
}
