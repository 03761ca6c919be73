//! Sessions, homework, private pulse answers and the averages released to sponsors.
use crate::notes::sealed_note;
use crate::{Outgoing, ProgramId, Result, SealedNote, Store, StoreError, now_rfc3339};
use plab_domain::program::Role;
use plab_domain::session::{GroupAverage, MISSED_AFTER_DAYS, PersonAnswers, Release, SessionStatus};
use plab_domain::{PairId, SessionId};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

/// A stored session. Times are kept as RFC 3339 in UTC, so they sort as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub id: SessionId,
    pub pair_id: PairId,
    pub seq: i64,
    pub starts_at: OffsetDateTime,
    pub minutes: i64,
    pub status: SessionStatus,
    pub homework_done: bool,
    /// RFC 5545 `SEQUENCE`: moved forward on every change of time or status.
    pub sequence: i64,
    pub updated_at: OffsetDateTime,
    /// When a partner said it did not take place (`status` is then `Missed`).
    pub missed_at: Option<OffsetDateTime>,
}

impl StoredSession {
    /// The status as of `now`: a planned session nobody answered for a week
    /// after its start reads as missed (`SessionStatus::as_of`).
    pub fn status_at(&self, now: OffsetDateTime) -> SessionStatus {
        self.status.as_of(self.starts_at, now)
    }

    /// Missed because nobody said, within a week, whether it took place (not
    /// because a partner said it did not): a partner may still say it was held.
    pub fn lapsed_at(&self, now: OffsetDateTime) -> bool {
        self.status == SessionStatus::Planned && self.status_at(now) == SessionStatus::Missed
    }
}

/// The `sessions` columns `session` reads, for a query that calls the table `s`.
macro_rules! columns {
    () => {
        "s.id, s.pair_id, s.seq, s.starts_at, s.minutes, s.status, s.homework_done, s.sequence, s.updated_at, \
         s.missed_at"
    };
}

pub(crate) fn session(r: &AnyRow) -> Result<StoredSession> {
    let missed_at = match r.try_get::<Option<String>, _>("missed_at")? {
        Some(_) => Some(crate::sql::instant(r, "missed_at")?),
        None => None,
    };
    let status = SessionStatus::parse(&r.try_get::<String, _>("status")?)
        .ok_or_else(|| StoreError::Corrupt("a session's status is unknown".into()))?;
    Ok(StoredSession {
        id: SessionId(r.try_get("id")?),
        pair_id: PairId(r.try_get("pair_id")?),
        seq: r.try_get("seq")?,
        starts_at: crate::sql::instant(r, "starts_at")?,
        minutes: r.try_get("minutes")?,
        // The stored status stays `planned` for a missed session (migration 0028).
        status: if status == SessionStatus::Planned && missed_at.is_some() { SessionStatus::Missed } else { status },
        homework_done: r.try_get::<i64, _>("homework_done")? != 0,
        sequence: r.try_get("sequence")?,
        updated_at: crate::sql::instant(r, "updated_at")?,
        missed_at,
    })
}

/// Homework to seal into the session that set it.
pub struct SealedText<'a> {
    pub author: &'a str,
    pub key_id: &'a str,
    pub nonce: &'a [u8],
    pub ciphertext: &'a [u8],
}

/// Counts for a program's sessions and homework.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionCounts {
    pub planned: i64,
    pub held: i64,
    pub cancelled: i64,
    /// Did not take place: a partner said so, or nobody said for a week.
    pub missed: i64,
    pub homework_set: i64,
    pub homework_done: i64,
}

/// One person's answers to one pulse item over their sessions in a program:
/// their sum and count, whose ratio is that person's average.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonItemAverage {
    pub employee_id: String,
    pub role: Role,
    pub item: String,
    pub sum: i64,
    pub count: i64,
}

fn count(r: &AnyRow, column: &str) -> Result<u32> {
    let n: i64 = r.try_get(column)?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{column} {n} is out of range")))
}

impl Store {
    /// Plans a pair's sessions and writes their invitations; a second call
    /// (another instance, a retry) adds nothing and writes no mail.
    pub async fn plan_sessions(
        &self,
        pair: PairId,
        starts: &[OffsetDateTime],
        minutes: i64,
        mail: &[Outgoing],
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for (seq, at) in starts.iter().enumerate() {
            let done = sqlx::query(
                "INSERT INTO sessions (pair_id, seq, starts_at, minutes, status, updated_at) \
                 VALUES ($1, $2, $3, $4, 'planned', $5) ON CONFLICT (pair_id, seq) DO NOTHING",
            )
            .bind(pair.0)
            .bind(i64::try_from(seq).unwrap_or(i64::MAX) + 1)
            .bind(crate::sql::instant_text(*at))
            .bind(minutes)
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await?;
            added += usize::try_from(done.rows_affected()).unwrap_or(0);
        }
        if added > 0 {
            crate::outbox::enqueue_in(&mut tx, mail).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    pub async fn sessions(&self, pair: PairId) -> Result<Vec<StoredSession>> {
        let rows = sqlx::query(concat!("SELECT ", columns!(), " FROM sessions s WHERE s.pair_id = $1 ORDER BY s.seq"))
            .bind(pair.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(session).collect()
    }

    pub async fn session(&self, id: SessionId) -> Result<StoredSession> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM sessions s WHERE s.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "session", id: id.to_string() })?;
        session(&row)
    }

    /// Planned sessions starting at or after `from` and before `to` (RFC 3339, UTC), for reminders.
    pub async fn planned_sessions_starting(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<StoredSession>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            " FROM sessions s WHERE s.status = 'planned' AND s.missed_at IS NULL AND s.starts_at >= $1 AND s.starts_at < $2 ORDER BY s.starts_at, s.id"
        ))
        .bind(crate::sql::instant_text(from))
        .bind(crate::sql::instant_text(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session).collect()
    }

    /// Every session of the pairs a person is a partner in, with the pair's
    /// leader and mentor ids, for their calendar.
    pub async fn sessions_of_person(&self, employee_id: &str) -> Result<Vec<(StoredSession, String, String)>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            columns!(),
            ", p.leader_id, p.mentor_id FROM sessions s JOIN pairs p ON p.id = s.pair_id \
             WHERE p.leader_id = $1 OR p.mentor_id = $1 ORDER BY s.starts_at, s.id"
        ))
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((session(r)?, r.try_get("leader_id")?, r.try_get("mentor_id")?))).collect()
    }

    /// Moves a planned session to `held` or `cancelled`. Fails with a conflict
    /// when the session is no longer planned (another partner was quicker, or
    /// said it did not take place).
    async fn leave_planned(tx: &mut sqlx::AnyConnection, id: SessionId, status: SessionStatus) -> Result<()> {
        let done = sqlx::query(
            "UPDATE sessions SET status = $1, updated_at = $2, sequence = sequence + 1 \
             WHERE id = $3 AND status = 'planned' AND missed_at IS NULL",
        )
        .bind(status.as_str())
        .bind(now_rfc3339())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!("session {id} is no longer planned")))
        }
    }

    /// Records that a planned session did not take place. Fails with a
    /// conflict when it is no longer planned (the other partner was quicker).
    pub async fn record_missed(&self, id: SessionId) -> Result<()> {
        let now = now_rfc3339();
        let done = sqlx::query(
            "UPDATE sessions SET missed_at = $1, updated_at = $1 WHERE id = $2 AND status = 'planned' AND missed_at IS NULL",
        )
        .bind(now.as_str())
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!("session {id} is no longer planned")))
        }
    }

    /// Cancels a planned session and writes the cancellations.
    pub async fn cancel_session(&self, id: SessionId, mail: &[Outgoing]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        Self::leave_planned(&mut tx, id, SessionStatus::Cancelled).await?;
        crate::outbox::enqueue_in(&mut tx, mail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a session held, records whether the previous session's homework
    /// was done and seals the homework agreed for next time, all at once.
    pub async fn hold_session(
        &self,
        id: SessionId,
        previous_homework_done: Option<SessionId>,
        homework: Option<SealedText<'_>>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        Self::leave_planned(&mut tx, id, SessionStatus::Held).await?;
        if let Some(previous) = previous_homework_done {
            sqlx::query("UPDATE sessions SET homework_done = 1 WHERE id = $1")
                .bind(previous.0)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(h) = homework {
            sqlx::query(
                "INSERT INTO notes (pair_id, author_id, key_id, nonce, ciphertext, created_at, session_id, kind) \
                 SELECT pair_id, $1, $2, $3, $4, $5, id, 'homework' FROM sessions WHERE id = $6",
            )
            .bind(h.author)
            .bind(h.key_id)
            .bind(h.nonce.to_vec())
            .bind(h.ciphertext.to_vec())
            .bind(now_rfc3339())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves planned sessions to new times and writes the updates, all or
    /// nothing. Each move names the `SEQUENCE` it was decided on: a session
    /// changed meanwhile (by the other partner, another instance) is a
    /// conflict, so no update goes out with a stale time.
    pub async fn reschedule_sessions(
        &self,
        moves: &[(SessionId, i64, OffsetDateTime)],
        mail: &[Outgoing],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for (id, sequence, starts_at) in moves {
            let done = sqlx::query(
                "UPDATE sessions SET starts_at = $1, updated_at = $2, reschedules = reschedules + 1, \
                 sequence = sequence + 1 WHERE id = $3 AND status = 'planned' AND missed_at IS NULL AND sequence = $4",
            )
            .bind(crate::sql::instant_text(*starts_at))
            .bind(now_rfc3339())
            .bind(id.0)
            .bind(sequence)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!(
                    "session {id} changed meanwhile or is no longer planned; reload and try again"
                )));
            }
        }
        crate::outbox::enqueue_in(&mut tx, mail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves one planned session, whatever its `SEQUENCE`, writing no mail
    /// (the demo's history, tests).
    pub async fn reschedule_session(&self, id: SessionId, starts_at: OffsetDateTime) -> Result<()> {
        let current = self.session(id).await?;
        self.reschedule_sessions(&[(id, current.sequence, starts_at)], &[]).await
    }

    /// The homework agreed at a session, still sealed.
    pub async fn homework(&self, session: SessionId) -> Result<Option<SealedNote>> {
        let row = sqlx::query(
            "SELECT id, pair_id, author_id, key_id, nonce, ciphertext, created_at FROM notes \
             WHERE session_id = $1 AND kind = 'homework' ORDER BY id DESC LIMIT 1",
        )
        .bind(session.0)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(sealed_note).transpose()
    }

    /// Saves (or replaces) one person's pulse for a session.
    pub async fn save_pulse(
        &self,
        session: SessionId,
        employee_id: &str,
        role: &str,
        answers: &[(&str, u8)],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM pulse_answers WHERE session_id = $1 AND employee_id = $2")
            .bind(session.0)
            .bind(employee_id)
            .execute(&mut *tx)
            .await?;
        let at = now_rfc3339();
        for (item, value) in answers {
            sqlx::query(
                "INSERT INTO pulse_answers (session_id, employee_id, role, item, value, answered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(session.0)
            .bind(employee_id)
            .bind(role)
            .bind(*item)
            .bind(i64::from(*value))
            .bind(at.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One person's own answers to one session's pulse.
    pub async fn own_pulse(&self, session: SessionId, employee_id: &str) -> Result<Vec<(String, u8)>> {
        let rows = sqlx::query(
            "SELECT item, value FROM pulse_answers WHERE session_id = $1 AND employee_id = $2 ORDER BY item",
        )
        .bind(session.0)
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("item")?, u8::try_from(r.try_get::<i64, _>("value")?).unwrap_or_default())))
            .collect()
    }

    /// Per person and item, the sum and count of their pulse answers in a
    /// program; the service turns these into the averages sponsors see.
    pub async fn pulse_averages(&self, program: ProgramId) -> Result<Vec<PersonItemAverage>> {
        let rows = sqlx::query(
            "SELECT a.employee_id, a.role, a.item, CAST(SUM(a.value) AS BIGINT) AS answer_sum, \
             CAST(COUNT(*) AS BIGINT) AS answer_count FROM pulse_answers a \
             JOIN sessions s ON s.id = a.session_id JOIN pairs p ON p.id = s.pair_id \
             WHERE p.program_id = $1 GROUP BY a.employee_id, a.role, a.item ORDER BY a.role, a.item, a.employee_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PersonItemAverage {
                    employee_id: r.try_get("employee_id")?,
                    role: Role::parse(&r.try_get::<String, _>("role")?)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    item: r.try_get("item")?,
                    sum: r.try_get("answer_sum")?,
                    count: r.try_get("answer_count")?,
                })
            })
            .collect()
    }

    /// The last release of each pulse item's average in a program, by item code.
    pub async fn released_averages(&self, program: ProgramId) -> Result<Vec<(String, Release)>> {
        let figures = sqlx::query(
            "SELECT item, number, respondents, average FROM released_averages WHERE program_id = $1 ORDER BY item",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        let basis = sqlx::query(
            "SELECT item, employee_id, answer_sum, answer_count FROM released_average_basis \
             WHERE program_id = $1 ORDER BY item, employee_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(figures.len());
        for f in &figures {
            let item: String = f.try_get("item")?;
            let mut release = Release {
                number: count(f, "number")?,
                figure: GroupAverage { respondents: count(f, "respondents")?, average: f.try_get("average")? },
                basis: Vec::new(),
            };
            for b in &basis {
                if b.try_get::<String, _>("item")? == item {
                    release.basis.push(PersonAnswers {
                        person: b.try_get("employee_id")?,
                        sum: count(b, "answer_sum")?,
                        count: count(b, "answer_count")?,
                    });
                }
            }
            out.push((item, release));
        }
        Ok(out)
    }

    /// Stores `release` as the item's figure if it follows the stored one (its
    /// number is one more, or 1 when there is none). Returns false, writing
    /// nothing, when another server released first.
    pub async fn release_average(&self, program: ProgramId, item: &str, release: &Release) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let (number, respondents) = (i64::from(release.number), i64::from(release.figure.respondents));
        let now = now_rfc3339();
        let written = if release.number <= 1 {
            sqlx::query(
                "INSERT INTO released_averages (program_id, item, number, respondents, average, released_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (program_id, item) DO NOTHING",
            )
            .bind(program.0)
            .bind(item)
            .bind(number)
            .bind(respondents)
            .bind(release.figure.average)
            .bind(now.as_str())
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "UPDATE released_averages SET number = $1, respondents = $2, average = $3, released_at = $4 \
                 WHERE program_id = $5 AND item = $6 AND number = $7",
            )
            .bind(number)
            .bind(respondents)
            .bind(release.figure.average)
            .bind(now.as_str())
            .bind(program.0)
            .bind(item)
            .bind(number - 1)
            .execute(&mut *tx)
            .await?
        };
        if written.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM released_average_basis WHERE program_id = $1 AND item = $2")
            .bind(program.0)
            .bind(item)
            .execute(&mut *tx)
            .await?;
        for person in &release.basis {
            sqlx::query(
                "INSERT INTO released_average_basis (program_id, item, employee_id, answer_sum, answer_count) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(program.0)
            .bind(item)
            .bind(person.person.as_str())
            .bind(i64::from(person.sum))
            .bind(i64::from(person.count))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The program's sessions by status as of `now` (`StoredSession::status_at`).
    pub async fn session_counts(&self, program: ProgramId, now: OffsetDateTime) -> Result<SessionCounts> {
        let lapsed_before = crate::sql::instant_text(now - time::Duration::days(MISSED_AFTER_DAYS));
        let row = sqlx::query(
            "SELECT \
               CAST(COALESCE(SUM(CASE WHEN s.status = 'planned' AND s.missed_at IS NULL AND s.starts_at >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS planned, \
               CAST(COALESCE(SUM(CASE WHEN s.status = 'planned' AND (s.missed_at IS NOT NULL OR s.starts_at < $2) THEN 1 ELSE 0 END), 0) AS BIGINT) AS missed, \
               CAST(COALESCE(SUM(CASE WHEN s.status = 'held' THEN 1 ELSE 0 END), 0) AS BIGINT) AS held, \
               CAST(COALESCE(SUM(CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END), 0) AS BIGINT) AS cancelled, \
               CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM notes n WHERE n.session_id = s.id AND n.kind = 'homework') THEN 1 ELSE 0 END), 0) AS BIGINT) AS homework_set, \
               CAST(COALESCE(SUM(s.homework_done), 0) AS BIGINT) AS homework_done \
             FROM sessions s JOIN pairs p ON p.id = s.pair_id WHERE p.program_id = $1",
        )
        .bind(program.0)
        .bind(lapsed_before)
        .fetch_one(&self.pool)
        .await?;
        Ok(SessionCounts {
            planned: row.try_get("planned")?,
            missed: row.try_get("missed")?,
            held: row.try_get("held")?,
            cancelled: row.try_get("cancelled")?,
            homework_set: row.try_get("homework_set")?,
            homework_done: row.try_get("homework_done")?,
        })
    }
}
