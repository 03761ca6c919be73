//! `plab backup --to FILE`, `plab backup verify FILE` and `plab restore`.
use crate::output::print_json;
use crate::{Failure, out};
use clap::{Args, Subcommand};
use plab_app::backup::{self, size_in_words};
use plab_app::{AppError, Problem, Store};
use plab_store::BackupSummary;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub verify: Option<BackupCmd>,
    /// The backup file to write (never overwritten); it appears only once complete,
    /// written first as FILE.partial.
    #[arg(long, value_name = "FILE", required = true)]
    pub to: Option<PathBuf>,
    /// Encrypt the file to this age X25519 recipient (age1…); repeat it for several.
    #[arg(long = "recipient", value_name = "AGE_RECIPIENT")]
    pub recipients: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum BackupCmd {
    /// Check a backup file without a database: its format, checksum and row counts.
    /// Exit 0 when it is whole, 2 naming what is wrong.
    Verify {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The age identity file, for an encrypted backup.
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// The backup file, from `plab backup --to`.
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// The age identity file, for an encrypted backup.
    #[arg(long, value_name = "FILE")]
    pub identity: Option<PathBuf>,
    /// The key file the notes are sealed under, as for `plab serve`, unless
    /// PLAB_NOTES_KEY holds the key as 64 hex characters.
    #[arg(long, env = "PLAB_NOTES_KEY_FILE", default_value = "plab-notes.key", value_name = "FILE")]
    pub notes_key: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn verify(args: BackupArgs) -> Result<(), Failure> {
    let Some(BackupCmd::Verify { file, identity, json }) = args.verify else {
        return Err(Failure::User("backup verify: FILE is missing".into()));
    };
    let checked = backup::verify(&file, identity.as_deref())?;
    if json {
        return print_json(&checked);
    }
    out!("backup whole: {}", checked.file.display());
    print_summary(&checked.summary, checked.bytes, checked.encrypted)
}

pub async fn backup(db: &str, args: BackupArgs) -> Result<(), Failure> {
    let Some(to) = args.to else {
        return Err(Failure::User("--to FILE: name the backup file to write".into()));
    };
    let store = Store::connect_unmigrated(db).await.map_err(AppError::from).map_err(|e| match e {
        AppError::Internal(e) => Failure::Internal(
            anyhow::Error::new(e).context(format!("opening the database {}", crate::commands::redact(db))),
        ),
        other => other.into(),
    })?;
    let made = backup::backup(&store, &to, &args.recipients).await;
    store.close().await;
    let made = made?;
    if args.json {
        return print_json(&made);
    }
    out!("backup written: {}", made.file.display());
    if made.encrypted {
        out!("encrypted for {} recipient(s): only their identity opens it", made.recipients);
    }
    print_summary(&made.summary, made.bytes, made.encrypted)?;
    out!("next: `plab backup verify {}`; keep the notes key apart from this file", made.file.display());
    Ok(())
}

pub async fn restore(db: &str, args: RestoreArgs) -> Result<(), Failure> {
    if db.is_empty() {
        return Err(AppError::invalid(Problem::new("name the empty database to restore into").field("--db")).into());
    }
    let restored = backup::restore(&args.from, db, args.identity.as_deref(), &args.notes_key).await?;
    if args.json {
        return print_json(&restored);
    }
    out!("restored: {} into {} ({})", restored.file.display(), crate::commands::redact(db), restored.target_backend);
    out!(
        "checked: {} rows in {} tables as the backup counts them; {} notes open with the notes key; schema version {}",
        restored.summary.rows,
        restored.summary.tables.len(),
        restored.notes_opened,
        restored.schema_version_now
    );
    Ok(())
}

fn print_summary(s: &BackupSummary, bytes: u64, encrypted: bool) -> Result<(), Failure> {
    let h = &s.header;
    out!("taken:   {} from {}, schema version {}", h.created_at, h.backend, h.schema_version);
    out!(
        "content: {} rows in {} tables, {}{}",
        s.rows,
        s.tables.len(),
        size_in_words(bytes),
        if encrypted { " (encrypted)" } else { "" }
    );
    if h.note_key_ids.is_empty() {
        out!("notes:   none sealed; no notes key is needed");
    } else {
        out!("notes:   readable only with the notes key of id {} (not in this file)", h.note_key_ids.join(", "));
    }
    Ok(())
}
