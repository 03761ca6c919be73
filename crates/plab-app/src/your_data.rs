//! A person's export (GDPR Art. 15 and 20): one document with everything
//! Perspective Lab holds about a signed-in account and the directory person it
//! belongs to. What is in it is decided here, by the disclosure rule: the
//! person's own records and answers, and what they are party to (their pairs'
//! sessions, homework and both partners' notes); never a partner's or anyone
//! else's private answers, and never a password, token or link hash. Each
//! export is audited by ids only.
//!
//! The document's keys and fields are documented in `docs/interfaces.md`,
//! "A person's export"; `SECTIONS` gives the readable page its order.
use crate::accounts::Actor;
use crate::disclosure::{self, Datum, Receiver};
use crate::vault::Vault;
use crate::{AppError, Problem};
use plab_domain::PairId;
use plab_store::{Record, Store};
use serde_json::{Map, Value, json};

/// The document's version, in its `format` field.
pub const FORMAT: &str = "perspective-lab-export/1";

/// The export's sections in reading order: key, heading, and the order of a
/// row's fields on the readable page.
pub const SECTIONS: &[(&str, &str, &[&str])] = &[
    (
        "person",
        "Your directory record",
        // The people file's columns: the record as it was imported.
        &crate::people::COLUMNS,
    ),
    (
        "accounts",
        "Your sign-in accounts",
        &[
            "id",
            "email",
            "is_admin",
            "created_at",
            "last_sign_in_at",
            "disabled_at",
            "timezone",
            "mail_reminders",
            "mail_digests",
            "reset_notice",
        ],
    ),
    (
        "programs",
        "Your programs and your role in each",
        &["program_id", "program", "starts_on", "role", "capacity", "opted_out", "perspectives"],
    ),
    (
        "questions",
        "Your research questions, every version",
        &["program_id", "version", "body", "strength", "score", "assessment", "created_at"],
    ),
    (
        "pairs",
        "Your pairs",
        &[
            "pair_id",
            "program",
            "my_role",
            "partner_name",
            "partner_role",
            "status",
            "created_at",
            "ended_on",
            "end_reason",
            "accepted_rules_at",
        ],
    ),
    (
        "sessions",
        "The sessions of your pairs",
        &["session_id", "pair_id", "seq", "starts_at", "minutes", "status", "homework", "homework_done", "missed_at"],
    ),
    ("notes", "The notes of your pairs (yours and your partner's)", &["pair_id", "written_by", "created_at", "text"]),
    ("pulses", "Your pulse answers", &["session_id", "pair_id", "role", "item", "value", "answered_at"]),
    (
        "checkins",
        "Your check-ins",
        &[
            "pair_id",
            "role",
            "insight",
            "change_made",
            "view_of_organization",
            "heard",
            "heard_comment",
            "by_sponsor",
            "answered_at",
        ],
    ),
    ("self_assessments", "Your self-assessments", &["program_id", "role", "phase", "item", "value", "answered_at"]),
    ("exit_answers", "Your exit answers", &["program_id", "role", "choice", "comment", "answered_at"]),
    ("fit_answers", "Your fit-check answers", &["pair_id", "role", "answer", "comment", "answered_at"]),
    ("insights", "Your insights", &["insight_id", "pair_id", "kind", "theme", "body", "shared", "created_at"]),
    ("concerns", "Concerns you raised", &["concern_id", "program_id", "anonymous", "body", "raised_at"]),
    (
        "commitments",
        "Your commitments",
        &["commitment_id", "pair_id", "body", "due_on", "state", "shared", "created_at"],
    ),
    ("mail", "E-mail sent to you", &["id", "created_at", "kind", "subject", "status", "sent_at", "body"]),
    ("audit", "The audit log's entries about you or by you", &["id", "at", "actor", "action", "subject", "detail"]),
];

/// The signed-in account's own export; audited as `person.export`.
pub async fn export_mine(store: &Store, vault: &Vault, actor: &Actor) -> Result<Value, AppError> {
    let who = actor.employee_id.clone().unwrap_or_else(|| format!("account {}", actor.account_id));
    let document = assemble(store, Some(vault), actor.employee_id.as_deref(), Some(actor.account_id)).await?;
    store.audit(&who, "person.export", &who, "by the person, from their account").await?;
    Ok(document)
}

/// The operator's export of the directory person `employee_id` (and their
/// accounts); audited as `person.export` by `by`. An unknown id is invalid.
pub async fn export_person(
    store: &Store,
    vault: Option<&Vault>,
    employee_id: &str,
    by: &str,
) -> Result<Value, AppError> {
    let id = employee_id.trim();
    if store.export_person(id).await?.is_none() {
        return Err(AppError::invalid(
            Problem::new(format!(
                "no one with employee id '{id}' is in the directory; check the id with `plab export people`"
            ))
            .at("--employee-id"),
        ));
    }
    let document = assemble(store, vault, Some(id), None).await?;
    store.audit(by, "person.export", id, "by the operator").await?;
    Ok(document)
}

/// The document for a directory person (if any) and an account (if any).
async fn assemble(
    store: &Store,
    vault: Option<&Vault>,
    employee_id: Option<&str>,
    account: Option<i64>,
) -> Result<Value, AppError> {
    let mut doc = Map::new();
    doc.insert("format".into(), json!(FORMAT));
    doc.insert("exported_at".into(), json!(plab_domain::session::format_instant(time::OffsetDateTime::now_utc())));

    let person = match employee_id {
        Some(id) => store.export_person(id).await?,
        None => None,
    };
    let me = person.as_ref().and_then(|p| p.get("employee_id")).and_then(Value::as_str).map(str::to_owned);
    let mut person_value = Value::Null;
    if let (Some(mut p), Some(id)) = (person.clone(), me.as_deref()) {
        p.insert("scim".into(), store.export_scim_record(id).await?.map_or(Value::Null, scim_value));
        p.insert("invitations".into(), list(store.export_invitations(id).await?));
        person_value = Value::Object(p);
    }
    doc.insert("person".into(), person_value);

    // Accounts: those bound to the person, and the calling one.
    let mut accounts = match (me.as_deref(), account) {
        (Some(id), Some(a)) => store.export_accounts(Some(id), a).await?,
        (Some(id), None) => {
            let ids = store.export_account_ids(id).await?;
            match ids.first() {
                Some(first) => store.export_accounts(Some(id), *first).await?,
                None => Vec::new(),
            }
        }
        (None, Some(a)) => store.export_accounts(None, a).await?,
        (None, None) => Vec::new(),
    };
    let mut names: Vec<String> = Vec::new();
    let mut emails: Vec<String> = Vec::new();
    for a in &mut accounts {
        let id = a.get("id").and_then(Value::as_i64).unwrap_or_default();
        let email = a.get("email").and_then(Value::as_str).unwrap_or_default().to_owned();
        a.append(&mut store.export_sign_ins(id, &email).await?);
        names.push(format!("account {id}"));
        emails.push(email);
    }
    if let Some(p) = &person
        && let Some(email) = p.get("email").and_then(Value::as_str)
    {
        emails.push(email.to_owned());
    }
    emails.sort();
    emails.dedup();
    names.extend(emails.iter().cloned());
    if let Some(id) = &me {
        names.push(id.clone());
    }
    doc.insert("accounts".into(), list(accounts));

    let Some(id) = me.as_deref() else {
        for key in [
            "programs",
            "questions",
            "pairs",
            "sessions",
            "notes",
            "pulses",
            "checkins",
            "self_assessments",
            "exit_answers",
            "fit_answers",
            "insights",
            "concerns",
            "commitments",
        ] {
            doc.insert(key.into(), json!([]));
        }
        doc.insert("mail".into(), list(mail(store, vault, &emails).await?));
        doc.insert("audit".into(), list(store.export_audit(&names, &[]).await?));
        return Ok(Value::Object(doc));
    };

    doc.insert("programs".into(), list(store.export_programs(id).await?));
    doc.insert("questions".into(), list(store.export_questions(id).await?));
    let pairs = store.export_pairs(id).await?;
    let pair_subjects: Vec<String> = pairs
        .iter()
        .filter_map(|p| p.get("pair_id").and_then(Value::as_i64))
        .map(|pair| format!("pair {pair}"))
        .collect();
    doc.insert("pairs".into(), list(pairs));

    // The pairs' notes and homework: both partners are party to them.
    let texts = store.export_pair_texts(id).await?;
    let mut sessions = store.export_sessions(id).await?;
    let mut notes = Vec::new();
    for t in &texts {
        let text = open(vault, &t.note)?;
        if t.kind == "homework" {
            if let Some(s) = sessions.iter_mut().find(|s| s.get("session_id").and_then(Value::as_i64) == t.session_id) {
                // The newest homework of a session is the one agreed.
                s.insert("homework".into(), text);
            }
            continue;
        }
        let mut n = Map::new();
        n.insert("note_id".into(), json!(t.note.id));
        n.insert("pair_id".into(), json!(t.note.pair_id.0));
        n.insert("author_id".into(), json!(t.note.author_id));
        n.insert("written_by".into(), json!(if t.note.author_id == id { "you" } else { "your partner" }));
        n.insert("created_at".into(), json!(plab_domain::session::format_instant(t.note.created_at)));
        n.insert("text".into(), text);
        notes.push(n);
    }
    for s in &mut sessions {
        s.entry("homework").or_insert(Value::Null);
    }
    debug_assert!(disclosure::may_receive(Datum::Note, Receiver::Partner));
    doc.insert("sessions".into(), list(sessions));
    doc.insert("notes".into(), list(notes));

    // The person's own answers only (the queries select by their id).
    debug_assert!(!disclosure::may_receive(Datum::PulseAnswer, Receiver::Partner));
    doc.insert("pulses".into(), list(store.export_pulses(id).await?));
    doc.insert("checkins".into(), list(store.export_checkins(id).await?));
    doc.insert("self_assessments".into(), list(store.export_self_assessments(id).await?));
    doc.insert("exit_answers".into(), list(store.export_exit_answers(id).await?));
    doc.insert("fit_answers".into(), list(store.export_fit_answers(id).await?));
    doc.insert("insights".into(), list(store.export_insights(id).await?));
    doc.insert("concerns".into(), list(store.export_concerns(id).await?));
    doc.insert("commitments".into(), list(store.export_commitments(id).await?));
    doc.insert("mail".into(), list(mail(store, vault, &emails).await?));
    doc.insert("audit".into(), list(store.export_audit(&names, &pair_subjects).await?));
    Ok(Value::Object(doc))
}

fn list(records: Vec<Record>) -> Value {
    Value::Array(records.into_iter().map(Value::Object).collect())
}

/// The SCIM record, its resource as the JSON the identity provider sent.
fn scim_value(mut r: Record) -> Value {
    if let Some(Value::String(text)) = r.get("resource")
        && let Ok(parsed) = serde_json::from_str::<Value>(text)
    {
        r.insert("resource".into(), parsed);
    }
    Value::Object(r)
}

/// A note's text, or null when no key was given or it is not the one that sealed it.
fn open(vault: Option<&Vault>, note: &plab_store::SealedNote) -> Result<Value, AppError> {
    let Some(v) = vault else { return Ok(Value::Null) };
    if note.key_id != v.key_id() {
        return Ok(Value::Null);
    }
    Ok(v.open(PairId(note.pair_id.0), &note.author_id, &note.nonce, &note.ciphertext).map_or(Value::Null, Value::from))
}

/// The mail sent to the person's addresses: when, what kind, its status,
/// and its subject and text when the key opens it. A one-time sign-in link
/// is never copied into the export.
async fn mail(store: &Store, vault: Option<&Vault>, emails: &[String]) -> Result<Vec<Record>, AppError> {
    let mut out = Vec::new();
    for m in store.export_mail(emails).await? {
        let mut r = m.record;
        let opened = vault
            .filter(|v| v.key_id() == m.key_id)
            .and_then(|v| v.open_mail(&m.dedupe_key, &m.nonce, &m.sealed).ok())
            .and_then(|bytes| {
                let parsed = mail_parser::MessageParser::default().parse(&bytes)?;
                Some((parsed.subject().map(str::to_owned), parsed.body_text(0).map(|b| b.trim_end().to_owned())))
            });
        let kind = r.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned();
        let (subject, body) = match opened {
            Some((subject, _)) if kind == "password_link" => {
                (subject, Some("(left out: it held a one-time sign-in link)".to_owned()))
            }
            Some((subject, body)) => (subject, body),
            None => (None, None),
        };
        r.insert("subject".into(), subject.map_or(Value::Null, Value::from));
        r.insert("body".into(), body.map_or(Value::Null, Value::from));
        out.push(r);
    }
    Ok(out)
}
