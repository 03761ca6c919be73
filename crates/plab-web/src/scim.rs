//! SCIM 2.0 provisioning at `/scim/v2/` (docs/interfaces.md). Handlers are
//! thin: authenticate the provider's bearer token, read the body, call one
//! service of `plab_app::scim`, answer `application/scim+json`. Only a SCIM
//! token is accepted here (never a session cookie or an API token), and only
//! in the `Authorization` header.
use crate::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use plab_app::scim::{self, Provider, ScimError, discovery};
use serde::Deserialize;
use serde_json::{Value, json};

const MEDIA_TYPE: &str = "application/scim+json";

pub fn routes() -> Router<AppState> {
    let v2 = Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(schema))
        .route("/Users", get(list_users).post(create_user))
        .route("/Users/.search", axum::routing::post(search_users))
        // Users are the only resource type, so a search of them all is a search of Users.
        .route("/.search", axum::routing::post(search_users))
        .route("/Users/{id}", get(get_user).put(update_user).patch(update_user).delete(delete_user))
        .route("/Groups", any(groups))
        .route("/Groups/{*rest}", any(groups))
        .route("/Bulk", any(bulk))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new().nest("/scim/v2", v2)
}

/// A SCIM answer: this status and JSON as `application/scim+json`.
struct Scim(StatusCode, Value);

impl IntoResponse for Scim {
    fn into_response(self) -> Response {
        let mut response = (self.0, self.1.to_string()).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
        response
    }
}

/// A SCIM error answer (RFC 7644 §3.12); a 401 also says how to authenticate.
struct Refusal(ScimError);

impl From<ScimError> for Refusal {
    fn from(e: ScimError) -> Refusal {
        Refusal(e)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let e = self.0;
        if let Some(cause) = &e.internal {
            tracing::error!(%cause, "internal error");
        }
        let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = json!({ "schemas": [scim::ERROR_SCHEMA], "status": e.status.to_string(), "detail": e.detail });
        if let Some(t) = e.scim_type {
            body["scimType"] = json!(t);
        }
        let mut response = Scim(status, body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"scim\""));
        }
        response
    }
}

type Answer = Result<Scim, Refusal>;

/// The provider behind `Authorization: Bearer TOKEN`, a SCIM token only.
struct Caller(Provider);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ScimError::unauthorized)?;
        Ok(Caller(scim::authenticate(&state.store, token).await?))
    }
}

/// The SCIM root as providers reach it, for `meta.location`.
fn base(state: &AppState) -> String {
    format!("{}/scim/v2", state.post.base())
}

/// A JSON body sent as `application/scim+json` or `application/json`.
fn body(headers: &HeaderMap, bytes: Result<Bytes, BytesRejection>) -> Result<Value, ScimError> {
    let bytes = bytes.map_err(|r| ScimError::invalid_syntax(format!("the body cannot be read: {}", r.body_text())))?;
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or(MEDIA_TYPE);
    if !kind.to_ascii_lowercase().contains("json") {
        return Err(ScimError::invalid_syntax(format!("Content-Type: send {MEDIA_TYPE} or application/json")));
    }
    serde_json::from_slice(&bytes).map_err(|e| ScimError::invalid_syntax(format!("the body is not valid JSON: {e}")))
}

async fn service_provider_config(State(state): State<AppState>, _: Caller) -> Answer {
    Ok(Scim(StatusCode::OK, discovery::service_provider_config(&base(&state))))
}

async fn resource_types(State(state): State<AppState>, _: Caller) -> Answer {
    Ok(Scim(StatusCode::OK, discovery::list_all(vec![discovery::user_resource_type(&base(&state))])))
}

async fn resource_type(State(state): State<AppState>, _: Caller, Path(id): Path<String>) -> Answer {
    if id != "User" {
        return Err(ScimError::not_found(format!("resource type '{id}' is not served here (only User)")).into());
    }
    Ok(Scim(StatusCode::OK, discovery::user_resource_type(&base(&state))))
}

async fn schemas(State(state): State<AppState>, _: Caller) -> Answer {
    Ok(Scim(StatusCode::OK, discovery::list_all(discovery::schemas(&base(&state)))))
}

async fn schema(State(state): State<AppState>, _: Caller, Path(id): Path<String>) -> Answer {
    let found = discovery::schema(&base(&state), &id);
    found
        .map(|s| Scim(StatusCode::OK, s))
        .ok_or_else(|| ScimError::not_found(format!("schema '{id}' is not published here")).into())
}

#[derive(Deserialize)]
struct ListParams {
    filter: Option<String>,
    #[serde(rename = "startIndex")]
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}

fn number(raw: Option<&str>, name: &str) -> Result<Option<i64>, ScimError> {
    raw.map(|r| r.trim().parse().map_err(|_| ScimError::invalid_value(format!("{name}: must be a whole number"))))
        .transpose()
}

async fn list_users(
    State(state): State<AppState>,
    _: Caller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Answer {
    let Query(p) =
        params.map_err(|r| ScimError::invalid_value(format!("the query string cannot be read: {}", r.body_text())))?;
    let q = scim::Query {
        filter: p.filter,
        start_index: number(p.start_index.as_deref(), "startIndex")?,
        count: number(p.count.as_deref(), "count")?,
        attributes: scim::attribute_list(p.attributes.as_deref()),
        excluded: scim::attribute_list(p.excluded_attributes.as_deref()),
    };
    Ok(Scim(StatusCode::OK, scim::list(&state.store, &base(&state), &q).await?))
}

async fn search_users(
    State(state): State<AppState>,
    _: Caller,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Answer {
    let q = scim::Query::from_search(&body(&headers, bytes)?)?;
    Ok(Scim(StatusCode::OK, scim::list(&state.store, &base(&state), &q).await?))
}

#[derive(Deserialize)]
struct Projection {
    attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}

async fn get_user(
    State(state): State<AppState>,
    _: Caller,
    Path(id): Path<String>,
    params: Result<Query<Projection>, QueryRejection>,
) -> Answer {
    let Query(p) =
        params.map_err(|r| ScimError::invalid_value(format!("the query string cannot be read: {}", r.body_text())))?;
    let (attributes, excluded) =
        (scim::attribute_list(p.attributes.as_deref()), scim::attribute_list(p.excluded_attributes.as_deref()));
    Ok(Scim(StatusCode::OK, scim::get(&state.store, &base(&state), &id, &attributes, &excluded).await?))
}

async fn create_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let user = scim::create(&state.store, &who, &base(&state), &body(&headers, bytes)?).await?;
    let location = user["meta"]["location"].as_str().and_then(|l| HeaderValue::from_str(l).ok());
    let mut response = Scim(StatusCode::CREATED, user).into_response();
    if let Some(location) = location {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// PUT replaces the User, PATCH applies a PatchOp to it.
async fn update_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Answer {
    let (store, base, body) = (&state.store, base(&state), body(&headers, bytes)?);
    let user = if method == Method::PUT {
        scim::replace(store, &who, &base, &id, &body).await?
    } else {
        scim::modify(store, &who, &base, &id, &body).await?
    };
    Ok(Scim(StatusCode::OK, user))
}

async fn delete_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    scim::delete(&state.store, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn groups(_: Caller) -> Refusal {
    Refusal(ScimError::not_found("Groups are not supported: programs and roles are managed in Perspective Lab"))
}

async fn bulk(_: Caller) -> Refusal {
    Refusal(ScimError { status: 501, ..ScimError::not_found("Bulk is not supported (see /ServiceProviderConfig)") })
}

async fn not_found() -> Refusal {
    Refusal(ScimError::not_found("no such SCIM endpoint: see /scim/v2/ResourceTypes"))
}

async fn method_not_allowed() -> Refusal {
    Refusal(ScimError { status: 405, ..ScimError::not_found("this endpoint does not take that method") })
}
