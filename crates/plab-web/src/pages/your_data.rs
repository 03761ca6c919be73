//! "Your data": the signed-in person's export as a readable page, in plain
//! headings and tables, with the JSON download beside it.
use super::routing::{Router, get};
use super::{PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use plab_app::your_data::{self, SECTIONS};
use serde_json::{Map, Value};

pub fn routes() -> Router<AppState> {
    Router::new().route("/account/data", get(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "your_data.html")]
struct YourDataPage {
    signed_in: Option<super::Chrome>,
    exported_at: String,
    sections: Vec<Section>,
}

struct Section {
    id: &'static str,
    heading: &'static str,
    tables: Vec<Table>,
}

struct Table {
    label: String,
    caption: Option<String>,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

async fn page(State(s): State<AppState>, visitor: SignedIn) -> Result<YourDataPage, PageError> {
    let actor = visitor.actor.clone().for_changes();
    let document = your_data::export_mine(&s.store, &s.vault, &actor).await?;
    let exported_at = document["exported_at"].as_str().unwrap_or_default().to_owned();
    let sections = SECTIONS
        .iter()
        .map(|&(key, heading, order)| Section { id: key, heading, tables: tables(heading, &document[key], order) })
        .collect();
    Ok(YourDataPage { signed_in: Some(visitor.chrome()), exported_at, sections })
}

/// A field's name as a column heading: `last_sign_in_at` → "Last sign in at".
fn heading(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The scalar fields of `rows` in `order`, then any others in name order.
fn columns(rows: &[&Map<String, Value>], order: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = order
        .iter()
        .filter(|k| rows.iter().any(|r| r.get(**k).is_some_and(|v| !v.is_array() && !v.is_object())))
        .map(|k| (*k).to_owned())
        .collect();
    for r in rows {
        for (k, v) in *r {
            if !v.is_array() && !v.is_object() && !out.contains(k) {
                out.push(k.clone());
            }
        }
    }
    out
}

fn table(label: String, caption: Option<String>, rows: &[&Map<String, Value>], order: &[&str]) -> Table {
    let keys = columns(rows, order);
    Table {
        label,
        caption,
        rows: rows.iter().map(|r| keys.iter().map(|k| cell(r.get(k).unwrap_or(&Value::Null))).collect()).collect(),
        columns: keys.iter().map(|k| heading(k)).collect(),
    }
}

/// The nested lists and records of a row (an account's sign-ins, the SCIM
/// record), each as a table of its own under the row's name.
fn nested(out: &mut Vec<Table>, owner: &str, row: &Map<String, Value>) {
    for (k, v) in row {
        let label = format!("{} ({owner})", heading(k));
        match v {
            Value::Array(items) => {
                let objects: Vec<&Map<String, Value>> = items.iter().filter_map(Value::as_object).collect();
                if !objects.is_empty() {
                    out.push(table(label.clone(), Some(label), &objects, &[]));
                }
            }
            Value::Object(inner) => {
                out.push(key_values(label.clone(), Some(label), inner));
            }
            _ => {}
        }
    }
}

fn key_values(label: String, caption: Option<String>, record: &Map<String, Value>) -> Table {
    Table {
        label,
        caption,
        columns: vec!["Field".into(), "Value".into()],
        rows: record
            .iter()
            .filter(|(_, v)| !v.is_array() && !v.is_object())
            .map(|(k, v)| vec![heading(k), cell(v)])
            .collect(),
    }
}

fn tables(heading_text: &str, value: &Value, order: &[&str]) -> Vec<Table> {
    let mut out = Vec::new();
    match value {
        Value::Object(record) => {
            let mut kv = key_values(heading_text.to_owned(), None, record);
            let rank = |name: &str| order.iter().position(|k| heading(k) == name).unwrap_or(order.len());
            kv.rows.sort_by_key(|r| rank(&r[0]));
            out.push(kv);
            nested(&mut out, heading_text, record);
        }
        Value::Array(items) => {
            let rows: Vec<&Map<String, Value>> = items.iter().filter_map(Value::as_object).collect();
            if !rows.is_empty() {
                out.push(table(heading_text.to_owned(), None, &rows, order));
                for r in &rows {
                    let owner = order.first().and_then(|k| r.get(*k)).map(cell).unwrap_or_default();
                    nested(&mut out, &owner, r);
                }
            }
        }
        _ => {}
    }
    out
}
