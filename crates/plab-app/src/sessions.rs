//! A pair's sessions: planned when the pair turns active, held, cancelled or
//! rescheduled by the partners, each followed by a private pulse. Who may do
//! what is decided by `access`, as for every pair resource.
use crate::accounts::{Actor, today_text};
use crate::mail::{self, Post, SessionFacts, zone_named};
use crate::vault::Vault;
use crate::{AppError, Problem};
use crate::{access, views};
use plab_domain::pair::PairStatus;
use plab_domain::session::{self, GroupAverage, PersonAnswers, Pulse, PulseItem, Release, Segment, SessionStatus};
use plab_domain::zone::Zone;
use plab_domain::{Date, PairId, SessionId};
use plab_store::{Pair, ProgramId, Recipient, SealedText, Store, StoredSession};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub pair: i64,
    /// 1 for the pair's first session.
    pub number: i64,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub minutes: i64,
    /// `planned`, `held`, `cancelled` or `missed` (it did not take place: a
    /// partner said so, or nobody said within a week of its start).
    pub status: String,
    /// The session's time has passed and neither partner has said yet
    /// whether it took place: both are asked.
    pub awaiting_outcome: bool,
}

impl SessionView {
    /// The start as a page shows it, e.g. `Thu 29 Oct 2026, 10:00 UTC`.
    pub fn when(&self) -> String {
        session::parse_instant(&self.starts_at).map(session::human_instant).unwrap_or_else(|_| self.starts_at.clone())
    }
}

/// The session as of now (a planned session unanswered for a week reads as missed).
pub(crate) fn view(s: &StoredSession) -> SessionView {
    view_at(s, OffsetDateTime::now_utc())
}

pub(crate) fn view_at(s: &StoredSession, now: OffsetDateTime) -> SessionView {
    SessionView {
        id: s.id.0,
        pair: s.pair_id.0,
        number: s.seq,
        starts_at: session::format_instant(s.starts_at),
        minutes: s.minutes,
        status: s.status_at(now).as_str().to_owned(),
        awaiting_outcome: session::asks_whether_held(s.status, s.starts_at, s.minutes, now),
    }
}

/// Today's date in UTC.
pub fn today() -> Date {
    Date::of_instant(OffsetDateTime::now_utc())
}

/// Plans the program's number of sessions once a pair is active, at one
/// local time inside both partners' working hours (`session::plan_series`),
/// and writes the invitations with them; harmless to call again (from
/// another instance, or for a pair that already has them).
pub async fn plan_if_active(
    store: &Store,
    vault: &Vault,
    post: &Post,
    pair: &Pair,
    today: Date,
) -> Result<usize, AppError> {
    if pair.status != PairStatus::Active || !store.sessions(pair.id).await?.is_empty() {
        return Ok(0);
    }
    // A program closing or closed plans no new sessions (`plab_domain::life`).
    let state = crate::life::state(store, pair.program).await?;
    if !plab_domain::life::allows(state, plab_domain::life::Action::PlanSessions) {
        return Ok(0);
    }
    let program = store.program(pair.program).await?;
    let s = &program.settings;
    let (leader, mentor) = partners(store, pair).await?;
    let first = session::first_session_day(program.starts_on, today);
    let series = plab_domain::series::plan_series(
        first,
        s.cadence_days,
        s.sessions,
        s.session_minutes,
        &zone_named(leader.timezone.as_deref()),
        &zone_named(mentor.timezone.as_deref()),
    );
    let minutes = i64::from(s.session_minutes);
    let mut letters = Vec::new();
    if post.is_on() {
        let question = crate::home::leader_question(store, pair.program, &pair.pair.leader).await?.map(|q| q.text);
        let now = OffsetDateTime::now_utc();
        for (i, starts) in series.starts.iter().enumerate() {
            let facts = SessionFacts {
                pair: pair.id,
                number: i64::try_from(i).unwrap_or(i64::MAX) + 1,
                starts: *starts,
                minutes,
                status: SessionStatus::Planned,
                sequence: 0,
                updated_at: now,
                leader: leader.clone(),
                mentor: mentor.clone(),
                question: question.clone(),
                homework: None,
            };
            letters.extend(mail::to_both(&facts, post, now));
        }
    }
    let outgoing = post.seal_all(vault, &letters)?;
    Ok(store.plan_sessions(pair.id, &series.starts, minutes, &outgoing).await?)
}

/// The pair's leader and mentor as mail reaches them.
pub(crate) async fn partners(store: &Store, pair: &Pair) -> Result<(Recipient, Recipient), AppError> {
    let ids = [pair.pair.leader.as_str(), pair.pair.mentor.as_str()];
    let mut found = store.recipients(&ids, &today_text()).await?.into_iter();
    match (found.next(), found.next()) {
        (Some(l), Some(m)) => Ok((l, m)),
        _ => Err(AppError::Fault(format!("pair {} has a partner the directory does not know", pair.id))),
    }
}

/// What the calendar and mail say about each of these sessions of one pair:
/// the partners, the leader's research question, and the homework agreed at
/// the held session before each.
pub(crate) async fn facts_of(
    store: &Store,
    vault: &Vault,
    pair: &Pair,
    sessions: &[StoredSession],
) -> Result<Vec<SessionFacts>, AppError> {
    let (leader, mentor) = partners(store, pair).await?;
    let question = crate::home::leader_question(store, pair.program, &pair.pair.leader).await?.map(|q| q.text);
    let all = store.sessions(pair.id).await?;
    let mut out = Vec::with_capacity(sessions.len());
    for s in sessions {
        let previous = all.iter().rfind(|p| p.seq < s.seq && p.status == SessionStatus::Held);
        let homework = match previous {
            Some(p) => open_homework(store, vault, pair.id, p.id).await?,
            None => None,
        };
        out.push(SessionFacts {
            pair: pair.id,
            number: s.seq,
            starts: s.starts_at,
            minutes: s.minutes,
            status: s.status,
            sequence: s.sequence,
            updated_at: s.updated_at,
            leader: leader.clone(),
            mentor: mentor.clone(),
            question: question.clone(),
            homework,
        });
    }
    Ok(out)
}

/// The pair's sessions: for its partners and its program's sponsors (times and
/// status only; what was said stays with the pair).
pub async fn list(store: &Store, actor: &Actor, pair: PairId) -> Result<Vec<SessionView>, AppError> {
    access::pair(store, actor, pair).await?;
    of_pair(store, pair).await
}

/// The pair's sessions; callers have authorized the actor.
pub(crate) async fn of_pair(store: &Store, pair: PairId) -> Result<Vec<SessionView>, AppError> {
    Ok(store.sessions(pair).await?.iter().map(view).collect())
}

/// Everything the session page shows one partner.
#[derive(Debug, Clone, Serialize)]
pub struct SessionDetail {
    pub session: SessionView,
    pub pair: views::PairView,
    /// The leader's current research question: the session works on it.
    pub question: Option<String>,
    /// When it starts, in the visitor's time zone with the zone named.
    pub when_local: String,
    /// The visitor's time zone: a time typed without offset is read in it.
    pub my_zone: String,
    /// When it starts on each partner's clock: (name, local time with zone).
    pub both_local: Vec<(String, String)>,
    pub agenda: Vec<Segment>,
    /// Homework agreed at the previous held session, shown at the start of this one.
    pub homework_from_last_time: Option<String>,
    pub previous_homework_done: bool,
    /// Homework agreed at this session (once held).
    pub homework_set_here: Option<String>,
    /// The pulse items of the actor's role and the actor's own answers; the
    /// partner's answers are never included.
    pub pulse_items: Vec<PulseItem>,
    pub my_pulse: BTreeMap<String, u8>,
    pub can_hold: bool,
    /// Nobody said within a week whether it took place, so it reads as
    /// missed; a partner may still say it was held.
    pub lapsed: bool,
    /// The timer, while the session is planned (gone once it is held,
    /// cancelled or missed).
    pub timer: Option<TimerView>,
    /// Below this many respondents, sponsors see no pulse average.
    pub min_group_size: u32,
}

pub async fn detail(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    id: SessionId,
    now: OffsetDateTime,
) -> Result<SessionDetail, AppError> {
    let (s, pair, role, me) = access::partner_of_session(store, actor, id).await?;
    let mine = crate::accounts::zone_of(store, actor).await?;
    let (leader, mentor) = partners(store, &pair).await?;
    let previous = previous_held(store, &s).await?;
    let timer = match s.status_at(now) {
        SessionStatus::Planned => Some(timer_view(&s, store.timer(s.id).await?, now)),
        _ => None,
    };
    let homework_from_last_time = match &previous {
        Some(p) => open_homework(store, vault, pair.id, p.id).await?,
        None => None,
    };
    let kind = store.program(pair.program).await?.kind;
    Ok(SessionDetail {
        // A reciprocal phase says who teaches whom in its own words (`plab_domain::life`).
        agenda: plab_domain::life::agenda(kind, u32::try_from(s.minutes).unwrap_or(60)),
        previous_homework_done: previous.as_ref().is_some_and(|p| p.homework_done),
        homework_from_last_time,
        homework_set_here: open_homework(store, vault, pair.id, s.id).await?,
        pulse_items: session::pulse_items(role).copied().collect(),
        my_pulse: store.own_pulse(s.id, &me).await?.into_iter().collect(),
        can_hold: s.status == SessionStatus::Planned && session::can_hold(s.starts_at, now),
        lapsed: s.lapsed_at(now),
        timer,
        min_group_size: crate::programs::group_size(store, pair.program).await?,
        question: crate::home::leader_question(store, pair.program, &pair.pair.leader).await?.map(|q| q.text),
        when_local: mine.human(s.starts_at),
        my_zone: mine.name().to_owned(),
        both_local: [&leader, &mentor]
            .iter()
            .map(|p| (p.name.clone(), zone_named(p.timezone.as_deref()).human(s.starts_at)))
            .collect(),
        session: view_at(&s, now),
        pair: views::view(store, &pair).await?,
    })
}

async fn previous_held(store: &Store, s: &StoredSession) -> Result<Option<StoredSession>, AppError> {
    Ok(store.sessions(s.pair_id).await?.into_iter().rfind(|p| p.seq < s.seq && p.status == SessionStatus::Held))
}

async fn open_homework(
    store: &Store,
    vault: &Vault,
    pair: PairId,
    session: SessionId,
) -> Result<Option<String>, AppError> {
    match store.homework(session).await? {
        Some(n) => Ok(Some(vault.open(pair, &n.author_id, &n.nonce, &n.ciphertext)?)),
        None => Ok(None),
    }
}

/// What the partners record when they close a session.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldInput {
    /// The homework agreed in Next Steps, for the next session.
    #[serde(default)]
    pub homework: Option<String>,
    /// Whether the homework from the previous session was done.
    #[serde(default)]
    pub previous_homework_done: bool,
}

pub async fn hold(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    id: SessionId,
    input: &HoldInput,
    now: OffsetDateTime,
) -> Result<SessionView, AppError> {
    let (s, pair, _, author) = access::partner_of_session(store, actor, id).await?;
    crate::retention::refuse_if_closed(store, pair.program).await?;
    require_planned(&s)?;
    if !session::can_hold(s.starts_at, now) {
        return Err(AppError::invalid(
            Problem::new(format!(
                "session {id} starts at {}; it can be marked held from an hour before",
                session::format_instant(s.starts_at)
            ))
            .field("status"),
        ));
    }
    let homework = session::parse_homework(input.homework.as_deref())?;
    let previous = match previous_held(store, &s).await? {
        Some(p) if input.previous_homework_done => Some(p.id),
        _ => None,
    };
    let sealed = homework.map(|h| vault.seal(pair.id, &author, &h)).transpose()?;
    let sealed = sealed.as_ref().map(|(nonce, ciphertext)| SealedText {
        author: &author,
        key_id: vault.key_id(),
        nonce,
        ciphertext,
    });
    store.hold_session(id, previous, sealed).await?;
    Ok(view(&store.session(id).await?))
}

fn require_planned(s: &StoredSession) -> Result<(), AppError> {
    match s.status {
        SessionStatus::Planned => Ok(()),
        SessionStatus::Missed => {
            Err(AppError::Conflict(format!("session {} did not take place: a partner recorded it as missed", s.seq)))
        }
        other => Err(AppError::Conflict(format!("session {} is {other}, not planned", s.seq))),
    }
}

/// A partner says a planned session did not take place, once its time has
/// come: it is recorded as missed (audited), nobody is asked about it again
/// and no pulse follows it.
pub async fn record_missed(
    store: &Store,
    actor: &Actor,
    id: SessionId,
    now: OffsetDateTime,
) -> Result<SessionView, AppError> {
    let (s, pair, ..) = access::partner_of_session(store, actor, id).await?;
    crate::retention::refuse_if_closed(store, pair.program).await?;
    require_planned(&s)?;
    if s.starts_at > now {
        return Err(AppError::Conflict(format!("session {} has not started yet: move or cancel it instead", s.seq)));
    }
    store.record_missed(id).await?;
    store.audit(&actor.email, "session.missed", &format!("session {id}"), &format!("pair {}", pair.id)).await?;
    Ok(view_at(&store.session(id).await?, now))
}

/// The longest reason a cancellation may carry.
pub const MAX_CANCEL_REASON_CHARS: usize = 500;

/// A partner cancels a planned session. An optional reason goes to the
/// partner as a note of the pair (sealed like every note: never a sponsor's).
pub async fn cancel(
    store: &Store,
    vault: &Vault,
    post: &Post,
    actor: &Actor,
    id: SessionId,
    reason: Option<&str>,
) -> Result<SessionView, AppError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > MAX_CANCEL_REASON_CHARS) {
        return Err(AppError::invalid(
            Problem::new(format!("keep the reason to {MAX_CANCEL_REASON_CHARS} characters")).field("reason"),
        ));
    }
    let (s, pair, ..) = access::partner_of_session(store, actor, id).await?;
    crate::retention::refuse_if_closed(store, pair.program).await?;
    require_planned(&s)?;
    let mut outgoing = Vec::new();
    if post.is_on() {
        let cancelled = StoredSession { status: SessionStatus::Cancelled, sequence: s.sequence + 1, ..s.clone() };
        for facts in facts_of(store, vault, &pair, &[cancelled]).await? {
            outgoing.extend(post.seal_all(vault, &mail::to_both(&facts, post, OffsetDateTime::now_utc()))?);
        }
    }
    store.cancel_session(id, &outgoing).await?;
    crate::changes::record(store, &pair, id, actor, crate::changes::Change::Cancelled).await?;
    if let Some(reason) = reason {
        // In the canceller's zone, named, like every time the partners read.
        let when = crate::accounts::zone_of(store, actor).await?.human(s.starts_at);
        let note = format!("Session {} ({when}) cancelled: {reason}", s.seq);
        crate::lab::add_note(store, vault, actor, s.pair_id, &note).await?;
    }
    Ok(view(&store.session(id).await?))
}

/// Which sessions a move takes along.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MoveScope {
    /// This session only.
    #[default]
    One,
    /// This session and every later planned one, to the same weekday and
    /// local time (on the leader's clock), keeping the cadence.
    Rest,
}

/// A partner's request to move a session.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleInput {
    /// RFC 3339 (`2027-01-12T15:00:00Z`, any offset), or a local time without
    /// offset (`2027-01-12T10:00`) read in the mover's own time zone.
    pub starts_at: String,
    #[serde(default)]
    pub scope: MoveScope,
}

/// One session's move as both partners will see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlannedMove {
    pub session: i64,
    pub number: i64,
    /// RFC 3339, UTC.
    pub from: String,
    pub to: String,
    /// The new start on the leader's clock and on the mentor's, zones named.
    pub leader_local: String,
    pub mentor_local: String,
    /// Whether the new time is inside both partners' working hours.
    pub inside_working_hours: bool,
}

/// What a move would do, without doing it: the page shows it so the partner
/// choosing sees both local times.
pub async fn preview_move(
    store: &Store,
    actor: &Actor,
    id: SessionId,
    input: &RescheduleInput,
    now: OffsetDateTime,
) -> Result<Vec<PlannedMove>, AppError> {
    Ok(plan_move(store, actor, id, input, now).await?.1)
}

async fn plan_move(
    store: &Store,
    actor: &Actor,
    id: SessionId,
    input: &RescheduleInput,
    now: OffsetDateTime,
) -> Result<(Pair, Vec<PlannedMove>, Vec<StoredSession>), AppError> {
    let (s, pair, ..) = access::partner_of_session(store, actor, id).await?;
    crate::retention::refuse_if_closed(store, pair.program).await?;
    crate::life::refuse_unless(store, pair.program, plab_domain::life::Action::PlanSessions).await?;
    require_planned(&s)?;
    let mine = crate::accounts::zone_of(store, actor).await?;
    let at = parse_start(&input.starts_at, &mine)?;
    session::check_reschedule(at, now, &mine)?;
    let (leader, mentor) = partners(store, &pair).await?;
    let (lz, mz) = (zone_named(leader.timezone.as_deref()), zone_named(mentor.timezone.as_deref()));
    let mut moved = vec![(s.starts_at, StoredSession { starts_at: at, ..s.clone() })];
    if input.scope == MoveScope::Rest {
        // Later sessions keep their distance in days on the leader's calendar, at the new local time.
        let new = lz.local(at);
        let shift = new.day.days_since_epoch() - lz.local(s.starts_at).day.days_since_epoch();
        let later =
            store.sessions(pair.id).await?.into_iter().filter(|l| l.seq > s.seq && l.status == SessionStatus::Planned);
        for l in later {
            let day = lz.local(l.starts_at).day.plus_days(shift);
            let starts_at = lz.at_local(day, new.hour, new.minute).ok_or_else(|| {
                AppError::invalid(
                    Problem::new(format!("session {} would move off the calendar", l.seq)).field("starts_at"),
                )
            })?;
            session::check_reschedule(starts_at, now, &mine).map_err(|e| {
                AppError::invalid(
                    Problem::new(format!("session {} would move to a time that {}", l.seq, e.message))
                        .field("starts_at"),
                )
            })?;
            moved.push((l.starts_at, StoredSession { starts_at, ..l }));
        }
    }
    let inside = |m: &StoredSession| {
        let minutes = u32::try_from(m.minutes).unwrap_or(60);
        [&lz, &mz].iter().all(|z| plab_domain::series::minutes_outside_working_hours(z, m.starts_at, minutes) == 0)
    };
    let moves = moved
        .iter()
        .map(|(from, m)| PlannedMove {
            session: m.id.0,
            number: m.seq,
            from: session::format_instant(*from),
            to: session::format_instant(m.starts_at),
            leader_local: lz.human(m.starts_at),
            mentor_local: mz.human(m.starts_at),
            inside_working_hours: inside(m),
        })
        .collect();
    let moved = moved.into_iter().map(|(_, m)| m).collect();
    Ok((pair, moves, moved))
}

/// A partner moves a planned session, or it and the rest of the series;
/// both partners get the update (same `UID`, higher `SEQUENCE`).
pub async fn reschedule(
    store: &Store,
    vault: &Vault,
    post: &Post,
    actor: &Actor,
    id: SessionId,
    input: &RescheduleInput,
    now: OffsetDateTime,
) -> Result<SessionView, AppError> {
    let (pair, _, moved) = plan_move(store, actor, id, input, now).await?;
    let mut outgoing = Vec::new();
    if post.is_on() {
        let after: Vec<StoredSession> =
            moved.iter().map(|m| StoredSession { sequence: m.sequence + 1, ..m.clone() }).collect();
        for facts in facts_of(store, vault, &pair, &after).await? {
            outgoing.extend(post.seal_all(vault, &mail::to_both(&facts, post, now))?);
        }
    }
    let moves: Vec<_> = moved.iter().map(|m| (m.id, m.sequence, m.starts_at)).collect();
    store.reschedule_sessions(&moves, &outgoing).await?;
    crate::changes::record(store, &pair, id, actor, crate::changes::Change::Moved).await?;
    Ok(view(&store.session(id).await?))
}

/// A start as RFC 3339, or as a local `YYYY-MM-DDTHH:MM` (a browser's
/// `datetime-local`) read in `zone`.
pub fn parse_start(raw: &str, zone: &Zone) -> Result<OffsetDateTime, AppError> {
    let raw = raw.trim();
    if let Ok(t) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
        return Ok(t);
    }
    let local = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(raw, local)
        .ok()
        .and_then(|t| zone.at_local(Date::of_instant(t.assume_utc()), t.hour(), t.minute()))
        .ok_or_else(|| {
            AppError::invalid(
                Problem::new(format!(
                    "'{raw}' is not a time like 2027-01-12T15:00:00Z or 2027-01-12T10:00 (your time zone, {})",
                    zone.name()
                ))
                .field("starts_at"),
            )
        })
}

/// The most minutes one agenda segment can be recorded at (ten hours).
pub const MAX_SEGMENT_MINUTES: u32 = 600;

/// A partner records how many minutes an agenda segment actually took (the
/// session timer does it at each change of segment); the measure step reads
/// it. A later recording of the same segment replaces the earlier one.
pub async fn record_segment(
    store: &Store,
    actor: &Actor,
    id: SessionId,
    segment: &str,
    minutes: u32,
) -> Result<(), AppError> {
    let (s, _, _, me) = access::partner_of_session(store, actor, id).await?;
    crate::retention::refuse_if_pair_closed(store, s.pair_id).await?;
    match s.status {
        SessionStatus::Cancelled => return Err(AppError::Conflict(format!("session {id} was cancelled"))),
        SessionStatus::Missed => return Err(AppError::Conflict(format!("session {id} did not take place"))),
        SessionStatus::Planned | SessionStatus::Held => {}
    }
    let agenda = session::agenda(u32::try_from(s.minutes).unwrap_or(60));
    let Some(segment) = agenda.iter().find(|a| a.name == segment.trim()) else {
        let names: Vec<&str> = agenda.iter().map(|a| a.name).collect();
        return Err(AppError::invalid(
            Problem::new(format!("is not an agenda segment; use one of: {}", names.join(", "))).field("segment"),
        ));
    };
    if minutes > MAX_SEGMENT_MINUTES {
        return Err(AppError::invalid(
            Problem::new(format!("use 0 to {MAX_SEGMENT_MINUTES} minutes")).field("minutes"),
        ));
    }
    Ok(store.record_segment(id, segment.name, minutes, &me).await?)
}

/// The session timer as a page or the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TimerView {
    /// Whether it runs (or is paused); false before Start and after the last segment.
    pub running: bool,
    /// The agenda segment running, from 0 (Connect), while it runs.
    pub segment: Option<usize>,
    pub segment_name: Option<String>,
    /// Seconds the current segment has run.
    pub elapsed_seconds: i64,
    /// Seconds left of the segment's planned minutes; negative once it runs over.
    pub remaining_seconds: i64,
    pub paused: bool,
}

impl TimerView {
    /// `12:34 left` or `2:05 over`, as the countdown shows it.
    pub fn countdown(&self) -> String {
        let s = self.remaining_seconds.abs();
        let clock = format!("{}:{:02}", s / 60, s % 60);
        if self.remaining_seconds >= 0 { format!("{clock} left") } else { format!("{clock} over") }
    }
}

fn timer_view(s: &StoredSession, state: Option<plab_domain::timer::TimerState>, now: OffsetDateTime) -> TimerView {
    let agenda = session::agenda(u32::try_from(s.minutes).unwrap_or(60));
    match state.and_then(|t| agenda.get(t.segment).map(|a| (t, a))) {
        Some((t, a)) => {
            let elapsed = t.elapsed_seconds(now);
            TimerView {
                running: true,
                segment: Some(t.segment),
                segment_name: Some(a.name.to_owned()),
                elapsed_seconds: elapsed,
                remaining_seconds: i64::from(a.minutes) * 60 - elapsed,
                paused: t.paused,
            }
        }
        None => TimerView {
            running: false,
            segment: None,
            segment_name: None,
            elapsed_seconds: 0,
            remaining_seconds: 0,
            paused: false,
        },
    }
}

/// The session timer as it runs now, for a partner's page or device.
pub async fn timer(store: &Store, actor: &Actor, id: SessionId, now: OffsetDateTime) -> Result<TimerView, AppError> {
    let (s, ..) = access::partner_of_session(store, actor, id).await?;
    Ok(timer_view(&s, store.timer(id).await?, now))
}

/// A partner presses a timer button (`start`, `pause`, `resume`, `next`,
/// `stop`); `shown` is the segment their page showed. The timer is kept by
/// the server so a reload or the partner's device picks it up where it is;
/// "next" records the finished segment's minutes for the measure step. Only
/// a planned session has a timer.
pub async fn press_timer(
    store: &Store,
    actor: &Actor,
    id: SessionId,
    action: &str,
    shown: Option<usize>,
    now: OffsetDateTime,
) -> Result<TimerView, AppError> {
    let (s, _, _, me) = access::partner_of_session(store, actor, id).await?;
    crate::retention::refuse_if_pair_closed(store, s.pair_id).await?;
    let Some(action) = plab_domain::timer::TimerAction::parse(action) else {
        return Err(AppError::invalid(
            Problem::new("is not a timer button; use start, pause, resume, next or stop").field("action"),
        ));
    };
    if s.status_at(now) != SessionStatus::Planned {
        return Err(AppError::Conflict(format!(
            "session {} is {}: the timer is for a session about to take place",
            s.seq,
            s.status_at(now)
        )));
    }
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let agenda = session::agenda(u32::try_from(s.minutes).unwrap_or(60));
    // Two devices may press at once: the loser reads the winner's timer and tries again.
    for _ in 0..3 {
        let current = store.timer(id).await?;
        let step = plab_domain::timer::step(current, action, shown, agenda.len(), now);
        let finished = step.finished.and_then(|(i, minutes)| agenda.get(i).map(|a| (a.name, minutes, me.as_str())));
        if step.state == current && finished.is_none() {
            return Ok(timer_view(&s, current, now));
        }
        if store.save_timer(id, current, step.state, finished).await? {
            return Ok(timer_view(&s, step.state, now));
        }
    }
    Ok(timer_view(&s, store.timer(id).await?, now))
}

/// A partner answers their private pulse for a held session (again to change it).
pub async fn answer_pulse(
    store: &Store,
    actor: &Actor,
    id: SessionId,
    answers: &BTreeMap<String, i64>,
) -> Result<BTreeMap<String, u8>, AppError> {
    let (s, _, role, me) = access::partner_of_session(store, actor, id).await?;
    crate::retention::refuse_if_pair_closed(store, s.pair_id).await?;
    if s.status != SessionStatus::Held {
        return Err(AppError::Conflict(format!("session {id} is {}: the pulse follows a held session", s.status)));
    }
    let pulse = Pulse::parse(role, answers)?;
    store.save_pulse(id, &me, role.as_str(), pulse.answers()).await?;
    Ok(store.own_pulse(id, &me).await?.into_iter().collect())
}

/// One's own pulse answers for a session; the partner's are never returned.
pub async fn my_pulse(store: &Store, actor: &Actor, id: SessionId) -> Result<BTreeMap<String, u8>, AppError> {
    let (s, .., me) = access::partner_of_session(store, actor, id).await?;
    Ok(store.own_pulse(s.id, &me).await?.into_iter().collect())
}

/// A pulse item's average across the program, as a sponsor may see it: the
/// last released figure (`session::next_release`), None until the first.
#[derive(Debug, Clone, Serialize)]
pub struct ItemAverage {
    pub item: PulseItem,
    pub released: Option<GroupAverage>,
}

/// How a program's sessions are going, for its sponsors: counts, and pulse
/// averages released in steps of at least the program's minimum group size.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramHealth {
    pub program_name: String,
    pub planned: i64,
    pub held: i64,
    pub cancelled: i64,
    /// Did not take place: a partner said so, or nobody said for a week.
    pub missed: i64,
    pub homework_set: i64,
    pub homework_done: i64,
    pub min_group_size: u32,
    pub pulse: Vec<ItemAverage>,
}

/// Kept in memory like the report (`report::FRESH_FOR`).
pub async fn health(store: &Store, actor: &Actor, program: ProgramId) -> Result<Arc<ProgramHealth>, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    store.remember(actor.seen, "health", program.0, crate::report::FRESH_FOR, health_now(store, program)).await
}

async fn health_now(store: &Store, program: ProgramId) -> Result<ProgramHealth, AppError> {
    let stored = store.program(program).await?;
    let rule = AverageRule::of(store, &stored).await?;
    let counts = store.session_counts(program, OffsetDateTime::now_utc()).await?;
    let per_person = store.pulse_averages(program).await?;
    let released = store.released_averages(program).await?;
    let mut pulse = Vec::with_capacity(session::PULSE_ITEMS.len());
    for item in &session::PULSE_ITEMS {
        let live = per_person
            .iter()
            .filter(|p| p.item == item.code && p.role == item.role)
            .map(|p| {
                let number =
                    |n: i64| u32::try_from(n).map_err(|_| AppError::Fault(format!("pulse total {n} is out of range")));
                Ok(PersonAnswers { person: p.employee_id.clone(), sum: number(p.sum)?, count: number(p.count)? })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let previous = released.iter().find(|(code, _)| code == item.code).map(|(_, r)| r);
        let released = release_if_due(store, program, item.code, previous, &live, &rule).await?;
        pulse.push(ItemAverage { item: *item, released });
    }
    Ok(ProgramHealth {
        program_name: stored.name,
        planned: counts.planned,
        held: counts.held,
        cancelled: counts.cancelled,
        missed: counts.missed,
        homework_set: counts.homework_set,
        homework_done: counts.homework_done,
        min_group_size: rule.group_size,
        pulse,
    })
}

/// Whose answers a program's sponsor-facing averages count, and from how
/// many people: the program's group size, never below the instance's floor,
/// and never anyone who is a sponsor of the program, so that no sponsor reads
/// an average holding their own answers. (Since migration 0025 a sponsor is
/// no one's partner; programs enrolled before it may still have one who is:
/// such a person keeps their roles, and their answers stay out of every
/// average the sponsors read.)
#[derive(Debug, Clone)]
pub(crate) struct AverageRule {
    pub group_size: u32,
    sponsors: HashSet<String>,
}

impl AverageRule {
    pub(crate) async fn of(store: &Store, program: &plab_store::Program) -> Result<AverageRule, AppError> {
        let floor = crate::settings::group_size_floor(store).await?;
        let sponsors = store
            .enrolments(program.id)
            .await?
            .into_iter()
            .filter(|e| e.role == plab_domain::program::Role::Sponsor)
            .map(|e| e.employee_id)
            .collect();
        Ok(AverageRule { group_size: program.settings.group_size(floor), sponsors })
    }

    fn counted(&self, live: &[PersonAnswers]) -> Vec<PersonAnswers> {
        live.iter().filter(|p| !self.sponsors.contains(&p.person)).cloned().collect()
    }

    /// A figure released before the floor was raised, or over a sponsor's
    /// own answers, is no longer shown.
    fn may_show(&self, release: &Release) -> bool {
        release.figure.respondents >= self.group_size
            && !release.basis.iter().any(|p| self.sponsors.contains(&p.person))
    }
}

/// The figure a sponsor may see for one item: a new release when one is due,
/// else the last one. When another server released first, its figure is shown.
pub(crate) async fn release_if_due(
    store: &Store,
    program: ProgramId,
    item: &str,
    previous: Option<&Release>,
    live: &[PersonAnswers],
    rule: &AverageRule,
) -> Result<Option<GroupAverage>, AppError> {
    let live = rule.counted(live);
    let Some(next) = session::next_release(previous, &live, rule.group_size) else {
        return Ok(previous.filter(|r| rule.may_show(r)).map(|r| r.figure));
    };
    if store.release_average(program, item, &next).await? {
        return Ok(Some(next.figure));
    }
    let stored = store.released_averages(program).await?;
    Ok(stored.into_iter().find(|(code, r)| code == item && rule.may_show(r)).map(|(_, r)| r.figure))
}

/// A person's calendar feed (RFC 5545): every planned or held session, and
/// cancelled ones marked `STATUS:CANCELLED` so subscribed calendars drop them;
/// each event as invitations carry it (`SessionFacts::event`). The secret in
/// the URL is the credential.
pub async fn calendar(store: &Store, vault: &Vault, post: &Post, file: &str) -> Result<String, AppError> {
    let not_found = || AppError::NotFound { what: "calendar", id: "…".into() };
    let (account, secret) = file.strip_suffix(".ics").unwrap_or(file).split_once('-').ok_or_else(not_found)?;
    let account = store.account(account.parse().map_err(|_| not_found())?).await?.ok_or_else(not_found)?;
    let expected = vault.calendar_secret(account.id, account.calendar_generation);
    // A leaver's or a disabled account's feed is gone, like every other way in.
    if !constant_time_eq(expected.as_bytes(), secret.as_bytes()) || !account.in_good_standing(&today_text()) {
        return Err(not_found());
    }
    let mut ics = crate::ical::Ics::new();
    ics.begin("VCALENDAR")
        .text("VERSION", "2.0")
        .text("PRODID", mail::PRODID)
        .text("CALSCALE", "GREGORIAN")
        .text("NAME", "Perspective Lab")
        .text("X-WR-CALNAME", "Perspective Lab");
    let Some(me) = account.employee_id else {
        return Ok(ics.end("VCALENDAR").finish());
    };
    let mut by_pair: BTreeMap<PairId, Vec<StoredSession>> = BTreeMap::new();
    for (s, ..) in store.sessions_of_person(&me).await? {
        by_pair.entry(s.pair_id).or_default().push(s);
    }
    let now = OffsetDateTime::now_utc();
    for (pair, sessions) in by_pair {
        let pair = store.pair(pair).await?;
        for facts in facts_of(store, vault, &pair, &sessions).await? {
            facts.event(&mut ics, &post.organizer(), post.base(), now);
        }
    }
    ics.end("VCALENDAR");
    Ok(ics.finish())
}

/// Compares secrets without revealing through timing how much of one matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
