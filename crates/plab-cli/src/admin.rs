//! `plab settings` and `plab notes`: what the operator at the machine does.
use crate::args::{NotesCmd, SettingsCmd};
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::vault::Vault;
use plab_app::{Store, key_rotation, settings};
use std::path::Path;

pub async fn settings_cmd(store: &Store, cmd: SettingsCmd) -> Result<(), Failure> {
    match cmd {
        SettingsCmd::Show { json } => {
            let current = settings::get(store).await?;
            let floor = settings::group_size_floor(store).await?;
            if json {
                let mut doc = serde_json::to_value(&current).map_err(|e| Failure::Internal(e.into()))?;
                doc[settings::GROUP_SIZE_FLOOR] = floor.get().into();
                return print_json(&doc);
            }
            let mut fields = settings::fields(&current);
            fields.push((settings::GROUP_SIZE_FLOOR.to_owned(), floor.to_string()));
            fields.sort();
            for (path, value) in fields {
                out!("{path} = {value}");
            }
        }
        // The floor is the operator's alone: set here, never from a browser.
        SettingsCmd::Set { field, value } if field == settings::GROUP_SIZE_FLOOR => {
            let floor = settings::set_group_size_floor(store, &value, &cli_actor()).await?;
            out!("{field} = {floor}");
        }
        SettingsCmd::Set { field, value } => {
            let saved = settings::set_field(store, &field, &value, &cli_actor()).await?;
            let now = settings::fields(&saved).into_iter().find(|(path, _)| *path == field).map(|(_, v)| v);
            out!("{field} = {}", now.unwrap_or(value));
        }
    }
    Ok(())
}

/// Makes a key file; needs no database.
pub fn new_key(file: &Path) -> Result<(), Failure> {
    let vault = Vault::create_key_file(file)?;
    out!("wrote a new notes key to {} (key id {}); back it up apart from the database", file.display(), vault.key_id());
    Ok(())
}

pub async fn notes_cmd(store: &Store, cmd: NotesCmd) -> Result<(), Failure> {
    match cmd {
        NotesCmd::NewKey { file } => new_key(&file),
        NotesCmd::Rekey { old_key, new_key, json } => {
            let old = Vault::from_file(&old_key)?;
            let new = Vault::from_file(&new_key)?;
            let done = key_rotation::rekey_notes(store, &old, &new, &cli_actor()).await?;
            if json {
                return print_json(&done);
            }
            out!(
                "re-encrypted {} notes to key {} ({} were already under it); restart the servers with {}",
                done.resealed,
                done.key_id,
                done.skipped,
                new_key.display()
            );
            Ok(())
        }
    }
}
