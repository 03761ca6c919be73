//! The build script of every crate with PostgreSQL tests (plab-store, -app,
//! -web, -cli: `build = "../../build/postgres_tests.rs"`). PostgreSQL tests
//! run only when `PLAB_TEST_POSTGRES_URL` names a server; without it they are compiled as ignored, so `cargo test` says so instead of
//! passing them silently. Under CI (`CI` set) they always run, so a missing
//! URL fails them rather than hiding them.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(plab_postgres)");
    println!("cargo::rerun-if-env-changed=PLAB_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-changed=../../build/postgres_tests.rs");
    if std::env::var_os("PLAB_TEST_POSTGRES_URL").is_some() || std::env::var_os("CI").is_some() {
        println!("cargo::rustc-cfg=plab_postgres");
    }
}
