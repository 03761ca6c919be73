//! What a program's outcome report reads, a program at a time: every session,
//! every pulse answer, which sessions set homework, who crossed which
//! department, and the people behind a retention comparison. One query each,
//! however many pairs the program has.
use crate::sessions::session;
use crate::{ProgramId, Result, Store, StoreError, StoredSession};
use plab_domain::program::Role;
use plab_domain::{Date, PairId, SessionId};
use sqlx::Row;

/// One pulse answer of one partner to one statement after one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseAnswer {
    pub session: SessionId,
    pub role: Role,
    pub item: String,
    pub value: u8,
}

/// A pair's two departments (for silos crossed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairDepartments {
    pub pair: PairId,
    pub leader: String,
    pub mentor: String,
}

/// How many people of one department and level there are, and how many of
/// them left on or after a date, split by whether they take part in the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionGroup {
    pub department: String,
    pub level: i64,
    pub participant: bool,
    pub people: i64,
    pub left: i64,
}

/// What was recorded about the sessions in a scope besides their status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionMeasures {
    /// Sessions at which homework was set.
    pub homework: Vec<SessionId>,
    pub segments: Vec<SegmentTime>,
    /// Sessions moved at least once, and how often.
    pub reschedules: Vec<(SessionId, u32)>,
}

/// The minutes the session timer recorded for one agenda segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentTime {
    pub session: SessionId,
    pub segment: String,
    pub minutes: u32,
}

fn pulse_answer(r: &sqlx::any::AnyRow) -> Result<PulseAnswer> {
    let value: i64 = r.try_get("value")?;
    Ok(PulseAnswer {
        session: SessionId(r.try_get("session_id")?),
        role: Role::parse(&r.try_get::<String, _>("role")?).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        item: r.try_get("item")?,
        value: u8::try_from(value).map_err(|_| StoreError::Corrupt(format!("pulse value {value}")))?,
    })
}

/// Which sessions the measure step reads: a whole program's, or one pair's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Program(ProgramId),
    Pair(PairId),
}

impl Scope {
    /// The condition on `sessions s` / `pairs p` and its one parameter.
    fn filter(self) -> (&'static str, i64) {
        match self {
            Scope::Program(p) => ("p.program_id = $1", p.0),
            Scope::Pair(p) => ("s.pair_id = $1", p.0),
        }
    }
}

impl Store {
    /// Homework set, timer recordings and moves of the sessions in scope.
    pub async fn session_measures(&self, scope: Scope) -> Result<SessionMeasures> {
        let (filter, id) = scope.filter();
        let from = "FROM sessions s JOIN pairs p ON p.id = s.pair_id";
        let homework = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT DISTINCT n.session_id {from} JOIN notes n ON n.session_id = s.id AND n.kind = 'homework' WHERE {filter}"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok(SessionId(r.try_get("session_id")?)))
        .collect::<Result<_>>()?;
        let segments = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT t.session_id, t.segment, t.minutes {from} JOIN segment_times t ON t.session_id = s.id WHERE {filter}"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let minutes: i64 = r.try_get("minutes")?;
            Ok(SegmentTime {
                session: SessionId(r.try_get("session_id")?),
                segment: r.try_get("segment")?,
                minutes: u32::try_from(minutes).map_err(|_| StoreError::Corrupt(format!("{minutes} minutes")))?,
            })
        })
        .collect::<Result<_>>()?;
        let reschedules = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.id, s.reschedules {from} WHERE {filter} AND s.reschedules > 0"
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let n: i64 = r.try_get("reschedules")?;
            Ok((SessionId(r.try_get("id")?), u32::try_from(n).unwrap_or(u32::MAX)))
        })
        .collect::<Result<_>>()?;
        Ok(SessionMeasures { homework, segments, reschedules })
    }

    /// Records the minutes a segment of a session took (a later recording replaces it).
    pub async fn record_segment(&self, session: SessionId, segment: &str, minutes: u32, by: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO segment_times (session_id, segment, minutes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (session_id, segment) DO UPDATE SET minutes = excluded.minutes, \
             recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        )
        .bind(session.0)
        .bind(segment)
        .bind(i64::from(minutes))
        .bind(by)
        .bind(crate::now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every session of the program's pairs, by pair and number.
    pub async fn program_sessions(&self, program: ProgramId) -> Result<Vec<StoredSession>> {
        let rows = sqlx::query(
            "SELECT s.id, s.pair_id, s.seq, s.starts_at, s.minutes, s.status, s.homework_done, s.sequence, s.updated_at, \
             s.missed_at FROM sessions s JOIN pairs p ON p.id = s.pair_id WHERE p.program_id = $1 ORDER BY s.pair_id, s.seq",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session).collect()
    }

    /// Every pulse answer given in the program.
    pub async fn program_pulse_answers(&self, program: ProgramId) -> Result<Vec<PulseAnswer>> {
        let rows = sqlx::query(
            "SELECT a.session_id, a.role, a.item, a.value FROM pulse_answers a \
             JOIN sessions s ON s.id = a.session_id JOIN pairs p ON p.id = s.pair_id WHERE p.program_id = $1",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(pulse_answer).collect()
    }

    /// Every pulse answer given in one pair's sessions.
    pub async fn pair_pulse_answers(&self, pair: PairId) -> Result<Vec<PulseAnswer>> {
        let rows = sqlx::query(
            "SELECT a.session_id, a.role, a.item, a.value FROM pulse_answers a \
             JOIN sessions s ON s.id = a.session_id WHERE s.pair_id = $1",
        )
        .bind(pair.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(pulse_answer).collect()
    }

    /// Each pair's leader's and mentor's departments.
    pub async fn pair_departments(&self, program: ProgramId) -> Result<Vec<PairDepartments>> {
        let rows = sqlx::query(
            "SELECT p.id, l.department AS leader_department, m.department AS mentor_department FROM pairs p \
             JOIN people l ON l.employee_id = p.leader_id JOIN people m ON m.employee_id = p.mentor_id \
             WHERE p.program_id = $1 ORDER BY p.id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PairDepartments {
                    pair: PairId(r.try_get("id")?),
                    leader: r.try_get("leader_department")?,
                    mentor: r.try_get("mentor_department")?,
                })
            })
            .collect()
    }

    /// People per department and level, participants of the program (its
    /// leaders and mentors) apart from everyone else, with how many of each
    /// left on or after `since` (their `end_date`).
    pub async fn retention_groups(&self, program: ProgramId, since: Date) -> Result<Vec<RetentionGroup>> {
        let rows = sqlx::query(
            "SELECT x.department, x.level, x.participant, CAST(COUNT(*) AS BIGINT) AS people, \
                    CAST(SUM(CASE WHEN x.end_date IS NOT NULL AND x.end_date >= $2 THEN 1 ELSE 0 END) AS BIGINT) AS left_count \
             FROM (SELECT pe.department, pe.level, pe.end_date, \
                          CASE WHEN EXISTS (SELECT 1 FROM enrolments e WHERE e.program_id = $1 \
                               AND e.employee_id = pe.employee_id AND e.role IN ('leader', 'mentor')) THEN 1 ELSE 0 END AS participant \
                   FROM people pe WHERE pe.end_date IS NULL OR pe.end_date >= $2) x \
             GROUP BY x.department, x.level, x.participant ORDER BY x.department, x.level, x.participant",
        )
        .bind(program.0)
        .bind(since.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RetentionGroup {
                    department: r.try_get("department")?,
                    level: r.try_get("level")?,
                    participant: r.try_get::<i64, _>("participant")? != 0,
                    people: r.try_get("people")?,
                    left: r.try_get("left_count")?,
                })
            })
            .collect()
    }
}
