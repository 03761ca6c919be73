//! `plab report`: the program's outcome report, the same document as the API's.
use crate::output::print_json;
use crate::{Failure, out};
use plab_app::{Store, programs, report};

pub async fn report(store: &Store, program: &str, json: bool) -> Result<(), Failure> {
    let program = programs::parse_id(program)?;
    let r = report::build(store, program, time::OffsetDateTime::now_utc()).await?;
    if json {
        return print_json(&r);
    }
    out!("{} (program {}, from {}), as of {}", r.name, r.program, r.starts_on, r.generated_at);
    // The same figures, words and formatting as the sponsor's page and its CSV.
    for f in report::figures(&r) {
        out!("{}: {}", f.label, f.value);
    }
    for p in &r.at_risk {
        out!("  pair {} at risk: {}", p.pair, p.signals.join(", "));
    }
    Ok(())
}
