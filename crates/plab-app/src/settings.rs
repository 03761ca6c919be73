//! The instance's settings: anyone may read them (the sign-in page shows the
//! name), only administrators and the operator at the machine change them.
//! Fields are named by dotted paths (`program_defaults.sessions`) everywhere:
//! in the form, in `plab settings set`, and in error messages.
//!
//! The group-size floor is not one of them: it bounds what sponsors may read,
//! so only the operator at the machine changes it (`plab settings set
//! group_size_floor N`, audited with the old and new value); no page or API
//! route writes it, and no program's `min_group_size` goes below it.
use crate::accounts::Actor;
use crate::{AppError, Problem};
use plab_domain::instance::{InstanceSettings, SettingError};
use plab_domain::program::GroupSizeFloor;
use plab_store::Store;
use serde_json::Value;

pub async fn get(store: &Store) -> Result<InstanceSettings, AppError> {
    Ok(store.instance_settings().await?)
}

/// The instance's name for every page's header, kept in memory while the
/// settings are unchanged (see `Store::remember`).
pub async fn instance_name(store: &Store, seen: Option<plab_store::Revision>) -> Result<String, AppError> {
    let fresh_for = std::time::Duration::from_secs(3600);
    let settings = store.remember(seen, "instance_settings", 0, fresh_for, get(store)).await?;
    Ok(settings.instance_name.clone())
}

/// The settings, for an administrator's screen.
pub async fn get_as(store: &Store, actor: &Actor) -> Result<InstanceSettings, AppError> {
    crate::access::admin(actor)?;
    get(store).await
}

/// Replaces the settings as a signed-in administrator.
pub async fn update_as(store: &Store, actor: &Actor, new: InstanceSettings) -> Result<InstanceSettings, AppError> {
    crate::access::admin(actor)?;
    update(store, new, &actor.email).await
}

/// Replaces the settings; every bad field is reported and nothing is written.
/// The audit log names the changed fields, never their values.
pub async fn update(store: &Store, new: InstanceSettings, by: &str) -> Result<InstanceSettings, AppError> {
    let mut new = new.parse().map_err(problems)?;
    new.concern_contact = concern_contact(store, &new.concern_contact).await?;
    let floor = group_size_floor(store).await?;
    if let Err(e) = new.program_defaults.check_floor(floor) {
        return Err(AppError::invalid(Problem::new(e.message).field(format!("program_defaults.{}", e.field))));
    }
    let old = get(store).await?;
    let changed = changed_fields(&old, &new);
    if !changed.is_empty() {
        store.save_instance_settings(&new).await?;
        store.audit(by, "settings.update", "instance", &format!("changed: {}", changed.join(", "))).await?;
    }
    Ok(new)
}

/// The named contact for concerns as an employee id: an id the directory
/// knows, or someone's directory address; empty stays empty.
async fn concern_contact(store: &Store, raw: &str) -> Result<String, AppError> {
    if raw.is_empty() {
        return Ok(String::new());
    }
    let keys = store.directory_keys().await?;
    let found = keys.iter().find(|(id, _, _)| id == raw).or_else(|| {
        raw.contains('@').then(|| keys.iter().find(|(_, _, email)| email.eq_ignore_ascii_case(raw))).flatten()
    });
    found.map(|(id, _, _)| id.clone()).ok_or_else(|| {
        AppError::invalid(
            Problem::new(format!(
                "'{raw}' is not someone in the directory: enter their employee id or their work e-mail address"
            ))
            .field("concern_contact"),
        )
    })
}

/// The path `plab settings set` takes for the floor.
pub const GROUP_SIZE_FLOOR: &str = "group_size_floor";

/// The smallest group any sponsor-facing average covers on this instance.
pub async fn group_size_floor(store: &Store) -> Result<GroupSizeFloor, AppError> {
    Ok(store.group_size_floor().await?)
}

/// Changes the floor, as the operator at the machine (the CLI only: no
/// service an administrator's browser reaches calls this). Raising it lifts
/// `program_defaults.min_group_size` with it; programs already open keep
/// their setting but are read at the floor (`ProgramSettings::group_size`).
pub async fn set_group_size_floor(store: &Store, raw: &str, by: &str) -> Result<GroupSizeFloor, AppError> {
    let new = GroupSizeFloor::parse(raw).map_err(|e| AppError::invalid(Problem::new(e.message).field(e.field)))?;
    let old = group_size_floor(store).await?;
    if new == old {
        return Ok(new);
    }
    store.set_group_size_floor(new).await?;
    store.audit(by, "settings.group_size_floor", "instance", &format!("group_size_floor: {old} -> {new}")).await?;
    let mut settings = get(store).await?;
    if settings.program_defaults.min_group_size < new.get() {
        settings.program_defaults.min_group_size = new.get();
        update(store, settings, by).await?;
    }
    Ok(new)
}

fn problems(errors: Vec<SettingError>) -> AppError {
    AppError::Invalid(errors.into_iter().map(|e| Problem::new(e.message).field(e.field)).collect())
}

/// `current` with each `(path, text)` applied. Text goes into a text setting
/// as it is and is read as JSON (a number, a list) for any other; every field
/// that does not fit is reported with its path.
pub fn with_fields(current: &InstanceSettings, fields: &[(&str, &str)]) -> Result<InstanceSettings, AppError> {
    let mut value = to_value(current);
    let mut errors = Vec::new();
    for (path, text) in fields {
        let mut candidate = value.clone();
        let Some(slot) = slot(&mut candidate, path) else {
            errors.push(Problem::new(format!("is not a setting; one of: {}", paths(current).join(", "))).field(*path));
            continue;
        };
        *slot = match slot {
            Value::String(_) => Value::String((*text).to_owned()),
            _ => match serde_json::from_str(text.trim()) {
                Ok(v) => v,
                Err(_) => {
                    errors.push(Problem::new(format!("'{text}' is not {}", kind(slot))).field(*path));
                    continue;
                }
            },
        };
        match serde_json::from_value::<InstanceSettings>(candidate.clone()) {
            Ok(_) => value = candidate,
            Err(e) => errors.push(Problem::new(format!("'{text}' does not fit: {e}")).field(*path)),
        }
    }
    if !errors.is_empty() {
        // Also name what the fields that did fit break, so the form shows every problem at once.
        if let Ok(partial) = serde_json::from_value::<InstanceSettings>(value)
            && let Err(rules) = partial.parse()
        {
            let reported = |field: &str| errors.iter().any(|p| p.field.as_deref() == Some(field));
            let more: Vec<Problem> = rules
                .into_iter()
                .filter(|e| !reported(&e.field))
                .map(|e| Problem::new(e.message).field(e.field))
                .collect();
            errors.extend(more);
        }
        return Err(AppError::Invalid(errors));
    }
    serde_json::from_value(value).map_err(|e| AppError::invalid(Problem::new(e.to_string())))
}

/// Sets one field as the operator at the machine (`plab settings set`).
pub async fn set_field(store: &Store, path: &str, text: &str, by: &str) -> Result<InstanceSettings, AppError> {
    let new = with_fields(&get(store).await?, &[(path, text)])?;
    update(store, new, by).await
}

/// Every setting's dotted path with its value as text, sorted by path.
pub fn fields(settings: &InstanceSettings) -> Vec<(String, String)> {
    let mut out = Vec::new();
    flatten("", &to_value(settings), &mut out);
    out
}

fn paths(settings: &InstanceSettings) -> Vec<String> {
    fields(settings).into_iter().map(|(path, _)| path).collect()
}

fn changed_fields(old: &InstanceSettings, new: &InstanceSettings) -> Vec<String> {
    fields(old).into_iter().zip(fields(new)).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0).collect()
}

fn to_value(settings: &InstanceSettings) -> Value {
    serde_json::to_value(settings).unwrap_or(Value::Null)
}

/// Objects are walked into; anything else (text, numbers, lists) is one field.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, v, out);
            }
        }
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

fn slot<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut here = value;
    for key in path.split('.') {
        here = here.as_object_mut()?.get_mut(key)?;
    }
    (!here.is_object()).then_some(here)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Number(_) => "a number",
        Value::Array(_) => "a JSON list, e.g. [[\"Sales\", \"Customer Support\"]]",
        _ => "valid JSON",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_by_dotted_paths() {
        let fields = fields(&InstanceSettings::default());
        let find = |p: &str| fields.iter().find(|(path, _)| path == p).map(|(_, v)| v.as_str());
        assert_eq!(find("instance_name"), Some("Perspective Lab"));
        assert_eq!(find("program_defaults.sessions"), Some("6"));
        assert_eq!(find("program_defaults.pairing_weights.topic"), Some("1.0"));
        assert_eq!(find("program_defaults"), None, "objects are walked into");
    }

    #[test]
    fn text_and_numbers_are_applied_by_path() {
        let s = with_fields(
            &InstanceSettings::default(),
            &[("instance_name", "42"), ("program_defaults.sessions", " 8 "), ("session_hours", "12")],
        )
        .expect("applies");
        assert_eq!((s.instance_name.as_str(), s.program_defaults.sessions, s.session_hours), ("42", 8, 12));
    }

    #[test]
    fn every_field_that_does_not_fit_is_named() {
        let err = with_fields(
            &InstanceSettings::default(),
            &[
                ("session_hours", "many"),
                ("program_defaults.sessions", "-1"),
                ("colour", "blue"),
                ("program_defaults", "{}"),
            ],
        )
        .expect_err("invalid");
        let AppError::Invalid(problems) = err else { panic!("not invalid: {err}") };
        let fields: Vec<_> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
        assert_eq!(fields, ["session_hours", "program_defaults.sessions", "colour", "program_defaults"]);
    }

    #[test]
    fn only_changed_field_names_are_listed() {
        let old = InstanceSettings::default();
        let new = InstanceSettings { session_hours: 1, ..InstanceSettings::default() };
        assert_eq!(changed_fields(&old, &new), ["session_hours"]);
    }
}
