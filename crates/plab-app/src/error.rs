use plab_domain::person::FieldError;
use plab_store::StoreError;
use std::fmt;

/// One thing wrong with the user's input, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// Where: `FILE:LINE`, `line N`, or an id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Problem {
        Problem { at: None, field: None, message: message.into() }
    }
    pub fn at(mut self, at: impl Into<String>) -> Problem {
        self.at = Some(at.into());
        self
    }
    pub fn field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }
}

/// A domain rule's verdict on one field becomes a problem naming that field.
impl From<FieldError> for Problem {
    fn from(e: FieldError) -> Problem {
        Problem::new(e.message).field(e.field)
    }
}

/// Every field at fault, as one user error.
impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> AppError {
        AppError::Invalid(errors.into_iter().map(Problem::from).collect())
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> AppError {
        AppError::invalid(e.into())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.at {
            write!(f, "{at}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The user's input is wrong; nothing was written.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
    #[error("{what} '{id}' was not found")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    /// No valid credentials.
    #[error("sign in first")]
    Unauthorized,
    /// Too many failed sign-ins for this e-mail; try again later.
    #[error("too many failed sign-ins: wait 15 minutes and try again")]
    TooManyAttempts,
    /// Every password hasher is busy (a flood of sign-ins); try again shortly.
    #[error("the server is busy checking passwords: try again in a moment")]
    Busy,
    /// Signed in, but this is not theirs to see or do.
    #[error("{0}")]
    Forbidden(String),
    /// Not the user's fault: the database failed.
    #[error(transparent)]
    Internal(StoreError),
    /// Not the user's fault either: a computation or stored value that should not fail did.
    #[error("{0}")]
    Fault(String),
}

impl AppError {
    pub fn invalid(problem: Problem) -> AppError {
        AppError::Invalid(vec![problem])
    }

    /// True when the user can fix it (exit 2, HTTP 4xx).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, AppError::Internal(_) | AppError::Fault(_))
    }
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound { what, id } => AppError::NotFound { what, id },
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::UnsupportedUrl(u) => AppError::invalid(Problem::new(format!(
                "unsupported database URL '{u}': use sqlite://PATH or postgres://…"
            ))),
            other => AppError::Internal(other),
        }
    }
}

/// Every engine error is about the input (an unknown id, an impossible pin).
impl From<plab_engine::MatchError> for AppError {
    fn from(e: plab_engine::MatchError) -> AppError {
        AppError::invalid(Problem::new(e.to_string()))
    }
}
