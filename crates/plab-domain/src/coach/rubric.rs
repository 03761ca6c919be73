//! The rubric: six named criteria, each worth a fixed number of points, that
//! add up to the 0-100 score. Every missed criterion leaves an [`Issue`].
use super::advice::Issue;
use super::framing::{Framing, FramingFacts, frame};
use super::group::{GroupFacts, group, window_start};
use super::object::{ObjectFacts, object};
use super::terms::content_stems;
use super::text::Text;
use super::words::{
    behaviours, beyond_mentor, broad_scope, generation_labels, outcome_comparatives, problem_signals, purpose_markers,
    self_states, vague_aims,
};
use super::{Criterion, CriterionScore};

pub(crate) struct Evaluation {
    pub scores: Vec<CriterionScore>,
    pub issues: Vec<Issue>,
}

impl Evaluation {
    pub fn total(&self) -> u8 {
        let sum: u32 = self.scores.iter().map(|s| u32::from(s.points)).sum();
        u8::try_from(sum.min(100)).unwrap_or(100)
    }
}

pub(crate) fn evaluate(text: &Text) -> Evaluation {
    let framing = frame(text);
    let object = object(text);
    let group = group(text);
    let scope = scope(text, &object, &group);
    // A question made only of vague aims ("stay relevant", "modern leader")
    // names nothing a mentor can show: its purpose and its length earn nothing.
    let vague_aim = vague_aims().first(text).filter(|_| !object.concrete && !group.real);
    let (purpose, detail) = match vague_aim {
        Some(m) => ((0, Some(Issue::VagueAim(m.surface(text)))), (0, None)),
        None => (purpose(text, &framing, &object, &group), detail(text)),
    };

    let mut issues = Vec::new();
    issues.extend(framing_issue(&framing));
    issues.extend(object.issue);
    issues.extend(group.issue);
    issues.extend(purpose.1);
    issues.extend(scope.1);
    issues.extend(detail.1);

    let score = |criterion, points, max| CriterionScore { criterion, points, max };
    Evaluation {
        scores: vec![
            score(Criterion::Framing, framing.framing.points(), 25),
            score(Criterion::Object, object.points, 25),
            score(Criterion::Group, group.points, 15),
            score(Criterion::Purpose, purpose.0, 15),
            score(Criterion::Scope, scope.0, 10),
            score(Criterion::Detail, detail.0, 10),
        ],
        issues,
    }
}

fn framing_issue(facts: &FramingFacts) -> Option<Issue> {
    let phrase = facts.phrase.clone().unwrap_or_default();
    match facts.framing {
        Framing::Hypothesis | Framing::OpenQuestion | Framing::EmbeddedQuestion => None,
        Framing::SelfHelp => Some(Issue::SelfHelp(phrase)),
        Framing::YesNo => Some(Issue::YesNo),
        Framing::Statement => Some(Issue::NotAQuestion),
        Framing::Wish | Framing::Skill => Some(Issue::Wish(phrase)),
        Framing::Topic => Some(Issue::Topic),
    }
}

/// Saying what will change scores in full; asking why a named group or thing
/// behaves as it does implies a purpose and scores in part.
fn purpose(text: &Text, framing: &FramingFacts, object: &ObjectFacts, group: &GroupFacts) -> (u8, Option<Issue>) {
    if names_a_change(text) || states_outcome(text) {
        return (15, None);
    }
    let observed = framing.asks_why || behaviours().any(text) || problem_signals().any(text);
    if observed && (object.concrete || group.real) {
        return (8, None);
    }
    (0, Some(Issue::NoPurpose))
}

/// "So that we can decide", "what could I change": the leader's own change.
/// "AI is changing retail" describes a change; it is no purpose.
fn names_a_change(text: &Text) -> bool {
    const BE: [&str; 7] = ["is", "are", "was", "were", "be", "been", "am"];
    purpose_markers().find(text).into_iter().any(|m| {
        let progressive = text.words[m.start].lower.ends_with("ing")
            && (window_start(text, m.start, 3)..m.start).any(|k| BE.contains(&text.words[k].lower.as_str()));
        !progressive
    })
}

/// "Make meetings more inclusive", "communicate our strategy better": an
/// outcome to change, unless the comparative is about the leader themselves
/// ("be better at tech", "understand the culture better").
fn states_outcome(text: &Text) -> bool {
    outcome_comparatives().find(text).into_iter().any(|m| {
        let before = window_start(text, m.start, 4)..m.start;
        !before.clone().any(|k| self_states().match_at(text, k).is_some())
    })
}

/// Answerable in a few sessions: something a mentor can see, not the world.
fn scope(text: &Text, object: &ObjectFacts, group: &GroupFacts) -> (u8, Option<Issue>) {
    if let Some(m) = broad_scope().first(text) {
        return (0, Some(Issue::TooBroad(m.surface(text))));
    }
    if let Some(m) = beyond_mentor().first(text) {
        return (0, Some(Issue::BeyondMentor(m.surface(text))));
    }
    if object.concrete || group.real || (object.named && group.points > 0) { (10, None) } else { (0, None) }
}

/// Enough content words to say who, what and why.
fn detail(text: &Text) -> (u8, Option<Issue>) {
    let n = content_stems(text).into_iter().filter(|s| !generation_labels().has_stem(s)).count();
    match n {
        10.. => (10, None),
        7..=9 => (7, None),
        5..=6 => (4, None),
        3..=4 => (2, None),
        _ => (0, Some(Issue::TooShort)),
    }
}
