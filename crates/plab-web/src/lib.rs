//! The HTTP side of Perspective Lab: the JSON API under `/api/v1/`, its OpenAPI
//! document, `/healthz`, the personal calendar feed and SCIM provisioning
//! under `/scim/v2/`. Handlers are thin: they
//! parse, call one service of `plab-app`, and map the result; authorization is
//! decided in the services (`plab_app::access`).
#![forbid(unsafe_code)]

mod api;
mod auth;
mod charts;
mod client;
mod error;
mod headers;
mod log;
mod office_charts;
mod openapi;
mod pages;
mod scim;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::routing::get;
use plab_app::Store;
use plab_app::vault::Vault;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// An id in a URL path. Anything but a number names nothing, so it is 404
/// (never 422), alike for the API and the pages.
pub(crate) fn path_id(what: &'static str, raw: &str) -> Result<i64, plab_app::AppError> {
    raw.parse().map_err(|_| plab_app::AppError::NotFound { what, id: raw.to_owned() })
}

pub(crate) fn path_program(raw: &str) -> Result<plab_domain::ProgramId, plab_app::AppError> {
    path_id("program", raw).map(plab_domain::ProgramId)
}

pub(crate) fn path_pair(raw: &str) -> Result<plab_domain::PairId, plab_app::AppError> {
    path_id("pair", raw).map(plab_domain::PairId)
}

pub(crate) fn path_session(raw: &str) -> Result<plab_domain::SessionId, plab_app::AppError> {
    path_id("session", raw).map(plab_domain::SessionId)
}

/// Requests larger than this are refused with 413: notes are the largest input.
pub const MAX_BODY_BYTES: usize = 128 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub vault: Arc<Vault>,
    /// Where mail goes (off unless configured).
    pub post: plab_app::mail::Post,
    /// The OpenID provider people sign in through (off unless configured).
    pub sso: Option<plab_app::sso::Sso>,
    /// Who may sign in with a password.
    pub password_sign_in: plab_app::sso::PasswordSignIn,
    /// Proxies whose `X-Forwarded-For` names the client; anyone else's is ignored.
    trusted_proxies: Arc<Vec<IpAddr>>,
}

impl AppState {
    pub fn new(store: Store, vault: Arc<Vault>) -> AppState {
        AppState {
            store,
            vault,
            post: plab_app::mail::Post::off(""),
            sso: None,
            password_sign_in: plab_app::sso::PasswordSignIn::Everyone,
            trusted_proxies: Arc::new(Vec::new()),
        }
    }

    /// Sends mail through `post` (see `plab_app::mail`).
    pub fn with_post(mut self, post: plab_app::mail::Post) -> AppState {
        self.post = post;
        self
    }

    /// Signs people in through `sso`; `password` says who may still use a password.
    pub fn with_sign_in(
        mut self,
        sso: Option<plab_app::sso::Sso>,
        password: plab_app::sso::PasswordSignIn,
    ) -> AppState {
        self.sso = sso;
        self.password_sign_in = password;
        self
    }

    /// Trust `X-Forwarded-For` from these peers (a TLS-terminating proxy in front of `plab serve`).
    pub fn trusting_proxies(mut self, proxies: Vec<IpAddr>) -> AppState {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}

pub fn router(state: AppState) -> Router {
    let (api, doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(api::routes())
        .merge(scim::routes())
        .split_for_parts();
    // Serialized once: the document does not change while the server runs.
    let doc = Arc::<str>::from(doc.to_json().unwrap_or_default());
    let document = get(move || async move { ([(header::CONTENT_TYPE, "application/json")], doc.to_string()) });
    api.route("/api/openapi.json", document)
        .merge(pages::routes())
        .route_layer(axum::middleware::from_fn(pages::remember_way_back))
        .route_layer(axum::middleware::from_fn(log::requests))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn(headers::protect))
        .with_state(state)
}

/// Every page route's (method, path), listed by the very calls that build
/// the page router, so that the page matrix test can check it covers them all.
pub fn page_routes() -> Vec<(axum::http::Method, &'static str)> {
    pages::routes().listed().to_vec()
}

/// Serves on an already bound listener until `shutdown` completes, so tests
/// can bind port 0 and several instances can share one database. Each
/// request knows its peer address (sign-in throttling counts per client).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
