//! Pairing under the sponsor's control: pins and forbids checked by name
//! when they are made (a rule the hard rules cannot honour is refused, with
//! the reason), every change re-run at once, what changed between two runs,
//! fit scores on a 0-100 scale with bands, and a pair ended and its people
//! re-matched.
use super::{request_for, solve, store_run};
use crate::access;
use crate::accounts::Actor;
use crate::disclosure::{self, Carries};
use crate::mail::{Letter, Post};
use crate::vault::Vault;
use crate::{AppError, Problem};
use plab_domain::PairId;
use plab_domain::pair::PairStatus;
use plab_domain::program::{PairingWeights, Role};
use plab_engine::{MatchError, PinProblem};
use plab_store::{Pair, PairRule, ProgramId, Proposal, RosterEntry, Store};
use std::collections::{HashMap, HashSet};

/// The longest reason for ending a pair.
pub const MAX_END_REASON_CHARS: usize = 1_000;

/// What a rule change did to the proposal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rerun {
    /// The new proposal, when the engine ran.
    pub proposal: Option<i64>,
    /// Why it did not run, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_run: Option<String>,
}

/// A rule in force, both people named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairRuleView {
    pub leader: (String, String),
    pub mentor: (String, String),
    pub rule: PairRule,
}

impl PairRuleView {
    /// "Always pair" or "Never pair".
    pub fn wording(&self) -> &'static str {
        match self.rule {
            PairRule::Pin => "Always pair",
            PairRule::Forbid => "Never pair",
        }
    }
}

/// The pairs one proposal adds and removes against the one before it, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    pub added: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// A fit score as a sponsor reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FitBand {
    Strong,
    Good,
    Fair,
}

impl FitBand {
    pub fn as_str(self) -> &'static str {
        match self {
            FitBand::Strong => "strong",
            FitBand::Good => "good",
            FitBand::Fair => "fair",
        }
    }

    /// What the band means, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            FitBand::Strong => {
                "the mentor's perspectives speak to the question and they see the organisation from far enough away"
            }
            FitBand::Good => "a sound match on the question's topic, a fresh perspective or strategic reach",
            FitBand::Fair => "every rule is kept, but the two have little in common with the question: worth a look",
        }
    }
}

/// A score on the program's weights as 0-100 (the share of the best score
/// possible) and its band: strong from 55, good from 35, fair below.
pub fn fit_band(score: f64, weights: &PairingWeights) -> (u8, FitBand) {
    let best = weights.topic.abs() + weights.tension.abs() + weights.strategic.abs();
    let share = if best > 0.0 && score.is_finite() { (score / best * 100.0).round().clamp(0.0, 100.0) } else { 0.0 };
    // Clamped to 0..=100 above, so the cast keeps the value.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let share = share as u8;
    let band = match share {
        55.. => FitBand::Strong,
        35.. => FitBand::Good,
        _ => FitBand::Fair,
    };
    (share, band)
}

/// A stored day (`YYYY-MM-DD`) as pages write it: "7 Dec 2026".
pub fn human_day(day: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match plab_domain::Date::parse(day) {
        Ok(d) => {
            let t = d.midnight_utc();
            format!("{} {} {}", t.day(), MONTHS[usize::from(u8::from(t.month())) - 1], t.year())
        }
        Err(_) => day.to_owned(),
    }
}

/// Names of people by employee id, for sentences (the id where the directory has none).
pub(super) async fn names_of(store: &Store, program: ProgramId, ids: &[String]) -> Result<Vec<String>, AppError> {
    let roster = store.roster(program).await?;
    Ok(ids.iter().map(|id| name_in(&roster, id)).collect())
}

fn name_in(roster: &[RosterEntry], id: &str) -> String {
    roster.iter().find(|e| e.employee_id == id).map_or_else(|| id.to_owned(), |e| e.name.clone())
}

/// How a person of this role is written in the page's lists: their name, or
/// "name (department)" where two people of the role share a name.
pub fn labels(roster: &[RosterEntry], role: Role) -> HashMap<String, String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for e in roster.iter().filter(|e| e.role == role) {
        *count.entry(e.name.as_str()).or_default() += 1;
    }
    roster
        .iter()
        .filter(|e| e.role == role)
        .map(|e| {
            let label = if count.get(e.name.as_str()).copied().unwrap_or(0) > 1 {
                format!("{} ({})", e.name, e.department)
            } else {
                e.name.clone()
            };
            (e.employee_id.clone(), label)
        })
        .collect()
}

/// The enrolled person of `role` that `typed` names (their label, name or
/// employee id), or why there is none.
fn resolve(
    roster: &[RosterEntry],
    typed: &str,
    role: Role,
    field: &str,
    program_name: &str,
) -> Result<String, Problem> {
    let typed = typed.trim();
    let what = if role == Role::Leader { "leader" } else { "mentor" };
    if typed.is_empty() {
        return Err(Problem::new(format!("Choose a {what} from the list.")).field(field));
    }
    if roster.iter().any(|e| e.role == role && e.employee_id == typed) {
        return Ok(typed.to_owned());
    }
    let labels = labels(roster, role);
    let lower = typed.to_lowercase();
    let by_label: Vec<&String> = labels.iter().filter(|(_, l)| l.to_lowercase() == lower).map(|(id, _)| id).collect();
    if let [id] = by_label.as_slice() {
        return Ok((*id).clone());
    }
    let by_name: Vec<&RosterEntry> =
        roster.iter().filter(|e| e.role == role && e.name.to_lowercase() == lower).collect();
    match by_name.as_slice() {
        [one] => Ok(one.employee_id.clone()),
        [] => {
            let other = roster.iter().find(|e| e.name.to_lowercase() == lower || e.employee_id == typed);
            Err(Problem::new(match other {
                Some(e) => format!("{} is not a {what} in {program_name} (they take part as {}).", e.name, e.role),
                None => {
                    format!("No {what} of {program_name} is called \u{201c}{typed}\u{201d}: choose one from the list.")
                }
            })
            .field(field))
        }
        _ => Err(Problem::new(format!(
            "{} {what}s of {program_name} are called {typed}: choose one from the list, which adds the department.",
            by_name.len()
        ))
        .field(field)),
    }
}

/// Why a pin cannot be honoured, in plain words with both people named.
fn pin_problem(problem: PinProblem, leader: &str, mentor: &str) -> String {
    match problem {
        PinProblem::InReportingChain => format!(
            "{leader} cannot always be paired with {mentor}: {mentor} is in {leader}'s reporting chain, and nobody is paired inside a reporting chain."
        ),
        PinProblem::NotJunior => format!(
            "{leader} cannot always be paired with {mentor}: a mentor must be junior to their leader, and {mentor} is not junior to {leader}."
        ),
        PinProblem::SamePerson => format!("{leader} cannot mentor themselves."),
        PinProblem::Forbidden => {
            format!("{leader} and {mentor} are never to be paired (a rule in force): undo that rule first.")
        }
        PinProblem::Previous => format!(
            "{leader} and {mentor} were paired before (in an earlier program, or a pair that ended), so they are not paired again."
        ),
        PinProblem::OptedOut => format!("{mentor} has stepped out of pairing, so {leader} cannot be pinned to them."),
        PinProblem::OverCapacity => {
            format!("{mentor} has no place left for {leader}: their places are taken by their pairs and other pins.")
        }
        PinProblem::LeaderPinnedTwice => {
            format!("{leader} is already pinned to another mentor: undo that pin first.")
        }
        PinProblem::NotAScoredCandidate => format!("{leader} and {mentor} cannot be paired."),
    }
}

/// Pins or forbids a pair, named by the sponsor (label, name or employee
/// id). A rule the hard rules cannot honour is refused with the reason, by
/// name; one that stands is saved and the engine re-run at once.
pub async fn set_rule(
    store: &Store,
    program: ProgramId,
    leader: &str,
    mentor: &str,
    rule: PairRule,
    by: &str,
) -> Result<Rerun, AppError> {
    let program_name = store.program(program).await?.name.to_string();
    let roster = store.roster(program).await?;
    let (leader, mentor) = match (
        resolve(&roster, leader, Role::Leader, "leader", &program_name),
        resolve(&roster, mentor, Role::Mentor, "mentor", &program_name),
    ) {
        (Ok(l), Ok(m)) => (l, m),
        (l, m) => return Err(AppError::Invalid(l.err().into_iter().chain(m.err()).collect())),
    };
    let (leader_name, mentor_name) = (name_in(&roster, &leader), name_in(&roster, &mentor));
    if rule == PairRule::Pin {
        let clashes = super::one_role_in_pair(store, program, &leader, &mentor).await?;
        if !clashes.is_empty() {
            return Err(AppError::Invalid(clashes));
        }
    }
    let refuse = |message: String, field: &str| Err(AppError::invalid(Problem::new(message).field(field)));
    for (l, m, r) in store.all_pair_rules(program).await? {
        if l == leader && m == mentor && r != rule {
            let now = if r == PairRule::Pin { "always to be paired (pinned)" } else { "never to be paired" };
            return refuse(format!("{leader_name} and {mentor_name} are {now}: undo that rule first."), "mentor");
        }
        if rule == PairRule::Pin && r == PairRule::Pin && l == leader && m != mentor {
            let other = name_in(&roster, &m);
            return refuse(format!("{leader_name} is already pinned to {other}: undo that pin first."), "leader");
        }
    }
    let pairs = store.pairs(program).await?;
    let current = pairs.iter().find(|p| p.is_open() && p.pair.leader == leader);
    match (rule, current) {
        (PairRule::Pin, Some(p)) => {
            let with = name_in(&roster, &p.pair.mentor);
            return refuse(
                format!("{leader_name} already has a pair in {program_name} (with {with}): end that pair first."),
                "leader",
            );
        }
        (PairRule::Forbid, Some(p)) if p.pair.mentor == mentor => {
            return refuse(
                format!(
                    "{leader_name} and {mentor_name} are a pair in {program_name}: to part them, end the pair (below)."
                ),
                "mentor",
            );
        }
        _ => {}
    }
    let (mut request, ..) = request_for(store, program).await?;
    let waiting = request.leaders.iter().any(|l| l.id == leader);
    if rule == PairRule::Pin && !waiting {
        return refuse(
            format!(
                "{leader_name} has not written a research question yet, so the engine cannot pair them: ask them to write it first."
            ),
            "leader",
        );
    }
    match rule {
        PairRule::Pin => request.pinned.push((leader.clone(), mentor.clone())),
        PairRule::Forbid => request.forbidden.push((leader.clone(), mentor.clone())),
    }
    let run = if request.leaders.is_empty() {
        None
    } else {
        match solve(request, |_| {}).await? {
            Ok(run) => Some(run),
            Err(MatchError::InfeasiblePin { leader: l, mentor: m, problem }) => {
                let (l, m) = (name_in(&roster, &l), name_in(&roster, &m));
                return refuse(pin_problem(problem, &l, &m), "mentor");
            }
            Err(other) => return Err(other.into()),
        }
    };
    store.set_pair_rule(program, &leader, &mentor, rule).await?;
    let action = if rule == PairRule::Pin { "pairing.pin" } else { "pairing.forbid" };
    store.audit(by, action, &format!("program {program}"), &format!("{leader} + {mentor}")).await?;
    Ok(match run {
        None => Rerun { proposal: None, not_run: Some(nobody_waiting()) },
        Some((parameters, response)) => match store_run(store, program, &parameters, &response, by).await {
            Ok(id) => Rerun { proposal: Some(id), not_run: None },
            Err(AppError::Invalid(problems)) => {
                Rerun { proposal: None, not_run: problems.first().map(|p| p.message.clone()) }
            }
            Err(e) => return Err(e),
        },
    })
}

fn nobody_waiting() -> String {
    "Nobody is waiting for a pair, so the engine did not run again.".to_owned()
}

/// Removes a pin or forbid (named by employee id, as the list of rules in
/// force gives them) and re-runs the engine at once.
pub async fn clear_rule(
    store: &Store,
    program: ProgramId,
    leader: &str,
    mentor: &str,
    by: &str,
) -> Result<Rerun, AppError> {
    let (leader, mentor) = (leader.trim(), mentor.trim());
    match store.clear_pair_rule(program, leader, mentor).await {
        Ok(()) => {}
        Err(plab_store::StoreError::NotFound { .. }) => {
            return Err(AppError::invalid(Problem::new("That rule is no longer in force: it was undone already.")));
        }
        Err(e) => return Err(e.into()),
    }
    store.audit(by, "pairing.clear", &format!("program {program}"), &format!("{leader} + {mentor}")).await?;
    rerun(store, program, by).await
}

/// Runs the engine again for everyone waiting, if anyone is.
async fn rerun(store: &Store, program: ProgramId, by: &str) -> Result<Rerun, AppError> {
    match super::propose(store, program, false, |_| {}, by).await {
        Ok(run) => Ok(Rerun { proposal: run.proposal, not_run: None }),
        Err(AppError::Invalid(problems)) => {
            let why = problems.first().map(|p| p.message.as_str()).unwrap_or_default();
            let not_run = if why.starts_with("no leader is waiting") { nobody_waiting() } else { why.to_owned() };
            Ok(Rerun { proposal: None, not_run: Some(not_run) })
        }
        Err(e) => Err(e),
    }
}

/// The rules in force, both people named, oldest first.
pub async fn rules_in_force(
    store: &Store,
    program: ProgramId,
    roster: &[RosterEntry],
) -> Result<Vec<PairRuleView>, AppError> {
    Ok(store
        .all_pair_rules(program)
        .await?
        .into_iter()
        .map(|(l, m, rule)| PairRuleView { leader: (name_in(roster, &l), l), mentor: (name_in(roster, &m), m), rule })
        .collect())
}

/// What `latest` added and removed against the proposal before it, if any.
pub async fn change_since_previous(
    store: &Store,
    program: ProgramId,
    latest: &Proposal,
    roster: &[RosterEntry],
) -> Result<Option<Change>, AppError> {
    let Some(before) = store.proposal_before(program, latest.id).await? else { return Ok(None) };
    let before = store.proposal(program, before).await?;
    let set = |p: &Proposal| -> HashSet<(String, String)> {
        p.pairs.iter().map(|x| (x.leader.clone(), x.mentor.clone())).collect()
    };
    let (now, then) = (set(latest), set(&before));
    let named = |pairs: Vec<&(String, String)>| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> =
            pairs.into_iter().map(|(l, m)| (name_in(roster, l), name_in(roster, m))).collect();
        v.sort();
        v
    };
    Ok(Some(Change { added: named(now.difference(&then).collect()), removed: named(then.difference(&now).collect()) }))
}

/// Ends a pair (the program's sponsors only; a partner is refused, anyone
/// else does not see the pair): the reason is required, recorded and
/// audited; planned sessions are cancelled (with calendar cancellations);
/// both partners are told by e-mail. Their notes stay readable to the two of
/// them on the pair's page, and they are never paired with each other again
/// in this program.
pub async fn end_pair(
    store: &Store,
    vault: &Vault,
    post: &Post,
    actor: &Actor,
    id: PairId,
    reason: &str,
) -> Result<Pair, AppError> {
    let (pair, _) = access::sponsor_of_pair(store, actor, id).await.map_err(|e| match e {
        AppError::Forbidden(_) => AppError::Forbidden("only the program's sponsors end a pair".into()),
        other => other,
    })?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(Problem::new("Say why the pair ends: both partners read it.").field("reason")));
    }
    if reason.chars().count() > MAX_END_REASON_CHARS {
        return Err(AppError::invalid(
            Problem::new(format!("Keep the reason to {MAX_END_REASON_CHARS} characters.")).field("reason"),
        ));
    }
    if !pair.is_open() {
        return Err(AppError::Conflict("This pair has ended already.".into()));
    }
    let today = crate::accounts::today_text();
    let sponsor = match &actor.employee_id {
        Some(me) => store.person(me).await.map(|p| p.name.to_string()).unwrap_or_else(|_| actor.email.clone()),
        None => actor.email.clone(),
    };
    let outgoing = ending_mail(store, vault, post, &pair, reason, Some(&sponsor), None).await?;
    if !store.end_pair(id, &today, reason, &outgoing).await? {
        return Err(AppError::Conflict("This pair has ended already.".into()));
    }
    store.audit(&actor.email, "pair.end", &format!("pair {id}"), reason).await?;
    Ok(store.pair(id).await?)
}

/// The mail a pair's ending sends: calendar cancellations of its planned
/// sessions and a letter to each partner. `sponsor` names who ended it (None:
/// the pair ended because a participant's data was erased). `erased` is the
/// employee id of a partner being erased: no mail goes to them, and the
/// other's mail names them only as `plab_store::ERASED_NAME`, without their
/// research question or homework.
pub(crate) async fn ending_mail(
    store: &Store,
    vault: &Vault,
    post: &Post,
    pair: &Pair,
    reason: &str,
    sponsor: Option<&str>,
    erased: Option<&str>,
) -> Result<Vec<plab_store::Outgoing>, AppError> {
    let mut outgoing = Vec::new();
    if !post.is_on() {
        return Ok(outgoing);
    }
    let id = pair.id;
    let program_name = store.program(pair.program).await?.name.to_string();
    let hide = |mut r: plab_store::Recipient| {
        if erased == Some(r.employee_id.as_str()) {
            r.name = plab_store::ERASED_NAME.to_owned();
            r.sign_in = None;
            r.directory_email = None;
        }
        r
    };
    let planned: Vec<_> = store
        .sessions(id)
        .await?
        .into_iter()
        .filter(|s| s.status == plab_domain::session::SessionStatus::Planned)
        .map(|s| plab_store::StoredSession {
            status: plab_domain::session::SessionStatus::Cancelled,
            sequence: s.sequence + 1,
            ..s
        })
        .collect();
    let now = time::OffsetDateTime::now_utc();
    for mut facts in crate::sessions::facts_of(store, vault, pair, &planned).await? {
        if erased.is_some() {
            facts.leader = hide(facts.leader);
            facts.mentor = hide(facts.mentor);
            facts.question = None;
            facts.homework = None;
        }
        outgoing.extend(post.seal_all(vault, &crate::mail::to_both(&facts, post, now))?);
    }
    let (leader, mentor) = crate::sessions::partners(store, pair).await?;
    let (leader, mentor) = (hide(leader), hide(mentor));
    for (me, other) in [(&leader, &mentor), (&mentor, &leader)] {
        let Some(to) = disclosure::mail_to(me, Carries::Private) else { continue };
        let first = match sponsor {
            Some(sponsor) => format!("{sponsor}, the program's sponsor, ended your pair with {} today.", other.name),
            None => format!("Your pair with {} ended today.", other.name),
        };
        let letter = Letter {
            kind: "pair_ended",
            key: format!("pair_ended:{id}:{}", me.employee_id),
            to,
            subject: format!("Your reverse-mentoring pair in {program_name} has ended"),
            paragraphs: vec![
                first,
                format!("The reason given: {reason}"),
                "Planned sessions are cancelled. Your notes stay on the pair's page for the two of you to read. \
                 The sponsor may pair you with someone new."
                    .to_owned(),
            ],
            link: Some(("Open the pair's page".to_owned(), format!("/pairs/{id}"))),
            calendar: None,
            can_opt_out: false,
        };
        outgoing.extend(post.seal(vault, &letter)?);
    }
    Ok(outgoing)
}

/// Re-match after a pair ended: the engine runs for its freed people with
/// everyone else waiting (never pairing the two again) and stores a proposal
/// for the sponsor to approve.
pub async fn rematch(store: &Store, actor: &Actor, id: PairId) -> Result<super::Run, AppError> {
    let (pair, _) = access::sponsor_of_pair(store, actor, id).await.map_err(|e| match e {
        AppError::Forbidden(_) => AppError::Forbidden("only the program's sponsors re-match".into()),
        other => other,
    })?;
    if pair.status != PairStatus::Ended {
        return Err(AppError::Conflict("Only a pair that has ended is re-matched: end it first.".into()));
    }
    if store.pairs(pair.program).await?.iter().any(|p| p.is_open() && p.pair.leader == pair.pair.leader) {
        let name = names_of(store, pair.program, std::slice::from_ref(&pair.pair.leader)).await?.join("");
        return Err(AppError::Conflict(format!("{name} has a new pair already.")));
    }
    super::propose(store, pair.program, false, |_| {}, &actor.email).await
}
