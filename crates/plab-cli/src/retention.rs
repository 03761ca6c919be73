//! `plab program close` and `plab retention run`.
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::retention;
use plab_app::{Store, programs};
use plab_domain::Date;

/// The day given with `--as-of`, or today (UTC).
fn day(as_of: Option<&str>) -> Result<Date, Failure> {
    match as_of {
        Some(raw) => Ok(retention::parse_day(raw, "--as-of")?),
        None => Ok(Date::of_instant(time::OffsetDateTime::now_utc())),
    }
}

pub(crate) async fn close(store: &Store, program: &str, as_of: Option<&str>, json: bool) -> Result<(), Failure> {
    let on = day(as_of)?;
    let program = programs::parse_id(program)?;
    let closed = retention::close_as_operator(store, program, on, &cli_actor()).await?;
    if json {
        return print_json(&closed);
    }
    out!(
        "closed program {} on {}: {} planned sessions cancelled; its private data will be destroyed on {}",
        closed.program,
        closed.closed_on,
        closed.cancelled_sessions,
        closed.destroyed_on
    );
    Ok(())
}

pub(crate) async fn run(store: &Store, as_of: Option<&str>, dry_run: bool, json: bool) -> Result<(), Failure> {
    let on = day(as_of)?;
    let programs = retention::run(store, on, dry_run).await?;
    if json {
        return print_json(&serde_json::json!({ "programs": programs }));
    }
    if programs.is_empty() {
        out!("nothing is due for destruction on {on}");
    }
    let verb = if dry_run { "would destroy" } else { "destroyed" };
    for p in &programs {
        let counts: Vec<String> = p.destroyed.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
        out!("program {}: {verb} {}", p.program, counts.join(", "));
    }
    Ok(())
}
