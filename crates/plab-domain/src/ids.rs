//! Typed ids of what the store keeps, so a pair's id cannot be passed where a
//! session's is meant. A person's id is their `EmployeeId` (`person.rs`).
use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id!(
    /// A program (a cohort with its own settings and dates).
    ProgramId
);
id!(
    /// A pair: one leader and one mentor in a program.
    PairId
);
id!(
    /// One of a pair's sessions.
    SessionId
);
