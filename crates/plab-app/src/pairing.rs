//! Strategic pairing for a program: build the engine's request from the
//! database, store the proposal, and let the sponsor pin, forbid, re-run and
//! approve.
use crate::{AppError, Problem};
use plab_domain::program::Role;
use plab_engine::{LeaderIn, MatchRequest, MatchResponse, MentorIn, PersonIn, Progress};
use plab_store::{NewProposal, PairRule, ProgramId, Proposal, Store, StoredPair};
use std::collections::{HashMap, HashSet};

pub(crate) mod control;
pub use control::{Change, FitBand, PairRuleView, Rerun, clear_rule, end_pair, fit_band, human_day, rematch, set_rule};

/// What one pairing run produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Run {
    /// The stored proposal, or None for a dry run.
    pub proposal: Option<i64>,
    #[serde(flatten)]
    pub response: MatchResponse,
    /// Leaders left out because they have not registered a question yet.
    pub without_question: Vec<String>,
    /// Leaders left out because they already have an approved pair.
    pub already_paired: Vec<String>,
}

/// Assembles the engine's input for the leaders of the program who have a
/// question and no pair yet; mentors' capacity is reduced by their pairs.
pub async fn request_for(
    store: &Store,
    program: ProgramId,
) -> Result<(MatchRequest, Vec<String>, Vec<String>), AppError> {
    let settings = store.program(program).await?.settings;
    let enrolments = store.enrolments(program).await?;
    let questions: HashMap<String, String> =
        store.current_questions(program).await?.into_iter().map(|(leader, v)| (leader, v.text)).collect();
    let all_pairs = store.pairs(program).await?;
    // An ended pair frees both partners, who are never paired with each other again here.
    let ended: Vec<(String, String)> =
        all_pairs.iter().filter(|p| !p.is_open()).map(|p| (p.pair.leader.clone(), p.pair.mentor.clone())).collect();
    let pairs: Vec<_> = all_pairs.into_iter().filter(plab_store::Pair::is_open).collect();
    let paired_leaders: HashSet<&str> = pairs.iter().map(|p| p.pair.leader.as_str()).collect();
    let mut mentor_load: HashMap<&str, i64> = HashMap::new();
    for p in &pairs {
        *mentor_load.entry(p.pair.mentor.as_str()).or_default() += 1;
    }

    // Enrolments older than the one-role rule may make a sponsor a leader or
    // mentor too: such a person is never proposed (nor could be approved).
    let sponsors: HashSet<String> =
        enrolments.iter().filter(|e| e.role == Role::Sponsor).map(|e| e.employee_id.clone()).collect();
    let (mut leaders, mut without_question, mut already_paired) = (Vec::new(), Vec::new(), Vec::new());
    let (mut mentors, mut opted_out) = (Vec::new(), Vec::new());
    for e in &enrolments {
        match e.role {
            Role::Leader | Role::Mentor if sponsors.contains(&e.employee_id) => {}
            Role::Leader if paired_leaders.contains(e.employee_id.as_str()) => {
                already_paired.push(e.employee_id.clone())
            }
            Role::Leader => match questions.get(&e.employee_id) {
                Some(q) => leaders.push(LeaderIn { id: e.employee_id.clone(), question: q.clone() }),
                None => without_question.push(e.employee_id.clone()),
            },
            Role::Mentor => {
                let used = mentor_load.get(e.employee_id.as_str()).copied().unwrap_or(0);
                mentors.push(MentorIn { id: e.employee_id.clone(), capacity: (i64::from(e.capacity) - used).max(0) });
                if e.opted_out {
                    opted_out.push(e.employee_id.clone());
                }
            }
            Role::Sponsor => {}
        }
    }
    // A mentor's own perspectives for this program stand in for the directory's.
    let mut own_perspectives: HashMap<String, Vec<String>> = enrolments
        .into_iter()
        .filter(|e| e.role == Role::Mentor)
        .filter_map(|e| Some((e.employee_id, e.perspectives?)))
        .collect();
    let people = store
        .all_people()
        .await?
        .into_iter()
        .map(|p| PersonIn {
            perspectives: own_perspectives.remove(p.employee_id.as_str()).unwrap_or(p.perspectives),
            id: p.employee_id.to_string(),
            manager: p.manager_id.map(|m| m.to_string()),
            department: p.department.to_string(),
            hire_date: p.hire_date,
            level: p.level.value(),
        })
        .collect();
    // Pins and forbids on leaders who are already paired, or on sponsors, no longer apply.
    let open = |pairs: Vec<(String, String)>| -> Vec<(String, String)> {
        pairs
            .into_iter()
            .filter(|(l, m)| !paired_leaders.contains(l.as_str()) && !sponsors.contains(l) && !sponsors.contains(m))
            .collect()
    };
    // A pin waits while its leader has no question yet (the engine pairs only those who have).
    let waiting: HashSet<&str> = leaders.iter().map(|l| l.id.as_str()).collect();
    let pinned = open(store.pair_rules(program, PairRule::Pin).await?)
        .into_iter()
        .filter(|(l, _)| waiting.contains(l.as_str()))
        .collect();
    let mut previous = store.pairs_elsewhere(program).await?;
    previous.extend(ended);
    let request = MatchRequest {
        people,
        leaders,
        mentors,
        forbidden: open(store.pair_rules(program, PairRule::Forbid).await?),
        pinned,
        adjacent_departments: settings.adjacent_departments.clone(),
        scores: None,
        previous,
        opted_out,
        weights: settings.pairing_weights,
        reporting_chain_levels: settings.reporting_chain_levels,
    };
    Ok((request, without_question, already_paired))
}

/// Runs the engine for a program; stores the result as a proposal unless `dry_run`.
pub async fn propose(
    store: &Store,
    program: ProgramId,
    dry_run: bool,
    progress: impl Fn(Progress) + Send + Sync + 'static,
    by: &str,
) -> Result<Run, AppError> {
    let (request, without_question, already_paired) = request_for(store, program).await?;
    if request.leaders.is_empty() {
        return Err(AppError::invalid(
            Problem::new("no leader is waiting for a pair (each needs a research question and no pair yet)")
                .field("program"),
        ));
    }
    let (parameters, response) = solve(request, progress).await??;
    let proposal = if dry_run { None } else { Some(store_run(store, program, &parameters, &response, by).await?) };
    Ok(Run { proposal, response, without_question, already_paired })
}

/// The engine's answer for this request, off the async workers (it is
/// CPU-bound), with the parameters a stored proposal keeps.
async fn solve(
    request: MatchRequest,
    progress: impl Fn(Progress) + Send + Sync + 'static,
) -> Result<Result<(String, MatchResponse), plab_engine::MatchError>, AppError> {
    let parameters = serde_json::json!({
        "weights": request.weights,
        "reporting_chain_levels": request.reporting_chain_levels,
        "adjacent_departments": request.adjacent_departments,
        "pinned": request.pinned,
        "forbidden": request.forbidden,
        "leaders": request.leaders.len(),
        "mentors": request.mentors.len(),
        "opted_out": request.opted_out.len(),
        "previous_pairs": request.previous.len(),
    })
    .to_string();
    let response = tokio::task::spawn_blocking(move || plab_engine::run_with_progress(&request, &progress))
        .await
        .map_err(|e| AppError::Fault(format!("the pairing run stopped: {e}")))?;
    Ok(response.map(|r| (parameters, r)))
}

/// Stores a run as the program's newest proposal (superseding an open one).
async fn store_run(
    store: &Store,
    program: ProgramId,
    parameters: &str,
    response: &MatchResponse,
    by: &str,
) -> Result<i64, AppError> {
    if response.pairs.is_empty() {
        return Err(AppError::invalid(
            Problem::new(format!(
                "no pair can be proposed for {}: every candidate mentor breaks a hard rule (reporting chain, seniority, capacity, opt-out, forbidden or earlier pair)",
                control::names_of(store, program, &response.unmatched).await?.join(", ")
            ))
            .field("program"),
        ));
    }
    let pairs: Vec<StoredPair> = response
        .pairs
        .iter()
        .map(|p| StoredPair {
            leader: p.leader.clone(),
            mentor: p.mentor.clone(),
            score: p.score,
            kind: p.kind.as_str().to_owned(),
            reasons: p.reasons.clone(),
        })
        .collect();
    let new = NewProposal {
        parameters,
        total_score: response.total_score,
        solve_ms: response.solve_ms,
        unmatched: &response.unmatched,
        unmatched_reasons: &response.unmatched_reasons,
        pairs: &pairs,
    };
    let id = store.add_proposal(program, &new).await?;
    let detail = format!("proposal {id}: {} pairs", pairs.len());
    store.audit(by, "pairing.propose", &format!("program {program}"), &detail).await?;
    Ok(id)
}

/// Approves a proposal (the newest one when `id` is None); its pairs become the
/// program's pairs with status `forming`.
pub async fn approve(store: &Store, program: ProgramId, id: Option<i64>, by: &str) -> Result<Proposal, AppError> {
    approve_some(store, program, id, None, by).await
}

/// Approves only the pairs of these leaders (every pair with `None`); a
/// leader who is not in the proposal is named and nothing is approved.
pub async fn approve_some(
    store: &Store,
    program: ProgramId,
    id: Option<i64>,
    only: Option<&[String]>,
    by: &str,
) -> Result<Proposal, AppError> {
    let id = match id {
        Some(id) => id,
        None => store.latest_proposal_id(program).await?.ok_or_else(|| {
            AppError::invalid(Problem::new("the program has no proposal yet: run `plab match --program` first"))
        })?,
    };
    let proposal = store.proposal(program, id).await?;
    if let Some(only) = only {
        if only.is_empty() {
            return Err(AppError::invalid(Problem::new("choose at least one pair to approve").field("leader")));
        }
        let unknown: Vec<&str> =
            only.iter().filter(|l| !proposal.pairs.iter().any(|p| &p.leader == *l)).map(String::as_str).collect();
        if !unknown.is_empty() {
            return Err(AppError::invalid(
                Problem::new(format!(
                    "not in this proposal: {}",
                    control::names_of(store, program, &unknown.iter().map(|u| (*u).to_owned()).collect::<Vec<_>>())
                        .await?
                        .join(", ")
                ))
                .field("leader"),
            ));
        }
    }
    // A proposal made from enrolments older than the one-role rule may pair a sponsor.
    let approving = proposal.pairs.iter().filter(|p| only.is_none_or(|only| only.contains(&p.leader)));
    let mut clashes = Vec::new();
    for p in approving {
        clashes.extend(one_role_in_pair(store, program, &p.leader, &p.mentor).await?);
    }
    if !clashes.is_empty() {
        return Err(AppError::Invalid(clashes));
    }
    let pairs = store.approve_proposal_pairs(program, id, only).await?;
    store.audit(by, "pairing.approve", &format!("program {program}"), &format!("proposal {id}: {pairs} pairs")).await?;
    Ok(store.proposal(program, id).await?)
}

/// A pair's leader holds no role but leader in the program, and its mentor
/// none but mentor: no sponsor, and not one person on both sides.
async fn one_role_in_pair(
    store: &Store,
    program: ProgramId,
    leader: &str,
    mentor: &str,
) -> Result<Vec<Problem>, AppError> {
    crate::programs::role_problems(store, program, &[(leader, Role::Leader), (mentor, Role::Mentor)]).await
}

/// The program's approved pairs (the operator's view).
pub async fn pairs(store: &Store, program: ProgramId) -> Result<Vec<plab_store::Pair>, AppError> {
    store.program(program).await?;
    Ok(store.pairs(program).await?)
}

/// The sponsor-facing side of pairing: the same operations, allowed only to the
/// program's sponsors and audited under their e-mail.
pub mod sponsor {
    use super::*;
    use crate::access::sponsor_of_program as require_sponsor;
    use crate::accounts::Actor;

    pub async fn propose(store: &Store, actor: &Actor, program: ProgramId) -> Result<Run, AppError> {
        require_sponsor(store, actor, program).await?;
        super::propose(store, program, false, |_| {}, &actor.email).await
    }

    /// Approves the proposal, or only the pairs of the leaders in `only`.
    pub async fn approve(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        id: i64,
        only: Option<&[String]>,
    ) -> Result<Proposal, AppError> {
        require_sponsor(store, actor, program).await?;
        super::approve_some(store, program, Some(id), only, &actor.email).await
    }

    /// Approves the proposal but for the pairs of the leaders in `left_out`
    /// (the review pages through the proposal, so unticking works per page).
    pub async fn approve_all_but(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        id: i64,
        left_out: &[String],
    ) -> Result<Proposal, AppError> {
        require_sponsor(store, actor, program).await?;
        let proposal = store.proposal(program, id).await?;
        let only: Vec<String> =
            proposal.pairs.iter().filter(|p| !left_out.contains(&p.leader)).map(|p| p.leader.clone()).collect();
        super::approve_some(store, program, Some(id), Some(&only), &actor.email).await
    }

    /// Pins or forbids a pair named by the sponsor, and re-runs (see `control::set_rule`).
    pub async fn set_rule(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        leader: &str,
        mentor: &str,
        rule: PairRule,
    ) -> Result<Rerun, AppError> {
        require_sponsor(store, actor, program).await?;
        super::set_rule(store, program, leader, mentor, rule, &actor.email).await
    }

    /// The pins and forbids in force, both people named.
    pub async fn rules(store: &Store, actor: &Actor, program: ProgramId) -> Result<Vec<PairRuleView>, AppError> {
        require_sponsor(store, actor, program).await?;
        let roster = store.roster(program).await?;
        control::rules_in_force(store, program, &roster).await
    }

    /// Undoes a pin or forbid, and re-runs.
    pub async fn clear_rule(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        leader: &str,
        mentor: &str,
    ) -> Result<Rerun, AppError> {
        require_sponsor(store, actor, program).await?;
        super::clear_rule(store, program, leader, mentor, &actor.email).await
    }

    /// The newest proposal, if any, for review.
    pub async fn latest(store: &Store, actor: &Actor, program: ProgramId) -> Result<Option<Proposal>, AppError> {
        require_sponsor(store, actor, program).await?;
        match store.latest_proposal_id(program).await? {
            Some(id) => Ok(Some(store.proposal(program, id).await?)),
            None => Ok(None),
        }
    }

    /// Asks an enrolled leader to sharpen their research question: a to-do
    /// with the coach's findings on their home until they save a new version.
    pub async fn ask_to_sharpen(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        leader: &str,
    ) -> Result<(), AppError> {
        require_sponsor(store, actor, program).await?;
        let leader = leader.trim();
        if !store.roles_of(program, leader).await?.contains(&Role::Leader) {
            return Err(AppError::invalid(
                Problem::new(format!("'{leader}' is not a leader of program {program}")).field("leader"),
            ));
        }
        let version = store.question_history(program, leader).await?.last().map_or(0, |q| q.version);
        store.ask_to_sharpen(program, leader, version, &actor.email).await?;
        store.audit(&actor.email, "question.ask_to_sharpen", &format!("program {program}"), leader).await?;
        Ok(())
    }

    /// Someone as the pairing review names them.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Card {
        pub id: String,
        pub name: String,
        /// How the page's lists write them: the name, with the department where two share it.
        pub label: String,
        pub title: Option<String>,
        pub department: String,
    }

    /// A proposed pair with both people named and the leader's question strength.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ReviewedPair {
        pub leader: Card,
        pub mentor: Card,
        pub kind: String,
        /// The fit on 0-100 and its band.
        pub fit: u8,
        pub band: FitBand,
        pub reasons: Vec<String>,
        /// `weak`, `fair` or `strong`: a weak question is worth sharpening before the pair starts.
        pub question: Option<&'static str>,
    }

    /// The newest proposal while it is open, in names, one page of it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ReviewedProposal {
        pub id: i64,
        pub status: plab_domain::pair::ProposalStatus,
        /// Every pair of the proposal, and those the search keeps.
        pub total: usize,
        pub matching: usize,
        /// The average fit of its pairs on 0-100, and its band.
        pub fit: u8,
        pub band: FitBand,
        pub pairs: Vec<ReviewedPair>,
        pub unmatched: Vec<(Card, String)>,
    }

    /// One of the program's approved pairs: read-only, to end or re-match.
    #[derive(Debug, Clone, PartialEq)]
    pub struct CurrentPair {
        pub id: i64,
        pub leader: Card,
        pub mentor: Card,
        pub status: plab_domain::pair::PairStatus,
        pub fit: u8,
        pub band: FitBand,
        /// The day it ended and why.
        pub ended: Option<(String, String)>,
        /// Its leader has a pair again (re-matched).
        pub leader_repaired: bool,
        /// A partner answered the fit check "not a fit" (never who).
        pub needs_conversation: bool,
    }

    /// Which part of the review to show: a page of 50 and a search by name.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ReviewQuery {
        /// From 1.
        pub page: usize,
        pub search: String,
    }

    pub const REVIEW_PAGE: usize = 50;

    /// What the sponsor's pairing page shows.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Review {
        pub program_name: String,
        pub proposal: Option<ReviewedProposal>,
        /// What the open proposal changed against the run it replaced.
        pub change: Option<Change>,
        /// One page of the program's pairs, and how many the search keeps.
        pub pairs: Vec<CurrentPair>,
        pub pairs_matching: usize,
        pub rules: Vec<PairRuleView>,
        pub leaders: Vec<Card>,
        pub mentors: Vec<Card>,
        pub page: usize,
        pub pages: usize,
        pub search: String,
    }

    pub async fn review(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        query: &ReviewQuery,
    ) -> Result<Review, AppError> {
        let latest = latest(store, actor, program).await?;
        let stored = store.program(program).await?;
        let weights = stored.settings.pairing_weights;
        let roster = store.roster(program).await?;
        let (leader_labels, mentor_labels) =
            (control::labels(&roster, Role::Leader), control::labels(&roster, Role::Mentor));
        let card = |id: &str| {
            let label = leader_labels.get(id).or_else(|| mentor_labels.get(id));
            roster.iter().find(|e| e.employee_id == id).map_or_else(
                || Card {
                    id: id.to_owned(),
                    name: id.to_owned(),
                    label: id.to_owned(),
                    title: None,
                    department: String::new(),
                },
                |e| Card {
                    id: id.to_owned(),
                    name: e.name.clone(),
                    label: label.cloned().unwrap_or_else(|| e.name.clone()),
                    title: e.title.clone(),
                    department: e.department.clone(),
                },
            )
        };
        let of_role = |role: Role| -> Vec<Card> {
            let mut cards: Vec<Card> = roster.iter().filter(|e| e.role == role).map(|e| card(&e.employee_id)).collect();
            cards.sort_by(|a, b| a.label.cmp(&b.label));
            cards
        };
        let search = query.search.trim().to_lowercase();
        let found = |l: &Card, m: &Card| {
            search.is_empty() || l.name.to_lowercase().contains(&search) || m.name.to_lowercase().contains(&search)
        };
        let page = query.page.max(1);
        let window = |n: usize| (page - 1) * REVIEW_PAGE..((page - 1) * REVIEW_PAGE + REVIEW_PAGE).min(n);
        let strengths: std::collections::HashMap<String, &'static str> = store
            .current_questions(program)
            .await?
            .into_iter()
            .map(|(leader, q)| (leader, q.assessment.strength.as_str()))
            .collect();
        let mut change = None;
        let proposal = match latest.filter(|p| p.status.is_open()) {
            None => None,
            Some(p) => {
                change = match store.proposal_before(program, p.id).await? {
                    Some(before) if store.proposal(program, before).await?.status.is_superseded() => {
                        control::change_since_previous(store, program, &p, &roster).await?
                    }
                    _ => None,
                };
                let all: Vec<ReviewedPair> = p
                    .pairs
                    .iter()
                    .map(|pair| {
                        let (fit, band) = fit_band(pair.score, &weights);
                        ReviewedPair {
                            leader: card(&pair.leader),
                            mentor: card(&pair.mentor),
                            kind: pair.kind.clone(),
                            fit,
                            band,
                            reasons: pair.reasons.clone(),
                            question: strengths.get(&pair.leader).copied(),
                        }
                    })
                    .collect();
                let total = all.len();
                let mut kept: Vec<ReviewedPair> = all.into_iter().filter(|r| found(&r.leader, &r.mentor)).collect();
                let matching = kept.len();
                let average =
                    if total == 0 { 0.0 } else { p.pairs.iter().map(|x| x.score).sum::<f64>() / total as f64 };
                let (fit, band) = fit_band(average, &weights);
                let range = window(matching);
                let pairs = if range.start < matching { kept.drain(range).collect() } else { Vec::new() };
                let unmatched = p
                    .unmatched
                    .iter()
                    .enumerate()
                    .map(|(i, id)| {
                        let why =
                            p.unmatched_reasons.get(i).cloned().unwrap_or_else(|| "No reason was kept.".to_owned());
                        (card(id), why)
                    })
                    .collect();
                Some(ReviewedProposal { id: p.id, status: p.status, total, matching, fit, band, pairs, unmatched })
            }
        };
        let stored_pairs = store.pairs(program).await?;
        let fit_checks = crate::fit::checks(store, program).await?;
        let open_leaders: std::collections::HashSet<&str> =
            stored_pairs.iter().filter(|p| p.is_open()).map(|p| p.pair.leader.as_str()).collect();
        let mut current: Vec<CurrentPair> = stored_pairs
            .iter()
            .map(|p| {
                let (fit, band) = fit_band(p.pair.score, &weights);
                CurrentPair {
                    id: p.id.0,
                    leader: card(&p.pair.leader),
                    mentor: card(&p.pair.mentor),
                    status: p.status,
                    fit,
                    band,
                    ended: p.ended.as_ref().map(|(on, why)| (human_day(on), why.clone())),
                    leader_repaired: !p.is_open() && open_leaders.contains(p.pair.leader.as_str()),
                    needs_conversation: fit_checks.contains(&p.id),
                }
            })
            .filter(|c| found(&c.leader, &c.mentor))
            .collect();
        let pairs_matching = current.len();
        let range = window(pairs_matching);
        let pairs = if range.start < pairs_matching { current.drain(range).collect() } else { Vec::new() };
        let longest = pairs_matching.max(proposal.as_ref().map_or(0, |p| p.matching));
        Ok(Review {
            program_name: stored.name.to_string(),
            proposal,
            change,
            pairs,
            pairs_matching,
            rules: control::rules_in_force(store, program, &roster).await?,
            leaders: of_role(Role::Leader),
            mentors: of_role(Role::Mentor),
            page,
            pages: longest.div_ceil(REVIEW_PAGE).max(1),
            search: query.search.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Actor;
    use crate::programs::{self, participant};
    use plab_domain::person::RawPerson;
    use plab_domain::program::ProgramSettings;
    use plab_store::testing::TestDb;

    fn person(
        id: &str,
        manager: &str,
        level: i32,
        department: &str,
        perspectives: &str,
    ) -> plab_domain::person::Person {
        RawPerson {
            employee_id: id.into(),
            name: format!("Name {id}"),
            email: format!("{}@lab.test", id.to_lowercase()),
            department: department.into(),
            manager_id: manager.into(),
            hire_date: "2012-01-01".into(),
            level: level.to_string(),
            perspectives: perspectives.into(),
            ..RawPerson::default()
        }
        .parse()
        .expect("valid person")
    }

    fn actor(employee_id: &str) -> Actor {
        Actor {
            account_id: 1,
            email: format!("{}@lab.test", employee_id.to_lowercase()),
            employee_id: Some(employee_id.to_owned()),
            is_admin: false,
            calendar_generation: 0,
            reset_notice: None,
            seen: None,
            timezone: None,
        }
    }

    fn perspectives_of<'a>(request: &'a MatchRequest, id: &str) -> &'a [String] {
        &request.people.iter().find(|p| p.id == id).expect("person in request").perspectives
    }

    async fn a_mentors_own_perspectives_are_what_the_engine_reads(db: TestDb) {
        let store = Store::connect(&db.url).await.expect("connect");
        let people = [
            person("CEO", "", 10, "Exec", ""),
            person("VP", "CEO", 8, "Marketing", ""),
            person("M", "CEO", 2, "Finance", "quarterly spreadsheets"),
        ];
        store.upsert_people(&people, &|_| {}).await.expect("people");
        let program =
            programs::create(&store, "A", "2027-01-04", ProgramSettings::default(), "test").await.expect("program");
        programs::enroll(&store, program, Role::Leader, &["VP".into()], None, "test").await.expect("leader");
        programs::enroll(&store, program, Role::Mentor, &["M".into()], None, "test").await.expect("mentor");
        let question = "Why do buyers under 35 scroll past our TikTok campaigns, and what should we change?";
        programs::set_question(&store, program, "VP", question).await.expect("question");

        let (before, ..) = request_for(&store, program).await.expect("request");
        assert_eq!(perspectives_of(&before, "M"), ["quarterly spreadsheets"]);
        let reasons = |r: &MatchRequest| plab_engine::run(r).expect("engine").pairs[0].reasons.join(" / ");
        assert!(!reasons(&before).contains("TikTok"), "{}", reasons(&before));

        participant::set_my_perspectives(&store, &actor("M"), program, ["TikTok campaigns", "first jobs"])
            .await
            .expect("own perspectives");
        let (after, ..) = request_for(&store, program).await.expect("request");
        assert_eq!(perspectives_of(&after, "M"), ["TikTok campaigns", "first jobs"]);
        let run = plab_engine::run(&after).expect("engine");
        assert_eq!(run.pairs[0].kind, plab_engine::PairKind::Topic, "{:?}", run.pairs[0]);
        assert!(reasons(&after).contains("both about TikTok campaigns"), "{}", reasons(&after));

        participant::reset_my_perspectives(&store, &actor("M"), program).await.expect("reset");
        let (reset, ..) = request_for(&store, program).await.expect("request");
        assert_eq!(perspectives_of(&reset, "M"), ["quarterly spreadsheets"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_mentors_own_perspectives_change_what_the_pairing_engine_sees_on_sqlite() {
        a_mentors_own_perspectives_are_what_the_engine_reads(TestDb::sqlite()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
    async fn a_mentors_own_perspectives_change_what_the_pairing_engine_sees_on_postgres() {
        if let Some(db) = TestDb::postgres() {
            a_mentors_own_perspectives_are_what_the_engine_reads(db).await;
        }
    }
}
