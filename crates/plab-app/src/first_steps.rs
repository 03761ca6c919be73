//! A participant's first steps in each program, as an ordered checklist on
//! their home: for a leader, the research question, then pairing, the lab
//! rules, the first session, its pulse and the check-in; for a mentor the
//! same with their perspectives first. Each step is done, the current one,
//! or still ahead, and names where to do it. Only the visitor's own progress
//! is read (their question, their acceptance, their pulse, their check-in).
use crate::AppError;
use crate::accounts::Actor;
use plab_domain::program::Role;
use plab_domain::session::SessionStatus;
use plab_store::Store;
use time::OffsetDateTime;

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    /// The first step not done: what to do now.
    Current,
    Ahead,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub text: String,
    /// Where to do it; None for a step that waits on someone else (pairing).
    pub href: Option<String>,
    pub state: StepState,
}

impl Step {
    pub fn css(&self) -> &'static str {
        match self.state {
            StepState::Done => "done",
            StepState::Current => "current",
            StepState::Ahead => "ahead",
        }
    }

    pub fn is_done(&self) -> bool {
        self.state == StepState::Done
    }

    /// The link is offered for the current step and the ones already done.
    pub fn link(&self) -> Option<&str> {
        (self.state != StepState::Ahead).then_some(self.href.as_deref()).flatten()
    }
}

/// One program's checklist for the visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstSteps {
    pub program: i64,
    pub program_name: String,
    /// `leader` or `mentor`.
    pub role: &'static str,
    pub steps: Vec<Step>,
    /// Nothing done yet: the home greets them to the program.
    pub just_joined: bool,
}

impl FirstSteps {
    pub fn done(&self) -> usize {
        self.steps.iter().filter(|s| s.is_done()).count()
    }

    pub fn all_done(&self) -> bool {
        self.steps.iter().all(Step::is_done)
    }
}

/// The visitor's checklists, one per program they lead or mentor in, until
/// every step of it is done.
pub async fn mine(store: &Store, actor: &Actor, now: OffsetDateTime) -> Result<Vec<FirstSteps>, AppError> {
    let Some(me) = actor.employee_id.as_deref() else { return Ok(Vec::new()) };
    let pairs = store.pairs_of_person(me).await?;
    let mut out = Vec::new();
    for (program, role, name) in store.memberships(me).await? {
        let role = match role {
            Role::Leader => "leader",
            Role::Mentor => "mentor",
            Role::Sponsor => continue,
        };
        // A mentor may have several leaders: the checklist follows the first pair.
        let pair = pairs
            .iter()
            .filter(|p| p.program == program && (p.pair.leader == me) == (role == "leader"))
            .min_by_key(|p| p.id.0);
        let mut done = Vec::new();
        if role == "leader" {
            let asked = store.question_history(program, me).await?.pop().is_some();
            done.push((
                asked,
                "Write your research question".to_owned(),
                Some(format!("/programs/{program}/question")),
            ));
        } else {
            done.push((
                pair.is_some(),
                "Check the perspectives you bring to a leader".to_owned(),
                Some(format!("/programs/{program}/mentor")),
            ));
        }
        done.push((pair.is_some(), "Be paired: your sponsor runs the pairing".to_owned(), None));
        let (mut accepted, mut held, mut pulsed, mut checked_in) = (false, None, false, false);
        if let Some(p) = pair {
            accepted = store.charter_accepted_by(p.id).await?.iter().any(|a| a == me);
            let sessions = store.sessions(p.id).await?;
            held = sessions.iter().find(|s| s.status == SessionStatus::Held).map(|s| s.id);
            if let Some(first) = held {
                pulsed = !store.own_pulse(first, me).await?.is_empty();
            }
            let my_role = if role == "leader" { Role::Leader } else { Role::Mentor };
            checked_in = crate::measure::checkin_of(store, p, my_role, now).await?.state == "done";
        }
        let pair_href = pair.map(|p| format!("/pairs/{}", p.id));
        done.push((accepted, "Accept the lab rules with your partner".to_owned(), pair_href.clone()));
        done.push((held.is_some(), "Hold your first session".to_owned(), pair_href.clone()));
        done.push((
            pulsed,
            "Answer the short pulse after the first session".to_owned(),
            held.map(|s| format!("/sessions/{s}#pulse")),
        ));
        done.push((checked_in, "Answer your check-in".to_owned(), pair.map(|p| format!("/pairs/{}/checkin", p.id))));
        let mut current_given = false;
        let steps: Vec<Step> = done
            .into_iter()
            .map(|(is_done, text, href)| {
                let state = if is_done {
                    StepState::Done
                } else if !current_given {
                    current_given = true;
                    StepState::Current
                } else {
                    StepState::Ahead
                };
                Step { text, href, state }
            })
            .collect();
        let just_joined = steps.iter().all(|s| !s.is_done());
        out.push(FirstSteps { program: program.0, program_name: name, role, steps, just_joined });
    }
    Ok(out)
}
