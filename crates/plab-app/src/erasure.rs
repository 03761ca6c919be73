//! Erasing a person (GDPR Art. 17), by employee id: the operator runs it
//! (`plab person erase --employee-id ID --yes`), an administrator asks for it
//! on the admin page. Their open pairs end first, inside the same
//! transaction, and the partner is told by the usual end-of-pair mail (the
//! erased person's own address is gone, so nothing is queued to them). Then
//! their directory entry keeps only the employee id, department, level and
//! hire date (the report's groups need them) under the name "Erased person";
//! everything private they wrote or answered and every credential go; the
//! partner's own notes, the pairs and sessions as records and the report's
//! released figures stay. Released averages are frozen: the person's answers
//! leave the basis of the last release, so the next release needs the
//! program's minimum group of other people to have answered or changed since,
//! and no figure ever moves by the erased person's answers alone.
use crate::accounts::Actor;
use crate::mail::Post;
use crate::vault::Vault;
use crate::{AppError, Problem, access};
use plab_store::{Erasure, ErasurePreview, ErasureRequest, Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

/// The reason recorded on each pair the erasure ends, and told to the partner.
pub const PAIR_END_REASON: &str = "A participant's data was erased";

/// The longest reason an administrator gives for a request.
pub const MAX_REASON_CHARS: usize = 1_000;

/// The deletion record as the CLI prints it with `--json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ErasureRecord {
    pub employee_id: String,
    /// RFC 3339, UTC.
    pub erased_at: String,
    /// Rows erased per kind (`notes`, `pulses`, `checkins`, …); all zero on a second run.
    pub counts: BTreeMap<String, u64>,
}

impl From<&Erasure> for ErasureRecord {
    fn from(e: &Erasure) -> ErasureRecord {
        ErasureRecord { employee_id: e.employee_id.clone(), erased_at: e.erased_at.clone(), counts: e.counts.clone() }
    }
}

/// An administrator's request as the API and the admin page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RequestView {
    pub id: i64,
    pub employee_id: String,
    pub reason: String,
    /// The requesting account's id (`account:N`) or the operator.
    pub requested_by: String,
    pub requested_at: String,
    /// When the operator ran the erasure; absent while pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_at: Option<String>,
}

impl From<ErasureRequest> for RequestView {
    fn from(r: ErasureRequest) -> RequestView {
        RequestView {
            id: r.id,
            employee_id: r.employee_id,
            reason: r.reason,
            requested_by: r.requested_by,
            requested_at: r.requested_at,
            done_at: r.done_at,
        }
    }
}

fn unknown(employee_id: &str) -> AppError {
    AppError::invalid(
        Problem::new(format!(
            "No one in the directory has the employee id \u{201c}{employee_id}\u{201d}: check it against the HR file."
        ))
        .field("employee_id"),
    )
}

fn store_error(e: StoreError, employee_id: &str) -> AppError {
    match e {
        StoreError::NotFound { what: "employee" | "person", .. } => unknown(employee_id),
        other => other.into(),
    }
}

/// What an erasure of `employee_id` would do, writing nothing.
pub async fn preview(store: &Store, employee_id: &str) -> Result<ErasurePreview, AppError> {
    let id = employee_id.trim();
    store.erasure_preview(id).await.map_err(|e| store_error(e, id))
}

/// Erases `employee_id` as the operator `by` (see the module's comment);
/// the partner's mail goes out through `mail` when given and on. Idempotent:
/// a second run erases nothing and records zero counts. Audited as
/// `person.erase` with the counts, never content.
pub async fn erase(
    store: &Store,
    mail: Option<(&Vault, &Post)>,
    by: &str,
    employee_id: &str,
) -> Result<ErasureRecord, AppError> {
    let id = employee_id.trim();
    if id.is_empty() {
        return Err(AppError::invalid(
            Problem::new("Give the employee id of the person to erase.").field("employee_id"),
        ));
    }
    store.person(id).await.map_err(|e| store_error(e, id))?;
    let open = store.open_pairs_of(id).await?;
    let mut outgoing = Vec::new();
    if let Some((vault, post)) = mail {
        for pair in &open {
            let pair = store.pair(*pair).await?;
            outgoing.extend(
                crate::pairing::control::ending_mail(store, vault, post, &pair, PAIR_END_REASON, None, Some(id))
                    .await?,
            );
        }
    }
    let today = crate::accounts::today_text();
    let erasure =
        store.erase_person(id, by, &open, &today, PAIR_END_REASON, &outgoing).await.map_err(|e| store_error(e, id))?;
    for pair in &open {
        store.audit(by, "pair.end", &format!("pair {pair}"), PAIR_END_REASON).await?;
    }
    let counts = serde_json::to_string(&erasure.counts).unwrap_or_default();
    store.audit(by, "person.erase", id, &counts).await?;
    store.scrub_after_erasure().await?;
    Ok(ErasureRecord::from(&erasure))
}

/// An administrator asks the operator to erase `employee_id` (audited; the
/// reason stays with the request and is scrubbed of the person's name and
/// address when the erasure runs).
pub async fn request(store: &Store, actor: &Actor, employee_id: &str, reason: &str) -> Result<RequestView, AppError> {
    access::admin(actor)?;
    let id = employee_id.trim();
    let reason = reason.trim();
    let mut problems = Vec::new();
    if id.is_empty() {
        problems.push(Problem::new("Give the employee id of the person to erase.").field("employee_id"));
    }
    if reason.is_empty() {
        problems.push(
            Problem::new("Say why, for the deletion record: for example \u{201c}asked by the person on 3 May\u{201d}.")
                .field("reason"),
        );
    } else if reason.chars().count() > MAX_REASON_CHARS {
        problems.push(Problem::new(format!("Keep the reason to {MAX_REASON_CHARS} characters.")).field("reason"));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let by = format!("account:{}", actor.account_id);
    let made = store.request_erasure(id, reason, &by).await.map_err(|e| store_error(e, id))?;
    store.audit(&by, "person.erase_requested", id, &format!("request {}", made.id)).await?;
    Ok(made.into())
}

/// Every request, pending first (administrators only).
pub async fn requests(store: &Store, actor: &Actor) -> Result<Vec<RequestView>, AppError> {
    access::admin(actor)?;
    all_requests(store, false).await
}

/// The requests as the operator lists them (`pending_only`: waiting ones).
pub async fn all_requests(store: &Store, pending_only: bool) -> Result<Vec<RequestView>, AppError> {
    Ok(store.erasure_requests(pending_only).await?.into_iter().map(RequestView::from).collect())
}
