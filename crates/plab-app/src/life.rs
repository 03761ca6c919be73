//! A program's life: its state (`plab_domain::life`), the close-out (the
//! sponsors begin it; participants are asked the closing self-assessment,
//! their last check-in and the exit question), and the next cohort started
//! from it, standard or the reciprocal phase of its former pairs.
use crate::accounts::Actor;
use crate::disclosure::{self, Carries};
use crate::mail::{Letter, Post};
use crate::vault::Vault;
use crate::{AppError, Problem, access};
use plab_domain::Date;
use plab_domain::life::{self, Action, ExitChoice, ProgramKind, ProgramState};
use plab_domain::program::{ProgramName, Role, one_role};
use plab_domain::selfassessment::Phase;
use plab_store::{NewCohort, ProgramId, Store};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A program as its sponsors, participants and administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgramView {
    pub id: i64,
    pub name: String,
    /// `draft`, `enrolling`, `running`, `closing` or `closed`.
    pub state: String,
    /// `standard`, or `reciprocal` (former pairs swap what they teach).
    pub kind: String,
    /// The program this cohort was started from.
    pub previous_program: Option<i64>,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// The day the close-out began.
    pub closing_on: Option<String>,
    pub closed_on: Option<String>,
}

/// The program's state now (no access check: callers have made theirs).
pub async fn state(store: &Store, program: ProgramId) -> Result<ProgramState, AppError> {
    Ok(life::state_of(store.life_facts(program).await?))
}

/// A 409 in plain words unless the program's state allows `action`.
pub async fn refuse_unless(store: &Store, program: ProgramId, action: Action) -> Result<ProgramState, AppError> {
    let now = state(store, program).await?;
    if life::allows(now, action) { Ok(now) } else { Err(AppError::Conflict(life::refusal(now, action))) }
}

async fn view_of(store: &Store, program: ProgramId) -> Result<ProgramView, AppError> {
    let p = store.program(program).await?;
    Ok(ProgramView {
        id: p.id.0,
        name: p.name,
        state: state(store, program).await?.as_str().to_owned(),
        kind: p.kind.as_str().to_owned(),
        previous_program: p.previous_program.map(|id| id.0),
        starts_on: p.starts_on.to_string(),
        closing_on: p.closing_on.map(|d| d.to_string()),
        closed_on: p.closed_on.map(|d| d.to_string()),
    })
}

/// The program for its sponsors, leaders, mentors and administrators.
pub async fn show(store: &Store, actor: &Actor, program: ProgramId) -> Result<ProgramView, AppError> {
    access::reader_of_program(store, actor, program).await?;
    view_of(store, program).await
}

/// The program for the operator at the machine (`plab program show`).
pub async fn show_as_operator(store: &Store, program: ProgramId) -> Result<ProgramView, AppError> {
    view_of(store, program).await
}

/// A sponsor begins the close-out today: the program is `closing`, no new
/// sessions are planned, and every participant is told (a content-free
/// notice) that the closing questions wait for them.
pub async fn begin_close_out(
    store: &Store,
    vault: &Vault,
    post: &Post,
    actor: &Actor,
    program: ProgramId,
    today: Date,
) -> Result<ProgramView, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    close_out(store, Some((vault, post)), program, today, &actor.email).await
}

/// The operator begins the close-out (`plab program close-out`). The
/// command line holds no notes key, so no notice is mailed from there.
pub async fn begin_close_out_as_operator(
    store: &Store,
    program: ProgramId,
    today: Date,
    by: &str,
) -> Result<ProgramView, AppError> {
    close_out(store, None, program, today, by).await
}

async fn close_out(
    store: &Store,
    mail: Option<(&Vault, &Post)>,
    program: ProgramId,
    today: Date,
    by: &str,
) -> Result<ProgramView, AppError> {
    refuse_unless(store, program, Action::BeginCloseOut).await?;
    store.begin_close_out(program, today).await?;
    let name = store.program(program).await?.name;
    let participants: Vec<String> = store.enrolled_ids(program, &[Role::Leader, Role::Mentor]).await?;
    let ids: Vec<&str> = participants.iter().map(String::as_str).collect();
    let mut outgoing = Vec::new();
    for person in store.recipients(&ids, &today.to_string()).await? {
        let Some(to) = disclosure::mail_to(&person, Carries::NothingPrivate) else { continue };
        let letter = Letter {
            kind: "close_out",
            key: format!("close_out:{program}:{}", person.employee_id),
            to,
            subject: format!("{name} is coming to a close"),
            paragraphs: vec![
                format!("The sponsors of {name} have begun its close-out."),
                "Sign in to Perspective Lab to answer the last questions: how you see yourself now, your last \
                 check-in, and whether you would take part again."
                    .to_owned(),
            ],
            link: Some(("Sign in".to_owned(), "/".to_owned())),
            calendar: None,
            can_opt_out: false,
        };
        if let Some((vault, post)) = mail {
            outgoing.extend(post.seal(vault, &letter)?);
        }
    }
    if !outgoing.is_empty() {
        store.enqueue_mail(&outgoing).await?;
    }
    store.audit(by, "program.close_out", &format!("program {program}"), &format!("began on {today}")).await?;
    view_of(store, program).await
}

/// One choice of the exit question, as a form or a client shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExitOption {
    pub value: String,
    pub label: String,
}

/// The exit question and the participant's own answer, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MyExit {
    pub question: String,
    pub options: Vec<ExitOption>,
    /// Their answer: one of the options' values.
    pub choice: Option<String>,
    pub comment: Option<String>,
    /// Whether the question is asked now (the program is closing).
    pub open: bool,
}

fn exit_options() -> Vec<ExitOption> {
    ExitChoice::ALL.iter().map(|c| ExitOption { value: c.as_str().into(), label: c.label().into() }).collect()
}

/// A leader's or mentor's own exit answer.
pub async fn my_exit(store: &Store, actor: &Actor, program: ProgramId) -> Result<MyExit, AppError> {
    let (me, _) = access::participant_of_program(store, actor, program).await?;
    let mine = store.exit_answers(program).await?.into_iter().find(|a| a.employee_id == me);
    Ok(MyExit {
        question: life::EXIT_QUESTION.to_owned(),
        options: exit_options(),
        choice: mine.as_ref().map(|a| a.choice.as_str().to_owned()),
        comment: mine.and_then(|a| a.comment),
        open: state(store, program).await? == ProgramState::Closing,
    })
}

/// A leader or mentor answers the exit question (again, replacing the
/// answer) while the program is closing.
pub async fn set_my_exit(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    choice: &str,
    comment: Option<&str>,
) -> Result<MyExit, AppError> {
    let (me, role) = access::participant_of_program(store, actor, program).await?;
    let (choice, comment) = match (ExitChoice::parse(choice), life::exit_comment(comment)) {
        (Ok(choice), Ok(comment)) => (choice, comment),
        (choice, comment) => {
            let problems = [choice.err(), comment.err()].into_iter().flatten().map(Problem::from).collect();
            return Err(AppError::Invalid(problems));
        }
    };
    refuse_unless(store, program, Action::ClosingItems).await?;
    store.set_exit_answer(program, &me, role, choice, comment.as_deref()).await?;
    my_exit(store, actor, program).await
}

/// How far the close-out is: how many participants answered each closing
/// item, never who. The split of exit answers is shown only from the
/// program's group size on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CloseOutProgress {
    pub state: String,
    /// Leaders and mentors enrolled.
    pub participants: u64,
    /// Participants who took the closing self-assessment.
    pub closing_self_assessments: u64,
    /// Participants who answered the exit question.
    pub exit_answers: u64,
    /// Answers per choice (`as_mentor`, `as_leader`, `either_role`,
    /// `not_now`); null while fewer than the group size answered.
    pub exit_choices: Option<BTreeMap<String, u64>>,
    /// The group size the split waits for.
    pub min_group_size: u32,
}

/// The close-out's progress, for the program's sponsors.
pub async fn close_out_progress(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
) -> Result<CloseOutProgress, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let participants: BTreeSet<String> =
        store.enrolled_ids(program, &[Role::Leader, Role::Mentor]).await?.into_iter().collect();
    let assessed: BTreeSet<String> = store
        .self_assessment_answers(program)
        .await?
        .into_iter()
        .filter(|a| a.phase == Phase::Closing && participants.contains(&a.employee_id))
        .map(|a| a.employee_id)
        .collect();
    let answers = store.exit_answers(program).await?;
    let group = crate::programs::group_size(store, program).await?;
    let answered = answers.len() as u64;
    let exit_choices = (answered >= u64::from(group)).then(|| {
        let mut split: BTreeMap<String, u64> = ExitChoice::ALL.iter().map(|c| (c.as_str().to_owned(), 0)).collect();
        for a in &answers {
            *split.entry(a.choice.as_str().to_owned()).or_default() += 1;
        }
        split
    });
    Ok(CloseOutProgress {
        state: state(store, program).await?.as_str().to_owned(),
        participants: participants.len() as u64,
        closing_self_assessments: assessed.len() as u64,
        exit_answers: answered,
        exit_choices,
        min_group_size: group,
    })
}

/// Someone proposed for the next cohort: who wants to continue, in the role
/// they held. Sponsors see the names (they enrol them) but not the answers'
/// lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Proposed {
    pub id: String,
    pub name: String,
    /// `leader` or `mentor`.
    pub role: String,
}

async fn proposals_of(store: &Store, program: ProgramId) -> Result<Vec<Proposed>, AppError> {
    let today = crate::sessions::today();
    let mut out = Vec::new();
    for a in store.exit_answers(program).await? {
        if !a.choice.continues_as(a.role) {
            continue;
        }
        let person = store.person(&a.employee_id).await?;
        if person.end_date.is_some_and(|left| left <= today) {
            continue;
        }
        out.push(Proposed { id: a.employee_id, name: person.name.to_string(), role: a.role.as_str().to_owned() });
    }
    Ok(out)
}

/// Who the next cohort would enrol by default: the mentors who want to
/// continue and the leaders who asked to. The program's sponsors only.
pub async fn proposals(store: &Store, actor: &Actor, program: ProgramId) -> Result<Vec<Proposed>, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    proposals_of(store, program).await
}

/// What starting the next cohort asks for.
#[derive(Debug, Clone, Default)]
pub struct NextCohort {
    pub name: String,
    pub starts_on: String,
    pub reciprocal: bool,
    /// The people to enrol (each in the role they held); None: the proposals.
    /// In a reciprocal phase: only the former pairs with both partners named.
    pub enrol: Option<Vec<String>>,
    /// Sessions of a reciprocal phase (default 3).
    pub sessions: Option<u32>,
}

/// A sponsor starts the next cohort from this program: 201 with its id.
pub async fn start_next_cohort(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    input: &NextCohort,
) -> Result<ProgramId, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    next_cohort(store, program, input, &actor.email).await
}

/// The operator starts the next cohort (`plab program next-cohort`).
pub async fn start_next_cohort_as_operator(
    store: &Store,
    program: ProgramId,
    input: &NextCohort,
    by: &str,
) -> Result<ProgramId, AppError> {
    next_cohort(store, program, input, by).await
}

async fn next_cohort(store: &Store, program: ProgramId, input: &NextCohort, by: &str) -> Result<ProgramId, AppError> {
    let mut problems = Vec::new();
    let name = ProgramName::parse(&input.name).map_err(|e| problems.push(Problem::from(e))).ok();
    let starts_on = Date::parse(input.starts_on.trim())
        .map_err(|e| {
            problems.push(
                Problem::new(format!("'{}' is not a day: {e}; use YYYY-MM-DD", input.starts_on)).field("starts_on"),
            )
        })
        .ok();
    let sessions = input.sessions.unwrap_or(life::RECIPROCAL_SESSIONS);
    if input.reciprocal && !(1..=12).contains(&sessions) {
        problems.push(Problem::new(plab_domain::words::between(sessions, 1, 12)).field("sessions"));
    }
    let source = store.program(program).await?;
    let enrolments = store.enrolments(program).await?;
    let today = crate::sessions::today();
    let mut left = BTreeSet::new();
    for e in &enrolments {
        if store.person(&e.employee_id).await?.end_date.is_some_and(|d| d <= today) {
            left.insert(e.employee_id.clone());
        }
    }
    let named: Option<BTreeSet<&str>> = input.enrol.as_ref().map(|ids| ids.iter().map(|id| id.trim()).collect());
    if let Some(named) = &named {
        for id in named {
            let participant = enrolments.iter().any(|e| e.employee_id == *id && e.role != Role::Sponsor);
            let sponsor = enrolments.iter().any(|e| e.employee_id == *id && e.role == Role::Sponsor);
            if sponsor {
                let clash = one_role(&[Role::Sponsor], Role::Leader).err();
                let who = store.person(id).await.map(|p| p.name.to_string()).unwrap_or_else(|_| (*id).to_owned());
                let text = clash.map(|c| c.explain(id, &who, "the next cohort")).unwrap_or_default();
                problems.push(Problem::new(text).field("enrol").at((*id).to_owned()));
            } else if !participant {
                problems.push(
                    Problem::new(format!("{id} was not a leader or mentor of {}", source.name))
                        .field("enrol")
                        .at((*id).to_owned()),
                );
            } else if left.contains(*id) {
                problems
                    .push(Problem::new(format!("{id} has left the organisation")).field("enrol").at((*id).to_owned()));
            }
        }
    }
    let (Some(name), Some(starts_on)) = (name, starts_on) else { return Err(AppError::Invalid(problems)) };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    refuse_unless(store, program, Action::StartNextCohort).await?;

    let mut settings = source.settings.clone();
    let mut enrol: Vec<(String, Role, u32)> = enrolments
        .iter()
        .filter(|e| e.role == Role::Sponsor && !left.contains(&e.employee_id))
        .map(|e| (e.employee_id.clone(), Role::Sponsor, e.capacity))
        .collect();
    let capacity_of = |id: &str, role: Role| {
        enrolments.iter().find(|e| e.employee_id == id && e.role == role).map(|e| e.capacity).unwrap_or(1)
    };
    let mut pairs_again = Vec::new();
    let kind = if input.reciprocal {
        settings.sessions = sessions;
        settings.checkin_after = settings.checkin_after.min(sessions);
        for pair in store.pairs(program).await?.into_iter().filter(|p| p.is_open()) {
            let (leader, mentor) = (pair.pair.leader.clone(), pair.pair.mentor.clone());
            if left.contains(&leader) || left.contains(&mentor) {
                continue;
            }
            if named.as_ref().is_some_and(|n| !n.contains(leader.as_str()) || !n.contains(mentor.as_str())) {
                continue;
            }
            for (id, role) in [(leader, Role::Leader), (mentor, Role::Mentor)] {
                if !enrol.iter().any(|(e, _, _)| *e == id) {
                    let capacity = capacity_of(&id, role);
                    enrol.push((id, role, capacity));
                }
            }
            pairs_again.push(pair.id);
        }
        ProgramKind::Reciprocal
    } else {
        let chosen: Vec<(String, Role)> = match &named {
            None => proposals_of(store, program)
                .await?
                .into_iter()
                .filter_map(|p| Some((p.id, Role::parse(&p.role).ok()?)))
                .collect(),
            Some(named) => enrolments
                .iter()
                .filter(|e| e.role != Role::Sponsor && named.contains(e.employee_id.as_str()))
                .map(|e| (e.employee_id.clone(), e.role))
                .collect(),
        };
        for (id, role) in chosen {
            let capacity = capacity_of(&id, role);
            enrol.push((id, role, capacity));
        }
        ProgramKind::Standard
    };
    let subject = name.to_string();
    let cohort =
        NewCohort { name, starts_on, settings, kind, previous: program, enrol, pairs_again: pairs_again.clone() };
    let id = store.create_cohort(&cohort).await?;
    let detail = format!(
        "{subject} ({}), from program {program}: {} enrolled, {} pairs again",
        kind.as_str(),
        cohort.enrol.len(),
        pairs_again.len()
    );
    store.audit(by, "program.next_cohort", &format!("program {id}"), &detail).await?;
    Ok(id)
}

/// Programs split for a list: those still running (any state before closed)
/// and the past ones, each in the order given.
pub fn apart<T>(programs: Vec<(T, ProgramState)>) -> (Vec<T>, Vec<T>) {
    let mut current = Vec::new();
    let mut past = Vec::new();
    for (p, s) in programs {
        if s == ProgramState::Closed { past.push(p) } else { current.push(p) }
    }
    (current, past)
}
