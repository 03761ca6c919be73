//! The participants' optional self-assessments, at the start (baseline) and
//! the end (closing) of a program. Each person reads and writes only their
//! own; sponsors see group averages in the report, released in steps.
use crate::accounts::Actor;
use crate::{AppError, access};
use plab_domain::ProgramId;
use plab_domain::program::Role;
use plab_domain::selfassessment::{Phase, parse_answers, self_items};
use plab_store::Store;
use serde::Serialize;
use std::collections::BTreeMap;

/// One statement with the person's own answer, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatementView {
    pub code: String,
    pub statement: String,
    pub answer: Option<u8>,
}

/// A person's own self-assessment for one phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MySelfAssessment {
    /// `baseline` or `closing`.
    pub phase: String,
    /// `leader` or `mentor`: whose statements these are.
    pub role: String,
    pub statements: Vec<StatementView>,
    /// Sponsors see these answers only inside an average of at least this
    /// many people (the program's group size, never below the instance's floor).
    pub group_size: u32,
}

/// The phase named in a URL; anything else names nothing.
pub fn phase(raw: &str) -> Result<Phase, AppError> {
    Phase::parse(raw).ok_or_else(|| AppError::NotFound { what: "self-assessment phase", id: raw.to_owned() })
}

/// The actor's participant role in the program (leaders and mentors only).
async fn participant(store: &Store, actor: &Actor, program: ProgramId) -> Result<(String, Role), AppError> {
    let (me, roles) = access::member_of_program(store, actor, program).await?;
    let role = [Role::Leader, Role::Mentor].into_iter().find(|r| roles.contains(r)).ok_or_else(|| {
        AppError::Forbidden(format!("only the leaders and mentors of program {program} assess themselves"))
    })?;
    Ok((me, role))
}

async fn view(
    store: &Store,
    program: ProgramId,
    me: &str,
    role: Role,
    phase: Phase,
) -> Result<MySelfAssessment, AppError> {
    let answers: BTreeMap<String, u8> = store.own_self_assessment(program, me, phase).await?.into_iter().collect();
    Ok(MySelfAssessment {
        phase: phase.as_str().to_owned(),
        role: role.as_str().to_owned(),
        statements: self_items(role)
            .map(|i| StatementView {
                code: i.code.to_owned(),
                statement: i.statement.to_owned(),
                answer: answers.get(i.code).copied(),
            })
            .collect(),
        group_size: crate::programs::group_size(store, program).await?,
    })
}

/// One's own self-assessment for a phase (the statements, answered or not).
pub async fn mine(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    phase: Phase,
) -> Result<MySelfAssessment, AppError> {
    let (me, role) = participant(store, actor, program).await?;
    view(store, program, &me, role, phase).await
}

/// Answers (or changes) one's own self-assessment for a phase: every
/// statement of one's role, each 1-5.
pub async fn answer(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    phase: Phase,
    answers: &BTreeMap<String, i64>,
) -> Result<MySelfAssessment, AppError> {
    let (me, role) = participant(store, actor, program).await?;
    crate::retention::refuse_if_closed(store, program).await?;
    let parsed = parse_answers(role, answers)?;
    store.save_self_assessment(program, &me, role, phase, &parsed).await?;
    view(store, program, &me, role, phase).await
}
