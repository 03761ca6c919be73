//! The JSON API (docs/interfaces.md), one module per resource. Each module
//! owns its routes and their OpenAPI operations (`utoipa_axum::routes!`), so
//! the document is built from the very routers that serve: a route cannot be
//! served without being documented. Each handler parses, calls one service, maps.
use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use utoipa_axum::router::OpenApiRouter;

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod commitments;
pub(crate) mod concerns;
pub(crate) mod erasure;
pub(crate) mod fit;
pub(crate) mod health;
pub(crate) mod life;
pub(crate) mod measure;
pub(crate) mod office;
pub(crate) mod pairing;
pub(crate) mod pairs;
pub(crate) mod perspectives;
pub(crate) mod programs;
pub(crate) mod report;
pub(crate) mod retention;
pub(crate) mod selfassessment;
pub(crate) mod sessions;
pub(crate) mod setup;
pub(crate) mod your_data;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(health::routes())
        .merge(account::routes())
        .merge(programs::routes())
        .merge(pairs::routes())
        .merge(pairing::routes())
        .merge(sessions::routes())
        .merge(perspectives::routes())
        .merge(admin::routes())
        .merge(audit::routes())
        .merge(erasure::routes())
        .merge(measure::routes())
        .merge(report::routes())
        .merge(retention::routes())
        .merge(selfassessment::routes())
        .merge(setup::routes())
        .merge(your_data::routes())
        .merge(life::routes())
        .merge(fit::routes())
        .merge(concerns::routes())
        .merge(commitments::routes())
        .merge(office::routes())
}

/// `Json` whose rejections (broken JSON, wrong fields, too large) are 4xx JSON errors.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiJson(Json::<T>::from_request(req, state).await?.0))
    }
}

/// `Query` whose rejections (a malformed or repeated parameter) are 4xx JSON errors.
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiQuery(Query::<T>::from_request_parts(parts, state).await?.0))
    }
}
