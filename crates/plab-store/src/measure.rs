//! Check-ins with each partner and the leader's insight log (protocol step 5).
use crate::sql::{flag, instant};
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::checkin::CheckinAnswers;
use plab_domain::insight::{InsightId, InsightKind, NewInsight};
use plab_domain::program::Role;
use plab_domain::{PairId, SessionId, Theme};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

/// One partner's check-in as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckin {
    pub pair: PairId,
    /// The partner whose check-in it is.
    pub employee_id: String,
    pub answers: CheckinAnswers,
    /// Who wrote the answers down: the partner, or a sponsor (`by_sponsor`).
    pub recorded_by: String,
    pub by_sponsor: bool,
    pub answered_at: OffsetDateTime,
    /// When a sponsor first read the answers; None while unread.
    pub read_at: Option<OffsetDateTime>,
}

impl StoredCheckin {
    pub fn role(&self) -> Role {
        self.answers.role()
    }
}

/// Who writes a check-in down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorder<'a> {
    /// The partner themself: they may revise it until a sponsor has read it,
    /// and never replace what a sponsor recorded with them.
    Partner,
    /// A sponsor, after the conversation held in person (their employee id):
    /// they may correct what they recorded, never what the partner wrote.
    Sponsor(&'a str),
}

/// An entry of a leader's insight log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInsight {
    pub id: InsightId,
    pub pair: PairId,
    pub author_id: String,
    pub kind: InsightKind,
    pub theme: Theme,
    pub text: String,
    pub session: Option<SessionId>,
    pub shared: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// How many insights of one kind and theme a pair logged, shared or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsightTally {
    pub pair: PairId,
    pub kind: InsightKind,
    pub theme: Theme,
    pub shared: bool,
    pub count: u32,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_owned())
}

/// The `checkins` columns `checkin` reads, for a query that calls the table `c`.
macro_rules! checkin_columns {
    () => {
        "c.pair_id, c.role, c.employee_id, c.insight, c.change_made, c.view_of_organization, c.heard, \
         c.heard_comment, c.recorded_by, c.by_sponsor, c.answered_at, c.read_at"
    };
}

fn checkin(r: &AnyRow) -> Result<StoredCheckin> {
    let role: String = r.try_get("role")?;
    let text = |column: &str| -> Result<String> {
        r.try_get::<Option<String>, _>(column)?.ok_or_else(|| corrupt(&format!("a {role}'s check-in lacks {column}")))
    };
    let answers = match Role::parse(&role) {
        Ok(Role::Leader) => CheckinAnswers::Leader { insight: text("insight")?, change: text("change_made")? },
        Ok(Role::Mentor) => CheckinAnswers::Mentor {
            view_of_organization: text("view_of_organization")?,
            heard: r
                .try_get::<Option<i64>, _>("heard")?
                .and_then(|h| u8::try_from(h).ok())
                .ok_or_else(|| corrupt("a mentor's check-in lacks heard"))?,
            heard_comment: r.try_get("heard_comment")?,
        },
        _ => return Err(corrupt("a check-in's role is unknown")),
    };
    let read_at: Option<String> = r.try_get("read_at")?;
    Ok(StoredCheckin {
        pair: PairId(r.try_get("pair_id")?),
        employee_id: r.try_get("employee_id")?,
        answers,
        recorded_by: r.try_get("recorded_by")?,
        by_sponsor: r.try_get::<i64, _>("by_sponsor")? != 0,
        answered_at: instant(r, "answered_at")?,
        read_at: read_at
            .map(|t| plab_domain::session::parse_instant(&t).map_err(|_| corrupt("a check-in's read_at is not a time")))
            .transpose()?,
    })
}

/// The `insights` columns `insight` reads, for a query that calls the table `i`.
macro_rules! insight_columns {
    () => {
        "i.id, i.pair_id, i.author_id, i.kind, i.theme, i.body, i.session_id, i.shared, i.created_at, i.updated_at"
    };
}

/// Saves a check-in unless the row already there fails `$guard`.
macro_rules! upsert_checkin {
    ($guard:literal) => {
        concat!(
            "INSERT INTO checkins (pair_id, role, employee_id, insight, change_made, view_of_organization, heard, \
             heard_comment, recorded_by, by_sponsor, answered_at, read_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (pair_id, role) DO UPDATE SET employee_id = excluded.employee_id, \
             insight = excluded.insight, change_made = excluded.change_made, \
             view_of_organization = excluded.view_of_organization, heard = excluded.heard, \
             heard_comment = excluded.heard_comment, recorded_by = excluded.recorded_by, \
             by_sponsor = excluded.by_sponsor, answered_at = excluded.answered_at, read_at = excluded.read_at \
             WHERE ",
            $guard
        )
    };
}

fn insight(r: &AnyRow) -> Result<StoredInsight> {
    Ok(StoredInsight {
        id: InsightId(r.try_get("id")?),
        pair: PairId(r.try_get("pair_id")?),
        author_id: r.try_get("author_id")?,
        kind: InsightKind::parse(&r.try_get::<String, _>("kind")?).ok_or_else(|| corrupt("an insight's kind"))?,
        theme: Theme::parse(&r.try_get::<String, _>("theme")?).ok_or_else(|| corrupt("an insight's theme"))?,
        text: r.try_get("body")?,
        session: r.try_get::<Option<i64>, _>("session_id")?.map(SessionId),
        shared: r.try_get::<i64, _>("shared")? != 0,
        created_at: instant(r, "created_at")?,
        updated_at: instant(r, "updated_at")?,
    })
}

fn insight_not_found(id: InsightId) -> StoreError {
    StoreError::NotFound { what: "insight", id: id.to_string() }
}

impl Store {
    /// Saves one partner's check-in (`answers.role()` says whose). Fails with a
    /// conflict, writing nothing, when the recorder may no longer write it:
    /// see [`Recorder`].
    pub async fn save_checkin(
        &self,
        pair: PairId,
        employee_id: &str,
        answers: &CheckinAnswers,
        recorder: Recorder<'_>,
    ) -> Result<()> {
        let (insight, change, view, heard, comment) = match answers {
            CheckinAnswers::Leader { insight, change } => (Some(insight), Some(change), None, None, None),
            CheckinAnswers::Mentor { view_of_organization, heard, heard_comment } => {
                (None, None, Some(view_of_organization), Some(i64::from(*heard)), heard_comment.as_ref())
            }
        };
        let now = now_rfc3339();
        let (recorded_by, by_sponsor, read_at, sql) = match recorder {
            Recorder::Partner => {
                (employee_id, false, None, upsert_checkin!("checkins.read_at IS NULL AND checkins.by_sponsor = 0"))
            }
            Recorder::Sponsor(sponsor) => {
                (sponsor, true, Some(now.clone()), upsert_checkin!("checkins.by_sponsor = 1"))
            }
        };
        let done = sqlx::query(sql)
            .bind(pair.0)
            .bind(answers.role().as_str())
            .bind(employee_id)
            .bind(insight.cloned())
            .bind(change.cloned())
            .bind(view.cloned())
            .bind(heard)
            .bind(comment.cloned())
            .bind(recorded_by)
            .bind(flag(by_sponsor))
            .bind(now.as_str())
            .bind(read_at)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 1 {
            return Ok(());
        }
        Err(StoreError::Conflict(match recorder {
            Recorder::Partner => format!(
                "the {} check-in of pair {pair} was read or recorded by a sponsor: it can no longer be changed",
                answers.role()
            ),
            Recorder::Sponsor(_) => {
                format!(
                    "the {}'s check-in of pair {pair} was answered by the {} themself",
                    answers.role(),
                    answers.role()
                )
            }
        }))
    }

    /// One partner's check-in, if answered.
    pub async fn checkin(&self, pair: PairId, role: Role) -> Result<Option<StoredCheckin>> {
        let sql = concat!("SELECT ", checkin_columns!(), " FROM checkins c WHERE c.pair_id = $1 AND c.role = $2");
        let row = sqlx::query(sql).bind(pair.0).bind(role.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(checkin).transpose()
    }

    /// Every answered check-in of a program's pairs, by pair then role.
    pub async fn program_checkins(&self, program: ProgramId) -> Result<Vec<StoredCheckin>> {
        let sql = concat!(
            "SELECT ",
            checkin_columns!(),
            " FROM checkins c JOIN pairs p ON p.id = c.pair_id WHERE p.program_id = $1 ORDER BY c.pair_id, c.role"
        );
        let rows = sqlx::query(sql).bind(program.0).fetch_all(&self.pool).await?;
        rows.iter().map(checkin).collect()
    }

    /// Marks every unread check-in of the program read by a sponsor, now;
    /// returns how many. Call it before reading the answers: a partner's
    /// revision after this fails, so what the sponsor reads is final.
    pub async fn mark_checkins_read(&self, program: ProgramId) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE checkins SET read_at = $1 WHERE read_at IS NULL \
             AND pair_id IN (SELECT id FROM pairs WHERE program_id = $2)",
        )
        .bind(now_rfc3339())
        .bind(program.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// When each held session of a program's pairs started, by pair.
    pub async fn held_session_starts(&self, program: ProgramId) -> Result<Vec<(PairId, OffsetDateTime)>> {
        let rows = sqlx::query(
            "SELECT s.pair_id, s.starts_at FROM sessions s JOIN pairs p ON p.id = s.pair_id \
             WHERE p.program_id = $1 AND s.status = 'held' ORDER BY s.pair_id, s.starts_at",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((PairId(r.try_get("pair_id")?), instant(r, "starts_at")?))).collect()
    }

    pub async fn add_insight(&self, pair: PairId, author: &str, i: &NewInsight) -> Result<InsightId> {
        let now = now_rfc3339();
        let id: i64 = sqlx::query(
            "INSERT INTO insights (pair_id, author_id, kind, theme, body, session_id, shared, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(pair.0)
        .bind(author)
        .bind(i.kind.as_str())
        .bind(i.theme.as_str())
        .bind(i.text.as_str())
        .bind(i.session.map(|s| s.0))
        .bind(flag(i.shared))
        .bind(now.as_str())
        .bind(now.as_str())
        .fetch_one(&self.pool)
        .await?
        .try_get("id")?;
        Ok(InsightId(id))
    }

    /// Replaces an insight's kind, theme, text, session and shared flag.
    pub async fn update_insight(&self, id: InsightId, i: &NewInsight) -> Result<()> {
        let done = sqlx::query(
            "UPDATE insights SET kind = $1, theme = $2, body = $3, session_id = $4, shared = $5, updated_at = $6 \
             WHERE id = $7",
        )
        .bind(i.kind.as_str())
        .bind(i.theme.as_str())
        .bind(i.text.as_str())
        .bind(i.session.map(|s| s.0))
        .bind(flag(i.shared))
        .bind(now_rfc3339())
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 { Ok(()) } else { Err(insight_not_found(id)) }
    }

    pub async fn delete_insight(&self, id: InsightId) -> Result<()> {
        let done = sqlx::query("DELETE FROM insights WHERE id = $1").bind(id.0).execute(&self.pool).await?;
        if done.rows_affected() == 1 { Ok(()) } else { Err(insight_not_found(id)) }
    }

    pub async fn insight(&self, id: InsightId) -> Result<StoredInsight> {
        let sql = concat!("SELECT ", insight_columns!(), " FROM insights i WHERE i.id = $1");
        let row = sqlx::query(sql).bind(id.0).fetch_optional(&self.pool).await?.ok_or_else(|| insight_not_found(id))?;
        insight(&row)
    }

    /// A pair's insight log, oldest first.
    pub async fn insights(&self, pair: PairId) -> Result<Vec<StoredInsight>> {
        let sql = concat!("SELECT ", insight_columns!(), " FROM insights i WHERE i.pair_id = $1 ORDER BY i.id");
        let rows = sqlx::query(sql).bind(pair.0).fetch_all(&self.pool).await?;
        rows.iter().map(insight).collect()
    }

    /// The insights of a program's pairs that their leaders shared with the
    /// sponsors, oldest first. Unshared text never leaves this query.
    pub async fn shared_insights(&self, program: ProgramId) -> Result<Vec<StoredInsight>> {
        let sql = concat!(
            "SELECT ",
            insight_columns!(),
            " FROM insights i JOIN pairs p ON p.id = i.pair_id WHERE p.program_id = $1 AND i.shared = 1 ORDER BY i.id"
        );
        let rows = sqlx::query(sql).bind(program.0).fetch_all(&self.pool).await?;
        rows.iter().map(insight).collect()
    }

    /// How many insights each pair of a program logged, by kind, theme and shared.
    pub async fn insight_tallies(&self, program: ProgramId) -> Result<Vec<InsightTally>> {
        let rows = sqlx::query(
            "SELECT i.pair_id, i.kind, i.theme, i.shared, CAST(COUNT(*) AS BIGINT) AS insight_count \
             FROM insights i JOIN pairs p ON p.id = i.pair_id WHERE p.program_id = $1 \
             GROUP BY i.pair_id, i.kind, i.theme, i.shared ORDER BY i.pair_id, i.kind, i.theme, i.shared",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InsightTally {
                    pair: PairId(r.try_get("pair_id")?),
                    kind: InsightKind::parse(&r.try_get::<String, _>("kind")?)
                        .ok_or_else(|| corrupt("an insight's kind"))?,
                    theme: Theme::parse(&r.try_get::<String, _>("theme")?)
                        .ok_or_else(|| corrupt("an insight's theme"))?,
                    shared: r.try_get::<i64, _>("shared")? != 0,
                    count: u32::try_from(r.try_get::<i64, _>("insight_count")?)
                        .map_err(|_| corrupt("an insight count is out of range"))?,
                })
            })
            .collect()
    }
}
