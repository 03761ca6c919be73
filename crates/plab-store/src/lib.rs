//! Perspective Lab storage. One set of portable SQL queries runs on SQLite (the
//! embedded default) and PostgreSQL through sqlx's `Any` driver; the URL picks
//! the backend. Only the migrations differ per dialect (identity columns), and
//! they sit side by side under `migrations/`.
#![forbid(unsafe_code)]

mod accounts;
mod audit;
mod backup;
mod cache;
mod commitments;
mod concerns;
mod erasure;
mod fit;
mod key_rotation;
mod life;
mod measure;
mod notes;
mod outbox;
mod outcomes;
mod pairing;
mod people;
mod programs;
mod questions;
mod report;
mod retention;
mod rosters;
mod scim;
mod selfassessment;
mod session_changes;
mod sessions;
mod settings;
mod sql;
mod sso;
#[cfg(feature = "testing")]
pub mod testing;
mod triage;
mod your_data;

pub use accounts::{Account, LinkPurpose, PasswordLink, Recipient};
pub use audit::{AuditEntry, AuditQuery, ChainBreak, ChainCheck, ChainProblem};
pub use backup::{
    BACKUP_FORMAT, BackupError, BackupHeader, BackupReader, BackupSummary, ColumnType, SEEDED_BY_MIGRATIONS, TableRows,
};
pub use cache::Revision;
pub use commitments::{Lineage, OfficeMember, RoleRetention, StoredCommitment};
pub use concerns::{RoutedAs, StoredConcern};
pub use erasure::{ERASED_NAME, Erasure, ErasurePreview, ErasureRequest, erased_address, is_erased_address};
pub use fit::StoredFit;
pub use key_rotation::Resealed;
pub use life::{ExitAnswer, NewCohort};
pub use measure::{InsightTally, Recorder, StoredCheckin, StoredInsight};
pub use notes::SealedNote;
pub use outbox::{Claimed, MailCounts, MailError, Outgoing};
pub use outcomes::CareerRow;
pub use pairing::{ListedPair, NewProposal, Pair, PairRule, Partner, Proposal, StoredPair};
pub use people::ImportSummary;
pub use programs::{Enrolment, Program, ProgramId, RosterEntry};
pub use report::{PairDepartments, PulseAnswer, RetentionGroup, Scope, SegmentTime, SessionMeasures};
pub use retention::{Closure, PRIVATE_KINDS};
pub use rosters::{AccountPage, InvitationState, NewLink};
pub use scim::{Deactivate, ScimPerson, ScimRecord, ScimSelect, ScimToken};
pub use selfassessment::SelfAnswer;
pub use sessions::{PersonItemAverage, SealedText, SessionCounts, StoredSession};
pub use sso::PendingSignIn;
pub use triage::StoredFollowUp;
pub use your_data::{Record, SealedMail, SealedPairText};

use sqlx::AnyPool;
use sqlx::Row;
use sqlx::any::AnyPoolOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("{what} '{id}' was not found")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    cache: std::sync::Arc<cache::Cache>,
}

impl Store {
    /// Connects (creating an SQLite file on first use) and runs pending migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = Store::open(url).await?;
        store.migrate().await?;
        store.chain_unchained_audit_entries().await?;
        Ok(store)
    }

    /// Connects without running migrations.
    async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalise_url(url)?;
        let sqlite = backend == Backend::Sqlite;
        // By default the pool pings a connection each time it lends it out: a
        // second round trip per query. An SQLite file cannot hang up, so only
        // PostgreSQL connections are tested (its server may have restarted).
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            .test_before_acquire(!sqlite)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    // Deleted rows (an erasure, retention running out) are
                    // overwritten with zeros, not left in free pages.
                    if sqlite {
                        sqlx::query("PRAGMA secure_delete = ON").execute(conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        if backend == Backend::Sqlite {
            // WAL lets readers (the web app) proceed during an import's write.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        Ok(Store { pool, backend, cache: std::sync::Arc::default() })
    }

    async fn migrate(&self) -> Result<()> {
        migrator(self.backend).run(&self.pool).await?;
        Ok(())
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// The data revision now (see `Revision`).
    pub async fn revision(&self) -> Result<Revision> {
        let row = sqlx::query("SELECT n FROM data_revision WHERE id = 1").fetch_one(&self.pool).await?;
        Ok(Revision(row.try_get("n")?))
    }

    /// `build`'s value for `(kind, key)`, kept in memory for `fresh_for` as
    /// long as the data stays at revision `at` (see `Revision`); built anew
    /// each time when `at` is `None`.
    pub async fn remember<T, E>(
        &self,
        at: Option<Revision>,
        kind: &'static str,
        key: i64,
        fresh_for: std::time::Duration,
        build: impl std::future::Future<Output = std::result::Result<T, E>>,
    ) -> std::result::Result<std::sync::Arc<T>, E>
    where
        T: Send + Sync + 'static,
    {
        self.cache.remember(at, kind, key, fresh_for, build).await
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    }
}

fn normalise_url(url: &str) -> Result<(Backend, String)> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        // Create the file on first use unless the caller chose a mode.
        let url = if rest.contains("mode=") || rest.contains(":memory:") {
            url.to_owned()
        } else if rest.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        Ok((Backend::Sqlite, url))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok((Backend::Postgres, url.to_owned()))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}

pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_picks_the_backend() {
        assert_eq!(
            normalise_url("sqlite://plab.db").expect("ok"),
            (Backend::Sqlite, "sqlite://plab.db?mode=rwc".into())
        );
        assert_eq!(normalise_url("postgres://h/db").expect("ok").0, Backend::Postgres);
        assert!(matches!(normalise_url("mysql://h/db"), Err(StoreError::UnsupportedUrl(_))));
    }
}
