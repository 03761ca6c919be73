//! `plab person erase` and `plab person requests`: erasing one person (GDPR
//! Art. 17) and the administrators' requests that wait for it.
use crate::args::PersonCmd;
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::{Store, erasure, mail};

pub async fn person(store: &Store, cmd: PersonCmd) -> Result<(), Failure> {
    match cmd {
        PersonCmd::Erase { requests: true, json, .. } | PersonCmd::Requests { json } => {
            list_requests(store, json).await
        }
        PersonCmd::Erase { employee_id, yes, notes_key, json, .. } => {
            let Some(id) = employee_id else {
                return Err(Failure::User("--employee-id: give the employee id of the person to erase".into()));
            };
            erase(store, &id, yes, &notes_key, json).await
        }
    }
}

async fn erase(store: &Store, id: &str, yes: bool, notes_key: &std::path::Path, json: bool) -> Result<(), Failure> {
    let preview = erasure::preview(store, id).await.map_err(|e| {
        if e.is_user_error() { Failure::User(format!("--employee-id {id}: {e}")) } else { Failure::from(e) }
    })?;
    if !yes {
        let what: Vec<String> =
            preview.counts.iter().filter(|(_, n)| **n > 0).map(|(kind, n)| format!("{kind} {n}")).collect();
        let what = if what.is_empty() { "nothing (already erased)".to_owned() } else { what.join(", ") };
        return Err(Failure::User(format!(
            "--yes: nothing was erased. Erasing {id} would end {} open pair(s) and remove: {what}. \
             This cannot be undone; run it again with --yes to erase.",
            preview.open_pairs.len()
        )));
    }
    let post = mail::Post::from_env("")?;
    let vault = if post.is_on() && !preview.open_pairs.is_empty() {
        Some(plab_app::vault::open_for(store, notes_key).await?)
    } else {
        None
    };
    let mail = vault.as_ref().map(|v| (v, &post));
    let record = erasure::erase(store, mail, &cli_actor(), id).await?;
    if json {
        return print_json(&record);
    }
    let total: u64 = record.counts.values().sum();
    if total == 0 {
        out!("{id}: nothing more to erase (erased before); a deletion record with zero counts was written.");
    } else {
        out!("{id} erased at {}. Removed per kind:", record.erased_at);
        for (kind, n) in record.counts.iter().filter(|(_, n)| **n > 0) {
            out!("  {kind}: {n}");
        }
    }
    Ok(())
}

async fn list_requests(store: &Store, json: bool) -> Result<(), Failure> {
    let pending = erasure::all_requests(store, true).await?;
    if json {
        return print_json(&pending);
    }
    if pending.is_empty() {
        out!("No erasure requests are waiting.");
        return Ok(());
    }
    for r in &pending {
        out!(
            "request {}  employee {}  asked {} by {}: {}",
            r.id,
            r.employee_id,
            r.requested_at,
            r.requested_by,
            r.reason
        );
        out!("  to erase: plab person erase --employee-id {} --yes", r.employee_id);
    }
    Ok(())
}
