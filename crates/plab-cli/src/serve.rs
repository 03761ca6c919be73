//! `plab serve`.
use crate::Failure;
use crate::args::ServeArgs;
use anyhow::Context;
use plab_app::{Store, demo, mail, vault};
use std::sync::Arc;

pub async fn serve(store: &Store, args: ServeArgs) -> Result<(), Failure> {
    let vault = vault::open_for(store, &args.notes_key).await?;
    if args.demo && plab_app::programs::list(store).await?.is_empty() {
        eprintln!("empty database: building the demo organisation first…");
        let summary = demo::build(store, &vault, demo::Size::default(), demo::DEFAULT_PASSWORD).await?;
        eprintln!(
            "sign in as the sponsor {}, a leader such as {}, a mentor such as {}, or the administrator {}; password {}",
            summary.sponsor,
            summary.leaders.first().map_or("-", String::as_str),
            summary.mentors.first().map_or("-", String::as_str),
            summary.admin,
            demo::DEFAULT_PASSWORD
        );
    }
    // Bad mail or sign-in settings stop the start before anything listens.
    mail::Post::from_env("")?;
    let sso = plab_app::sso::Sso::from_env()?;
    let password_sign_in = plab_app::sso::PasswordSignIn::from_env()?;
    if let Some(sso) = &sso {
        eprintln!("single sign-on on: {} ({})", sso.issuer(), plab_app::sso::ISSUER_ENV);
    }
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .map_err(|e| Failure::User(format!("--addr {}: cannot listen: {e}", args.addr)))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    eprintln!("serving on http://{addr} (API under /api/v1/, OpenAPI at /api/openapi.json); Ctrl-C stops");
    let post = mail::Post::from_env(&format!("http://{addr}"))?;
    let vault = Arc::new(vault);
    if post.is_on() {
        eprintln!("mail on: delivering the outbox ({})", mail::SMTP_URL_ENV);
        tokio::spawn(deliver_forever(store.clone(), vault.clone(), post.clone()));
    }
    tokio::spawn(retention_daily(store.clone()));
    let state = plab_web::AppState::new(store.clone(), vault)
        .with_post(post)
        .with_sign_in(sso, password_sign_in)
        .trusting_proxies(args.trusted_proxies.clone());
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    plab_web::serve(listener, state, shutdown).await.context("serving HTTP")?;
    Ok(())
}

/// Every few seconds: writes the reminders, check-in notices and digests
/// that came due, then delivers what is due in the outbox. A failed round
/// (the database away) is logged and tried again; it never stops the server.
async fn deliver_forever(store: Store, vault: Arc<plab_app::vault::Vault>, post: mail::Post) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    let mut last_scan: Option<std::time::Instant> = None;
    loop {
        tick.tick().await;
        let now = time::OffsetDateTime::now_utc();
        if last_scan.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(60)) {
            last_scan = Some(std::time::Instant::now());
            if let Err(e) = plab_app::notices::enqueue_due(&store, &vault, &post, now).await {
                tracing::error!("writing reminders and digests: {e}");
            }
        }
        if let Err(e) = mail::deliver_due(&store, &vault, &post, now).await {
            tracing::error!("delivering mail: {e}");
        }
    }
}

/// Destroys what retention has made due (`plab retention run`): once at
/// start, then every day. A failed round is logged and tried again the next
/// day; it never stops the server.
async fn retention_daily(store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        tick.tick().await;
        let today = plab_domain::Date::of_instant(time::OffsetDateTime::now_utc());
        match plab_app::retention::run(&store, today, false).await {
            Ok(done) => {
                for p in done {
                    let total: i64 = p.destroyed.values().sum();
                    tracing::info!("retention: destroyed {total} private records of program {}", p.program);
                }
            }
            Err(e) => tracing::error!("running retention: {e}"),
        }
    }
}
