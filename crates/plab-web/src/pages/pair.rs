//! A pair's page: the lab rules, their acceptance, the sessions and, for the
//! two partners only, the pair's notes.
use super::routing::{Router, get, post};
use super::{Checked, CsrfForm, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Redirect;
use plab_app::{lab, signals};
use plab_domain::charter::{LAB_RULES, LabRule};
use plab_domain::signals::{Signal, SignalKind};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pairs/{pair}", get(pair))
        .route("/pairs/{pair}/notes", post(add_note))
        .route("/pairs/{pair}/charter", post(accept_charter))
}

#[derive(Template, WebTemplate)]
#[template(path = "pair.html")]
pub(super) struct PairPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    lab: lab::PairOverview,
    rules: &'static [LabRule],
    /// The signals this visitor may see: the partner's for their role, all for a sponsor.
    signals: Vec<Signal>,
    /// What the last action did, in a sentence.
    notice: Option<&'static str>,
    /// For a sponsor: the program's name, to go back to its pairs at risk,
    /// and where the sponsors are with each signal the pair shows.
    sponsor_view: Option<SponsorView>,
    /// For the partners: how long the pair's notes and answers are kept.
    retention: Option<String>,
    /// The program is closed: no new notes.
    program_closed: bool,
    /// Why the pair was paired and its fit check (`pair_fit.html`).
    pub(super) fit: Option<super::fit::FitCard>,
    /// For the partner who moves or cancels far more sessions: a nudge without blame.
    nudge: Option<String>,
    /// In a reciprocal phase, who mentors whom now (`plab_domain::life::pair_wording`).
    phase: Option<plab_domain::life::PairWording>,
}

struct SponsorView {
    program_name: String,
    follow_ups: Vec<(SignalKind, plab_domain::triage::FollowUp)>,
}

impl PairPage {
    fn follow_up_of(&self, kind: impl std::borrow::Borrow<SignalKind>) -> Option<&'static str> {
        let view = self.sponsor_view.as_ref()?;
        view.follow_ups.iter().find(|(k, _)| k == kind.borrow()).map(|(_, f)| f.label())
    }

    fn signal_label(&self, kind: impl std::borrow::Borrow<SignalKind>) -> &'static str {
        plab_app::triage::signal_label(*kind.borrow())
    }
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn pair(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> Result<PairPage, PageError> {
    page(&s, visitor, crate::path_pair(&raw)?, query.done.as_deref()).await
}

/// The pair page for `visitor`; `done` names what the last action did.
pub(super) async fn page(
    s: &AppState,
    visitor: SignedIn,
    id: plab_domain::PairId,
    done: Option<&str>,
) -> Result<PairPage, PageError> {
    let lab = lab::overview(&s.store, &s.vault, &visitor.actor, id).await?;
    let signals = signals::for_pair(&s.store, &visitor.actor, id).await?;
    // Only the program's sponsors open a pair without its notes.
    let sponsor_view = if lab.notes.is_none() {
        let program = plab_store::ProgramId(lab.pair.program);
        let report = plab_app::report::for_sponsor(&s.store, &visitor.actor, program).await?;
        let follow_ups = plab_app::triage::of_pair(&s.store, &visitor.actor, id, &report).await?;
        Some(SponsorView { program_name: report.name.clone(), follow_ups })
    } else {
        None
    };
    let keeping = plab_app::retention::keeping(&s.store, plab_store::ProgramId(lab.pair.program)).await?;
    let program_closed = !matches!(keeping, plab_app::retention::Keeping::Running { .. });
    let retention = lab.notes.is_some().then(|| keeping.sentence());
    let nudge =
        if lab.notes.is_some() { plab_app::changes::nudge_for_pair(&s.store, &visitor.actor, id).await? } else { None };
    let notice = match done {
        Some("accepted") if lab.pair.status == "active" => {
            Some("You accepted the lab rules. You both have: your sessions are planned.")
        }
        Some("accepted") => Some("You accepted the lab rules. The pair starts once your partner accepts them too."),
        Some("note") => Some("Your note is saved. Only the two of you can read it."),
        _ => None,
    };
    let fit = Some(super::fit::card(s, &visitor, &lab).await?);
    let kind = plab_app::life::show(&s.store, &visitor.actor, plab_store::ProgramId(lab.pair.program)).await?.kind;
    let phase = (kind == plab_domain::life::ProgramKind::Reciprocal.as_str())
        .then(|| plab_domain::life::pair_wording(plab_domain::life::ProgramKind::Reciprocal));
    Ok(PairPage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf,
        lab,
        rules: &LAB_RULES,
        signals,
        notice,
        sponsor_view,
        retention,
        program_closed,
        fit,
        nudge,
        phase,
    })
}

super::carries_csrf!(NoteForm);

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    body: String,
}

async fn add_note(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, form): Checked<NoteForm>,
) -> Result<Redirect, PageError> {
    let id = crate::path_pair(&raw)?;
    lab::add_note(&s.store, &s.vault, &visitor.actor, id, &form.body).await?;
    Ok(Redirect::to(&format!("/pairs/{id}?done=note#notes")))
}

async fn accept_charter(
    State(s): State<AppState>,
    Path(raw): Path<String>,
    Checked(visitor, _): Checked<CsrfForm>,
) -> Result<Redirect, PageError> {
    let id = crate::path_pair(&raw)?;
    lab::accept_charter(&s.store, &s.vault, &s.post, &visitor.actor, id).await?;
    Ok(Redirect::to(&format!("/pairs/{id}?done=accepted")))
}
