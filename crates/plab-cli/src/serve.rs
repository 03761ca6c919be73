//! `plab serve`.
use crate::Failure;
use crate::args::ServeArgs;
use anyhow::Context;
use plab_app::{Store, demo, vault};
use std::sync::Arc;

pub async fn serve(store: &Store, args: ServeArgs) -> Result<(), Failure> {
    let vault = vault::open_for(store, &args.notes_key).await?;
    if args.demo && plab_app::programs::list(store).await?.is_empty() {
        eprintln!("empty database: building the demo organisation first…");
        let summary = demo::build(store, &vault, demo::Size::default(), demo::DEFAULT_PASSWORD).await?;
        eprintln!(
            "sign in as the sponsor {}, a leader such as {}, or a mentor such as {}; password {}",
            summary.sponsor,
            summary.leaders.first().map_or("-", String::as_str),
            summary.mentors.first().map_or("-", String::as_str),
            demo::DEFAULT_PASSWORD
        );
    }
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .map_err(|e| Failure::User(format!("--addr {}: cannot listen: {e}", args.addr)))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    eprintln!("serving on http://{addr} (API under /api/v1/, OpenAPI at /api/openapi.json); Ctrl-C stops");
    let state = plab_web::AppState::new(store.clone(), Arc::new(vault)).trusting_proxies(args.trusted_proxies.clone());
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    plab_web::serve(listener, state, shutdown).await.context("serving HTTP")?;
    Ok(())
}
