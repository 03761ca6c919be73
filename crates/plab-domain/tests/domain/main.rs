//! The domain's integration tests, one binary: the coach on its labelled
//! fixtures and on adversarial input.
mod coach_fixture;
mod coach_robustness;
