//! The audit log in the browser: administrators read, filter, check and
//! download the whole log; a program's sponsors read what sponsors and
//! administrators did to their program (see `plab_app::audit`).
use super::form::{Errors, problems};
use super::routing::{Router, get, post};
use super::sponsor::download;
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use plab_app::audit::{self, Filter};
use plab_store::{AuditEntry, AuditQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(admin_audit))
        .route("/admin/audit.csv", get(admin_audit_csv))
        .route("/admin/audit/verify", post(verify_chain))
        .route("/programs/{program}/activity", get(program_activity))
        .route("/programs/{program}/activity.csv", get(program_activity_csv))
}

/// Entries a page shows at a time.
const PAGE: u32 = 100;
/// Entries a download holds at most.
const DOWNLOAD: u32 = 100_000;

/// The filter's fields, with their labels, in the order the form shows them.
const FIELDS: [(&str, &str); 4] =
    [("actor", "Who"), ("action", "What"), ("from", "From (YYYY-MM-DD)"), ("to", "Until, not including (YYYY-MM-DD)")];

/// One line of the table: the entry with its time in words a reader knows.
struct Line {
    id: i64,
    when: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

impl From<AuditEntry> for Line {
    fn from(e: AuditEntry) -> Line {
        let when = e.at.replacen('T', " ", 1).trim_end_matches('Z').to_owned() + " UTC";
        Line { id: e.id, when, actor: e.actor, action: e.action, subject: e.subject, detail: e.detail }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    title: String,
    intro: &'static str,
    /// Where the page lives, for the filter form, paging and the download.
    base: String,
    filter: Filter,
    errors: Errors,
    lines: Vec<Line>,
    /// The query string for the next page back, when there is one.
    older: Option<String>,
    /// The query string of the current filter, for the download.
    download: String,
    /// What checking the chain found, after the administrator asked.
    chain: Option<String>,
    chain_whole: bool,
    /// Only administrators check the chain.
    can_verify: bool,
}

impl AuditPage {
    fn error(&self, field: &str) -> String {
        self.errors.of(field)
    }
    fn value(&self, field: &str) -> String {
        let v = match field {
            "actor" => &self.filter.actor,
            "action" => &self.filter.action,
            "from" => &self.filter.from,
            _ => &self.filter.to,
        };
        v.clone().unwrap_or_default()
    }
    fn fields(&self) -> &'static [(&'static str, &'static str)] {
        &FIELDS
    }
}

/// The filter's own fields as a query string (paging and download keep them).
fn query_string(filter: &Filter) -> String {
    let pairs = [("actor", &filter.actor), ("action", &filter.action), ("from", &filter.from), ("to", &filter.to)];
    let given: Vec<(&str, &str)> =
        pairs.iter().filter_map(|(k, v)| v.as_deref().filter(|v| !v.trim().is_empty()).map(|v| (*k, v))).collect();
    serde_urlencoded::to_string(given).unwrap_or_default()
}

struct Where {
    title: String,
    intro: &'static str,
    base: String,
    can_verify: bool,
}

/// The page for `filter`, reading through `read`: 422 with the problems
/// beside their fields when the filter is refused.
async fn page(
    visitor: &SignedIn,
    filter: Filter,
    place: Where,
    read: impl AsyncFnOnce(AuditQuery) -> Result<Vec<AuditEntry>, plab_app::AppError>,
) -> Result<(StatusCode, AuditPage), PageError> {
    let mut page = AuditPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf.clone(),
        title: place.title,
        intro: place.intro,
        base: place.base,
        download: query_string(&filter),
        filter,
        errors: Errors::default(),
        lines: Vec::new(),
        older: None,
        chain: None,
        chain_whole: false,
        can_verify: place.can_verify,
    };
    let query = match page.filter.query(PAGE) {
        Ok(query) => query,
        Err(e) => {
            page.errors = problems(e)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    // Pages go back in time: `after` is for scripts following the log.
    let entries = read(AuditQuery { limit: PAGE, after: None, ..query }).await?;
    if entries.len() == PAGE as usize
        && let Some(last) = entries.last()
    {
        let rest = &page.download;
        page.older =
            Some(if rest.is_empty() { format!("before={}", last.id) } else { format!("{rest}&before={}", last.id) });
    }
    page.lines = entries.into_iter().map(Line::from).collect();
    Ok((StatusCode::OK, page))
}

fn admin_place() -> Where {
    Where {
        title: "Audit log".into(),
        intro: "Who did what, and when: sponsors', administrators' and accounts' actions. It records ids and counts, \
                never what anyone wrote. Each entry is chained to the one before it, so a changed, removed or \
                inserted entry shows when you check the chain.",
        base: "/admin/audit".into(),
        can_verify: true,
    }
}

/// The administrators' audit log: filtered, newest first, 100 at a time.
async fn admin_audit(
    State(s): State<AppState>,
    visitor: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<(StatusCode, AuditPage), PageError> {
    let (store, actor) = (&s.store, &visitor.actor);
    page(&visitor, filter, admin_place(), async move |q| audit::search(store, actor, &q).await).await
}

/// The administrators' audit log as CSV, with the page's filter.
async fn admin_audit_csv(
    State(s): State<AppState>,
    visitor: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let query = AuditQuery { limit: DOWNLOAD, ..filter.query(DOWNLOAD)? };
    let entries = audit::search(&s.store, &visitor.actor, &query).await?;
    Ok(download("audit-log.csv", "text/csv; charset=utf-8", audit::to_csv(&entries)))
}

#[derive(serde::Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}
super::carries_csrf!(CsrfForm);

/// An administrator checks the whole chain; the log's page says what it found.
async fn verify_chain(
    State(s): State<AppState>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<(StatusCode, AuditPage), PageError> {
    let check = audit::verify_as(&s.store, &visitor.actor).await?;
    let (store, actor) = (&s.store, &visitor.actor);
    let (status, mut shown) =
        page(&visitor, Filter::default(), admin_place(), async move |q| audit::search(store, actor, &q).await).await?;
    shown.chain_whole = check.problem.is_none();
    shown.chain = Some(match check.problem {
        None => format!("The log is whole: all {} entries are as written and in their place.", check.entries),
        Some(p) => format!(
            "The log is not whole: {}. Tell the person who runs Perspective Lab's server: the database may \
             have been changed outside Perspective Lab.",
            audit::broken_at(&p)
        ),
    });
    Ok((status, shown))
}

fn program_place(program: plab_store::ProgramId, name: &str) -> Where {
    Where {
        title: format!("Activity: {name}"),
        intro: "What the program's sponsors and the administrators did to this program: enrolments, invitations, \
                pairing, ended pairs and follow-ups. It never shows what a participant did or wrote.",
        base: format!("/programs/{program}/activity"),
        can_verify: false,
    }
}

/// A program's activity, for its sponsors.
async fn program_activity(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(filter): Query<Filter>,
) -> Result<(StatusCode, AuditPage), PageError> {
    let program = crate::path_program(&raw)?;
    let name = plab_app::programs::name_for(&s.store, &visitor.actor, program).await?;
    let (store, actor) = (&s.store, &visitor.actor);
    let read = async move |q: AuditQuery| audit::of_program(store, actor, program, &q).await;
    page(&visitor, filter, program_place(program, &name), read).await
}

/// A program's activity as CSV, for its sponsors.
async fn program_activity_csv(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    let query = AuditQuery { limit: DOWNLOAD, ..filter.query(DOWNLOAD)? };
    let entries = audit::of_program(&s.store, &visitor.actor, program, &query).await?;
    Ok(download(&format!("program-{program}-activity.csv"), "text/csv; charset=utf-8", audit::to_csv(&entries)))
}
