//! The demo's fit checks (issue 23): the partners of pairs that have held a
//! session answer "Is this pairing a good fit for your research question?";
//! one mentor says it is not, so the sponsor sees a pair that needs a
//! conversation (and can end and re-match it).
use crate::AppError;
use plab_domain::fit::FitAnswer;
use plab_domain::program::Role;
use plab_domain::session::SessionStatus;
use plab_store::{ProgramId, Store};

/// Answers the fit check for the program's open pairs with a held session:
/// most say fit, some are not sure, the first says not a fit. Returns how
/// many pairs answered.
pub(super) async fn build(store: &Store, program: ProgramId) -> Result<usize, AppError> {
    let mut answered = 0;
    for pair in store.pairs(program).await?.into_iter().filter(|p| p.is_open()) {
        if !store.sessions(pair.id).await?.iter().any(|s| s.status == SessionStatus::Held) {
            continue;
        }
        let (leader, mentor) = match answered {
            0 => (FitAnswer::Unsure, (FitAnswer::NotFit, Some("My perspectives are far from this question."))),
            n if n % 5 == 3 => (FitAnswer::Fit, (FitAnswer::Unsure, Some("Too early to say."))),
            _ => (FitAnswer::Fit, (FitAnswer::Fit, None)),
        };
        store.save_fit_answer(pair.id, &pair.pair.leader, Role::Leader, leader, None).await?;
        store.save_fit_answer(pair.id, &pair.pair.mentor, Role::Mentor, mentor.0, mentor.1).await?;
        answered += 1;
    }
    Ok(answered)
}
