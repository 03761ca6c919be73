//! The SCIM filters we answer (RFC 7644 §3.4.2.2), parsed by hand: one
//! attribute compared with `eq` to a JSON string. Anything else is refused
//! with `invalidFilter` and says what is supported.
use super::ScimError;
use plab_store::ScimSelect;

const SUPPORTED: &str = "supported filters: userName eq \"…\", externalId eq \"…\", id eq \"…\", \
     emails.value eq \"…\" and emails[type eq \"work\"].value eq \"…\"";

/// `raw` as a selection of people; `None` or a blank filter selects everyone.
pub fn parse(raw: Option<&str>) -> Result<ScimSelect, ScimError> {
    let Some(raw) = raw.map(str::trim).filter(|f| !f.is_empty()) else { return Ok(ScimSelect::All) };
    let (path, rest) = split_path(raw).ok_or_else(|| invalid(raw))?;
    let (op, value) = rest.trim_start().split_once(char::is_whitespace).ok_or_else(|| invalid(raw))?;
    if !op.eq_ignore_ascii_case("eq") {
        return Err(ScimError::invalid_filter(format!("operator '{op}' is not supported; {SUPPORTED}")));
    }
    let value: String = serde_json::from_str(value.trim())
        .map_err(|_| ScimError::invalid_filter(format!("the value in '{raw}' must be one JSON string; {SUPPORTED}")))?;
    let path = strip_ci(path, super::USER_SCHEMA).map(|p| p.trim_start_matches(':')).unwrap_or(path);
    Ok(match normalise(path).as_str() {
        "username" => ScimSelect::UserName(value),
        "externalid" => ScimSelect::ExternalId(value),
        "id" => ScimSelect::Id(value),
        "emails.value" | "emails[typeeq\"work\"].value" | "emails" => ScimSelect::Email(value),
        _ => return Err(ScimError::invalid_filter(format!("attribute '{path}' cannot be filtered on; {SUPPORTED}"))),
    })
}

fn invalid(raw: &str) -> ScimError {
    ScimError::invalid_filter(format!("'{raw}' is not a filter we understand; {SUPPORTED}"))
}

/// The attribute path (which may hold spaces inside `[…]`) and what follows it.
fn split_path(raw: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in raw.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if c.is_whitespace() && depth == 0 => return Some((&raw[..i], &raw[i..])),
            _ => {}
        }
    }
    None
}

/// Lower case, without spaces, so `emails[type EQ "Work"].value` reads as the canonical form.
fn normalise(path: &str) -> String {
    path.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// `text` without `prefix`, compared without regard to ASCII case.
pub(super) fn strip_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_identity_providers_send_are_understood() {
        assert_eq!(parse(Some("userName eq \"Ada@X.io\"")).expect("ok"), ScimSelect::UserName("Ada@X.io".into()));
        assert_eq!(parse(Some("externalId Eq \"00u1\"")).expect("ok"), ScimSelect::ExternalId("00u1".into()));
        assert_eq!(
            parse(Some("emails[type eq \"work\"].value eq \"a@x.io\"")).expect("ok"),
            ScimSelect::Email("a@x.io".into())
        );
        assert_eq!(parse(Some("id eq \"E 1\"")).expect("ok"), ScimSelect::Id("E 1".into()));
        assert_eq!(
            parse(Some("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"")).expect("ok"),
            ScimSelect::UserName("a".into())
        );
        assert_eq!(parse(None).expect("ok"), ScimSelect::All);
    }

    #[test]
    fn other_filters_are_refused_as_invalid_filters() {
        for bad in [
            "userName co \"a\"",
            "title eq \"x\"",
            "userName eq \"a\" or userName eq \"b\"",
            "userName eq a",
            "userName",
            "userName eq \"a' OR 1=1 --",
        ] {
            let e = parse(Some(bad)).expect_err(bad);
            assert_eq!(e.scim_type, Some("invalidFilter"), "{bad}");
        }
    }
}
