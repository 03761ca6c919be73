//! People: the organisation's directory, upserted in one transaction.
use crate::sql::{list_placeholders, values_placeholders};
use crate::{Result, Store, StoreError};
use plab_domain::person::{Person, RawPerson};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// Rows per INSERT: 12 columns × 500 rows stays far below both backends' bind limits.
const BATCH: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub inserted: u64,
    pub updated: u64,
}

pub(crate) const COLUMNS: &str = "employee_id, name, email, department, manager_id, hire_date, level, title, location, timezone, perspectives, end_date";

impl Store {
    /// Inserts or updates `people` by employee_id, all or nothing.
    /// `on_batch` is called with the number of rows written so far.
    pub async fn upsert_people(&self, people: &[Person], on_batch: &(dyn Fn(usize) + Sync)) -> Result<ImportSummary> {
        let mut tx = self.pool.begin().await?;
        let before = count(&mut tx).await?;
        // Park the e-mails of everyone being updated, so that two people may swap
        // addresses within one import without tripping the unique index.
        for chunk in people.chunks(BATCH) {
            let sql = format!(
                "UPDATE people SET email = '~' || employee_id WHERE employee_id IN ({})",
                list_placeholders(self.backend, chunk.len())
            );
            // Only placeholders and column names are formatted in, never data.
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for p in chunk {
                q = q.bind(p.employee_id.as_str());
            }
            q.execute(&mut *tx).await?;
        }
        let mut written = 0;
        for chunk in people.chunks(BATCH) {
            write_people(&mut tx, self.backend, chunk).await?;
            written += chunk.len();
            on_batch(written);
        }
        let after = count(&mut tx).await?;
        tx.commit().await?;
        let inserted = after.saturating_sub(before);
        Ok(ImportSummary { inserted, updated: people.len() as u64 - inserted })
    }

    pub async fn people_count(&self) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        count(&mut conn).await
    }

    /// Every person, ordered by employee_id.
    pub async fn all_people(&self) -> Result<Vec<Person>> {
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT {COLUMNS} FROM people ORDER BY employee_id")))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(person_from_row).collect()
    }

    pub async fn person(&self, employee_id: &str) -> Result<Person> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {COLUMNS} FROM people WHERE employee_id = $1")))
            .bind(employee_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "person", id: employee_id.to_owned() })?;
        person_from_row(&row)
    }

    /// Name and e-mail of each of these people (unknown ids are left out), in
    /// one query per 500 ids rather than one per person.
    pub async fn names_and_emails(&self, ids: &[&str]) -> Result<HashMap<String, (String, String)>> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(BATCH) {
            let sql = format!(
                "SELECT employee_id, name, email FROM people WHERE employee_id IN ({})",
                list_placeholders(self.backend, chunk.len())
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(*id);
            }
            for r in query.fetch_all(&self.pool).await? {
                out.insert(r.try_get("employee_id")?, (r.try_get("name")?, r.try_get("email")?));
            }
        }
        Ok(out)
    }

    /// People still with the organisation on `today` whose name, e-mail,
    /// employee id, title or department contains `text` (any case), at
    /// `level` when one is given: at most `limit` of them, by name.
    pub async fn find_people(&self, text: &str, level: Option<i64>, today: &str, limit: u32) -> Result<Vec<Person>> {
        let like = |column: &str| format!("LOWER(COALESCE({column}, '')) LIKE $1 ESCAPE '!'");
        let matches = ["name", "email", "employee_id", "title", "department"].map(like).join(" OR ");
        let level_filter = if level.is_some() { " AND level = $4" } else { "" };
        let sql = format!(
            "SELECT {COLUMNS} FROM people WHERE ({matches}) AND (end_date IS NULL OR end_date > $2){level_filter} \
             ORDER BY name, employee_id LIMIT $3"
        );
        let escaped: String = text
            .trim()
            .to_lowercase()
            .chars()
            .flat_map(|c| if matches!(c, '%' | '_' | '!') { vec!['!', c] } else { vec![c] })
            .collect();
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(format!("%{escaped}%")).bind(today).bind(i64::from(limit));
        if let Some(level) = level {
            query = query.bind(level);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(person_from_row).collect()
    }

    /// `(employee_id, manager_id, email)` of everyone: what an import checks against.
    pub async fn directory_keys(&self) -> Result<Vec<(String, Option<String>, String)>> {
        let rows = sqlx::query("SELECT employee_id, manager_id, email FROM people").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get("employee_id")?, r.try_get("manager_id")?, r.try_get("email")?))).collect()
    }
}

/// Inserts or updates these people (at most `BATCH`) by employee_id, inside the caller's transaction.
pub(crate) async fn write_people(
    conn: &mut sqlx::AnyConnection,
    backend: crate::Backend,
    chunk: &[Person],
) -> Result<()> {
    let sql = format!(
        "INSERT INTO people ({COLUMNS}) VALUES {} ON CONFLICT (employee_id) DO UPDATE SET \
             name = excluded.name, email = excluded.email, department = excluded.department, \
             manager_id = excluded.manager_id, hire_date = excluded.hire_date, level = excluded.level, \
             title = excluded.title, location = excluded.location, timezone = excluded.timezone, \
             perspectives = excluded.perspectives, end_date = excluded.end_date",
        values_placeholders(backend, chunk.len(), 12)
    );
    // Only placeholders and column names are formatted in, never data.
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for p in chunk {
        q = q
            .bind(p.employee_id.as_str())
            .bind(p.name.as_str())
            .bind(p.email.as_str())
            .bind(p.department.as_str())
            .bind(p.manager_id.as_ref().map(|m| m.as_str().to_owned()))
            .bind(p.hire_date.to_string())
            .bind(i64::from(p.level.value()))
            .bind(p.title.clone())
            .bind(p.location.clone())
            .bind(p.timezone.clone())
            .bind(p.perspectives.join(";"))
            .bind(p.end_date.map(|d| d.to_string()));
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

async fn count(conn: &mut sqlx::AnyConnection) -> Result<u64> {
    let n: i64 =
        sqlx::query("SELECT COUNT(*) AS people_count FROM people").fetch_one(conn).await?.try_get("people_count")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(crate) fn person_from_row(r: &AnyRow) -> Result<Person> {
    let text = |column: &str| -> Result<String> { Ok(r.try_get::<Option<String>, _>(column)?.unwrap_or_default()) };
    let level: i64 = r.try_get("level")?;
    let raw = RawPerson {
        employee_id: text("employee_id")?,
        name: text("name")?,
        email: text("email")?,
        department: text("department")?,
        manager_id: text("manager_id")?,
        hire_date: text("hire_date")?,
        level: level.to_string(),
        title: text("title")?,
        location: text("location")?,
        // A zone stored before abbreviations were refused reads as the place it means, or as none.
        timezone: plab_domain::zone::Zone::from_stored(&text("timezone")?)
            .map(|z| z.name().to_owned())
            .unwrap_or_default(),
        perspectives: text("perspectives")?,
        end_date: text("end_date")?,
    };
    let id = raw.employee_id.clone();
    raw.parse().map_err(|errs| {
        let why: Vec<String> = errs.iter().map(ToString::to_string).collect();
        StoreError::Corrupt(format!("person '{id}': {}", why.join("; ")))
    })
}
