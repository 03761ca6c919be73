//! Fresh, throw-away databases for tests: an SQLite file in a temporary folder,
//! or a new PostgreSQL database on the server named by `PLAB_TEST_POSTGRES_URL`.
//! Enabled by the `testing` feature; never part of the shipped binary.

pub mod smtp;
pub mod sweep;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

pub const POSTGRES_ENV: &str = "PLAB_TEST_POSTGRES_URL";

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_suffix() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}_{}_{}", std::process::id(), nanos % 1_000_000_000, n)
}

/// A database that exists for as long as this value does.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("plab_test_{}", unique_suffix()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TestDb { url: format!("sqlite://{}", dir.join("plab.db").display()), cleanup: Cleanup::Dir(dir) }
    }

    /// A new, empty PostgreSQL database, or None when the variable is unset.
    /// Under CI (`CI` set) an unset variable is an error: PostgreSQL tests must run there.
    pub fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            assert!(std::env::var_os("CI").is_none(), "{POSTGRES_ENV} must be set under CI");
            eprintln!("skipped: {POSTGRES_ENV} is not set");
            return None;
        };
        let name = format!("plab_test_{}", unique_suffix());
        run_admin(&admin_url, format!("CREATE DATABASE {name}"));
        let url = with_database(&admin_url, &name);
        Some(TestDb { url, cleanup: Cleanup::Postgres { admin_url, name } })
    }

    /// The folder holding an SQLite test database, for files beside it.
    pub fn dir(&self) -> Option<&std::path::Path> {
        match &self.cleanup {
            Cleanup::Dir(d) => Some(d),
            Cleanup::Postgres { .. } => None,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Postgres { admin_url, name } => {
                run_admin(admin_url, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Replaces the database name in a postgres URL, keeping its query string.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Runs one statement on its own thread and runtime, so it works from Drop and
/// from inside an async test alike.
fn run_admin(admin_url: &str, sql: String) {
    let url = admin_url.to_owned();
    let result = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async move {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&url).await?;
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await?;
            conn.close().await
        })
    })
    .join();
    match result {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("test database admin statement failed: {e}"),
        Err(_) => panic!("test database admin thread panicked"),
    }
}

/// Stores and approves a proposal of these `(leader, mentor)` pairs in a
/// program, as a sponsor's approval would: they start `forming`.
pub async fn approve_pairs(store: &crate::Store, program: crate::ProgramId, pairs: &[(&str, &str)]) {
    let pairs: Vec<crate::StoredPair> = pairs
        .iter()
        .map(|(l, m)| crate::StoredPair {
            leader: (*l).into(),
            mentor: (*m).into(),
            score: 1.0,
            kind: "topic".into(),
            reasons: vec![],
        })
        .collect();
    let new = crate::NewProposal {
        parameters: "{}",
        total_score: 1.0,
        solve_ms: 0.0,
        unmatched: &[],
        unmatched_reasons: &[],
        pairs: &pairs,
    };
    let id = store.add_proposal(program, &new).await.expect("proposal");
    store.approve_proposal(program, id).await.expect("approve");
}

/// Enrols someone in a second role of a program as the store did before
/// one person took one role per program (migration 0025), for tests of how
/// such older data is treated. The trigger is set aside for this one write.
pub async fn enrol_as_before_the_one_role_rule(
    store: &crate::Store,
    program: crate::ProgramId,
    employee_id: &str,
    role: plab_domain::program::Role,
) {
    use sqlx::Row;
    let mut tx = store.pool.begin().await.expect("begin");
    let insert =
        "INSERT INTO enrolments (program_id, employee_id, role, capacity, opted_out) VALUES ($1, $2, $3, 1, 0)";
    match store.backend {
        crate::Backend::Sqlite => {
            let name = "enrolments_one_role_insert";
            let sql: String = sqlx::query("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = $1")
                .bind(name)
                .fetch_one(&mut *tx)
                .await
                .expect("the trigger")
                .try_get("sql")
                .expect("its SQL");
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER {name}"))).execute(&mut *tx).await.expect("drop");
            sqlx::query(insert)
                .bind(program.0)
                .bind(employee_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await
                .expect("enrol");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.expect("trigger again");
        }
        crate::Backend::Postgres => {
            let toggle = |on: &str| format!("ALTER TABLE enrolments {on} TRIGGER enrolments_one_role");
            sqlx::query(sqlx::AssertSqlSafe(toggle("DISABLE"))).execute(&mut *tx).await.expect("disable");
            sqlx::query(insert)
                .bind(program.0)
                .bind(employee_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await
                .expect("enrol");
            sqlx::query(sqlx::AssertSqlSafe(toggle("ENABLE"))).execute(&mut *tx).await.expect("enable");
        }
    }
    tx.commit().await.expect("commit");
}

/// Every byte the outbox holds (keys, recipients, sealed messages), for tests
/// that check a secret never sits there in the clear.
pub async fn outbox_bytes(store: &crate::Store) -> Vec<u8> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT dedupe_key, kind, recipient, nonce, sealed, last_error FROM outbox")
        .fetch_all(&store.pool)
        .await
        .expect("outbox");
    let mut out = Vec::new();
    for r in rows {
        for text in ["dedupe_key", "kind", "recipient"] {
            out.extend(r.try_get::<String, _>(text).expect("text").into_bytes());
        }
        out.extend(r.try_get::<Option<String>, _>("last_error").expect("error").unwrap_or_default().into_bytes());
        for bytes in ["nonce", "sealed"] {
            out.extend(r.try_get::<Vec<u8>, _>(bytes).expect("bytes"));
        }
    }
    out
}

/// Every byte of the SCIM tokens table and the audit log, for tests that
/// check a token's secret is never stored.
pub async fn scim_token_bytes(store: &crate::Store) -> Vec<u8> {
    use sqlx::Row;
    let mut out = Vec::new();
    for (sql, columns) in [
        ("SELECT token_hash, label, created_at FROM scim_tokens", ["token_hash", "label", "created_at"]),
        ("SELECT actor, subject, detail FROM audit_log", ["actor", "subject", "detail"]),
    ] {
        for r in sqlx::query(sql).fetch_all(&store.pool).await.expect("rows") {
            for column in columns {
                out.extend(r.try_get::<String, _>(column).expect("text").into_bytes());
            }
        }
    }
    out
}

/// Every row of every table (but the migrations' own), each rendered as
/// text and sorted, by table: two snapshots are equal exactly when nothing
/// was written in between, on either backend.
pub async fn every_row(store: &crate::Store) -> std::collections::BTreeMap<String, Vec<String>> {
    use sqlx::{Column, Row};
    let tables_sql = match store.backend {
        crate::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '_sqlx%'"
        }
        crate::Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '_sqlx%'"
        }
    };
    let tables = sqlx::query(tables_sql).fetch_all(&store.pool).await.expect("tables");
    let mut out = std::collections::BTreeMap::new();
    for table in tables {
        let table: String = table.try_get("name").expect("table name");
        // The name comes from the database's own catalogue, not from a caller.
        let select = sqlx::AssertSqlSafe(format!("SELECT * FROM {table}"));
        let rows = sqlx::query(select).fetch_all(&store.pool).await.expect("rows");
        let mut texts: Vec<String> = rows
            .iter()
            .map(|row| {
                row.columns()
                    .iter()
                    .map(|c| format!("{}={}", c.name(), any_value_text(row, c.ordinal(), &table)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect();
        texts.sort();
        out.insert(table, texts);
    }
    out
}

/// One value of an `Any` row as text, whatever its type.
fn any_value_text(row: &sqlx::any::AnyRow, i: usize, table: &str) -> String {
    use sqlx::Row;
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return format!("{v:?}");
    }
    match row.try_get::<Option<Vec<u8>>, _>(i) {
        Ok(v) => format!("{v:?}"),
        Err(e) => panic!("{table}: column {i} cannot be read as text: {e}"),
    }
}

/// How many set-password links are open (unused), whoever they are for.
pub async fn open_link_count(store: &crate::Store) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM password_links WHERE used_at IS NULL")
        .fetch_one(&store.pool)
        .await
        .expect("links")
        .try_get("n")
        .expect("count")
}

/// Moves a person's last invitation `secs` seconds into the past, as if time had passed.
pub async fn backdate_invitation(store: &crate::Store, program: crate::ProgramId, employee_id: &str, secs: i64) {
    let at = time::OffsetDateTime::now_utc() - time::Duration::seconds(secs);
    sqlx::query("UPDATE invitations SET invited_at = $1 WHERE program_id = $2 AND employee_id = $3")
        .bind(crate::sql::instant_text(at))
        .bind(program.0)
        .bind(employee_id)
        .execute(&store.pool)
        .await
        .expect("backdate");
}

/// Runs one statement straight on the database, as someone with access to
/// its files would: for tests that tamper with stored rows.
pub async fn tamper(store: &crate::Store, sql: &'static str) {
    sqlx::query(sql).execute(&store.pool).await.expect("tamper");
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced_and_query_kept() {
        assert_eq!(
            super::with_database("postgres://u@h:5432/test?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
    }
}
