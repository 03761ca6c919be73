//! E-mail: messages are composed where the change that causes them happens,
//! sealed under the notes key and written to the outbox in the same
//! transaction (`plab_store::Outgoing`); `plab serve` delivers them over SMTP
//! with retries (`deliver_due`). Mail is off unless `PLAB_SMTP_URL` is set:
//! then nothing is written to the outbox at all.
//!
//! Session invitations are iMIP (RFC 6047): one event per session, its `UID`
//! the same as in the calendar feed, `SEQUENCE` moved forward on every change.
use crate::AppError;
use crate::disclosure::{self, Carries};
use crate::ical::Ics;
use crate::vault::Vault;
use askama::Template;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use plab_domain::PairId;
use plab_domain::session::{self, SessionStatus};
use plab_domain::zone::Zone;
use plab_store::{Claimed, Outgoing, Recipient, Store};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

pub const SMTP_URL_ENV: &str = "PLAB_SMTP_URL";
pub const FROM_ENV: &str = "PLAB_MAIL_FROM";
pub const PUBLIC_URL_ENV: &str = "PLAB_PUBLIC_URL";
/// The first retry's delay in seconds (default 30); each later one doubles, up to `MAX_RETRY_DELAY`.
pub const RETRY_ENV: &str = "PLAB_MAIL_RETRY_SECONDS";
const MAX_RETRY_DELAY: Duration = Duration::from_secs(15 * 60);
/// How long a delivering instance holds a message before another may take it.
const LEASE: Duration = Duration::from_secs(120);

/// Where mail goes out, or that it does not.
#[derive(Clone)]
pub struct Post {
    on: Option<Arc<On>>,
    base: String,
}

struct On {
    url: String,
    from: Mailbox,
    retry: Duration,
}

impl std::fmt::Debug for Post {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may hold a password: never printed.
        f.debug_struct("Post")
            .field("on", &self.on.is_some())
            .field("from", &self.on.as_ref().map(|o| o.from.to_string()))
            .field("base", &self.base)
            .finish()
    }
}

fn config_error(what: &str, why: impl std::fmt::Display) -> AppError {
    AppError::invalid(crate::Problem::new(format!("{why}")).at(what.to_owned()))
}

impl Post {
    /// No mail; links in pages still use `base`.
    pub fn off(base: &str) -> Post {
        Post { on: None, base: base.trim_end_matches('/').to_owned() }
    }

    /// From `PLAB_SMTP_URL`, `PLAB_MAIL_FROM`, `PLAB_PUBLIC_URL` (links in
    /// mail; `default_base` without it) and `PLAB_MAIL_RETRY_SECONDS`.
    pub fn from_env(default_base: &str) -> Result<Post, AppError> {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
        let base = var(PUBLIC_URL_ENV).unwrap_or_else(|| default_base.to_owned());
        let Some(url) = var(SMTP_URL_ENV) else {
            return Ok(Post::off(&base));
        };
        let from = var(FROM_ENV).ok_or_else(|| {
            config_error(FROM_ENV, format!("{SMTP_URL_ENV} is set: set {FROM_ENV} to the sender address too"))
        })?;
        let retry =
            match var(RETRY_ENV) {
                Some(s) => {
                    s.trim().parse::<u64>().ok().filter(|n| *n > 0).map(Duration::from_secs).ok_or_else(|| {
                        config_error(RETRY_ENV, format!("'{s}' is not a whole number of seconds above 0"))
                    })?
                }
                None => Duration::from_secs(30),
            };
        Post::configured(&url, &from, &base, retry)
    }

    pub fn configured(url: &str, from: &str, base: &str, retry: Duration) -> Result<Post, AppError> {
        let from: Mailbox =
            from.trim().parse().map_err(|e| config_error(FROM_ENV, format!("'{from}' is not an address: {e}")))?;
        let on = On { url: lettre_url(url), from, retry };
        transport(&on)?;
        Ok(Post { on: Some(Arc::new(on)), base: base.trim_end_matches('/').to_owned() })
    }

    pub fn is_on(&self) -> bool {
        self.on.is_some()
    }

    /// The address pages link from, e.g. `https://lab.example.org`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The calendar events' `ORGANIZER`: the instance's sender address.
    pub fn organizer(&self) -> String {
        self.on.as_ref().map_or_else(|| "noreply@perspective-lab.invalid".to_owned(), |o| o.from.email.to_string())
    }

    /// Seals a letter for the outbox; `None` while mail is off.
    pub(crate) fn seal(&self, vault: &Vault, letter: &Letter) -> Result<Option<Outgoing>, AppError> {
        let Some(on) = &self.on else { return Ok(None) };
        let message = letter.render(&on.from, &self.base)?;
        let (nonce, sealed) = vault.seal_mail(&letter.key, &message)?;
        Ok(Some(Outgoing {
            dedupe_key: letter.key.clone(),
            kind: letter.kind,
            recipient: letter.to.email().to_owned(),
            key_id: vault.key_id().to_owned(),
            nonce,
            sealed,
        }))
    }

    /// Seals every letter (none while mail is off).
    pub(crate) fn seal_all(&self, vault: &Vault, letters: &[Letter]) -> Result<Vec<Outgoing>, AppError> {
        let mut out = Vec::with_capacity(letters.len());
        for l in letters {
            out.extend(self.seal(vault, l)?);
        }
        Ok(out)
    }
}

/// The contract's `?tls=starttls` is lettre's `tls=required`.
fn lettre_url(url: &str) -> String {
    url.trim().replace("tls=starttls", "tls=required")
}

fn transport(on: &On) -> Result<AsyncSmtpTransport<Tokio1Executor>, AppError> {
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&on.url).map_err(|e| {
        config_error(
            SMTP_URL_ENV,
            format!("is not an SMTP URL ({e}); use smtp://HOST:PORT, smtp://USER:PASS@HOST:587?tls=starttls or smtps://USER:PASS@HOST:465"),
        )
    })?;
    let hello = lettre::transport::smtp::extension::ClientId::Domain(on.from.email.domain().to_owned());
    Ok(builder.hello_name(hello).timeout(Some(Duration::from_secs(30))).build())
}

pub use crate::disclosure::To;

/// One message before it is sealed: what it says, and the calendar part of an invitation.
#[derive(Debug, Clone)]
pub struct Letter {
    pub kind: &'static str,
    /// The outbox's dedupe key; also the stable `Message-ID`.
    pub key: String,
    /// Made only by the disclosure rule (`disclosure::mail_to`).
    pub to: To,
    pub subject: String,
    pub paragraphs: Vec<String>,
    /// A button: its text and a path under the instance's address.
    pub link: Option<(String, String)>,
    /// `METHOD` and the iCalendar text of an iMIP message.
    pub calendar: Option<(&'static str, String)>,
    /// Whether the footer says how to turn this kind of mail off.
    pub can_opt_out: bool,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40em;margin:1em auto;color:#1d2330">
<h1 style="font-size:1.2em">{{ subject }}</h1>
{% for p in paragraphs %}<p style="white-space:pre-line">{{ p }}</p>
{% endfor %}{% if let Some((text, url)) = link %}<p><a href="{{ url }}" style="background:#2a5bd7;color:#fff;padding:.5em 1em;border-radius:4px;text-decoration:none">{{ text }}</a></p>
{% endif %}<hr><p style="color:#5b6170;font-size:.85em">{{ footer }}</p>
</body></html>"#
)]
struct Html<'a> {
    subject: &'a str,
    paragraphs: &'a [String],
    link: Option<(&'a str, String)>,
    footer: &'a str,
}

impl Letter {
    fn footer(&self, base: &str) -> String {
        if self.can_opt_out {
            format!(
                "Perspective Lab, your reverse-mentoring program. Turn reminders and digests off on your account page: {base}/account"
            )
        } else {
            "Perspective Lab, your reverse-mentoring program. Invitations and sign-in mail are always sent.".to_owned()
        }
    }

    /// The whole RFC 5322 message: text and HTML, and for an invitation the
    /// `text/calendar; method=…` part (RFC 6047) with the same `.ics` attached.
    fn render(&self, from: &Mailbox, base: &str) -> Result<Vec<u8>, AppError> {
        let fault = |e: &dyn std::fmt::Display| AppError::Fault(format!("cannot build a message: {e}"));
        let to = Mailbox::new(Some(self.to.name().to_owned()), self.to.email().parse().map_err(|e| fault(&e))?);
        let footer = self.footer(base);
        let link = self.link.as_ref().map(|(text, path)| (text.as_str(), format!("{base}{path}")));
        let mut text = self.paragraphs.join("\n\n");
        if let Some((label, url)) = &link {
            text.push_str(&format!("\n\n{label}: {url}"));
        }
        text.push_str(&format!("\n\n-- \n{footer}\n"));
        let html = Html { subject: &self.subject, paragraphs: &self.paragraphs, link, footer: &footer }
            .render()
            .map_err(|e| fault(&e))?;
        let mut alternative =
            MultiPart::alternative().singlepart(SinglePart::plain(text)).singlepart(SinglePart::html(html));
        let builder = lettre::Message::builder()
            .from(from.clone())
            .to(to)
            .subject(&self.subject)
            .message_id(Some(format!("<{}@perspective-lab>", message_id(&self.key))));
        let message = match &self.calendar {
            None => builder.multipart(alternative),
            Some((method, ics)) => {
                let calendar_type = ContentType::parse(&format!("text/calendar; charset=UTF-8; method={method}"))
                    .map_err(|e| fault(&e))?;
                alternative = alternative.singlepart(SinglePart::builder().header(calendar_type).body(ics.clone()));
                let ics_type = ContentType::parse("application/ics").map_err(|e| fault(&e))?;
                builder.multipart(
                    MultiPart::mixed()
                        .multipart(alternative)
                        .singlepart(Attachment::new("invite.ics".to_owned()).body(ics.clone(), ics_type)),
                )
            }
        };
        Ok(message.map_err(|e| fault(&e))?.formatted())
    }
}

/// A stable id for a message, so a receiver can drop a second delivery.
fn message_id(key: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::accounts::hex(&Sha256::digest(key.as_bytes())[..16])
}

/// A zone by its name, UTC for none or an unknown one.
pub(crate) fn zone_named(name: Option<&str>) -> Zone {
    name.and_then(Zone::from_stored).unwrap_or_else(Zone::utc)
}

/// Everything a session's calendar event and mail say.
#[derive(Debug, Clone)]
pub(crate) struct SessionFacts {
    pub pair: PairId,
    /// The session's number in its pair's series (1 for the first).
    pub number: i64,
    pub starts: OffsetDateTime,
    pub minutes: i64,
    pub status: SessionStatus,
    pub sequence: i64,
    pub updated_at: OffsetDateTime,
    pub leader: Recipient,
    pub mentor: Recipient,
    pub question: Option<String>,
    /// Homework agreed at the previous held session.
    pub homework: Option<String>,
}

/// The `PRODID` of every calendar the product writes.
pub(crate) const PRODID: &str = "-//Perspective Lab//plab//EN";

/// A session's `UID`: the same in the feed and in every message about it.
pub fn session_uid(pair: PairId, number: i64) -> String {
    format!("pair-{pair}-session-{number}@perspective-lab")
}

/// RFC 5545 UTC date-time: `20270111T150000Z`.
pub(crate) fn ical_utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl SessionFacts {
    fn partner_of(&self, me: &str) -> &Recipient {
        if self.leader.employee_id == me { &self.mentor } else { &self.leader }
    }

    /// Both partners' local times, the reader's first.
    fn local_times(&self) -> String {
        [&self.leader, &self.mentor]
            .iter()
            .map(|p| format!("{}: {}", p.name, zone_named(p.timezone.as_deref()).human(self.starts)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn agenda(&self) -> String {
        session::agenda(u32::try_from(self.minutes).unwrap_or(60))
            .iter()
            .map(|a| format!("{} {} min", a.name, a.minutes))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// The event's description: for the two partners only (the feed and the mail are theirs).
    pub fn description(&self, base: &str) -> String {
        let mut parts = Vec::new();
        if let Some(q) = &self.question {
            parts.push(format!("Research question: {q}"));
        }
        parts.push(format!("Agenda ({} min): {}", self.minutes, self.agenda()));
        if let Some(h) = &self.homework {
            parts.push(format!("Homework from last time: {h}"));
        }
        parts.push(format!("When, for each of you:\n{}", self.local_times()));
        parts.push(format!("Open your pair's page: {base}/pairs/{}", self.pair));
        parts.join("\n\n")
    }

    /// The session as an RFC 5545 `VEVENT`, as the feed and invitations carry it.
    pub(crate) fn event(&self, ics: &mut Ics, organizer: &str, base: &str, stamp: OffsetDateTime) {
        let summary =
            format!("Reverse mentoring: session {} of {} and {}", self.number, self.leader.name, self.mentor.name);
        let status = match self.status {
            SessionStatus::Cancelled => "CANCELLED",
            SessionStatus::Planned | SessionStatus::Held | SessionStatus::Missed => "CONFIRMED",
        };
        ics.begin("VEVENT")
            .text("UID", &session_uid(self.pair, self.number))
            .value("SEQUENCE", &u32::try_from(self.sequence).unwrap_or(u32::MAX).to_string())
            .value("DTSTAMP", &ical_utc(stamp))
            .value("LAST-MODIFIED", &ical_utc(self.updated_at))
            .value("DTSTART", &ical_utc(self.starts))
            .value("DTEND", &ical_utc(self.starts + time::Duration::minutes(self.minutes)))
            .text("SUMMARY", &summary)
            .text("DESCRIPTION", &self.description(base))
            .text("TRANSP", "OPAQUE")
            .text("STATUS", status)
            .with_params("ORGANIZER", &[("CN", "Perspective Lab")], &format!("mailto:{organizer}"));
        // Attendees by their sign-in address only: never a directory e-mail a file can change.
        for (p, email) in [&self.leader, &self.mentor].iter().filter_map(|p| Some((p, p.sign_in.as_ref()?))) {
            let params = [
                ("CN", p.name.as_str()),
                ("CUTYPE", "INDIVIDUAL"),
                ("ROLE", "REQ-PARTICIPANT"),
                ("PARTSTAT", "ACCEPTED"),
                ("RSVP", "FALSE"),
            ];
            ics.with_params("ATTENDEE", &params, &format!("mailto:{email}"));
        }
        ics.end("VEVENT");
    }

    /// An iMIP message to one partner: `REQUEST` for a new or changed
    /// session, `CANCEL` for a cancelled one. It carries the research
    /// question and homework, so it goes only to the partner's sign-in
    /// address; a partner without an account in good standing gets one
    /// content-free notice per pair instead (or nothing, once they left).
    pub fn invitation(&self, to: &Recipient, organizer: &str, base: &str, now: OffsetDateTime) -> Option<Letter> {
        let Some(address) = disclosure::mail_to(to, Carries::Private) else {
            return self.notice(to);
        };
        let method = if self.status == SessionStatus::Cancelled { "CANCEL" } else { "REQUEST" };
        let mut ics = Ics::new();
        ics.begin("VCALENDAR")
            .text("PRODID", PRODID)
            .text("VERSION", "2.0")
            .text("CALSCALE", "GREGORIAN")
            .text("METHOD", method);
        self.event(&mut ics, organizer, base, now);
        ics.end("VCALENDAR");
        let other = self.partner_of(&to.employee_id);
        let when = zone_named(to.timezone.as_deref()).human(self.starts);
        let (kind, subject, opening) = match (method, self.sequence) {
            ("CANCEL", _) => (
                "cancellation",
                format!("Cancelled: reverse-mentoring session {} with {}", self.number, other.name),
                format!("Session {} with {} on {when} is cancelled.", self.number, other.name),
            ),
            (_, 0) => (
                "invitation",
                format!("Invitation: reverse-mentoring session {} with {}, {when}", self.number, other.name),
                format!(
                    "Session {} with {} is planned for {when} ({} minutes).",
                    self.number, other.name, self.minutes
                ),
            ),
            _ => (
                "update",
                format!("Moved: reverse-mentoring session {} with {}, now {when}", self.number, other.name),
                format!("Session {} with {} now starts {when} ({} minutes).", self.number, other.name, self.minutes),
            ),
        };
        let key = format!("{kind}:{}:{}:{}:{}", self.pair, self.number, self.sequence, to.employee_id);
        Some(Letter {
            kind,
            key,
            to: address,
            subject,
            paragraphs: vec![opening, self.description(base)],
            link: Some(("Open your pair's page".to_owned(), format!("/pairs/{}", self.pair))),
            calendar: Some((method, ics.finish())),
            can_opt_out: false,
        })
    }

    /// "You have a session; sign in to see it": nothing of the pair, its
    /// partner, its time or its question. Once per pair and person.
    fn notice(&self, to: &Recipient) -> Option<Letter> {
        Some(Letter {
            kind: "session_notice",
            key: format!("session_notice:{}:{}", self.pair, to.employee_id),
            to: disclosure::mail_to(to, Carries::NothingPrivate)?,
            subject: "You have a reverse-mentoring session in Perspective Lab".to_owned(),
            paragraphs: vec![
                "A reverse-mentoring session is planned for you. Sign in to Perspective Lab to see when, \
                 with whom and what to prepare."
                    .to_owned(),
                "If you have no account yet, ask your program's sponsor or your administrator for one.".to_owned(),
            ],
            link: Some(("Sign in".to_owned(), "/".to_owned())),
            calendar: None,
            can_opt_out: false,
        })
    }

    /// The day-before reminder to one partner, with last session's homework
    /// and the research question: to their sign-in address only.
    pub fn reminder(&self, to: &Recipient, base: &str) -> Option<Letter> {
        let address = disclosure::mail_to(to, Carries::Private)?;
        let other = self.partner_of(&to.employee_id);
        let when = zone_named(to.timezone.as_deref()).human(self.starts);
        Some(Letter {
            kind: "reminder",
            key: format!("reminder:{}:{}:{}:{}", self.pair, self.number, ical_utc(self.starts), to.employee_id),
            to: address,
            subject: format!("Tomorrow: reverse-mentoring session {} with {}, {when}", self.number, other.name),
            paragraphs: vec![
                format!("Session {} with {} starts {when}.", self.number, other.name),
                self.description(base),
            ],
            link: Some(("Open your pair's page".to_owned(), format!("/pairs/{}", self.pair))),
            calendar: None,
            can_opt_out: true,
        })
    }
}

/// Invitations (or updates, or cancellations) of one session to both partners.
pub(crate) fn to_both(facts: &SessionFacts, post: &Post, now: OffsetDateTime) -> Vec<Letter> {
    [&facts.leader, &facts.mentor]
        .iter()
        .filter_map(|p| facts.invitation(p, &post.organizer(), post.base(), now))
        .collect()
}

/// What `plab mail status` shows: the outbox's counts, and whether this
/// process would deliver (`PLAB_SMTP_URL` set).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MailStatus {
    pub configured: bool,
    #[serde(flatten)]
    pub outbox: plab_store::MailCounts,
}

pub async fn status(store: &Store, post: &Post) -> Result<MailStatus, AppError> {
    Ok(MailStatus { configured: post.is_on(), outbox: store.mail_counts().await? })
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// The delay before attempt `attempts + 1`: the base doubled per attempt, capped.
fn backoff(base: Duration, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    base.saturating_mul(1 << doublings).min(MAX_RETRY_DELAY.max(base))
}

/// Delivers every message due at `now`: each is claimed first (so a second
/// instance skips it), sent, then marked sent; a temporary failure (the
/// server down, a 4xx answer) is tried again later with backoff, a permanent
/// one (5xx) is marked failed. Nothing happens while mail is off.
pub async fn deliver_due(
    store: &Store,
    vault: &Vault,
    post: &Post,
    now: OffsetDateTime,
) -> Result<Delivered, AppError> {
    let Some(on) = &post.on else { return Ok(Delivered::default()) };
    let lease_until = now + LEASE;
    let mut done = Delivered::default();
    let claimed =
        store.claim_due_mail(&session::format_instant(now), &session::format_instant(lease_until), 50).await?;
    if claimed.is_empty() {
        return Ok(done);
    }
    let smtp = transport(on)?;
    for m in claimed {
        match send(&smtp, vault, &on.from, &m).await {
            Ok(()) => {
                store.mail_sent(m.id).await?;
                done.sent += 1;
            }
            Err(Failure::Temporary(why)) => {
                let next = now + backoff(on.retry, m.attempts);
                tracing::warn!(id = m.id, attempts = m.attempts, "mail not delivered, trying again: {why}");
                store.mail_retry(m.id, &session::format_instant(next), &why).await?;
                done.retrying += 1;
            }
            Err(Failure::Permanent(why)) => {
                tracing::error!(id = m.id, "mail refused for good: {why}");
                store.mail_failed(m.id, &why).await?;
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

enum Failure {
    Temporary(String),
    Permanent(String),
}

async fn send(
    smtp: &AsyncSmtpTransport<Tokio1Executor>,
    vault: &Vault,
    from: &Mailbox,
    m: &Claimed,
) -> Result<(), Failure> {
    let message = vault.open_mail(&m.dedupe_key, &m.nonce, &m.sealed).map_err(|e| Failure::Permanent(e.to_string()))?;
    let to = m.recipient.parse().map_err(|e| Failure::Permanent(format!("recipient '{}': {e}", m.recipient)))?;
    let envelope = lettre::address::Envelope::new(Some(from.email.clone()), vec![to])
        .map_err(|e| Failure::Permanent(e.to_string()))?;
    match smtp.send_raw(&envelope, &message).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
        Err(e) => Err(Failure::Temporary(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_the_base_up_to_a_cap() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 4), Duration::from_secs(240));
        assert_eq!(backoff(base, 40), MAX_RETRY_DELAY);
        assert_eq!(backoff(Duration::from_secs(1), 1), Duration::from_secs(1));
    }

    #[test]
    fn the_contracts_starttls_url_is_lettres_required_tls() {
        assert_eq!(lettre_url(" smtp://u:p@mail:587?tls=starttls "), "smtp://u:p@mail:587?tls=required");
        let post =
            Post::configured("smtp://127.0.0.1:2525", "Lab <lab@example.org>", "http://x/", Duration::from_secs(1))
                .expect("plain relay");
        assert!(post.is_on());
        assert_eq!(post.base(), "http://x");
        assert!(!format!("{post:?}").contains("2525"), "the URL may hold a password: never printed");
        let e = Post::configured("http://nope", "lab@example.org", "", Duration::from_secs(1)).expect_err("not smtp");
        assert!(e.to_string().contains(SMTP_URL_ENV), "{e}");
    }

    fn nasty_session(homework: &str) -> SessionFacts {
        let person = |id: &str, name: &str| Recipient {
            employee_id: id.into(),
            name: name.into(),
            sign_in: Some(format!("{}@lab.test", id.to_lowercase())),
            directory_email: None,
            timezone: None,
            reminders: true,
            digests: true,
        };
        let starts = time::macros::datetime!(2027-01-11 15:00 UTC);
        SessionFacts {
            pair: PairId(7),
            number: 2,
            starts,
            minutes: 60,
            status: SessionStatus::Planned,
            sequence: 0,
            updated_at: starts,
            leader: person("L", "\"Evil\" ;ROLE=CHAIR:x"),
            mentor: person("M", "\"x\";ROLE=CHAIR;X=\"y\""),
            question: Some("Why, and for whom; really?".into()),
            homework: Some(homework.into()),
        }
    }

    #[test]
    fn homework_with_a_carriage_return_cannot_inject_a_calendar_line() {
        use crate::ical::strict;
        let homework = "Read\rBEGIN:VEVENT\r\nUID:evil\nEND:VEVENT\n;, and \\ too\r\nBEGIN:VEVENT";
        let facts = nasty_session(homework);
        let to = facts.leader.clone();
        let letter = facts.invitation(&to, "lab@lab.test", "https://lab.test", facts.starts);
        let (_, ics) = letter.and_then(|l| l.calendar).expect("an invitation");
        let lines = strict::read(&ics);
        let named = |n: &str| lines.iter().filter(|l| l.name == n).collect::<Vec<_>>();
        assert_eq!(named("BEGIN").len(), 2, "VCALENDAR and one VEVENT: {ics}");
        assert_eq!(named("UID").len(), 1, "{ics}");
        let description = strict::unescape(&named("DESCRIPTION")[0].value);
        let expected = homework.replace("\r\n", "\n").replace('\r', "\n");
        assert!(description.contains(&format!("Homework from last time: {expected}")), "{description}");
        assert!(description.contains("Why, and for whom; really?"), "{description}");
    }

    #[test]
    fn a_quoted_display_name_stays_inside_the_attendee_parameter() {
        use crate::ical::strict;
        let facts = nasty_session("none");
        let to = facts.mentor.clone();
        let letter = facts.invitation(&to, "lab@lab.test", "https://lab.test", facts.starts);
        let (_, ics) = letter.and_then(|l| l.calendar).expect("an invitation");
        let attendees: Vec<_> = strict::read(&ics).into_iter().filter(|l| l.name == "ATTENDEE").collect();
        assert_eq!(attendees.len(), 2, "{ics}");
        for (a, cn) in attendees.iter().zip(["'Evil' ;ROLE=CHAIR:x", "'x';ROLE=CHAIR;X='y'"]) {
            let keys: Vec<&str> = a.params.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(keys, ["CN", "CUTYPE", "ROLE", "PARTSTAT", "RSVP"], "no parameter added: {ics}");
            assert_eq!(a.params[0].1, cn);
            assert_eq!(a.params[2].1, "REQ-PARTICIPANT");
        }
        assert_eq!(attendees[0].value, "mailto:l@lab.test");
    }
}
