//! The session page: the lab rules, the agenda with a timer, last time's
//! homework, closing the session, and the partner's private pulse. The
//! services decide who may see and do what; this module only renders.
use super::routing::{Router, get, post};
use super::{Checked, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plab_app::sessions::{self, HoldInput, SessionDetail};
use plab_domain::charter::{LAB_RULES, LabRule};
use serde::Deserialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions/{session}", get(page))
        .route("/sessions/{session}/hold", post(hold))
        .route("/sessions/{session}/cancel", post(cancel))
        .route("/sessions/{session}/reschedule", post(reschedule))
        .route("/sessions/{session}/pulse", post(pulse))
        .route("/sessions/{session}/segments", post(segment))
        .route("/sessions/{session}/missed", post(missed))
        .route("/sessions/{session}/timer", get(timer).post(press_timer))
}

/// The timer as it runs now, for the page's script on either partner's device.
async fn timer(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
) -> Result<axum::Json<sessions::TimerView>, PageError> {
    let id = crate::path_session(&raw)?;
    Ok(axum::Json(sessions::timer(&s.store, &visitor.actor, id, OffsetDateTime::now_utc()).await?))
}

#[derive(Deserialize)]
struct TimerForm {
    #[serde(default)]
    csrf: String,
    action: String,
    /// The segment the page showed, so a press that crossed the other device's does nothing.
    #[serde(default)]
    segment: Option<usize>,
}

super::carries_csrf!(TimerForm);

/// A timer button pressed on the page: the server keeps the timer, so a
/// reload or the partner's device shows the same segment and time.
async fn press_timer(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<TimerForm>,
) -> Result<axum::Json<sessions::TimerView>, PageError> {
    let id = crate::path_session(&raw)?;
    let now = OffsetDateTime::now_utc();
    let view = sessions::press_timer(&s.store, &visitor.actor, id, &form.action, form.segment, now).await?;
    Ok(axum::Json(view))
}

/// "No, it did not happen": the session is recorded as missed. A refusal
/// (the partner answered first) comes back on the page itself.
async fn missed(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<super::CsrfForm>,
) -> Result<Response, PageError> {
    let id = crate::path_session(&raw)?;
    match sessions::record_missed(&s.store, &visitor.actor, id, OffsetDateTime::now_utc()).await {
        Ok(_) => Ok(Redirect::to(&format!("/sessions/{id}?done=missed")).into_response()),
        Err(plab_app::AppError::Conflict(why)) => {
            let retyped = Retyped { refusal: Some(why), ..Retyped::default() };
            let page = session_page(&s, visitor, id, None, retyped).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct SegmentForm {
    #[serde(default)]
    csrf: String,
    segment: String,
    minutes: u32,
}

super::carries_csrf!(SegmentForm);

/// The session timer records a finished segment's minutes (from the page's script).
async fn segment(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<SegmentForm>,
) -> Result<StatusCode, PageError> {
    let id = crate::path_session(&raw)?;
    sessions::record_segment(&s.store, &visitor.actor, id, &form.segment, form.minutes).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One pulse statement with the partner's own answer, if any.
struct PulseRow {
    code: &'static str,
    statement: &'static str,
    answer: u8,
}

#[derive(Template, WebTemplate)]
#[template(path = "session.html")]
struct SessionPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    detail: SessionDetail,
    rules: &'static [LabRule],
    pulse: Vec<PulseRow>,
    /// What the last action did, in a sentence.
    notice: Option<&'static str>,
    /// A refused reschedule: why, and the time that was typed.
    reschedule_error: Option<String>,
    reschedule_value: String,
    /// Whether the move typed takes the rest of the series along.
    reschedule_rest: bool,
    /// A move shown before it is made: each session on both partners' clocks.
    preview: Vec<plab_app::sessions::PlannedMove>,
    /// Why the last action was refused, for the summary at the top.
    refusal: Option<String>,
    /// A refused hold: why, beside the homework field, and what was typed.
    homework_error: Option<String>,
    homework_value: String,
    /// A refused pulse: each problem beside its statement, and the summary.
    pulse_errors: super::form::Errors,
}

impl SessionPage {
    /// The session's state in words, never its stored code.
    fn status_label(&self) -> &'static str {
        match self.detail.session.status.as_str() {
            "held" => "Held",
            "cancelled" => "Cancelled",
            "missed" => "Did not take place",
            _ if self.detail.session.awaiting_outcome => "Time passed: did it take place?",
            _ => "Planned",
        }
    }

    fn pulse_summary(&self) -> Vec<super::form::SummaryItem> {
        let labels: Vec<(&str, &str)> = self.pulse.iter().map(|r| (r.code, r.statement)).collect();
        self.pulse_errors.summary(&labels)
    }
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn page(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> Result<SessionPage, PageError> {
    let id = crate::path_session(&raw)?;
    let notice = match query.done.as_deref() {
        Some("held") => Some("The session is marked held. Now answer your pulse: only you see your answers."),
        Some("pulse") => Some("Your pulse is saved. Only you see your answers."),
        Some("moved") => Some("The session is moved; your partner's calendar follows."),
        Some("cancelled") => Some("This session is cancelled."),
        Some("missed") => Some("Recorded: this session did not take place. Nobody is asked about it again."),
        _ => None,
    };
    session_page(&s, visitor, id, notice, Retyped::default()).await
}

/// What the reschedule form shows again: the time typed, the scope, and
/// either why it was refused or what it would do.
#[derive(Default)]
struct Retyped {
    error: Option<String>,
    value: String,
    rest: bool,
    preview: Vec<plab_app::sessions::PlannedMove>,
    refusal: Option<String>,
    homework_error: Option<String>,
    homework_value: String,
    pulse_errors: super::form::Errors,
    /// The pulse as it was posted, kept when it is refused.
    pulse_typed: BTreeMap<String, u8>,
}

async fn session_page(
    s: &AppState,
    visitor: SignedIn,
    id: plab_domain::SessionId,
    notice: Option<&'static str>,
    retyped: Retyped,
) -> Result<SessionPage, PageError> {
    let detail = sessions::detail(&s.store, &s.vault, &visitor.actor, id, OffsetDateTime::now_utc()).await?;
    let pulse = detail
        .pulse_items
        .iter()
        .map(|i| PulseRow {
            code: i.code,
            statement: i.statement,
            answer: retyped.pulse_typed.get(i.code).or_else(|| detail.my_pulse.get(i.code)).copied().unwrap_or(0),
        })
        .collect();
    Ok(SessionPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf,
        detail,
        rules: &LAB_RULES,
        pulse,
        notice,
        reschedule_error: retyped.error,
        reschedule_value: retyped.value,
        reschedule_rest: retyped.rest,
        preview: retyped.preview,
        refusal: retyped.refusal,
        homework_error: retyped.homework_error,
        homework_value: retyped.homework_value,
        pulse_errors: retyped.pulse_errors,
    })
}

#[derive(Deserialize)]
struct HoldForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    homework: String,
    /// A checked box sends "on"; an unchecked one sends nothing.
    #[serde(default)]
    previous_homework_done: Option<String>,
}

/// "Yes, it was held" (or marking it held as it ends): homework for next
/// time, then the pulse. A refused hold comes back with the homework kept.
async fn hold(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<HoldForm>,
) -> Result<Response, PageError> {
    let id = crate::path_session(&raw)?;
    let input = HoldInput {
        homework: Some(form.homework.clone()),
        previous_homework_done: form.previous_homework_done.is_some(),
    };
    let refused = |refusal: Option<String>, homework_error: Option<String>| Retyped {
        refusal,
        homework_error,
        homework_value: form.homework.clone(),
        ..Retyped::default()
    };
    match sessions::hold(&s.store, &s.vault, &visitor.actor, id, &input, OffsetDateTime::now_utc()).await {
        Ok(_) => Ok(Redirect::to(&format!("/sessions/{id}?done=held#pulse")).into_response()),
        Err(plab_app::AppError::Invalid(problems)) => {
            let beside = problems.iter().find(|p| p.field.as_deref() == Some("homework")).map(|p| p.message.clone());
            let others: Vec<String> =
                problems.iter().filter(|p| p.field.as_deref() != Some("homework")).map(ToString::to_string).collect();
            let summary = if others.is_empty() {
                "The session was not marked held: see the homework field.".to_owned()
            } else {
                others.join("; ")
            };
            let page = session_page(&s, visitor, id, None, refused(Some(summary), beside)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(plab_app::AppError::Conflict(why)) => {
            let page = session_page(&s, visitor, id, None, refused(Some(why), None)).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct CancelForm {
    #[serde(default)]
    csrf: String,
    /// The box that confirms it: `yes`.
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
}

async fn cancel(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<CancelForm>,
) -> Result<Redirect, PageError> {
    let id = crate::path_session(&raw)?;
    // Who may cancel is decided before whether the form is complete.
    plab_app::access::partner_of_session(&s.store, &visitor.actor, id).await?;
    if form.confirm != "yes" {
        return Err(PageError::Status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing was cancelled: tick the box that confirms the cancellation.".into(),
        ));
    }
    sessions::cancel(&s.store, &s.vault, &s.post, &visitor.actor, id, Some(&form.reason)).await?;
    Ok(Redirect::to(&format!("/sessions/{id}?done=cancelled")))
}

#[derive(Deserialize)]
struct RescheduleForm {
    #[serde(default)]
    csrf: String,
    starts_at: String,
    /// `one` (default) or `rest`.
    #[serde(default)]
    scope: String,
    /// `preview` shows both partners' local times without moving anything.
    #[serde(default)]
    action: String,
}

/// Moves the session (or the rest of the series), or with `action=preview`
/// shows what the move would be on both partners' clocks. A refused time is
/// shown by the reschedule field, with what was typed.
async fn reschedule(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<RescheduleForm>,
) -> Result<Response, PageError> {
    let id = crate::path_session(&raw)?;
    let rest = form.scope == "rest";
    let input = sessions::RescheduleInput {
        starts_at: form.starts_at.clone(),
        scope: if rest { sessions::MoveScope::Rest } else { sessions::MoveScope::One },
    };
    let now = OffsetDateTime::now_utc();
    let outcome = if form.action == "preview" {
        sessions::preview_move(&s.store, &visitor.actor, id, &input, now).await.map(Some)
    } else {
        sessions::reschedule(&s.store, &s.vault, &s.post, &visitor.actor, id, &input, now).await.map(|_| None)
    };
    let retyped =
        |error, preview| Retyped { error, value: form.starts_at.clone(), rest, preview, ..Retyped::default() };
    match outcome {
        Ok(None) => Ok(Redirect::to(&format!("/sessions/{id}?done=moved")).into_response()),
        Ok(Some(preview)) => Ok(session_page(&s, visitor, id, None, retyped(None, preview)).await?.into_response()),
        Err(plab_app::AppError::Invalid(problems)) => {
            let why = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
            let page = session_page(&s, visitor, id, None, retyped(Some(why), Vec::new())).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The pulse form posts `csrf` and one 1-5 value per item of the partner's role.
async fn pulse(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<BTreeMap<String, String>>,
) -> Result<Response, PageError> {
    let id = crate::path_session(&raw)?;
    let mut answers = BTreeMap::new();
    let mut typed = BTreeMap::new();
    let mut problems = Vec::new();
    for (key, value) in form.into_iter().filter(|(k, _)| k != "csrf") {
        match value.trim().parse::<u8>() {
            Ok(v) => {
                typed.insert(key.clone(), v);
                answers.insert(key, i64::from(v));
            }
            Err(_) => problems.push(plab_app::Problem::new("choose a number from 1 to 5").field(key)),
        }
    }
    let saved = if problems.is_empty() {
        sessions::answer_pulse(&s.store, &visitor.actor, id, &answers).await.map(|_| ())
    } else {
        Err(plab_app::AppError::Invalid(problems))
    };
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/sessions/{id}?done=pulse#pulse")).into_response()),
        Err(e) => {
            let pulse_errors = super::form::problems(e)?;
            let retyped = Retyped { pulse_errors, pulse_typed: typed, ..Retyped::default() };
            let page = session_page(&s, visitor, id, None, retyped).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

super::carries_csrf!(HoldForm, RescheduleForm, CancelForm);

/// The pulse form's fields are the items themselves, so it arrives as a map.
impl super::CarriesCsrf for BTreeMap<String, String> {
    fn csrf(&self) -> &str {
        self.get("csrf").map_or("", String::as_str)
    }
}
