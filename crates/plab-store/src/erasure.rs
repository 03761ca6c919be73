//! Erasure (GDPR Art. 17): one transaction that removes a person's
//! identifying data and everything private they wrote or answered, ends
//! every credential and their open pairs, and writes a deletion record with
//! counts only. What others need stays: the pairs and sessions as records
//! (the person shown as `ERASED_NAME`), the partner's own notes, the
//! released figures of the report. Administrators' requests wait here for
//! the operator to confirm them.
use crate::{Backend, Outgoing, Result, Store, StoreError, now_rfc3339};
use plab_domain::PairId;
use sqlx::Row;
use std::collections::BTreeMap;

/// The name an erased person goes by in the directory and on every page.
pub const ERASED_NAME: &str = "Erased person";

/// The domain of the placeholder address an erased person keeps (the
/// directory's address is unique and required); `.invalid` never delivers.
pub const ERASED_DOMAIN: &str = "erased.invalid";

/// The placeholder address of an erased person.
pub fn erased_address(employee_id: &str) -> String {
    format!("erased-{}@{ERASED_DOMAIN}", employee_id.to_lowercase())
}

/// Whether a directory address is an erased person's placeholder.
pub fn is_erased_address(email: &str) -> bool {
    email.ends_with(&format!("@{ERASED_DOMAIN}"))
}

/// One run of an erasure: counts per kind, never content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub id: i64,
    pub employee_id: String,
    pub erased_at: String,
    pub erased_by: String,
    pub counts: BTreeMap<String, u64>,
}

impl Erasure {
    /// Rows erased in all.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

/// What the erasure would touch, counted before anything is written (the
/// CLI's question without `--yes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasurePreview {
    pub open_pairs: Vec<PairId>,
    pub counts: BTreeMap<String, u64>,
}

/// An administrator's request for an erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureRequest {
    pub id: i64,
    pub employee_id: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub done_at: Option<String>,
}

/// The tables an erasure deletes from or rewrites (PostgreSQL vacuums them after).
const TOUCHED: &[&str] = &[
    "people",
    "enrolments",
    "accounts",
    "api_tokens",
    "oidc_links",
    "password_links",
    "sign_in_attempts",
    "scim_users",
    "invitations",
    "notes",
    "pulse_answers",
    "checkins",
    "self_assessments",
    "exit_answers",
    "fit_answers",
    "commitments",
    "program_office",
    "insights",
    "concern_recipients",
    "concerns",
    "level_changes",
    "questions",
    "sharpen_requests",
    "session_timers",
    "released_average_basis",
    "outbox",
    "pairs",
    "proposal_pairs",
    "sessions",
    "erasure_requests",
];

/// Each kind the erasure counts: its name in the record, and the statement
/// that deletes (or blanks) it. `$1` is the employee id; `{emails}` and
/// `{accounts}` are the person's addresses and account ids.
const KINDS: &[(&str, &str)] = &[
    ("notes", "DELETE FROM notes WHERE author_id = $1 AND kind = 'note'"),
    ("homework", "DELETE FROM notes WHERE author_id = $1 AND kind = 'homework'"),
    ("pulses", "DELETE FROM pulse_answers WHERE employee_id = $1"),
    ("checkins", "DELETE FROM checkins WHERE employee_id = $1"),
    ("self_assessments", "DELETE FROM self_assessments WHERE employee_id = $1"),
    ("exit_answers", "DELETE FROM exit_answers WHERE employee_id = $1"),
    ("fit_answers", "DELETE FROM fit_answers WHERE employee_id = $1"),
    ("commitments", "DELETE FROM commitments WHERE leader_id = $1"),
    ("program_office", "DELETE FROM program_office WHERE employee_id = $1"),
    ("insights", "DELETE FROM insights WHERE author_id = $1"),
    // Their concerns' routes first (and any route to them), then the concerns.
    (
        "concern_routes",
        "DELETE FROM concern_recipients WHERE employee_id = $1 \
         OR concern_id IN (SELECT id FROM concerns WHERE raised_by = $1)",
    ),
    ("concerns", "DELETE FROM concerns WHERE raised_by = $1"),
    ("level_changes", "DELETE FROM level_changes WHERE employee_id = $1"),
    ("questions", "DELETE FROM questions WHERE employee_id = $1"),
    ("sharpen_requests", "DELETE FROM sharpen_requests WHERE leader_id = $1"),
    (
        "session_timers",
        "DELETE FROM session_timers WHERE session_id IN (SELECT s.id FROM sessions s JOIN pairs p ON p.id = s.pair_id \
         WHERE p.leader_id = $1 OR p.mentor_id = $1)",
    ),
    ("released_answers", "DELETE FROM released_average_basis WHERE employee_id = $1"),
    ("perspectives", "UPDATE enrolments SET perspectives = NULL WHERE employee_id = $1 AND perspectives IS NOT NULL"),
    ("match_reasons", "UPDATE pairs SET reasons = '[]' WHERE (leader_id = $1 OR mentor_id = $1) AND reasons <> '[]'"),
    (
        "match_reasons",
        "UPDATE proposal_pairs SET reasons = '[]' WHERE (leader_id = $1 OR mentor_id = $1) AND reasons <> '[]'",
    ),
    ("invitations", "DELETE FROM invitations WHERE employee_id = $1"),
    ("scim_users", "DELETE FROM scim_users WHERE employee_id = $1"),
    ("password_links", "DELETE FROM password_links WHERE employee_id = $1 OR LOWER(email) IN ({emails})"),
    ("sign_in_attempts", "DELETE FROM sign_in_attempts WHERE LOWER(email) IN ({emails})"),
    ("mail", "DELETE FROM outbox WHERE LOWER(recipient) IN ({emails})"),
    ("api_tokens", "DELETE FROM api_tokens WHERE account_id IN ({accounts})"),
    ("sso_links", "DELETE FROM oidc_links WHERE account_id IN ({accounts})"),
    ("accounts", "DELETE FROM accounts WHERE id IN ({accounts})"),
];

/// The kinds in every record, zero or not (so a script reads each).
fn zero_counts() -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = KINDS.iter().map(|(k, _)| ((*k).to_owned(), 0)).collect();
    counts.insert("person".into(), 0);
    counts.insert("pairs_ended".into(), 0);
    counts.insert("audit_entries_redacted".into(), 0);
    counts
}

/// `$from, $from+1, …` for `n` values (or a list matching nothing). Both
/// backends read `$N` (SQLite binds it by its number).
fn list(from: usize, n: usize) -> String {
    if n == 0 {
        return "NULL".into();
    }
    (0..n).map(|i| format!("${}", from + i)).collect::<Vec<_>>().join(", ")
}

/// The person's addresses (directory and sign-in, lower case) and account ids.
async fn credentials_of(
    conn: &mut sqlx::AnyConnection,
    employee_id: &str,
    directory_email: &str,
) -> Result<(Vec<String>, Vec<i64>)> {
    let rows = sqlx::query("SELECT id, email FROM accounts WHERE employee_id = $1 OR LOWER(email) = LOWER($2)")
        .bind(employee_id)
        .bind(directory_email)
        .fetch_all(&mut *conn)
        .await?;
    let mut emails = vec![directory_email.to_lowercase()];
    let mut accounts = Vec::new();
    for r in &rows {
        accounts.push(r.try_get::<i64, _>("id")?);
        let email: String = r.try_get("email")?;
        if !emails.contains(&email.to_lowercase()) {
            emails.push(email.to_lowercase());
        }
    }
    Ok((emails, accounts))
}

/// `sql` with its lists spelled out: the addresses from `$2`, the account ids after them.
fn statement(sql: &str, emails: usize, accounts: usize) -> String {
    sql.replace("{emails}", &list(2, emails)).replace("{accounts}", &list(2 + emails, accounts))
}

/// Runs one kind's statement, binding only the parameters it names.
async fn run_kind(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    employee_id: &str,
    emails: &[String],
    accounts: &[i64],
) -> Result<u64> {
    let (uses_emails, uses_accounts) = (sql.contains("{emails}"), sql.contains("{accounts}"));
    let (n_emails, n_accounts) =
        (if uses_emails { emails.len() } else { 0 }, if uses_accounts { accounts.len() } else { 0 });
    if uses_accounts && accounts.is_empty() {
        return Ok(0);
    }
    let text = statement(sql, n_emails, n_accounts);
    let mut q = sqlx::query(sqlx::AssertSqlSafe(text)).bind(employee_id.to_owned());
    if uses_emails {
        for e in emails {
            q = q.bind(e.clone());
        }
    }
    if uses_accounts {
        for a in accounts {
            q = q.bind(*a);
        }
    }
    Ok(q.execute(&mut *conn).await?.rows_affected())
}

/// Counts what a kind's statement would touch: the same WHERE, as a SELECT.
fn as_count(sql: &str) -> String {
    if let Some(rest) = sql.strip_prefix("DELETE FROM ") {
        format!("SELECT COUNT(*) AS n FROM {rest}")
    } else if let Some(rest) = sql.strip_prefix("UPDATE ") {
        let (table, tail) = rest.split_once(" SET ").unwrap_or((rest, ""));
        let filter = tail.split_once(" WHERE ").map_or("", |(_, w)| w);
        format!("SELECT COUNT(*) AS n FROM {table} WHERE {filter}")
    } else {
        sql.to_owned()
    }
}

impl Store {
    /// What erasing `employee_id` would touch, writing nothing; NotFound for
    /// an id the directory does not know.
    pub async fn erasure_preview(&self, employee_id: &str) -> Result<ErasurePreview> {
        let mut conn = self.pool.acquire().await?;
        let person = sqlx::query("SELECT email FROM people WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "employee", id: employee_id.to_owned() })?;
        let email: String = person.try_get("email")?;
        let (emails, accounts) = credentials_of(&mut conn, employee_id, &email).await?;
        let mut counts = zero_counts();
        for (kind, sql) in KINDS {
            if sql.contains("{accounts}") && accounts.is_empty() {
                continue;
            }
            let sql = as_count(sql);
            let (e, a) = (
                if sql.contains("{emails}") { emails.len() } else { 0 },
                if sql.contains("{accounts}") { accounts.len() } else { 0 },
            );
            let text = statement(&sql, e, a);
            let mut q = sqlx::query(sqlx::AssertSqlSafe(text)).bind(employee_id.to_owned());
            if e > 0 {
                for m in &emails {
                    q = q.bind(m.clone());
                }
            }
            if a > 0 {
                for id in &accounts {
                    q = q.bind(*id);
                }
            }
            let n: i64 = q.fetch_one(&mut *conn).await?.try_get("n")?;
            *counts.entry((*kind).to_owned()).or_default() += u64::try_from(n).unwrap_or(0);
        }
        let open = self.open_pairs_of(employee_id).await?;
        counts.insert("pairs_ended".into(), open.len() as u64);
        counts.insert("person".into(), u64::from(!self.is_erased(employee_id).await?));
        Ok(ErasurePreview { open_pairs: open, counts })
    }

    /// The person's pairs that have not ended, in any program.
    pub async fn open_pairs_of(&self, employee_id: &str) -> Result<Vec<PairId>> {
        let rows = sqlx::query(
            "SELECT id FROM pairs WHERE (leader_id = $1 OR mentor_id = $1) AND status <> 'ended' ORDER BY id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(PairId(r.try_get("id")?))).collect()
    }

    /// Whether the directory entry holds nothing identifying any more.
    async fn is_erased(&self, employee_id: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM people WHERE employee_id = $1 AND name = $2 AND email = $3 \
             AND title IS NULL AND location IS NULL AND timezone IS NULL AND perspectives = '' AND manager_id IS NULL",
        )
        .bind(employee_id)
        .bind(ERASED_NAME)
        .bind(erased_address(employee_id))
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Erases `employee_id` in one transaction: ends `ending` (their open
    /// pairs, `reason` recorded) and queues `outgoing` (the partners' mail),
    /// deletes what they wrote or answered and every credential, blanks the
    /// directory entry, writes the deletion record and marks pending
    /// requests done. All or nothing; a second run erases nothing more.
    pub async fn erase_person(
        &self,
        employee_id: &str,
        erased_by: &str,
        ending: &[PairId],
        ended_on: &str,
        reason: &str,
        outgoing: &[Outgoing],
    ) -> Result<Erasure> {
        let mut tx = self.pool.begin().await?;
        let person = sqlx::query("SELECT name, email FROM people WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "employee", id: employee_id.to_owned() })?;
        let (name, email): (String, String) = (person.try_get("name")?, person.try_get("email")?);
        let mut counts = zero_counts();
        let mut ended = 0;
        for pair in ending {
            if crate::pairing::end_pair_in(&mut tx, *pair, ended_on, reason).await? {
                ended += 1;
            }
        }
        counts.insert("pairs_ended".into(), ended);
        crate::outbox::enqueue_in(&mut tx, outgoing).await?;
        let (emails, accounts) = credentials_of(&mut tx, employee_id, &email).await?;
        // Old audit entries that name them (an e-mail as actor or subject)
        // lose those words; the chain keeps their digests (see audit.rs).
        if name != ERASED_NAME {
            let mut words = emails.clone();
            words.push(name.clone());
            let redacted = crate::audit::redact_in(&mut tx, &words, erased_by, employee_id).await?;
            counts.insert("audit_entries_redacted".into(), redacted);
        }
        for (kind, sql) in KINDS {
            let n = run_kind(&mut tx, sql, employee_id, &emails, &accounts).await?;
            *counts.entry((*kind).to_owned()).or_default() += n;
        }
        let placeholder = erased_address(employee_id);
        let person = sqlx::query(
            "UPDATE people SET name = $2, email = $3, title = NULL, location = NULL, timezone = NULL, \
             perspectives = '', manager_id = NULL \
             WHERE employee_id = $1 AND NOT (name = $2 AND email = $3 AND title IS NULL AND location IS NULL \
             AND timezone IS NULL AND perspectives = '' AND manager_id IS NULL)",
        )
        .bind(employee_id)
        .bind(ERASED_NAME)
        .bind(placeholder.as_str())
        .execute(&mut *tx)
        .await?;
        counts.insert("person".into(), person.rows_affected());
        // Never matched again: a re-match after the ending leaves them out.
        sqlx::query("UPDATE enrolments SET opted_out = 1 WHERE employee_id = $1 AND opted_out = 0")
            .bind(employee_id)
            .execute(&mut *tx)
            .await?;
        // An administrator's reason may name the person: scrubbed too.
        sqlx::query(
            "UPDATE erasure_requests SET reason = REPLACE(REPLACE(reason, $2, $4), $3, $4) WHERE employee_id = $1",
        )
        .bind(employee_id)
        .bind(name.as_str())
        .bind(email.as_str())
        .bind(ERASED_NAME)
        .execute(&mut *tx)
        .await?;
        let erased_at = now_rfc3339();
        let json = serde_json::to_string(&counts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id: i64 = sqlx::query(
            "INSERT INTO erasures (employee_id, erased_at, erased_by, counts) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(employee_id)
        .bind(erased_at.as_str())
        .bind(erased_by)
        .bind(json)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query(
            "UPDATE erasure_requests SET done_at = $2, erasure_id = $3 WHERE employee_id = $1 AND done_at IS NULL",
        )
        .bind(employee_id)
        .bind(erased_at.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Erasure { id, employee_id: employee_id.to_owned(), erased_at, erased_by: erased_by.to_owned(), counts })
    }

    /// After an erasure committed: SQLite moves the write-ahead log into the
    /// file and truncates it (deleted rows were zeroed by `secure_delete`);
    /// PostgreSQL vacuums the tables the erasure touched.
    pub async fn scrub_after_erasure(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
            }
            Backend::Postgres => {
                let text = format!("VACUUM {}", TOUCHED.join(", "));
                sqlx::raw_sql(sqlx::AssertSqlSafe(text)).execute(&self.pool).await?;
            }
        }
        Ok(())
    }

    /// Every deletion record of `employee_id` (all of them for None), newest first.
    pub async fn erasures(&self, employee_id: Option<&str>) -> Result<Vec<Erasure>> {
        let rows = sqlx::query(
            "SELECT id, employee_id, erased_at, erased_by, counts FROM erasures \
             WHERE $1 = '' OR employee_id = $1 ORDER BY id DESC",
        )
        .bind(employee_id.unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let counts: String = r.try_get("counts")?;
                Ok(Erasure {
                    id: r.try_get("id")?,
                    employee_id: r.try_get("employee_id")?,
                    erased_at: r.try_get("erased_at")?,
                    erased_by: r.try_get("erased_by")?,
                    counts: serde_json::from_str(&counts)
                        .map_err(|e| StoreError::Corrupt(format!("erasure counts: {e}")))?,
                })
            })
            .collect()
    }

    /// Records an administrator's request; NotFound for an unknown employee id.
    pub async fn request_erasure(&self, employee_id: &str, reason: &str, requested_by: &str) -> Result<ErasureRequest> {
        let known = sqlx::query("SELECT COUNT(*) AS n FROM people WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_one(&self.pool)
            .await?
            .try_get::<i64, _>("n")?;
        if known == 0 {
            return Err(StoreError::NotFound { what: "employee", id: employee_id.to_owned() });
        }
        let at = now_rfc3339();
        let id: i64 = sqlx::query(
            "INSERT INTO erasure_requests (employee_id, reason, requested_by, requested_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(employee_id)
        .bind(reason)
        .bind(requested_by)
        .bind(at.as_str())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(ErasureRequest {
            id,
            employee_id: employee_id.to_owned(),
            reason: reason.to_owned(),
            requested_by: requested_by.to_owned(),
            requested_at: at,
            done_at: None,
        })
    }

    /// Requests, pending first, then done ones newest first.
    pub async fn erasure_requests(&self, pending_only: bool) -> Result<Vec<ErasureRequest>> {
        let rows = sqlx::query(
            "SELECT id, employee_id, reason, requested_by, requested_at, done_at FROM erasure_requests \
             WHERE $1 = 0 OR done_at IS NULL \
             ORDER BY CASE WHEN done_at IS NULL THEN 0 ELSE 1 END, id DESC",
        )
        .bind(i64::from(pending_only))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ErasureRequest {
                    id: r.try_get("id")?,
                    employee_id: r.try_get("employee_id")?,
                    reason: r.try_get("reason")?,
                    requested_by: r.try_get("requested_by")?,
                    requested_at: r.try_get("requested_at")?,
                    done_at: r.try_get("done_at")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_reads_the_same_rows_its_statement_changes() {
        assert_eq!(
            as_count("DELETE FROM notes WHERE author_id = $1"),
            "SELECT COUNT(*) AS n FROM notes WHERE author_id = $1"
        );
        assert_eq!(
            as_count("UPDATE enrolments SET perspectives = NULL WHERE employee_id = $1 AND perspectives IS NOT NULL"),
            "SELECT COUNT(*) AS n FROM enrolments WHERE employee_id = $1 AND perspectives IS NOT NULL"
        );
    }

    #[test]
    fn lists_number_after_the_employee_id() {
        assert_eq!(
            statement("x IN ({emails}) AND y IN ({accounts}) AND z = $1", 2, 1),
            "x IN ($2, $3) AND y IN ($4) AND z = $1"
        );
        assert_eq!(statement("x IN ({emails}) AND y IN ({accounts})", 1, 0), "x IN ($2) AND y IN (NULL)");
    }

    #[test]
    fn a_placeholder_address_is_known_as_erased() {
        assert!(is_erased_address(&erased_address("E-17")));
        assert!(!is_erased_address("someone@lab.test"));
    }
}
