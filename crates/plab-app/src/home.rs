//! What each person's home page says to do next: for a leader or mentor, per
//! pair, the partner and whether they accepted the lab rules, the research
//! question, the next session, last time's homework and every pending action;
//! for a sponsor, per program, its dates, progress and what needs attention.
use crate::accounts::Actor;
use crate::sessions::SessionView;
use crate::vault::Vault;
use crate::views::{PairView, PersonRef, view};
use crate::{AppError, report};
use plab_domain::pair::PairStatus;
use plab_domain::program::Role;
use plab_domain::question::QuestionVersion;
use plab_domain::session::{self, SessionStatus};
use plab_store::{ProgramId, Store};
use time::OffsetDateTime;

/// One thing waiting for the person, with where to do it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    pub text: String,
    pub href: String,
}

/// A leader's or mentor's pair as their home shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PairHome {
    pub pair: PairView,
    pub program_name: String,
    /// `leader` or `mentor`: the visitor's side.
    pub my_role: &'static str,
    pub partner: PersonRef,
    pub partner_accepted: bool,
    pub i_accepted: bool,
    /// The leader's current research question, which both partners work on.
    pub question: Option<String>,
    pub next_session: Option<SessionView>,
    /// When the next session starts, in the visitor's time zone with the zone named.
    pub next_session_when: Option<String>,
    /// The homework agreed at the last held session.
    pub last_homework: Option<String>,
    pub todo: Vec<Todo>,
    /// How long the pair's notes and answers are kept (`retention::Keeping::sentence`).
    pub retention: String,
}

/// The leader's current question in a program, if they wrote one.
pub(crate) async fn leader_question(
    store: &Store,
    program: ProgramId,
    leader: &str,
) -> Result<Option<QuestionVersion>, AppError> {
    Ok(store.question_history(program, leader).await?.pop())
}

/// Every pair the actor is a partner in, with what to do next in each.
pub async fn my_pairs(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Vec<PairHome>, AppError> {
    let Some(me) = actor.employee_id.as_deref() else { return Ok(Vec::new()) };
    let zone = crate::accounts::zone_of(store, actor).await?;
    let mut homes = Vec::new();
    for pair in store.pairs_of_person(me).await? {
        let i_lead = pair.pair.leader == me;
        let shown = view(store, &pair).await?;
        let partner = if i_lead { shown.mentor.clone() } else { shown.leader.clone() };
        let accepted = store.charter_accepted_by(pair.id).await?;
        let (i_accepted, partner_accepted) = (accepted.iter().any(|a| a == me), accepted.contains(&partner.id));
        let question = leader_question(store, pair.program, &pair.pair.leader).await?;
        let sessions = store.sessions(pair.id).await?;
        let next = sessions.iter().find(|s| s.status == SessionStatus::Planned && s.starts_at > now);
        let last_held = sessions.iter().rfind(|s| s.status == SessionStatus::Held);
        let last_homework = match last_held {
            Some(s) => match store.homework(s.id).await? {
                Some(n) => Some(vault.open(pair.id, &n.author_id, &n.nonce, &n.ciphertext)?),
                None => None,
            },
            None => None,
        };
        let mut todo = Vec::new();
        if !i_accepted {
            todo.push(Todo { text: "Read and accept the lab rules".into(), href: format!("/pairs/{}", pair.id) });
        }
        if i_lead {
            match &question {
                None => todo.push(Todo {
                    text: "Write your research question".into(),
                    href: format!("/programs/{}/question", pair.program),
                }),
                Some(q) if q.assessment.strength == plab_domain::coach::Strength::Weak => todo.push(Todo {
                    text: "Sharpen your research question: the coach rates it weak".into(),
                    href: format!("/programs/{}/question", pair.program),
                }),
                Some(_) => {}
            }
        }
        // Both partners are asked whether a past session took place, until it
        // reads as missed a week after its start.
        for s in sessions.iter().filter(|s| session::asks_whether_held(s.status, s.starts_at, s.minutes, now)) {
            todo.push(Todo {
                text: format!("Did session {} ({}) take place? Say so", s.seq, zone.human(s.starts_at)),
                href: format!("/sessions/{}#took-place", s.id),
            });
        }
        // A pulse is asked for while the session is fresh in mind.
        for s in
            sessions.iter().filter(|s| s.status == SessionStatus::Held && session::pulse_still_asked(s.starts_at, now))
        {
            if store.own_pulse(s.id, me).await?.is_empty() {
                todo.push(Todo {
                    text: format!("Answer the pulse for session {}", s.seq),
                    href: format!("/sessions/{}#pulse", s.id),
                });
            }
        }
        // The fit check, once the first session is held, until answered.
        if last_held.is_some() && store.own_fit_answer(pair.id, me).await?.is_none() {
            todo.push(Todo {
                text: "Say whether your pairing fits your research question (only you read it)".into(),
                href: format!("/pairs/{}#fit", pair.id),
            });
        }
        if !pair.is_open() {
            // An ended pair stays readable from the home; nothing more is asked of it.
            todo.clear();
        }
        let keeping = crate::retention::keeping(store, pair.program).await?;
        if !keeping.is_running() {
            // Nor of a closed program's pairs.
            todo.clear();
        }
        let program_name = store.program(pair.program).await?.name.to_string();
        homes.push(PairHome {
            retention: keeping.sentence(),
            program_name,
            my_role: if i_lead { "leader" } else { "mentor" },
            partner,
            partner_accepted,
            i_accepted,
            question: question.map(|q| q.text),
            next_session: next.map(crate::sessions::view),
            next_session_when: next.map(|s| zone.human(s.starts_at)),
            last_homework,
            todo,
            pair: shown,
        });
    }
    Ok(homes)
}

/// A sponsor's asks to sharpen the actor's research question, in every program
/// where they lead and have not saved a new version since: each with the
/// coach's suggestions for the current one.
pub async fn sharpen_asks(store: &Store, actor: &Actor) -> Result<Vec<Todo>, AppError> {
    let Some(me) = actor.employee_id.as_deref() else { return Ok(Vec::new()) };
    let mut asks = Vec::new();
    for (program, role, name) in store.memberships(me).await? {
        if role != Role::Leader {
            continue;
        }
        let Some(asked) = store.sharpen_asked_version(program, me).await? else { continue };
        let question = leader_question(store, program, me).await?;
        if question.as_ref().is_some_and(|q| q.version > asked) {
            continue;
        }
        let suggestions = question
            .map(|q| q.assessment.findings.iter().map(|f| f.suggestion.clone()).collect::<Vec<_>>().join("; "))
            .unwrap_or_default();
        asks.push(Todo {
            text: format!("Your sponsor asks you to sharpen your research question for {name}. {suggestions}")
                .trim()
                .to_owned(),
            href: format!("/programs/{program}/question"),
        });
    }
    Ok(asks)
}

/// A program as its sponsor's home shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramHome {
    pub program: i64,
    pub name: String,
    pub starts_on: String,
    /// The start date has come: "Started on", else "Starts on".
    pub started: bool,
    pub pairs: usize,
    pub active_pairs: usize,
    pub sessions_held: usize,
    pub sessions_planned: usize,
    /// What needs the sponsor, in sentences.
    pub attention: Vec<String>,
    /// Where it is in its life (`plab_domain::life`): closed ones are listed apart.
    pub state: plab_domain::life::ProgramState,
}

impl ProgramHome {
    pub fn is_past(&self) -> bool {
        self.state == plab_domain::life::ProgramState::Closed
    }
}

/// Every program the actor sponsors, with progress and what needs attention.
pub async fn my_programs(store: &Store, actor: &Actor) -> Result<Vec<ProgramHome>, AppError> {
    let Some(me) = actor.employee_id.as_deref() else { return Ok(Vec::new()) };
    let mut homes = Vec::new();
    for (program, role, name) in store.memberships(me).await? {
        if role != Role::Sponsor {
            continue;
        }
        // The report authorizes the sponsor; the rest is read for them alone.
        let report = report::for_sponsor(store, actor, program).await?;
        let pairs = store.listed_pairs(program, None, None, None, actor.seen).await?;
        let roster = store.roster(program).await?;
        let mut attention = Vec::new();
        let without_question = roster.iter().filter(|e| e.role == Role::Leader && !e.has_question).count();
        if roster.iter().all(|e| e.role == Role::Sponsor) {
            attention.push("Nobody is enrolled yet: enrol the leaders and mentors.".to_owned());
        }
        if without_question > 0 {
            attention.push(plural(
                without_question,
                "leader has",
                "leaders have",
                "not written a research question yet.",
            ));
        }
        let not_signed_in = roster.iter().filter(|e| e.role != Role::Sponsor && e.last_sign_in.is_none()).count();
        if not_signed_in > 0 {
            attention.push(plural(not_signed_in, "participant has", "participants have", "never signed in."));
        }
        let forming = pairs.iter().filter(|p| p.status == PairStatus::Forming).count();
        if forming > 0 {
            attention.push(plural(forming, "pair waits", "pairs wait", "for both partners to accept the lab rules."));
        }
        if !report.at_risk.is_empty() {
            attention.push(plural(
                report.at_risk.len(),
                "pair is",
                "pairs are",
                "at risk: see what to do on the dashboard.",
            ));
        }
        if report.checkins.due > 0 {
            attention.push(plural(report.checkins.due, "check-in is", "check-ins are", "due."));
        }
        homes.push(ProgramHome {
            state: crate::life::state(store, program).await?,
            program: program.0,
            starts_on: plab_domain::Date::parse(&report.starts_on)
                .map_or_else(|_| report.starts_on.clone(), plab_domain::session::human_date),
            started: plab_domain::Date::parse(&report.starts_on).is_ok_and(|d| d <= crate::sessions::today()),
            name,
            pairs: pairs.len(),
            active_pairs: pairs.iter().filter(|p| p.status == PairStatus::Active).count(),
            sessions_held: report.sessions.held,
            sessions_planned: report.sessions.planned,
            attention,
        });
    }
    Ok(homes)
}

fn plural(n: usize, one: &str, many: &str, rest: &str) -> String {
    if n == 1 { format!("1 {one} {rest}") } else { format!("{n} {many} {rest}") }
}
