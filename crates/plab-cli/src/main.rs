//! `plab`: the command line of Perspective Lab. Parses arguments, calls one
//! application service, prints the result; exit 2 for the user's mistakes.
#![forbid(unsafe_code)]

mod admin;
mod args;
mod backup;
mod commands;
mod life;
mod office;
mod output;
mod pairing;
mod person;
mod progress;
mod report;
mod retention;
mod scim;
mod serve;
mod user;

use clap::Parser;
use plab_app::AppError;
use std::process::ExitCode;

/// Why a command failed, and so which exit status it gets.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage or bad input: exit 2, nothing written.
    User(String),
    /// Anything else: exit 1.
    Internal(anyhow::Error),
    /// Whoever read our output went away (`plab export people | head`): stop quietly.
    Quiet,
}

impl Failure {
    pub fn from_io(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe { Failure::Quiet } else { Failure::Internal(e.into()) }
    }
}

/// `println!` that stops quietly when stdout is closed instead of panicking.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err($crate::Failure::from_io)?
    }};
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        if e.is_user_error() { Failure::User(e.to_string()) } else { Failure::Internal(e.into()) }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Internal(e)
    }
}

/// Logs go to stderr (stdout is the command's output), filtered by `RUST_LOG`;
/// by default `plab serve` logs one line per request and every fault.
fn init_logs() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,plab_web=info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).init();
}

fn main() -> ExitCode {
    init_logs();
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::User(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Quiet) => ExitCode::SUCCESS,
        Err(Failure::Internal(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
