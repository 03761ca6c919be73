//! The session timer's state and the sponsors' follow-up of pairs at risk
//! (migration 0028).
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::timer::TimerState;
use plab_domain::triage::FollowUp;
use plab_domain::{Date, PairId, SessionId};
use sqlx::Row;

/// One recorded follow-up: the pair, the signal's name, the state and the day it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFollowUp {
    pub pair: PairId,
    pub signal: String,
    pub state: FollowUp,
    pub set_on: Date,
}

impl Store {
    /// The session timer as it runs now; `None` when it is not running.
    pub async fn timer(&self, session: SessionId) -> Result<Option<TimerState>> {
        let row =
            sqlx::query("SELECT segment, started_at, spent_seconds, paused FROM session_timers WHERE session_id = $1")
                .bind(session.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(TimerState {
                segment: usize::try_from(r.try_get::<i64, _>("segment")?)
                    .map_err(|_| StoreError::Corrupt("a timer's segment is negative".into()))?,
                started_at: crate::sql::instant(&r, "started_at")?,
                spent_seconds: r.try_get("spent_seconds")?,
                paused: r.try_get::<i64, _>("paused")? != 0,
            })
        })
        .transpose()
    }

    /// Replaces the timer `expected` (as the caller read it) by `next`, and
    /// records the minutes of a finished segment, all at once. Returns false,
    /// writing nothing, when the timer changed meanwhile (the other device).
    pub async fn save_timer(
        &self,
        session: SessionId,
        expected: Option<TimerState>,
        next: Option<TimerState>,
        finished: Option<(&str, u32, &str)>,
    ) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let now = now_rfc3339();
        let matched = match expected {
            None => {
                let taken = sqlx::query("SELECT 1 AS one FROM session_timers WHERE session_id = $1")
                    .bind(session.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                taken.is_none()
            }
            Some(old) => {
                let done = sqlx::query(
                    "DELETE FROM session_timers WHERE session_id = $1 AND segment = $2 AND started_at = $3 \
                     AND spent_seconds = $4 AND paused = $5",
                )
                .bind(session.0)
                .bind(i64::try_from(old.segment).unwrap_or(i64::MAX))
                .bind(crate::sql::instant_text(old.started_at))
                .bind(old.spent_seconds)
                .bind(crate::sql::flag(old.paused))
                .execute(&mut *tx)
                .await?;
                done.rows_affected() == 1
            }
        };
        if !matched {
            return Ok(false);
        }
        if let Some(t) = next {
            sqlx::query(
                "INSERT INTO session_timers (session_id, segment, started_at, spent_seconds, paused, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(session.0)
            .bind(i64::try_from(t.segment).unwrap_or(i64::MAX))
            .bind(crate::sql::instant_text(t.started_at))
            .bind(t.spent_seconds)
            .bind(crate::sql::flag(t.paused))
            .bind(now.as_str())
            .execute(&mut *tx)
            .await
            .map_err(|e| crate::sql::conflict_or(e, "the timer changed meanwhile"))?;
        }
        if let Some((segment, minutes, by)) = finished {
            sqlx::query(
                "INSERT INTO segment_times (session_id, segment, minutes, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, segment) DO UPDATE SET \
                 minutes = excluded.minutes, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
            )
            .bind(session.0)
            .bind(segment)
            .bind(i64::from(minutes))
            .bind(by)
            .bind(now.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Every follow-up the program's sponsors recorded.
    pub async fn follow_ups(&self, program: ProgramId) -> Result<Vec<StoredFollowUp>> {
        let rows = sqlx::query(
            "SELECT f.pair_id, f.signal, f.state, f.updated_at FROM pair_follow_ups f \
             JOIN pairs p ON p.id = f.pair_id WHERE p.program_id = $1 ORDER BY f.pair_id, f.signal",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let state: String = r.try_get("state")?;
                Ok(StoredFollowUp {
                    pair: PairId(r.try_get("pair_id")?),
                    signal: r.try_get("signal")?,
                    state: FollowUp::parse(&state)
                        .ok_or_else(|| StoreError::Corrupt(format!("follow-up state '{state}' is unknown")))?,
                    set_on: Date::of_instant(crate::sql::instant(r, "updated_at")?),
                })
            })
            .collect()
    }

    /// Sets where the sponsors are with one signal of one pair.
    pub async fn set_follow_up(&self, pair: PairId, signal: &str, state: FollowUp) -> Result<()> {
        sqlx::query(
            "INSERT INTO pair_follow_ups (pair_id, signal, state, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (pair_id, signal) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(pair.0)
        .bind(signal)
        .bind(state.as_str())
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
