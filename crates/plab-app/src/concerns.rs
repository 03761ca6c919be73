//! Confidential concerns: a leader or mentor raises a concern about their
//! pairing; it reaches only the program's sponsors outside the reporting
//! chains of the person who raised it and of every partner they have in the
//! program (`plab_domain::concern`), or, when there is none, the
//! administrators' named contact (instance setting `concern_contact`).
//! The recipients are decided once, when it is raised, and stored.
//!
//! Nothing about a concern is written to the audit log: its actor would name
//! an anonymous raiser to every administrator who reads the log.
use crate::accounts::Actor;
use crate::mail::{Letter, Post};
use crate::vault::Vault;
use crate::{AppError, Problem, access, disclosure};
use plab_domain::ProgramId;
use plab_domain::concern::{OrgChart, parse_text, routed_sponsors};
use plab_domain::program::Role;
use plab_store::{RoutedAs, Store, StoredConcern};
use serde::Serialize;

/// A concern as one of its recipients reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RoutedConcern {
    pub id: i64,
    pub text: String,
    /// The employee id of who raised it; null when they chose to stay anonymous.
    pub from: Option<String>,
    /// The name of who raised it; null when anonymous.
    #[serde(skip)]
    pub from_name: Option<String>,
    /// When it was raised (RFC 3339).
    pub at: String,
}

/// A concern as the person who raised it reads it: never whom it reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OwnConcern {
    pub id: i64,
    pub text: String,
    /// The raiser's own employee id (the readers see it only when not anonymous).
    pub from: String,
    pub anonymous: bool,
    pub at: String,
}

/// What raising a concern gives back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Raised {
    pub id: i64,
}

/// Said when nobody outside the reporting lines involved can receive a concern.
pub const NOBODY_TO_RECEIVE: &str = "Nobody outside your reporting line, or your partner's, can receive a concern \
     in this program yet: every sponsor of the program is in one of those lines and no contact has been named. \
     Nothing was sent or kept. Ask your administrator to name a contact for concerns.";

/// Whom a concern raised by `me` in `program` would reach, decided now.
async fn recipients(store: &Store, program: ProgramId, me: &str) -> Result<Vec<(String, RoutedAs)>, AppError> {
    let partners: Vec<String> = store
        .pairs_of_person(me)
        .await?
        .into_iter()
        .filter(|p| p.program == program)
        .map(|p| if p.pair.leader == me { p.pair.mentor } else { p.pair.leader })
        .collect();
    let mut involved: Vec<&str> = vec![me];
    involved.extend(partners.iter().map(String::as_str));
    let sponsors: Vec<String> = store.enrolled_ids(program, &[Role::Sponsor]).await?;
    let keys = store.directory_keys().await?;
    let chart = OrgChart::new(keys.iter().map(|(id, manager, _)| (id.as_str(), manager.as_deref())));
    let sponsor_ids: Vec<&str> = sponsors.iter().map(String::as_str).collect();
    let routed = routed_sponsors(&chart, &involved, &sponsor_ids);
    if !routed.is_empty() {
        return Ok(routed.into_iter().map(|s| (s.to_owned(), RoutedAs::Sponsor)).collect());
    }
    let contact = crate::settings::get(store).await?.concern_contact;
    // The contact is held to the same rule: never someone in a line involved.
    if !contact.is_empty() && !routed_sponsors(&chart, &involved, &[contact.as_str()]).is_empty() {
        return Ok(vec![(contact, RoutedAs::Contact)]);
    }
    Err(AppError::Conflict(NOBODY_TO_RECEIVE.into()))
}

/// Raises a concern in `program` as one of its leaders or mentors. Refused
/// (409, nothing stored) when nobody outside the lines involved can receive it.
pub async fn raise(
    store: &Store,
    vault: &Vault,
    post: &Post,
    actor: &Actor,
    program: ProgramId,
    text: &str,
    anonymous: bool,
) -> Result<Raised, AppError> {
    let (me, _) = access::participant_of_program(store, actor, program).await?;
    crate::retention::refuse_if_closed(store, program).await?;
    let (id, to) = route_and_store(store, program, &me, text, anonymous).await?;
    tell(store, vault, post, program, id, &to).await?;
    Ok(Raised { id })
}

/// Decides the recipients of a concern `me` raises and stores it with them
/// (no mail: `raise` tells them; the demo has no mail).
pub(crate) async fn route_and_store(
    store: &Store,
    program: ProgramId,
    me: &str,
    text: &str,
    anonymous: bool,
) -> Result<(i64, Vec<(String, RoutedAs)>), AppError> {
    let text = parse_text(text).map_err(|e| AppError::invalid(Problem::from(e)))?;
    let to = recipients(store, program, me).await?;
    let id = store.add_concern(program, me, anonymous, &text, &to).await?;
    Ok((id, to))
}

/// "A concern was raised in <program>; sign in to read it", to each
/// recipient: nothing of the concern, its author or the pair.
async fn tell(
    store: &Store,
    vault: &Vault,
    post: &Post,
    program: ProgramId,
    id: i64,
    to: &[(String, RoutedAs)],
) -> Result<(), AppError> {
    let name = store.program(program).await?.name;
    let ids: Vec<&str> = to.iter().map(|(id, _)| id.as_str()).collect();
    let mut outgoing = Vec::new();
    for r in store.recipients(&ids, &crate::accounts::today_text()).await? {
        let Some(address) = disclosure::mail_to(&r, disclosure::Carries::NothingPrivate) else { continue };
        let letter = Letter {
            kind: "concern_notice",
            key: format!("concern:{id}:{}", r.employee_id),
            to: address,
            subject: format!("A concern was raised in {name}"),
            paragraphs: vec![
                format!(
                    "Someone in the reverse-mentoring program {name} raised a confidential concern about their \
                     pairing. It was sent to you because you are outside their reporting line and their partner's."
                ),
                "Sign in to Perspective Lab to read it.".to_owned(),
            ],
            link: Some(("Read the concern".to_owned(), format!("/programs/{program}/concerns"))),
            calendar: None,
            can_opt_out: false,
        };
        outgoing.extend(post.seal(vault, &letter)?);
    }
    store.enqueue_mail(&outgoing).await?;
    Ok(())
}

fn routed(c: StoredConcern, names: &std::collections::HashMap<String, (String, String)>) -> RoutedConcern {
    let (from, from_name) = if c.anonymous {
        (None, None)
    } else {
        let name = names.get(&c.raised_by).map(|(n, _)| n.clone());
        (Some(c.raised_by), name)
    };
    RoutedConcern { id: c.id, text: c.text, from, from_name, at: c.raised_at }
}

/// The program's concerns routed to the caller (a sponsor it was not routed to gets none).
pub async fn routed_to_me(store: &Store, actor: &Actor, program: ProgramId) -> Result<Vec<RoutedConcern>, AppError> {
    let me = access::concern_reader(store, actor, program).await?;
    let concerns = store.concerns_routed_to(program, &me).await?;
    let named: Vec<&str> = concerns.iter().filter(|c| !c.anonymous).map(|c| c.raised_by.as_str()).collect();
    let names = store.names_and_emails(&named).await?;
    Ok(concerns.into_iter().map(|c| routed(c, &names)).collect())
}

/// The concerns the caller raised in the program.
pub async fn mine(store: &Store, actor: &Actor, program: ProgramId) -> Result<Vec<OwnConcern>, AppError> {
    let (me, _) = access::participant_of_program(store, actor, program).await?;
    Ok(store
        .concerns_raised_by(&me, Some(program))
        .await?
        .into_iter()
        .map(|c| OwnConcern { id: c.id, text: c.text, from: c.raised_by, anonymous: c.anonymous, at: c.raised_at })
        .collect())
}

/// Whether the caller may raise a concern in the program (for the links to the form).
pub async fn may_raise(store: &Store, actor: &Actor, program: ProgramId) -> bool {
    access::participant_of_program(store, actor, program).await.is_ok()
}

/// What the readers' page shows: the program's name and the concerns routed to the caller.
pub struct ForReader {
    pub program_name: String,
    pub concerns: Vec<RoutedConcern>,
}

/// The readers' page (a sponsor, or the named contact who may not be enrolled).
pub async fn for_reader(store: &Store, actor: &Actor, program: ProgramId) -> Result<ForReader, AppError> {
    let concerns = routed_to_me(store, actor, program).await?;
    Ok(ForReader { program_name: store.program(program).await?.name, concerns })
}

/// What the raising form shows: the program's name and the caller's own concerns.
pub struct ForRaiser {
    pub program_name: String,
    pub concerns: Vec<OwnConcern>,
}

/// The raising form's page, for the program's leaders and mentors.
pub async fn for_raiser(store: &Store, actor: &Actor, program: ProgramId) -> Result<ForRaiser, AppError> {
    let concerns = mine(store, actor, program).await?;
    Ok(ForRaiser { program_name: store.program(program).await?.name, concerns })
}
