//! Everyone's home after signing in: their programs and their pairs.
use super::routing::{Router, get};
use super::{PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use plab_app::lab;

pub fn routes() -> Router<AppState> {
    Router::new().route("/home", get(home))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    signed_in: Option<super::Chrome>,
    me: lab::Me,
    pairs: Vec<plab_app::home::PairHome>,
    programs: Vec<plab_app::home::ProgramHome>,
    checkins: Vec<plab_app::measure::PendingCheckin>,
    /// Administrators and sponsors may open a program.
    can_open: bool,
    /// A sponsor's asks to sharpen one's research question.
    asks: Vec<plab_app::home::Todo>,
    /// Each program's first steps for a leader or mentor, until all are done.
    first_steps: Vec<plab_app::first_steps::FirstSteps>,
}

impl HomePage {
    /// Closed programs are listed apart, under "Past programs".
    fn has_past(&self) -> bool {
        self.programs.iter().any(plab_app::home::ProgramHome::is_past)
    }
}

async fn home(State(s): State<AppState>, visitor: SignedIn) -> Result<HomePage, PageError> {
    let me = lab::me(&s.store, &s.vault, &visitor.actor).await?;
    let now = time::OffsetDateTime::now_utc();
    let pairs = plab_app::home::my_pairs(&s.store, &s.vault, &visitor.actor, now).await?;
    let programs = plab_app::home::my_programs(&s.store, &visitor.actor).await?;
    let asks = plab_app::home::sharpen_asks(&s.store, &visitor.actor).await?;
    let checkins = plab_app::measure::my_pending_checkins(&s.store, &visitor.actor, now).await?;
    let can_open = me.is_admin || me.memberships.iter().any(|m| m.role == "sponsor");
    let mut first_steps = plab_app::first_steps::mine(&s.store, &visitor.actor, now).await?;
    first_steps.retain(|f| !f.all_done());
    Ok(HomePage { signed_in: Some(visitor.chrome()), me, pairs, programs, checkins, can_open, asks, first_steps })
}
