//! One form pattern for every page: a refused form comes back as the same
//! page (422), the input kept, each problem beside its field and all of them
//! in a summary at the top that links to the fields (`form_summary.html`).
use super::PageError;
use plab_app::{AppError, Problem};

/// The problems of a form that was not saved, each with its field.
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Vec<Problem>);

/// One line of the summary at the top of a refused form.
pub(crate) struct SummaryItem {
    /// The id of the field it belongs to, to link to; none for the form as a whole.
    pub field: Option<String>,
    pub text: String,
}

impl Errors {
    /// The problems with this field, as one message; empty if none.
    pub(crate) fn of(&self, field: impl AsRef<str>) -> String {
        let field = field.as_ref();
        let messages: Vec<&str> =
            self.0.iter().filter(|p| p.field.as_deref() == Some(field)).map(|p| p.message.as_str()).collect();
        messages.join("; ")
    }

    /// Problems no field of the form shows.
    pub(crate) fn other(&self, fields: &[&str]) -> Vec<String> {
        self.0.iter().filter(|p| p.field.as_deref().is_none_or(|f| !fields.contains(&f))).map(plain).collect()
    }

    /// Every problem for the summary: "Label: message" linking to the field
    /// the form shows it beside, the bare message for the others.
    pub(crate) fn summary(&self, labels: &[(&str, &str)]) -> Vec<SummaryItem> {
        self.0
            .iter()
            .map(|p| match labels.iter().find(|(f, _)| p.field.as_deref() == Some(*f)) {
                Some((field, label)) => {
                    SummaryItem { field: Some((*field).to_owned()), text: format!("{label}: {}", p.message) }
                }
                None => SummaryItem { field: None, text: plain(p) },
            })
            .collect()
    }
}

/// A problem no field shows, without the field's internal name.
fn plain(p: &Problem) -> String {
    match &p.at {
        Some(at) => format!("{at}: {}", p.message),
        None => p.message.clone(),
    }
}

/// A user's mistake comes back as the form with its problems (422);
/// anything else fails the page.
pub(crate) fn problems(e: AppError) -> Result<Errors, PageError> {
    match e {
        AppError::Invalid(problems) => Ok(Errors(problems)),
        other => Err(other.into()),
    }
}
