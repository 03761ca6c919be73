//! The administrators' erasure requests on the admin page: a form "Request
//! erasure of a person" (employee id, reason) and the list of pending and
//! done requests. The operator confirms a request by running
//! `plab person erase --employee-id ID --yes`, which marks it done.
use super::admin::AdminPage;
use super::form::{Errors, problems};
use super::{Checked, PageError};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::accounts::Actor;
use plab_app::erasure::{self, RequestView};
use serde::Deserialize;

pub fn routes() -> super::routing::Router<AppState> {
    super::routing::Router::new().route("/admin/erasure-requests", super::routing::post(request_erasure))
}

/// The admin page's erasure section: the form as typed and every request.
pub(super) struct ErasureSection {
    pub requests: Vec<RequestView>,
    pub employee_id: String,
    pub reason: String,
    pub errors: Errors,
    /// The request just made, said above the list.
    pub requested: Option<String>,
}

impl ErasureSection {
    /// The section for an administrator (the caller checked who they are).
    pub(super) async fn load(s: &AppState, actor: &Actor) -> Result<ErasureSection, PageError> {
        Ok(ErasureSection {
            requests: erasure::requests(&s.store, actor).await?,
            employee_id: String::new(),
            reason: String::new(),
            errors: Errors::default(),
            requested: None,
        })
    }

    pub(super) fn pending(&self) -> impl Iterator<Item = &RequestView> {
        self.requests.iter().filter(|r| r.done_at.is_none())
    }

    pub(super) fn done(&self) -> impl Iterator<Item = &RequestView> {
        self.requests.iter().filter(|r| r.done_at.is_some())
    }

    /// The summary above the form: each problem linking to its field.
    pub(super) fn summary(&self) -> Vec<super::form::SummaryItem> {
        self.errors.summary(&[("employee_id", "Employee id"), ("reason", "Reason")])
    }
}

#[derive(Deserialize)]
struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    employee_id: String,
    #[serde(default)]
    reason: String,
}

super::carries_csrf!(RequestForm);

/// Records the request and goes back to the admin page's list; a mistake
/// comes back as the admin page (422) with the input kept and the problem
/// beside its field.
async fn request_erasure(
    State(s): State<AppState>,
    Checked(visitor, form): Checked<RequestForm>,
) -> Result<Response, PageError> {
    match erasure::request(&s.store, &visitor.actor, &form.employee_id, &form.reason).await {
        Ok(made) => {
            let id = super::percent_encode(&made.employee_id);
            Ok(Redirect::to(&format!("/admin?erasure_requested={id}#erasure-heading")).into_response())
        }
        Err(e) => {
            let errors = problems(e)?;
            let mut page = AdminPage::load(&s, &visitor).await?;
            page.erasure.employee_id = form.employee_id;
            page.erasure.reason = form.reason;
            page.erasure.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
