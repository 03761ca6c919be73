//! The sponsor's pairing page: run the engine, read the reasons, pin or
//! forbid by name (each change re-runs at once and shows what changed),
//! undo a rule, approve; end an approved pair and re-match its people.
use super::routing::{Router, get, post};
use super::{Checked, CsrfForm, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::AppError;
use plab_app::pairing::{self, Rerun, sponsor};
use plab_store::{PairRule, ProgramId};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/{program}/pairing", get(review))
        .route("/programs/{program}/pairing/run", post(run))
        .route("/programs/{program}/pairing/approve", post(approve))
        .route("/programs/{program}/pairing/rule", post(rule))
        .route("/programs/{program}/pairing/rule/clear", post(clear))
        .route("/programs/{program}/pairing/sharpen", post(ask_to_sharpen))
        .route("/pairs/{pair}/end", post(end))
        .route("/pairs/{pair}/rematch", post(rematch))
}

/// The pin-or-forbid form as it was sent, with what was wrong beside each field.
#[derive(Debug, Default)]
struct RuleFormState {
    leader: String,
    mentor: String,
    rule: String,
    leader_error: Option<String>,
    mentor_error: Option<String>,
}

/// A refused "end this pair": which pair, what was typed, and why.
#[derive(Debug)]
struct EndFormState {
    pair: i64,
    reason: String,
    error: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pairing.html")]
struct PairingPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    review: sponsor::Review,
    /// Why the last action was refused, in sentences.
    problems: Vec<String>,
    /// What the last action did.
    notice: Option<String>,
    /// Show what the newest run changed.
    show_change: bool,
    rule_form: RuleFormState,
    end_form: Option<EndFormState>,
    /// Links to the previous and next pages, keeping the search.
    previous_page: Option<String>,
    next_page: Option<String>,
}

impl PairingPage {
    fn end_error_for(&self, pair: &i64) -> Option<&EndFormState> {
        self.end_form.as_ref().filter(|e| e.pair == *pair)
    }
}

fn page_link(program: i64, page: usize, search: &str) -> String {
    let mut link = format!("/programs/{program}/pairing?page={page}");
    if !search.is_empty() {
        link.push_str("&q=");
        link.push_str(&url_encode(search));
    }
    link
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn pairing_page(
    s: &AppState,
    visitor: &SignedIn,
    program: ProgramId,
    query: &sponsor::ReviewQuery,
) -> Result<PairingPage, PageError> {
    let review = sponsor::review(&s.store, &visitor.actor, program, query).await?;
    let previous_page = (review.page > 1).then(|| page_link(program.0, review.page - 1, &review.search));
    let next_page = (review.page < review.pages).then(|| page_link(program.0, review.page + 1, &review.search));
    Ok(PairingPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf.clone(),
        program: program.0,
        review,
        problems: Vec::new(),
        notice: None,
        show_change: false,
        rule_form: RuleFormState { rule: "pin".into(), ..RuleFormState::default() },
        end_form: None,
        previous_page,
        next_page,
    })
}

#[derive(Deserialize)]
struct ReviewParams {
    asked: Option<String>,
    /// What was just done: `pin`, `forbid`, `clear`, `run`, `ended`, `rematch`.
    done: Option<String>,
    /// `0` when the engine did not run again after a rule change.
    rerun: Option<String>,
    page: Option<String>,
    q: Option<String>,
}

async fn review(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(params): Query<ReviewParams>,
) -> Result<PairingPage, PageError> {
    let query = sponsor::ReviewQuery {
        page: params.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1),
        search: params.q.clone().unwrap_or_default(),
    };
    let mut page = pairing_page(&s, &visitor, crate::path_program(&raw)?, &query).await?;
    if params.asked.is_some() {
        page.notice =
            Some("Asked: the leader's home shows the coach's findings until they save a sharper question.".into());
    }
    let ran = params.rerun.as_deref() != Some("0");
    let done = match params.done.as_deref() {
        Some("pin") => Some("Saved: these two will always be paired."),
        Some("forbid") => Some("Saved: these two will never be paired."),
        Some("clear") => Some("Rule undone."),
        Some("run") => Some("The engine ran."),
        Some("ended") => Some(
            "The pair has ended and both partners were told by e-mail. Re-match its people below when you are ready.",
        ),
        Some("rematch") => {
            Some("The engine ran for everyone waiting, the freed people included: approve the new pairs.")
        }
        _ => None,
    };
    if let Some(done) = done {
        let after = match (params.done.as_deref(), ran) {
            (Some("ended"), _) => "",
            (_, true) => " See what changed below.",
            (_, false) => " Nobody is waiting for a pair, so the engine did not run again.",
        };
        page.notice = Some(format!("{done}{after}"));
        page.show_change = ran;
    }
    Ok(page)
}

/// A refusal the sponsor can act on is shown on the pairing page itself,
/// beside the form it came from.
async fn refused_here(
    s: &AppState,
    visitor: &SignedIn,
    program: ProgramId,
    e: AppError,
    fill: impl FnOnce(&mut PairingPage, &[plab_app::Problem]),
) -> Result<Response, PageError> {
    let (status, problems) = match e {
        AppError::Invalid(problems) => (StatusCode::UNPROCESSABLE_ENTITY, problems),
        AppError::Conflict(message) => (StatusCode::CONFLICT, vec![plab_app::Problem::new(message)]),
        other => return Err(other.into()),
    };
    let mut page = pairing_page(s, visitor, program, &sponsor::ReviewQuery::default()).await?;
    page.problems = problems.iter().map(|p| p.message.clone()).collect();
    fill(&mut page, &problems);
    Ok((status, page).into_response())
}

fn back(program: ProgramId, done: &str, rerun: &Rerun) -> Response {
    let ran = if rerun.not_run.is_some() { "&rerun=0" } else { "" };
    Redirect::to(&format!("/programs/{program}/pairing?done={done}{ran}")).into_response()
}

#[derive(Deserialize)]
struct SharpenForm {
    #[serde(default)]
    csrf: String,
    leader: String,
}

async fn ask_to_sharpen(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<SharpenForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    match sponsor::ask_to_sharpen(&s.store, &visitor.actor, program, &form.leader).await {
        Ok(()) => Ok(Redirect::to(&format!("/programs/{program}/pairing?asked=1")).into_response()),
        Err(e) => refused_here(&s, &visitor, program, e, |_, _| {}).await,
    }
}

async fn run(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    match sponsor::propose(&s.store, &visitor.actor, program).await {
        Ok(_) => Ok(Redirect::to(&format!("/programs/{program}/pairing?done=run")).into_response()),
        Err(e) => refused_here(&s, &visitor, program, e, |_, _| {}).await,
    }
}

#[derive(Deserialize)]
struct ApproveForm {
    #[serde(default)]
    csrf: String,
    proposal: i64,
    /// Set by older review pages: approve only the ticked `leader`s.
    #[serde(default)]
    selection: Option<String>,
    #[serde(default)]
    leader: Vec<String>,
    /// The leaders whose rows this page showed: those among them not
    /// ticked are left out; pairs on other pages are approved.
    #[serde(default)]
    shown: Vec<String>,
}

async fn approve(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<ApproveForm>,
) -> Result<Response, PageError> {
    visitor.check_csrf(&form.csrf)?;
    let program = crate::path_program(&raw)?;
    let result = if form.shown.is_empty() {
        let only = form.selection.is_some().then_some(form.leader.as_slice());
        sponsor::approve(&s.store, &visitor.actor, program, form.proposal, only).await
    } else {
        let left_out: Vec<String> = form.shown.iter().filter(|l| !form.leader.contains(l)).cloned().collect();
        sponsor::approve_all_but(&s.store, &visitor.actor, program, form.proposal, &left_out).await
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/programs/{program}")).into_response()),
        Err(e) => refused_here(&s, &visitor, program, e, |_, _| {}).await,
    }
}

#[derive(Deserialize)]
struct RuleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    leader: String,
    #[serde(default)]
    mentor: String,
    /// `pin` or `forbid`.
    #[serde(default)]
    rule: String,
    /// A review row's "Never this pair": forbid the leader with this mentor
    /// (the row's mentor field, for a pin, is ignored).
    #[serde(default)]
    never: Option<String>,
}

async fn rule(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<RuleForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    let mut form = form;
    if let Some(mentor) = form.never.take() {
        (form.mentor, form.rule) = (mentor, "forbid".to_owned());
    }
    let rule = match form.rule.as_str() {
        "pin" => Some(PairRule::Pin),
        "forbid" => Some(PairRule::Forbid),
        _ => None,
    };
    let result = match rule {
        Some(rule) => sponsor::set_rule(&s.store, &visitor.actor, program, &form.leader, &form.mentor, rule).await,
        None => Err(AppError::invalid(
            plab_app::Problem::new("Choose whether they are always or never to be paired.").field("rule"),
        )),
    };
    match result {
        Ok(rerun) => Ok(back(program, if rule == Some(PairRule::Pin) { "pin" } else { "forbid" }, &rerun)),
        Err(e) => {
            refused_here(&s, &visitor, program, e, |page, problems| {
                // The row forms send the leader's employee id: show their name instead.
                let typed_leader = page
                    .review
                    .leaders
                    .iter()
                    .find(|c| c.id == form.leader.trim())
                    .map_or_else(|| form.leader.clone(), |c| c.label.clone());
                let beside = |field: &str| {
                    let lines: Vec<&str> = problems
                        .iter()
                        .filter(|p| p.field.as_deref() == Some(field))
                        .map(|p| p.message.as_str())
                        .collect();
                    (!lines.is_empty()).then(|| lines.join(" "))
                };
                let (mut leader_error, mut mentor_error) = (beside("leader"), beside("mentor"));
                if leader_error.is_none() && mentor_error.is_none() {
                    // A refusal about the pair as a whole is shown beside the mentor.
                    mentor_error = problems.first().map(|p| p.message.clone());
                }
                if let Some(e) = beside("rule") {
                    leader_error = Some(leader_error.map_or(e.clone(), |l| format!("{l} {e}")));
                }
                page.rule_form = RuleFormState {
                    leader: typed_leader,
                    mentor: form.mentor.clone(),
                    rule: form.rule.clone(),
                    leader_error,
                    mentor_error,
                };
            })
            .await
        }
    }
}

#[derive(Deserialize)]
struct ClearForm {
    #[serde(default)]
    csrf: String,
    leader: String,
    mentor: String,
}

async fn clear(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<ClearForm>,
) -> Result<Response, PageError> {
    let program = crate::path_program(&raw)?;
    match sponsor::clear_rule(&s.store, &visitor.actor, program, &form.leader, &form.mentor).await {
        Ok(rerun) => Ok(back(program, "clear", &rerun)),
        Err(e) => refused_here(&s, &visitor, program, e, |_, _| {}).await,
    }
}

#[derive(Deserialize)]
struct EndForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn end(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<EndForm>,
) -> Result<Response, PageError> {
    let pair = crate::path_pair(&raw)?;
    match pairing::end_pair(&s.store, &s.vault, &s.post, &visitor.actor, pair, &form.reason).await {
        Ok(p) => Ok(Redirect::to(&format!("/programs/{}/pairing?done=ended", p.program)).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let program = ProgramId(plab_app::lab::get_pair(&s.store, &visitor.actor, pair).await?.program);
            refused_here(&s, &visitor, program, e, |page, problems| {
                let error = problems.first().map(|p| p.message.clone()).unwrap_or_default();
                page.end_form = Some(EndFormState { pair: pair.0, reason: form.reason.clone(), error });
            })
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn rematch(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Response, PageError> {
    let pair = crate::path_pair(&raw)?;
    match pairing::rematch(&s.store, &visitor.actor, pair).await {
        Ok(_) => {
            let program = plab_app::lab::get_pair(&s.store, &visitor.actor, pair).await?.program;
            Ok(Redirect::to(&format!("/programs/{program}/pairing?done=rematch")).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let program = ProgramId(plab_app::lab::get_pair(&s.store, &visitor.actor, pair).await?.program);
            refused_here(&s, &visitor, program, e, |_, _| {}).await
        }
        Err(e) => Err(e.into()),
    }
}

super::carries_csrf!(RuleForm, SharpenForm, ClearForm, EndForm);
