//! A pair's private space: the pair, its notes and its lab rules. Who may see
//! what is decided by `access`; every service here asks it first.
use crate::access::{self, PairAccess};
use crate::accounts::Actor;
use crate::vault::Vault;
use crate::views::{person_refs, view};
use crate::{AppError, Problem};
use plab_domain::PairId;
use plab_domain::session::format_instant;
use plab_store::{Pair, ProgramId, Store};
use serde::Serialize;
use std::sync::Arc;

pub use crate::views::{MAX_PAGE_LIMIT, Page, PairView, PersonRef};

pub const MAX_NOTE_CHARS: usize = 20_000;

/// A program's sponsors see every pair; a leader or mentor sees their own.
/// One page of them in id order (`Page::ALL` for every one), read with both
/// partners in a single query: the API's and the program page's hot path.
pub async fn list_pairs(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    page: Page,
) -> Result<Vec<PairView>, AppError> {
    let only_partner = whose_pairs(store, actor, program).await?;
    pairs_page(store, actor, program, only_partner.as_deref(), page).await
}

/// `list_pairs` as the API sends it, JSON text. A sponsor's whole list, the
/// hot read, is written once per data revision and kept like the report.
pub async fn list_pairs_json(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    page: Page,
) -> Result<Arc<String>, AppError> {
    let only_partner = whose_pairs(store, actor, program).await?;
    let json = async {
        let pairs = pairs_page(store, actor, program, only_partner.as_deref(), page).await?;
        serde_json::to_string(&pairs).map_err(|e| AppError::Fault(format!("pair list: {e}")))
    };
    if only_partner.is_none() && page == Page::ALL {
        return store.remember(actor.seen, "pair_list_json", program.0, crate::report::FRESH_FOR, json).await;
    }
    Ok(Arc::new(json.await?))
}

/// `None` for a sponsor (every pair), else the partner whose pairs these are.
async fn whose_pairs(store: &Store, actor: &Actor, program: ProgramId) -> Result<Option<String>, AppError> {
    let (me, roles) = access::member_of_program(store, actor, program).await?;
    Ok(if roles.contains(&plab_domain::program::Role::Sponsor) { None } else { Some(me) })
}

async fn pairs_page(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    only_partner: Option<&str>,
    page: Page,
) -> Result<Vec<PairView>, AppError> {
    let pairs = store.listed_pairs(program, only_partner, page.after(), page.limit(), actor.seen).await?;
    let mut views: Vec<PairView> = pairs.into_iter().map(PairView::from).collect();
    if only_partner.is_none() {
        // Sponsors only: whether a pair needs a conversation about its fit.
        let checks = crate::fit::checks(store, program).await?;
        for v in &mut views {
            v.fit = Some(crate::fit::signal(&checks, PairId(v.id)).as_str().to_owned());
        }
    }
    Ok(views)
}

pub async fn get_pair(store: &Store, actor: &Actor, pair: PairId) -> Result<PairView, AppError> {
    let (p, access) = access::pair(store, actor, pair).await?;
    let mut v = view(store, &p).await?;
    if access == access::PairAccess::Sponsor {
        let checks = crate::fit::checks(store, p.program).await?;
        v.fit = Some(crate::fit::signal(&checks, p.id).as_str().to_owned());
    }
    Ok(v)
}

/// The strength of every leader's current question, for the program's sponsors
/// (strengths and scores only: the wording stays with the leader and mentor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionStrength {
    pub leader: PersonRef,
    pub version: u32,
    pub strength: &'static str,
    pub score: u8,
}

pub async fn question_strengths(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
) -> Result<Arc<Vec<QuestionStrength>>, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let fresh_for = crate::report::FRESH_FOR;
    store.remember(actor.seen, "question_strengths", program.0, fresh_for, strengths_now(store, program)).await
}

async fn strengths_now(store: &Store, program: ProgramId) -> Result<Vec<QuestionStrength>, AppError> {
    let questions = store.current_questions(program).await?;
    let leaders: Vec<&str> = questions.iter().map(|(leader, _)| leader.as_str()).collect();
    let people = person_refs(store, &leaders).await?;
    let mut out = Vec::new();
    for (leader, v) in &questions {
        out.push(QuestionStrength {
            leader: people[leader].clone(),
            version: v.version,
            strength: v.assessment.strength.as_str(),
            score: v.assessment.score,
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NoteView {
    pub id: i64,
    /// The author's employee id.
    pub author: String,
    pub body: String,
    pub created_at: String,
}

pub async fn notes(store: &Store, vault: &Vault, actor: &Actor, pair: PairId) -> Result<Vec<NoteView>, AppError> {
    access::partner_of_pair(store, actor, pair).await?;
    open_notes(store, vault, pair).await
}

/// The pair's notes, decrypted; callers have authorized a partner.
async fn open_notes(store: &Store, vault: &Vault, pair: PairId) -> Result<Vec<NoteView>, AppError> {
    store
        .notes(pair)
        .await?
        .into_iter()
        .map(|n| {
            let body = vault.open(pair, &n.author_id, &n.nonce, &n.ciphertext)?;
            Ok(NoteView { id: n.id, author: n.author_id, body, created_at: format_instant(n.created_at) })
        })
        .collect()
}

pub async fn add_note(store: &Store, vault: &Vault, actor: &Actor, pair: PairId, body: &str) -> Result<i64, AppError> {
    let (p, _, author) = access::partner_of_pair(store, actor, pair).await?;
    crate::retention::refuse_if_closed(store, p.program).await?;
    if !p.is_open() {
        return Err(AppError::Conflict(
            "This pair has ended: its notes stay here to read, and no new ones are added.".into(),
        ));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(Problem::new(format!("write 1 to {MAX_NOTE_CHARS} characters")).field("body")));
    }
    let (nonce, ciphertext) = vault.seal(pair, &author, body)?;
    Ok(store.add_note(pair, &author, vault.key_id(), &nonce, &ciphertext).await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CharterView {
    pub status: String,
    /// Employee ids of the partners who have accepted the lab rules.
    pub accepted_by: Vec<String>,
}

/// A partner accepts the lab rules; the pair is active once both have.
pub async fn accept_charter(
    store: &Store,
    vault: &Vault,
    post: &crate::mail::Post,
    actor: &Actor,
    pair: PairId,
) -> Result<CharterView, AppError> {
    let (p, _, me) = access::partner_of_pair(store, actor, pair).await?;
    // A closed program's pairs start no sessions.
    crate::retention::refuse_if_closed(store, p.program).await?;
    let status = store.accept_charter(pair, &me).await?;
    let now = Pair { status, ..p };
    crate::sessions::plan_if_active(store, vault, post, &now, crate::sessions::today()).await?;
    Ok(CharterView { status: status.as_str().to_owned(), accepted_by: store.charter_accepted_by(pair).await? })
}

pub async fn charter(store: &Store, actor: &Actor, pair: PairId) -> Result<CharterView, AppError> {
    let (p, _) = access::pair(store, actor, pair).await?;
    Ok(CharterView { status: p.status.as_str().to_owned(), accepted_by: store.charter_accepted_by(pair).await? })
}

/// Everything the pair page shows, authorized once: the partners get the
/// notes and may accept the lab rules; a sponsor gets neither.
#[derive(Debug, Clone)]
pub struct PairOverview {
    pub pair: PairView,
    pub accepted_by: Vec<String>,
    pub can_accept: bool,
    pub sessions: Vec<crate::sessions::SessionView>,
    /// `Some` for the two partners only.
    pub notes: Option<Vec<NoteView>>,
    /// The leader's current research question, for the two partners only
    /// (sponsors see its strength on their dashboard, never its wording).
    pub question: Option<String>,
    /// The visitor's time zone: the page shows every time in it.
    pub zone: plab_domain::zone::Zone,
    /// The day the sponsor ended the pair, and why (shown read-only).
    pub ended: Option<(String, String)>,
}

impl PairOverview {
    /// A session's start in the visitor's zone, named.
    pub fn session_when(&self, s: &crate::sessions::SessionView) -> String {
        self.local(&s.starts_at)
    }

    /// When a note was written, in the visitor's zone, named.
    pub fn note_when(&self, n: &NoteView) -> String {
        self.local(&n.created_at)
    }

    fn local(&self, rfc3339: &str) -> String {
        self.zone.human_text(rfc3339)
    }
}

pub async fn overview(store: &Store, vault: &Vault, actor: &Actor, pair: PairId) -> Result<PairOverview, AppError> {
    let (p, access) = access::pair(store, actor, pair).await?;
    let accepted_by = store.charter_accepted_by(pair).await?;
    let (notes, can_accept, question) = match access {
        PairAccess::Partner(_) => {
            let me = actor.employee_id.as_deref().unwrap_or_default();
            let question = crate::home::leader_question(store, p.program, &p.pair.leader).await?.map(|q| q.text);
            let can_accept = p.is_open() && !accepted_by.iter().any(|a| a == me);
            (Some(open_notes(store, vault, pair).await?), can_accept, question)
        }
        PairAccess::Sponsor => (None, false, None),
    };
    Ok(PairOverview {
        pair: view(store, &p).await?,
        accepted_by,
        can_accept,
        sessions: crate::sessions::of_pair(store, pair).await?,
        notes,
        question,
        zone: crate::accounts::zone_of(store, actor).await?,
        ended: p.ended.as_ref().map(|(on, why)| (crate::pairing::human_day(on), why.clone())),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub program: i64,
    pub role: String,
    /// The program's name.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Me {
    /// The person's employee id, or the account id for an administrator who is no one in the org.
    pub id: String,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub memberships: Vec<Membership>,
    /// The personal calendar feed (the secret in it is the credential); the API
    /// makes it absolute with the address the client used.
    pub calendar_url: String,
    /// Who reset this account's password and when, until the owner dismisses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_notice: Option<String>,
    /// The IANA time zone times are shown in: the person's own choice, else
    /// the directory's, else `UTC`.
    pub timezone: String,
    /// Which mail that can be turned off this person gets.
    pub mail: MailPreferences,
}

/// Reminders (a day before each session, "check-in due") and the sponsor's
/// weekly digest can be turned off; invitations and sign-in mail cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailPreferences {
    pub reminders: bool,
    pub digests: bool,
}

/// Turns my reminders and digests on or off.
pub async fn set_mail_preferences(
    store: &Store,
    actor: &Actor,
    wanted: MailPreferences,
) -> Result<MailPreferences, AppError> {
    store.set_mail_preferences(actor.account_id, wanted.reminders, wanted.digests).await?;
    Ok(wanted)
}

pub async fn me(store: &Store, vault: &Vault, actor: &Actor) -> Result<Me, AppError> {
    let (id, name, memberships) = match &actor.employee_id {
        Some(e) => {
            let person = store.person(e).await?;
            let memberships = store
                .memberships(e)
                .await?
                .into_iter()
                .map(|(program, role, name)| Membership { program: program.0, role: role.as_str().to_owned(), name })
                .collect();
            (e.clone(), person.name.to_string(), memberships)
        }
        None => (format!("account-{}", actor.account_id), actor.email.clone(), Vec::new()),
    };
    Ok(Me {
        id,
        email: actor.email.clone(),
        name,
        is_admin: actor.is_admin,
        memberships,
        calendar_url: calendar_path(vault, actor.account_id, actor.calendar_generation),
        reset_notice: actor.reset_notice.clone(),
        timezone: crate::accounts::zone_of(store, actor).await?.name().to_owned(),
        mail: match store.account(actor.account_id).await? {
            Some(a) => MailPreferences { reminders: a.mail_reminders, digests: a.mail_digests },
            None => MailPreferences { reminders: true, digests: true },
        },
    })
}

/// `/calendar/ACCOUNT-SECRET.ics`: the account id says whose feed it is, the
/// secret proves the caller was given it.
fn calendar_path(vault: &Vault, account: i64, generation: i64) -> String {
    format!("/calendar/{account}-{}.ics", vault.calendar_secret(account, generation))
}

/// A fresh calendar feed URL; the previous one stops working at once.
pub async fn new_calendar_url(store: &Store, vault: &Vault, actor: &Actor) -> Result<String, AppError> {
    let generation = store.bump_calendar_generation(actor.account_id).await?;
    store.audit(&actor.email, "account.calendar_secret", &actor.email, "new feed URL; the old one ends").await?;
    Ok(calendar_path(vault, actor.account_id, generation))
}
