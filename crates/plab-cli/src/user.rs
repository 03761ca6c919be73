//! `plab user`: the operator's account commands (set a password, print a
//! one-time link, change a sign-in e-mail, disable or enable), each audited.
use crate::args::UserCmd;
use crate::output::cli_actor;
use crate::{Failure, out};
use anyhow::Context;
use plab_app::{Store, accounts};
use std::io::BufRead;

pub async fn user(store: &Store, cmd: UserCmd) -> Result<(), Failure> {
    match cmd {
        UserCmd::SetPassword { email, admin } => {
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password).context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            accounts::set_password(store, &email, password, admin, &cli_actor()).await?;
            out!("password set for {email}{}", if admin { " (administrator)" } else { "" });
        }
        UserCmd::Disable { email } => {
            accounts::set_disabled_as(store, &email, true, &cli_actor()).await?;
            out!("{email} is disabled: it cannot sign in, and its sign-ins have ended");
        }
        UserCmd::Enable { email } => {
            accounts::set_disabled_as(store, &email, false, &cli_actor()).await?;
            out!("{email} can sign in again");
        }
        UserCmd::SetEmail { email, new_email } => {
            accounts::change_sign_in_email(store, &email, &new_email, &cli_actor()).await?;
            out!("{email} now signs in as {new_email}");
        }
        UserCmd::Link { email, base_url } => {
            let policy = plab_app::sso::PasswordSignIn::from_env()?;
            let secret = accounts::issue_password_link(store, &email, &cli_actor(), policy).await?;
            out!("{}/set-password/{secret}", base_url.trim_end_matches('/'));
        }
    }
    Ok(())
}
