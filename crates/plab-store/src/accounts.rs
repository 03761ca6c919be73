//! Accounts (who may sign in), their API tokens, and the link to a person by e-mail.
use crate::sql::flag;
use crate::{Result, Store, now_rfc3339};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub calendar_secret: String,
}

const COLUMNS: &str = "id, email, password_hash, is_admin, calendar_secret";

fn account_from_row(r: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: r.try_get(0)?,
        email: r.try_get(1)?,
        password_hash: r.try_get(2)?,
        is_admin: r.try_get::<i64, _>(3)? != 0,
        calendar_secret: r.try_get(4)?,
    })
}

impl Store {
    /// Creates an account, or sets the password and admin flag of an existing one.
    pub async fn upsert_account(
        &self,
        email: &str,
        password_hash: &str,
        is_admin: bool,
        calendar_secret: &str,
    ) -> Result<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO accounts (email, password_hash, is_admin, calendar_secret, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, is_admin = excluded.is_admin \
             RETURNING id",
        )
        .bind(email)
        .bind(password_hash)
        .bind(flag(is_admin))
        .bind(calendar_secret)
        .bind(now_rfc3339())
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(id)
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts WHERE email = $1")))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    pub async fn account_by_calendar_secret(&self, secret: &str) -> Result<Option<Account>> {
        let row =
            sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts WHERE calendar_secret = $1")))
                .bind(secret)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    pub async fn add_token(&self, token_hash: &str, account: i64, expires_at: &str) -> Result<()> {
        sqlx::query("INSERT INTO api_tokens (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(account)
            .bind(now_rfc3339())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_token(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM api_tokens WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    /// The account a token belongs to, if the token exists and has not expired.
    pub async fn account_by_token(&self, token_hash: &str) -> Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT a.id, a.email, a.password_hash, a.is_admin, a.calendar_secret FROM api_tokens t \
             JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = $1 AND t.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_rfc3339())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The employee id of the person with this e-mail, if any.
    pub async fn employee_id_by_email(&self, email: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT employee_id FROM people WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// `(program, role)` of every enrolment of a person.
    pub async fn memberships(&self, employee_id: &str) -> Result<Vec<(i64, String)>> {
        let rows =
            sqlx::query("SELECT program_id, role FROM enrolments WHERE employee_id = $1 ORDER BY program_id, role")
                .bind(employee_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }
}

impl Store {
    /// Every account, by e-mail.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts ORDER BY email")))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(account_from_row).collect()
    }

    pub async fn add_password_link(
        &self,
        token_hash: &str,
        email: &str,
        created_by: &str,
        expires_at: &str,
    ) -> Result<()> {
        sqlx::query("INSERT INTO password_links (token_hash, email, created_by, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(email)
            .bind(created_by)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The e-mail of an unused, unexpired link.
    pub async fn password_link_email(&self, token_hash: &str) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT email FROM password_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_rfc3339())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Marks a link used; false when it was already used (or never existed).
    pub async fn use_password_link(&self, token_hash: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE password_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now_rfc3339())
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
