//! A program's life in the store: the facts its state is decided from, the
//! close-out (migration 0033's `closing_on`), the exit answers (migration
//! 0035), the report frozen at close, and opening the next cohort in one
//! transaction.
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::Date;
use plab_domain::life::{ExitChoice, LifeFacts, ProgramKind};
use plab_domain::program::{ProgramName, ProgramSettings, Role};
use sqlx::Row;

/// One participant's answer to the exit question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitAnswer {
    pub employee_id: String,
    /// The role they held in the program.
    pub role: Role,
    pub choice: ExitChoice,
    pub comment: Option<String>,
    pub answered_at: String,
}

/// A cohort opened from an earlier program, written all at once.
#[derive(Debug, Clone)]
pub struct NewCohort {
    pub name: ProgramName,
    pub starts_on: Date,
    pub settings: ProgramSettings,
    pub kind: ProgramKind,
    pub previous: ProgramId,
    /// Who is enrolled, in which role, with which capacity.
    pub enrol: Vec<(String, Role, u32)>,
    /// Pairs of the previous program formed again (the reciprocal phase), by id.
    pub pairs_again: Vec<plab_domain::PairId>,
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Store {
    /// What the program's state is decided from, in one query.
    pub async fn life_facts(&self, program: ProgramId) -> Result<LifeFacts> {
        let row = sqlx::query(
            "SELECT p.closing_on, p.closed_on, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM enrolments e WHERE e.program_id = p.id AND e.role <> 'sponsor') AS participants, \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM pairs x WHERE x.program_id = p.id AND x.status <> 'ended') AS approved_pairs \
             FROM programs p WHERE p.id = $1",
        )
        .bind(program.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: "program", id: program.to_string() })?;
        let count = |column: &str| -> Result<u64> { Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0)) };
        Ok(LifeFacts {
            participants: count("participants")?,
            approved_pairs: count("approved_pairs")?,
            closing: row.try_get::<Option<String>, _>("closing_on")?.is_some(),
            closed: row.try_get::<Option<String>, _>("closed_on")?.is_some(),
        })
    }

    /// Begins the close-out on `on`; a conflict when it has begun or the program is closed.
    pub async fn begin_close_out(&self, program: ProgramId, on: Date) -> Result<()> {
        let done = sqlx::query(
            "UPDATE programs SET closing_on = $1 WHERE id = $2 AND closing_on IS NULL AND closed_on IS NULL",
        )
        .bind(on.to_string())
        .bind(program.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            self.program(program).await?;
            return Err(StoreError::Conflict(format!("the close-out of program {program} has already begun")));
        }
        Ok(())
    }

    /// Keeps the report as it stood at close; a report kept earlier stays.
    pub async fn freeze_report(&self, program: ProgramId, report: &str) -> Result<()> {
        sqlx::query("UPDATE programs SET final_report = $1 WHERE id = $2 AND final_report IS NULL")
            .bind(report)
            .bind(program.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records (or replaces) a participant's exit answer.
    pub async fn set_exit_answer(
        &self,
        program: ProgramId,
        employee_id: &str,
        role: Role,
        choice: ExitChoice,
        comment: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO exit_answers (program_id, employee_id, role, choice, comment, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (program_id, employee_id) DO UPDATE SET \
             role = excluded.role, choice = excluded.choice, comment = excluded.comment, answered_at = excluded.answered_at",
        )
        .bind(program.0)
        .bind(employee_id)
        .bind(role.as_str())
        .bind(choice.as_str())
        .bind(comment)
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every exit answer of the program, by employee id. For services only:
    /// sponsors are shown counts.
    pub async fn exit_answers(&self, program: ProgramId) -> Result<Vec<ExitAnswer>> {
        let rows = sqlx::query(
            "SELECT employee_id, role, choice, comment, answered_at FROM exit_answers WHERE program_id = $1 \
             ORDER BY employee_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ExitAnswer {
                    employee_id: r.try_get("employee_id")?,
                    role: Role::parse(&r.try_get::<String, _>("role")?).map_err(corrupt)?,
                    choice: ExitChoice::parse(&r.try_get::<String, _>("choice")?).map_err(|e| corrupt(e.message))?,
                    comment: r.try_get("comment")?,
                    answered_at: r.try_get("answered_at")?,
                })
            })
            .collect()
    }

    /// Opens the next cohort: the program, its enrolments, the previous
    /// program's forbidding pair rules and the pairs formed again, in one
    /// transaction. Returns the new program's id.
    pub async fn create_cohort(&self, c: &NewCohort) -> Result<ProgramId> {
        let settings = serde_json::to_string(&c.settings).map_err(corrupt)?;
        let now = now_rfc3339();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO programs (name, starts_on, settings, created_at, kind, previous_program_id) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(c.name.as_str())
        .bind(c.starts_on.to_string())
        .bind(settings)
        .bind(now.as_str())
        .bind(c.kind.as_str())
        .bind(c.previous.0)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (employee_id, role, capacity) in &c.enrol {
            sqlx::query(
                "INSERT INTO enrolments (program_id, employee_id, role, capacity, opted_out) VALUES ($1, $2, $3, $4, 0)",
            )
            .bind(id)
            .bind(employee_id.as_str())
            .bind(role.as_str())
            .bind(i64::from(*capacity))
            .execute(&mut *tx)
            .await
            .map_err(|e| crate::sql::conflict_or(e, &format!("{employee_id} cannot take the role {role} here")))?;
        }
        // A pairing forbidden before stays forbidden (pins were for that cohort).
        sqlx::query(
            "INSERT INTO pair_rules (program_id, leader_id, mentor_id, rule, created_at) \
             SELECT $1, leader_id, mentor_id, rule, $2 FROM pair_rules WHERE program_id = $3 AND rule = 'forbid'",
        )
        .bind(id)
        .bind(now.as_str())
        .bind(c.previous.0)
        .execute(&mut *tx)
        .await?;
        for pair in &c.pairs_again {
            sqlx::query(
                "INSERT INTO pairs (program_id, leader_id, mentor_id, status, kind, score, reasons, created_at) \
                 SELECT $1, leader_id, mentor_id, 'forming', kind, score, '[]', $2 FROM pairs \
                 WHERE id = $3 AND program_id = $4",
            )
            .bind(id)
            .bind(now.as_str())
            .bind(pair.0)
            .bind(c.previous.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(ProgramId(id))
    }
}
