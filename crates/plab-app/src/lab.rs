//! A pair's private space: who may see a pair, its notes and its lab rules.
//! `pair_access` is the one place that decides; every service here asks it.
use crate::accounts::Actor;
use crate::vault::Vault;
use crate::{AppError, Problem};
use plab_domain::program::Role;
use plab_store::{Pair, ProgramId, Store};
use serde::Serialize;
use std::collections::HashMap;

pub const MAX_NOTE_CHARS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// One of the two partners: may read and write the pair's notes.
    Partner(Role),
    /// A sponsor of the pair's program: sees the pair, never its notes.
    Sponsor,
}

/// Decides what the actor may do with a pair; anyone else is refused.
pub async fn pair_access(store: &Store, actor: &Actor, pair: i64) -> Result<(Pair, Access), AppError> {
    let p = store.pair(pair).await?;
    let me = actor.employee_id.as_deref();
    if me == Some(p.pair.leader.as_str()) {
        return Ok((p, Access::Partner(Role::Leader)));
    }
    if me == Some(p.pair.mentor.as_str()) {
        return Ok((p, Access::Partner(Role::Mentor)));
    }
    if let Some(me) = me
        && store.roles_of(p.program, me).await?.contains(&Role::Sponsor)
    {
        return Ok((p, Access::Sponsor));
    }
    Err(AppError::Forbidden(format!("pair {pair} is not yours")))
}

/// Only the two partners, never sponsors or admins: the pair, the actor's
/// role in it and their employee id.
pub(crate) async fn partner_only(store: &Store, actor: &Actor, pair: i64) -> Result<(Pair, Role, String), AppError> {
    match pair_access(store, actor, pair).await? {
        (p, Access::Partner(role)) => {
            let me = if role == Role::Leader { p.pair.leader.clone() } else { p.pair.mentor.clone() };
            Ok((p, role, me))
        }
        (_, Access::Sponsor) => {
            Err(AppError::Forbidden("what is shared in the lab stays in the lab: only the pair opens it".into()))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PairView {
    pub id: i64,
    pub program: i64,
    pub leader: PersonRef,
    pub mentor: PersonRef,
    /// `forming` until both partners accept the lab rules, then `active`.
    pub status: String,
    pub kind: String,
    pub score: f64,
}

/// The people behind these ids, looked up at once.
async fn person_refs(store: &Store, ids: &[&str]) -> Result<HashMap<String, PersonRef>, AppError> {
    let found = store.names_and_emails(ids).await?;
    ids.iter()
        .map(|id| {
            let (name, email) =
                found.get(*id).cloned().ok_or_else(|| AppError::NotFound { what: "person", id: (*id).to_owned() })?;
            Ok(((*id).to_owned(), PersonRef { id: (*id).to_owned(), name, email }))
        })
        .collect()
}

/// The views of these pairs, with one lookup for everyone in them.
async fn views(store: &Store, pairs: &[&Pair]) -> Result<Vec<PairView>, AppError> {
    let ids: Vec<&str> = pairs.iter().flat_map(|p| [p.pair.leader.as_str(), p.pair.mentor.as_str()]).collect();
    let people = person_refs(store, &ids).await?;
    Ok(pairs
        .iter()
        .map(|p| PairView {
            id: p.id,
            program: p.program.0,
            leader: people[&p.pair.leader].clone(),
            mentor: people[&p.pair.mentor].clone(),
            status: p.status.clone(),
            kind: p.pair.kind.clone(),
            score: p.pair.score,
        })
        .collect())
}

pub(crate) async fn view(store: &Store, p: &Pair) -> Result<PairView, AppError> {
    let mut one = views(store, &[p]).await?;
    one.pop().ok_or_else(|| AppError::NotFound { what: "pair", id: p.id.to_string() })
}

/// A program's sponsors see every pair; a leader or mentor sees their own.
pub async fn list_pairs(store: &Store, actor: &Actor, program: ProgramId) -> Result<Vec<PairView>, AppError> {
    store.program(program).await?;
    let roles = match &actor.employee_id {
        Some(me) => store.roles_of(program, me).await?,
        None => Vec::new(),
    };
    if roles.is_empty() {
        return Err(AppError::Forbidden(format!("you take no part in program {program}")));
    }
    let me = actor.employee_id.as_deref().unwrap_or_default();
    let sponsor = roles.contains(&Role::Sponsor);
    let pairs = store.pairs(program).await?;
    let visible: Vec<&Pair> = pairs.iter().filter(|p| sponsor || p.pair.leader == me || p.pair.mentor == me).collect();
    views(store, &visible).await
}

/// The pairs the actor is a partner in, across programs (their home page).
pub async fn my_pairs(store: &Store, actor: &Actor) -> Result<Vec<PairView>, AppError> {
    let Some(me) = &actor.employee_id else { return Ok(Vec::new()) };
    let pairs = store.pairs_of_person(me).await?;
    views(store, &pairs.iter().collect::<Vec<_>>()).await
}

pub async fn get_pair(store: &Store, actor: &Actor, pair: i64) -> Result<PairView, AppError> {
    let (p, _) = pair_access(store, actor, pair).await?;
    view(store, &p).await
}

/// Only the program's sponsors.
pub async fn require_sponsor(store: &Store, actor: &Actor, program: ProgramId) -> Result<(), AppError> {
    require_role(store, actor, program, Role::Sponsor).await.map(drop)
}

/// The actor takes this role in the program; returns their employee id. The
/// one check behind every "sponsors only", "leaders only" and "mentors only".
pub async fn require_role(store: &Store, actor: &Actor, program: ProgramId, role: Role) -> Result<String, AppError> {
    store.program(program).await?;
    if let Some(me) = &actor.employee_id
        && store.roles_of(program, me).await?.contains(&role)
    {
        return Ok(me.clone());
    }
    Err(AppError::Forbidden(match role {
        Role::Sponsor => format!("only the sponsors of program {program} see this"),
        _ => format!("you are not a {role} in program {program}"),
    }))
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
) -> Result<Vec<QuestionStrength>, AppError> {
    require_sponsor(store, actor, program).await?;
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

pub async fn notes(store: &Store, vault: &Vault, actor: &Actor, pair: i64) -> Result<Vec<NoteView>, AppError> {
    partner_only(store, actor, pair).await?;
    open_notes(store, vault, pair).await
}

/// The pair's notes, decrypted; callers have authorized a partner.
async fn open_notes(store: &Store, vault: &Vault, pair: i64) -> Result<Vec<NoteView>, AppError> {
    store
        .notes(pair)
        .await?
        .into_iter()
        .map(|n| {
            let body = vault.open(pair, &n.author_id, &n.nonce, &n.ciphertext)?;
            Ok(NoteView { id: n.id, author: n.author_id, body, created_at: n.created_at })
        })
        .collect()
}

pub async fn add_note(store: &Store, vault: &Vault, actor: &Actor, pair: i64, body: &str) -> Result<i64, AppError> {
    let (_, _, author) = partner_only(store, actor, pair).await?;
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
pub async fn accept_charter(store: &Store, actor: &Actor, pair: i64) -> Result<CharterView, AppError> {
    let (p, _, me) = partner_only(store, actor, pair).await?;
    let status = store.accept_charter(pair, &me).await?;
    let now = Pair { status: status.clone(), ..p };
    crate::sessions::plan_if_active(store, &now, crate::sessions::today()).await?;
    Ok(CharterView { status, accepted_by: store.charter_accepted_by(pair).await? })
}

pub async fn charter(store: &Store, actor: &Actor, pair: i64) -> Result<CharterView, AppError> {
    let (p, _) = pair_access(store, actor, pair).await?;
    Ok(CharterView { status: p.status, accepted_by: store.charter_accepted_by(pair).await? })
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
}

pub async fn overview(store: &Store, vault: &Vault, actor: &Actor, pair: i64) -> Result<PairOverview, AppError> {
    let (p, access) = pair_access(store, actor, pair).await?;
    let accepted_by = store.charter_accepted_by(pair).await?;
    let (notes, can_accept) = match access {
        Access::Partner(_) => {
            let me = actor.employee_id.as_deref().unwrap_or_default();
            (Some(open_notes(store, vault, pair).await?), !accepted_by.iter().any(|a| a == me))
        }
        Access::Sponsor => (None, false),
    };
    Ok(PairOverview {
        pair: view(store, &p).await?,
        accepted_by,
        can_accept,
        sessions: crate::sessions::of_pair(store, pair).await?,
        notes,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub program: i64,
    pub role: String,
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
}

pub async fn me(store: &Store, actor: &Actor) -> Result<Me, AppError> {
    let (id, name, memberships) = match &actor.employee_id {
        Some(e) => {
            let person = store.person(e).await?;
            let memberships =
                store.memberships(e).await?.into_iter().map(|(program, role)| Membership { program, role }).collect();
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
        calendar_url: format!("/calendar/{}.ics", actor.calendar_secret),
    })
}
