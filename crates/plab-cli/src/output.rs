//! What every command shares: how it prints JSON and whom the audit log names.
use crate::{Failure, out};
use anyhow::Context;
use serde::Serialize;

/// Who the audit log names for what this command does: the operating-system user.
pub(crate) fn cli_actor() -> String {
    format!("cli:{}", std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into()))
}

pub(crate) fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).context("encoding JSON")?;
    out!("{text}");
    Ok(())
}
