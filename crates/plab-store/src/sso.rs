//! Single sign-on: sign-ins started in a browser and not finished yet, and
//! which provider identity (issuer and subject) is which account.
use crate::accounts::{Account, COLUMNS, account_from_row};
use crate::sql::conflict_or;
use crate::{Result, Store, StoreError, now_rfc3339};
use sqlx::Row;

/// What the server keeps of a sign-in between the redirect to the provider and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub nonce: String,
    /// The PKCE code verifier.
    pub verifier: String,
    /// Where to go once signed in (a path on this site).
    pub next: String,
}

impl Store {
    /// Records a sign-in under the hash of its `state` until `expires_at`,
    /// forgetting those that expired unused. Refused (`false`, nothing written)
    /// when `client` already has `max_per_client` unfinished sign-ins.
    pub async fn begin_sso(
        &self,
        state_hash: &str,
        pending: &PendingSignIn,
        expires_at: &str,
        client: &str,
        max_per_client: u64,
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM oidc_logins WHERE expires_at <= $1").bind(now_rfc3339()).execute(&mut *tx).await?;
        let open: i64 = sqlx::query("SELECT COUNT(*) AS n FROM oidc_logins WHERE client = $1")
            .bind(client)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if open as u64 >= max_per_client {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO oidc_logins (state_hash, nonce, verifier, next, expires_at, client) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(state_hash)
        .bind(&pending.nonce)
        .bind(&pending.verifier)
        .bind(&pending.next)
        .bind(expires_at)
        .bind(client)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The sign-in started with this state, once: it is gone after this call,
    /// whichever instance asks. `None` when unknown, used or expired.
    pub async fn take_sso(&self, state_hash: &str) -> Result<Option<PendingSignIn>> {
        let row =
            sqlx::query("DELETE FROM oidc_logins WHERE state_hash = $1 RETURNING nonce, verifier, next, expires_at")
                .bind(state_hash)
                .fetch_optional(&self.pool)
                .await?;
        let Some(r) = row else { return Ok(None) };
        let expires_at: String = r.try_get("expires_at")?;
        if expires_at <= now_rfc3339() {
            return Ok(None);
        }
        Ok(Some(PendingSignIn {
            nonce: r.try_get("nonce")?,
            verifier: r.try_get("verifier")?,
            next: r.try_get("next")?,
        }))
    }

    /// The account a provider identity was linked to, if any.
    pub async fn sso_account(&self, issuer: &str, subject: &str) -> Result<Option<Account>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM oidc_links l JOIN accounts a ON a.id = l.account_id \
             WHERE l.issuer = $1 AND l.subject = $2"
        )))
        .bind(issuer)
        .bind(subject)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// Links a provider identity to the account of the person `employee_id`,
    /// making that account (signed in with `email`, no password) if the
    /// person has none. Refused with a conflict when the account already
    /// answers to another subject of this issuer, or when `email` is another
    /// account's sign-in.
    pub async fn link_sso(&self, issuer: &str, subject: &str, employee_id: &str, email: &str) -> Result<Account> {
        let mut tx = self.pool.begin().await?;
        let existing =
            sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts a WHERE a.employee_id = $1")))
                .bind(employee_id)
                .fetch_optional(&mut *tx)
                .await?;
        let account_id: i64 = match existing {
            Some(r) => r.try_get("id")?,
            None => sqlx::query(
                "INSERT INTO accounts (email, employee_id, is_admin, calendar_secret, created_at) \
                 VALUES ($1, $2, 0, 'retired:' || $1, $3) RETURNING id",
            )
            .bind(email)
            .bind(employee_id)
            .bind(now_rfc3339())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| conflict_or(e, "this e-mail is the sign-in of an account that belongs to someone else"))?
            .try_get("id")?,
        };
        let taken = sqlx::query("SELECT subject FROM oidc_links WHERE issuer = $1 AND account_id = $2")
            .bind(issuer)
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?;
        const TAKEN: &str = "this person's account is already linked to another identity at the provider";
        match taken.map(|r| r.try_get::<String, _>("subject")).transpose()? {
            Some(other) if other != subject => return Err(StoreError::Conflict(TAKEN.into())),
            Some(_) => {}
            None => {
                sqlx::query("INSERT INTO oidc_links (issuer, subject, account_id, linked_at) VALUES ($1, $2, $3, $4)")
                    .bind(issuer)
                    .bind(subject)
                    .bind(account_id)
                    .bind(now_rfc3339())
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| conflict_or(e, TAKEN))?;
                // A linked identity is a credential: every open set-password link ends.
                sqlx::query("UPDATE accounts SET credential_epoch = credential_epoch + 1 WHERE id = $1")
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts a WHERE a.id = $1")))
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
        let account = account_from_row(&row)?;
        tx.commit().await?;
        Ok(account)
    }
}
