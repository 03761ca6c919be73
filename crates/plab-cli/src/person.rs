//! `plab person`: one person's data, for the operator.
use crate::Failure;
use crate::args::PersonCmd;
use crate::output::{cli_actor, print_json};
use plab_app::Store;
use plab_app::vault::{self, Vault};
use std::path::Path;

pub(crate) async fn person_cmd(store: &Store, cmd: PersonCmd) -> Result<(), Failure> {
    match cmd {
        PersonCmd::Export { employee_id, output, notes_key } => {
            export(store, &employee_id, output.as_deref(), &notes_key).await
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
