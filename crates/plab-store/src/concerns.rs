//! Confidential concerns and whom each was routed to (migration 0037).
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use sqlx::Row;

/// How a recipient came to read a concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutedAs {
    /// A sponsor of the program outside both reporting chains.
    Sponsor,
    /// The administrators' named contact, when no sponsor qualified.
    Contact,
}

impl RoutedAs {
    pub fn as_str(self) -> &'static str {
        match self {
            RoutedAs::Sponsor => "sponsor",
            RoutedAs::Contact => "contact",
        }
    }
}

/// One concern as stored. `raised_by` is for the author's own view and the
/// non-anonymous readers' `from`; the services decide who sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConcern {
    pub id: i64,
    pub program: ProgramId,
    pub raised_by: String,
    pub anonymous: bool,
    pub text: String,
    pub raised_at: String,
}

const COLUMNS: &str = "c.id, c.program_id, c.raised_by, c.anonymous, c.body, c.raised_at";

fn concern_from_row(r: &sqlx::any::AnyRow) -> Result<StoredConcern> {
    Ok(StoredConcern {
        id: r.try_get("id")?,
        program: ProgramId(r.try_get("program_id")?),
        raised_by: r.try_get("raised_by")?,
        anonymous: r.try_get::<i64, _>("anonymous")? != 0,
        text: r.try_get("body")?,
        raised_at: r.try_get("raised_at")?,
    })
}

impl Store {
    /// Stores a concern with its recipients, all at once; returns its id.
    pub async fn add_concern(
        &self,
        program: ProgramId,
        raised_by: &str,
        anonymous: bool,
        text: &str,
        recipients: &[(String, RoutedAs)],
    ) -> Result<i64> {
        if recipients.is_empty() {
            return Err(StoreError::Corrupt("a concern routed to nobody is never stored".into()));
        }
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO concerns (program_id, raised_by, anonymous, body, raised_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(program.0)
        .bind(raised_by)
        .bind(crate::sql::flag(anonymous))
        .bind(text)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        for (employee_id, routed_as) in recipients {
            sqlx::query("INSERT INTO concern_recipients (concern_id, employee_id, routed_as) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(employee_id.as_str())
                .bind(routed_as.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The program's concerns routed to `employee_id`, oldest first.
    pub async fn concerns_routed_to(&self, program: ProgramId, employee_id: &str) -> Result<Vec<StoredConcern>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM concerns c JOIN concern_recipients r ON r.concern_id = c.id \
             WHERE c.program_id = $1 AND r.employee_id = $2 ORDER BY c.id"
        )))
        .bind(program.0)
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(concern_from_row).collect()
    }

    /// Every concern routed to `employee_id`, in any program, oldest first.
    pub async fn all_concerns_routed_to(&self, employee_id: &str) -> Result<Vec<StoredConcern>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM concerns c JOIN concern_recipients r ON r.concern_id = c.id \
             WHERE r.employee_id = $1 ORDER BY c.id"
        )))
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(concern_from_row).collect()
    }

    /// The concerns `employee_id` raised; in one program, or in every one with `None`.
    pub async fn concerns_raised_by(
        &self,
        employee_id: &str,
        program: Option<ProgramId>,
    ) -> Result<Vec<StoredConcern>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM concerns c WHERE c.raised_by = $1 AND ($2 < 0 OR c.program_id = $2) ORDER BY c.id"
        )))
        .bind(employee_id)
        .bind(program.map_or(-1, |p| p.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(concern_from_row).collect()
    }

    /// Whether any concern of the program was routed to `employee_id`.
    pub async fn is_concern_recipient(&self, program: ProgramId, employee_id: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT 1 AS one FROM concern_recipients r JOIN concerns c ON c.id = r.concern_id \
             WHERE c.program_id = $1 AND r.employee_id = $2",
        )
        .bind(program.0)
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }
}
