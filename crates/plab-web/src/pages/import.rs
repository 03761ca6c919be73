//! Uploading the people CSV from the browser, with the CLI's validation and its
//! errors listed per line.
use super::routing::{Router, get};
use super::{PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plab_app::{AppError, people, people_file};

/// An organisation of 100,000 people is about 20 MB of CSV.
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people/import", get(form).post(upload))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
struct ImportPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    imported: Option<String>,
    /// How the file was read (delimiter, encoding, line endings, renamed columns).
    format: Option<String>,
    problems: Vec<String>,
}

fn page(visitor: &SignedIn, imported: Option<String>, format: Option<String>, problems: Vec<String>) -> ImportPage {
    ImportPage { signed_in: Some(visitor.chrome()), csrf: visitor.csrf.clone(), imported, format, problems }
}

async fn form(State(s): State<AppState>, visitor: SignedIn) -> Result<ImportPage, PageError> {
    plab_app::access::importer(&s.store, &visitor.actor).await?;
    Ok(page(&visitor, None, None, Vec::new()))
}

fn bad_upload(e: impl std::fmt::Display) -> PageError {
    PageError::Status(StatusCode::BAD_REQUEST, format!("the upload could not be read: {e}"))
}

async fn upload(State(s): State<AppState>, visitor: SignedIn, mut multipart: Multipart) -> Result<Response, PageError> {
    // Refuse before reading up to 64 MiB on behalf of someone who may not import.
    plab_app::access::importer(&s.store, &visitor.actor).await?;
    let (mut csrf, mut file, mut action) = (String::new(), None, String::new());
    let mut options = people_file::ReadOptions::default();
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(bad_upload)?,
            Some("action") => action = field.text().await.map_err(bad_upload)?,
            Some("encoding") => {
                options.encoding = Some(field.text().await.map_err(bad_upload)?).filter(|e| !e.trim().is_empty())
            }
            Some("map") => {
                let text = field.text().await.map_err(bad_upload)?;
                options.map = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.csv").to_owned();
                file = Some((name, field.bytes().await.map_err(bad_upload)?));
            }
            _ => {}
        }
    }
    visitor.check_csrf(&csrf)?;
    let (name, bytes) = file.ok_or_else(|| PageError::Status(StatusCode::BAD_REQUEST, "choose a CSV file".into()))?;
    let write = action != "check";
    match people::import_as(&s.store, &visitor.actor, &name, bytes.as_ref(), &options, write).await {
        Ok(imported) => {
            let (n, new, updated) = (
                imported.summary.inserted + imported.summary.updated,
                imported.summary.inserted,
                imported.summary.updated,
            );
            let done = if imported.written {
                format!("Imported {n} people ({new} new, {updated} updated).")
            } else {
                format!(
                    "The file is valid: importing it would add {new} people and update {updated}. Nothing was written."
                )
            };
            Ok(page(&visitor, Some(done), Some(imported.format.describe()), Vec::new()).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let lines = problems.iter().map(ToString::to_string).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&visitor, None, None, lines)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
