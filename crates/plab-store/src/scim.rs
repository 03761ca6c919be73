//! SCIM provisioning: the bearer tokens an identity provider calls with, and
//! what SCIM keeps of a person beside the directory's own columns.
use crate::people::{COLUMNS, person_from_row, write_people};
use crate::{Result, Store, now_rfc3339};
use plab_domain::person::Person;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// A SCIM token as listed: never its secret, which is only ever hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimToken {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// What SCIM keeps of a provisioned person: the provider's ids and the
/// resource as last written (JSON text the store does not read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimRecord {
    pub external_id: Option<String>,
    pub user_name: String,
    pub resource: String,
    pub created_at: String,
    pub last_modified: String,
}

/// A directory person with what SCIM keeps of them (`None`: never provisioned over SCIM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimPerson {
    pub person: Person,
    pub record: Option<ScimRecord>,
}

/// Which people a SCIM list names. Every variant is matched with bound
/// parameters; the userName of a person SCIM never wrote is their e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScimSelect {
    All,
    Id(String),
    /// Compared without regard to case.
    UserName(String),
    ExternalId(String),
    /// Compared without regard to case (the directory keeps e-mails lower-case).
    Email(String),
}

/// The person lost their account's sign-ins and access, today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deactivate {
    No,
    /// Disable their account and end every sign-in.
    Yes,
}

const TOKEN_COLUMNS: &str = "id, label, created_at, revoked_at, last_used_at";

fn token_from_row(r: &AnyRow) -> Result<ScimToken> {
    Ok(ScimToken {
        id: r.try_get("id")?,
        label: r.try_get("label")?,
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}

fn scim_person_from_row(r: &AnyRow) -> Result<ScimPerson> {
    let person = person_from_row(r)?;
    let record = match r.try_get::<Option<String>, _>("scim_resource")? {
        None => None,
        Some(resource) => Some(ScimRecord {
            external_id: r.try_get("scim_external_id")?,
            user_name: r.try_get("scim_user_name")?,
            resource,
            created_at: r.try_get("scim_created_at")?,
            last_modified: r.try_get("scim_last_modified")?,
        }),
    };
    Ok(ScimPerson { person, record })
}

/// The people columns, then SCIM's, of people not deleted over SCIM.
fn select_sql() -> String {
    let people: Vec<String> = COLUMNS.split(", ").map(|c| format!("p.{c}")).collect();
    format!(
        "SELECT {}, s.external_id AS scim_external_id, s.user_name AS scim_user_name, s.resource AS scim_resource, \
         s.created_at AS scim_created_at, s.last_modified AS scim_last_modified \
         FROM people p LEFT JOIN scim_users s ON s.employee_id = p.employee_id WHERE s.deleted_at IS NULL",
        people.join(", ")
    )
}

impl ScimSelect {
    /// The condition (with `$1` when it takes a value) and its value.
    fn condition(&self) -> (&'static str, Option<String>) {
        match self {
            ScimSelect::All => ("", None),
            ScimSelect::Id(id) => (" AND p.employee_id = $1", Some(id.clone())),
            ScimSelect::UserName(name) => {
                (" AND LOWER(COALESCE(s.user_name, p.email)) = $1", Some(name.to_lowercase()))
            }
            ScimSelect::ExternalId(id) => (" AND s.external_id = $1", Some(id.clone())),
            ScimSelect::Email(email) => (" AND p.email = $1", Some(email.to_lowercase())),
        }
    }
}

impl Store {
    /// Stores a new token's hash under `label`; returns its id.
    pub async fn add_scim_token(&self, token_hash: &str, label: &str) -> Result<i64> {
        let row =
            sqlx::query("INSERT INTO scim_tokens (token_hash, label, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(token_hash)
                .bind(label)
                .bind(now_rfc3339())
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("id")?)
    }

    /// Every token, oldest first, revoked ones included.
    pub async fn scim_tokens(&self) -> Result<Vec<ScimToken>> {
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT {TOKEN_COLUMNS} FROM scim_tokens ORDER BY id")))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// Revokes a token; false when there is no such token or it already was.
    pub async fn revoke_scim_token(&self, id: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE scim_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_rfc3339())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The live token with this hash, noting that it was used now. The lookup
    /// is by the hash of the secret, so its timing says nothing of the secret.
    pub async fn use_scim_token(&self, token_hash: &str) -> Result<Option<ScimToken>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE scim_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL \
             RETURNING {TOKEN_COLUMNS}"
        )))
        .bind(now_rfc3339())
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(token_from_row).transpose()
    }

    /// People as SCIM sees them (not deleted over SCIM), by employee_id:
    /// how many `select` names, and `count` of them from the 0-based `offset`.
    pub async fn scim_people(&self, select: &ScimSelect, offset: u64, count: u64) -> Result<(u64, Vec<ScimPerson>)> {
        let (condition, value) = select.condition();
        let base = select_sql();
        let total_sql = format!("SELECT COUNT(*) AS n FROM ({base}{condition}) AS selected");
        let mut total = sqlx::query(AssertSqlSafe(total_sql));
        if let Some(v) = &value {
            total = total.bind(v.clone());
        }
        let total: i64 = total.fetch_one(&self.pool).await?.try_get("n")?;
        let (limit, off) = if value.is_some() { ("$2", "$3") } else { ("$1", "$2") };
        let page_sql = format!("{base}{condition} ORDER BY p.employee_id LIMIT {limit} OFFSET {off}");
        // Only the fixed conditions and placeholders are formatted in, never data.
        let mut page = sqlx::query(AssertSqlSafe(page_sql));
        if let Some(v) = value {
            page = page.bind(v);
        }
        let rows = page
            .bind(i64::try_from(count).unwrap_or(i64::MAX))
            .bind(i64::try_from(offset).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        let people = rows.iter().map(scim_person_from_row).collect::<Result<_>>()?;
        Ok((u64::try_from(total).unwrap_or(0), people))
    }

    /// One person as SCIM sees them; `None` when unknown or deleted over SCIM.
    pub async fn scim_person(&self, employee_id: &str) -> Result<Option<ScimPerson>> {
        let (_, mut found) = self.scim_people(&ScimSelect::Id(employee_id.to_owned()), 0, 1).await?;
        Ok(found.pop())
    }

    /// True when the person is in the directory but was deleted over SCIM.
    pub async fn scim_deleted(&self, employee_id: &str) -> Result<bool> {
        let row = sqlx::query("SELECT deleted_at FROM scim_users WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get::<Option<String>, _>("deleted_at")).transpose()?.flatten().is_some())
    }

    /// Writes the person and their SCIM record in one transaction; with
    /// `Deactivate::Yes` also disables their account and ends its sign-ins.
    /// A deleted record comes back to life.
    pub async fn save_scim_person(&self, person: &Person, record: &ScimRecord, deactivate: Deactivate) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        write_people(&mut tx, self.backend, std::slice::from_ref(person))
            .await
            .map_err(|e| unique_conflict(e, "emails: the e-mail already belongs to another person"))?;
        sqlx::query(
            "INSERT INTO scim_users (employee_id, external_id, user_name, resource, created_at, last_modified) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (employee_id) DO UPDATE SET \
             external_id = excluded.external_id, user_name = excluded.user_name, resource = excluded.resource, \
             last_modified = excluded.last_modified, deleted_at = NULL",
        )
        .bind(person.employee_id.as_str())
        .bind(record.external_id.clone())
        .bind(record.user_name.as_str())
        .bind(record.resource.as_str())
        .bind(record.created_at.as_str())
        .bind(record.last_modified.as_str())
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::sql::conflict_or(e, "userName: another person has this userName"))?;
        if deactivate == Deactivate::Yes {
            end_sign_ins(&mut tx, person.employee_id.as_str()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes the person over SCIM: their leave date becomes `today` (unless
    /// they left earlier), their account is disabled and every sign-in ends;
    /// the directory row and their history stay. False when unknown or gone.
    pub async fn delete_scim_person(&self, employee_id: &str, today: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let now = now_rfc3339();
        let exists = sqlx::query("SELECT employee_id FROM people WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if !exists {
            return Ok(false);
        }
        sqlx::query("UPDATE people SET end_date = $1 WHERE employee_id = $2 AND (end_date IS NULL OR end_date > $1)")
            .bind(today)
            .bind(employee_id)
            .execute(&mut *tx)
            .await?;
        // A person SCIM never wrote gets a record, so that they too answer 404 from now on.
        let done = sqlx::query(
            "INSERT INTO scim_users (employee_id, user_name, resource, created_at, last_modified, deleted_at) \
             SELECT employee_id, '~' || employee_id, '{}', $1, $1, $1 FROM people WHERE employee_id = $2 \
             ON CONFLICT (employee_id) DO UPDATE SET user_name = '~' || scim_users.employee_id, \
             last_modified = excluded.last_modified, deleted_at = excluded.deleted_at \
             WHERE scim_users.deleted_at IS NULL",
        )
        .bind(&now)
        .bind(employee_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        end_sign_ins(&mut tx, employee_id).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Disables the person's account (if any) and deletes every token of it.
async fn end_sign_ins(conn: &mut sqlx::AnyConnection, employee_id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE accounts SET disabled_at = $1, credential_epoch = credential_epoch + 1 \
         WHERE employee_id = $2 AND disabled_at IS NULL",
    )
    .bind(now_rfc3339())
    .bind(employee_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM api_tokens WHERE account_id IN (SELECT id FROM accounts WHERE employee_id = $1)")
        .bind(employee_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn unique_conflict(e: crate::StoreError, message: &str) -> crate::StoreError {
    match e {
        crate::StoreError::Database(db) => crate::sql::conflict_or(db, message),
        other => other,
    }
}
