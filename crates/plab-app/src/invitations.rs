//! Invitations: a sponsor welcomes the people enrolled in their program by
//! e-mail, sees who has accepted, and sends again when needed.
//!
//! Within the trust rules: the welcome goes only to the sign-in address of
//! the person's own account (`disclosure::mail_to`); a person without an
//! account gets one now, signing in with their directory e-mail. Only an
//! account that was never established gets a set-password link, and only
//! while people sign in with passwords; it is mailed to its owner and never
//! shown to the sponsor. Everyone else is told how to sign in.
use crate::accounts::{self, Actor};
use crate::disclosure::{self, Carries};
use crate::mail::{Letter, Post};
use crate::sso::PasswordSignIn;
use crate::vault::Vault;
use crate::{AppError, Problem, access};
use plab_domain::program::Role;
use plab_store::{NewLink, ProgramId, Store, StoreError};
use serde::Serialize;

/// A second invitation to the same person waits this long after the last.
pub const RESEND_MINUTES: i64 = 10;

/// How the instance sends mail and lets people in.
#[derive(Clone, Copy)]
pub struct Mailer<'a> {
    pub vault: &'a Vault,
    pub post: &'a Post,
    pub policy: PasswordSignIn,
    /// People may sign in through the organisation's identity provider.
    pub sso_on: bool,
}

/// Whom to invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whom {
    /// These enrolled people (by employee id), invited again if already invited.
    These(Vec<String>),
    /// Everyone enrolled who was never invited and has not signed in yet.
    AllNotYetInvited,
}

/// What an invitation round did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sent {
    /// The names of those invited now.
    pub invited: Vec<String>,
    /// Those left out, each with why (`at` is their employee id).
    pub skipped: Vec<Problem>,
}

/// Where an enrolled person stands: `not_invited`, `invited` or `accepted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InvitationStatus {
    pub employee_id: String,
    pub name: String,
    /// `sponsor`, `leader` or `mentor`.
    pub role: String,
    /// `accepted` (their account has a password, a provider identity or a
    /// sign-in), `invited` (a welcome went out) or `not_invited`.
    pub status: String,
    /// When the last invitation went out (RFC 3339), if ever.
    pub invited_at: Option<String>,
    /// How many invitations went out.
    pub sent: i64,
    /// Whether a sponsor may send one now (not within `RESEND_MINUTES` of the last, not to themselves).
    pub can_invite: bool,
    /// `invited_at` as a page shows it, in the viewer's zone.
    #[serde(skip)]
    pub invited_text: Option<String>,
}

/// Everyone enrolled in the program with where their invitation stands, by
/// role then name; the program's sponsors only.
pub async fn statuses(store: &Store, actor: &Actor, program: ProgramId) -> Result<Vec<InvitationStatus>, AppError> {
    let me = access::sponsor_of_program(store, actor, program).await?;
    let zone = accounts::zone_of(store, actor).await?;
    let states = store.invitation_states(program).await?;
    let resend_after = accounts::rfc3339_from_now(-RESEND_MINUTES * 60);
    let mut out: Vec<InvitationStatus> = Vec::new();
    for entry in store.roster(program).await? {
        if out.iter().any(|s| s.employee_id == entry.employee_id) {
            continue;
        }
        let state = states.iter().find(|s| s.employee_id == entry.employee_id);
        let invited_at = state.and_then(|s| s.invited_at.clone());
        let status = match state {
            Some(s) if s.established => "accepted",
            Some(s) if s.invited_at.is_some() => "invited",
            _ => "not_invited",
        };
        out.push(InvitationStatus {
            can_invite: entry.employee_id != me && invited_at.as_deref().is_none_or(|at| at <= resend_after.as_str()),
            invited_text: invited_at.as_deref().map(|t| zone.human_text(t)),
            sent: state.map_or(0, |s| s.sent),
            employee_id: entry.employee_id,
            name: entry.name,
            role: entry.role.as_str().to_owned(),
            status: status.to_owned(),
            invited_at,
        });
    }
    Ok(out)
}

/// Sends the welcome to each person chosen, as the program's sponsor. Each
/// one who cannot be invited is named with the reason and the others still
/// go: a leaver, a disabled account, someone invited within the last
/// `RESEND_MINUTES`, an address that is another account's sign-in. Audited
/// per person, never with the link.
pub async fn invite(
    store: &Store,
    mailer: Mailer<'_>,
    actor: &Actor,
    program: ProgramId,
    whom: Whom,
) -> Result<Sent, AppError> {
    let me = access::sponsor_of_program(store, actor, program).await?;
    if !mailer.post.is_on() {
        return Err(AppError::Conflict(
            "this instance sends no e-mail yet, so no invitation can go out: ask your administrator to set e-mail up"
                .into(),
        ));
    }
    let program_name = store.program(program).await?.name;
    let sponsor_name = store.person(&me).await?.name.to_string();
    let roster = store.roster(program).await?;
    let states = store.invitation_states(program).await?;
    let ids: Vec<String> = match whom {
        Whom::These(ids) => {
            let ids: Vec<String> = ids.iter().map(|id| id.trim().to_owned()).filter(|id| !id.is_empty()).collect();
            if ids.is_empty() {
                return Err(AppError::invalid(Problem::new("choose at least one person to invite").field("people")));
            }
            let strangers: Vec<Problem> = ids
                .iter()
                .filter(|id| !roster.iter().any(|e| &e.employee_id == *id))
                .map(|id| Problem::new("is not enrolled in this program").field("people").at(id.clone()))
                .collect();
            if !strangers.is_empty() {
                return Err(AppError::Invalid(strangers));
            }
            ids
        }
        Whom::AllNotYetInvited => states
            .iter()
            .filter(|s| s.invited_at.is_none() && !s.established && s.employee_id != me)
            .map(|s| s.employee_id.clone())
            .collect(),
    };
    let mut sent = Sent::default();
    for id in ids {
        let Some(entry) = roster.iter().find(|e| e.employee_id == id) else { continue };
        let letter = Welcome { program, program_name: &program_name, sponsor: &sponsor_name, role: entry.role };
        match invite_one(store, mailer, actor, &me, &id, &entry.name, &letter).await? {
            Ok(()) => sent.invited.push(entry.name.clone()),
            Err(why) => sent.skipped.push(Problem::new(why).at(id.clone())),
        }
    }
    Ok(sent)
}

/// What every welcome of one program says.
struct Welcome<'a> {
    program: ProgramId,
    program_name: &'a str,
    sponsor: &'a str,
    role: Role,
}

/// How the person will get in.
enum Way {
    SetPassword(String),
    CompanyAccount,
    Password,
}

/// Invites one person: `Ok(Err(why))` when they are left out.
async fn invite_one(
    store: &Store,
    mailer: Mailer<'_>,
    actor: &Actor,
    me: &str,
    id: &str,
    name: &str,
    welcome: &Welcome<'_>,
) -> Result<Result<(), String>, AppError> {
    if id == me {
        return Ok(Err(format!("{name}: that is you, and you are already here")));
    }
    let today = crate::sessions::today();
    let person = store.person(id).await?;
    if person.end_date.is_some_and(|left| left <= today) {
        return Ok(Err(format!("{name} has left the organisation: no invitation was sent")));
    }
    let account = match store.account_of_person(id).await? {
        Some(a) => a,
        None => match store.open_account(person.email.as_str(), id).await {
            Ok(a) => a,
            Err(StoreError::Conflict(_)) => {
                return Ok(Err(format!(
                    "{name}'s e-mail is already another account's sign-in: ask your administrator"
                )));
            }
            Err(e) => return Err(e.into()),
        },
    };
    if !account.in_good_standing(&today.to_string()) {
        return Ok(Err(format!("{name}'s account is disabled: no invitation was sent")));
    }
    let Some(recipient) = store.recipients(&[id], &today.to_string()).await?.pop() else {
        return Ok(Err(format!("{name} is not in the directory")));
    };
    let Some(to) = disclosure::mail_to(&recipient, Carries::Private) else {
        return Ok(Err(format!("{name} cannot be reached by e-mail here: ask your administrator")));
    };
    let passwords = mailer.policy == PasswordSignIn::Everyone;
    let (way, link) = if !account.established && !mailer.sso_on && passwords {
        let (secret, link) = accounts::new_password_link(store, &account.email, &actor.email, mailer.policy).await?;
        (Way::SetPassword(secret), Some(link))
    } else if mailer.sso_on {
        (Way::CompanyAccount, None)
    } else {
        (Way::Password, None)
    };
    // Each welcome its own message: the throttle, not the key, keeps a second one from going out too soon.
    let key = format!("invitation:{}:{id}:{}", welcome.program, accounts::random_token());
    let letter = welcome.letter(key, to, &account.email, &way);
    let outgoing: Vec<_> = mailer.post.seal(mailer.vault, &letter)?.into_iter().collect();
    let resend_after = accounts::rfc3339_from_now(-RESEND_MINUTES * 60);
    let expires = accounts::rfc3339_from_now(accounts::LINK_DAYS * 86_400);
    let hash = match &way {
        Way::SetPassword(secret) => Some(accounts::token_hash(secret)),
        _ => None,
    };
    let new_link =
        link.as_ref().zip(hash.as_deref()).map(|(link, token_hash)| NewLink { token_hash, link, expires_at: &expires });
    let subject = format!("program {}", welcome.program);
    if !store.record_invitation(welcome.program, id, &actor.email, &resend_after, new_link, &outgoing).await? {
        return Ok(Err(format!(
            "{name} was invited less than {RESEND_MINUTES} minutes ago: send it again a little later"
        )));
    }
    let detail = match way {
        Way::SetPassword(_) => "welcome with a set-password link, to the account's own address",
        Way::CompanyAccount => "welcome: sign in with the company account",
        Way::Password => "welcome: sign in with the existing password",
    };
    store.audit(&actor.email, "program.invite", &subject, &format!("{id}: {detail}")).await?;
    Ok(Ok(()))
}

impl Welcome<'_> {
    fn letter(&self, key: String, to: crate::mail::To, sign_in: &str, way: &Way) -> Letter {
        let role = match self.role {
            Role::Leader => {
                "a leader: a younger colleague will be your mentor and show you how your work looks from where they stand"
            }
            Role::Mentor => {
                "a mentor: you will be paired with a senior leader and lead the conversation about their research question"
            }
            Role::Sponsor => "a co-sponsor: you will follow the program and its pairs with the other sponsors",
        };
        let mut paragraphs = vec![format!(
            "{} invites you to {}, a reverse-mentoring program on Perspective Lab, as {role}.",
            self.sponsor, self.program_name
        )];
        let link = match way {
            Way::SetPassword(secret) => {
                paragraphs.push(format!(
                    "You sign in as {sign_in}. Choose your password with the button below: the link works once, \
                     for {} days, and once your password is set you are signed in.",
                    accounts::LINK_DAYS
                ));
                ("Set your password".to_owned(), format!("/set-password/{secret}"))
            }
            Way::CompanyAccount => {
                paragraphs.push(
                    "Sign in with your company account: open Perspective Lab and choose \"Sign in with single sign-on\"."
                        .to_owned(),
                );
                ("Open Perspective Lab".to_owned(), "/".to_owned())
            }
            Way::Password => {
                paragraphs.push(format!(
                    "Sign in as {sign_in} with the password you already have. If you no longer know it, \
                     the sign-in page sends you a link to set a new one."
                ));
                ("Open Perspective Lab".to_owned(), "/".to_owned())
            }
        };
        Letter {
            kind: "invitation",
            key,
            to,
            subject: format!("Welcome to {} on Perspective Lab", self.program_name),
            paragraphs,
            link: Some(link),
            calendar: None,
            can_opt_out: false,
        }
    }
}
