//! The portable backup format, and the walk over every table that writes and
//! restores it. One format for both backends, so that a backup of SQLite
//! restores into PostgreSQL and back.
//!
//! The file is JSON Lines:
//! - a header: `{"format":"plab-backup","version":1,"created_at","backend",
//!   "schema_version","note_key_ids":[…]}` (the ids of the notes keys, never a key);
//! - per table, `{"table":NAME,"columns":[[NAME,TYPE]…]}` with TYPE one of
//!   `integer`, `real`, `text`, `blob`, then one JSON array per row (a blob is
//!   base64, a missing value `null`);
//! - a trailer: `{"trailer":{"rows":{TABLE:COUNT…}},"sha256":HEX}`, the digest
//!   over every byte before the trailer line.
//!
//! Tables come in an order that puts every table after the tables its foreign
//! keys point to, so a restore can insert them as it reads them.
use crate::{Backend, Result, SealedNote, Store, StoreError};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

pub const BACKUP_FORMAT: &str = "plab-backup";
pub const BACKUP_FORMAT_VERSION: u32 = 1;

/// Tables a fresh database fills by itself (the migrations' revision row, the
/// audit chain's head the store writes when it starts): they do not make a
/// target non-empty, and a restore replaces their rows with the backup's.
pub const SEEDED_BY_MIGRATIONS: &[&str] = &["data_revision", "audit_head"];

const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Rows per INSERT statement at restore.
const ROWS_PER_INSERT: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: String,
    pub version: u32,
    pub created_at: String,
    /// `sqlite` or `postgres`: where the backup was taken (it restores into either).
    pub backend: String,
    /// The highest migration applied to the database the backup was taken from.
    pub schema_version: i64,
    /// The ids of the keys the notes are sealed under; never a key.
    pub note_key_ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Integer,
    Real,
    Text,
    Blob,
}

impl ColumnType {
    /// The portable type of a column declared as `declared` (SQLite's declared
    /// type or PostgreSQL's `data_type`).
    fn of(declared: &str) -> ColumnType {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            ColumnType::Integer
        } else if t.contains("REAL") || t.contains("DOUB") || t.contains("FLOA") || t.contains("NUMERIC") {
            ColumnType::Real
        } else if t.contains("BLOB") || t.contains("BYTEA") {
            ColumnType::Blob
        } else {
            ColumnType::Text
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TableLine {
    table: String,
    columns: Vec<(String, ColumnType)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TrailerLine {
    trailer: TrailerCounts,
    sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TrailerCounts {
    rows: BTreeMap<String, u64>,
}

/// What a backup holds, from its header and trailer.
#[derive(Debug, Clone, Serialize)]
pub struct BackupSummary {
    #[serde(flatten)]
    pub header: BackupHeader,
    /// Rows per table, in the file's order.
    pub tables: Vec<TableRows>,
    pub rows: u64,
    /// The size of the backup before any encryption.
    pub plain_bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableRows {
    pub table: String,
    pub rows: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file is not a whole, unchanged backup (truncated, edited, not one at all).
    #[error("{0}")]
    Invalid(String),
    /// The target cannot take this backup (not empty, a newer schema); nothing was written.
    #[error("{0}")]
    Refused(String),
    /// The restored data failed a check (a note the key does not open…); it was rolled back.
    #[error("{0}")]
    Check(String),
    #[error("cannot write the backup: {0}")]
    Write(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> BackupError {
        BackupError::Store(e.into())
    }
}

/// One value, typed by its column.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

struct Table {
    name: String,
    columns: Vec<(String, ColumnType)>,
    /// PostgreSQL: identity columns, and whether any is GENERATED ALWAYS.
    identity: Vec<String>,
    always: bool,
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Counts bytes and hashes them on their way to the file.
struct Hashing<'a, W: Write> {
    inner: &'a mut W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Hashing<'_, W> {
    fn line(&mut self, value: &impl Serialize) -> std::result::Result<(), BackupError> {
        let mut buf = serde_json::to_vec(value).map_err(|e| BackupError::Write(e.into()))?;
        buf.push(b'\n');
        self.hasher.update(&buf);
        self.bytes += buf.len() as u64;
        self.inner.write_all(&buf).map_err(BackupError::Write)
    }
}

impl Store {
    /// Opens the database without running migrations (a restore target is
    /// migrated only up to the backup's schema first).
    pub async fn connect_unmigrated(url: &str) -> Result<Store> {
        Store::open(url).await
    }

    /// The highest migration this binary knows.
    pub fn latest_schema_version() -> i64 {
        crate::migrator(Backend::Sqlite).iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The highest migration applied here; 0 for a database never migrated.
    pub async fn schema_version(&self) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        if !table_names(&mut conn, self.backend).await?.iter().any(|t| t == MIGRATIONS_TABLE) {
            return Ok(0);
        }
        schema_version(&mut conn).await
    }

    pub fn is_postgres(&self) -> bool {
        self.backend == Backend::Postgres
    }

    /// Applies the migrations up to `version` and no further.
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        crate::migrator(self.backend).run_to(version, &self.pool).await?;
        Ok(())
    }

    /// Applies every migration still pending.
    pub async fn migrate_all(&self) -> Result<()> {
        self.migrate().await
    }

    /// Writes every table to `out` from one consistent snapshot, taken while
    /// other connections keep writing: PostgreSQL's REPEATABLE READ, SQLite's
    /// read transaction in WAL mode. Rows stream through; no table is held in memory.
    pub async fn write_backup<W: Write>(&self, out: &mut W) -> std::result::Result<BackupSummary, BackupError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
        }
        // On SQLite this first read fixes the snapshot every later read sees.
        let schema_version = schema_version(&mut tx).await?;
        let note_key_ids: Vec<String> = sqlx::query("SELECT DISTINCT key_id FROM notes ORDER BY key_id")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get("key_id"))
            .collect::<std::result::Result<_, _>>()?;
        let tables = ordered_tables(&mut tx, self.backend).await?;
        let header = BackupHeader {
            format: BACKUP_FORMAT.into(),
            version: BACKUP_FORMAT_VERSION,
            created_at: crate::now_rfc3339(),
            backend: match self.backend {
                Backend::Sqlite => "sqlite".into(),
                Backend::Postgres => "postgres".into(),
            },
            schema_version,
            note_key_ids,
        };
        let mut w = Hashing { inner: out, hasher: Sha256::new(), bytes: 0 };
        w.line(&header)?;
        let mut counts = Vec::new();
        for table in &tables {
            w.line(&TableLine { table: table.name.clone(), columns: table.columns.clone() })?;
            let select = table
                .columns
                .iter()
                .map(|(name, ty)| match (self.backend, ty) {
                    (Backend::Postgres, ColumnType::Text) => format!("CAST({} AS TEXT)", quote(name)),
                    _ => quote(name),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT {select} FROM {}", quote(&table.name));
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(&mut *tx);
            let mut n = 0u64;
            use futures_util::TryStreamExt as _;
            while let Some(row) = rows.try_next().await? {
                let mut values = Vec::with_capacity(table.columns.len());
                for (i, (name, ty)) in table.columns.iter().enumerate() {
                    values.push(read_value(&row, i, *ty, &table.name, name)?);
                }
                w.line(&values)?;
                n += 1;
            }
            counts.push(TableRows { table: table.name.clone(), rows: n });
        }
        drop(tables);
        tx.commit().await?;
        let sha256 = hex(&w.hasher.clone().finalize());
        let plain_bytes = w.bytes;
        let trailer = TrailerLine {
            trailer: TrailerCounts { rows: counts.iter().map(|t| (t.table.clone(), t.rows)).collect() },
            sha256: sha256.clone(),
        };
        let mut line = serde_json::to_vec(&trailer).map_err(|e| BackupError::Write(e.into()))?;
        line.push(b'\n');
        w.inner.write_all(&line).map_err(BackupError::Write)?;
        let rows = counts.iter().map(|t| t.rows).sum();
        Ok(BackupSummary { header, tables: counts, rows, plain_bytes: plain_bytes + line.len() as u64, sha256 })
    }

    /// True when no table holds a row, rows the migrations put there aside.
    /// Returns the first table that holds rows.
    pub async fn first_table_with_rows(&self) -> Result<Option<String>> {
        let mut conn = self.pool.acquire().await?;
        first_table_with_rows(&mut conn, self.backend).await
    }

    /// Inserts every row of the backup `input` in one transaction, into an empty
    /// database already migrated to the backup's schema. Before committing it
    /// checks the rows counted against the trailer, the digest, and gives every
    /// note to `check_note`; any failure rolls everything back.
    pub async fn restore_backup<R: BufRead>(
        &self,
        input: R,
        expected_sha256: &str,
        mut check_note: impl FnMut(&SealedNote) -> std::result::Result<(), String>,
    ) -> std::result::Result<BackupSummary, BackupError> {
        let mut reader = BackupReader::new(input);
        reader.header()?;
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await?;
        }
        if let Some(table) = first_table_with_rows(&mut tx, self.backend).await? {
            return Err(BackupError::Refused(format!(
                "the target database is not empty (table {table} holds rows); restore only into an empty database; \
                 nothing was written"
            )));
        }
        let target: BTreeMap<String, Table> =
            ordered_tables(&mut tx, self.backend).await?.into_iter().map(|t| (t.name.clone(), t)).collect();
        for seeded in SEEDED_BY_MIGRATIONS {
            if target.contains_key(*seeded) {
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {}", quote(seeded)))).execute(&mut *tx).await?;
            }
        }
        let mut current: Option<(TableLine, String)> = None;
        let mut batch: Vec<Vec<Cell>> = Vec::new();
        loop {
            match reader.next_event()? {
                Event::Table(line) => {
                    if let Some((table, sql)) = &current {
                        insert_batch(&mut tx, self.backend, sql, table, &mut batch).await?;
                    }
                    let Some(target_table) = target.get(&line.table) else {
                        return Err(BackupError::Refused(format!(
                            "the backup holds table {} which this database does not have; nothing was written",
                            line.table
                        )));
                    };
                    for (column, _) in &line.columns {
                        if !target_table.columns.iter().any(|(c, _)| c == column) {
                            return Err(BackupError::Refused(format!(
                                "the backup holds column {}.{column} which this database does not have; \
                                 nothing was written",
                                line.table
                            )));
                        }
                    }
                    let columns = line.columns.iter().map(|(c, _)| quote(c)).collect::<Vec<_>>().join(", ");
                    let overriding = if target_table.always { " OVERRIDING SYSTEM VALUE" } else { "" };
                    let sql = format!("INSERT INTO {} ({columns}){overriding} VALUES ", quote(&line.table));
                    current = Some((line, sql));
                }
                Event::Row(cells) => {
                    batch.push(cells);
                    if batch.len() >= ROWS_PER_INSERT {
                        let (table, sql) = current.as_ref().ok_or_else(|| invalid("a row before any table"))?;
                        insert_batch(&mut tx, self.backend, sql, table, &mut batch).await?;
                    }
                }
                Event::End => break,
            }
        }
        if let Some((table, sql)) = &current {
            insert_batch(&mut tx, self.backend, sql, table, &mut batch).await?;
        }
        let summary = reader.summary()?;
        if summary.sha256 != expected_sha256 {
            return Err(BackupError::Check(
                "the backup file changed while it was being restored; nothing was kept".into(),
            ));
        }
        if self.backend == Backend::Postgres {
            for table in target.values() {
                for column in &table.identity {
                    let sql = format!(
                        "SELECT setval(pg_get_serial_sequence($1, $2), (SELECT MAX({}) FROM {})) AS v",
                        quote(column),
                        quote(&table.name)
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(quote(&table.name))
                        .bind(column)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        // The result, checked before it is committed.
        for t in &summary.tables {
            let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) AS n FROM {}", quote(&t.table))))
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            if n != t.rows as i64 {
                return Err(BackupError::Check(format!(
                    "table {} holds {n} rows after the restore, the backup {}; nothing was kept",
                    t.table, t.rows
                )));
            }
        }
        let mut after = i64::MIN;
        loop {
            let rows = sqlx::query(
                "SELECT id, pair_id, author_id, key_id, nonce, ciphertext, created_at FROM notes \
                 WHERE id > $1 ORDER BY id LIMIT 500",
            )
            .bind(after)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            for row in &rows {
                let note = crate::notes::sealed_note(row)?;
                check_note(&note).map_err(BackupError::Check)?;
            }
        }
        tx.commit().await?;
        Ok(summary)
    }
}

async fn insert_batch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: crate::Backend,
    sql: &str,
    table: &TableLine,
    batch: &mut Vec<Vec<Cell>>,
) -> std::result::Result<(), BackupError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut text = String::from(sql);
    text.push_str(&crate::sql::values_placeholders(backend, batch.len(), table.columns.len()));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(text));
    for row in batch.drain(..) {
        for (cell, (_, ty)) in row.into_iter().zip(&table.columns) {
            query = match (cell, ty) {
                (Cell::Null, ColumnType::Integer) => query.bind(None::<i64>),
                (Cell::Null, ColumnType::Real) => query.bind(None::<f64>),
                (Cell::Null, ColumnType::Text) => query.bind(None::<String>),
                (Cell::Null, ColumnType::Blob) => query.bind(None::<Vec<u8>>),
                (Cell::Integer(v), _) => query.bind(v),
                (Cell::Real(v), _) => query.bind(v),
                (Cell::Text(v), _) => query.bind(v),
                (Cell::Blob(v), _) => query.bind(v),
            };
        }
    }
    query.execute(&mut **tx).await.map_err(|e| {
        BackupError::Check(format!("table {} could not take its rows: {e}; nothing was kept", table.table))
    })?;
    Ok(())
}

fn read_value(
    row: &sqlx::any::AnyRow,
    i: usize,
    ty: ColumnType,
    table: &str,
    column: &str,
) -> std::result::Result<Value, BackupError> {
    let wrong = |e: sqlx::Error| {
        BackupError::Store(StoreError::Corrupt(format!("{table}.{column} holds a value that is not {ty:?}: {e}")))
    };
    Ok(match ty {
        ColumnType::Integer => row.try_get::<Option<i64>, _>(i).map_err(wrong)?.map_or(Value::Null, Value::from),
        ColumnType::Real => match row.try_get::<Option<f64>, _>(i).map_err(wrong)? {
            None => Value::Null,
            Some(v) => serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| {
                BackupError::Store(StoreError::Corrupt(format!("{table}.{column} holds a number that is not finite")))
            })?,
        },
        ColumnType::Text => row.try_get::<Option<String>, _>(i).map_err(wrong)?.map_or(Value::Null, Value::from),
        ColumnType::Blob => row
            .try_get::<Option<Vec<u8>>, _>(i)
            .map_err(wrong)?
            .map_or(Value::Null, |b| Value::from(base64::engine::general_purpose::STANDARD.encode(b))),
    })
}

async fn schema_version(conn: &mut sqlx::AnyConnection) -> Result<i64> {
    let row = sqlx::query("SELECT MAX(version) AS v FROM _sqlx_migrations WHERE success").fetch_one(conn).await?;
    Ok(row.try_get::<Option<i64>, _>("v")?.unwrap_or(0))
}

async fn table_names(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<Vec<String>> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    sqlx::query(sql).fetch_all(conn).await?.iter().map(|r| Ok(r.try_get("name")?)).collect()
}

/// Every data table with its columns, each after the tables it refers to.
async fn ordered_tables(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<Vec<Table>> {
    let names: Vec<String> = table_names(conn, backend).await?.into_iter().filter(|t| t != MIGRATIONS_TABLE).collect();
    let mut tables = BTreeMap::new();
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let (columns, identity, always, refs) = match backend {
            Backend::Sqlite => {
                let cols = sqlx::query("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                    .bind(name)
                    .fetch_all(&mut *conn)
                    .await?;
                let columns = cols
                    .iter()
                    .map(|r| Ok((r.try_get::<String, _>("name")?, ColumnType::of(&r.try_get::<String, _>("type")?))))
                    .collect::<Result<Vec<_>>>()?;
                let refs = sqlx::query("SELECT \"table\" AS parent FROM pragma_foreign_key_list($1)")
                    .bind(name)
                    .fetch_all(&mut *conn)
                    .await?
                    .iter()
                    .map(|r| Ok(r.try_get::<String, _>("parent")?))
                    .collect::<Result<BTreeSet<_>>>()?;
                (columns, Vec::new(), false, refs)
            }
            Backend::Postgres => {
                let cols = sqlx::query(
                    "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS type, \
                     CAST(is_identity AS TEXT) AS is_identity, CAST(identity_generation AS TEXT) AS generation \
                     FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 \
                     ORDER BY ordinal_position",
                )
                .bind(name)
                .fetch_all(&mut *conn)
                .await?;
                let mut columns = Vec::new();
                let mut identity = Vec::new();
                let mut always = false;
                for r in &cols {
                    let column: String = r.try_get("name")?;
                    columns.push((column.clone(), ColumnType::of(&r.try_get::<String, _>("type")?)));
                    if r.try_get::<Option<String>, _>("is_identity")?.as_deref() == Some("YES") {
                        identity.push(column);
                        always |= r.try_get::<Option<String>, _>("generation")?.as_deref() == Some("ALWAYS");
                    }
                }
                let refs = sqlx::query(
                    "SELECT DISTINCT CAST(ccu.table_name AS TEXT) AS parent \
                     FROM information_schema.table_constraints tc \
                     JOIN information_schema.constraint_column_usage ccu \
                       ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema \
                     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
                       AND tc.table_name = $1",
                )
                .bind(name)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|r| Ok(r.try_get::<String, _>("parent")?))
                .collect::<Result<BTreeSet<_>>>()?;
                (columns, identity, always, refs)
            }
        };
        parents.insert(name.clone(), refs.into_iter().filter(|p| p != name && names.contains(p)).collect());
        tables.insert(name.clone(), Table { name: name.clone(), columns, identity, always });
    }
    // Kahn's order, by name among the ready ones; a cycle (none today) keeps name order.
    let mut ordered = Vec::new();
    let mut done = BTreeSet::new();
    while done.len() < names.len() {
        let ready = names
            .iter()
            .find(|n| !done.contains(*n) && parents[*n].iter().all(|p| done.contains(p)))
            .or_else(|| names.iter().find(|n| !done.contains(*n)))
            .cloned()
            .expect("a table not yet placed");
        done.insert(ready.clone());
        if let Some(t) = tables.remove(&ready) {
            ordered.push(t);
        }
    }
    Ok(ordered)
}

async fn first_table_with_rows(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<Option<String>> {
    for name in table_names(conn, backend).await? {
        if name == MIGRATIONS_TABLE || SEEDED_BY_MIGRATIONS.contains(&name.as_str()) {
            continue;
        }
        let any = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT 1 AS one FROM {} LIMIT 1", quote(&name))))
            .fetch_optional(&mut *conn)
            .await?;
        if any.is_some() {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn invalid(what: impl Into<String>) -> BackupError {
    BackupError::Invalid(what.into())
}

/// What `BackupReader::next_event` found.
enum Event {
    Table(TableLine),
    Row(Vec<Cell>),
    End,
}

/// Reads a backup line by line, checking as it goes: the header, every row's
/// width and types, and at the end the counts and digest in the trailer.
/// Nothing is held but the current line.
pub struct BackupReader<R: BufRead> {
    input: R,
    hasher: Sha256,
    bytes: u64,
    line_no: u64,
    header: Option<BackupHeader>,
    table: Option<TableLine>,
    counts: Vec<TableRows>,
    sha256: Option<String>,
}

impl<R: BufRead> BackupReader<R> {
    pub fn new(input: R) -> BackupReader<R> {
        BackupReader {
            input,
            hasher: Sha256::new(),
            bytes: 0,
            line_no: 0,
            header: None,
            table: None,
            counts: Vec::new(),
            sha256: None,
        }
    }

    /// Reads the whole file and checks it: the summary of a whole, unchanged backup.
    pub fn verify(input: R) -> std::result::Result<BackupSummary, BackupError> {
        let mut reader = BackupReader::new(input);
        reader.header()?;
        while !matches!(reader.next_event()?, Event::End) {}
        reader.summary()
    }

    fn read_line(&mut self) -> std::result::Result<Option<Vec<u8>>, BackupError> {
        let mut buf = Vec::new();
        let n = self.input.read_until(b'\n', &mut buf).map_err(|e| {
            invalid(format!("the backup cannot be read after line {}: {e} (is it damaged or cut short?)", self.line_no))
        })?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        if buf.last() != Some(&b'\n') {
            return Err(invalid(format!(
                "the backup ends in the middle of line {}: it is truncated (a backup that did not finish?)",
                self.line_no
            )));
        }
        Ok(Some(buf))
    }

    pub fn header(&mut self) -> std::result::Result<&BackupHeader, BackupError> {
        if self.header.is_none() {
            let line = self.read_line()?.ok_or_else(|| invalid("the file is empty: it is not a backup"))?;
            let header: BackupHeader = serde_json::from_slice(&line)
                .map_err(|_| invalid("the first line is not a Perspective Lab backup header: it is not a backup"))?;
            if header.format != BACKUP_FORMAT {
                return Err(invalid(format!("the file's format is '{}', not '{BACKUP_FORMAT}'", header.format)));
            }
            if header.version != BACKUP_FORMAT_VERSION {
                return Err(invalid(format!(
                    "the backup is in format version {}, this plab reads version {BACKUP_FORMAT_VERSION}; \
                     use the plab release that made it",
                    header.version
                )));
            }
            self.hasher.update(&line);
            self.bytes += line.len() as u64;
            self.header = Some(header);
        }
        Ok(self.header.as_ref().expect("read above"))
    }

    fn next_event(&mut self) -> std::result::Result<Event, BackupError> {
        if self.sha256.is_some() {
            return Ok(Event::End);
        }
        let Some(line) = self.read_line()? else {
            return Err(invalid(format!(
                "the backup ends after line {} without its trailer: it is truncated (a backup that did not finish?)",
                self.line_no
            )));
        };
        let at = self.line_no;
        let value: Value = serde_json::from_slice(&line)
            .map_err(|_| invalid(format!("line {at} is not valid: the backup was changed or damaged")))?;
        match value {
            Value::Array(values) => {
                let table = self.table.as_ref().ok_or_else(|| invalid(format!("line {at}: a row before any table")))?;
                if values.len() != table.columns.len() {
                    return Err(invalid(format!(
                        "line {at}: a row of table {} has {} values, the table {} columns: the backup was changed",
                        table.table,
                        values.len(),
                        table.columns.len()
                    )));
                }
                let mut cells = Vec::with_capacity(values.len());
                for (v, (column, ty)) in values.into_iter().zip(&table.columns) {
                    cells.push(cell(v, *ty).ok_or_else(|| {
                        invalid(format!(
                            "line {at}: {}.{column} holds a value that is not {}: the backup was changed",
                            table.table,
                            format!("{ty:?}").to_lowercase()
                        ))
                    })?);
                }
                self.hasher.update(&line);
                self.bytes += line.len() as u64;
                self.counts.last_mut().expect("a table before its rows").rows += 1;
                Ok(Event::Row(cells))
            }
            Value::Object(ref map) if map.contains_key("table") => {
                let table: TableLine = serde_json::from_value(value)
                    .map_err(|_| invalid(format!("line {at}: a table line that is not valid")))?;
                if self.counts.iter().any(|t| t.table == table.table) {
                    return Err(invalid(format!("line {at}: table {} appears twice", table.table)));
                }
                self.hasher.update(&line);
                self.bytes += line.len() as u64;
                self.counts.push(TableRows { table: table.table.clone(), rows: 0 });
                self.table = Some(table.clone());
                Ok(Event::Table(table))
            }
            Value::Object(ref map) if map.contains_key("trailer") => {
                let trailer: TrailerLine = serde_json::from_value(value)
                    .map_err(|_| invalid(format!("line {at}: the trailer is not valid")))?;
                let digest = hex(&self.hasher.clone().finalize());
                if trailer.sha256 != digest {
                    return Err(invalid(format!(
                        "the checksum does not match (the trailer says {}, the content is {digest}): \
                         the backup was changed or damaged",
                        trailer.sha256
                    )));
                }
                let seen: BTreeMap<String, u64> = self.counts.iter().map(|t| (t.table.clone(), t.rows)).collect();
                if seen != trailer.trailer.rows {
                    let differ = trailer
                        .trailer
                        .rows
                        .keys()
                        .chain(seen.keys())
                        .find(|t| seen.get(*t) != trailer.trailer.rows.get(*t))
                        .cloned()
                        .unwrap_or_default();
                    return Err(invalid(format!(
                        "table {differ}: the trailer counts {} rows, the file holds {}: the backup was changed",
                        trailer.trailer.rows.get(&differ).copied().unwrap_or(0),
                        seen.get(&differ).copied().unwrap_or(0)
                    )));
                }
                self.bytes += line.len() as u64;
                if let Some(more) = self.read_line()? {
                    let _ = more;
                    return Err(invalid("there is more after the trailer: the backup was changed"));
                }
                self.sha256 = Some(digest);
                Ok(Event::End)
            }
            _ => Err(invalid(format!("line {at} is not valid: the backup was changed or damaged"))),
        }
    }

    /// The summary, once the trailer has been read and checked.
    fn summary(&self) -> std::result::Result<BackupSummary, BackupError> {
        let header = self.header.clone().ok_or_else(|| invalid("no header"))?;
        let sha256 = self.sha256.clone().ok_or_else(|| invalid("the backup has no trailer: it is truncated"))?;
        Ok(BackupSummary {
            header,
            rows: self.counts.iter().map(|t| t.rows).sum(),
            tables: self.counts.clone(),
            plain_bytes: self.bytes,
            sha256,
        })
    }
}

fn cell(v: Value, ty: ColumnType) -> Option<Cell> {
    Some(match (v, ty) {
        (Value::Null, _) => Cell::Null,
        (Value::Number(n), ColumnType::Integer) => Cell::Integer(n.as_i64()?),
        (Value::Number(n), ColumnType::Real) => Cell::Real(n.as_f64()?),
        (Value::String(s), ColumnType::Text) => Cell::Text(s),
        (Value::String(s), ColumnType::Blob) => Cell::Blob(base64::engine::general_purpose::STANDARD.decode(s).ok()?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_map_to_the_four_portable_ones() {
        assert_eq!(ColumnType::of("BIGINT"), ColumnType::Integer);
        assert_eq!(ColumnType::of("bigint"), ColumnType::Integer);
        assert_eq!(ColumnType::of("DOUBLE PRECISION"), ColumnType::Real);
        assert_eq!(ColumnType::of("bytea"), ColumnType::Blob);
        assert_eq!(ColumnType::of("BLOB"), ColumnType::Blob);
        assert_eq!(ColumnType::of("text"), ColumnType::Text);
    }

    #[test]
    fn a_value_of_the_wrong_type_for_its_column_is_refused() {
        assert_eq!(cell(Value::from(3), ColumnType::Integer), Some(Cell::Integer(3)));
        assert_eq!(cell(Value::from("3"), ColumnType::Integer), None);
        assert_eq!(cell(Value::from(1.5), ColumnType::Integer), None);
        assert_eq!(cell(Value::from("AAE="), ColumnType::Blob), Some(Cell::Blob(vec![0, 1])));
        assert_eq!(cell(Value::from("not base64!"), ColumnType::Blob), None);
    }
}
