//! The demo's cohorts: the first program's participants answer the exit
//! question (about half want to continue), and the next cohort and the
//! reciprocal phase are started from it. The first program itself keeps
//! running: the browser walk (`e2e/walkthrough.mjs`) writes notes and
//! accepts lab rules in it.
use crate::AppError;
use crate::life::{self, NextCohort};
use plab_domain::Date;
use plab_domain::life::ExitChoice;
use plab_domain::program::Role;
use plab_store::{ProgramId, Store};

/// The cohorts started from `first`: (next cohort, reciprocal phase).
pub(super) async fn build(
    store: &Store,
    first: ProgramId,
    today: Date,
    rng: &mut fastrand::Rng,
) -> Result<(ProgramId, ProgramId), AppError> {
    for e in store.enrolments(first).await?.into_iter().filter(|e| e.role != Role::Sponsor) {
        let choice = match (e.role, rng.u32(0..4)) {
            (_, 0) => ExitChoice::NotNow,
            (_, 1) => ExitChoice::EitherRole,
            (Role::Mentor, _) => ExitChoice::AsMentor,
            _ => ExitChoice::AsLeader,
        };
        store.set_exit_answer(first, &e.employee_id, e.role, choice, None).await?;
    }
    let starts_on = today.plus_days(56).to_string();
    let next = NextCohort {
        name: format!("{} (second cohort)", store.program(first).await?.name),
        starts_on: starts_on.clone(),
        ..NextCohort::default()
    };
    let next = life::start_next_cohort_as_operator(store, first, &next, super::DEMO).await?;
    let phase = NextCohort {
        name: "Reciprocal phase: leaders mentor their former mentors".into(),
        starts_on,
        reciprocal: true,
        ..NextCohort::default()
    };
    let phase = life::start_next_cohort_as_operator(store, first, &phase, super::DEMO).await?;
    Ok((next, phase))
}
