//! The leaders' commitments (issue 23, item 6) and the program office's
//! members (item 5), with the few program-wide reads the office report needs
//! beyond the program report's.
use crate::sql::{flag, instant};
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::commitment::{CommitmentId, CommitmentState, NewCommitment};
use plab_domain::insight::InsightId;
use plab_domain::program::Role;
use plab_domain::{Date, PairId};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

/// A commitment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCommitment {
    pub id: CommitmentId,
    pub pair: PairId,
    pub program: ProgramId,
    pub leader_id: String,
    pub insight: Option<InsightId>,
    /// Empty once retention destroyed it.
    pub text: String,
    pub due_on: Date,
    pub state: CommitmentState,
    pub shared: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A person the administrators named to the program office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeMember {
    pub employee_id: String,
    pub named_by: String,
    pub named_at: String,
}

/// A program, the one its cohort was started from, and its kind (migration 0033).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    pub program: ProgramId,
    pub previous: Option<ProgramId>,
    pub kind: String,
}

/// How many of a program's leaders or mentors there are, and how many have left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRetention {
    pub role: Role,
    pub people: i64,
    pub left: i64,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_owned())
}

fn not_found(id: CommitmentId) -> StoreError {
    StoreError::NotFound { what: "commitment", id: id.to_string() }
}

const COLUMNS: &str = "c.id, c.pair_id, c.program_id, c.leader_id, c.insight_id, c.body, c.due_on, c.state, c.shared, \
                       c.created_at, c.updated_at";

fn commitment(r: &AnyRow) -> Result<StoredCommitment> {
    let due: String = r.try_get("due_on")?;
    Ok(StoredCommitment {
        id: CommitmentId(r.try_get("id")?),
        pair: PairId(r.try_get("pair_id")?),
        program: ProgramId(r.try_get("program_id")?),
        leader_id: r.try_get("leader_id")?,
        insight: r.try_get::<Option<i64>, _>("insight_id")?.map(InsightId),
        text: r.try_get("body")?,
        due_on: Date::parse(&due).map_err(|_| corrupt("a commitment's due_on is not a date"))?,
        state: CommitmentState::parse(&r.try_get::<String, _>("state")?)
            .ok_or_else(|| corrupt("a commitment's state"))?,
        shared: r.try_get::<i64, _>("shared")? != 0,
        created_at: instant(r, "created_at")?,
        updated_at: instant(r, "updated_at")?,
    })
}

impl Store {
    pub async fn add_commitment(
        &self,
        pair: PairId,
        program: ProgramId,
        leader: &str,
        insight: Option<InsightId>,
        c: &NewCommitment,
    ) -> Result<CommitmentId> {
        let now = now_rfc3339();
        let id: i64 = sqlx::query(
            "INSERT INTO commitments (pair_id, program_id, leader_id, insight_id, body, due_on, state, shared, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9) RETURNING id",
        )
        .bind(pair.0)
        .bind(program.0)
        .bind(leader)
        .bind(insight.map(|i| i.0))
        .bind(c.text.as_str())
        .bind(c.due_on.to_string())
        .bind(flag(c.shared))
        .bind(now.as_str())
        .bind(now.as_str())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(CommitmentId(id))
    }

    pub async fn commitment(&self, id: CommitmentId) -> Result<StoredCommitment> {
        let sql = format!("SELECT {COLUMNS} FROM commitments c WHERE c.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| not_found(id))?;
        commitment(&row)
    }

    /// A pair's commitments, oldest first.
    pub async fn commitments(&self, pair: PairId) -> Result<Vec<StoredCommitment>> {
        let sql = format!("SELECT {COLUMNS} FROM commitments c WHERE c.pair_id = $1 ORDER BY c.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(pair.0).fetch_all(&self.pool).await?;
        rows.iter().map(commitment).collect()
    }

    /// Marks a commitment open, kept or dropped, and shares it or not.
    pub async fn set_commitment(&self, id: CommitmentId, state: CommitmentState, shared: bool) -> Result<()> {
        let now = now_rfc3339();
        let settled = (state != CommitmentState::Open).then(|| now.clone());
        let done = sqlx::query(
            "UPDATE commitments SET state = $1, shared = $2, updated_at = $3, settled_at = $4 WHERE id = $5",
        )
        .bind(state.as_str())
        .bind(flag(shared))
        .bind(now.as_str())
        .bind(settled)
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 { Ok(()) } else { Err(not_found(id)) }
    }

    /// Each commitment of the program as a state and a due day: no text, no pair, no person.
    pub async fn commitment_states(&self, program: ProgramId) -> Result<Vec<(CommitmentState, Date)>> {
        let rows = sqlx::query("SELECT state, due_on FROM commitments WHERE program_id = $1")
            .bind(program.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let state = CommitmentState::parse(&r.try_get::<String, _>("state")?)
                    .ok_or_else(|| corrupt("a commitment's state"))?;
                let due: String = r.try_get("due_on")?;
                Ok((state, Date::parse(&due).map_err(|_| corrupt("a commitment's due_on is not a date"))?))
            })
            .collect()
    }

    /// Names a person to the program office (again: nothing changes).
    pub async fn add_office_member(&self, employee_id: &str, named_by: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO program_office (employee_id, named_by, named_at) VALUES ($1, $2, $3) \
             ON CONFLICT (employee_id) DO NOTHING",
        )
        .bind(employee_id)
        .bind(named_by)
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Whether a named member was removed.
    pub async fn remove_office_member(&self, employee_id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM program_office WHERE employee_id = $1")
            .bind(employee_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn office_members(&self) -> Result<Vec<OfficeMember>> {
        let rows = sqlx::query("SELECT employee_id, named_by, named_at FROM program_office ORDER BY employee_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(OfficeMember {
                    employee_id: r.try_get("employee_id")?,
                    named_by: r.try_get("named_by")?,
                    named_at: r.try_get("named_at")?,
                })
            })
            .collect()
    }

    pub async fn is_office_member(&self, employee_id: &str) -> Result<bool> {
        let row = sqlx::query("SELECT employee_id FROM program_office WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Every program with the program it was started from, oldest first.
    pub async fn lineage(&self) -> Result<Vec<Lineage>> {
        let rows =
            sqlx::query("SELECT id, previous_program_id, kind FROM programs ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Lineage {
                    program: ProgramId(r.try_get("id")?),
                    previous: r.try_get::<Option<i64>, _>("previous_program_id")?.map(ProgramId),
                    kind: r.try_get("kind")?,
                })
            })
            .collect()
    }

    /// The program's leaders and mentors, and how many of them have left the
    /// directory (an end date on or before `today`).
    pub async fn role_retention(&self, program: ProgramId, today: Date) -> Result<Vec<RoleRetention>> {
        let rows = sqlx::query(
            "SELECT e.role, CAST(COUNT(*) AS BIGINT) AS people, \
                    CAST(SUM(CASE WHEN pe.end_date IS NOT NULL AND pe.end_date <= $2 THEN 1 ELSE 0 END) AS BIGINT) AS left_count \
             FROM enrolments e JOIN people pe ON pe.employee_id = e.employee_id \
             WHERE e.program_id = $1 AND e.role IN ('leader', 'mentor') GROUP BY e.role ORDER BY e.role",
        )
        .bind(program.0)
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RoleRetention {
                    role: Role::parse(&r.try_get::<String, _>("role")?).map_err(|e| corrupt(&e.to_string()))?,
                    people: r.try_get("people")?,
                    left: r.try_get::<Option<i64>, _>("left_count")?.unwrap_or(0),
                })
            })
            .collect()
    }
}
