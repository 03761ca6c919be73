//! The fit check and "why you were paired" in the JSON API (issue 23): a
//! pair's partners only, each reading and answering for themselves.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use plab_app::fit::{self, MyFit};
use plab_app::why::{self, WhyPaired};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_fit, answer_fit)).routes(routes!(why_paired))
}

/// My own answer to "Is this pairing a good fit for your research
/// question?" (the pair's partners only; never the other partner's).
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/fit", operation_id = "my_pair_fit_answer", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = MyFit), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn my_fit(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<MyFit>, ApiError> {
    Ok(Json(fit::mine(&s.store, &actor, crate::path_pair(&pair)?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FitBody {
    /// `fit`, `unsure` or `not_fit`.
    #[serde(default)]
    fit: Option<String>,
    /// An optional line, up to 500 characters.
    #[serde(default)]
    comment: Option<String>,
}

/// Gives or changes my fit answer, after the pair's first held session (409
/// before it, on an ended pair or in a closed program); a bad `fit` or a
/// too long `comment` is 422 naming the field. Sponsors learn only that the
/// pair needs a conversation when a partner answers `not_fit`.
#[utoipa::path(put, path = "/api/v1/pairs/{pair}/fit", operation_id = "answer_pair_fit_check", security(("bearer" = [])),
    request_body = FitBody,
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = MyFit), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn answer_fit(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
    ApiJson(body): ApiJson<FitBody>,
) -> Result<Json<MyFit>, ApiError> {
    let pair = crate::path_pair(&pair)?;
    let answer = fit::answer(&s.store, &actor, pair, body.fit.as_deref().unwrap_or(""), body.comment.as_deref());
    Ok(Json(answer.await?))
}

/// Why we were paired: the kind of pairing and the engine's reasons, in
/// sentences for me (the pair's partners only; no score, no other candidate).
#[utoipa::path(get, path = "/api/v1/pairs/{pair}/why", operation_id = "why_we_were_paired", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = WhyPaired), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn why_paired(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<WhyPaired>, ApiError> {
    Ok(Json(why::why(&s.store, &actor, crate::path_pair(&pair)?).await?))
}
