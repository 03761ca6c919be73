//! The signed-in actor, from `Authorization: Bearer TOKEN`.
use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use plab_app::AppError;
use plab_app::accounts::{Actor, actor_for_token};

pub struct Authed(pub Actor);

/// The actor and the token they called with (to end it, or keep it while ending the others).
pub struct AuthedToken(pub Actor, pub String);

fn bearer(parts: &Parts) -> Result<String, AppError> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or(AppError::Unauthorized)
}

/// The actor behind a token, for this request: a request whose method may
/// change data (anything but GET, HEAD, OPTIONS) reads nothing from the
/// store's memory, so what it reads after its own writes is current.
pub(crate) async fn actor_for_request(state: &AppState, parts: &Parts, token: &str) -> Result<Actor, AppError> {
    let actor = actor_for_token(&state.store, token).await?;
    Ok(if parts.method.is_safe() { actor } else { actor.for_changes() })
}

impl FromRequestParts<AppState> for AuthedToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        Ok(AuthedToken(actor_for_request(state, parts, &token).await?, token))
    }
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let AuthedToken(actor, _) = AuthedToken::from_request_parts(parts, state).await?;
        Ok(Authed(actor))
    }
}
