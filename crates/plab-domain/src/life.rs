//! A program's life: draft → enrolling → running → closing → closed, what each
//! state allows (the table the services consult), the exit question asked in
//! the close-out, and the kind of a program (a standard cohort, or the
//! reciprocal phase in which former pairs swap what they teach).
use crate::person::FieldError;
use crate::session::Segment;
use serde::Serialize;

/// Where a program is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgramState {
    /// Opened, nobody to pair yet (no leader or mentor enrolled).
    Draft,
    /// Participants enrolled, no pair approved yet.
    Enrolling,
    /// Pairs approved: sessions are planned and held.
    Running,
    /// The sponsors began the close-out: last answers are asked for.
    Closing,
    /// Closed: read-only, its report frozen.
    Closed,
}

impl ProgramState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramState::Draft => "draft",
            ProgramState::Enrolling => "enrolling",
            ProgramState::Running => "running",
            ProgramState::Closing => "closing",
            ProgramState::Closed => "closed",
        }
    }

    /// How a page names the state.
    pub fn label(self) -> &'static str {
        match self {
            ProgramState::Draft => "Being set up",
            ProgramState::Enrolling => "Enrolling",
            ProgramState::Running => "Running",
            ProgramState::Closing => "Closing",
            ProgramState::Closed => "Closed",
        }
    }
}

impl std::fmt::Display for ProgramState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the state of a program is decided from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LifeFacts {
    /// Leaders and mentors enrolled (sponsors do not count).
    pub participants: u64,
    /// Pairs approved and not ended.
    pub approved_pairs: u64,
    /// The sponsors began the close-out.
    pub closing: bool,
    /// The program was closed.
    pub closed: bool,
}

/// The state of a program: the latest step its facts reach.
pub fn state_of(facts: LifeFacts) -> ProgramState {
    if facts.closed {
        ProgramState::Closed
    } else if facts.closing {
        ProgramState::Closing
    } else if facts.approved_pairs > 0 {
        ProgramState::Running
    } else if facts.participants > 0 {
        ProgramState::Enrolling
    } else {
        ProgramState::Draft
    }
}

/// What a service may do, depending on the program's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Enrol sponsors, leaders and mentors.
    Enrol,
    /// Propose and approve pairs.
    Pair,
    /// Plan or move sessions.
    PlanSessions,
    /// Notes, pulses, check-ins, self-assessments, insights.
    PrivateWrites,
    /// The closing self-assessment, last check-in and exit question.
    ClosingItems,
    /// Begin the close-out.
    BeginCloseOut,
    /// Close the program.
    Close,
    /// Start the next cohort from this program.
    StartNextCohort,
}

use Action as A;
use ProgramState as S;

/// What each state allows. Services ask `allows`, never the state itself.
pub const ALLOWED: [(ProgramState, &[Action]); 5] = [
    (S::Draft, &[A::Enrol, A::Close]),
    (S::Enrolling, &[A::Enrol, A::Pair, A::Close]),
    (
        S::Running,
        &[A::Enrol, A::Pair, A::PlanSessions, A::PrivateWrites, A::BeginCloseOut, A::Close, A::StartNextCohort],
    ),
    (S::Closing, &[A::PrivateWrites, A::ClosingItems, A::Close, A::StartNextCohort]),
    (S::Closed, &[A::StartNextCohort]),
];

/// Whether a program in `state` allows `action`.
pub fn allows(state: ProgramState, action: Action) -> bool {
    ALLOWED.iter().any(|(s, actions)| *s == state && actions.contains(&action))
}

/// Why `action` is refused in `state`, in words for the person who tried.
pub fn refusal(state: ProgramState, action: Action) -> String {
    let doing = match action {
        A::Enrol => "People are no longer enrolled",
        A::Pair => "Pairs are no longer made",
        A::PlanSessions => "New sessions are no longer planned",
        A::PrivateWrites => "Nothing new is written",
        A::ClosingItems => "The closing questions are asked only during the close-out",
        A::BeginCloseOut => "The close-out can begin only while the program is running",
        A::Close => "The program is already closed",
        A::StartNextCohort => "The next cohort can start once this program's pairs are running",
    };
    match state {
        S::Closing => format!("{doing}: this program is closing."),
        S::Closed => format!("{doing}: this program is closed."),
        S::Draft | S::Enrolling => format!("{doing}: this program is still {}.", state.label().to_lowercase()),
        S::Running => format!("{doing}: this program is running."),
    }
}

/// The kind of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ProgramKind {
    /// The junior mentors the leader.
    #[default]
    Standard,
    /// Former pairs swap what they teach: the leader mentors the junior on
    /// what the junior chooses. Enrolment roles stay as they were.
    Reciprocal,
}

impl ProgramKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProgramKind::Standard => "standard",
            ProgramKind::Reciprocal => "reciprocal",
        }
    }

    pub fn parse(raw: &str) -> Option<ProgramKind> {
        [ProgramKind::Standard, ProgramKind::Reciprocal].into_iter().find(|k| k.as_str() == raw)
    }
}

/// Sessions of a reciprocal phase unless the sponsors set another number.
pub const RECIPROCAL_SESSIONS: u32 = 3;

/// The reciprocal phase's hour, same shape as the protocol's: the leader
/// leads the lab on what the junior chose, the junior reflects.
const RECIPROCAL_HOUR: [(&str, u32, &str, &str); 4] = [
    ("Connect", 10, "both", "Check in as people, not titles; recall the topic the junior chose."),
    (
        "Leader's Lab",
        30,
        "leader",
        "The leader leads: show how the decisions behind the junior's topic are made, what you weigh and who you ask. The junior asks and listens.",
    ),
    (
        "Junior's Reflection",
        15,
        "mentor",
        "The junior says what surprised them and what they will try in their own work.",
    ),
    ("Next Steps", 5, "both", "Agree one thing the junior tries, reads or watches before the next session."),
];

/// The agenda of a session in a program of this kind, scaled to its length.
pub fn agenda(kind: ProgramKind, total_minutes: u32) -> Vec<Segment> {
    let standard = crate::session::agenda(total_minutes);
    match kind {
        ProgramKind::Standard => standard,
        ProgramKind::Reciprocal => standard
            .into_iter()
            .zip(RECIPROCAL_HOUR)
            .map(|(s, (name, _, lead, purpose))| Segment { name, minutes: s.minutes, lead, purpose })
            .collect(),
    }
}

/// The words of the pair page that depend on who teaches whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PairWording {
    /// What the leader is called on the pair's page.
    pub leader_title: &'static str,
    /// What the mentor is called.
    pub mentor_title: &'static str,
}

/// The pair page's wording for a program of this kind.
pub fn pair_wording(kind: ProgramKind) -> PairWording {
    match kind {
        ProgramKind::Standard => PairWording { leader_title: "Lead Learner", mentor_title: "Subject Matter Expert" },
        ProgramKind::Reciprocal => PairWording {
            leader_title: "Mentor in this phase (the former Lead Learner)",
            mentor_title: "Learner in this phase (the former Subject Matter Expert)",
        },
    }
}

/// The exit question: "Would you take part again, and in which role?"
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitChoice {
    AsMentor,
    AsLeader,
    EitherRole,
    NotNow,
}

/// The exit question as participants read it.
pub const EXIT_QUESTION: &str = "Would you take part again, and in which role?";

/// The longest optional line beside an exit answer.
pub const EXIT_COMMENT_MAX: usize = 500;

impl ExitChoice {
    pub const ALL: [ExitChoice; 4] =
        [ExitChoice::AsMentor, ExitChoice::AsLeader, ExitChoice::EitherRole, ExitChoice::NotNow];

    pub fn as_str(self) -> &'static str {
        match self {
            ExitChoice::AsMentor => "as_mentor",
            ExitChoice::AsLeader => "as_leader",
            ExitChoice::EitherRole => "either_role",
            ExitChoice::NotNow => "not_now",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExitChoice::AsMentor => "Yes, as a mentor",
            ExitChoice::AsLeader => "Yes, as a leader",
            ExitChoice::EitherRole => "Yes, in either role",
            ExitChoice::NotNow => "Not now",
        }
    }

    pub fn parse(raw: &str) -> Result<ExitChoice, FieldError> {
        ExitChoice::ALL.into_iter().find(|c| c.as_str() == raw.trim()).ok_or_else(|| {
            FieldError::new("choice", "choose one of: yes as a mentor, yes as a leader, yes in either role, not now")
        })
    }

    /// Whether someone who took part in `role` and answered this is proposed
    /// for the next cohort in that same role.
    pub fn continues_as(self, role: crate::program::Role) -> bool {
        use crate::program::Role;
        matches!(
            (self, role),
            (ExitChoice::EitherRole, Role::Leader | Role::Mentor)
                | (ExitChoice::AsMentor, Role::Mentor)
                | (ExitChoice::AsLeader, Role::Leader)
        )
    }
}

/// The optional line beside an exit answer: trimmed, empty means none.
pub fn exit_comment(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    let chars = text.chars().count();
    if chars > EXIT_COMMENT_MAX {
        return Err(FieldError::new(
            "comment",
            format!("keep it to {EXIT_COMMENT_MAX} characters or fewer (this one has {chars})"),
        ));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::Role;

    fn facts(participants: u64, approved_pairs: u64, closing: bool, closed: bool) -> LifeFacts {
        LifeFacts { participants, approved_pairs, closing, closed }
    }

    #[test]
    fn a_program_with_nobody_enrolled_is_a_draft() {
        assert_eq!(state_of(facts(0, 0, false, false)), ProgramState::Draft);
    }

    #[test]
    fn participants_without_approved_pairs_are_enrolling() {
        assert_eq!(state_of(facts(4, 0, false, false)), ProgramState::Enrolling);
    }

    #[test]
    fn an_approved_pair_makes_it_running() {
        assert_eq!(state_of(facts(4, 1, false, false)), ProgramState::Running);
    }

    #[test]
    fn a_begun_close_out_is_closing_and_closing_it_is_closed() {
        assert_eq!(state_of(facts(4, 2, true, false)), ProgramState::Closing);
        assert_eq!(state_of(facts(4, 2, true, true)), ProgramState::Closed);
        assert_eq!(state_of(facts(4, 2, false, true)), ProgramState::Closed, "closed straight from running");
    }

    #[test]
    fn only_a_running_program_plans_sessions_and_begins_its_close_out() {
        for (state, _) in ALLOWED {
            assert_eq!(allows(state, Action::PlanSessions), state == ProgramState::Running, "{state}");
            assert_eq!(allows(state, Action::BeginCloseOut), state == ProgramState::Running, "{state}");
        }
    }

    #[test]
    fn closing_items_are_asked_only_while_closing() {
        for (state, _) in ALLOWED {
            assert_eq!(allows(state, Action::ClosingItems), state == ProgramState::Closing, "{state}");
        }
    }

    #[test]
    fn a_closed_program_allows_nothing_but_a_next_cohort() {
        for action in
            [A::Enrol, A::Pair, A::PlanSessions, A::PrivateWrites, A::ClosingItems, A::BeginCloseOut, A::Close]
        {
            assert!(!allows(ProgramState::Closed, action), "{action:?}");
        }
        assert!(allows(ProgramState::Closed, Action::StartNextCohort));
    }

    #[test]
    fn the_next_cohort_starts_from_running_closing_or_closed_only() {
        let from: Vec<ProgramState> =
            ALLOWED.iter().map(|(s, _)| *s).filter(|s| allows(*s, Action::StartNextCohort)).collect();
        assert_eq!(from, [ProgramState::Running, ProgramState::Closing, ProgramState::Closed]);
    }

    #[test]
    fn enrolment_and_pairing_stop_at_the_close_out() {
        assert!(allows(ProgramState::Draft, Action::Enrol) && !allows(ProgramState::Draft, Action::Pair));
        assert!(allows(ProgramState::Enrolling, Action::Pair));
        assert!(!allows(ProgramState::Closing, Action::Enrol) && !allows(ProgramState::Closing, Action::Pair));
        assert!(allows(ProgramState::Closing, Action::PrivateWrites));
    }

    #[test]
    fn a_refusal_names_the_state_in_plain_words() {
        assert_eq!(
            refusal(ProgramState::Closing, Action::PlanSessions),
            "New sessions are no longer planned: this program is closing."
        );
        assert!(refusal(ProgramState::Draft, Action::BeginCloseOut).ends_with("still being set up."));
    }

    #[test]
    fn the_reciprocal_agenda_has_the_leader_lead_the_lab_in_the_same_minutes() {
        let standard = agenda(ProgramKind::Standard, 60);
        let reciprocal = agenda(ProgramKind::Reciprocal, 60);
        assert_eq!(standard, crate::session::agenda(60));
        assert_eq!(
            reciprocal.iter().map(|s| s.minutes).collect::<Vec<_>>(),
            standard.iter().map(|s| s.minutes).collect::<Vec<_>>()
        );
        assert_eq!(reciprocal[1].name, "Leader's Lab");
        assert_eq!(reciprocal[1].lead, "leader");
        assert_eq!(reciprocal[2].lead, "mentor");
        assert!(reciprocal[1].purpose.contains("The junior asks and listens"));
        assert_eq!(agenda(ProgramKind::Reciprocal, 45).iter().map(|s| s.minutes).sum::<u32>(), 45);
    }

    #[test]
    fn in_a_reciprocal_phase_the_leader_is_called_the_mentor_and_the_junior_the_learner() {
        assert_eq!(pair_wording(ProgramKind::Standard).leader_title, "Lead Learner");
        let w = pair_wording(ProgramKind::Reciprocal);
        assert!(w.leader_title.starts_with("Mentor"), "{w:?}");
        assert!(w.mentor_title.starts_with("Learner"), "{w:?}");
    }

    #[test]
    fn exit_choices_parse_and_tell_who_continues_in_which_role() {
        assert_eq!(ExitChoice::parse("either_role"), Ok(ExitChoice::EitherRole));
        assert_eq!(ExitChoice::parse("maybe").expect_err("refused").field, "choice");
        assert!(ExitChoice::AsMentor.continues_as(Role::Mentor));
        assert!(!ExitChoice::AsMentor.continues_as(Role::Leader));
        assert!(ExitChoice::EitherRole.continues_as(Role::Leader));
        assert!(!ExitChoice::NotNow.continues_as(Role::Mentor));
        assert!(!ExitChoice::EitherRole.continues_as(Role::Sponsor));
    }

    #[test]
    fn an_exit_comment_is_optional_and_bounded() {
        assert_eq!(exit_comment(Some("  ")), Ok(None));
        assert_eq!(exit_comment(Some(" more time ")), Ok(Some("more time".into())));
        assert_eq!(exit_comment(Some(&"x".repeat(501))).expect_err("refused").field, "comment");
    }
}
