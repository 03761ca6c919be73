//! Closing a program and destroying its private data once its retention has
//! run out (migration 0032). Counts only ever leave here, never content.
use crate::{Backend, ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::Date;
use sqlx::Row;
use std::collections::BTreeMap;

/// Where a program is in its life as far as retention goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Closure {
    /// The day a sponsor closed it; None while it runs.
    pub closed_on: Option<Date>,
    /// Who closed it (an employee id, or the operator's name at the machine).
    pub closed_by: Option<String>,
    /// The day its private data was destroyed.
    pub purged_on: Option<Date>,
}

/// The kinds of private data retention destroys, in the order reports list them.
pub const PRIVATE_KINDS: [&str; 10] = [
    "notes",
    "homework",
    "pulse_answers",
    "checkins",
    "self_assessments",
    "insights",
    "commitments",
    "answer_totals",
    "exit_answers",
    "fit_answers",
];

/// The pairs of the program (a subquery on `$1`).
const PAIRS: &str = "SELECT id FROM pairs WHERE program_id = $1";
/// The sessions of the program's pairs (a subquery on `$1`).
const SESSIONS: &str = "SELECT s.id FROM sessions s JOIN pairs p ON p.id = s.pair_id WHERE p.program_id = $1";

/// Per kind: how to count what is there, and how to destroy it. Insights keep
/// the fact that they existed (the report counts them): only their text goes.
fn statements(kind: &str) -> (String, String) {
    let (table, filter) = match kind {
        "notes" => ("notes", format!("kind = 'note' AND pair_id IN ({PAIRS})")),
        "homework" => ("notes", format!("kind = 'homework' AND pair_id IN ({PAIRS})")),
        "pulse_answers" => ("pulse_answers", format!("session_id IN ({SESSIONS})")),
        "checkins" => ("checkins", format!("pair_id IN ({PAIRS})")),
        "self_assessments" => ("self_assessments", "program_id = $1".to_owned()),
        "fit_answers" => ("fit_answers", format!("pair_id IN ({PAIRS})")),
        "insights" => ("insights", format!("body <> '' AND pair_id IN ({PAIRS})")),
        "exit_answers" => ("exit_answers", "program_id = $1".to_owned()),
        // Like insights: the report counts commitments, so only their text goes.
        "commitments" => ("commitments", "body <> '' AND program_id = $1".to_owned()),
        // Each person's answer totals behind a released average: the average
        // itself (released_averages) stays, as the report showed it.
        _ => ("released_average_basis", "program_id = $1".to_owned()),
    };
    let count = format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table} WHERE {filter}");
    let destroy = if kind == "insights" || kind == "commitments" {
        format!("UPDATE {table} SET body = '' WHERE {filter}")
    } else {
        format!("DELETE FROM {table} WHERE {filter}")
    };
    (count, destroy)
}

fn date(column: &str, raw: Option<String>) -> Result<Option<Date>> {
    raw.map(|d| Date::parse(&d).map_err(|e| StoreError::Corrupt(format!("{column} '{d}': {e}")))).transpose()
}

impl Store {
    /// Whether and when the program was closed and purged.
    pub async fn closure(&self, program: ProgramId) -> Result<Closure> {
        let row = sqlx::query("SELECT closed_on, closed_by, purged_on FROM programs WHERE id = $1")
            .bind(program.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "program", id: program.to_string() })?;
        Ok(Closure {
            closed_on: date("closed_on", row.try_get("closed_on")?)?,
            closed_by: row.try_get("closed_by")?,
            purged_on: date("purged_on", row.try_get("purged_on")?)?,
        })
    }

    /// Closes the program on `closed_on` and cancels its sessions still
    /// planned, in one transaction; returns how many sessions were cancelled.
    /// A program already closed is a conflict naming the day.
    pub async fn close_program(&self, program: ProgramId, closed_on: Date, by: &str) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let done =
            sqlx::query("UPDATE programs SET closed_on = $1, closed_by = $2 WHERE id = $3 AND closed_on IS NULL")
                .bind(closed_on.to_string())
                .bind(by)
                .bind(program.0)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            let closure = self.closure(program).await?;
            let on = closure.closed_on.map(|d| d.to_string()).unwrap_or_default();
            return Err(StoreError::Conflict(format!("program {program} was already closed on {on}")));
        }
        // Not those that already read as missed (nobody answered for a week).
        let now = time::OffsetDateTime::now_utc();
        let lapsed_before = now - time::Duration::days(plab_domain::session::MISSED_AFTER_DAYS);
        let cancelled = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE sessions SET status = 'cancelled', updated_at = $2, sequence = sequence + 1 \
             WHERE status = 'planned' AND missed_at IS NULL AND starts_at >= $3 AND pair_id IN ({PAIRS})"
        )))
        .bind(program.0)
        .bind(now_rfc3339())
        .bind(crate::sql::instant_text(lapsed_before))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(cancelled)
    }

    /// Closed programs whose private data has not been destroyed yet, with the day each closed.
    pub async fn closed_unpurged(&self) -> Result<Vec<(ProgramId, Date)>> {
        let rows = sqlx::query(
            "SELECT id, closed_on FROM programs WHERE closed_on IS NOT NULL AND purged_on IS NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let id = ProgramId(r.try_get("id")?);
                let on = date("closed_on", r.try_get("closed_on")?)?
                    .ok_or_else(|| StoreError::Corrupt(format!("program {id} has no closing day")))?;
                Ok((id, on))
            })
            .collect()
    }

    /// How much private data of each kind the program holds now.
    pub async fn private_counts(&self, program: ProgramId) -> Result<BTreeMap<&'static str, i64>> {
        let mut out = BTreeMap::new();
        for kind in PRIVATE_KINDS {
            let (count, _) = statements(kind);
            let n: i64 =
                sqlx::query(sqlx::AssertSqlSafe(count)).bind(program.0).fetch_one(&self.pool).await?.try_get("n")?;
            out.insert(kind, n);
        }
        Ok(out)
    }

    /// Destroys the program's private data in one transaction, marks it purged
    /// on `on` and keeps `final_report` (the report as it stood) in its place,
    /// unless the report frozen at close is kept already.
    /// Returns what was destroyed, per kind; None when another run purged it first.
    pub async fn destroy_private(
        &self,
        program: ProgramId,
        on: Date,
        final_report: &str,
    ) -> Result<Option<BTreeMap<&'static str, i64>>> {
        let mut tx = self.pool.begin().await?;
        let marked = sqlx::query(
            "UPDATE programs SET purged_on = $1, final_report = COALESCE(final_report, $2) \
             WHERE id = $3 AND closed_on IS NOT NULL AND purged_on IS NULL",
        )
        .bind(on.to_string())
        .bind(final_report)
        .bind(program.0)
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() == 0 {
            return Ok(None);
        }
        let mut out = BTreeMap::new();
        for kind in PRIVATE_KINDS {
            let (_, destroy) = statements(kind);
            let n = sqlx::query(sqlx::AssertSqlSafe(destroy)).bind(program.0).execute(&mut *tx).await?.rows_affected();
            out.insert(kind, i64::try_from(n).unwrap_or(i64::MAX));
        }
        tx.commit().await?;
        Ok(Some(out))
    }

    /// The report kept when the program's private data was destroyed.
    pub async fn final_report(&self, program: ProgramId) -> Result<Option<String>> {
        let row = sqlx::query("SELECT final_report FROM programs WHERE id = $1")
            .bind(program.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("final_report")?,
            None => None,
        })
    }

    /// After destroying rows: on SQLite, copies the write-ahead log into the
    /// database file (where `secure_delete` has zeroed them) and empties it, so
    /// no deleted row lingers in the log. PostgreSQL needs nothing here.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        }
        Ok(())
    }
}
