//! `plab scim token`: the bearer tokens identity providers provision people
//! with. A new token is printed once; only its hash is stored.
use crate::args::ScimTokenCmd;
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::{Store, scim};
use serde_json::json;

pub async fn token(store: &Store, cmd: ScimTokenCmd) -> Result<(), Failure> {
    match cmd {
        ScimTokenCmd::New { label, json } => {
            let (id, secret) = scim::new_token(store, &label, &cli_actor()).await?;
            if json {
                print_json(&json!({ "id": id, "label": label.trim(), "token": secret }))?;
            } else {
                out!("SCIM token {id} ({}): {secret}", label.trim());
                out!("Give it to the identity provider now: it is not shown again. Base URL: BASE/scim/v2/");
            }
        }
        ScimTokenCmd::List { json } => {
            let tokens = scim::tokens(store).await?;
            if json {
                let listed: Vec<_> = tokens
                    .iter()
                    .map(|t| {
                        json!({ "id": t.id, "label": t.label, "created_at": t.created_at,
                                "last_used_at": t.last_used_at, "revoked_at": t.revoked_at })
                    })
                    .collect();
                print_json(&listed)?;
            } else if tokens.is_empty() {
                out!("no SCIM tokens yet: make one with `plab scim token new --label NAME`");
            } else {
                for t in tokens {
                    let state = match &t.revoked_at {
                        Some(at) => format!("revoked {at}"),
                        None => format!("last used {}", t.last_used_at.as_deref().unwrap_or("never")),
                    };
                    out!("{:>4}  {}  made {}, {state}", t.id, t.label, t.created_at);
                }
            }
        }
        ScimTokenCmd::Revoke { id } => {
            scim::revoke_token(store, id, &cli_actor()).await?;
            out!("SCIM token {id} is revoked: every instance refuses it from now on");
        }
    }
    Ok(())
}
