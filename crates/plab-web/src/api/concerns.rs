//! Confidential concerns in the JSON API: a leader or mentor raises one; the
//! people outside both reporting chains it was routed to read it.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plab_app::concerns::{self, OwnConcern, Raised, RoutedConcern};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(raise_concern, concerns_routed_to_me)).routes(routes!(my_concerns))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConcernBody {
    /// What worries you about your pairing.
    text: String,
    /// When true, nobody who reads it is told who raised it.
    #[serde(default)]
    anonymous: bool,
}

/// A leader or mentor of the program raises a confidential concern about
/// their pairing. It reaches only the program's sponsors outside the
/// reporting chains (above and below, at any depth) of the person raising
/// it and of their partners, or the administrators' named contact when no
/// sponsor qualifies; never the partner. 409 when nobody can receive it
/// (nothing is stored); 422 naming `text` for an empty or too long text.
#[utoipa::path(post, path = "/api/v1/programs/{program}/concerns", operation_id = "raise_concern", security(("bearer" = [])),
    request_body = ConcernBody,
    params(("program" = i64, Path, description = "program id")),
    responses((status = 201, body = Raised), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn raise_concern(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiJson(body): ApiJson<ConcernBody>,
) -> Result<(StatusCode, Json<Raised>), ApiError> {
    let program = crate::path_program(&program)?;
    let raised = concerns::raise(&s.store, &s.vault, &s.post, &actor, program, &body.text, body.anonymous).await?;
    Ok((StatusCode::CREATED, Json(raised)))
}

/// The program's concerns routed to me (a sponsor outside the reporting
/// chains involved, or the named contact): `from` is null when the person
/// chose to stay anonymous. A sponsor a concern was not routed to gets none.
#[utoipa::path(get, path = "/api/v1/programs/{program}/concerns", operation_id = "concerns_routed_to_me", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [RoutedConcern]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn concerns_routed_to_me(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<RoutedConcern>>, ApiError> {
    let program = crate::path_program(&program)?;
    Ok(Json(concerns::routed_to_me(&s.store, &actor, program).await?))
}

/// The concerns I raised in the program (text, when, anonymous or not),
/// never whom they reached.
#[utoipa::path(get, path = "/api/v1/programs/{program}/concerns/mine", operation_id = "my_concerns", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [OwnConcern]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn my_concerns(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<OwnConcern>>, ApiError> {
    let program = crate::path_program(&program)?;
    Ok(Json(concerns::mine(&s.store, &actor, program).await?))
}
