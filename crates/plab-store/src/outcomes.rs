//! What mentor outcomes read: every person's level then and now, whether
//! they are employed, and whether they were ever a mentor (migration 0037).
use crate::{ProgramId, Result, Store};
use sqlx::Row;

/// One person around a program's first day `start` (YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareerRow {
    pub employee_id: String,
    pub mentor_here: bool,
    pub mentor_anywhere: bool,
    pub hire_date: String,
    pub end_date: Option<String>,
    pub level_now: i64,
    /// The level before the first change on or after `start`; None when it has not changed since.
    pub level_before_change: Option<i64>,
}

impl Store {
    pub async fn careers(&self, program: ProgramId, start: &str) -> Result<Vec<CareerRow>> {
        let rows = sqlx::query(
            "SELECT p.employee_id, p.level, p.hire_date, p.end_date, \
             (SELECT COUNT(*) FROM enrolments e WHERE e.employee_id = p.employee_id AND e.role = 'mentor' \
              AND e.program_id = $1) AS mentor_here, \
             (SELECT COUNT(*) FROM enrolments e WHERE e.employee_id = p.employee_id AND e.role = 'mentor') \
              AS mentor_anywhere, \
             (SELECT l.old_level FROM level_changes l WHERE l.employee_id = p.employee_id AND l.changed_at >= $2 \
              ORDER BY l.changed_at LIMIT 1) AS level_then \
             FROM people p ORDER BY p.employee_id",
        )
        .bind(program.0)
        .bind(start)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CareerRow {
                    employee_id: r.try_get("employee_id")?,
                    mentor_here: r.try_get::<i64, _>("mentor_here")? > 0,
                    mentor_anywhere: r.try_get::<i64, _>("mentor_anywhere")? > 0,
                    hire_date: r.try_get("hire_date")?,
                    end_date: r.try_get("end_date")?,
                    level_now: r.try_get("level")?,
                    level_before_change: r.try_get("level_then")?,
                })
            })
            .collect()
    }

    /// A person's level changes, oldest first: `(old, new, changed_at)`.
    pub async fn level_changes(&self, employee_id: &str) -> Result<Vec<(i64, i64, String)>> {
        let rows = sqlx::query(
            "SELECT old_level, new_level, changed_at FROM level_changes WHERE employee_id = $1 ORDER BY changed_at",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("old_level")?, r.try_get("new_level")?, r.try_get("changed_at")?))).collect()
    }
}
