//! Accounts (who may sign in), the person each belongs to, their API tokens,
//! one-time set-password links and sign-in attempts.
use crate::sql::{conflict_or, flag};
use crate::{ProgramId, Result, Revision, Store, StoreError, now_rfc3339};
use plab_domain::program::Role;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    /// The sign-in e-mail: changed only by its own audited action, never by a directory import.
    pub email: String,
    /// The person this account is, bound when it was made; `None` for an administrator who is no one in the org.
    pub employee_id: Option<String>,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    /// Part of the calendar feed's derived secret; bumped to revoke a leaked URL.
    pub calendar_generation: i64,
    /// Who reset the password and when, for the owner to see.
    pub reset_notice: Option<String>,
    /// When an administrator disabled it: it signs in no more.
    pub disabled_at: Option<String>,
    pub last_sign_in_at: Option<String>,
    /// The time zone the person chose; `None` follows the directory's.
    pub timezone: Option<String>,
    /// Whether session reminders and "check-in due" mail go out to this person.
    pub mail_reminders: bool,
    /// Whether a sponsor gets the weekly digest of pairs at risk.
    pub mail_digests: bool,
    /// Moves forward on every change of the account's credentials: a
    /// set-password link works only at the epoch it was issued for.
    pub credential_epoch: i64,
    /// Whether the account has ever had a credential: a password, a linked
    /// provider identity, or a completed sign-in of any kind.
    pub established: bool,
    /// The leave date of the account's person, if the directory has one (`YYYY-MM-DD`).
    pub leaves_on: Option<String>,
}

impl Account {
    /// The one rule of who may still act through an account: it is not
    /// disabled, and its person has not left by `today` (`YYYY-MM-DD`),
    /// whichever way they left (a SCIM deactivation or delete, an imported or
    /// scheduled leave date, an administrator). Every sign-in, token, browser
    /// session, calendar feed and message asks it.
    pub fn in_good_standing(&self, today: &str) -> bool {
        self.disabled_at.is_none() && self.leaves_on.as_deref().is_none_or(|left| left > today)
    }
}

/// Someone mail goes to: where it may go, their name, the zone their times
/// are shown in and what they turned off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub employee_id: String,
    pub name: String,
    /// The sign-in address of the person's account while it is in good
    /// standing: the only address that may receive a private datum.
    pub sign_in: Option<String>,
    /// The directory's address (a file or the identity provider can change
    /// it): for content-free notices only, and only while the person has not left.
    pub directory_email: Option<String>,
    /// The account's chosen zone, else the directory's (unchecked text).
    pub timezone: Option<String>,
    pub reminders: bool,
    pub digests: bool,
}

pub(crate) const COLUMNS: &str = "a.id, a.email, a.employee_id, a.password_hash, a.is_admin, a.calendar_generation, a.reset_notice, \
     a.disabled_at, a.last_sign_in_at, a.timezone, a.mail_reminders, a.mail_digests, a.credential_epoch, \
     CAST(CASE WHEN a.password_hash IS NOT NULL OR a.last_sign_in_at IS NOT NULL \
     OR EXISTS (SELECT 1 FROM oidc_links ol WHERE ol.account_id = a.id) THEN 1 ELSE 0 END AS BIGINT) AS established, \
     (SELECT lp.end_date FROM people lp WHERE lp.employee_id = a.employee_id) AS leaves_on";

pub(crate) fn account_from_row(r: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        employee_id: r.try_get("employee_id")?,
        password_hash: r.try_get("password_hash")?,
        is_admin: r.try_get::<i64, _>("is_admin")? != 0,
        calendar_generation: r.try_get("calendar_generation")?,
        reset_notice: r.try_get("reset_notice")?,
        disabled_at: r.try_get("disabled_at")?,
        last_sign_in_at: r.try_get("last_sign_in_at")?,
        timezone: r.try_get("timezone")?,
        mail_reminders: r.try_get::<i64, _>("mail_reminders")? != 0,
        mail_digests: r.try_get::<i64, _>("mail_digests")? != 0,
        credential_epoch: r.try_get("credential_epoch")?,
        established: r.try_get::<i64, _>("established")? != 0,
        leaves_on: r.try_get("leaves_on")?,
    })
}

/// Why a one-time link was issued, which decides who may be shown it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// For an account that has never had a password.
    Onboarding,
    /// For an account that has one: only its owner may receive it.
    Reset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Onboarding => "onboarding",
            LinkPurpose::Reset => "reset",
        }
    }
}

/// An unused, unexpired set-password link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordLink {
    pub email: String,
    pub employee_id: Option<String>,
    pub purpose: LinkPurpose,
    pub created_by: String,
    /// The credential epoch of the account the link was issued for; `None`
    /// when there was no account (then it works only while there still is none).
    pub account_epoch: Option<i64>,
}

impl Store {
    /// Creates an account bound to `employee_id`, or sets the password and
    /// admin flag of an existing one. An existing account keeps the person it
    /// was bound to; an unbound one is bound now if `employee_id` is given.
    pub async fn upsert_account(
        &self,
        email: &str,
        employee_id: Option<&str>,
        password_hash: &str,
        is_admin: bool,
    ) -> Result<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO accounts (email, employee_id, password_hash, is_admin, calendar_secret, created_at) \
             VALUES ($1, $2, $3, $4, 'retired:' || $1, $5) \
             ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, is_admin = excluded.is_admin, \
             employee_id = COALESCE(accounts.employee_id, excluded.employee_id), \
             credential_epoch = accounts.credential_epoch + 1 \
             RETURNING id",
        )
        .bind(email)
        .bind(employee_id)
        .bind(password_hash)
        .bind(flag(is_admin))
        .bind(now_rfc3339())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(id)
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts a WHERE a.email = $1")))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    pub async fn account(&self, id: i64) -> Result<Option<Account>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts a WHERE a.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// Sign-in e-mails of accounts bound to a person: `(email, employee_id)`.
    pub async fn bound_sign_ins(&self) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT email, employee_id FROM accounts WHERE employee_id IS NOT NULL")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get("email")?, r.try_get("employee_id")?))).collect()
    }

    /// Changes an account's sign-in e-mail; false when no account has `from`.
    /// The retired `calendar_secret` column is still UNIQUE and a new account
    /// fills it from its e-mail, so it follows the e-mail here: otherwise the
    /// address given up could never open another account.
    pub async fn change_sign_in_email(&self, from: &str, to: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE accounts SET email = $1, calendar_secret = 'retired:' || $1, \
             credential_epoch = credential_epoch + 1 WHERE email = $2",
        )
        .bind(to)
        .bind(from)
        .execute(&self.pool)
        .await
        .map_err(|e| conflict_or(e, "that e-mail is already another account's sign-in"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets a new password hash and ends every token of the account but `keep`.
    pub async fn replace_password(
        &self,
        account: i64,
        password_hash: &str,
        keep_token: Option<&str>,
        reset_notice: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, reset_notice = $2, credential_epoch = credential_epoch + 1 \
             WHERE id = $3",
        )
        .bind(password_hash)
        .bind(reset_notice)
        .bind(account)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM api_tokens WHERE account_id = $1 AND token_hash <> $2")
            .bind(account)
            .bind(keep_token.unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The owner has read the reset notice.
    pub async fn clear_reset_notice(&self, account: i64) -> Result<()> {
        sqlx::query("UPDATE accounts SET reset_notice = NULL WHERE id = $1").bind(account).execute(&self.pool).await?;
        Ok(())
    }

    /// Revokes the calendar feed's URL; returns the new generation.
    pub async fn bump_calendar_generation(&self, account: i64) -> Result<i64> {
        let row = sqlx::query(
            "UPDATE accounts SET calendar_generation = calendar_generation + 1 WHERE id = $1 RETURNING calendar_generation",
        )
        .bind(account)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("calendar_generation")?)
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

    /// Disables the account (ending every sign-in of it) or enables it again;
    /// false when there is no such account.
    pub async fn set_account_disabled(&self, account: i64, disabled: bool) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let at = disabled.then(now_rfc3339);
        let done =
            sqlx::query("UPDATE accounts SET disabled_at = $1, credential_epoch = credential_epoch + 1 WHERE id = $2")
                .bind(at)
                .bind(account)
                .execute(&mut *tx)
                .await?;
        if disabled {
            sqlx::query("DELETE FROM api_tokens WHERE account_id = $1").bind(account).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// The account's own time zone (`None`: follow the directory's).
    pub async fn set_account_timezone(&self, account: i64, timezone: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE accounts SET timezone = $1 WHERE id = $2")
            .bind(timezone)
            .bind(account)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Turns reminders and digests on or off for the account.
    pub async fn set_mail_preferences(&self, account: i64, reminders: bool, digests: bool) -> Result<()> {
        sqlx::query("UPDATE accounts SET mail_reminders = $1, mail_digests = $2 WHERE id = $3")
            .bind(i64::from(reminders))
            .bind(i64::from(digests))
            .bind(account)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The people with these ids as mail reaches them, in the order asked;
    /// ids the directory does not know are left out. `sign_in` is set only
    /// while the person's account is in good standing as of `today`
    /// (`Account::in_good_standing`); `directory_email` only while the person
    /// has not left and has no account that is out of good standing.
    pub async fn recipients(&self, ids: &[&str], today: &str) -> Result<Vec<Recipient>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT p.employee_id AS person, p.name AS person_name, p.email AS directory_email, \
                 p.timezone AS directory_zone, p.end_date AS person_end, {COLUMNS} \
                 FROM people p LEFT JOIN accounts a ON a.employee_id = p.employee_id WHERE p.employee_id = $1"
            )))
            .bind(*id)
            .fetch_optional(&self.pool)
            .await?;
            let Some(r) = row else { continue };
            let left = r.try_get::<Option<String>, _>("person_end")?.is_some_and(|d| d.as_str() <= today);
            let account = match r.try_get::<Option<i64>, _>("id")? {
                Some(_) => Some(account_from_row(&r)?),
                None => None,
            };
            let zone: Option<String> = r.try_get("directory_zone")?;
            out.push(Recipient {
                employee_id: r.try_get("person")?,
                name: r.try_get("person_name")?,
                sign_in: account.as_ref().filter(|a| a.in_good_standing(today)).map(|a| a.email.clone()),
                // A leaver, or someone whose account was disabled, gets no notice either.
                directory_email: if left
                    || account.as_ref().is_some_and(|a| !a.in_good_standing(today))
                    || crate::is_erased_address(&r.try_get::<String, _>("directory_email")?)
                {
                    None
                } else {
                    Some(r.try_get("directory_email")?)
                },
                timezone: account.as_ref().and_then(|a| a.timezone.clone()).or(zone),
                reminders: account.as_ref().is_none_or(|a| a.mail_reminders),
                digests: account.as_ref().is_none_or(|a| a.mail_digests),
            });
        }
        Ok(out)
    }

    pub async fn note_sign_in(&self, account: i64) -> Result<()> {
        sqlx::query("UPDATE accounts SET last_sign_in_at = $1 WHERE id = $2")
            .bind(now_rfc3339())
            .bind(account)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every token and browser session of the account, and every open
    /// set-password link of it (its credential epoch moves).
    pub async fn delete_tokens_of(&self, account: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM api_tokens WHERE account_id = $1").bind(account).execute(&mut *tx).await?;
        sqlx::query("UPDATE accounts SET credential_epoch = credential_epoch + 1 WHERE id = $1")
            .bind(account)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account a token belongs to, if the token exists and has not
    /// expired, and the data revision as of this check (read in the same
    /// query: a request's cached reads cost no second round trip).
    pub async fn account_by_token(&self, token_hash: &str) -> Result<Option<(Account, Revision)>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, (SELECT n FROM data_revision WHERE id = 1) AS data_revision \
             FROM api_tokens t JOIN accounts a ON a.id = t.account_id \
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND a.disabled_at IS NULL"
        )))
        .bind(token_hash)
        .bind(now_rfc3339())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((account_from_row(&r)?, Revision(r.try_get("data_revision")?)))).transpose()
    }

    /// The employee id of the person whose directory e-mail this is, if any.
    pub async fn employee_id_by_email(&self, email: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT employee_id FROM people WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("employee_id")).transpose()?)
    }

    /// `(program, role, program name)` of every enrolment of a person.
    pub async fn memberships(&self, employee_id: &str) -> Result<Vec<(ProgramId, Role, String)>> {
        let rows = sqlx::query(
            "SELECT e.program_id, e.role, p.name FROM enrolments e JOIN programs p ON p.id = e.program_id \
             WHERE e.employee_id = $1 ORDER BY e.program_id, e.role",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role =
                    Role::parse(&r.try_get::<String, _>("role")?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok((ProgramId(r.try_get("program_id")?), role, r.try_get("name")?))
            })
            .collect()
    }

    /// Every account, by e-mail.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts a ORDER BY a.email")))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(account_from_row).collect()
    }

    /// Stores a link, and the message that carries it (if any) in the same
    /// transaction; a newer link ends every earlier one for the same address.
    /// False, with nothing written, when the message was already written
    /// (its dedupe key taken: a second request racing the first).
    pub async fn add_password_link(
        &self,
        token_hash: &str,
        link: &PasswordLink,
        expires_at: &str,
        mail: &[crate::Outgoing],
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        if crate::outbox::enqueue_in(&mut tx, mail).await? < mail.len() {
            return Ok(false);
        }
        insert_link_in(&mut tx, token_hash, link, expires_at).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// An unused, unexpired link whose account's credentials have not
    /// changed since it was issued.
    pub async fn password_link(&self, token_hash: &str) -> Result<Option<PasswordLink>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT pl.email, pl.employee_id, pl.purpose, pl.created_by, pl.account_epoch FROM password_links pl \
             WHERE pl.token_hash = $1 AND pl.used_at IS NULL AND pl.expires_at > $2 AND {LINK_STILL_VALID}"
        )))
        .bind(token_hash)
        .bind(now_rfc3339())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PasswordLink {
                email: r.try_get("email")?,
                employee_id: r.try_get("employee_id")?,
                purpose: if r.try_get::<String, _>("purpose")? == "reset" {
                    LinkPurpose::Reset
                } else {
                    LinkPurpose::Onboarding
                },
                created_by: r.try_get("created_by")?,
                account_epoch: r.try_get("account_epoch")?,
            })
        })
        .transpose()
    }

    /// Marks a link used, with every other open link for the same e-mail;
    /// false when it was already used (or never existed).
    pub async fn use_password_link(&self, token_hash: &str, email: &str) -> Result<bool> {
        let now = now_rfc3339();
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE password_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             AND {}",
            LINK_STILL_VALID.replace("pl.", "password_links.")
        )))
        .bind(&now)
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE password_links SET used_at = $1 WHERE email = $2 AND used_at IS NULL")
            .bind(&now)
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }
}

/// Stores a link inside a transaction; every earlier open link for the same address ends.
pub(crate) async fn insert_link_in(
    tx: &mut sqlx::AnyConnection,
    token_hash: &str,
    link: &PasswordLink,
    expires_at: &str,
) -> Result<()> {
    sqlx::query("UPDATE password_links SET used_at = $1 WHERE email = $2 AND used_at IS NULL")
        .bind(now_rfc3339())
        .bind(&link.email)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO password_links (token_hash, email, employee_id, purpose, created_by, expires_at, account_epoch) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(&link.email)
    .bind(link.employee_id.as_deref())
    .bind(link.purpose.as_str())
    .bind(&link.created_by)
    .bind(expires_at)
    .bind(link.account_epoch)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A link `pl` issued for an account works only at the account's credential
/// epoch of then; one issued when there was no account, only while there is
/// still none for its address or its person.
const LINK_STILL_VALID: &str = "(CASE WHEN pl.account_epoch IS NULL THEN \
     NOT EXISTS (SELECT 1 FROM accounts x WHERE x.email = pl.email OR x.employee_id = pl.employee_id) \
     ELSE pl.account_epoch = (SELECT x.credential_epoch FROM accounts x WHERE x.email = pl.email) END)";

/// Sign-in attempts: each is reserved before the password is checked, so
/// concurrent guesses are counted; a success forgets the e-mail's attempts.
impl Store {
    /// Reserves an attempt and returns how many attempts the e-mail and the
    /// client have made since `since`, this one included. Attempts older than
    /// `since` are deleted on the way.
    pub async fn reserve_sign_in(&self, attempt: &str, email: &str, client: &str, since: &str) -> Result<(u64, u64)> {
        sqlx::query("DELETE FROM sign_in_attempts WHERE at < $1").bind(since).execute(&self.pool).await?;
        sqlx::query("INSERT INTO sign_in_attempts (attempt, email, client, at) VALUES ($1, $2, $3, $4)")
            .bind(attempt)
            .bind(email)
            .bind(client)
            .bind(now_rfc3339())
            .execute(&self.pool)
            .await?;
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN email = $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS by_email, \
                    CAST(COALESCE(SUM(CASE WHEN client = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS by_client \
             FROM sign_in_attempts WHERE at >= $3 AND (email = $1 OR client = $2)",
        )
        .bind(email)
        .bind(client)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        let count = |col: &str| -> Result<u64> { Ok(u64::try_from(row.try_get::<i64, _>(col)?).unwrap_or(0)) };
        Ok((count("by_email")?, count("by_client")?))
    }

    /// A successful sign-in: the e-mail's attempts are forgotten.
    pub async fn forget_sign_in_attempts(&self, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM sign_in_attempts WHERE email = $1").bind(email).execute(&self.pool).await?;
        Ok(())
    }
}
