//! The `plab` binary's integration tests, one binary: the commands as users'
//! scripts see them, and `plab serve` as a process.

/// Runs each named `fn NAME(db: TestDb)` on SQLite and on PostgreSQL as the
/// tests `…::sqlite::NAME` and `…::postgres::NAME`, so a PostgreSQL failure
/// shows its own name. Without `PLAB_TEST_POSTGRES_URL` (when built) the PostgreSQL ones
/// are ignored, and say why; under CI a missing URL fails them.
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(plab_store::testing::TestDb::sqlite());
            })*
        }
        mod postgres {
            $(#[test]
            #[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
            fn $name() {
                if let Some(db) = plab_store::testing::TestDb::postgres() {
                    super::$name(db);
                }
            })*
        }
    };
}
pub(crate) use backends;

mod backup;
mod commands;
mod erasure;
mod life;
mod mail;
mod office;
mod person;
mod retention;
mod roles;
mod serve;
