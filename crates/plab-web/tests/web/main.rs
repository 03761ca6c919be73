//! The web app's integration tests, one binary: the API, the pages, the
//! sessions, the mentors' perspectives, the role-by-route matrices and the
//! attacks against a running server. Each test runs on SQLite and on
//! PostgreSQL under its own name (`…::sqlite::NAME`, `…::postgres::NAME`).

/// Runs each named `async fn NAME(app: App)` on a fresh app over SQLite and
/// over PostgreSQL, as the tests `…::sqlite::NAME` and `…::postgres::NAME`.
/// Without `PLAB_TEST_POSTGRES_URL` (when built) the PostgreSQL ones are
/// ignored, and say why; under CI a missing URL fails them.
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                $crate::common::run(Some(plab_store::testing::TestDb::sqlite()), super::$name);
            })*
        }
        mod postgres {
            $(#[test]
            #[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
            fn $name() {
                $crate::common::run(plab_store::testing::TestDb::postgres(), super::$name);
            })*
        }
    };
}
pub(crate) use backends;

mod adversary;
mod api;
mod attacks;
mod audit;
mod cache;
mod common;
mod concerns;
mod encoding;
mod erasure;
mod exports;
mod fit;
mod forms;
mod home;
mod invitations;
mod life;
mod life_pages;
mod mail;
mod measure;
mod mentor_outcomes;
mod office;
mod page_matrix;
mod pages;
mod pairing_control;
mod perspectives;
mod report;
mod retention;
mod roles;
mod rosters;
mod scim;
mod selfassessment;
mod session_changes;
mod sessions;
mod sessions_missed;
mod setup;
mod sso;
mod trust;
mod your_data;
mod zones;
