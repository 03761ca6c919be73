//! Every authorization decision, in one place. Each function is named after
//! whom it admits (`partner_of_pair`, `sponsor_of_program`, `admin`, …) and
//! returns what the caller needs next, so a service cannot ask twice or forget.
//!
//! Existence is hidden: a pair, session or program the actor may not see at
//! all is "not found", exactly like a missing id. "Forbidden" is kept for an
//! actor who can see the resource but not take this action (a sponsor asking
//! for a pair's notes in their own program; a leader asking for their
//! program's sponsor-only figures).
use crate::AppError;
use crate::accounts::Actor;
use plab_domain::insight::InsightId;
use plab_domain::program::Role;
use plab_domain::{PairId, SessionId};
use plab_store::{Pair, ProgramId, Store, StoredInsight, StoredSession};

/// What the actor may do with a pair they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairAccess {
    /// One of the two partners: may read and write the pair's notes.
    Partner(Role),
    /// A sponsor of the pair's program: sees the pair, never its notes.
    Sponsor,
}

fn pair_not_found(pair: PairId) -> AppError {
    AppError::NotFound { what: "pair", id: pair.to_string() }
}

fn program_not_found(program: ProgramId) -> AppError {
    AppError::NotFound { what: "program", id: program.to_string() }
}

/// A partner of the pair, or a sponsor of its program; anyone else: not found.
pub async fn pair(store: &Store, actor: &Actor, pair: PairId) -> Result<(Pair, PairAccess), AppError> {
    let p = store.pair(pair).await?;
    let Some(me) = actor.employee_id.as_deref() else { return Err(pair_not_found(pair)) };
    if me == p.pair.leader {
        return Ok((p, PairAccess::Partner(Role::Leader)));
    }
    if me == p.pair.mentor {
        return Ok((p, PairAccess::Partner(Role::Mentor)));
    }
    if store.roles_of(p.program, me).await?.contains(&Role::Sponsor) {
        return Ok((p, PairAccess::Sponsor));
    }
    Err(pair_not_found(pair))
}

/// Only the two partners, never sponsors or admins: the pair, the actor's
/// role in it and their employee id. A sponsor of the program is refused
/// (403); anyone else does not see the pair (404).
pub async fn partner_of_pair(store: &Store, actor: &Actor, id: PairId) -> Result<(Pair, Role, String), AppError> {
    match pair(store, actor, id).await? {
        (p, PairAccess::Partner(role)) => {
            let me = if role == Role::Leader { p.pair.leader.clone() } else { p.pair.mentor.clone() };
            Ok((p, role, me))
        }
        (_, PairAccess::Sponsor) => {
            Err(AppError::Forbidden("what is shared in the lab stays in the lab: only the pair opens it".into()))
        }
    }
}

/// A session of a pair one cannot see is a session one cannot see.
fn session_not_found(e: AppError, id: SessionId) -> AppError {
    match e {
        AppError::NotFound { .. } => AppError::NotFound { what: "session", id: id.to_string() },
        other => other,
    }
}

/// A session's partners only, with the pair, the actor's role and employee id.
pub async fn partner_of_session(
    store: &Store,
    actor: &Actor,
    id: SessionId,
) -> Result<(StoredSession, Pair, Role, String), AppError> {
    let s = store.session(id).await?;
    let (p, role, me) = partner_of_pair(store, actor, s.pair_id).await.map_err(|e| session_not_found(e, id))?;
    Ok((s, p, role, me))
}

/// Only the pair's leader (the insight log): the pair and their employee id.
/// The mentor and the program's sponsors see the pair but not this (403);
/// anyone else does not see the pair (404).
pub async fn leader_of_pair(store: &Store, actor: &Actor, id: PairId) -> Result<(Pair, String), AppError> {
    match pair(store, actor, id).await? {
        (p, PairAccess::Partner(Role::Leader)) => {
            let me = p.pair.leader.clone();
            Ok((p, me))
        }
        _ => Err(AppError::Forbidden("only the pair's Lead Learner keeps its insight log".into())),
    }
}

/// One entry of a leader's insight log, for that leader only; the mentor and
/// the sponsors get 403 as for the pair's log, anyone else 404.
pub async fn leader_of_insight(
    store: &Store,
    actor: &Actor,
    id: InsightId,
) -> Result<(StoredInsight, Pair, String), AppError> {
    let insight = store.insight(id).await?;
    let (p, me) = leader_of_pair(store, actor, insight.pair).await.map_err(|e| match e {
        AppError::NotFound { .. } => AppError::NotFound { what: "insight", id: id.to_string() },
        other => other,
    })?;
    Ok((insight, p, me))
}

/// Only a sponsor of the pair's program (recording a check-in held in person):
/// the pair and the sponsor's employee id. The partners see the pair but not
/// this (403); anyone else does not see the pair (404).
pub async fn sponsor_of_pair(store: &Store, actor: &Actor, id: PairId) -> Result<(Pair, String), AppError> {
    match pair(store, actor, id).await? {
        (p, PairAccess::Sponsor) => {
            let me = actor.employee_id.clone().unwrap_or_default();
            Ok((p, me))
        }
        (_, PairAccess::Partner(_)) => {
            Err(AppError::Forbidden("a partner answers their own check-in; sponsors record in-person ones".into()))
        }
    }
}

/// Someone enrolled in the program in any role: their employee id and roles.
/// Anyone else (administrators included) does not see the program.
pub async fn member_of_program(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
) -> Result<(String, Vec<Role>), AppError> {
    // Someone who is no one in the org is in no program, and a missing
    // program is the same 404: no query needed to tell them apart.
    let Some(me) = &actor.employee_id else { return Err(program_not_found(program)) };
    let roles = store.program_roles(program, me, actor.seen).await?;
    if roles.is_empty() {
        return Err(program_not_found(program));
    }
    Ok((me.clone(), roles))
}

/// The actor takes this role in the program; returns their employee id. The
/// one check behind every "sponsors only", "leaders only" and "mentors only".
pub async fn role_in_program(store: &Store, actor: &Actor, program: ProgramId, role: Role) -> Result<String, AppError> {
    let (me, roles) = member_of_program(store, actor, program).await?;
    if roles.contains(&role) {
        return Ok(me);
    }
    Err(AppError::Forbidden(match role {
        Role::Sponsor => format!("only the sponsors of program {program} see this"),
        _ => format!("you are not a {role} in program {program}"),
    }))
}

/// Only the program's sponsors; returns their employee id.
pub async fn sponsor_of_program(store: &Store, actor: &Actor, program: ProgramId) -> Result<String, AppError> {
    role_in_program(store, actor, program, Role::Sponsor).await
}

/// Who reads a program's name, state and dates: anyone enrolled in it, and
/// administrators. Anyone else does not see the program.
pub async fn reader_of_program(store: &Store, actor: &Actor, program: ProgramId) -> Result<(), AppError> {
    if actor.is_admin {
        store.program(program).await?;
        return Ok(());
    }
    member_of_program(store, actor, program).await.map(|_| ())
}

/// A leader or mentor of the program (the closing questions and concerns
/// are theirs): their employee id and that role. Sponsors are refused (403),
/// anyone else does not see the program (404).
pub async fn participant_of_program(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
) -> Result<(String, Role), AppError> {
    let (me, roles) = member_of_program(store, actor, program).await?;
    match roles.into_iter().find(|r| *r != Role::Sponsor) {
        Some(role) => Ok((me, role)),
        None => Err(AppError::Forbidden(format!("only the leaders and mentors of program {program} do this"))),
    }
}

/// Administrators of the instance: accounts and settings, never a pair's content.
pub fn admin(actor: &Actor) -> Result<(), AppError> {
    if actor.is_admin { Ok(()) } else { Err(AppError::Forbidden("only administrators do this".into())) }
}

/// Who may load the organisation's people: administrators, and the sponsors of any program.
pub async fn importer(store: &Store, actor: &Actor) -> Result<(), AppError> {
    organiser(store, actor, "import people").await
}

/// Who may open a new program: administrators, and the sponsors of any program.
pub async fn program_opener(store: &Store, actor: &Actor) -> Result<(), AppError> {
    organiser(store, actor, "open programs").await
}

/// Administrators and the sponsors of any program, for what they alone `do`.
async fn organiser(store: &Store, actor: &Actor, doing: &str) -> Result<(), AppError> {
    if actor.is_admin {
        return Ok(());
    }
    if let Some(me) = &actor.employee_id
        && store.memberships(me).await?.iter().any(|(_, role, _)| *role == Role::Sponsor)
    {
        return Ok(());
    }
    Err(AppError::Forbidden(format!("only administrators and sponsors {doing}")))
}

/// Who reads a program's concerns: anyone a concern of the program was
/// routed to (a sponsor, or the administrators' named contact, enrolled or
/// not), and the program's sponsors (who then read only those routed to
/// them, perhaps none). Another member of the program: 403; anyone else 404.
pub async fn concern_reader(store: &Store, actor: &Actor, program: ProgramId) -> Result<String, AppError> {
    if let Some(me) = &actor.employee_id
        && store.is_concern_recipient(program, me).await?
    {
        return Ok(me.clone());
    }
    let (me, roles) = member_of_program(store, actor, program).await?;
    if roles.contains(&Role::Sponsor) {
        return Ok(me);
    }
    Err(AppError::Forbidden("a concern is read only by the people outside the reporting lines it was sent to".into()))
}

/// One leader's commitment, for that leader only (as for an entry of their
/// insight log): the mentor and the sponsors see the pair but not this
/// (403), anyone else does not see it (404).
pub async fn leader_of_commitment(
    store: &Store,
    actor: &Actor,
    id: plab_domain::commitment::CommitmentId,
) -> Result<(plab_store::StoredCommitment, Pair), AppError> {
    let c = store.commitment(id).await?;
    let (p, _) = leader_of_pair(store, actor, c.pair).await.map_err(|e| match e {
        AppError::NotFound { .. } => AppError::NotFound { what: "commitment", id: id.to_string() },
        AppError::Forbidden(_) => AppError::Forbidden("only the Lead Learner who made a commitment changes it".into()),
        other => other,
    })?;
    Ok((c, p))
}

/// Which programs a member of the program office reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfficeScope {
    /// Named by an administrator: every program.
    All,
    /// A sponsor of two or more programs: those programs.
    Sponsored(Vec<ProgramId>),
}

/// The program office: people an administrator named, and everyone who
/// sponsors two or more programs. Anyone else, administrators included: 403.
pub async fn program_office(store: &Store, actor: &Actor) -> Result<OfficeScope, AppError> {
    let refused = || AppError::Forbidden("only the program office reads the organisation's lab report".into());
    let Some(me) = &actor.employee_id else { return Err(refused()) };
    if store.is_office_member(me).await? {
        return Ok(OfficeScope::All);
    }
    let sponsored: Vec<ProgramId> = store
        .memberships(me)
        .await?
        .into_iter()
        .filter(|(_, role, _)| *role == Role::Sponsor)
        .map(|(program, _, _)| program)
        .collect();
    if sponsored.len() >= 2 { Ok(OfficeScope::Sponsored(sponsored)) } else { Err(refused()) }
}
