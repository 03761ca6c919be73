//! What the server says of itself (RFC 7643 §5–7): ServiceProviderConfig,
//! ResourceTypes and Schemas. A provider (and the compliance tester) builds
//! its requests from these, so required flags, mutability and canonical
//! values here are the contract: see docs/interfaces.md.
use super::{ENTERPRISE_SCHEMA, MAX_COUNT, PERSON_SCHEMA, USER_SCHEMA};
use serde_json::{Value, json};

const LIST: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://github.com/perspective-lab/plab/blob/main/docs/interfaces.md#scim-20-provisioning",
        "patch": { "supported": true },
        "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
        "filter": { "supported": true, "maxResults": MAX_COUNT },
        "changePassword": { "supported": false },
        "sort": { "supported": false },
        "etag": { "supported": false },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "A token made by `plab scim token new`, sent as `Authorization: Bearer TOKEN`.",
            "primary": true
        }],
        "meta": { "resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig") }
    })
}

pub fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person of the organisation's directory",
        "schema": USER_SCHEMA,
        "schemaExtensions": [
            { "schema": ENTERPRISE_SCHEMA, "required": true },
            { "schema": PERSON_SCHEMA, "required": true }
        ],
        "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") }
    })
}

/// One attribute's definition.
fn attr(name: &str, kind: &str, required: bool, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": required,
        "caseExact": false,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none"
    })
}

fn with(mut a: Value, changes: Value) -> Value {
    if let (Value::Object(a), Value::Object(c)) = (&mut a, changes) {
        a.extend(c);
    }
    a
}

fn user_schema() -> Value {
    let name = with(
        attr(
            "name",
            "complex",
            false,
            "The person's name; the directory keeps `formatted`, else given and family name",
        ),
        json!({ "subAttributes": [
            attr("formatted", "string", false, "The full name as shown"),
            attr("familyName", "string", false, "Family name"),
            attr("givenName", "string", false, "Given name"),
        ]}),
    );
    let emails = with(
        attr(
            "emails",
            "complex",
            true,
            "E-mail addresses; the `work` one (else the primary one) is the person's e-mail",
        ),
        json!({ "multiValued": true, "subAttributes": [
            attr("value", "string", true, "The address"),
            with(attr("type", "string", false, "work, home or other"), json!({ "canonicalValues": ["work", "home", "other"] })),
            attr("primary", "boolean", false, "The preferred address"),
        ]}),
    );
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person of the directory; the id is their employeeNumber",
        "attributes": [
            with(attr("userName", "string", true, "Unique login name at the provider (often the work e-mail)"), json!({ "uniqueness": "server" })),
            name,
            attr("displayName", "string", false, "Name to display; the person's name when `name` is absent"),
            attr("title", "string", false, "Job title"),
            with(
                attr("timezone", "string", false, "IANA time zone the person works in"),
                json!({ "canonicalValues": ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC"] }),
            ),
            attr("active", "boolean", false, "False ends the person's sign-ins and sets their leave date to today"),
            emails,
        ],
        "meta": { "resourceType": "Schema", "location": format!("/Schemas/{USER_SCHEMA}") }
    })
}

fn enterprise_schema() -> Value {
    let manager = with(
        attr("manager", "complex", false, "The person's manager"),
        json!({ "subAttributes": [
            attr("value", "string", false, "The manager's id (their employeeNumber)"),
            with(attr("$ref", "reference", false, "The manager's User"), json!({ "referenceTypes": ["User"], "caseExact": true })),
            with(attr("displayName", "string", false, "The manager's name"), json!({ "mutability": "readOnly" })),
        ]}),
    );
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": ENTERPRISE_SCHEMA,
        "name": "EnterpriseUser",
        "description": "Enterprise User: the directory's key, department and manager",
        "attributes": [
            with(
                attr("employeeNumber", "string", true, "The person's employee_id: the directory's key and the User's id"),
                json!({ "mutability": "immutable", "uniqueness": "server", "caseExact": true }),
            ),
            attr("department", "string", true, "Department"),
            manager,
        ],
        "meta": { "resourceType": "Schema", "location": format!("/Schemas/{ENTERPRISE_SCHEMA}") }
    })
}

fn person_schema() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": PERSON_SCHEMA,
        "name": "PerspectiveLabPerson",
        "description": "What Perspective Lab needs beyond the enterprise extension to pair mentors with leaders",
        "attributes": [
            with(
                attr("level", "integer", true, "Seniority, 0 to 100: higher is more senior"),
                json!({ "canonicalValues": ["1", "3", "5", "8", "10"] }),
            ),
            with(
                attr("hireDate", "string", true, "Hire date, YYYY-MM-DD (a dateTime is read as its date)"),
                json!({ "canonicalValues": ["2012-03-01", "2018-09-17", "2021-01-04", "2024-06-03"] }),
            ),
            with(
                attr("perspectives", "string", false, "What the person can offer as a mentor, e.g. 'AI tools'"),
                json!({ "multiValued": true }),
            ),
        ],
        "meta": { "resourceType": "Schema", "location": format!("/Schemas/{PERSON_SCHEMA}") }
    })
}

/// Every schema, with its location under `base`.
pub fn schemas(base: &str) -> Vec<Value> {
    [user_schema(), enterprise_schema(), person_schema()]
        .into_iter()
        .map(|mut s| {
            let relative = s["meta"]["location"].as_str().unwrap_or_default().to_owned();
            s["meta"]["location"] = json!(format!("{base}{relative}"));
            s
        })
        .collect()
}

/// One schema by its URN (case-insensitive).
pub fn schema(base: &str, id: &str) -> Option<Value> {
    schemas(base).into_iter().find(|s| s["id"].as_str().is_some_and(|s| s.eq_ignore_ascii_case(id)))
}

/// A ListResponse of these resources, all on one page.
pub fn list_all(resources: Vec<Value>) -> Value {
    list(resources.len() as u64, 1, resources)
}

pub fn list(total: u64, start_index: u64, resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST],
        "totalResults": total,
        "itemsPerPage": resources.len(),
        "startIndex": start_index,
        "Resources": resources
    })
}
