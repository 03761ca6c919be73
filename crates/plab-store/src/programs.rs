//! Programs and enrolment (who is sponsor, leader or mentor of which program).
use crate::sql::flag;
use crate::{Result, Revision, Store, StoreError, now_rfc3339};
use plab_domain::Date;
use plab_domain::life::ProgramKind;
use plab_domain::program::{NewProgram, ProgramSettings, Role};
use sqlx::Row;
use sqlx::any::AnyRow;

pub use plab_domain::ProgramId;

/// The columns `program_from_row` reads.
macro_rules! program_columns {
    () => {
        "id, name, starts_on, settings, created_at, kind, previous_program_id, closing_on, closed_on"
    };
}

#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub id: ProgramId,
    pub name: String,
    pub starts_on: Date,
    pub settings: ProgramSettings,
    pub created_at: time::OffsetDateTime,
    /// Standard, or the reciprocal phase of a former cohort (migration 0033).
    pub kind: ProgramKind,
    /// The program this cohort was started from.
    pub previous_program: Option<ProgramId>,
    /// The day the sponsors began the close-out.
    pub closing_on: Option<Date>,
    /// The day it was closed.
    pub closed_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub employee_id: String,
    pub role: Role,
    pub capacity: u32,
    pub opted_out: bool,
    /// A mentor's own perspectives for this program; None means the directory's.
    pub perspectives: Option<Vec<String>>,
}

/// One enrolment as the program's setup page shows it: who, in which role,
/// and how far they are (account ready, question written, rules accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub employee_id: String,
    pub name: String,
    pub email: String,
    pub department: String,
    pub title: Option<String>,
    pub level: i64,
    pub role: Role,
    pub capacity: u32,
    pub opted_out: bool,
    /// Their account has a password.
    pub account_ready: bool,
    /// When they last signed in, if ever.
    pub last_sign_in: Option<String>,
    pub has_question: bool,
    pub accepted_rules: bool,
}

impl Store {
    /// Everyone enrolled in the program with how far they are, by role then name.
    pub async fn roster(&self, program: ProgramId) -> Result<Vec<RosterEntry>> {
        let rows = sqlx::query(
            "SELECT e.employee_id, e.role, e.capacity, e.opted_out, p.name, p.email, p.department, p.title, p.level, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM accounts a \
               WHERE a.employee_id = e.employee_id AND a.password_hash IS NOT NULL) THEN 1 ELSE 0 END AS BIGINT) AS account_ready, \
             (SELECT MAX(a.last_sign_in_at) FROM accounts a WHERE a.employee_id = e.employee_id) AS last_sign_in, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM questions q \
               WHERE q.program_id = e.program_id AND q.employee_id = e.employee_id) THEN 1 ELSE 0 END AS BIGINT) AS has_question, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM charter_acceptances c JOIN pairs x ON x.id = c.pair_id \
               WHERE x.program_id = e.program_id AND c.employee_id = e.employee_id) THEN 1 ELSE 0 END AS BIGINT) AS accepted_rules \
             FROM enrolments e JOIN people p ON p.employee_id = e.employee_id \
             WHERE e.program_id = $1 \
             ORDER BY CASE e.role WHEN 'sponsor' THEN 0 WHEN 'leader' THEN 1 ELSE 2 END, p.name, e.employee_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let flag = |column: &str| -> Result<bool> { Ok(r.try_get::<i64, _>(column)? != 0) };
                Ok(RosterEntry {
                    employee_id: r.try_get("employee_id")?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    department: r.try_get("department")?,
                    title: r.try_get("title")?,
                    level: r.try_get("level")?,
                    role: Role::parse(&r.try_get::<String, _>("role")?)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    capacity: u32::try_from(r.try_get::<i64, _>("capacity")?)
                        .map_err(|_| StoreError::Corrupt("a capacity is out of range".into()))?,
                    opted_out: flag("opted_out")?,
                    account_ready: flag("account_ready")?,
                    last_sign_in: r.try_get("last_sign_in")?,
                    has_question: flag("has_question")?,
                    accepted_rules: flag("accepted_rules")?,
                })
            })
            .collect()
    }

    pub async fn create_program(&self, p: &NewProgram) -> Result<ProgramId> {
        let settings = serde_json::to_string(&p.settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id: i64 = sqlx::query(
            "INSERT INTO programs (name, starts_on, settings, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(p.name.as_str())
        .bind(p.starts_on.to_string())
        .bind(settings)
        .bind(now_rfc3339())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(ProgramId(id))
    }

    pub async fn programs(&self) -> Result<Vec<Program>> {
        let rows = sqlx::query(concat!("SELECT ", program_columns!(), " FROM programs ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(program_from_row).collect()
    }

    pub async fn program(&self, id: ProgramId) -> Result<Program> {
        let row = sqlx::query(concat!("SELECT ", program_columns!(), " FROM programs WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "program", id: id.to_string() })?;
        program_from_row(&row)
    }

    /// Enrols people in one role, all or nothing; re-enrolling updates capacity.
    pub async fn enroll(&self, program: ProgramId, role: Role, people: &[(String, u32)]) -> Result<()> {
        self.program(program).await?;
        let mut tx = self.pool.begin().await?;
        for (employee_id, capacity) in people {
            let exists = sqlx::query("SELECT 1 FROM people WHERE employee_id = $1")
                .bind(employee_id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound { what: "person", id: employee_id.clone() });
            }
            sqlx::query(
                "INSERT INTO enrolments (program_id, employee_id, role, capacity, opted_out) VALUES ($1, $2, $3, $4, 0) \
                 ON CONFLICT (program_id, employee_id, role) DO UPDATE SET capacity = excluded.capacity",
            )
            .bind(program.0)
            .bind(employee_id.as_str())
            .bind(role.as_str())
            .bind(i64::from(*capacity))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A mentor may step out of pairing; they stay enrolled but are never proposed.
    pub async fn set_opted_out(&self, program: ProgramId, employee_id: &str, opted_out: bool) -> Result<()> {
        let done = sqlx::query(
            "UPDATE enrolments SET opted_out = $1 WHERE program_id = $2 AND employee_id = $3 AND role = 'mentor'",
        )
        .bind(flag(opted_out))
        .bind(program.0)
        .bind(employee_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "mentor enrolment", id: employee_id.to_owned() });
        }
        Ok(())
    }

    /// A mentor's own perspectives for one program, or None to go back to the
    /// directory's. Only the enrolment changes: people imports never touch it.
    pub async fn set_mentor_perspectives(
        &self,
        program: ProgramId,
        employee_id: &str,
        perspectives: Option<&[String]>,
    ) -> Result<()> {
        let json = perspectives
            .map(|p| serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()?;
        let done = sqlx::query(
            "UPDATE enrolments SET perspectives = $1 WHERE program_id = $2 AND employee_id = $3 AND role = 'mentor'",
        )
        .bind(json)
        .bind(program.0)
        .bind(employee_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "mentor enrolment", id: employee_id.to_owned() });
        }
        Ok(())
    }

    /// The employee ids enrolled in the program in one of `roles`.
    pub async fn enrolled_ids(&self, program: ProgramId, roles: &[Role]) -> Result<Vec<String>> {
        Ok(self
            .enrolments(program)
            .await?
            .into_iter()
            .filter(|e| roles.contains(&e.role))
            .map(|e| e.employee_id)
            .collect())
    }

    pub async fn enrolments(&self, program: ProgramId) -> Result<Vec<Enrolment>> {
        let rows = sqlx::query(
            "SELECT employee_id, role, capacity, opted_out, perspectives FROM enrolments WHERE program_id = $1 \
             ORDER BY role, employee_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                let capacity: i64 = r.try_get("capacity")?;
                let opted_out: i64 = r.try_get("opted_out")?;
                let employee_id: String = r.try_get("employee_id")?;
                let perspectives = r
                    .try_get::<Option<String>, _>("perspectives")?
                    .map(|json| serde_json::from_str(&json))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("perspectives of {employee_id}: {e}")))?;
                Ok(Enrolment {
                    employee_id,
                    role: Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    capacity: u32::try_from(capacity).unwrap_or(0),
                    opted_out: opted_out != 0,
                    perspectives,
                })
            })
            .collect()
    }

    /// The roles a person holds in a program (one person may hold several).
    pub async fn roles_of(&self, program: ProgramId, employee_id: &str) -> Result<Vec<Role>> {
        let rows = sqlx::query("SELECT role FROM enrolments WHERE program_id = $1 AND employee_id = $2 ORDER BY role")
            .bind(program.0)
            .bind(employee_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Role::parse(&r.try_get::<String, _>("role")?).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    /// `roles_of`, and whether the program exists, in one query: not found
    /// when there is no such program, no roles when the person is not in it.
    /// Served from memory for a request that read revision `at` (see `Revision`).
    pub async fn program_roles(
        &self,
        program: ProgramId,
        employee_id: &str,
        at: Option<Revision>,
    ) -> Result<Vec<Role>> {
        if let Some(roles) = at.and_then(|at| self.cache.roles(at, program.0, employee_id)) {
            return Ok(roles);
        }
        let roles = self.program_roles_now(program, employee_id).await?;
        if let Some(at) = at {
            self.cache.keep_roles(at, program.0, employee_id, &roles);
        }
        Ok(roles)
    }

    async fn program_roles_now(&self, program: ProgramId, employee_id: &str) -> Result<Vec<Role>> {
        let rows = sqlx::query(
            "SELECT e.role FROM programs p \
             LEFT JOIN enrolments e ON e.program_id = p.id AND e.employee_id = $2 \
             WHERE p.id = $1 ORDER BY e.role",
        )
        .bind(program.0)
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound { what: "program", id: program.to_string() });
        }
        let mut roles = Vec::with_capacity(rows.len());
        for r in &rows {
            if let Some(role) = r.try_get::<Option<String>, _>("role")? {
                roles.push(Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?);
            }
        }
        Ok(roles)
    }
}

fn program_from_row(r: &AnyRow) -> Result<Program> {
    let id: i64 = r.try_get("id")?;
    let starts_on: String = r.try_get("starts_on")?;
    let settings: String = r.try_get("settings")?;
    Ok(Program {
        id: ProgramId(id),
        name: r.try_get("name")?,
        starts_on: Date::parse(&starts_on).map_err(|e| StoreError::Corrupt(format!("program {id}: {e}")))?,
        settings: serde_json::from_str(&settings)
            .map_err(|e| StoreError::Corrupt(format!("program {id} settings: {e}")))?,
        created_at: crate::sql::instant(r, "created_at")?,
        kind: ProgramKind::parse(&r.try_get::<String, _>("kind")?)
            .ok_or_else(|| StoreError::Corrupt(format!("program {id} has an unknown kind")))?,
        previous_program: r.try_get::<Option<i64>, _>("previous_program_id")?.map(ProgramId),
        closing_on: day(id, "closing_on", r.try_get("closing_on")?)?,
        closed_on: day(id, "closed_on", r.try_get("closed_on")?)?,
    })
}

fn day(id: i64, column: &str, raw: Option<String>) -> Result<Option<Date>> {
    raw.map(|d| Date::parse(&d).map_err(|e| StoreError::Corrupt(format!("program {id} {column} '{d}': {e}"))))
        .transpose()
}
