//! PATCH (RFC 7644 §3.5.2): `add`, `replace` and `remove`, with or without a
//! path, applied to the User as it reads now; the result is then validated
//! like a PUT. Operation names are case-insensitive (Entra ID sends
//! `"Replace"`). Attributes this server does not publish are ignored, as in
//! a POST, so that a provider's wider mapping does not stop provisioning.
use super::filter::strip_ci;
use super::resource::{canonical_value, extension, locate};
use super::{PATCH_SCHEMA, ScimError, USER_SCHEMA};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Where an operation points.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    urn: Option<&'static str>,
    /// Empty for a whole extension.
    attr: &'static str,
    subs: &'static [&'static str],
    /// `[sub eq "value"]` on a multi-valued attribute.
    filter: Option<(String, String)>,
    sub: Option<String>,
}

/// Applies a PatchOp request to `doc`.
pub fn apply(doc: &mut Map<String, Value>, request: &Value) -> Result<(), ScimError> {
    let Value::Object(body) = request else {
        return Err(ScimError::invalid_syntax("the body must be a JSON object (a PatchOp)"));
    };
    let listed = body.get("schemas").and_then(Value::as_array);
    if !listed.is_some_and(|l| l.iter().any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(PATCH_SCHEMA)))) {
        return Err(ScimError::invalid_syntax(format!("schemas: must list \"{PATCH_SCHEMA}\"")));
    }
    let ops = body
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Operations"))
        .and_then(|(_, v)| v.as_array())
        .filter(|o| !o.is_empty())
        .ok_or_else(|| ScimError::invalid_syntax("Operations: must list at least one operation"))?;
    for (i, operation) in ops.iter().enumerate() {
        let field =
            |name: &str| operation.as_object().and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)));
        let op = match field("op").and_then(|(_, v)| v.as_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("add") => Op::Add,
            Some("replace") => Op::Replace,
            Some("remove") => Op::Remove,
            _ => {
                return Err(ScimError::invalid_syntax(format!(
                    "Operations[{i}].op: must be \"add\", \"replace\" or \"remove\""
                )));
            }
        };
        let value = field("value").map(|(_, v)| v.clone()).unwrap_or(Value::Null);
        match field("path").and_then(|(_, v)| v.as_str()).map(str::trim).filter(|p| !p.is_empty()) {
            Some(path) => apply_at(doc, op, path, value)?,
            None if op == Op::Remove => {
                return Err(ScimError::no_target(format!("Operations[{i}]: a remove needs a path")));
            }
            None => {
                let Value::Object(attrs) = value else {
                    return Err(ScimError::invalid_value(format!(
                        "Operations[{i}].value: without a path it must be an object of attributes"
                    )));
                };
                for (key, v) in attrs {
                    apply_at(doc, op, &key, v)?;
                }
            }
        }
    }
    Ok(())
}

fn apply_at(doc: &mut Map<String, Value>, op: Op, path: &str, value: Value) -> Result<(), ScimError> {
    if path.eq_ignore_ascii_case("id") || path.eq_ignore_ascii_case("meta") || path.eq_ignore_ascii_case("schemas") {
        return Err(ScimError::mutability(format!("{path}: is read-only")));
    }
    if let Some(urn) = extension(path) {
        if op == Op::Remove {
            doc.remove(urn);
            return Ok(());
        }
        let Value::Object(attrs) = value else {
            return Err(ScimError::invalid_value(format!("{urn}: the value must be an object of attributes")));
        };
        for (key, v) in attrs {
            apply_at(doc, op, &format!("{urn}:{key}"), v)?;
        }
        return Ok(());
    }
    let Some(target) = parse_path(path)? else { return Ok(()) };
    let container = match target.urn {
        None => doc,
        Some(urn) => {
            let slot = doc.entry(urn.to_owned()).or_insert_with(|| json!({}));
            if !slot.is_object() {
                *slot = json!({});
            }
            slot.as_object_mut().expect("an object")
        }
    };
    change(container, op, &target, value)
}

fn change(container: &mut Map<String, Value>, op: Op, t: &Target, value: Value) -> Result<(), ScimError> {
    let multi = matches!(t.attr, "emails" | "perspectives");
    let value = if t.sub.is_none() { canonical_value(t.subs, &value) } else { value };
    match (&t.filter, &t.sub, op) {
        (None, None, Op::Remove) => {
            container.remove(t.attr);
        }
        (None, None, Op::Add) if multi => {
            let items = container.entry(t.attr).or_insert_with(|| json!([]));
            if !items.is_array() {
                *items = json!([]);
            }
            let list = items.as_array_mut().expect("a list");
            match value {
                Value::Array(new) => list.extend(new),
                Value::Null => {}
                one => list.push(one),
            }
        }
        (None, None, _) if multi => {
            container.insert(t.attr.to_owned(), if value.is_array() { value } else { json!([value]) });
        }
        (None, None, _) => match (container.get_mut(t.attr), value) {
            (Some(Value::Object(old)), Value::Object(new)) => old.extend(new),
            (_, Value::Null) => {
                container.remove(t.attr);
            }
            (_, new) => {
                container.insert(t.attr.to_owned(), new);
            }
        },
        (None, Some(sub), _) => {
            let slot = container.entry(t.attr).or_insert_with(|| json!({}));
            match (slot, op) {
                (Value::Object(o), Op::Remove) => {
                    o.remove(sub.as_str());
                }
                (Value::Object(o), _) => {
                    o.insert(sub.clone(), value);
                }
                (Value::Array(items), _) => {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        if op == Op::Remove {
                            item.remove(sub.as_str());
                        } else {
                            item.insert(sub.clone(), value.clone());
                        }
                    }
                }
                (slot, _) => *slot = json!({ sub.clone(): value }),
            }
        }
        (Some((fsub, fval)), sub, _) => {
            let items = container.entry(t.attr).or_insert_with(|| json!([]));
            if !items.is_array() {
                *items = json!([]);
            }
            let list = items.as_array_mut().expect("a list");
            let matches = |item: &Value| {
                item.get(fsub.as_str()).is_some_and(|v| match v {
                    Value::String(s) => s.eq_ignore_ascii_case(fval),
                    other => other.to_string().eq_ignore_ascii_case(fval),
                })
            };
            if op == Op::Remove {
                match sub {
                    None => list.retain(|i| !matches(i)),
                    Some(sub) => {
                        list.iter_mut().filter(|i| matches(i)).filter_map(Value::as_object_mut).for_each(|o| {
                            o.remove(sub.as_str());
                        })
                    }
                }
                if list.is_empty() {
                    container.remove(t.attr);
                }
                return Ok(());
            }
            let new = match sub {
                Some(sub) => json!({ sub.clone(): value }),
                None => value,
            };
            let Value::Object(new) = new else {
                return Err(ScimError::invalid_value(format!("{}: the value must be an object", t.attr)));
            };
            let mut found = false;
            for item in list.iter_mut().filter(|i| matches(i)).filter_map(Value::as_object_mut) {
                item.extend(new.clone());
                found = true;
            }
            if !found {
                let mut item = Map::new();
                item.insert(fsub.clone(), json!(fval));
                item.extend(new);
                list.push(Value::Object(item));
            }
        }
    }
    Ok(())
}

/// `[URN:]attr[[sub eq "v"]][.sub]`; `None` for an attribute this server does not publish.
fn parse_path(raw: &str) -> Result<Option<Target>, ScimError> {
    let bad = || ScimError::invalid_path(format!("'{raw}' is not an attribute path we understand"));
    let core = strip_ci(raw, USER_SCHEMA).and_then(|r| r.strip_prefix(':'));
    let (qualified, rest) = split_urn(core.unwrap_or(raw));
    let (head, filter, sub) = match rest.split_once('[') {
        Some((head, tail)) => {
            let (inside, after) = tail.split_once(']').ok_or_else(bad)?;
            let mut words = inside.trim().splitn(3, char::is_whitespace);
            let (fsub, op, fval) = (words.next(), words.next(), words.next());
            let (Some(fsub), Some(op), Some(fval)) = (fsub, op, fval) else { return Err(bad()) };
            if !op.eq_ignore_ascii_case("eq") {
                return Err(ScimError::invalid_filter(format!("'{raw}': only eq is supported in a path filter")));
            }
            let fval: String = serde_json::from_str(fval.trim()).map_err(|_| bad())?;
            let sub = match after.strip_prefix('.') {
                Some(s) => Some(s.to_owned()),
                None if after.is_empty() => None,
                None => return Err(bad()),
            };
            (head, Some((fsub.to_owned(), fval)), sub)
        }
        None => match rest.split_once('.') {
            Some((head, sub)) => (head, None, Some(sub.to_owned())),
            None => (rest, None, None),
        },
    };
    let name = match qualified {
        Some(urn) => format!("{urn}:{head}"),
        None => head.to_owned(),
    };
    let Some((urn, attr, subs)) = locate(&name) else { return Ok(None) };
    let canonical_sub = |s: &str| subs.iter().find(|c| c.eq_ignore_ascii_case(s)).map(|c| (*c).to_owned());
    let filter = match filter {
        Some((fsub, fval)) => Some((canonical_sub(&fsub).ok_or_else(bad)?, fval)),
        None => None,
    };
    let sub = match sub {
        Some(s) => match canonical_sub(&s) {
            Some(c) => Some(c),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(Some(Target { urn, attr, subs, filter, sub }))
}

/// An extension URN at the start of a path, and the rest after its `:`.
fn split_urn(path: &str) -> (Option<&'static str>, &str) {
    for urn in [super::ENTERPRISE_SCHEMA, super::PERSON_SCHEMA] {
        if let Some(rest) = strip_ci(path, urn).and_then(|r| r.strip_prefix(':')) {
            return (Some(urn), rest);
        }
    }
    (None, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::ENTERPRISE_SCHEMA;

    fn patch(doc: &mut Map<String, Value>, ops: Value) -> Result<(), ScimError> {
        apply(doc, &json!({ "schemas": [PATCH_SCHEMA], "Operations": ops }))
    }

    fn doc() -> Map<String, Value> {
        json!({
            "userName": "a@x.io",
            "active": true,
            "emails": [{ "value": "a@x.io", "type": "work", "primary": true }],
            "name": { "givenName": "Ann", "familyName": "Lee" },
            ENTERPRISE_SCHEMA: { "employeeNumber": "E1", "department": "Ops" },
        })
        .as_object()
        .cloned()
        .expect("object")
    }

    #[test]
    fn okta_deactivates_with_a_pathless_replace() {
        let mut d = doc();
        patch(&mut d, json!([{ "op": "replace", "value": { "active": false } }])).expect("ok");
        assert_eq!(d["active"], false);
    }

    #[test]
    fn entra_sends_capitalised_ops_string_booleans_and_qualified_paths() {
        let mut d = doc();
        patch(
            &mut d,
            json!([
                { "op": "Replace", "path": "active", "value": "False" },
                { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "b@x.io" },
                { "op": "Add", "path": format!("{ENTERPRISE_SCHEMA}:manager"), "value": "M1" },
                { "op": "Replace", "path": format!("{ENTERPRISE_SCHEMA}:department"), "value": "Sales" },
                { "op": "Add", "path": "phoneNumbers[type eq \"mobile\"].value", "value": "123" },
            ]),
        )
        .expect("ok");
        assert_eq!(d["active"], "False");
        assert_eq!(d["emails"][0]["value"], "b@x.io");
        assert_eq!(d[ENTERPRISE_SCHEMA]["manager"], "M1");
        assert_eq!(d[ENTERPRISE_SCHEMA]["department"], "Sales");
        assert!(!d.contains_key("phoneNumbers"));
    }

    #[test]
    fn sub_attributes_are_added_replaced_and_removed() {
        let mut d = doc();
        patch(
            &mut d,
            json!([
                { "op": "add", "path": "name.givenName", "value": "Anna" },
                { "op": "remove", "path": "name.familyName" },
                { "op": "add", "path": "emails", "value": [{ "value": "h@x.io", "type": "home" }] },
                { "op": "remove", "path": "emails[type eq \"home\"]" },
                { "op": "add", "value": { "title": "Boss" } },
            ]),
        )
        .expect("ok");
        assert_eq!(d["name"], json!({ "givenName": "Anna" }));
        assert_eq!(d["emails"].as_array().map(Vec::len), Some(1));
        assert_eq!(d["title"], "Boss");
    }

    #[test]
    fn read_only_and_malformed_operations_are_refused() {
        let mut d = doc();
        let e = patch(&mut d, json!([{ "op": "replace", "path": "id", "value": "X" }])).expect_err("id");
        assert_eq!(e.scim_type, Some("mutability"));
        let e = patch(&mut d, json!([{ "op": "move", "path": "title" }])).expect_err("op");
        assert_eq!(e.scim_type, Some("invalidSyntax"));
        let e = patch(&mut d, json!([{ "op": "remove" }])).expect_err("no path");
        assert_eq!(e.scim_type, Some("noTarget"));
        let e = apply(&mut d, &json!({ "Operations": [] })).expect_err("no schema");
        assert_eq!(e.scim_type, Some("invalidSyntax"));
    }
}
