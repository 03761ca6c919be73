//! Everything the database holds about one person, table by table, for their
//! export (GDPR Art. 15 and 20). Each query reads only rows that are the
//! person's own or that belong to a pair they are party to; never a secret
//! column (password, token or link hashes, calendar secrets, sign-in state).
//! Rows come back as JSON objects: the export is a document, not a model.
use crate::notes::sealed_note;
use crate::{Result, SealedNote, Store};
use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A row as the export shows it: column name to value.
pub type Record = Map<String, Value>;

/// How a column is read.
#[derive(Clone, Copy)]
pub(crate) enum Col {
    Text,
    OptText,
    Int,
    OptInt,
    /// A 0/1 integer, shown as true or false.
    Flag,
}

fn record(r: &AnyRow, cols: &[(&str, Col)]) -> Result<Record> {
    let mut out = Map::new();
    for &(name, col) in cols {
        let value = match col {
            Col::Text => Value::from(r.try_get::<String, _>(name)?),
            Col::OptText => r.try_get::<Option<String>, _>(name)?.map_or(Value::Null, Value::from),
            Col::Int => Value::from(r.try_get::<i64, _>(name)?),
            Col::OptInt => r.try_get::<Option<i64>, _>(name)?.map_or(Value::Null, Value::from),
            Col::Flag => Value::from(r.try_get::<i64, _>(name)? != 0),
        };
        out.insert(name.to_owned(), value);
    }
    Ok(out)
}

pub(crate) fn records(rows: &[AnyRow], cols: &[(&str, Col)]) -> Result<Vec<Record>> {
    rows.iter().map(|r| record(r, cols)).collect()
}

/// A message in the outbox, still sealed.
#[derive(Debug, Clone)]
pub struct SealedMail {
    /// `id, kind, status, attempts, created_at, sent_at`.
    pub record: Record,
    pub dedupe_key: String,
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub sealed: Vec<u8>,
}

/// A note or homework of a pair, still sealed, with its kind and session.
#[derive(Debug, Clone)]
pub struct SealedPairText {
    pub note: SealedNote,
    /// `note` or `homework`.
    pub kind: String,
    pub session_id: Option<i64>,
}

use Col::{Flag, Int, OptInt, OptText, Text};

/// The pairs a person is party to, as a subquery on `$1`.
const MY_PAIRS: &str = "SELECT id FROM pairs WHERE leader_id = $1 OR mentor_id = $1";

impl Store {
    /// The directory record of `employee_id`, if there is one.
    pub async fn export_person(&self, employee_id: &str) -> Result<Option<Record>> {
        let row = sqlx::query(
            "SELECT employee_id, name, email, department, manager_id, hire_date, level, title, location, timezone, \
             perspectives, end_date FROM people WHERE employee_id = $1",
        )
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            record(
                &r,
                &[
                    ("employee_id", Text),
                    ("name", Text),
                    ("email", Text),
                    ("department", Text),
                    ("manager_id", OptText),
                    ("hire_date", Text),
                    ("level", Int),
                    ("title", OptText),
                    ("location", OptText),
                    ("timezone", OptText),
                    ("perspectives", Text),
                    ("end_date", OptText),
                ],
            )
        })
        .transpose()
    }

    /// The identity provider's (SCIM) record of the person, if it sent one.
    pub async fn export_scim_record(&self, employee_id: &str) -> Result<Option<Record>> {
        let row = sqlx::query(
            "SELECT external_id, user_name, resource, created_at, last_modified, deleted_at \
             FROM scim_users WHERE employee_id = $1",
        )
        .bind(employee_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            record(
                &r,
                &[
                    ("external_id", OptText),
                    ("user_name", Text),
                    ("resource", Text),
                    ("created_at", Text),
                    ("last_modified", Text),
                    ("deleted_at", OptText),
                ],
            )
        })
        .transpose()
    }

    /// The person's invitations to programs.
    pub async fn export_invitations(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT i.program_id, p.name AS program, i.invited_at, i.sent FROM invitations i \
             JOIN programs p ON p.id = i.program_id WHERE i.employee_id = $1 ORDER BY i.program_id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(&rows, &[("program_id", Int), ("program", Text), ("invited_at", Text), ("sent", Flag)])
    }

    /// The accounts bound to `employee_id`, or the one account `account` when
    /// the person has none in the directory. Never a hash or a secret.
    pub async fn export_accounts(&self, employee_id: Option<&str>, account: i64) -> Result<Vec<Record>> {
        const COLUMNS: &str = "id, email, is_admin, created_at, disabled_at, last_sign_in_at, timezone, \
             mail_reminders, mail_digests, reset_notice";
        let rows = match employee_id {
            Some(id) => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {COLUMNS} FROM accounts WHERE employee_id = $1 OR id = $2 ORDER BY id"
                )))
                .bind(id)
                .bind(account)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM accounts WHERE id = $1")))
                    .bind(account)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        records(
            &rows,
            &[
                ("id", Int),
                ("email", Text),
                ("is_admin", Flag),
                ("created_at", Text),
                ("disabled_at", OptText),
                ("last_sign_in_at", OptText),
                ("timezone", OptText),
                ("mail_reminders", Flag),
                ("mail_digests", Flag),
                ("reset_notice", OptText),
            ],
        )
    }

    /// The accounts bound to a person (by the directory), `(id, email)`.
    pub async fn export_account_ids(&self, employee_id: &str) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT id FROM accounts WHERE employee_id = $1 ORDER BY id")
            .bind(employee_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// An account's sign-in history: recent attempts for its e-mail, the
    /// sign-ins (tokens) still on record, linked single sign-on identities,
    /// and set-password links. Dates and kinds only.
    pub async fn export_sign_ins(&self, account: i64, email: &str) -> Result<Record> {
        let attempts = sqlx::query("SELECT at, client FROM sign_in_attempts WHERE email = $1 ORDER BY at")
            .bind(email)
            .fetch_all(&self.pool)
            .await?;
        let tokens =
            sqlx::query("SELECT created_at, expires_at FROM api_tokens WHERE account_id = $1 ORDER BY created_at")
                .bind(account)
                .fetch_all(&self.pool)
                .await?;
        let sso =
            sqlx::query("SELECT issuer, subject, linked_at FROM oidc_links WHERE account_id = $1 ORDER BY linked_at")
                .bind(account)
                .fetch_all(&self.pool)
                .await?;
        let links = sqlx::query(
            "SELECT purpose, expires_at, used_at FROM password_links WHERE LOWER(email) = LOWER($1) ORDER BY expires_at",
        )
        .bind(email)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Map::new();
        out.insert("sign_in_attempts".into(), json_list(records(&attempts, &[("at", Text), ("client", Text)])?));
        out.insert(
            "signed_in_sessions".into(),
            json_list(records(&tokens, &[("created_at", Text), ("expires_at", Text)])?),
        );
        out.insert(
            "single_sign_on".into(),
            json_list(records(&sso, &[("issuer", Text), ("subject", Text), ("linked_at", Text)])?),
        );
        out.insert(
            "password_links".into(),
            json_list(records(&links, &[("purpose", Text), ("expires_at", Text), ("used_at", OptText)])?),
        );
        Ok(out)
    }

    /// The programs the person is enrolled in, with their role in each.
    pub async fn export_programs(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT p.id AS program_id, p.name AS program, p.starts_on, e.role, e.capacity, e.opted_out, e.perspectives \
             FROM enrolments e JOIN programs p ON p.id = e.program_id WHERE e.employee_id = $1 \
             ORDER BY p.id, e.role",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("program_id", Int),
                ("program", Text),
                ("starts_on", Text),
                ("role", Text),
                ("capacity", Int),
                ("opted_out", Flag),
                ("perspectives", OptText),
            ],
        )
    }

    /// Every version of every research question the person wrote.
    pub async fn export_questions(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT program_id, version, body, strength, score, assessment, created_at FROM questions \
             WHERE employee_id = $1 ORDER BY program_id, version",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("program_id", Int),
                ("version", Int),
                ("body", Text),
                ("strength", Text),
                ("score", Int),
                ("assessment", Text),
                ("created_at", Text),
            ],
        )
    }

    /// The person's pairs: their role, the partner's id, name and role, the
    /// dates, how it ended, and when the person accepted the lab rules.
    pub async fn export_pairs(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT pr.id AS pair_id, pr.program_id, g.name AS program, \
                    CASE WHEN pr.leader_id = $1 THEN 'leader' ELSE 'mentor' END AS my_role, \
                    CASE WHEN pr.leader_id = $1 THEN pr.mentor_id ELSE pr.leader_id END AS partner_id, \
                    pe.name AS partner_name, \
                    CASE WHEN pr.leader_id = $1 THEN 'mentor' ELSE 'leader' END AS partner_role, \
                    pr.status, pr.kind, pr.created_at, pr.ended_on, pr.end_reason, \
                    (SELECT c.accepted_at FROM charter_acceptances c WHERE c.pair_id = pr.id AND c.employee_id = $1) \
                        AS accepted_rules_at \
             FROM pairs pr JOIN programs g ON g.id = pr.program_id \
             LEFT JOIN people pe ON pe.employee_id = CASE WHEN pr.leader_id = $1 THEN pr.mentor_id ELSE pr.leader_id END \
             WHERE pr.leader_id = $1 OR pr.mentor_id = $1 ORDER BY pr.id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("pair_id", Int),
                ("program_id", Int),
                ("program", Text),
                ("my_role", Text),
                ("partner_id", Text),
                ("partner_name", OptText),
                ("partner_role", Text),
                ("status", Text),
                ("kind", Text),
                ("created_at", Text),
                ("ended_on", OptText),
                ("end_reason", OptText),
                ("accepted_rules_at", OptText),
            ],
        )
    }

    /// The sessions of the person's pairs (homework comes with the pair's texts).
    pub async fn export_sessions(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id AS session_id, pair_id, seq, starts_at, minutes, status, homework_done, reschedules, missed_at \
             FROM sessions WHERE pair_id IN ({MY_PAIRS}) ORDER BY pair_id, seq"
        )))
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("session_id", Int),
                ("pair_id", Int),
                ("seq", Int),
                ("starts_at", Text),
                ("minutes", Int),
                ("status", Text),
                ("homework_done", Flag),
                ("reschedules", Int),
                ("missed_at", OptText),
            ],
        )
    }

    /// The notes and homework of the person's pairs, both partners', sealed.
    pub async fn export_pair_texts(&self, employee_id: &str) -> Result<Vec<SealedPairText>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, pair_id, author_id, key_id, nonce, ciphertext, created_at, kind, session_id FROM notes \
             WHERE pair_id IN ({MY_PAIRS}) ORDER BY id"
        )))
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SealedPairText {
                    note: sealed_note(r)?,
                    kind: r.try_get("kind")?,
                    session_id: r.try_get("session_id")?,
                })
            })
            .collect()
    }

    /// The person's own pulse answers (never their partner's).
    pub async fn export_pulses(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT a.session_id, s.pair_id, a.role, a.item, a.value, a.answered_at FROM pulse_answers a \
             JOIN sessions s ON s.id = a.session_id WHERE a.employee_id = $1 ORDER BY a.session_id, a.item",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("session_id", Int),
                ("pair_id", Int),
                ("role", Text),
                ("item", Text),
                ("value", Int),
                ("answered_at", Text),
            ],
        )
    }

    /// The person's own check-ins (also those a sponsor recorded for them).
    pub async fn export_checkins(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT pair_id, role, insight, change_made, view_of_organization, heard, heard_comment, by_sponsor, \
             answered_at, read_at FROM checkins WHERE employee_id = $1 ORDER BY pair_id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("pair_id", Int),
                ("role", Text),
                ("insight", OptText),
                ("change_made", OptText),
                ("view_of_organization", OptText),
                ("heard", OptInt),
                ("heard_comment", OptText),
                ("by_sponsor", Flag),
                ("answered_at", Text),
                ("read_at", OptText),
            ],
        )
    }

    /// The person's own self-assessment answers.
    pub async fn export_self_assessments(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT program_id, role, phase, item, value, answered_at FROM self_assessments \
             WHERE employee_id = $1 ORDER BY program_id, phase, item",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("program_id", Int),
                ("role", Text),
                ("phase", Text),
                ("item", Text),
                ("value", Int),
                ("answered_at", Text),
            ],
        )
    }

    /// The person's own answers to the close-out's exit question.
    pub async fn export_exit_answers(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT program_id, role, choice, comment, answered_at FROM exit_answers \
             WHERE employee_id = $1 ORDER BY program_id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[("program_id", Int), ("role", Text), ("choice", Text), ("comment", OptText), ("answered_at", Text)],
        )
    }

    /// The concerns the person raised (never whom they were routed to).
    pub async fn export_concerns(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT id AS concern_id, program_id, anonymous, body, raised_at FROM concerns \
             WHERE raised_by = $1 ORDER BY id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[("concern_id", Int), ("program_id", Int), ("anonymous", Flag), ("body", Text), ("raised_at", Text)],
        )
    }

    /// The insights (decisions and actions) the person wrote, shared or not.
    pub async fn export_insights(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT id AS insight_id, pair_id, session_id, kind, theme, body, shared, created_at, updated_at \
             FROM insights WHERE author_id = $1 ORDER BY id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("insight_id", Int),
                ("pair_id", Int),
                ("session_id", OptInt),
                ("kind", Text),
                ("theme", Text),
                ("body", Text),
                ("shared", Flag),
                ("created_at", Text),
                ("updated_at", Text),
            ],
        )
    }

    /// The commitments the person made as a leader, shared or not.
    pub async fn export_commitments(&self, employee_id: &str) -> Result<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT id AS commitment_id, pair_id, insight_id, body, due_on, state, shared, created_at, updated_at \
             FROM commitments WHERE leader_id = $1 ORDER BY id",
        )
        .bind(employee_id)
        .fetch_all(&self.pool)
        .await?;
        records(
            &rows,
            &[
                ("commitment_id", Int),
                ("pair_id", Int),
                ("insight_id", OptInt),
                ("body", Text),
                ("due_on", Text),
                ("state", Text),
                ("shared", Flag),
                ("created_at", Text),
                ("updated_at", Text),
            ],
        )
    }

    /// The messages addressed to any of `emails`, still sealed.
    pub async fn export_mail(&self, emails: &[String]) -> Result<Vec<SealedMail>> {
        let mut out = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for email in emails {
            let rows = sqlx::query(
                "SELECT id, kind, status, attempts, created_at, sent_at, dedupe_key, key_id, nonce, sealed \
                 FROM outbox WHERE LOWER(recipient) = LOWER($1) ORDER BY id",
            )
            .bind(email)
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                let rec = record(
                    r,
                    &[
                        ("id", Int),
                        ("kind", Text),
                        ("status", Text),
                        ("attempts", Int),
                        ("created_at", Text),
                        ("sent_at", OptText),
                    ],
                )?;
                let id: i64 = r.try_get("id")?;
                if seen.insert(id) {
                    out.push(SealedMail {
                        record: rec,
                        dedupe_key: r.try_get("dedupe_key")?,
                        key_id: r.try_get("key_id")?,
                        nonce: r.try_get("nonce")?,
                        sealed: r.try_get("sealed")?,
                    });
                }
            }
        }
        out.sort_by_key(|m| m.record.get("id").and_then(Value::as_i64));
        Ok(out)
    }

    /// Audit entries whose actor or subject is one of `names` (the person's
    /// e-mails, employee id, `account N`; compared in lower case) or whose
    /// subject is one of `subjects` (`pair N` of their pairs), oldest first.
    pub async fn export_audit(&self, names: &[String], subjects: &[String]) -> Result<Vec<Record>> {
        if names.is_empty() && subjects.is_empty() {
            return Ok(Vec::new());
        }
        let numbered = |from: usize, n: usize| (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let mut clauses = Vec::new();
        if !names.is_empty() {
            let list = numbered(1, names.len());
            clauses.push(format!("LOWER(actor) IN ({list}) OR LOWER(subject) IN ({list})"));
        }
        if !subjects.is_empty() {
            clauses.push(format!("subject IN ({})", numbered(names.len() + 1, subjects.len())));
        }
        let sql = format!(
            "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE {} ORDER BY id",
            clauses.join(" OR ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for name in names {
            query = query.bind(name.to_lowercase());
        }
        for subject in subjects {
            query = query.bind(subject.clone());
        }
        let rows = query.fetch_all(&self.pool).await?;
        records(
            &rows,
            &[("id", Int), ("at", Text), ("actor", Text), ("action", Text), ("subject", Text), ("detail", Text)],
        )
    }
}

fn json_list(records: Vec<Record>) -> Value {
    Value::Array(records.into_iter().map(Value::Object).collect())
}
