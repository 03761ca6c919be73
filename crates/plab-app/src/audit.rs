//! The audit log of sponsor, admin and account actions: ids and counts, never
//! the content of notes or answers. It is a hash chain (see
//! `plab_store::audit`): `verify` finds an entry changed, removed or inserted.
//!
//! Who reads what: administrators read and filter the whole log; a program's
//! sponsors read the entries about their program that record what sponsors
//! and administrators did to it (never what a participant did, so the log
//! cannot tell them who filled in a check-in or said a session did not
//! happen); the operator reads everything at the machine.
use crate::AppError;
use crate::accounts::Actor;
use crate::error::Problem;
use plab_store::{AuditEntry, AuditQuery, ChainCheck, ProgramId, Store};

/// The actions a program's sponsors see on their program's pages: what its
/// sponsors and administrators did to it.
pub const PROGRAM_ACTIONS: &[&str] = &[
    "program.create",
    "program.enroll",
    "program.unenrol",
    "program.invite",
    "program.close",
    "pairing.propose",
    "pairing.approve",
    "pairing.pin",
    "pairing.forbid",
    "pairing.clear",
    "pair.end",
    "question.ask_to_sharpen",
    "triage.follow_up",
    "retention.destroy",
];

/// The most entries one read returns.
pub const MOST: u32 = 1000;

/// A reader's filter, as typed into a form or a query string.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub after: Option<String>,
    pub before: Option<String>,
    pub limit: Option<String>,
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// `YYYY-MM-DD` or an RFC 3339 time.
fn moment(field: &str, text: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let is_date = plab_domain::Date::parse(text).is_ok();
    let is_time = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok();
    if is_date || is_time {
        Some(text.to_owned())
    } else {
        problems.push(
            Problem::new(format!("enter a date as YYYY-MM-DD, for example 2027-01-31 (you entered '{text}')"))
                .field(field),
        );
        None
    }
}

/// A whole number from `least` up, and at most `most` when given.
fn whole(field: &str, text: &str, least: i64, most: Option<i64>, problems: &mut Vec<Problem>) -> Option<i64> {
    let Ok(n) = text.parse::<i64>() else {
        problems.push(Problem::new(plab_domain::words::whole_number(text, 100)).field(field));
        return None;
    };
    match most {
        Some(most) if !(least..=most).contains(&n) => {
            problems.push(Problem::new(plab_domain::words::between(n, least, most)).field(field));
            None
        }
        None if n < least => {
            problems.push(Problem::new(format!("must be {least} or more (you entered {n})")).field(field));
            None
        }
        _ => Some(n),
    }
}

impl Filter {
    /// The store's query, or every field at fault.
    pub fn query(&self, default_limit: u32) -> Result<AuditQuery, AppError> {
        let mut problems = Vec::new();
        let mut query = AuditQuery {
            actor: given(&self.actor).map(str::to_owned),
            action: given(&self.action).map(str::to_owned),
            limit: default_limit,
            ..AuditQuery::default()
        };
        query.from = given(&self.from).and_then(|t| moment("from", t, &mut problems));
        query.to = given(&self.to).and_then(|t| moment("to", t, &mut problems));
        query.after = given(&self.after).and_then(|t| whole("after", t, 0, None, &mut problems));
        query.before = given(&self.before).and_then(|t| whole("before", t, 1, None, &mut problems));
        if let Some(limit) = given(&self.limit).and_then(|t| whole("limit", t, 1, Some(i64::from(MOST)), &mut problems))
        {
            query.limit = u32::try_from(limit).unwrap_or(MOST);
        }
        if query.after.is_some() && query.before.is_some() {
            problems.push(Problem::new("Give either after or before, not both.").field("before"));
        }
        if problems.is_empty() { Ok(query) } else { Err(AppError::Invalid(problems)) }
    }
}

/// The entries that match, for the operator at the machine.
pub async fn at_the_machine(store: &Store, query: &AuditQuery) -> Result<Vec<AuditEntry>, AppError> {
    Ok(store.audit_entries(query).await?)
}

/// The entries an administrator asked for.
pub async fn search(store: &Store, actor: &Actor, query: &AuditQuery) -> Result<Vec<AuditEntry>, AppError> {
    crate::access::admin(actor)?;
    Ok(store.audit_entries(query).await?)
}

/// The entries about one program its sponsors may read, newest first.
pub async fn of_program(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    query: &AuditQuery,
) -> Result<Vec<AuditEntry>, AppError> {
    crate::access::sponsor_of_program(store, actor, program).await?;
    let query = AuditQuery { program: Some(program.0), only_actions: Some(PROGRAM_ACTIONS), ..query.clone() };
    Ok(store.audit_entries(&query).await?)
}

/// Walks the whole chain (the operator at the machine).
pub async fn verify(store: &Store) -> Result<ChainCheck, AppError> {
    Ok(store.verify_audit_chain().await?)
}

/// What a break in the chain means, in words for whoever reads the check:
/// "entry 12 was changed after it was written".
pub fn broken_at(problem: &plab_store::ChainProblem) -> String {
    let what = match problem.kind {
        plab_store::ChainBreak::Changed => "was changed after it was written",
        plab_store::ChainBreak::RemovedOrInserted => {
            "does not follow the entry before it: an entry was removed before it, or one was inserted"
        }
        plab_store::ChainBreak::Truncated => "is the last one left: newer entries were removed",
        plab_store::ChainBreak::RedactedWithoutErasure => "had words replaced without an erasure that names it",
    };
    format!("entry {} {what}", problem.id)
}

/// Walks the whole chain for an administrator.
pub async fn verify_as(store: &Store, actor: &Actor) -> Result<ChainCheck, AppError> {
    crate::access::admin(actor)?;
    verify(store).await
}

/// Replaces the words that name an erased person (name, e-mail, sign-in
/// e-mail) in every entry, keeping the chain whole; the redaction itself is an
/// entry by `by` about `subject`. The number of entries changed.
pub async fn redact_person(store: &Store, words: &[String], by: &str, subject: &str) -> Result<u64, AppError> {
    Ok(store.redact_audit(words, by, subject).await?)
}

/// The entries as CSV (`id,at,actor,action,subject,detail`), every cell
/// neutralised so a spreadsheet never runs it as a formula.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    use crate::csv_cell::neutralise;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut ok = out.write_record(["id", "at", "actor", "action", "subject", "detail"]).is_ok();
    for e in entries {
        let id = e.id.to_string();
        let cells = [
            neutralise(&id),
            neutralise(&e.at),
            neutralise(&e.actor),
            neutralise(&e.action),
            neutralise(&e.subject),
            neutralise(&e.detail),
        ];
        ok &= out.write_record(cells.iter().map(|c| c.as_ref())).is_ok();
    }
    let bytes = out.into_inner().unwrap_or_default();
    debug_assert!(ok, "writing CSV to memory cannot fail");
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_names_every_field_at_fault() {
        let filter = Filter {
            from: Some("yesterday".into()),
            limit: Some("0".into()),
            after: Some("-1".into()),
            ..Filter::default()
        };
        let Err(AppError::Invalid(problems)) = filter.query(100) else { panic!("refused") };
        let fields: Vec<_> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
        assert_eq!(fields, ["from", "after", "limit"]);
    }

    #[test]
    fn the_csv_never_lets_a_spreadsheet_run_a_cell() {
        let entry = AuditEntry {
            id: 7,
            actor: "=HYPERLINK(\"http://x\")".into(),
            action: "pair.end".into(),
            subject: "pair 3".into(),
            detail: "+1, \"quoted\"".into(),
            at: "2027-01-01T00:00:00Z".into(),
            program: Some(1),
        };
        let csv = to_csv(&[entry]);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("id,at,actor,action,subject,detail"));
        let row = lines.next().expect("a row");
        assert!(row.contains("'=HYPERLINK") && row.contains("'+1"), "{row}");
    }

    #[test]
    fn a_filter_reads_dates_times_and_a_prefix() {
        let filter = Filter {
            action: Some(" pairing. ".into()),
            from: Some("2027-01-01".into()),
            to: Some("2027-02-01T10:00:00Z".into()),
            limit: Some("20".into()),
            ..Filter::default()
        };
        let query = filter.query(100).expect("valid");
        assert_eq!(query.action.as_deref(), Some("pairing."));
        assert_eq!((query.from.as_deref(), query.to.as_deref()), (Some("2027-01-01"), Some("2027-02-01T10:00:00Z")));
        assert_eq!(query.limit, 20);
    }
}
