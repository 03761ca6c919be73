//! The engine's integration tests, one binary: bad input, the hard rules,
//! optimality against brute force, and the kinds of pairing.
mod bad_input;
mod common;
mod hard_rules;
mod optimality;
mod pairing_kinds;
