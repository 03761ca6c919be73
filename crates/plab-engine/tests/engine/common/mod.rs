//! Builders for requests, an independent brute-force solver and a rule checker.
#![allow(dead_code)]

use plab_domain::Date;
use plab_engine::{LeaderIn, MatchRequest, MatchResponse, MentorIn, PersonIn};
use std::collections::{HashMap, HashSet};

pub fn person(id: &str, manager: Option<&str>, department: &str, hired: &str, level: i32) -> PersonIn {
    PersonIn {
        id: id.into(),
        manager: manager.map(Into::into),
        department: department.into(),
        hire_date: Date::parse(hired).expect("test date"),
        level,
        perspectives: Vec::new(),
    }
}

pub fn with_perspectives(mut p: PersonIn, perspectives: &[&str]) -> PersonIn {
    p.perspectives = perspectives.iter().map(|s| (*s).to_owned()).collect();
    p
}

pub fn leader(id: &str, question: &str) -> LeaderIn {
    LeaderIn { id: id.into(), question: question.into() }
}

pub fn mentor(id: &str, capacity: i64) -> MentorIn {
    MentorIn { id: id.into(), capacity }
}

pub fn request(people: Vec<PersonIn>, leaders: Vec<LeaderIn>, mentors: Vec<MentorIn>) -> MatchRequest {
    MatchRequest::new(people, leaders, mentors)
}

pub fn pairs_of(resp: &MatchResponse) -> Vec<(String, String)> {
    resp.pairs.iter().map(|p| (p.leader.clone(), p.mentor.clone())).collect()
}

pub fn mentor_of<'a>(resp: &'a MatchResponse, leader: &str) -> Option<&'a str> {
    resp.pairs.iter().find(|p| p.leader == leader).map(|p| p.mentor.as_str())
}

/// True when `a` is in `b`'s reporting chain or `b` in `a`'s, found by walking up.
pub fn in_chain(req: &MatchRequest, a: &str, b: &str) -> bool {
    let manager: HashMap<&str, Option<&str>> =
        req.people.iter().map(|p| (p.id.as_str(), p.manager.as_deref())).collect();
    // How many levels `high` is above `low`, if it is in `low`'s line at all.
    let above = |low: &str, high: &str| {
        let mut cur = manager.get(low).copied().flatten();
        let mut steps = 0u32;
        while let Some(m) = cur {
            steps += 1;
            if m == high {
                return Some(steps);
            }
            if steps as usize > manager.len() {
                return None;
            }
            cur = manager.get(m).copied().flatten();
        }
        None
    };
    let within = |d: u32| req.reporting_chain_levels.is_none_or(|levels| d <= levels);
    a == b || above(a, b).is_some_and(within) || above(b, a).is_some_and(within)
}

fn level(req: &MatchRequest, id: &str) -> i32 {
    req.people.iter().find(|p| p.id == id).map(|p| p.level).expect("known person")
}

/// Whether the hard rules (capacity aside) allow this pair, decided independently of the engine.
pub fn pair_allowed(req: &MatchRequest, l: &str, m: &str) -> bool {
    let pair = (l.to_owned(), m.to_owned());
    l != m
        && !in_chain(req, l, m)
        && level(req, m) < level(req, l)
        && !req.forbidden.contains(&pair)
        && !req.previous.contains(&pair)
        && !req.opted_out.iter().any(|o| o == m)
}

/// Candidate scores as the brute force sees them: explicit, or the given built-in table.
pub fn candidate_scores(
    req: &MatchRequest,
    builtin: Option<&[(String, String, f64)]>,
) -> HashMap<(String, String), f64> {
    let table = match (&req.scores, builtin) {
        (Some(s), _) => s.clone(),
        (None, Some(b)) => b.to_vec(),
        (None, None) => panic!("built-in scores needed"),
    };
    table.into_iter().map(|(l, m, s)| ((l, m), s)).collect()
}

/// Checks every hard rule on a response; panics naming the broken one.
pub fn assert_rules_hold(req: &MatchRequest, resp: &MatchResponse) {
    let mut load: HashMap<&str, i64> = HashMap::new();
    let mut seen_leaders = HashSet::new();
    for p in &resp.pairs {
        assert!(seen_leaders.insert(p.leader.as_str()), "leader {} paired twice", p.leader);
        assert!(req.leaders.iter().any(|l| l.id == p.leader), "{} is not a leader", p.leader);
        assert!(!in_chain(req, &p.leader, &p.mentor), "{} is in {}'s reporting chain", p.mentor, p.leader);
        assert!(level(req, &p.mentor) < level(req, &p.leader), "{} is not junior to {}", p.mentor, p.leader);
        let pair = (p.leader.clone(), p.mentor.clone());
        assert!(!req.forbidden.contains(&pair), "forbidden pair {pair:?} proposed");
        assert!(!req.previous.contains(&pair), "previous pair {pair:?} proposed");
        assert!(!req.opted_out.contains(&p.mentor), "opted-out {} proposed", p.mentor);
        if let Some(scores) = &req.scores {
            assert!(
                scores.iter().any(|(l, m, _)| *l == p.leader && *m == p.mentor),
                "{pair:?} is not a scored candidate"
            );
        }
        *load.entry(p.mentor.as_str()).or_default() += 1;
    }
    for (m, n) in load {
        let cap = req.mentors.iter().find(|x| x.id == m).map(|x| x.capacity).expect("a mentor");
        assert!(n <= cap, "mentor {m} has {n} leaders, capacity {cap}");
    }
    for (l, m) in &req.pinned {
        assert!(resp.pairs.iter().any(|p| p.leader == *l && p.mentor == *m), "pin ({l}, {m}) not honoured");
    }
    let matched: HashSet<&str> = resp.pairs.iter().map(|p| p.leader.as_str()).collect();
    for l in &req.leaders {
        assert_eq!(
            matched.contains(l.id.as_str()),
            !resp.unmatched.contains(&l.id),
            "leader {} must be either paired or unmatched",
            l.id
        );
    }
}

/// The best (matched leaders, total score) by enumerating every assignment;
/// `None` when no assignment honours the pins.
pub fn brute_force(req: &MatchRequest, scores: &HashMap<(String, String), f64>) -> Option<(usize, f64)> {
    let capacity: HashMap<&str, i64> = req.mentors.iter().map(|m| (m.id.as_str(), m.capacity)).collect();
    let mut pins: HashMap<&str, &str> = HashMap::new();
    for (l, m) in &req.pinned {
        if pins.insert(l.as_str(), m.as_str()).is_some() {
            return None;
        }
    }
    let options: Vec<Vec<(Option<&str>, f64)>> = req
        .leaders
        .iter()
        .map(|l| {
            let allowed = |m: &str| {
                pair_allowed(req, &l.id, m).then(|| scores.get(&(l.id.clone(), m.to_owned())).copied()).flatten()
            };
            match pins.get(l.id.as_str()) {
                Some(&m) => allowed(m).map(|s| vec![(Some(m), s)]).unwrap_or_default(),
                None => {
                    let mut opts = vec![(None, 0.0)];
                    for m in &req.mentors {
                        if let Some(s) = allowed(&m.id) {
                            opts.push((Some(m.id.as_str()), s));
                        }
                    }
                    opts
                }
            }
        })
        .collect();
    let mut load: HashMap<&str, i64> = HashMap::new();
    let mut best: Option<(usize, f64)> = None;
    search(0, &options, &capacity, &mut load, 0, 0.0, &mut best);
    best
}

fn search<'a>(
    i: usize,
    options: &[Vec<(Option<&'a str>, f64)>],
    capacity: &HashMap<&str, i64>,
    load: &mut HashMap<&'a str, i64>,
    count: usize,
    total: f64,
    best: &mut Option<(usize, f64)>,
) {
    if i == options.len() {
        let better = match *best {
            None => true,
            Some((c, t)) => count > c || (count == c && total > t),
        };
        if better {
            *best = Some((count, total));
        }
        return;
    }
    for &(m, s) in &options[i] {
        match m {
            None => search(i + 1, options, capacity, load, count, total, best),
            Some(m) => {
                let used = load.get(m).copied().unwrap_or(0);
                if used < capacity[m] {
                    load.insert(m, used + 1);
                    search(i + 1, options, capacity, load, count + 1, total + s, best);
                    load.insert(m, used);
                }
            }
        }
    }
}

/// A small deterministic generator for random instances (splitmix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const PHRASES: [&str; 6] = [
    "AI tools for first drafts",
    "TikTok for product discovery",
    "agile sprints in small teams",
    "career paths for new analysts",
    "speaking up in meetings",
    "what customers say on support calls",
];

/// A random small instance: a forest org chart, overlapping leader and mentor
/// lists, capacities 0-3, forbidden/previous/opt-out/pins, and optionally
/// explicit scores (some negative).
pub fn random_request(rng: &mut Rng, explicit: bool, max_cap: i64) -> MatchRequest {
    let n = 3 + rng.below(7) as usize;
    random_request_sized(rng, explicit, max_cap, n, 5, 4)
}

/// Like [`random_request`] with `n` people, up to `max_leaders` leaders and `max_mentors` mentors.
pub fn random_request_sized(
    rng: &mut Rng,
    explicit: bool,
    max_cap: i64,
    n: usize,
    max_leaders: usize,
    max_mentors: usize,
) -> MatchRequest {
    let depts = ["Sales", "Support", "Ops"];
    let mut people = Vec::new();
    for i in 0..n {
        let manager = (i > 0 && rng.chance(50)).then(|| format!("p{}", rng.below(i as u64)));
        let year = 1990 + rng.below(35);
        let mut p = person(
            &format!("p{i}"),
            manager.as_deref(),
            depts[rng.below(3) as usize],
            &format!("{year}-0{}-1{}", 1 + rng.below(9), rng.below(10)),
            1 + rng.below(6) as i32,
        );
        p.perspectives = (0..rng.below(3)).map(|_| PHRASES[rng.below(6) as usize].to_owned()).collect();
        people.push(p);
    }
    let ids: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
    let levels: Vec<i32> = people.iter().map(|p| p.level).collect();
    // Mostly senior leaders and junior mentors, sometimes anyone.
    let pick = |rng: &mut Rng, k: usize, senior: bool| -> Vec<String> {
        let mut chosen: Vec<String> = Vec::new();
        let mut tries = 0;
        while chosen.len() < k {
            let i = rng.below(ids.len() as u64) as usize;
            tries += 1;
            let fits = if senior { levels[i] >= 3 } else { levels[i] <= 3 };
            if (fits || tries > 50 || rng.chance(20)) && !chosen.contains(&ids[i]) {
                chosen.push(ids[i].clone());
            }
        }
        chosen
    };
    let n_leaders = 1 + rng.below(n.min(max_leaders) as u64) as usize;
    let leader_ids = pick(rng, n_leaders, true);
    let n_mentors = 1 + rng.below(n.min(max_mentors) as u64) as usize;
    let mentor_ids = pick(rng, n_mentors, false);
    let leaders = leader_ids
        .iter()
        .map(|id| leader(id, &format!("How could {} change how we work?", PHRASES[rng.below(6) as usize])))
        .collect();
    let mentors = mentor_ids
        .iter()
        .map(|id| mentor(id, if rng.chance(10) { 0 } else { 1 + rng.below(max_cap as u64) as i64 }))
        .collect();
    let mut req = request(people, leaders, mentors);
    let random_pair = |rng: &mut Rng| {
        (
            leader_ids[rng.below(leader_ids.len() as u64) as usize].clone(),
            mentor_ids[rng.below(mentor_ids.len() as u64) as usize].clone(),
        )
    };
    for _ in 0..rng.below(3) {
        req.forbidden.push(random_pair(rng));
    }
    for _ in 0..rng.below(3) {
        req.previous.push(random_pair(rng));
    }
    if rng.chance(20) {
        req.opted_out.push(mentor_ids[rng.below(mentor_ids.len() as u64) as usize].clone());
    }
    // Pins: usually an allowed pair, sometimes anything (then often an error).
    let n_pins = if rng.chance(40) { 1 + rng.below(2) } else { 0 };
    for _ in 0..n_pins {
        let mut pair = random_pair(rng);
        for _ in 0..20 {
            if rng.chance(10) || pair_allowed(&req, &pair.0, &pair.1) {
                break;
            }
            pair = random_pair(rng);
        }
        req.pinned.push(pair);
    }
    if rng.chance(50) {
        req.adjacent_departments.push(("Sales".into(), "Support".into()));
    }
    if explicit {
        let mut scores = Vec::new();
        for l in &leader_ids {
            for m in &mentor_ids {
                if rng.chance(70) {
                    let cents = rng.below(1500) as i64 - 500;
                    scores.push((l.clone(), m.clone(), cents as f64 / 100.0));
                }
            }
        }
        req.scores = Some(scores);
    }
    req
}
