//! Mentor outcomes for the program report (`plab_domain::outcomes` holds the
//! definition and the rule): the store reads every person's career around
//! the program's first day; this splits them into the program's mentors and
//! the non-participants employed that day.
use crate::AppError;
use plab_domain::ProgramId;
use plab_domain::outcomes::{Career, MentorOutcomes, mentor_outcomes};
use plab_store::Store;

/// The program's mentor outcomes as of `today` (both YYYY-MM-DD).
pub(crate) async fn for_report(
    store: &Store,
    program: ProgramId,
    start: &str,
    today: &str,
    min_group_size: u32,
) -> Result<MentorOutcomes, AppError> {
    let rows = store.careers(program, start).await?;
    let career = |r: &plab_store::CareerRow| Career {
        level_at_start: r.level_before_change.unwrap_or(r.level_now),
        level_now: r.level_now,
        employed_now: r.end_date.as_deref().is_none_or(|d| d > today),
    };
    let mentors: Vec<Career> = rows.iter().filter(|r| r.mentor_here).map(career).collect();
    let others: Vec<Career> = rows
        .iter()
        .filter(|r| !r.mentor_anywhere)
        .filter(|r| r.hire_date.as_str() <= start && r.end_date.as_deref().is_none_or(|d| d > start))
        .map(career)
        .collect();
    Ok(mentor_outcomes(&mentors, &others, min_group_size))
}
