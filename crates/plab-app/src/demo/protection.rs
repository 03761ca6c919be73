//! The demo's protection for the junior mentor: a co-sponsor from another
//! department (so that a concern has someone outside both reporting chains
//! to reach), an anonymous concern raised by a mentor, promotions and
//! leavers among the mentors and their comparable colleagues (recorded by
//! the level-change trigger like any import), and one pair whose leader
//! keeps cancelling sessions.
use crate::AppError;
use plab_domain::Date;
use plab_domain::person::{Level, Person};
use plab_domain::program::Role;
use plab_domain::session::SessionStatus;
use plab_store::{ProgramId, Store};

const CONCERN: &str = "In our last two sessions my leader answered his own questions and told me how things \
     really work here. I would like to keep leading the lab, but I do not feel I can say so to him directly.";

/// Adds the protection story to the demo's program; `password_hash` is the demo accounts' password.
pub(crate) async fn build(
    store: &Store,
    program: ProgramId,
    password_hash: &str,
    today: Date,
    rng: &mut fastrand::Rng,
) -> Result<(), AppError> {
    co_sponsor(store, program, password_hash).await?;
    concern(store, program).await?;
    careers(store, program, today, rng).await?;
    lopsided_cancellations(store, program).await
}

/// A senior from Finance (or any department but the sponsor's) as co-sponsor.
async fn co_sponsor(store: &Store, program: ProgramId, password_hash: &str) -> Result<(), AppError> {
    let enrolled: Vec<String> = store.enrolments(program).await?.into_iter().map(|e| e.employee_id).collect();
    let sponsor_dept = match store.enrolments(program).await?.into_iter().find(|e| e.role == Role::Sponsor) {
        Some(s) => store.person(&s.employee_id).await?.department.to_string(),
        None => String::new(),
    };
    let people = store.all_people().await?;
    let Some(co) = people.iter().find(|p| {
        p.end_date.is_none()
            && (7..=8).contains(&p.level.value())
            && p.department.as_str() != sponsor_dept
            && !enrolled.contains(&p.employee_id.to_string())
    }) else {
        return Ok(());
    };
    crate::programs::enroll(store, program, Role::Sponsor, &[co.employee_id.to_string()], None, super::DEMO).await?;
    crate::accounts::upsert_with_hash(store, co.email.as_str(), password_hash, false).await?;
    Ok(())
}

/// The first mentor whose concern has a reader raises one, without their name.
async fn concern(store: &Store, program: ProgramId) -> Result<(), AppError> {
    for pair in store.pairs(program).await? {
        if crate::concerns::route_and_store(store, program, &pair.pair.mentor, CONCERN, true).await.is_ok() {
            return Ok(());
        }
    }
    Ok(())
}

fn with_level(p: &Person, level: i32) -> Result<Person, AppError> {
    Ok(Person { level: Level::new(level)?, ..p.clone() })
}

/// About a third of the mentors and a fifth of the juniors who never
/// mentored were promoted since the program began; a few of each left.
async fn careers(store: &Store, program: ProgramId, today: Date, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    let mentors: Vec<String> = store
        .enrolments(program)
        .await?
        .into_iter()
        .filter(|e| e.role == Role::Mentor)
        .map(|e| e.employee_id)
        .collect();
    let left_on = today.plus_days(-7);
    let mut changed = Vec::new();
    for p in store.all_people().await? {
        if p.end_date.is_some() || p.level.value() > 3 {
            continue;
        }
        let mentor = mentors.contains(&p.employee_id.to_string());
        let (promote, leave) = if mentor { (33, 3) } else { (20, 6) };
        let roll = rng.u32(0..100);
        if roll < promote {
            changed.push(with_level(&p, p.level.value() + 1)?);
        } else if roll < promote + leave {
            changed.push(Person { end_date: Some(left_on), ..p.clone() });
        }
    }
    store.upsert_people(&changed, &|_| {}).await?;
    Ok(())
}

/// One active pair's leader cancels three of the sessions still planned.
async fn lopsided_cancellations(store: &Store, program: ProgramId) -> Result<(), AppError> {
    for pair in store.pairs(program).await? {
        let planned: Vec<_> =
            store.sessions(pair.id).await?.into_iter().filter(|s| s.status == SessionStatus::Planned).collect();
        if planned.len() < 4 {
            continue;
        }
        for s in planned.iter().rev().take(3) {
            store.cancel_session(s.id, &[]).await?;
            store.record_session_change(s.id, pair.id, &pair.pair.leader, "leader", "cancelled").await?;
        }
        return Ok(());
    }
    Ok(())
}
