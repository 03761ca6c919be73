//! A program's people at scale: the directory searched with a count and in
//! pages, the invitations a sponsor sends, unenrolling, and the accounts an
//! administrator pages through.
use crate::accounts::{COLUMNS as ACCOUNT_COLUMNS, account_from_row};
use crate::people::{COLUMNS as PERSON_COLUMNS, person_from_row};
use crate::sql::conflict_or;
use crate::{Account, Outgoing, PasswordLink, ProgramId, Result, Store, now_rfc3339};
use plab_domain::person::Person;
use sqlx::Row;
use sqlx::{AssertSqlSafe, any::AnyArguments, query::Query};

/// Where an enrolled person stands with their invitation and their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationState {
    pub employee_id: String,
    /// When the last invitation went out (RFC 3339), if ever.
    pub invited_at: Option<String>,
    /// How many invitations went out.
    pub sent: i64,
    /// Whether the person has an account at all.
    pub has_account: bool,
    /// Whether that account has ever had a credential or a sign-in.
    pub established: bool,
}

/// A set-password link to store with an invitation: its secret's hash, the link and when it expires.
pub struct NewLink<'a> {
    pub token_hash: &'a str,
    pub link: &'a PasswordLink,
    pub expires_at: &'a str,
}

/// One page of accounts and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPage {
    pub accounts: Vec<Account>,
    pub total: u64,
}

/// `text` as a `LIKE` pattern that matches it anywhere, any case, `!` escaping.
fn contains_pattern(text: &str) -> String {
    let escaped: String = text
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| if matches!(c, '%' | '_' | '!') { vec!['!', c] } else { vec![c] })
        .collect();
    format!("%{escaped}%")
}

/// The directory search's condition: `$1` the pattern, `$2` today, `$3` the level when given.
fn search_condition(level: Option<i64>) -> String {
    let like = |column: &str| format!("LOWER(COALESCE({column}, '')) LIKE $1 ESCAPE '!'");
    let matches = ["name", "email", "employee_id", "title", "department"].map(like).join(" OR ");
    let level_filter = if level.is_some() { " AND level = $3" } else { "" };
    format!("({matches}) AND (end_date IS NULL OR end_date > $2){level_filter}")
}

fn bind_search<'q>(
    query: Query<'q, sqlx::Any, AnyArguments>,
    text: &str,
    level: Option<i64>,
    today: &str,
) -> Query<'q, sqlx::Any, AnyArguments> {
    let query = query.bind(contains_pattern(text)).bind(today.to_owned());
    match level {
        Some(level) => query.bind(level),
        None => query,
    }
}

fn count(r: &sqlx::any::AnyRow) -> Result<u64> {
    Ok(u64::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0))
}

impl Store {
    /// How many people still with the organisation on `today` the search
    /// (`Store::find_people`'s) matches.
    pub async fn count_found_people(&self, text: &str, level: Option<i64>, today: &str) -> Result<u64> {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM people WHERE {}", search_condition(level));
        let row = bind_search(sqlx::query(AssertSqlSafe(sql)), text, level, today).fetch_one(&self.pool).await?;
        count(&row)
    }

    /// One page of the search: `limit` people from the `offset`th, by name.
    pub async fn found_people_page(
        &self,
        text: &str,
        level: Option<i64>,
        today: &str,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<Person>> {
        let n = if level.is_some() { 4 } else { 3 };
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE {} ORDER BY name, employee_id LIMIT ${n} OFFSET ${}",
            search_condition(level),
            n + 1
        );
        let rows = bind_search(sqlx::query(AssertSqlSafe(sql)), text, level, today)
            .bind(i64::from(limit))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(person_from_row).collect()
    }

    /// The employee ids of everyone the search matches, by name: "select all".
    pub async fn found_people_ids(&self, text: &str, level: Option<i64>, today: &str) -> Result<Vec<String>> {
        let sql =
            format!("SELECT employee_id FROM people WHERE {} ORDER BY name, employee_id", search_condition(level));
        let rows = bind_search(sqlx::query(AssertSqlSafe(sql)), text, level, today).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(r.try_get("employee_id")?)).collect()
    }

    /// Every enrolled person of the program (once, whatever their roles),
    /// with their last invitation and whether they have an account yet.
    pub async fn invitation_states(&self, program: ProgramId) -> Result<Vec<InvitationState>> {
        let rows = sqlx::query(
            "SELECT e.employee_id, i.invited_at, COALESCE(i.sent, 0) AS sent, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.employee_id = e.employee_id) \
               THEN 1 ELSE 0 END AS BIGINT) AS has_account, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.employee_id = e.employee_id \
               AND (a.password_hash IS NOT NULL OR a.last_sign_in_at IS NOT NULL \
               OR EXISTS (SELECT 1 FROM oidc_links ol WHERE ol.account_id = a.id))) THEN 1 ELSE 0 END AS BIGINT) AS established \
             FROM (SELECT DISTINCT employee_id FROM enrolments WHERE program_id = $1) e \
             LEFT JOIN invitations i ON i.program_id = $1 AND i.employee_id = e.employee_id \
             ORDER BY e.employee_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InvitationState {
                    employee_id: r.try_get("employee_id")?,
                    invited_at: r.try_get("invited_at")?,
                    sent: r.try_get("sent")?,
                    has_account: r.try_get::<i64, _>("has_account")? != 0,
                    established: r.try_get::<i64, _>("established")? != 0,
                })
            })
            .collect()
    }

    /// The account bound to a person, if they have one.
    pub async fn account_of_person(&self, employee_id: &str) -> Result<Option<Account>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.employee_id = $1 ORDER BY a.id LIMIT 1"
        )))
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// Opens an account without any credential for a person, signing in
    /// with `email`: how an invited person gets one. A conflict when the
    /// address is already another account's sign-in.
    pub async fn open_account(&self, email: &str, employee_id: &str) -> Result<Account> {
        sqlx::query(
            "INSERT INTO accounts (email, employee_id, is_admin, calendar_secret, created_at) \
             VALUES ($1, $2, 0, 'retired:' || $1, $3)",
        )
        .bind(email)
        .bind(employee_id)
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await
        .map_err(|e| conflict_or(e, "this e-mail is already the sign-in of another account"))?;
        self.account_of_person(employee_id)
            .await?
            .ok_or_else(|| crate::StoreError::NotFound { what: "account", id: employee_id.to_owned() })
    }

    /// Records an invitation of a person to a program with its message (and
    /// the set-password link it carries, if any), all in one transaction;
    /// false, with nothing written, when the last one went out after
    /// `resend_after` (a resend too soon) or the message was already written.
    pub async fn record_invitation(
        &self,
        program: ProgramId,
        employee_id: &str,
        by: &str,
        resend_after: &str,
        link: Option<NewLink<'_>>,
        mail: &[Outgoing],
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO invitations (program_id, employee_id, invited_at, invited_by, sent) VALUES ($1, $2, $3, $4, 1) \
             ON CONFLICT (program_id, employee_id) DO UPDATE SET invited_at = excluded.invited_at, \
             invited_by = excluded.invited_by, sent = invitations.sent + 1 WHERE invitations.invited_at <= $5",
        )
        .bind(program.0)
        .bind(employee_id)
        .bind(now_rfc3339())
        .bind(by)
        .bind(resend_after)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 || crate::outbox::enqueue_in(&mut tx, mail).await? < mail.len() {
            return Ok(false);
        }
        if let Some(l) = link {
            crate::accounts::insert_link_in(&mut tx, l.token_hash, l.link, l.expires_at).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Takes a person out of a program: every enrolment of theirs there, the
    /// pins and forbids that name them, and any open proposal (the sponsor
    /// runs the pairing again). Their pairs and what they wrote stay. False
    /// when they were not enrolled.
    pub async fn unenrol(&self, program: ProgramId, employee_id: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM enrolments WHERE program_id = $1 AND employee_id = $2")
            .bind(program.0)
            .bind(employee_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM pair_rules WHERE program_id = $1 AND (leader_id = $2 OR mentor_id = $2)")
            .bind(program.0)
            .bind(employee_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE proposals SET status = 'superseded' WHERE program_id = $1 AND status = 'proposed' \
             AND EXISTS (SELECT 1 FROM proposal_pairs pp WHERE pp.proposal_id = proposals.id \
             AND (pp.leader_id = $2 OR pp.mentor_id = $2))",
        )
        .bind(program.0)
        .bind(employee_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM invitations WHERE program_id = $1 AND employee_id = $2")
            .bind(program.0)
            .bind(employee_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One page of the accounts whose e-mail, person's name or employee id
    /// contains `search` (any case; all when empty), by e-mail, and how many match.
    pub async fn accounts_page(&self, search: &str, limit: u32, offset: u64) -> Result<AccountPage> {
        let filter = "LOWER(a.email) LIKE $1 ESCAPE '!' OR LOWER(COALESCE(a.employee_id, '')) LIKE $1 ESCAPE '!' \
             OR EXISTS (SELECT 1 FROM people p WHERE p.employee_id = a.employee_id AND LOWER(p.name) LIKE $1 ESCAPE '!')";
        let pattern = contains_pattern(search);
        let total = count(
            &sqlx::query(AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM accounts a WHERE {filter}")))
                .bind(&pattern)
                .fetch_one(&self.pool)
                .await?,
        )?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE {filter} ORDER BY a.email LIMIT $2 OFFSET $3"
        )))
        .bind(&pattern)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(AccountPage { accounts: rows.iter().map(account_from_row).collect::<Result<_>>()?, total })
    }
}
