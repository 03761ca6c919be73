//! Application services: each function is one thing a sponsor, leader or
//! operator does. The CLI and the web app call these; they call the domain
//! rules, the engine and the store.
#![forbid(unsafe_code)]

pub mod access;
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod changes;
pub mod commitments;
pub mod concerns;
mod csv_cell;
pub mod demo;
pub mod disclosure;
pub mod erasure;
mod error;
pub mod first_steps;
pub mod fit;
pub mod home;
mod ical;
pub mod invitations;
pub mod key_rotation;
pub mod lab;
pub mod life;
pub mod mail;
pub mod measure;
pub mod notices;
pub mod office;
mod outcomes;
pub mod pairing;
pub mod people;
pub mod people_file;
pub mod programs;
pub mod report;
pub mod retention;
pub mod scim;
pub mod selfassessment;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod signals;
pub mod sso;
pub mod triage;
pub mod vault;
mod views;
pub mod why;
pub mod your_data;

pub use error::{AppError, Problem};
pub use plab_store::Store;

/// `text` as one URL path segment or query value: RFC 3986's unreserved
/// characters as they are, every other byte percent-encoded.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
