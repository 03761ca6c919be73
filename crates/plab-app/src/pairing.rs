//! Strategic pairing for a program: build the engine's request from the
//! database, store the proposal, and let the sponsor pin, forbid, re-run and
//! approve.
use crate::{AppError, Problem};
use plab_domain::program::Role;
use plab_engine::{LeaderIn, MatchRequest, MatchResponse, MentorIn, PersonIn, Progress};
use plab_store::{NewProposal, PairRule, ProgramId, Proposal, Store, StoredPair};
use std::collections::{HashMap, HashSet};

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
    let pairs = store.pairs(program).await?;
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
    let request = MatchRequest {
        people,
        leaders,
        mentors,
        forbidden: open(store.pair_rules(program, PairRule::Forbid).await?),
        pinned: open(store.pair_rules(program, PairRule::Pin).await?),
        adjacent_departments: settings.adjacent_departments.clone(),
        scores: None,
        previous: store.pairs_elsewhere(program).await?,
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
    // The engine is CPU-bound: keep it off the async workers.
    let response = tokio::task::spawn_blocking(move || plab_engine::run_with_progress(&request, &progress))
        .await
        .map_err(|e| AppError::Fault(format!("the pairing run stopped: {e}")))??;
    let proposal = if dry_run {
        None
    } else if response.pairs.is_empty() {
        return Err(AppError::invalid(
            Problem::new(format!(
                "no pair can be proposed for {}: every candidate mentor breaks a hard rule (reporting chain, seniority, capacity, opt-out, forbidden or earlier pair)",
                response.unmatched.join(", ")
            ))
            .field("program"),
        ));
    } else {
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
            parameters: &parameters,
            total_score: response.total_score,
            solve_ms: response.solve_ms,
            unmatched: &response.unmatched,
            unmatched_reasons: &response.unmatched_reasons,
            pairs: &pairs,
        };
        let id = store.add_proposal(program, &new).await?;
        let detail = format!("proposal {id}: {} pairs", pairs.len());
        store.audit(by, "pairing.propose", &format!("program {program}"), &detail).await?;
        Some(id)
    };
    Ok(Run { proposal, response, without_question, already_paired })
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
                Problem::new(format!("not in proposal {id}: {}", unknown.join(", "))).field("leader"),
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

/// Pins or forbids a pair; both people must be enrolled in the right roles.
pub async fn set_rule(
    store: &Store,
    program: ProgramId,
    leader: &str,
    mentor: &str,
    rule: PairRule,
    by: &str,
) -> Result<(), AppError> {
    let enrolments = store.enrolments(program).await?;
    let has = |id: &str, role: Role| enrolments.iter().any(|e| e.employee_id == id && e.role == role);
    let mut problems = Vec::new();
    if !has(leader, Role::Leader) {
        problems.push(Problem::new(format!("'{leader}' is not a leader of program {program}")).field("leader"));
    }
    if !has(mentor, Role::Mentor) {
        problems.push(Problem::new(format!("'{mentor}' is not a mentor of program {program}")).field("mentor"));
    }
    if rule == PairRule::Pin {
        problems.extend(one_role_in_pair(store, program, leader, mentor).await?);
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    store.set_pair_rule(program, leader, mentor, rule).await?;
    let action = if rule == PairRule::Pin { "pairing.pin" } else { "pairing.forbid" };
    store.audit(by, action, &format!("program {program}"), &format!("{leader} + {mentor}")).await?;
    Ok(())
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

/// Removes a pin or forbid.
pub async fn clear_rule(
    store: &Store,
    program: ProgramId,
    leader: &str,
    mentor: &str,
    by: &str,
) -> Result<(), AppError> {
    store.clear_pair_rule(program, leader, mentor).await?;
    store.audit(by, "pairing.clear", &format!("program {program}"), &format!("{leader} + {mentor}")).await?;
    Ok(())
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

    pub async fn set_rule(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        leader: &str,
        mentor: &str,
        rule: PairRule,
    ) -> Result<(), AppError> {
        require_sponsor(store, actor, program).await?;
        super::set_rule(store, program, leader.trim(), mentor.trim(), rule, &actor.email).await
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
        pub title: Option<String>,
        pub department: String,
    }

    /// A proposed pair with both people named and the leader's question strength.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ReviewedPair {
        pub leader: Card,
        pub mentor: Card,
        pub kind: String,
        pub score: f64,
        pub reasons: Vec<String>,
        /// `weak`, `fair` or `strong`: a weak question is worth sharpening before the pair starts.
        pub question: Option<&'static str>,
    }

    /// The newest proposal in names, with why each unmatched leader got no mentor.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ReviewedProposal {
        pub id: i64,
        pub status: plab_domain::pair::ProposalStatus,
        pub total_score: f64,
        pub pairs: Vec<ReviewedPair>,
        pub unmatched: Vec<(Card, String)>,
    }

    /// What the sponsor's pairing page shows: the newest proposal, and the
    /// enrolled leaders and mentors to pin or forbid by name.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Review {
        pub program_name: String,
        pub proposal: Option<ReviewedProposal>,
        pub leaders: Vec<Card>,
        pub mentors: Vec<Card>,
    }

    pub async fn review(store: &Store, actor: &Actor, program: ProgramId) -> Result<Review, AppError> {
        let latest = latest(store, actor, program).await?;
        let roster = store.roster(program).await?;
        let card = |id: &str| {
            roster.iter().find(|e| e.employee_id == id).map_or_else(
                || Card { id: id.to_owned(), name: id.to_owned(), title: None, department: String::new() },
                |e| Card {
                    id: id.to_owned(),
                    name: e.name.clone(),
                    title: e.title.clone(),
                    department: e.department.clone(),
                },
            )
        };
        let of_role = |role: Role| -> Vec<Card> {
            let mut cards: Vec<Card> = roster.iter().filter(|e| e.role == role).map(|e| card(&e.employee_id)).collect();
            cards.sort_by(|a, b| a.name.cmp(&b.name));
            cards
        };
        let strengths: std::collections::HashMap<String, &'static str> = store
            .current_questions(program)
            .await?
            .into_iter()
            .map(|(leader, q)| (leader, q.assessment.strength.as_str()))
            .collect();
        let proposal = latest.map(|p| ReviewedProposal {
            id: p.id,
            status: p.status,
            total_score: p.total_score,
            pairs: p
                .pairs
                .iter()
                .map(|pair| ReviewedPair {
                    leader: card(&pair.leader),
                    mentor: card(&pair.mentor),
                    kind: pair.kind.clone(),
                    score: pair.score,
                    reasons: pair.reasons.clone(),
                    question: strengths.get(&pair.leader).copied(),
                })
                .collect(),
            unmatched: p
                .unmatched
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let why = p.unmatched_reasons.get(i).cloned().unwrap_or_else(|| "No reason was kept.".to_owned());
                    (card(id), why)
                })
                .collect(),
        });
        let program_name = store.program(program).await?.name.to_string();
        Ok(Review { program_name, proposal, leaders: of_role(Role::Leader), mentors: of_role(Role::Mentor) })
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
