//! SCIM 2.0 provisioning (RFC 7643/7644): an identity provider creates,
//! reads, replaces, patches and deletes the directory's people as SCIM Users,
//! with the same checks and audit log as the CSV import. The id of a User is
//! the person's employee_id (the enterprise `employeeNumber`): stable, and
//! the key every other part of the product already uses.
//! See docs/interfaces.md ("SCIM 2.0 provisioning") for the mapping.
use crate::people::{Row, check_against_directory, check_sign_ins};
use crate::{AppError, Problem};
use plab_domain::Date;
use plab_store::{Deactivate, ScimPerson, ScimRecord, ScimToken, Store};
use serde_json::Value;

pub mod discovery;
pub mod filter;
pub mod patch;
pub mod resource;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const PERSON_SCHEMA: &str = "urn:perspective-lab:scim:schemas:extension:person:1.0:User";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const SEARCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// The most Users one page holds, whatever `count` asks for.
pub const MAX_COUNT: u64 = 200;

/// A SCIM error (RFC 7644 §3.12): its HTTP status, `scimType` and a detail
/// naming the attribute at fault. `Internal` is never the client's fault.
#[derive(Debug, thiserror::Error)]
#[error("{detail}")]
pub struct ScimError {
    pub status: u16,
    pub scim_type: Option<&'static str>,
    pub detail: String,
    /// The cause of a 500, to log; never shown.
    pub internal: Option<AppError>,
}

impl ScimError {
    fn new(status: u16, scim_type: Option<&'static str>, detail: impl Into<String>) -> ScimError {
        ScimError { status, scim_type, detail: detail.into(), internal: None }
    }
    pub fn invalid_syntax(detail: impl Into<String>) -> ScimError {
        ScimError::new(400, Some("invalidSyntax"), detail)
    }
    pub fn invalid_value(detail: impl Into<String>) -> ScimError {
        ScimError::new(400, Some("invalidValue"), detail)
    }
    pub fn invalid_filter(detail: impl Into<String>) -> ScimError {
        ScimError::new(400, Some("invalidFilter"), detail)
    }
    pub fn invalid_path(detail: impl Into<String>) -> ScimError {
        ScimError::new(400, Some("invalidPath"), detail)
    }
    pub fn no_target(detail: impl Into<String>) -> ScimError {
        ScimError::new(400, Some("noTarget"), detail)
    }
    pub fn mutability(detail: impl Into<String>) -> ScimError {
        ScimError::new(400, Some("mutability"), detail)
    }
    pub fn uniqueness(detail: impl Into<String>) -> ScimError {
        ScimError::new(409, Some("uniqueness"), detail)
    }
    pub fn not_found(detail: impl Into<String>) -> ScimError {
        ScimError::new(404, None, detail)
    }
    pub fn unauthorized() -> ScimError {
        ScimError::new(401, None, "a SCIM bearer token is required (made by `plab scim token new`)")
    }
}

impl From<AppError> for ScimError {
    fn from(e: AppError) -> ScimError {
        match e {
            AppError::Conflict(m) => ScimError::uniqueness(m),
            AppError::NotFound { what, id } => ScimError::not_found(format!("{what} '{id}' was not found")),
            AppError::Invalid(p) => {
                ScimError::invalid_value(p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
            }
            other => {
                ScimError { internal: Some(other), ..ScimError::new(500, None, "something went wrong on our side") }
            }
        }
    }
}

impl From<plab_store::StoreError> for ScimError {
    fn from(e: plab_store::StoreError) -> ScimError {
        AppError::from(e).into()
    }
}

/// The identity provider calling, as its token's label names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub label: String,
}

impl Provider {
    /// Who the audit log names.
    pub fn actor(&self) -> String {
        format!("scim:{}", self.label)
    }
}

/// The provider behind a bearer token; revoked or unknown tokens are refused.
pub async fn authenticate(store: &Store, token: &str) -> Result<Provider, ScimError> {
    let found = store.use_scim_token(&crate::accounts::token_hash(token)).await?;
    found.map(|t| Provider { label: t.label }).ok_or_else(ScimError::unauthorized)
}

/// Makes a token; returns its id and the secret, which is shown this once.
pub async fn new_token(store: &Store, label: &str, by: &str) -> Result<(i64, String), AppError> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(AppError::invalid(
            Problem::new("must be 1 to 100 characters, without control characters").field("label"),
        ));
    }
    let secret = format!("plab_scim_{}{}", crate::accounts::random_token(), crate::accounts::random_token());
    let id = store.add_scim_token(&crate::accounts::token_hash(&secret), label).await?;
    store.audit(by, "scim.token.new", &id.to_string(), label).await?;
    Ok((id, secret))
}

pub async fn tokens(store: &Store) -> Result<Vec<ScimToken>, AppError> {
    Ok(store.scim_tokens().await?)
}

/// Revokes a token at once, for every instance (they all read the same table).
pub async fn revoke_token(store: &Store, id: i64, by: &str) -> Result<(), AppError> {
    if !store.revoke_scim_token(id).await? {
        return Err(AppError::NotFound { what: "live SCIM token", id: id.to_string() });
    }
    store.audit(by, "scim.token.revoke", &id.to_string(), "").await?;
    Ok(())
}

/// How a list is asked for: filter, 1-based start, page size, and which attributes to return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub filter: Option<String>,
    pub start_index: Option<i64>,
    pub count: Option<i64>,
    pub attributes: Vec<String>,
    pub excluded: Vec<String>,
}

/// `a,b` as attribute names.
pub fn attribute_list(raw: Option<&str>) -> Vec<String> {
    raw.map(|r| r.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
}

impl Query {
    /// A SearchRequest body (`POST /Users/.search`).
    pub fn from_search(body: &Value) -> Result<Query, ScimError> {
        let ok = body["schemas"].as_array().is_some_and(|l| l.iter().any(|s| s.as_str() == Some(SEARCH_SCHEMA)));
        if !ok {
            return Err(ScimError::invalid_syntax(format!("schemas: must list \"{SEARCH_SCHEMA}\"")));
        }
        let names = |key: &str| -> Vec<String> {
            match &body[key] {
                Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                Value::String(s) => attribute_list(Some(s)),
                _ => Vec::new(),
            }
        };
        Ok(Query {
            filter: body["filter"].as_str().map(str::to_owned),
            start_index: body["startIndex"].as_i64(),
            count: body["count"].as_i64(),
            attributes: names("attributes"),
            excluded: names("excludedAttributes"),
        })
    }
}

fn today() -> Date {
    crate::sessions::today()
}

/// The Users a query names, one page of them.
pub async fn list(store: &Store, base: &str, q: &Query) -> Result<Value, ScimError> {
    let select = filter::parse(q.filter.as_deref())?;
    let start = q.start_index.unwrap_or(1).max(1) as u64;
    let count = (q.count.unwrap_or(MAX_COUNT as i64).max(0) as u64).min(MAX_COUNT);
    let (total, people) = store.scim_people(&select, start - 1, count).await?;
    let today = today();
    let users = people.iter().map(|p| resource::project(resource::render(p, base, today), &q.attributes, &q.excluded));
    Ok(discovery::list(total, start, users.collect()))
}

async fn find(store: &Store, id: &str) -> Result<ScimPerson, ScimError> {
    store.scim_person(id).await?.ok_or_else(|| ScimError::not_found(format!("User '{id}' was not found")))
}

pub async fn get(
    store: &Store,
    base: &str,
    id: &str,
    attributes: &[String],
    excluded: &[String],
) -> Result<Value, ScimError> {
    let found = find(store, id).await?;
    Ok(resource::project(resource::render(&found, base, today()), attributes, excluded))
}

/// Creates a User (201). A person deleted over SCIM comes back under the
/// same employeeNumber; any other taken employeeNumber is a conflict.
pub async fn create(store: &Store, who: &Provider, base: &str, body: &Value) -> Result<Value, ScimError> {
    let incoming = resource::Incoming::read(body)?;
    if incoming.id.is_some() {
        return Err(ScimError::mutability("id: is assigned by the server (it is the employeeNumber)"));
    }
    let mapped = resource::to_person(&incoming, None, today())?;
    let id = mapped.person.employee_id.to_string();
    let returning = store.scim_deleted(&id).await?;
    if !returning && store.scim_person(&id).await?.is_some() {
        return Err(ScimError::uniqueness(format!("{ENTERPRISE_SCHEMA}:employeeNumber: '{id}' is already a User")));
    }
    let now = crate::accounts::rfc3339_from_now(0);
    save(store, &mapped, &now, &now).await?;
    let detail = if mapped.inactive { "created inactive" } else { "created" };
    store.audit(&who.actor(), "scim.user.create", &id, detail).await?;
    get(store, base, &id, &[], &[]).await
}

/// Replaces a User (PUT): what it leaves out is left out, except the
/// directory fields every person must have, which keep their values.
pub async fn replace(store: &Store, who: &Provider, base: &str, id: &str, body: &Value) -> Result<Value, ScimError> {
    let existing = find(store, id).await?;
    let incoming = resource::Incoming::read(body)?;
    write_over(store, who, &existing, incoming, "scim.user.replace").await?;
    get(store, base, id, &[], &[]).await
}

/// Applies a PatchOp to the User as it reads now, then checks it like a PUT.
pub async fn modify(store: &Store, who: &Provider, base: &str, id: &str, body: &Value) -> Result<Value, ScimError> {
    let existing = find(store, id).await?;
    let Value::Object(mut doc) = resource::render(&existing, base, today()) else {
        return Err(ScimError::from(AppError::Fault("a User renders as an object".into())));
    };
    doc.remove("meta");
    patch::apply(&mut doc, body)?;
    let mut incoming = resource::Incoming::read(&Value::Object(doc))?;
    incoming.id = None;
    write_over(store, who, &existing, incoming, "scim.user.patch").await?;
    get(store, base, id, &[], &[]).await
}

async fn write_over(
    store: &Store,
    who: &Provider,
    existing: &ScimPerson,
    incoming: resource::Incoming,
    action: &str,
) -> Result<(), ScimError> {
    let id = existing.person.employee_id.as_str();
    if let Some(given) = &incoming.id
        && given != id
    {
        return Err(ScimError::mutability(format!("id: is immutable; it is '{id}'")));
    }
    let mapped = resource::to_person(&incoming, Some(&existing.person), today())?;
    let was_active = existing.person.end_date.is_none_or(|end| end > today());
    let created = existing.record.as_ref().map(|r| r.created_at.clone());
    let now = crate::accounts::rfc3339_from_now(0);
    save(store, &mapped, created.as_deref().unwrap_or(&now), &now).await?;
    let detail = match (was_active, mapped.inactive) {
        (true, true) => "deactivated: leave date today, sign-ins ended",
        (false, false) => "reactivated",
        _ => "",
    };
    store.audit(&who.actor(), action, id, detail).await?;
    Ok(())
}

/// The import's checks, then one transaction writing the person and their record.
async fn save(store: &Store, mapped: &resource::Mapped, created: &str, now: &str) -> Result<(), ScimError> {
    let id = mapped.person.employee_id.as_str();
    let (_, taken) = store.scim_people(&plab_store::ScimSelect::UserName(mapped.user_name.clone()), 0, 1).await?;
    if taken.iter().any(|p| p.person.employee_id.as_str() != id) {
        return Err(ScimError::uniqueness(format!("userName: '{}' is another User's", mapped.user_name)));
    }
    let rows = [Row { line: 0, person: mapped.person.clone() }];
    let existing = store.directory_keys().await?;
    let mut problems = check_against_directory("scim", &rows, &existing);
    problems.extend(check_sign_ins("scim", &rows, &store.bound_sign_ins().await?));
    if let Some(p) = problems.first() {
        let attribute = match p.field.as_deref() {
            Some(f) => format!("{}: {}", resource::attribute_of(f), p.message),
            None => p.message.clone(),
        };
        return Err(match p.field.as_deref() {
            Some("email" | "employee_id") => ScimError::uniqueness(attribute),
            _ => ScimError::invalid_value(attribute),
        });
    }
    let record = ScimRecord {
        external_id: mapped.external_id.clone(),
        user_name: mapped.user_name.clone(),
        resource: Value::Object(mapped.resource.clone()).to_string(),
        created_at: created.to_owned(),
        last_modified: now.to_owned(),
    };
    let deactivate = if mapped.inactive { Deactivate::Yes } else { Deactivate::No };
    store.save_scim_person(&mapped.person, &record, deactivate).await?;
    Ok(())
}

/// Deletes a User: the person leaves today and their sign-ins end; their
/// directory row and history stay, and the User answers 404 from now on.
pub async fn delete(store: &Store, who: &Provider, id: &str) -> Result<(), ScimError> {
    if !store.delete_scim_person(id, &today().to_string()).await? {
        return Err(ScimError::not_found(format!("User '{id}' was not found")));
    }
    store.audit(&who.actor(), "scim.user.delete", id, "leave date today, sign-ins ended, history kept").await?;
    Ok(())
}
