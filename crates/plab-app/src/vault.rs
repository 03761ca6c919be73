//! Encryption of pair notes at rest with XChaCha20-Poly1305. The key never
//! touches the database: it comes from `PLAB_NOTES_KEY` (64 hex characters) or a
//! key file, created with 0600 permissions only while no note is sealed yet, and
//! checked against the key ids of the stored notes at start. The pair id and author
//! are bound in as associated data, so a ciphertext copied to another pair or
//! author fails to open.
use crate::{AppError, Problem};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use plab_domain::PairId;
use plab_store::Store;
use sha2::{Digest, Sha256};
use std::path::Path;

pub const KEY_ENV: &str = "PLAB_NOTES_KEY";

pub struct Vault {
    cipher: XChaCha20Poly1305,
    /// Names the key without revealing it, so that rotation can tell old rows apart.
    key_id: String,
    /// Derived from the notes key; signs calendar feed URLs.
    calendar_key: [u8; 32],
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

fn parse_hex_key(text: &str, source: &str) -> Result<[u8; 32], AppError> {
    let text = text.trim();
    let bad =
        || AppError::invalid(Problem::new("the notes key must be 64 hexadecimal characters").at(source.to_owned()));
    if text.len() != 64 {
        return Err(bad());
    }
    let mut key = [0u8; 32];
    for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
        let pair = std::str::from_utf8(chunk).map_err(|_| bad())?;
        key[i] = u8::from_str_radix(pair, 16).map_err(|_| bad())?;
    }
    Ok(key)
}

/// The notes key for the database in `store`: from `PLAB_NOTES_KEY` if set,
/// else from the key file at `path`. It must be a key the stored notes are
/// sealed under, or the server would answer every old note with a conflict and
/// seal new ones under a key nobody keeps with them. A new key file (0600) is
/// made only while the database holds no sealed note.
pub async fn open_for(store: &Store, path: &Path) -> Result<Vault, AppError> {
    let sealed_under = store.note_key_ids().await?;
    open_checked(path, &sealed_under)
}

/// The notes key as `plab serve` finds it (`PLAB_NOTES_KEY`, else the key file
/// at `path`), without ever making one; `None` when neither is there. Also
/// names where it came from.
pub fn configured(path: &Path) -> Result<Option<(Vault, String)>, AppError> {
    match std::env::var(KEY_ENV) {
        Ok(hex) => Ok(Some((Vault::from_key(parse_hex_key(&hex, KEY_ENV)?), KEY_ENV.to_owned()))),
        Err(_) if path.exists() => Ok(Some((Vault::from_file(path)?, path.display().to_string()))),
        Err(_) => Ok(None),
    }
}

fn open_checked(path: &Path, sealed_under: &[String]) -> Result<Vault, AppError> {
    let expected = || sealed_under.join(", ");
    let (vault, source) = match std::env::var(KEY_ENV) {
        Ok(hex) => (Vault::from_key(parse_hex_key(&hex, KEY_ENV)?), KEY_ENV.to_owned()),
        Err(_) if path.exists() => (Vault::from_file(path)?, path.display().to_string()),
        Err(_) if sealed_under.is_empty() => return Vault::create_key_file(path),
        Err(_) => {
            return Err(AppError::invalid(
                Problem::new(format!(
                    "no notes key file here, but the database holds notes sealed under key id {}; \
                     give the key that sealed them (--notes-key FILE or {KEY_ENV}); no new key was made",
                    expected()
                ))
                .at(path.display().to_string()),
            ));
        }
    };
    if !sealed_under.is_empty() && !sealed_under.iter().any(|id| id == vault.key_id()) {
        return Err(AppError::invalid(
            Problem::new(format!(
                "this notes key (key id {}) is not the one the database's notes are sealed under (key id {}); \
                 give that key, or move the notes to this one with `plab notes rekey`",
                vault.key_id(),
                expected()
            ))
            .at(source),
        ));
    }
    Ok(vault)
}

impl Vault {
    pub fn from_key(key: [u8; 32]) -> Vault {
        let key_id = crate::accounts::hex(&Sha256::digest(key)[..6]);
        let calendar_key = Sha256::new().chain_update(b"plab calendar feeds\0").chain_update(key).finalize().into();
        Vault { cipher: XChaCha20Poly1305::new(&Key::from(key)), key_id, calendar_key }
    }

    /// The secret in an account's calendar feed URL: a MAC of the account id
    /// and its calendar generation under a key derived from the notes key, so
    /// the database holds nothing that reveals a feed, and bumping the
    /// generation revokes a leaked URL at once.
    pub fn calendar_secret(&self, account: i64, generation: i64) -> String {
        let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&self.calendar_key)
            .expect("HMAC takes a key of any length");
        mac.update(format!("{account}:{generation}").as_bytes());
        crate::accounts::hex(&mac.finalize().into_bytes()[..20])
    }

    /// The key in an existing key file (never the environment).
    pub fn from_file(path: &Path) -> Result<Vault, AppError> {
        let source = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            AppError::invalid(Problem::new(format!("cannot read the notes key: {e}")).at(source.clone()))
        })?;
        Ok(Vault::from_key(parse_hex_key(&text, &source)?))
    }

    /// Writes a fresh random key to a new file, owner-only (0600); an existing
    /// file is never overwritten, since it may be the only copy of a key.
    pub fn create_key_file(path: &Path) -> Result<Vault, AppError> {
        let source = path.display().to_string();
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        write_private(path, &crate::accounts::hex(&key)).map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "already exists; it is never overwritten".to_owned()
            } else {
                format!("cannot create the notes key: {e}")
            };
            AppError::invalid(Problem::new(why).at(source))
        })?;
        Ok(Vault::from_key(key.into()))
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    pub fn seal(&self, pair: PairId, author: &str, plaintext: &str) -> Result<(Vec<u8>, Vec<u8>), AppError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = associated_data(pair, author);
        let ciphertext = self
            .cipher
            .encrypt(&nonce, Payload { msg: plaintext.as_bytes(), aad: &aad })
            .map_err(|_| AppError::Fault("cannot encrypt the note".into()))?;
        Ok((nonce.to_vec(), ciphertext))
    }

    pub fn open(&self, pair: PairId, author: &str, nonce: &[u8], ciphertext: &[u8]) -> Result<String, AppError> {
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| AppError::Conflict("a stored note is damaged".into()))?;
        let aad = associated_data(pair, author);
        let plain = self
            .cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ciphertext, aad: &aad })
            .map_err(|_| AppError::Conflict("a stored note cannot be decrypted with this key".into()))?;
        String::from_utf8(plain).map_err(|_| AppError::Conflict("a stored note is damaged".into()))
    }
}

impl Vault {
    /// Seals a whole e-mail message for the outbox, bound to its dedupe key:
    /// mail may carry homework or a sign-in link, which the database never
    /// holds in the clear.
    pub fn seal_mail(&self, dedupe_key: &str, message: &[u8]) -> Result<(Vec<u8>, Vec<u8>), AppError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = format!("plab-mail\0{dedupe_key}").into_bytes();
        let ciphertext = self
            .cipher
            .encrypt(&nonce, Payload { msg: message, aad: &aad })
            .map_err(|_| AppError::Fault("cannot encrypt a message".into()))?;
        Ok((nonce.to_vec(), ciphertext))
    }

    pub fn open_mail(&self, dedupe_key: &str, nonce: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, AppError> {
        let damaged = || AppError::Conflict("an outbox message cannot be decrypted with this key".into());
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| damaged())?;
        let aad = format!("plab-mail\0{dedupe_key}").into_bytes();
        self.cipher.decrypt(&XNonce::from(nonce), Payload { msg: ciphertext, aad: &aad }).map_err(|_| damaged())
    }
}

fn associated_data(pair: PairId, author: &str) -> Vec<u8> {
    format!("plab-note\0{pair}\0{author}").into_bytes()
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_opens_only_for_its_pair_and_author() {
        let v = Vault::from_key([7; 32]);
        let (nonce, ct) = v.seal(PairId(1), "E1", "candid words").expect("seal");
        assert!(!ct.windows(6).any(|w| w == b"candid"), "ciphertext must not contain the text");
        assert_eq!(v.open(PairId(1), "E1", &nonce, &ct).expect("open"), "candid words");
        assert!(v.open(PairId(2), "E1", &nonce, &ct).is_err(), "moved to another pair");
        assert!(v.open(PairId(1), "E2", &nonce, &ct).is_err(), "another author");
        assert!(Vault::from_key([8; 32]).open(PairId(1), "E1", &nonce, &ct).is_err(), "another key");
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_created_owner_only_and_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("plab_vault_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("notes.key");
        let _ = std::fs::remove_file(&path);
        let first = open_checked(&path, &[]).expect("create");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let second = open_checked(&path, &[first.key_id().to_owned()]).expect("reuse");
        assert_eq!(first.key_id(), second.key_id());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_key_file_never_overwrites_an_existing_one() {
        let dir = std::env::temp_dir().join(format!("plab_vault_new_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("new.key");
        let _ = std::fs::remove_file(&path);
        let created = Vault::create_key_file(&path).expect("create");
        let before = std::fs::read_to_string(&path).expect("read");
        assert!(matches!(Vault::create_key_file(&path), Err(AppError::Invalid(_))));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), before);
        assert_eq!(Vault::from_file(&path).expect("reads back").key_id(), created.key_id());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[cfg(unix)]
    #[test]
    fn a_key_the_stored_notes_are_not_sealed_under_is_refused_naming_both() {
        let dir = std::env::temp_dir().join(format!("plab_vault_check_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("other.key");
        let _ = std::fs::remove_file(&path);
        let other = Vault::create_key_file(&path).expect("create");
        let err = open_checked(&path, &["aaaaaaaaaaaa".into()]).expect_err("wrong key").to_string();
        assert!(err.contains("other.key") && err.contains("aaaaaaaaaaaa") && err.contains(other.key_id()), "{err}");

        let missing = dir.join("missing.key");
        let err = open_checked(&missing, &["aaaaaaaaaaaa".into()]).expect_err("no key file").to_string();
        assert!(err.contains("missing.key") && err.contains("aaaaaaaaaaaa"), "{err}");
        assert!(!missing.exists(), "no key is made while notes are sealed under another");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_malformed_key_is_refused() {
        assert!(parse_hex_key("abc", "env").is_err());
        assert!(parse_hex_key(&"zz".repeat(32), "env").is_err());
    }
}
