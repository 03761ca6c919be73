//! `plab settings`: what the operator at the machine does.
use crate::args::SettingsCmd;
use crate::commands::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::{Store, settings};

pub async fn settings_cmd(store: &Store, cmd: SettingsCmd) -> Result<(), Failure> {
    match cmd {
        SettingsCmd::Show { json } => {
            let current = settings::get(store).await?;
            if json {
                return print_json(&current);
            }
            for (path, value) in settings::fields(&current) {
                out!("{path} = {value}");
            }
        }
        SettingsCmd::Set { field, value } => {
            let saved = settings::set_field(store, &field, &value, &cli_actor()).await?;
            let now = settings::fields(&saved).into_iter().find(|(path, _)| *path == field).map(|(_, v)| v);
            out!("{field} = {}", now.unwrap_or(value));
        }
    }
    Ok(())
}
