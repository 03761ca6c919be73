//! Who did what, when: sponsor, admin and account actions. It records ids and
//! counts, never the content of notes or answers.
//!
//! The log is a hash chain. Each entry's hash covers the hash of the entry
//! before it, its id, time, action and program, and the SHA-256 digests of its
//! actor, subject and detail. `audit_head` holds the newest entry's hash and the
//! number of entries, and every writer updates that one row first, so entries
//! join the chain one at a time on both backends. `verify_audit_chain` then finds
//! an entry that was changed (its hash no longer matches), removed or inserted
//! (the next entry's link no longer matches), or cut from the end (the head no
//! longer matches). An erasure may replace words in an entry; the replaced
//! fields' digests are kept in `sealed` and the entry's ids are named by a later
//! `audit.redact` entry, so the chain still verifies without the erased words.
use crate::{Result, Store, StoreError, now_rfc3339};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The hash the first entry links to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// What a field an erasure replaced reads afterwards.
pub const REDACTED: &str = "[erased]";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub at: String,
    /// The program the entry concerns, when it concerns one.
    pub program: Option<i64>,
}

/// Which entries to list. Every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// The actor, exactly (case does not matter).
    pub actor: Option<String>,
    /// The action, exactly, or every action under a prefix ending in `.` (`pairing.`).
    pub action: Option<String>,
    /// Entries at or after this RFC 3339 time (or `YYYY-MM-DD`).
    pub from: Option<String>,
    /// Entries before this RFC 3339 time (or `YYYY-MM-DD`, the day excluded).
    pub to: Option<String>,
    /// Only entries with a larger id, oldest first (a reader following the log).
    pub after: Option<i64>,
    /// Only entries with a smaller id, newest first (paging back).
    pub before: Option<i64>,
    /// Only entries about this program.
    pub program: Option<i64>,
    /// Only these actions (a reader who may see some kinds only).
    pub only_actions: Option<&'static [&'static str]>,
    pub limit: u32,
}

/// What `verify_audit_chain` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    /// Entries read.
    pub entries: u64,
    /// The newest entry's hash, to note down and compare with later.
    pub head: String,
    /// The first break, when the chain is not whole.
    pub problem: Option<ChainProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainProblem {
    /// The entry at which the chain breaks.
    pub id: i64,
    pub kind: ChainBreak,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry's words or fields are not what was written.
    Changed,
    /// The entry does not follow the one before it: an entry was removed
    /// before it, or it (or the one before it) was inserted.
    RemovedOrInserted,
    /// Entries after this one were removed from the end of the log.
    Truncated,
    /// Words were replaced without an erasure that names the entry.
    RedactedWithoutErasure,
}

impl ChainBreak {
    pub fn as_str(self) -> &'static str {
        match self {
            ChainBreak::Changed => "changed",
            ChainBreak::RemovedOrInserted => "removed_or_inserted",
            ChainBreak::Truncated => "truncated",
            ChainBreak::RedactedWithoutErasure => "redacted_without_erasure",
        }
    }
}

fn digest(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The three field digests an entry's hash covers: the stored ones for
/// fields an erasure replaced, otherwise those of the words as they are now.
struct Fields<'a> {
    actor: &'a str,
    subject: &'a str,
    detail: &'a str,
    sealed: Option<&'a str>,
}

impl Fields<'_> {
    fn digests(&self) -> [String; 3] {
        let mut out = [digest(self.actor), digest(self.subject), digest(self.detail)];
        if let Some(sealed) = self.sealed {
            for part in sealed.split(';') {
                match part.split_once(':') {
                    Some(("actor", d)) => out[0] = d.to_owned(),
                    Some(("subject", d)) => out[1] = d.to_owned(),
                    Some(("detail", d)) => out[2] = d.to_owned(),
                    _ => {}
                }
            }
        }
        out
    }
}

fn entry_hash(prev: &str, id: i64, at: &str, action: &str, program: Option<i64>, fields: &Fields<'_>) -> String {
    let [actor, subject, detail] = fields.digests();
    let program = program.map(|p| p.to_string()).unwrap_or_default();
    digest(&format!("plab-audit-v1\n{prev}\n{id}\n{at}\n{action}\n{program}\n{actor}\n{subject}\n{detail}"))
}

/// The program an entry concerns, from its subject (`program N`, `pair N`,
/// `session N`).
async fn program_of(tx: &mut sqlx::AnyConnection, subject: &str) -> Result<Option<i64>> {
    let Some((kind, id)) = subject.split_once(' ') else { return Ok(None) };
    let Ok(id) = id.parse::<i64>() else { return Ok(None) };
    let sql = match kind {
        "program" => return Ok(Some(id)),
        "pair" => "SELECT program_id FROM pairs WHERE id = $1",
        "session" => "SELECT p.program_id FROM sessions s JOIN pairs p ON p.id = s.pair_id WHERE s.id = $1",
        _ => return Ok(None),
    };
    Ok(sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *tx).await?)
}

/// Appends one entry to the chain inside the caller's transaction.
pub(crate) async fn append_in(
    tx: &mut sqlx::AnyConnection,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<i64> {
    // Updating the head first makes every other writer wait for this one.
    let taken = sqlx::query("UPDATE audit_head SET entries = entries + 1 WHERE one = 1").execute(&mut *tx).await?;
    if taken.rows_affected() != 1 {
        return Err(StoreError::Corrupt("the audit log's chain head is missing".into()));
    }
    let prev: String = sqlx::query_scalar("SELECT last_hash FROM audit_head WHERE one = 1").fetch_one(&mut *tx).await?;
    let program = program_of(tx, subject).await?;
    let at = now_rfc3339();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (actor, action, subject, detail, at, program_id, prev_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(&at)
    .bind(program)
    .bind(&prev)
    .fetch_one(&mut *tx)
    .await?;
    let hash = entry_hash(&prev, id, &at, action, program, &Fields { actor, subject, detail, sealed: None });
    sqlx::query("UPDATE audit_log SET hash = $1 WHERE id = $2").bind(&hash).bind(id).execute(&mut *tx).await?;
    sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE one = 1")
        .bind(id)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

fn entry(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        subject: r.try_get("subject")?,
        detail: r.try_get("detail")?,
        at: r.try_get("at")?,
        program: r.try_get("program_id")?,
    })
}

/// `YYYY-MM-DD` as the start of that day, an RFC 3339 time as it is.
fn bound(text: &str) -> String {
    if text.len() == 10 { format!("{text}T00:00:00Z") } else { text.to_owned() }
}

impl Store {
    pub async fn audit(&self, actor: &str, action: &str, subject: &str, detail: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        append_in(&mut tx, actor, action, subject, detail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest entries first.
    pub async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.audit_entries(&AuditQuery { limit, ..AuditQuery::default() }).await
    }

    /// The entries that match `query`: oldest first after `after`, otherwise
    /// newest first.
    pub async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut sql =
            String::from("SELECT id, actor, action, subject, detail, at, program_id FROM audit_log WHERE 1 = 1");
        let mut texts: Vec<String> = Vec::new();
        let mut numbers: Vec<i64> = Vec::new();
        // Binds go texts first, then numbers; placeholders are numbered to match.
        let mut text_conditions: Vec<String> = Vec::new();
        if let Some(actor) = &query.actor {
            texts.push(actor.trim().to_lowercase());
            text_conditions.push(format!("LOWER(actor) = ${}", texts.len()));
        }
        if let Some(action) = &query.action {
            if let Some(prefix) = action.strip_suffix('.') {
                texts.push(format!("{prefix}.%"));
                text_conditions.push(format!("action LIKE ${}", texts.len()));
            } else {
                texts.push(action.clone());
                text_conditions.push(format!("action = ${}", texts.len()));
            }
        }
        if let Some(from) = &query.from {
            texts.push(bound(from));
            text_conditions.push(format!("at >= ${}", texts.len()));
        }
        if let Some(to) = &query.to {
            texts.push(bound(to));
            text_conditions.push(format!("at < ${}", texts.len()));
        }
        if let Some(only) = query.only_actions {
            let mut placeholders = Vec::new();
            for action in only {
                texts.push((*action).to_owned());
                placeholders.push(format!("${}", texts.len()));
            }
            text_conditions.push(format!("action IN ({})", placeholders.join(", ")));
        }
        for condition in text_conditions {
            sql.push_str(" AND ");
            sql.push_str(&condition);
        }
        let mut number = |sql: &mut String, column: &str, op: &str, value: i64| {
            numbers.push(value);
            sql.push_str(&format!(" AND {column} {op} ${}", texts.len() + numbers.len()));
        };
        if let Some(after) = query.after {
            number(&mut sql, "id", ">", after);
        }
        if let Some(before) = query.before {
            number(&mut sql, "id", "<", before);
        }
        if let Some(program) = query.program {
            number(&mut sql, "program_id", "=", program);
        }
        let order = if query.after.is_some() { "ASC" } else { "DESC" };
        sql.push_str(&format!(" ORDER BY id {order} LIMIT {}", query.limit.max(1)));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for text in &texts {
            q = q.bind(text);
        }
        for n in &numbers {
            q = q.bind(*n);
        }
        q.fetch_all(&self.pool).await?.iter().map(entry).collect()
    }

    /// Links the entries written before the log became a chain, once: when
    /// the chain has no head yet. Entries written later without a hash are
    /// never chained in; `verify_audit_chain` reports them as inserted.
    pub(crate) async fn chain_unchained_audit_entries(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let has_head: Option<i64> =
            sqlx::query_scalar("SELECT last_id FROM audit_head WHERE one = 1").fetch_optional(&mut *tx).await?;
        if has_head.is_some() {
            return Ok(());
        }
        // Claim the head first: a second process starting at the same moment
        // fails here (the row exists) and rolls back.
        if sqlx::query("INSERT INTO audit_head (one, last_id, last_hash, entries) VALUES (1, 0, $1, 0)")
            .bind(GENESIS)
            .execute(&mut *tx)
            .await
            .is_err()
        {
            return Ok(());
        }
        let rows = sqlx::query("SELECT id, actor, action, subject, detail, at, program_id FROM audit_log ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
        let mut prev = GENESIS.to_owned();
        let mut last = 0;
        for row in &rows {
            let mut e = entry(row)?;
            e.program = program_of(&mut tx, &e.subject).await?;
            let fields = Fields { actor: &e.actor, subject: &e.subject, detail: &e.detail, sealed: None };
            let hash = entry_hash(&prev, e.id, &e.at, &e.action, e.program, &fields);
            sqlx::query("UPDATE audit_log SET program_id = $1, prev_hash = $2, hash = $3 WHERE id = $4")
                .bind(e.program)
                .bind(&prev)
                .bind(&hash)
                .bind(e.id)
                .execute(&mut *tx)
                .await?;
            prev = hash;
            last = e.id;
        }
        sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2, entries = $3 WHERE one = 1")
            .bind(last)
            .bind(&prev)
            .bind(i64::try_from(rows.len()).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Walks the whole chain, oldest first, and names the first break.
    pub async fn verify_audit_chain(&self) -> Result<ChainCheck> {
        let head = sqlx::query("SELECT last_id, last_hash, entries FROM audit_head WHERE one = 1")
            .fetch_optional(&self.pool)
            .await?;
        let Some(head) = head else {
            return Err(StoreError::Corrupt("the audit log's chain head is missing".into()));
        };
        let (head_id, head_hash, head_entries): (i64, String, i64) =
            (head.try_get("last_id")?, head.try_get("last_hash")?, head.try_get("entries")?);
        let mut prev = GENESIS.to_owned();
        let mut last_id = 0;
        let mut count: u64 = 0;
        let mut sealed_ids: Vec<i64> = Vec::new();
        let mut named: std::collections::HashSet<i64> = std::collections::HashSet::new();
        let mut after = 0_i64;
        let found = |count: u64, id: i64, kind: ChainBreak| {
            Ok(ChainCheck { entries: count, head: head_hash.clone(), problem: Some(ChainProblem { id, kind }) })
        };
        loop {
            let rows = sqlx::query(
                "SELECT id, actor, action, subject, detail, at, program_id, prev_hash, hash, sealed \
                 FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
            )
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let e = entry(row)?;
                let stored_prev: Option<String> = row.try_get("prev_hash")?;
                let stored: Option<String> = row.try_get("hash")?;
                let sealed: Option<String> = row.try_get("sealed")?;
                count += 1;
                after = e.id;
                let (Some(stored_prev), Some(stored)) = (stored_prev, stored) else {
                    return found(count, e.id, ChainBreak::RemovedOrInserted);
                };
                let fields =
                    Fields { actor: &e.actor, subject: &e.subject, detail: &e.detail, sealed: sealed.as_deref() };
                if entry_hash(&stored_prev, e.id, &e.at, &e.action, e.program, &fields) != stored {
                    return found(count, e.id, ChainBreak::Changed);
                }
                if stored_prev != prev {
                    return found(count, e.id, ChainBreak::RemovedOrInserted);
                }
                if sealed.is_some() {
                    sealed_ids.push(e.id);
                }
                if e.action == "audit.redact" {
                    named.extend(e.detail.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse::<i64>().ok()));
                }
                prev = stored;
                last_id = e.id;
            }
        }
        if let Some(id) = sealed_ids.into_iter().find(|id| !named.contains(id)) {
            return found(count, id, ChainBreak::RedactedWithoutErasure);
        }
        if prev != head_hash || last_id != head_id || u64::try_from(head_entries).ok() != Some(count) {
            return found(count, last_id, ChainBreak::Truncated);
        }
        Ok(ChainCheck { entries: count, head: head_hash.clone(), problem: None })
    }

    /// Replaces, in every entry, the fields that contain one of `words`
    /// (case does not matter) with `[erased]`, keeping the fields' digests so
    /// the chain still verifies, and appends an `audit.redact` entry naming the
    /// entries changed (by `by`, about `subject`). The number of entries changed.
    pub async fn redact_audit(&self, words: &[String], by: &str, subject: &str) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let changed = redact_in(&mut tx, words, by, subject).await?;
        tx.commit().await?;
        Ok(changed)
    }
}

/// `Store::redact_audit` inside the caller's transaction (an erasure).
pub(crate) async fn redact_in(tx: &mut sqlx::AnyConnection, words: &[String], by: &str, subject: &str) -> Result<u64> {
    let words: Vec<String> = words.iter().map(|w| w.trim().to_lowercase()).filter(|w| w.len() >= 3).collect();
    if words.is_empty() {
        return Ok(0);
    }
    let mut changed = Vec::new();
    let mut after = 0_i64;
    loop {
        let rows = sqlx::query(
            "SELECT id, actor, action, subject, detail, at, program_id, sealed \
             FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
        )
        .bind(after)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let e = entry(row)?;
            after = e.id;
            let sealed: Option<String> = row.try_get("sealed")?;
            let holds = |text: &str| {
                let text = text.to_lowercase();
                words.iter().any(|w| text.contains(w.as_str()))
            };
            let fields = Fields { actor: &e.actor, subject: &e.subject, detail: &e.detail, sealed: sealed.as_deref() };
            let [actor_d, subject_d, detail_d] = fields.digests();
            let mut parts: Vec<String> = sealed.iter().map(|s| s.to_owned()).collect();
            let (mut actor, mut subject_text, mut detail) = (e.actor.clone(), e.subject.clone(), e.detail.clone());
            let mut touched = false;
            for (name, text, d) in [
                ("actor", &mut actor, actor_d),
                ("subject", &mut subject_text, subject_d),
                ("detail", &mut detail, detail_d),
            ] {
                if text.as_str() != REDACTED && holds(text) {
                    *text = REDACTED.to_owned();
                    parts.push(format!("{name}:{d}"));
                    touched = true;
                }
            }
            if !touched {
                continue;
            }
            sqlx::query("UPDATE audit_log SET actor = $1, subject = $2, detail = $3, sealed = $4 WHERE id = $5")
                .bind(&actor)
                .bind(&subject_text)
                .bind(&detail)
                .bind(parts.join(";"))
                .bind(e.id)
                .execute(&mut *tx)
                .await?;
            changed.push(e.id);
        }
    }
    if !changed.is_empty() {
        let ids: Vec<String> = changed.iter().map(i64::to_string).collect();
        append_in(tx, by, "audit.redact", subject, &format!("entries {}", ids.join(", "))).await?;
    }
    Ok(changed.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entrys_hash_changes_with_every_field_and_with_the_link_before_it() {
        let fields = Fields { actor: "a", subject: "program 1", detail: "d", sealed: None };
        let base = entry_hash(GENESIS, 1, "2026-01-01T00:00:00Z", "x", Some(1), &fields);
        let other_detail =
            Fields { detail: "e", ..Fields { actor: "a", subject: "program 1", detail: "d", sealed: None } };
        assert_ne!(base, entry_hash(GENESIS, 1, "2026-01-01T00:00:00Z", "x", Some(1), &other_detail));
        assert_ne!(base, entry_hash(&digest("other"), 1, "2026-01-01T00:00:00Z", "x", Some(1), &fields));
        assert_ne!(base, entry_hash(GENESIS, 2, "2026-01-01T00:00:00Z", "x", Some(1), &fields));
        assert_ne!(base, entry_hash(GENESIS, 1, "2026-01-01T00:00:00Z", "x", None, &fields));
    }

    #[test]
    fn a_sealed_field_hashes_as_the_words_it_replaced() {
        let original = Fields { actor: "ann@example.com", subject: "s", detail: "d", sealed: None };
        let sealed = format!("actor:{}", digest("ann@example.com"));
        let redacted = Fields { actor: REDACTED, subject: "s", detail: "d", sealed: Some(&sealed) };
        assert_eq!(original.digests(), redacted.digests());
    }
}
