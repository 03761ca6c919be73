//! `plab person`: one person's data, for the operator: everything held about
//! them (export), erasing them (GDPR Art. 17) and the administrators'
//! requests that wait for it.
use crate::args::PersonCmd;
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::vault::{self, Vault};
use plab_app::{Store, erasure, mail};
use std::path::Path;

pub(crate) async fn person_cmd(store: &Store, cmd: PersonCmd) -> Result<(), Failure> {
    match cmd {
        PersonCmd::Export { employee_id, output, notes_key } => {
            export(store, &employee_id, output.as_deref(), &notes_key).await
        }
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

/// The notes key as `plab serve` takes it; none at all while no key is
/// given and no note is sealed (an export never makes a key file).
async fn notes_key(store: &Store, path: &Path) -> Result<Option<Vault>, Failure> {
    let given = std::env::var_os(vault::KEY_ENV).is_some() || path.exists();
    if !given && store.note_key_ids().await.map_err(plab_app::AppError::from)?.is_empty() {
        return Ok(None);
    }
    Ok(Some(vault::open_for(store, path).await?))
}

async fn export(store: &Store, employee_id: &str, output: Option<&Path>, key: &Path) -> Result<(), Failure> {
    let vault = notes_key(store, key).await?;
    let document = plab_app::your_data::export_person(store, vault.as_ref(), employee_id, &cli_actor()).await?;
    match output {
        None => print_json(&document),
        Some(path) => {
            let text = serde_json::to_string_pretty(&document).map_err(|e| Failure::Internal(e.into()))?;
            // Beside the target, then renamed: a failed write never leaves half a file.
            let tmp = path.with_extension("json.partial");
            write_owner_only(&tmp, &(text + "\n"))
                .map_err(|e| Failure::User(format!("{}: cannot write the export: {e}", tmp.display())))?;
            std::fs::rename(&tmp, path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Failure::User(format!("{}: cannot write the export: {e}", path.display()))
            })?;
            eprintln!("wrote the data of {} to {}", employee_id.trim(), path.display());
            Ok(())
        }
    }
}

/// The export holds notes in the clear: only its owner may read the file.
fn write_owner_only(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
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
