//! The pages' `Router`, `get` and `post`: axum's, keeping beside the router
//! the (method, path) of every route it serves. axum cannot list a router's
//! routes, and a list kept by hand drifts; this one is built by the very
//! calls that build the router, so the page matrix test can check it covers
//! every page route.
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;

/// The methods of one path and the axum method router that serves them.
pub struct Methods<S> {
    router: MethodRouter<S>,
    methods: Vec<Method>,
}

pub fn get<H, T, S>(handler: H) -> Methods<S>
where
    H: Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    Methods { router: axum::routing::get(handler), methods: vec![Method::GET] }
}

pub fn post<H, T, S>(handler: H) -> Methods<S>
where
    H: Handler<T, S>,
    T: 'static,
    S: Clone + Send + Sync + 'static,
{
    Methods { router: axum::routing::post(handler), methods: vec![Method::POST] }
}

impl<S: Clone + Send + Sync + 'static> Methods<S> {
    pub fn get<H, T>(mut self, handler: H) -> Methods<S>
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self.router.get(handler);
        self.methods.push(Method::GET);
        self
    }

    pub fn post<H, T>(mut self, handler: H) -> Methods<S>
    where
        H: Handler<T, S>,
        T: 'static,
    {
        self.router = self.router.post(handler);
        self.methods.push(Method::POST);
        self
    }
}

/// Page routes: the axum router, and the (method, path) of each route in it.
pub struct Router<S> {
    router: axum::Router<S>,
    listed: Vec<(Method, &'static str)>,
}

impl<S: Clone + Send + Sync + 'static> Router<S> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Router<S> {
        Router { router: axum::Router::new(), listed: Vec::new() }
    }

    pub fn route(mut self, path: &'static str, methods: Methods<S>) -> Router<S> {
        self.router = self.router.route(path, methods.router);
        self.listed.extend(methods.methods.into_iter().map(|m| (m, path)));
        self
    }

    pub fn merge(mut self, other: Router<S>) -> Router<S> {
        self.router = self.router.merge(other.router);
        self.listed.extend(other.listed);
        self
    }

    /// The only layer a page router takes so far (a larger body for uploads);
    /// the rest are the whole app's, in `crate::router`.
    pub fn layer(mut self, limit: DefaultBodyLimit) -> Router<S> {
        self.router = self.router.layer(limit);
        self
    }

    /// Every (method, path) this router serves.
    pub fn listed(&self) -> &[(Method, &'static str)] {
        &self.listed
    }
}

impl<S> From<Router<S>> for axum::Router<S> {
    fn from(routes: Router<S>) -> axum::Router<S> {
        routes.router
    }
}
