//! The Perspective Lab domain: the types and protocol rules of a reverse-mentoring
//! program. Nothing here performs I/O; the store, the engine and the web layer
//! build on these types.
#![forbid(unsafe_code)]

pub mod asymmetry;
pub mod charter;
pub mod checkin;
pub mod coach;
pub mod commitment;
pub mod concern;
pub mod date;
pub mod fit;
pub mod ids;
pub mod insight;
pub mod instance;
pub mod life;
pub mod org;
pub mod outcomes;
pub mod pair;
pub mod person;
pub mod perspective;
pub mod program;
pub mod question;
pub mod selfassessment;
pub mod series;
pub mod session;
pub mod signals;
pub mod theme;
pub mod timer;
pub mod triage;
pub mod why;
pub mod words;
pub mod zone;

pub use date::Date;
pub use ids::{PairId, ProgramId, SessionId};
pub use theme::Theme;
