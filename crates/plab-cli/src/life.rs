//! `plab program show`, `plab program close-out` and `plab program next-cohort`.
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::life::{self, NextCohort, ProgramView};
use plab_app::{Store, programs};
use plab_domain::Date;

fn print(view: &ProgramView, json: bool) -> Result<(), Failure> {
    if json {
        return print_json(view);
    }
    out!("program {}: {}", view.id, view.name);
    out!("state: {}", view.state);
    out!("kind: {}", view.kind);
    out!("starts on: {}", view.starts_on);
    if let Some(previous) = view.previous_program {
        out!("started from program {previous}");
    }
    if let Some(on) = &view.closing_on {
        out!("close-out began on {on}");
    }
    if let Some(on) = &view.closed_on {
        out!("closed on {on}");
    }
    Ok(())
}

pub(crate) async fn show(store: &Store, program: &str, json: bool) -> Result<(), Failure> {
    let program = programs::parse_id(program)?;
    print(&life::show_as_operator(store, program).await?, json)
}

pub(crate) async fn close_out(store: &Store, program: &str, json: bool) -> Result<(), Failure> {
    let program = programs::parse_id(program)?;
    let today = Date::of_instant(time::OffsetDateTime::now_utc());
    let view = life::begin_close_out_as_operator(store, program, today, &cli_actor()).await?;
    print(&view, json)
}

pub(crate) async fn next_cohort(
    store: &Store,
    program: &str,
    name: &str,
    starts_on: &str,
    reciprocal: bool,
    json: bool,
) -> Result<(), Failure> {
    let program = programs::parse_id(program)?;
    let input =
        NextCohort { name: name.to_owned(), starts_on: starts_on.to_owned(), reciprocal, ..NextCohort::default() };
    let id = life::start_next_cohort_as_operator(store, program, &input, &cli_actor()).await?;
    if json {
        return print_json(&serde_json::json!({ "id": id.0 }));
    }
    out!("started program {id} from program {program}");
    Ok(())
}
