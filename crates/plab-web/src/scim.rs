//! SCIM 2.0 provisioning at `/scim/v2/` (docs/interfaces.md). Handlers are
//! thin: authenticate the provider's bearer token, read the body, call one
//! service of `plab_app::scim`, answer `application/scim+json`. Only a SCIM
//! token is accepted here (never a session cookie or an API token), and only
//! in the `Authorization` header.
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use plab_app::scim::{self, Provider, ScimError, discovery};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const MEDIA_TYPE: &str = "application/scim+json";

/// The SCIM routes, each in the OpenAPI document (under the `scim` security
/// scheme: a SCIM token, never an API token); `/Groups/{*rest}` answers as
/// `/Groups` does.
pub fn routes() -> OpenApiRouter<AppState> {
    let v2 = OpenApiRouter::new()
        .routes(routes!(service_provider_config))
        .routes(routes!(resource_types))
        .routes(routes!(resource_type))
        .routes(routes!(schemas))
        .routes(routes!(schema))
        .routes(routes!(list_users, create_user))
        .routes(routes!(search_users))
        // Users are the only resource type, so a search of them all is a search of Users.
        .routes(routes!(search_all))
        .routes(routes!(get_user, update_user, delete_user))
        .routes(routes!(groups))
        .route("/Groups/{*rest}", any(groups))
        .routes(routes!(bulk));
    // SCIM's own answers for an unknown path or method under /scim/v2.
    let (router, doc) = v2.split_for_parts();
    let mut v2 = OpenApiRouter::from(router.fallback(not_found).method_not_allowed_fallback(method_not_allowed));
    *v2.get_openapi_mut() = doc;
    OpenApiRouter::new().nest("/scim/v2", v2)
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

#[utoipa::path(get, path = "/ServiceProviderConfig", tag = "scim", security(("scim" = [])),
    responses((status = 200, description = "what this SCIM service supports (RFC 7643 §5)", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json")))]
async fn service_provider_config(State(state): State<AppState>, _: Caller) -> Answer {
    Ok(Scim(StatusCode::OK, discovery::service_provider_config(&base(&state))))
}

#[utoipa::path(get, path = "/ResourceTypes", tag = "scim", security(("scim" = [])),
    responses((status = 200, description = "the User resource type", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json")))]
async fn resource_types(State(state): State<AppState>, _: Caller) -> Answer {
    Ok(Scim(StatusCode::OK, discovery::list_all(vec![discovery::user_resource_type(&base(&state))])))
}

#[utoipa::path(get, path = "/ResourceTypes/{id}", tag = "scim", security(("scim" = [])),
    params(("id" = String, Path, description = "a resource type: `User`")),
    responses((status = 200, description = "the resource type", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 404, description = "not served here", content_type = "application/scim+json")))]
async fn resource_type(State(state): State<AppState>, _: Caller, Path(id): Path<String>) -> Answer {
    if id != "User" {
        return Err(ScimError::not_found(format!("resource type '{id}' is not served here (only User)")).into());
    }
    Ok(Scim(StatusCode::OK, discovery::user_resource_type(&base(&state))))
}

#[utoipa::path(get, path = "/Schemas", tag = "scim", security(("scim" = [])),
    responses((status = 200, description = "the User schema, the enterprise extension and Perspective Lab's extension", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json")))]
async fn schemas(State(state): State<AppState>, _: Caller) -> Answer {
    Ok(Scim(StatusCode::OK, discovery::list_all(discovery::schemas(&base(&state)))))
}

#[utoipa::path(get, path = "/Schemas/{id}", tag = "scim", security(("scim" = [])),
    params(("id" = String, Path, description = "a schema URN")),
    responses((status = 200, description = "the schema", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 404, description = "not published here", content_type = "application/scim+json")))]
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

#[utoipa::path(get, path = "/Users", tag = "scim", security(("scim" = [])),
    params(("filter" = Option<String>, Query, description = "userName eq, externalId eq, id eq, emails.value eq, emails[type eq \"work\"].value eq"),
        ("startIndex" = Option<i64>, Query, description = "1-based"), ("count" = Option<i64>, Query, description = "at most 200"),
        ("attributes" = Option<String>, Query), ("excludedAttributes" = Option<String>, Query)),
    responses((status = 200, description = "a ListResponse", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 400, description = "invalidSyntax, invalidValue, invalidFilter, mutability…: the SCIM error names the attribute", content_type = "application/scim+json")))]
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

#[utoipa::path(post, path = "/Users/.search", tag = "scim", security(("scim" = [])),
    request_body(content = Object, content_type = "application/scim+json", description = "a SearchRequest"),
    responses((status = 200, description = "a ListResponse", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 400, description = "invalidSyntax, invalidValue, invalidFilter, mutability…: the SCIM error names the attribute", content_type = "application/scim+json")))]
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

#[utoipa::path(post, path = "/.search", tag = "scim", security(("scim" = [])),
    request_body(content = Object, content_type = "application/scim+json", description = "a SearchRequest over every resource type: Users"),
    responses((status = 200, description = "a ListResponse", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 400, description = "invalidSyntax, invalidValue, invalidFilter, mutability…: the SCIM error names the attribute", content_type = "application/scim+json")))]
async fn search_all(
    state: State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    bytes: Result<Bytes, BytesRejection>,
) -> Answer {
    search_users(state, caller, headers, bytes).await
}

#[utoipa::path(get, path = "/Users/{id}", tag = "scim", security(("scim" = [])),
    params(("id" = String, Path, description = "the User's id: the person's employee_id"),
        ("attributes" = Option<String>, Query), ("excludedAttributes" = Option<String>, Query)),
    responses((status = 200, description = "the User", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 404, description = "no such User, or deleted", content_type = "application/scim+json")))]
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

#[utoipa::path(post, path = "/Users", tag = "scim", security(("scim" = [])), request_body(content = Object, content_type = "application/scim+json", description = "a SCIM User (RFC 7643 §4.1) with the enterprise and Perspective Lab extensions"),
    responses((status = 200, description = "never: 201 Created with the User and its Location", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 400, description = "invalidSyntax, invalidValue, invalidFilter, mutability…: the SCIM error names the attribute", content_type = "application/scim+json"),
        (status = 201, description = "the User made, with its Location", content_type = "application/scim+json"),
        (status = 409, description = "uniqueness: the e-mail, employeeNumber or userName is taken", content_type = "application/scim+json")))]
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

#[utoipa::path(method(put, patch), path = "/Users/{id}", tag = "scim", security(("scim" = [])), params(("id" = String, Path, description = "the User's id: the person's employee_id")),
    request_body(content = Object, content_type = "application/scim+json", description = "PUT: the whole User; PATCH: a PatchOp (RFC 7644 §3.5.2)"),
    responses((status = 200, description = "the User as now stored", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 400, description = "invalidSyntax, invalidValue, invalidFilter, mutability…: the SCIM error names the attribute", content_type = "application/scim+json"),
        (status = 404, description = "no such User", content_type = "application/scim+json"),
        (status = 409, description = "uniqueness", content_type = "application/scim+json")))]
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

#[utoipa::path(delete, path = "/Users/{id}", tag = "scim", security(("scim" = [])), params(("id" = String, Path, description = "the User's id: the person's employee_id")),
    responses((status = 200, description = "never: 204 once deactivated (leave date today, sign-ins ended; the person and their history stay)", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token, or a revoked one: a SCIM error with a Bearer challenge", content_type = "application/scim+json"),
        (status = 204, description = "deactivated"),
        (status = 404, description = "no such User", content_type = "application/scim+json")))]
async fn delete_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    scim::delete(&state.store, &who, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(method(get, post, put, patch, delete), path = "/Groups", tag = "scim", security(("scim" = [])),
    responses((status = 404, description = "Groups are not supported", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token", content_type = "application/scim+json")))]
async fn groups(_: Caller) -> Refusal {
    Refusal(ScimError::not_found("Groups are not supported: programs and roles are managed in Perspective Lab"))
}

#[utoipa::path(method(get, post, put, patch, delete), path = "/Bulk", tag = "scim", security(("scim" = [])),
    responses((status = 501, description = "Bulk is not supported", content_type = "application/scim+json"),
        (status = 401, description = "no SCIM token", content_type = "application/scim+json")))]
async fn bulk(_: Caller) -> Refusal {
    Refusal(ScimError { status: 501, ..ScimError::not_found("Bulk is not supported (see /ServiceProviderConfig)") })
}

async fn not_found() -> Refusal {
    Refusal(ScimError::not_found("no such SCIM endpoint: see /scim/v2/ResourceTypes"))
}

async fn method_not_allowed() -> Refusal {
    Refusal(ScimError { status: 405, ..ScimError::not_found("this endpoint does not take that method") })
}
