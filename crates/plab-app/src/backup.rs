//! Backup and restore: one portable file (see `plab_store::BackupReader` for
//! its format) that any backend writes and any backend restores, optionally
//! encrypted to age X25519 recipients. The notes key is never in it: only the
//! ids of the keys the notes need.
//!
//! A backup is written to `FILE.partial`, synced, and renamed to `FILE` only
//! once complete, so a run killed half-way never leaves a `FILE`. A restore is
//! all or nothing: the file is checked whole first, then every row goes in in
//! one transaction, which is rolled back unless the counts match the trailer
//! and the configured notes key opens every note.
use crate::vault::{self, Vault};
use crate::{AppError, Problem};
use plab_store::{BackupError, BackupReader, BackupSummary, Store};
use serde::Serialize;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

const AGE_MAGIC: &[u8] = b"age-encryption.org/";

/// A backup written.
#[derive(Debug, Clone, Serialize)]
pub struct Made {
    pub file: PathBuf,
    /// The file's size on disk.
    pub bytes: u64,
    pub encrypted: bool,
    pub recipients: usize,
    #[serde(flatten)]
    pub summary: BackupSummary,
}

/// A backup checked, without a database.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub file: PathBuf,
    pub bytes: u64,
    pub encrypted: bool,
    #[serde(flatten)]
    pub summary: BackupSummary,
}

/// A backup restored and checked.
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    pub file: PathBuf,
    /// `sqlite` or `postgres`: the database restored into.
    pub target_backend: String,
    /// The schema after the restore (the backup's, then any newer migrations of this plab).
    pub schema_version_now: i64,
    /// Notes the configured key opened (every one, or the restore would have been rolled back).
    pub notes_opened: u64,
    #[serde(flatten)]
    pub summary: BackupSummary,
}

fn partial_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn at(path: &Path) -> String {
    path.display().to_string()
}

/// Writes a consistent copy of every table in `store` to `to`, encrypted to
/// `recipients` (age X25519, `age1…`) when there are any.
pub async fn backup(store: &Store, to: &Path, recipients: &[String]) -> Result<Made, AppError> {
    let parsed = recipients
        .iter()
        .map(|r| {
            let r = r.trim();
            // X25519 (age1…) is what `age-keygen` gives operators today; the
            // post-quantum kind (age1pq…) is taken too.
            #[allow(deprecated)]
            if let Ok(x25519) = r.parse::<age::x25519::Recipient>() {
                return Ok(Box::new(x25519) as Box<dyn age::Recipient + Send>);
            }
            if let Ok(pq) = r.parse::<age::pq::Recipient>() {
                return Ok(Box::new(pq) as Box<dyn age::Recipient + Send>);
            }
            Err(AppError::invalid(
                Problem::new(format!("'{r}' is not an age recipient (an X25519 one begins with age1)"))
                    .field("--recipient"),
            ))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if to.exists() {
        return Err(AppError::invalid(
            Problem::new("already exists; a backup is never overwritten: choose a new file name").at(at(to)),
        ));
    }
    if store.schema_version().await? == 0 {
        return Err(AppError::invalid(
            Problem::new("this database holds no Perspective Lab data: nothing to back up").field("--db"),
        ));
    }
    let partial = partial_of(to);
    let file = create_private(&partial)
        .map_err(|e| AppError::invalid(Problem::new(format!("cannot create the backup file: {e}")).at(at(&partial))))?;
    let written = write_to(store, file, &parsed).await;
    let summary = match written {
        Ok(summary) => summary,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, to)
        .map_err(|e| AppError::Fault(format!("cannot rename {} to {}: {e}", at(&partial), at(to))))?;
    sync_parent(to);
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(Made { file: to.to_owned(), bytes, encrypted: !parsed.is_empty(), recipients: parsed.len(), summary })
}

async fn write_to(
    store: &Store,
    file: File,
    recipients: &[Box<dyn age::Recipient + Send>],
) -> Result<BackupSummary, AppError> {
    let failed = |e: std::io::Error| AppError::Fault(format!("cannot write the backup: {e}"));
    let mut out = std::io::BufWriter::new(file);
    let summary = if recipients.is_empty() {
        store.write_backup(&mut out).await.map_err(from_backup)?
    } else {
        let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r.as_ref() as &dyn age::Recipient))
            .map_err(|e| AppError::Fault(format!("cannot encrypt the backup: {e}")))?;
        let mut sealed = encryptor.wrap_output(&mut out).map_err(failed)?;
        let summary = store.write_backup(&mut sealed).await.map_err(from_backup)?;
        sealed.finish().map_err(failed)?;
        summary
    };
    let file = out.into_inner().map_err(|e| failed(e.into_error()))?;
    file.sync_all().map_err(failed)?;
    Ok(summary)
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // A `.partial` left by a run that was killed is started afresh.
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(path)
}

fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p })
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}

fn from_backup(e: BackupError) -> AppError {
    match e {
        BackupError::Invalid(m) | BackupError::Refused(m) => AppError::invalid(Problem::new(m)),
        BackupError::Check(m) => AppError::Fault(m),
        BackupError::Write(e) => AppError::Fault(format!("cannot write the backup: {e}")),
        BackupError::Store(e) => e.into(),
    }
}

/// The backup's plain content, decrypted with the identities in `identity`
/// when it is encrypted.
fn open_plain(file: &Path, identity: Option<&Path>) -> Result<(Box<dyn BufRead>, bool), AppError> {
    let bad = |m: String| AppError::invalid(Problem::new(m).at(at(file)));
    let mut f = File::open(file).map_err(|e| {
        let partial = partial_of(file);
        if e.kind() == std::io::ErrorKind::NotFound && partial.exists() {
            bad(format!(
                "there is no such backup, only {}: a backup that did not finish, which cannot be restored",
                at(&partial)
            ))
        } else {
            bad(format!("cannot open the backup: {e}"))
        }
    })?;
    let mut magic = [0u8; 19];
    let n = read_up_to(&mut f, &mut magic).map_err(|e| bad(format!("cannot read the backup: {e}")))?;
    let f = Read::chain(std::io::Cursor::new(magic[..n].to_vec()), f);
    if &magic[..n] != AGE_MAGIC {
        return Ok((Box::new(BufReader::new(f)), false));
    }
    let Some(identity) = identity else {
        return Err(
            bad("this backup is encrypted: give the identity it was encrypted for with --identity FILE".into()),
        );
    };
    let ids = age::IdentityFile::from_file(identity.display().to_string())
        .map_err(|e| {
            AppError::invalid(
                Problem::new(format!("cannot read the identity: {e}")).field("--identity").at(at(identity)),
            )
        })?
        .into_identities()
        .map_err(|e| {
            AppError::invalid(
                Problem::new(format!("not an age identity file: {e}")).field("--identity").at(at(identity)),
            )
        })?;
    let decryptor =
        age::Decryptor::new(f).map_err(|e| bad(format!("the encrypted backup is damaged or cut short: {e}")))?;
    let plain = decryptor.decrypt(ids.iter().map(|i| i.as_ref() as &dyn age::Identity)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys => AppError::invalid(
            Problem::new("this identity cannot decrypt the backup: it was encrypted for another recipient")
                .field("--identity")
                .at(at(identity)),
        ),
        other => bad(format!("the encrypted backup cannot be decrypted: {other}")),
    })?;
    Ok((Box::new(BufReader::new(plain)), true))
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Checks a backup without a database: its format, every row, the counts and
/// the checksum in its trailer.
pub fn verify(file: &Path, identity: Option<&Path>) -> Result<Checked, AppError> {
    if file.extension().is_some_and(|e| e == "partial") {
        return Err(AppError::invalid(
            Problem::new("this is a backup that did not finish (.partial): it cannot be restored; make a new backup")
                .at(at(file)),
        ));
    }
    let (input, encrypted) = open_plain(file, identity)?;
    let summary =
        BackupReader::verify(input).map_err(|e| AppError::invalid(Problem::new(e.to_string()).at(at(file))))?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    Ok(Checked { file: file.to_owned(), bytes, encrypted, summary })
}

/// Restores `file` into the empty database at `url`, then checks it.
pub async fn restore(file: &Path, url: &str, identity: Option<&Path>, notes_key: &Path) -> Result<Restored, AppError> {
    let checked = verify(file, identity)?;
    let header = &checked.summary.header;
    let supported = Store::latest_schema_version();
    if header.schema_version > supported {
        return Err(AppError::invalid(
            Problem::new(format!(
                "the backup's schema version is {}, newer than this plab's ({supported}): restore it with the \
                 plab release that made it, or a newer one; nothing was written",
                header.schema_version
            ))
            .at(at(file)),
        ));
    }
    let needed = header.note_key_ids.join(", ");
    let key = if header.note_key_ids.is_empty() {
        None
    } else {
        let Some((vault, source)) = vault::configured(notes_key)? else {
            return Err(AppError::Fault(format!(
                "the backup's notes are sealed under key id {needed}, and no notes key was given \
                 (--notes-key FILE, PLAB_NOTES_KEY_FILE or {}): give that key; nothing was written",
                vault::KEY_ENV
            )));
        };
        if !header.note_key_ids.iter().any(|id| id == vault.key_id()) {
            return Err(wrong_key(&needed, &vault, &source));
        }
        Some((vault, source))
    };
    let target = Store::connect_unmigrated(url).await?;
    let restored = restore_into(&target, file, identity, &checked, key.as_ref()).await;
    target.close().await;
    restored
}

fn wrong_key(needed: &str, vault: &Vault, source: &str) -> AppError {
    AppError::Fault(format!(
        "{source}: this notes key (key id {}) does not open the backup's notes, which need key id {needed}; \
         nothing was written: give the key with id {needed}",
        vault.key_id()
    ))
}

async fn restore_into(
    target: &Store,
    file: &Path,
    identity: Option<&Path>,
    checked: &Checked,
    key: Option<&(Vault, String)>,
) -> Result<Restored, AppError> {
    let header = &checked.summary.header;
    let not_empty = |table: String| {
        AppError::invalid(
            Problem::new(format!(
                "the target database is not empty (table {table} holds rows): restore only into an empty \
                 database; nothing was written"
            ))
            .field("--db"),
        )
    };
    if let Some(table) = target.first_table_with_rows().await? {
        return Err(not_empty(table));
    }
    target.migrate_to(header.schema_version).await?;
    let (input, _) = open_plain(file, identity)?;
    let mut opened = 0u64;
    let summary = target
        .restore_backup(input, &checked.summary.sha256, |note| match key {
            Some((vault, source)) => {
                vault.open(note.pair_id, &note.author_id, &note.nonce, &note.ciphertext).map_err(|_| {
                    wrong_key(&header.note_key_ids.join(", "), vault, source).to_string()
                        + &format!(" (note {} does not open)", note.id)
                })?;
                opened += 1;
                Ok(())
            }
            None => Err(format!("note {} is in the backup, whose header names no notes key", note.id)),
        })
        .await
        .map_err(|e| match e {
            BackupError::Refused(m) if m.contains("not empty") => AppError::invalid(Problem::new(m).field("--db")),
            other => from_backup(other),
        })?;
    target.migrate_all().await?;
    let schema_version_now = target.schema_version().await?;
    Ok(Restored {
        file: file.to_owned(),
        target_backend: if target.is_postgres() { "postgres".into() } else { "sqlite".into() },
        schema_version_now,
        notes_opened: opened,
        summary,
    })
}

/// Bytes as the CLI prints sizes.
pub fn size_in_words(bytes: u64) -> String {
    match bytes {
        b if b >= 10 << 20 => format!("{} MB", b >> 20),
        b if b >= 10 << 10 => format!("{} KB", b >> 10),
        b => format!("{b} bytes"),
    }
}
