//! Measure and iterate (protocol step 5): each partner's check-in, answered
//! separately once the pair has held the program's `checkin_after` sessions,
//! and the leader's insight log. Check-in answers go to the program's
//! sponsors only, never to the other partner; sponsors get every insight's
//! counts and the text of the ones the leader shared. Every function asks
//! `access` first.
use crate::accounts::Actor;
use crate::views::PersonRef;
use crate::{AppError, Problem, access};
use plab_domain::checkin::{self, AnswerKind, CheckinAnswers, CheckinState, RawCheckin};
use plab_domain::insight::{InsightCounts, InsightId, NewInsight, RawInsight};
use plab_domain::program::Role;
use plab_domain::session::{SessionStatus, format_instant};
use plab_domain::{PairId, Theme};
use plab_store::{Pair, ProgramId, Recorder, Store, StoredCheckin, StoredInsight};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;

/// One question of a check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckinQuestionView {
    /// The answer's field name, e.g. `insight` or `heard`.
    pub code: String,
    pub text: String,
    /// `text` (free text) or `scale` (1 to 5, with an optional line in `heard_comment`).
    pub kind: String,
}

fn questions(role: Role) -> Vec<CheckinQuestionView> {
    checkin::questions(role)
        .map(|q| CheckinQuestionView {
            code: q.code.to_owned(),
            text: q.text.to_owned(),
            kind: match q.kind {
                AnswerKind::Text => "text",
                AnswerKind::Scale => "scale",
            }
            .to_owned(),
        })
        .collect()
}

/// A check-in's answers: the leader's two, or the mentor's three.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckinAnswersView {
    /// Leader: "What is the most valuable insight you've gained?"
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insight: Option<String>,
    /// Leader: "What's a specific decision you've changed or action you've taken as a result?"
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// Mentor: "How has this experience impacted your view of the organization?"
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view_of_organization: Option<String>,
    /// Mentor: "Do you feel your perspective is being heard?" 1 (not at all) to 5 (fully).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heard: Option<u8>,
    /// Mentor: a line on the "heard" answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heard_comment: Option<String>,
}

impl From<&CheckinAnswers> for CheckinAnswersView {
    fn from(a: &CheckinAnswers) -> CheckinAnswersView {
        match a {
            CheckinAnswers::Leader { insight, change } => CheckinAnswersView {
                insight: Some(insight.clone()),
                change: Some(change.clone()),
                ..CheckinAnswersView::default()
            },
            CheckinAnswers::Mentor { view_of_organization, heard, heard_comment } => CheckinAnswersView {
                view_of_organization: Some(view_of_organization.clone()),
                heard: Some(*heard),
                heard_comment: heard_comment.clone(),
                ..CheckinAnswersView::default()
            },
        }
    }
}

/// What a partner (or a sponsor recording an in-person check-in) sends:
/// the fields of the partner's role only.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckinInput {
    /// Leader, required.
    #[serde(default)]
    pub insight: Option<String>,
    /// Leader, required.
    #[serde(default)]
    pub change: Option<String>,
    /// Mentor, required.
    #[serde(default)]
    pub view_of_organization: Option<String>,
    /// Mentor, required: 1 to 5.
    #[serde(default)]
    pub heard: Option<i64>,
    /// Mentor, optional: one line, at most 300 characters.
    #[serde(default)]
    pub heard_comment: Option<String>,
}

impl CheckinInput {
    fn parse(&self, role: Role) -> Result<CheckinAnswers, AppError> {
        let heard = self.heard.map(|h| h.to_string());
        let raw = RawCheckin {
            insight: self.insight.as_deref(),
            change: self.change.as_deref(),
            view_of_organization: self.view_of_organization.as_deref(),
            heard: heard.as_deref(),
            heard_comment: self.heard_comment.as_deref(),
        };
        Ok(CheckinAnswers::parse(role, &raw)?)
    }
}

/// When a check-in fell (or falls) due, for one partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Timing {
    held: u32,
    due: Option<OffsetDateTime>,
}

impl Timing {
    fn of(held_starts: &[OffsetDateTime], checkin_after: u32) -> Timing {
        Timing {
            held: u32::try_from(held_starts.len()).unwrap_or(u32::MAX),
            due: checkin::due_at(held_starts, checkin_after),
        }
    }

    fn due_at(&self) -> Option<String> {
        self.due.map(format_instant)
    }

    fn overdue_at(&self) -> Option<String> {
        self.due.map(|d| format_instant(checkin::overdue_at(d)))
    }
}

/// A partner's own check-in: its questions, where it stands and their answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MyCheckin {
    pub pair: i64,
    /// `leader` or `mentor`: whose questions these are.
    pub role: String,
    /// `not_yet`, `due`, `overdue` or `done`.
    pub state: String,
    pub held_sessions: u32,
    /// The check-in falls due once the pair has held this many sessions.
    pub checkin_after: u32,
    /// RFC 3339: when it fell due (the start of the session that made it due).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_at: Option<String>,
    /// RFC 3339: when it is overdue if still unanswered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_at: Option<String>,
    pub questions: Vec<CheckinQuestionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<CheckinAnswersView>,
    /// A sponsor wrote these answers down in a conversation with the partner.
    pub recorded_by_sponsor: bool,
    /// A sponsor has read the answers; they can no longer be revised.
    pub read_by_sponsor: bool,
    /// The partner may answer (or revise) now.
    pub can_answer: bool,
}

impl MyCheckin {
    fn new(
        pair: &Pair,
        role: Role,
        timing: Timing,
        checkin_after: u32,
        saved: Option<&StoredCheckin>,
        now: OffsetDateTime,
    ) -> MyCheckin {
        let state = checkin::state(timing.due, saved.is_some(), now);
        let locked = saved.is_some_and(|c| c.by_sponsor || c.read_at.is_some());
        MyCheckin {
            pair: pair.id.0,
            role: role.as_str().to_owned(),
            state: state.as_str().to_owned(),
            held_sessions: timing.held,
            checkin_after,
            due_at: timing.due_at(),
            overdue_at: timing.overdue_at(),
            questions: questions(role),
            answers: saved.map(|c| (&c.answers).into()),
            recorded_by_sponsor: saved.is_some_and(|c| c.by_sponsor),
            read_by_sponsor: saved.is_some_and(|c| c.read_at.is_some()),
            can_answer: state != CheckinState::NotYet && !locked,
        }
    }

    pub fn is_pending(&self) -> bool {
        self.state == "due" || self.state == "overdue"
    }

    /// `due_at` as a page shows it.
    pub fn due_on(&self) -> String {
        human(self.due_at.as_deref())
    }

    pub fn overdue_on(&self) -> String {
        human(self.overdue_at.as_deref())
    }
}

fn human(at: Option<&str>) -> String {
    at.and_then(|t| plab_domain::session::parse_instant(t).ok())
        .map(|t| plab_domain::Date::of_instant(t).to_string())
        .unwrap_or_default()
}

/// The held sessions' starts of one pair.
async fn held_starts(store: &Store, pair: PairId) -> Result<Vec<OffsetDateTime>, AppError> {
    Ok(store
        .sessions(pair)
        .await?
        .into_iter()
        .filter(|s| s.status == SessionStatus::Held)
        .map(|s| s.starts_at)
        .collect())
}

pub(crate) async fn checkin_of(
    store: &Store,
    pair: &Pair,
    role: Role,
    now: OffsetDateTime,
) -> Result<MyCheckin, AppError> {
    let after = store.program(pair.program).await?.settings.checkin_after;
    let timing = Timing::of(&held_starts(store, pair.id).await?, after);
    let saved = store.checkin(pair.id, role).await?;
    Ok(MyCheckin::new(pair, role, timing, after, saved.as_ref(), now))
}

/// The actor's own check-in in this pair. The partners only; the other
/// partner's answers are never part of it.
pub async fn my_checkin(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    now: OffsetDateTime,
) -> Result<MyCheckin, AppError> {
    let (p, role, _) = access::partner_of_pair(store, actor, pair).await?;
    checkin_of(store, &p, role, now).await
}

/// A partner answers their own check-in, once it is due. They may revise it
/// until a sponsor has read it; one a sponsor recorded with them is final.
pub async fn answer_my_checkin(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    input: &CheckinInput,
    now: OffsetDateTime,
) -> Result<MyCheckin, AppError> {
    let (p, role, me) = access::partner_of_pair(store, actor, pair).await?;
    crate::retention::refuse_if_closed(store, p.program).await?;
    let current = checkin_of(store, &p, role, now).await?;
    if !current.can_answer {
        return Err(not_open(&current));
    }
    let answers = input.parse(role)?;
    store.save_checkin(pair, &me, &answers, Recorder::Partner).await?;
    checkin_of(store, &p, role, now).await
}

fn not_open(c: &MyCheckin) -> AppError {
    AppError::Conflict(if c.state == "not_yet" {
        format!(
            "the check-in opens once the pair has held {} sessions; {} held so far",
            c.checkin_after, c.held_sessions
        )
    } else if c.recorded_by_sponsor {
        "this check-in was recorded by a sponsor with you: it can no longer be changed".to_owned()
    } else {
        "a sponsor has read this check-in: it can no longer be changed".to_owned()
    })
}

/// One partner's check-in as the program's sponsors see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckinRow {
    pub pair: i64,
    /// `leader` or `mentor`.
    pub role: String,
    pub person: PersonRef,
    /// `not_yet`, `due`, `overdue` or `done`.
    pub state: String,
    pub held_sessions: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<String>,
    pub recorded_by_sponsor: bool,
    /// The answers (only in the full list for sponsors, `GET …/programs/{program}/checkins`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<CheckinAnswersView>,
}

impl CheckinRow {
    /// The state in words (`not open yet`, `due`, `overdue`, `answered`), never its code.
    pub fn state_label(&self) -> &'static str {
        match self.state.as_str() {
            "not_yet" => CheckinState::NotYet.label(),
            "due" => CheckinState::Due.label(),
            "overdue" => CheckinState::Overdue.label(),
            _ => CheckinState::Done.label(),
        }
    }

    pub fn due_on(&self) -> String {
        human(self.due_at.as_deref())
    }

    pub fn overdue_on(&self) -> String {
        human(self.overdue_at.as_deref())
    }

    pub fn is_pending(&self) -> bool {
        self.state == "due" || self.state == "overdue"
    }

    pub fn is_leader(&self) -> bool {
        self.role == "leader"
    }
}

/// Every partner's check-in state in a program (pair order, leader first),
/// with the stored check-ins; callers have authorized a sponsor.
async fn program_rows(
    store: &Store,
    program: ProgramId,
    now: OffsetDateTime,
) -> Result<Vec<(CheckinRow, Option<StoredCheckin>)>, AppError> {
    let after = store.program(program).await?.settings.checkin_after;
    let pairs = store.listed_pairs(program, None, None, None, None).await?;
    let mut held: HashMap<PairId, Vec<OffsetDateTime>> = HashMap::new();
    for (pair, at) in store.held_session_starts(program).await? {
        held.entry(pair).or_default().push(at);
    }
    let mut saved: HashMap<(PairId, Role), StoredCheckin> =
        store.program_checkins(program).await?.into_iter().map(|c| ((c.pair, c.role()), c)).collect();
    let mut rows = Vec::with_capacity(pairs.len() * 2);
    for p in pairs {
        let id = p.id;
        let timing = Timing::of(held.get(&id).map_or(&[][..], Vec::as_slice), after);
        for (role, person) in [(Role::Leader, p.leader.clone()), (Role::Mentor, p.mentor.clone())] {
            let stored = saved.remove(&(id, role));
            if p.status == plab_domain::pair::PairStatus::Ended && stored.is_none() {
                // An ended pair owes no check-in; one answered before it ended is kept.
                continue;
            }
            let state = checkin::state(timing.due, stored.is_some(), now);
            let row = CheckinRow {
                pair: p.id.0,
                role: role.as_str().to_owned(),
                person: person.into(),
                state: state.as_str().to_owned(),
                held_sessions: timing.held,
                due_at: timing.due_at(),
                overdue_at: timing.overdue_at(),
                answered_at: stored.as_ref().map(|c| format_instant(c.answered_at)),
                recorded_by_sponsor: stored.as_ref().is_some_and(|c| c.by_sponsor),
                answers: None,
            };
            rows.push((row, stored));
        }
    }
    Ok(rows)
}

/// The check-ins of a program that are due or overdue and unanswered (for mail; no authorization).
pub(crate) async fn pending_rows(
    store: &Store,
    program: ProgramId,
    now: OffsetDateTime,
) -> Result<Vec<CheckinRow>, AppError> {
    Ok(program_rows(store, program, now).await?.into_iter().map(|(r, _)| r).filter(CheckinRow::is_pending).collect())
}

/// The check-ins of a program that are due or overdue and unanswered, for its
/// sponsors (no answers: nothing here is read). Overdue ones first.
pub async fn checkins_due(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    now: OffsetDateTime,
) -> Result<Vec<CheckinRow>, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let mut due = pending_rows(store, program, now).await?;
    due.sort_by_key(|r| (r.state != "overdue", r.due_at.clone(), r.pair));
    Ok(due)
}

/// Every partner's check-in in a program with its answers, for the program's
/// sponsors. Reading them marks them read: the partners can no longer revise
/// what a sponsor has seen.
pub async fn program_checkins(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    now: OffsetDateTime,
) -> Result<Vec<CheckinRow>, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    store.mark_checkins_read(program).await?;
    Ok(program_rows(store, program, now)
        .await?
        .into_iter()
        .map(|(mut row, stored)| {
            row.answers = stored.as_ref().map(|c| (&c.answers).into());
            row
        })
        .collect())
}

/// A program's check-ins for its sponsors' page, without marking anything
/// read: the answers a sponsor has already read are shown, the others only
/// counted (`unread`), until a sponsor chooses to read them
/// ([`read_program_checkins`]). Opening the page locks nobody's answers.
pub async fn program_checkins_as_read(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    now: OffsetDateTime,
) -> Result<(Vec<CheckinRow>, usize), AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let mut unread = 0;
    let rows = program_rows(store, program, now)
        .await?
        .into_iter()
        .map(|(mut row, stored)| {
            match stored {
                Some(c) if c.read_at.is_some() => row.answers = Some((&c.answers).into()),
                Some(_) => unread += 1,
                None => {}
            }
            row
        })
        .collect();
    Ok((rows, unread))
}

/// A sponsor reads every answered check-in of the program: from then on the
/// partners can no longer revise them.
pub async fn read_program_checkins(store: &Store, actor: &Actor, program: ProgramId) -> Result<u64, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    Ok(store.mark_checkins_read(program).await?)
}

/// One mentor's answer to "Do you feel your perspective is being heard?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HeardAnswer {
    pub pair: i64,
    /// The mentor's employee id.
    pub mentor: String,
    /// 1 (not at all) to 5 (fully).
    pub heard: u8,
}

/// A program's check-ins in numbers, for its sponsors' report and dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckinSummary {
    /// Partners whose pair has not held `checkin_after` sessions yet.
    pub not_yet: u32,
    pub due: u32,
    pub overdue: u32,
    /// Answered by the partner or recorded by a sponsor.
    pub done: u32,
    /// Of the done ones, recorded by a sponsor in person.
    pub recorded_by_sponsor: u32,
    /// Every mentor's "heard" answer, one per mentor and pair.
    pub heard: Vec<HeardAnswer>,
}

/// Counts of a program's check-ins by state and the mentors' "heard" answers,
/// for its sponsors; no text, and nothing is marked read.
pub async fn checkin_summary(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    now: OffsetDateTime,
) -> Result<CheckinSummary, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    summary_of(store, program, now).await
}

/// The same summary for a caller who has authorized the actor (the report).
pub(crate) async fn summary_of(
    store: &Store,
    program: ProgramId,
    now: OffsetDateTime,
) -> Result<CheckinSummary, AppError> {
    let mut out = CheckinSummary::default();
    for (row, stored) in program_rows(store, program, now).await? {
        match row.state.as_str() {
            "not_yet" => out.not_yet += 1,
            "due" => out.due += 1,
            "overdue" => out.overdue += 1,
            _ => out.done += 1,
        }
        if let Some(c) = stored {
            out.recorded_by_sponsor += u32::from(c.by_sponsor);
            if let CheckinAnswers::Mentor { heard, .. } = c.answers {
                out.heard.push(HeardAnswer { pair: row.pair, mentor: c.employee_id, heard });
            }
        }
    }
    Ok(out)
}

/// A sponsor records the answers of a check-in held in person with one
/// partner (`role`: `leader` or `mentor`), once it is due. They may correct
/// what they recorded; a partner's own answers are never overwritten.
/// The audit log gets the pair and the role, never the answers.
pub async fn record_checkin(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    role: &str,
    input: &CheckinInput,
    now: OffsetDateTime,
) -> Result<CheckinRow, AppError> {
    let (p, sponsor) = access::sponsor_of_pair(store, actor, pair).await?;
    crate::retention::refuse_if_closed(store, p.program).await?;
    let role = partner_role(role)?;
    let current = checkin_of(store, &p, role, now).await?;
    if current.state == "not_yet" {
        return Err(not_open(&current));
    }
    if current.answers.is_some() && !current.recorded_by_sponsor {
        return Err(AppError::Conflict(format!("the {role} answered this check-in themself; it stays theirs")));
    }
    let answers = input.parse(role)?;
    let partner = if role == Role::Leader { &p.pair.leader } else { &p.pair.mentor };
    store.save_checkin(pair, partner, &answers, Recorder::Sponsor(&sponsor)).await?;
    store.audit(&actor.email, "checkin.record", &format!("pair {pair}"), role.as_str()).await?;
    sponsor_row(store, &p, role, now).await
}

/// The form a sponsor fills in for one partner's in-person check-in.
pub async fn checkin_to_record(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    role: &str,
    now: OffsetDateTime,
) -> Result<(CheckinRow, Vec<CheckinQuestionView>), AppError> {
    let (p, _) = access::sponsor_of_pair(store, actor, pair).await?;
    let role = partner_role(role)?;
    Ok((sponsor_row(store, &p, role, now).await?, questions(role)))
}

async fn sponsor_row(store: &Store, p: &Pair, role: Role, now: OffsetDateTime) -> Result<CheckinRow, AppError> {
    let rows = program_rows(store, p.program, now).await?;
    let (mut row, stored) = rows
        .into_iter()
        .find(|(r, _)| r.pair == p.id.0 && r.role == role.as_str())
        .ok_or_else(|| AppError::NotFound { what: "pair", id: p.id.to_string() })?;
    row.answers = stored.as_ref().map(|c| (&c.answers).into());
    Ok(row)
}

/// `leader` or `mentor` in a path; anything else names no check-in.
fn partner_role(raw: &str) -> Result<Role, AppError> {
    match Role::parse(raw) {
        Ok(role @ (Role::Leader | Role::Mentor)) => Ok(role),
        _ => Err(AppError::NotFound { what: "check-in", id: raw.to_owned() }),
    }
}

/// A check-in waiting for the signed-in partner, for their home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingCheckin {
    pub pair: i64,
    pub program: i64,
    pub program_name: String,
    pub role: String,
    pub overdue: bool,
    pub due_on: String,
    pub overdue_on: String,
}

/// The check-ins due or overdue for the actor across their pairs.
pub async fn my_pending_checkins(
    store: &Store,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Vec<PendingCheckin>, AppError> {
    let Some(me) = &actor.employee_id else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for p in store.pairs_of_person(me).await?.into_iter().filter(plab_store::Pair::is_open) {
        let (p, role, _) = access::partner_of_pair(store, actor, p.id).await?;
        let c = checkin_of(store, &p, role, now).await?;
        if c.is_pending() {
            out.push(PendingCheckin {
                pair: c.pair,
                program: p.program.0,
                program_name: store.program(p.program).await?.name.to_string(),
                role: c.role.clone(),
                overdue: c.state == "overdue",
                due_on: c.due_on(),
                overdue_on: c.overdue_on(),
            });
        }
    }
    Ok(out)
}

/// One entry of the leader's insight log, as the leader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InsightView {
    pub id: i64,
    pub pair: i64,
    /// `decision` (a decision changed) or `action` (an action taken).
    pub kind: String,
    /// A theme of the data-exchange taxonomy, e.g. `technology`, `culture.career`.
    pub theme: String,
    pub text: String,
    /// The held session it came from (its id), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<i64>,
    /// That session's number in the pair (1 for the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_number: Option<i64>,
    /// Whether the program's sponsors may read the text (they always get counts).
    pub shared: bool,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
}

impl InsightView {
    pub fn theme_label(&self) -> &'static str {
        Theme::parse(&self.theme).map_or("", Theme::label)
    }

    pub fn logged_on(&self) -> String {
        human(Some(&self.created_at))
    }
}

fn insight_view(i: &StoredInsight, numbers: &HashMap<i64, i64>) -> InsightView {
    InsightView {
        id: i.id.0,
        pair: i.pair.0,
        kind: i.kind.as_str().to_owned(),
        theme: i.theme.as_str().to_owned(),
        text: i.text.clone(),
        session: i.session.map(|s| s.0),
        session_number: i.session.and_then(|s| numbers.get(&s.0).copied()),
        shared: i.shared,
        created_at: format_instant(i.created_at),
        updated_at: format_instant(i.updated_at),
    }
}

/// A held session an insight may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldSession {
    pub id: i64,
    pub number: i64,
    pub on: String,
}

async fn held_sessions(store: &Store, pair: PairId) -> Result<Vec<HeldSession>, AppError> {
    Ok(store
        .sessions(pair)
        .await?
        .into_iter()
        .filter(|s| s.status == SessionStatus::Held)
        .map(|s| HeldSession { id: s.id.0, number: s.seq, on: plab_domain::Date::of_instant(s.starts_at).to_string() })
        .collect())
}

fn numbers(held: &[HeldSession]) -> HashMap<i64, i64> {
    held.iter().map(|s| (s.id, s.number)).collect()
}

/// What the leader sends for an insight.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InsightInput {
    /// `decision` or `action`.
    pub kind: String,
    /// A theme of the taxonomy: `technology`, `market.brand`, `market.product`,
    /// `market.competitors`, `culture.purpose`, `culture.safety`, `culture.career`.
    pub theme: String,
    /// At most 1,000 characters.
    pub text: String,
    /// The id of one of the pair's held sessions it came from; none by default.
    #[serde(default)]
    pub session: Option<i64>,
    /// Whether the program's sponsors may read the text; false by default.
    #[serde(default)]
    pub shared: bool,
}

impl InsightInput {
    /// Valid, and naming (if any) one of the pair's held sessions.
    fn parse(&self, held: &[HeldSession]) -> Result<NewInsight, AppError> {
        let session = self.session.map(|s| s.to_string());
        let raw = RawInsight {
            kind: &self.kind,
            theme: &self.theme,
            text: &self.text,
            session: session.as_deref(),
            shared: self.shared,
        };
        let insight = NewInsight::parse(&raw)?;
        if let Some(s) = insight.session
            && !held.iter().any(|h| h.id == s.0)
        {
            return Err(AppError::invalid(
                Problem::new(format!("session {s} is not one of this pair's held sessions")).field("session"),
            ));
        }
        Ok(insight)
    }
}

/// The leader's insight log and the held sessions an entry may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightLog {
    pub pair: i64,
    pub insights: Vec<InsightView>,
    pub sessions: Vec<HeldSession>,
}

/// The leader's own insight log, oldest first. The pair's leader only.
pub async fn my_insights(store: &Store, actor: &Actor, pair: PairId) -> Result<InsightLog, AppError> {
    access::leader_of_pair(store, actor, pair).await?;
    let sessions = held_sessions(store, pair).await?;
    let numbers = numbers(&sessions);
    let insights = store.insights(pair).await?.iter().map(|i| insight_view(i, &numbers)).collect();
    Ok(InsightLog { pair: pair.0, insights, sessions })
}

pub async fn add_insight(
    store: &Store,
    actor: &Actor,
    pair: PairId,
    input: &InsightInput,
) -> Result<InsightView, AppError> {
    let (_, me) = access::leader_of_pair(store, actor, pair).await?;
    crate::retention::refuse_if_pair_closed(store, pair).await?;
    let held = held_sessions(store, pair).await?;
    let id = store.add_insight(pair, &me, &input.parse(&held)?).await?;
    Ok(insight_view(&store.insight(id).await?, &numbers(&held)))
}

/// One entry of the leader's own log, with the held sessions it may name.
pub async fn insight(store: &Store, actor: &Actor, id: InsightId) -> Result<(InsightView, Vec<HeldSession>), AppError> {
    let (i, p, _) = access::leader_of_insight(store, actor, id).await?;
    let held = held_sessions(store, p.id).await?;
    Ok((insight_view(&i, &numbers(&held)), held))
}

/// Replaces an entry's kind, theme, text, session and shared flag.
pub async fn update_insight(
    store: &Store,
    actor: &Actor,
    id: InsightId,
    input: &InsightInput,
) -> Result<InsightView, AppError> {
    let (_, p, _) = access::leader_of_insight(store, actor, id).await?;
    crate::retention::refuse_if_closed(store, p.program).await?;
    let held = held_sessions(store, p.id).await?;
    store.update_insight(id, &input.parse(&held)?).await?;
    Ok(insight_view(&store.insight(id).await?, &numbers(&held)))
}

/// Deletes an entry; returns its pair.
pub async fn delete_insight(store: &Store, actor: &Actor, id: InsightId) -> Result<PairId, AppError> {
    let (_, p, _) = access::leader_of_insight(store, actor, id).await?;
    store.delete_insight(id).await?;
    Ok(p.id)
}

/// Insight counts: decisions changed, actions taken, how many shared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InsightCountsView {
    pub decisions: u32,
    pub actions: u32,
    pub shared: u32,
    pub total: u32,
}

impl From<InsightCounts> for InsightCountsView {
    fn from(c: InsightCounts) -> InsightCountsView {
        InsightCountsView { decisions: c.decisions, actions: c.actions, shared: c.shared, total: c.total() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ThemeInsightCounts {
    pub theme: String,
    pub label: String,
    pub counts: InsightCountsView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PairInsightCounts {
    pub pair: i64,
    pub leader: PersonRef,
    pub counts: InsightCountsView,
}

/// An insight its leader shared with the program's sponsors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SharedInsight {
    pub id: i64,
    pub pair: i64,
    pub leader: PersonRef,
    pub kind: String,
    pub theme: String,
    pub text: String,
    /// RFC 3339.
    pub created_at: String,
}

impl SharedInsight {
    pub fn theme_label(&self) -> &'static str {
        Theme::parse(&self.theme).map_or("", Theme::label)
    }

    pub fn logged_on(&self) -> String {
        human(Some(&self.created_at))
    }
}

/// A program's insight log as its sponsors see it: counts of every entry
/// (overall, by theme in taxonomy order, by pair), the text of shared ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgramInsights {
    pub counts: InsightCountsView,
    pub by_theme: Vec<ThemeInsightCounts>,
    pub pairs: Vec<PairInsightCounts>,
    pub shared: Vec<SharedInsight>,
}

pub async fn program_insights(store: &Store, actor: &Actor, program: ProgramId) -> Result<ProgramInsights, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let mut total = InsightCounts::default();
    let mut by_theme: HashMap<Theme, InsightCounts> = HashMap::new();
    let mut by_pair: HashMap<PairId, InsightCounts> = HashMap::new();
    for t in store.insight_tallies(program).await? {
        total.add(t.kind, t.shared, t.count);
        by_theme.entry(t.theme).or_default().add(t.kind, t.shared, t.count);
        by_pair.entry(t.pair).or_default().add(t.kind, t.shared, t.count);
    }
    let pairs = store.listed_pairs(program, None, None, None, actor.seen).await?;
    let leaders: HashMap<i64, PersonRef> = pairs.iter().map(|p| (p.id.0, PersonRef::from(p.leader.clone()))).collect();
    let mut shared = Vec::new();
    for i in store.shared_insights(program).await? {
        let leader =
            leaders.get(&i.pair.0).cloned().ok_or_else(|| AppError::Fault(format!("pair {} has no leader", i.pair)))?;
        shared.push(SharedInsight {
            id: i.id.0,
            pair: i.pair.0,
            leader,
            kind: i.kind.as_str().to_owned(),
            theme: i.theme.as_str().to_owned(),
            text: i.text,
            created_at: format_instant(i.created_at),
        });
    }
    Ok(ProgramInsights {
        counts: total.into(),
        by_theme: Theme::ALL
            .iter()
            .map(|t| ThemeInsightCounts {
                theme: t.as_str().to_owned(),
                label: t.label().to_owned(),
                counts: by_theme.get(t).copied().unwrap_or_default().into(),
            })
            .collect(),
        pairs: pairs
            .into_iter()
            .map(|p| PairInsightCounts {
                pair: p.id.0,
                counts: by_pair.get(&p.id).copied().unwrap_or_default().into(),
                leader: p.leader.into(),
            })
            .collect(),
        shared,
    })
}
