//! A SCIM User (RFC 7643 §4.1) and a directory person, both ways. The
//! directory is the truth for what it holds (name, e-mail, department,
//! manager, level, hire date, title, time zone, perspectives, leave date);
//! the rest of what a provider wrote (given and family name, the e-mails'
//! types, display name) is kept as it was written and read back.
use super::filter::strip_ci;
use super::{ENTERPRISE_SCHEMA, PERSON_SCHEMA, ScimError, USER_SCHEMA};
use plab_domain::Date;
use plab_domain::person::{Email, FieldError, Level, Person, RawPerson};
use plab_store::ScimPerson;
use serde_json::{Map, Value, json};

/// The attributes of each schema we publish, in their canonical case, with
/// their sub-attributes. Anything else a provider sends is ignored.
/// A schema's attributes: each name with its sub-attributes.
pub(super) type Attributes = &'static [(&'static str, &'static [&'static str])];

pub(super) const CORE: Attributes = &[
    ("userName", &[]),
    ("externalId", &[]),
    ("name", &["formatted", "familyName", "givenName"]),
    ("displayName", &[]),
    ("title", &[]),
    ("timezone", &[]),
    ("active", &[]),
    ("emails", &["value", "type", "primary"]),
];
pub(super) const ENTERPRISE: Attributes =
    &[("employeeNumber", &[]), ("department", &[]), ("manager", &["value", "$ref", "displayName"])];
pub(super) const PERSON: Attributes = &[("level", &[]), ("hireDate", &[]), ("perspectives", &[])];

/// The schema URNs a User may carry, with their attributes.
pub(super) fn schemas() -> [(&'static str, Attributes); 3] {
    [(USER_SCHEMA, CORE), (ENTERPRISE_SCHEMA, ENTERPRISE), (PERSON_SCHEMA, PERSON)]
}

/// A provider's User, its attribute names in canonical case, unknown and
/// read-only ones left out, `null` meaning absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub doc: Map<String, Value>,
    /// The `id` it names, if any (the server assigns ids).
    pub id: Option<String>,
}

fn canonical<'a>(name: &str, table: &'a [(&'a str, &'a [&'a str])]) -> Option<(&'a str, &'a [&'a str])> {
    table.iter().copied().find(|(n, _)| n.eq_ignore_ascii_case(name))
}

/// Where a (possibly URN-qualified) attribute name lives: the schema URN
/// (`None` for the core schema) and its canonical name and sub-attributes.
pub(super) fn locate(name: &str) -> Option<(Option<&'static str>, &'static str, &'static [&'static str])> {
    for (urn, table) in schemas() {
        if let Some(rest) = strip_ci(name, urn).and_then(|r| r.strip_prefix(':')) {
            let (attr, subs) = canonical(rest, table)?;
            return Some(((urn != USER_SCHEMA).then_some(urn), attr, subs));
        }
    }
    canonical(name, CORE).map(|(attr, subs)| (None, attr, subs))
}

/// The extension URN `name` is, in canonical case.
pub(super) fn extension(name: &str) -> Option<&'static str> {
    [ENTERPRISE_SCHEMA, PERSON_SCHEMA].into_iter().find(|urn| urn.eq_ignore_ascii_case(name))
}

/// Sub-attributes in canonical case, unknown and `null` ones left out.
pub(super) fn canonical_value(subs: &[&str], value: &Value) -> Value {
    let object = |o: &Map<String, Value>| -> Value {
        Value::Object(
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .filter_map(|(k, v)| {
                    subs.iter().find(|s| s.eq_ignore_ascii_case(k)).map(|s| ((*s).to_owned(), v.clone()))
                })
                .collect(),
        )
    };
    match value {
        Value::Object(o) if !subs.is_empty() => object(o),
        Value::Array(items) if !subs.is_empty() => {
            Value::Array(items.iter().map(|i| if let Value::Object(o) = i { object(o) } else { i.clone() }).collect())
        }
        other => other.clone(),
    }
}

/// Sets one attribute of `doc` in canonical form (an extension's inside its object).
pub(super) fn put(doc: &mut Map<String, Value>, urn: Option<&str>, attr: &str, subs: &[&str], value: &Value) {
    let target = match urn {
        None => doc,
        Some(urn) => {
            let slot = doc.entry(urn.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            slot.as_object_mut().expect("an object")
        }
    };
    if value.is_null() {
        target.remove(attr);
    } else {
        target.insert(attr.to_owned(), canonical_value(subs, value));
    }
}

impl Incoming {
    /// Reads a request body: an object whose `schemas` names the User schema
    /// and only schemas we publish.
    pub fn read(body: &Value) -> Result<Incoming, ScimError> {
        let Value::Object(input) = body else {
            return Err(ScimError::invalid_syntax("the body must be a JSON object (a SCIM User)"));
        };
        let listed = input.iter().find(|(k, _)| k.eq_ignore_ascii_case("schemas")).map(|(_, v)| v);
        let listed: Vec<&str> = match listed {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => return Err(ScimError::invalid_syntax(format!("schemas: must list \"{USER_SCHEMA}\""))),
        };
        if !listed.iter().any(|s| s.eq_ignore_ascii_case(USER_SCHEMA)) {
            return Err(ScimError::invalid_syntax(format!("schemas: must list \"{USER_SCHEMA}\"")));
        }
        if let Some(unknown) = listed.iter().find(|s| !schemas().iter().any(|(u, _)| u.eq_ignore_ascii_case(s))) {
            return Err(ScimError::invalid_value(format!("schemas: '{unknown}' is not a schema of this server")));
        }
        let mut doc = Map::new();
        let mut id = None;
        for (key, value) in input {
            if key.eq_ignore_ascii_case("id") {
                id = Some(value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string()));
            } else if let Some(urn) = extension(key) {
                let Value::Object(attrs) = value else {
                    return Err(ScimError::invalid_value(format!("{urn}: must be an object")));
                };
                for (name, v) in attrs {
                    if let Some((urn, attr, subs)) = locate(&format!("{urn}:{name}")) {
                        put(&mut doc, urn, attr, subs, v);
                    }
                }
            } else if let Some((urn, attr, subs)) = locate(key) {
                put(&mut doc, urn, attr, subs, value);
            }
        }
        Ok(Incoming { doc, id })
    }
}

/// A person and what SCIM keeps of them, read from a User.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub person: Person,
    pub user_name: String,
    pub external_id: Option<String>,
    /// What is stored and read back: the User without read-only attributes.
    pub resource: Map<String, Value>,
    /// The User says the person is no longer active.
    pub inactive: bool,
}

fn ext<'a>(doc: &'a Map<String, Value>, urn: &str, attr: &str) -> Option<&'a Value> {
    doc.get(urn).and_then(|e| e.get(attr)).filter(|v| !v.is_null())
}

fn text(value: Option<&Value>, name: &str) -> Result<Option<String>, ScimError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(ScimError::invalid_value(format!("{name}: must be a string"))),
    }
}

/// A Boolean, also as the strings `"True"` and `"False"` (Entra ID sends those).
pub(super) fn boolean(value: &Value, name: &str) -> Result<bool, ScimError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::invalid_value(format!("{name}: must be true or false"))),
    }
}

fn required(value: Option<String>, name: &str, why: &str) -> Result<String, ScimError> {
    value.ok_or_else(|| ScimError::invalid_value(format!("{name}: is required ({why})")))
}

/// The work e-mail: the `work` one, else the primary one, else the first;
/// the userName when there are none and it is an e-mail address.
fn work_email(doc: &Map<String, Value>, user_name: &str) -> Result<String, ScimError> {
    let Some(emails) = doc.get("emails") else {
        return Email::parse(user_name).map(|e| e.as_str().to_owned()).map_err(|_| {
            ScimError::invalid_value("emails: a work e-mail is required (the userName is not an e-mail address)")
        });
    };
    let Value::Array(items) = emails else { return Err(ScimError::invalid_value("emails: must be a list")) };
    let is = |item: &Value, key: &str, want: &dyn Fn(&Value) -> bool| item.get(key).is_some_and(want);
    let work = |v: &Value| v.as_str().is_some_and(|t| t.eq_ignore_ascii_case("work"));
    let primary = |v: &Value| boolean(v, "emails.primary").unwrap_or(false);
    let chosen = items
        .iter()
        .find(|i| is(i, "type", &work))
        .or_else(|| items.iter().find(|i| is(i, "primary", &primary)))
        .or_else(|| items.first())
        .ok_or_else(|| ScimError::invalid_value("emails: a work e-mail is required"))?;
    text(chosen.get("value"), "emails.value")?.ok_or_else(|| ScimError::invalid_value("emails.value: is required"))
}

fn level(value: Option<&Value>) -> Result<Option<String>, ScimError> {
    let name = format!("{PERSON_SCHEMA}:level");
    match value {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(|n| Some(n.to_string()))
            .ok_or_else(|| ScimError::invalid_value(format!("{name}: must be a whole number"))),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ScimError::invalid_value(format!("{name}: must be a whole number"))),
    }
}

fn perspectives(value: Option<&Value>) -> Result<Vec<String>, ScimError> {
    let name = format!("{PERSON_SCHEMA}:perspectives");
    let bad = || ScimError::invalid_value(format!("{name}: must be a list of short texts without ';'"));
    let items: Vec<&Value> = match value {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::String(_)) => vec![v],
        Some(_) => return Err(bad()),
    };
    let mut out = Vec::new();
    for item in items {
        let s = item.as_str().ok_or_else(bad)?.trim();
        if s.contains(';') || s.chars().count() > 200 || s.chars().any(char::is_control) {
            return Err(bad());
        }
        if !s.is_empty() {
            out.push(s.to_owned());
        }
    }
    Ok(out)
}

/// The SCIM attribute a directory field comes from, for error messages.
pub(super) fn attribute_of(field: &str) -> String {
    match field {
        "employee_id" => format!("{ENTERPRISE_SCHEMA}:employeeNumber"),
        "name" => "name.formatted".to_owned(),
        "email" => "emails[type eq \"work\"].value".to_owned(),
        "department" => format!("{ENTERPRISE_SCHEMA}:department"),
        "manager_id" => format!("{ENTERPRISE_SCHEMA}:manager.value"),
        "hire_date" => format!("{PERSON_SCHEMA}:hireDate"),
        "level" => format!("{PERSON_SCHEMA}:level"),
        "perspectives" => format!("{PERSON_SCHEMA}:perspectives"),
        "end_date" => "active".to_owned(),
        other => other.to_owned(),
    }
}

pub(super) fn field_error(e: &FieldError) -> String {
    format!("{}: {}", attribute_of(e.field), e.message)
}

/// The directory person a User describes. `existing` is the person being
/// replaced: its employeeNumber cannot change, and its location (which SCIM
/// does not carry) stays.
pub fn to_person(incoming: &Incoming, existing: Option<&Person>, today: Date) -> Result<Mapped, ScimError> {
    let doc = &incoming.doc;
    let user_name =
        required(text(doc.get("userName"), "userName")?, "userName", "it names the person to the provider")?;
    if user_name.chars().count() > 254 || user_name.chars().any(char::is_control) {
        return Err(ScimError::invalid_value("userName: must be at most 254 characters, without control characters"));
    }
    let employee_number = text(ext(doc, ENTERPRISE_SCHEMA, "employeeNumber"), "employeeNumber")?;
    let employee_id = match (existing, employee_number) {
        (Some(p), Some(n)) if n != p.employee_id.as_str() => {
            return Err(ScimError::mutability(format!(
                "{ENTERPRISE_SCHEMA}:employeeNumber: is immutable (it is the person's id); it is '{}'",
                p.employee_id
            )));
        }
        (Some(p), _) => p.employee_id.to_string(),
        (None, n) => required(n, &format!("{ENTERPRISE_SCHEMA}:employeeNumber"), "it is the directory's key")?,
    };
    let given = ["givenName", "familyName"]
        .iter()
        .filter_map(|k| doc.get("name").and_then(|n| n.get(*k)).and_then(Value::as_str).map(str::trim))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = text(doc.get("name").and_then(|n| n.get("formatted")), "name.formatted")?
        .or_else(|| (!given.is_empty()).then_some(given))
        .or(text(doc.get("displayName"), "displayName")?)
        .unwrap_or_else(|| user_name.clone());
    let keep = |field: fn(&Person) -> String| existing.map(field);
    let department =
        text(ext(doc, ENTERPRISE_SCHEMA, "department"), "department")?.or_else(|| keep(|p| p.department.to_string()));
    let department = required(department, &attribute_of("department"), "every person has one in the directory")?;
    let manager = match ext(doc, ENTERPRISE_SCHEMA, "manager") {
        None => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(m) => text(m.get("value"), &attribute_of("manager_id"))?,
    };
    let hire_date = text(ext(doc, PERSON_SCHEMA, "hireDate"), &attribute_of("hire_date"))?
        .map(|d| d.split('T').next().unwrap_or_default().to_owned())
        .or_else(|| keep(|p| p.hire_date.to_string()));
    let hire_date = required(hire_date, &attribute_of("hire_date"), "every person has one in the directory")?;
    let level = level(ext(doc, PERSON_SCHEMA, "level"))?.or_else(|| keep(|p| p.level.value().to_string()));
    let level = required(level, &attribute_of("level"), "every person has one in the directory")?;
    Level::parse(&level).map_err(|e| ScimError::invalid_value(field_error(&e)))?;
    // A replace that leaves `active` out keeps the person as they are.
    let inactive = match doc.get("active") {
        None => existing.is_some_and(|p| p.end_date.is_some_and(|end| end <= today)),
        Some(v) => !boolean(v, "active")?,
    };
    let previous_end = existing.and_then(|p| p.end_date);
    let end_date = match (inactive, previous_end) {
        (true, Some(end)) if end <= today => Some(end),
        (true, _) => Some(today),
        (false, Some(end)) if end > today => Some(end),
        (false, _) => None,
    };
    let raw = RawPerson {
        employee_id,
        name,
        email: work_email(doc, &user_name)?,
        department,
        manager_id: manager.unwrap_or_default(),
        hire_date,
        level,
        title: text(doc.get("title"), "title")?.unwrap_or_default(),
        location: existing.and_then(|p| p.location.clone()).unwrap_or_default(),
        timezone: text(doc.get("timezone"), "timezone")?.unwrap_or_default(),
        perspectives: perspectives(ext(doc, PERSON_SCHEMA, "perspectives"))?.join(";"),
        end_date: end_date.map(|d| d.to_string()).unwrap_or_default(),
    };
    let person = raw.parse().map_err(|errors| {
        let said: Vec<String> = errors.iter().map(field_error).collect();
        ScimError::invalid_value(said.join("; "))
    })?;
    let mut resource = doc.clone();
    resource.remove("active");
    if let Some(Value::Object(m)) = resource.get_mut(ENTERPRISE_SCHEMA) {
        if let Some(Value::String(s)) = m.get("manager").cloned() {
            m.insert("manager".into(), json!({ "value": s }));
        }
        if let Some(Value::Object(manager)) = m.get_mut("manager") {
            manager.remove("displayName");
            manager.remove("$ref");
        }
    }
    let external_id = text(doc.get("externalId"), "externalId")?;
    Ok(Mapped { person, user_name, external_id, resource, inactive })
}

/// The User as a provider reads it: what it wrote, with the directory's
/// current values over it. `base` is the SCIM root (`…/scim/v2`).
pub fn render(sp: &ScimPerson, base: &str, today: Date) -> Value {
    let p = &sp.person;
    let mut doc: Map<String, Value> = match &sp.record {
        Some(r) => serde_json::from_str(&r.resource).unwrap_or_default(),
        None => Map::new(),
    };
    let id = p.employee_id.as_str();
    let location = format!("{base}/Users/{}", crate::percent_encode(id));
    let mut set = |key: &str, value: Option<Value>| match value {
        Some(v) => {
            doc.insert(key.to_owned(), v);
        }
        None => {
            doc.remove(key);
        }
    };
    set("id", Some(json!(id)));
    set("userName", Some(json!(sp.record.as_ref().map_or(p.email.as_str(), |r| r.user_name.as_str()))));
    set("externalId", sp.record.as_ref().and_then(|r| r.external_id.clone()).map(Value::from));
    set("title", p.title.clone().map(Value::from));
    set("timezone", p.timezone.clone().map(Value::from));
    set("active", Some(json!(p.end_date.is_none_or(|end| end > today))));
    if sp.record.is_none() {
        set("name", Some(json!({ "formatted": p.name.as_str() })));
        set("displayName", Some(json!(p.name.as_str())));
        set("emails", Some(json!([{ "value": p.email.as_str(), "type": "work", "primary": true }])));
    }
    overlay_name_and_email(&mut doc, p);
    let mut enterprise = doc.get(ENTERPRISE_SCHEMA).and_then(Value::as_object).cloned().unwrap_or_default();
    enterprise.insert("employeeNumber".into(), json!(id));
    enterprise.insert("department".into(), json!(p.department.as_str()));
    match &p.manager_id {
        Some(m) => {
            let m = m.as_str();
            enterprise.insert(
                "manager".into(),
                json!({ "value": m, "$ref": format!("{base}/Users/{}", crate::percent_encode(m)) }),
            );
        }
        None => {
            enterprise.remove("manager");
        }
    }
    doc.insert(ENTERPRISE_SCHEMA.into(), Value::Object(enterprise));
    let mut ours = Map::new();
    ours.insert("level".into(), json!(p.level.value()));
    ours.insert("hireDate".into(), json!(p.hire_date.to_string()));
    if !p.perspectives.is_empty() {
        ours.insert("perspectives".into(), json!(p.perspectives));
    }
    doc.insert(PERSON_SCHEMA.into(), Value::Object(ours));
    doc.insert("schemas".into(), json!([USER_SCHEMA, ENTERPRISE_SCHEMA, PERSON_SCHEMA]));
    let mut meta = json!({ "resourceType": "User", "location": location });
    if let Some(r) = &sp.record {
        meta["created"] = json!(r.created_at);
        meta["lastModified"] = json!(r.last_modified);
    }
    doc.insert("meta".into(), meta);
    Value::Object(doc)
}

/// The directory's name and e-mail over what the provider wrote, where it wrote them.
fn overlay_name_and_email(doc: &mut Map<String, Value>, p: &Person) {
    if let Some(Value::Object(name)) = doc.get_mut("name")
        && name.contains_key("formatted")
    {
        name.insert("formatted".into(), json!(p.name.as_str()));
    }
    if let Some(Value::Array(emails)) = doc.get_mut("emails") {
        let work = emails
            .iter()
            .position(|e| e.get("type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("work")))
            .or_else(|| emails.iter().position(|e| e.get("primary").is_some_and(|v| boolean(v, "").unwrap_or(false))))
            .or(if emails.is_empty() { None } else { Some(0) });
        if let Some(Value::Object(e)) = work.and_then(|i| emails.get_mut(i)) {
            e.insert("value".into(), json!(p.email.as_str()));
        }
    }
}

/// Keeps only `attributes` (with `id` and `schemas`), or drops
/// `excluded` (RFC 7644 §3.9); names may be URN-qualified or `a.b`.
pub fn project(mut doc: Value, attributes: &[String], excluded: &[String]) -> Value {
    let Value::Object(map) = &mut doc else { return doc };
    let paths = |list: &[String]| -> Vec<(Option<&'static str>, &'static str, Option<String>)> {
        list.iter()
            .filter_map(|raw| {
                let raw = raw.trim();
                if let Some(urn) = extension(raw) {
                    return Some((Some(urn), "", None));
                }
                let (head, sub) = match raw.rsplit_once('.') {
                    Some((h, s)) if locate(h).is_some() => (h, Some(s.to_owned())),
                    _ => (raw, None),
                };
                locate(head).map(|(urn, attr, _)| (urn, attr, sub))
            })
            .collect()
    };
    if !attributes.is_empty() {
        let wanted = paths(attributes);
        let mut kept = Map::new();
        for key in ["id", "schemas"] {
            if let Some(v) = map.get(key) {
                kept.insert(key.into(), v.clone());
            }
        }
        for (urn, attr, sub) in wanted {
            let from = match urn {
                None => Some(&*map),
                Some(u) => map.get(u).and_then(Value::as_object),
            };
            let Some(from) = from else { continue };
            let value = if attr.is_empty() { Some(Value::Object(from.clone())) } else { from.get(attr).cloned() };
            let Some(mut value) = value else { continue };
            if let (Some(sub), Value::Object(o)) = (&sub, &value) {
                let picked: Map<String, Value> = o
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case(sub))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                value = Value::Object(picked);
            }
            let target = match urn {
                None => &mut kept,
                Some(u) => kept
                    .entry(u.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("an object"),
            };
            if attr.is_empty() {
                if let Value::Object(o) = value {
                    target.extend(o);
                }
            } else {
                target.insert(attr.to_owned(), value);
            }
        }
        *map = kept;
    }
    for (urn, attr, sub) in paths(excluded) {
        let target = match urn {
            None => Some(&mut *map),
            Some(u) if attr.is_empty() => {
                map.remove(u);
                None
            }
            Some(u) => map.get_mut(u).and_then(Value::as_object_mut),
        };
        let Some(target) = target else { continue };
        if matches!(attr, "id" | "userName") && urn.is_none() {
            continue;
        }
        match sub {
            None => {
                target.remove(attr);
            }
            Some(sub) => {
                if let Some(Value::Object(o)) = target.get_mut(attr) {
                    o.retain(|k, _| !k.eq_ignore_ascii_case(&sub));
                }
            }
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-06-01").expect("date")
    }

    fn user(extra: Value) -> Value {
        let mut base = json!({
            "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA, PERSON_SCHEMA],
            "userName": "ada@x.io",
            "name": { "givenName": "Ada", "familyName": "Lovelace" },
            "emails": [{ "value": "Ada@X.io", "type": "work", "primary": true }],
            ENTERPRISE_SCHEMA: { "employeeNumber": "E1", "department": "Ops" },
            PERSON_SCHEMA: { "level": 7, "hireDate": "2015-04-01" },
        });
        if let (Value::Object(b), Value::Object(e)) = (&mut base, extra) {
            b.extend(e);
        }
        base
    }

    #[test]
    fn a_user_becomes_a_directory_person() {
        let mapped = to_person(&Incoming::read(&user(json!({}))).expect("read"), None, today()).expect("valid");
        assert_eq!(mapped.person.name.as_str(), "Ada Lovelace");
        assert_eq!(mapped.person.email.as_str(), "ada@x.io");
        assert_eq!(mapped.person.level.value(), 7);
        assert!(!mapped.inactive);
    }

    #[test]
    fn attribute_names_are_case_insensitive_and_unknown_ones_ignored() {
        let incoming = Incoming::read(&json!({
            "SCHEMAS": [USER_SCHEMA], "USERNAME": "a@x.io", "nickName": "x",
            ENTERPRISE_SCHEMA.to_uppercase(): { "EMPLOYEENUMBER": "E1" },
        }))
        .expect("read");
        assert_eq!(incoming.doc["userName"], "a@x.io");
        assert_eq!(incoming.doc[ENTERPRISE_SCHEMA]["employeeNumber"], "E1");
        assert!(!incoming.doc.contains_key("nickName"));
    }

    #[test]
    fn a_missing_department_level_or_hire_date_is_named() {
        for (urn, attr) in [(ENTERPRISE_SCHEMA, "department"), (PERSON_SCHEMA, "level"), (PERSON_SCHEMA, "hireDate")] {
            let mut body = user(json!({}));
            body[urn].as_object_mut().expect("ext").remove(attr);
            let e = to_person(&Incoming::read(&body).expect("read"), None, today()).expect_err(attr);
            assert!(e.detail.contains(attr), "{}", e.detail);
            assert_eq!(e.scim_type, Some("invalidValue"));
        }
    }

    #[test]
    fn a_user_without_the_user_schema_is_invalid_syntax() {
        let e = Incoming::read(&json!({ "schemas": ["urn:x"], "userName": "a" })).expect_err("bad");
        assert_eq!(e.scim_type, Some("invalidSyntax"));
    }

    #[test]
    fn inactive_sets_the_leave_date_to_today_and_active_clears_a_past_one() {
        let body = user(json!({ "active": "False" }));
        let gone = to_person(&Incoming::read(&body).expect("read"), None, today()).expect("valid");
        assert_eq!(gone.person.end_date, Some(today()));
        let back =
            to_person(&Incoming::read(&user(json!({"active": true}))).expect("read"), Some(&gone.person), today())
                .expect("valid");
        assert_eq!(back.person.end_date, None);
        let mut silent = user(json!({}));
        silent.as_object_mut().expect("user").remove("active");
        let kept = to_person(&Incoming::read(&silent).expect("read"), Some(&gone.person), today()).expect("valid");
        assert_eq!(kept.person.end_date, Some(today()), "a PUT without active does not bring anyone back");
    }

    #[test]
    fn projection_keeps_the_id_and_drops_what_is_excluded() {
        let doc = json!({ "id": "E1", "schemas": [], "userName": "a", "title": "t", ENTERPRISE_SCHEMA: { "department": "Ops", "employeeNumber": "E1" } });
        let only = project(doc.clone(), &[format!("{ENTERPRISE_SCHEMA}:department")], &[]);
        assert_eq!(only, json!({ "id": "E1", "schemas": [], ENTERPRISE_SCHEMA: { "department": "Ops" } }));
        let without = project(doc, &[], &["title".into()]);
        assert!(without.get("title").is_none() && without.get("userName").is_some());
    }
}
