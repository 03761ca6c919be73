//! Deterministic benchmark instances.
use plab_domain::Date;
use plab_engine::{LeaderIn, MatchRequest, MentorIn, PersonIn};

/// splitmix64: tiny, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn date(year: i32, day_of_year: u32) -> Date {
    let jan1 = Date::from_ymd(year, 1, 1).expect("valid year").days_since_epoch();
    Date::from_days_since_epoch(jan1 + i64::from(day_of_year % 365)).expect("valid date")
}

fn flat_person(id: String, department: &str, level: i32, hired: Date) -> PersonIn {
    PersonIn { id, manager: None, department: department.to_owned(), hire_date: hired, level, perspectives: Vec::new() }
}

fn empty_request(people: Vec<PersonIn>, leaders: Vec<LeaderIn>, mentors: Vec<MentorIn>) -> MatchRequest {
    MatchRequest::new(people, leaders, mentors)
}

/// Case 1: an n x n matrix of scores in thousandths, 0.000..999.999, row-major.
pub struct Dense {
    pub n: usize,
    pub milli: Vec<i64>,
}

pub fn dense(n: usize, seed: u64) -> Dense {
    let mut rng = Rng::new(seed);
    Dense { n, milli: (0..n * n).map(|_| rng.below(1_000_000) as i64).collect() }
}

/// Leaders L*, mentors M* (capacity 1), nobody managing anybody, every pair scored.
pub fn dense_request(d: &Dense) -> MatchRequest {
    let hired = date(2024, 10);
    let mut people = Vec::with_capacity(2 * d.n);
    for i in 0..d.n {
        people.push(flat_person(format!("L{i}"), "Leadership", 9, date(2000, 10)));
        people.push(flat_person(format!("M{i}"), "Staff", 1, hired));
    }
    let leaders = (0..d.n).map(|i| LeaderIn { id: format!("L{i}"), question: String::new() }).collect();
    let mentors = (0..d.n).map(|i| MentorIn { id: format!("M{i}"), capacity: 1 }).collect();
    let mut scores = Vec::with_capacity(d.n * d.n);
    for l in 0..d.n {
        for m in 0..d.n {
            scores.push((format!("L{l}"), format!("M{m}"), d.milli[l * d.n + m] as f64 / 1000.0));
        }
    }
    let mut req = empty_request(people, leaders, mentors);
    req.scores = Some(scores);
    req
}

/// Case 2: candidate lists with popular mentors; scores in thousandths.
pub struct Sparse {
    pub leaders: usize,
    pub mentors: usize,
    pub leader: Vec<u32>,
    pub mentor: Vec<u32>,
    pub milli: Vec<i64>,
    pub capacity: Vec<i64>,
}

pub fn sparse(leaders: usize, mentors: usize, per_leader: usize, seed: u64) -> Sparse {
    let mut rng = Rng::new(seed);
    let capacity = (0..mentors).map(|_| 1 + rng.below(2) as i64).collect();
    let (mut leader, mut mentor, mut milli) = (Vec::new(), Vec::new(), Vec::new());
    let mut chosen: Vec<u32> = Vec::with_capacity(per_leader);
    for l in 0..leaders as u32 {
        chosen.clear();
        while chosen.len() < per_leader {
            // Skewed choice: index ~ M * u^3, so low indices are very popular.
            let u = rng.unit();
            let m = ((mentors as f64) * u * u * u) as u32;
            if !chosen.contains(&m) {
                chosen.push(m);
            }
        }
        for &m in &chosen {
            // Popular mentors also tend to score higher: everyone wants them.
            let quality = 1.0 - f64::from(m) / mentors as f64;
            let score = 60.0 * quality * quality + 40.0 * rng.unit();
            leader.push(l);
            mentor.push(m);
            milli.push((score * 1000.0).round() as i64);
        }
    }
    Sparse { leaders, mentors, leader, mentor, milli, capacity }
}

pub fn sparse_request(s: &Sparse) -> MatchRequest {
    let mut people = Vec::with_capacity(s.leaders + s.mentors);
    for i in 0..s.leaders {
        people.push(flat_person(format!("L{i}"), "Leadership", 9, date(2000, i as u32)));
    }
    for i in 0..s.mentors {
        people.push(flat_person(format!("M{i}"), "Staff", 1, date(2024, i as u32)));
    }
    let leaders = (0..s.leaders).map(|i| LeaderIn { id: format!("L{i}"), question: String::new() }).collect();
    let mentors = (0..s.mentors).map(|i| MentorIn { id: format!("M{i}"), capacity: s.capacity[i] }).collect();
    let scores = (0..s.leader.len())
        .map(|k| (format!("L{}", s.leader[k]), format!("M{}", s.mentor[k]), s.milli[k] as f64 / 1000.0))
        .collect();
    let mut req = empty_request(people, leaders, mentors);
    req.scores = Some(scores);
    req
}

const DEPARTMENTS: [&str; 12] = [
    "Sales",
    "Customer Support",
    "Marketing",
    "Product",
    "Engineering",
    "Data Science",
    "Operations",
    "Finance",
    "People",
    "Legal",
    "Supply Chain",
    "Design",
];

/// A sponsor's configuration: a few departments that sit close to the customer.
const ADJACENT: [(&str, &str); 4] = [
    ("Sales", "Customer Support"),
    ("Marketing", "Product"),
    ("Product", "Customer Support"),
    ("Operations", "Supply Chain"),
];

/// Mentor perspectives, grouped loosely by the seven themes of the taxonomy.
const PERSPECTIVES: [&str; 56] = [
    // technology
    "AI tools for first drafts",
    "TikTok for product discovery",
    "Slack channels instead of email",
    "no-code automation for reports",
    "ChatGPT prompts for research",
    "mobile-first banking apps",
    "Notion for team wikis",
    "agile sprints in small teams",
    // market.brand
    "how our brand looks on Instagram",
    "influencer marketing on YouTube",
    "what our logo says to buyers under 30",
    "brand reviews on Reddit",
    "sustainability claims in our ads",
    "employer brand on LinkedIn",
    "memes about our products",
    "podcast sponsorships",
    // market.product
    "what customers say on support calls",
    "onboarding flow of our app",
    "subscription cancellations",
    "pricing pages that confuse buyers",
    "customer support tickets about billing",
    "product reviews from first-time buyers",
    "returns and refunds experience",
    "self-service help center",
    // market.competitors
    "competitor apps our friends use",
    "fintech startups competing with us",
    "why buyers switch to cheaper rivals",
    "competitor loyalty programs",
    "marketplace sellers undercutting us",
    "direct-to-consumer challenger brands",
    "rival hiring offers for graduates",
    "competitor pricing on Amazon",
    // culture.purpose
    "purpose-driven work for young employees",
    "climate commitments and credibility",
    "volunteering days that matter",
    "company values in daily decisions",
    "diversity pledges versus reality",
    "community impact projects",
    "ethical sourcing questions from staff",
    "mission statements nobody reads",
    // culture.safety
    "speaking up in meetings",
    "psychological safety for new hires",
    "belonging in hybrid teams",
    "admitting mistakes to managers",
    "feedback that feels safe",
    "inclusion for remote colleagues",
    "challenging senior people in reviews",
    "burnout signals nobody mentions",
    // culture.career
    "career paths for new analysts",
    "hybrid work schedules",
    "learning budgets and courses",
    "promotion criteria that feel fair",
    "internships that lead to jobs",
    "mentoring for first-year graduates",
    "four-day week experiments",
    "side projects and internal mobility",
];

const QUESTIONS: [&str; 40] = [
    "Which AI tools could speed up first drafts of our proposals?",
    "How do buyers under 30 use TikTok for product discovery?",
    "Why do new hires prefer Slack channels to email for decisions?",
    "What could no-code automation change in our monthly reports?",
    "How do younger colleagues use ChatGPT for research, and what should we allow?",
    "What makes a mobile-first banking app feel trustworthy?",
    "Why do agile sprints work in small teams but stall in ours?",
    "How does our brand look on Instagram to people under 30?",
    "Which influencer marketing on YouTube would our buyers trust?",
    "What do brand reviews on Reddit say that our surveys miss?",
    "Are our sustainability claims in ads credible to younger buyers?",
    "How does our employer brand on LinkedIn compare with rivals?",
    "What do customers say on support calls that never reaches us?",
    "Where does the onboarding flow of our app lose first-time users?",
    "Why do subscription cancellations spike after the first month?",
    "Which parts of our pricing pages confuse buyers?",
    "What drives customer support tickets about billing?",
    "How do first-time buyers judge our product reviews?",
    "How could the returns and refunds experience win loyalty?",
    "Which competitor apps do our younger customers use instead of ours?",
    "What do fintech startups competing with us do better?",
    "Why do buyers switch to cheaper rivals after a year?",
    "Which competitor loyalty programs do graduates actually use?",
    "How do marketplace sellers undercut us on price?",
    "What do rival hiring offers for graduates include that ours do not?",
    "Does purpose-driven work matter to young employees when they choose us?",
    "How credible are our climate commitments to new staff?",
    "Which company values show up in daily decisions on the shop floor?",
    "How do new hires see our diversity pledges versus reality?",
    "Why do new hires stay silent in meetings instead of speaking up?",
    "What would make psychological safety real for new hires in support?",
    "How can hybrid teams build belonging across locations?",
    "Why do junior staff avoid admitting mistakes to managers?",
    "What feedback feels safe to early-career employees?",
    "Which burnout signals do managers miss in remote colleagues?",
    "What career paths do new analysts expect in their first two years?",
    "How do hybrid work schedules affect early-career learning?",
    "Which promotion criteria feel unfair to junior staff?",
    "Why do internships rarely lead to jobs here?",
    "What would a four-day week experiment teach us about productivity?",
];

/// Case 3: a 100,000-person organisation with a realistic pyramid.
pub struct Org {
    pub request: MatchRequest,
}

/// People per level, 10 = CEO; leaders are levels 6-9 plus part of level 5.
const LEVEL_SIZES: [(i32, usize); 10] =
    [(10, 1), (9, 12), (8, 50), (7, 300), (6, 1_800), (5, 8_000), (4, 20_000), (3, 30_000), (2, 25_000), (1, 14_837)];

/// How the leaders' questions are drawn.
#[derive(Clone, Copy)]
pub enum Questions {
    /// Uniformly from the first `n` of `QUESTIONS` (a cohort briefed together when `n` is small).
    Pick(usize),
    /// Every leader a different question (two taxonomy phrases added to one of `QUESTIONS`).
    Distinct,
}

/// The shape of one organisation benchmark; every family has 100,000 people.
#[derive(Clone, Copy)]
pub struct OrgSpec {
    pub leaders: usize,
    pub mentors: usize,
    pub questions: Questions,
    /// Mentors' perspectives come from the first `vocabulary` phrases of `PERSPECTIVES`.
    pub vocabulary: usize,
    /// Capacities are `1..=max_capacity` uniformly; with 2, every fifth mentor takes 2 (case 3).
    pub max_capacity: i64,
    /// Share of the allowed leader x mentor pairs listed as `forbidden`.
    pub forbidden_share: f64,
}

/// Case 3 as documented: 2,600 leaders, 16,000 mentors, 40 questions.
pub const CASE3: OrgSpec = OrgSpec {
    leaders: 2_600,
    mentors: 16_000,
    questions: Questions::Pick(40),
    vocabulary: PERSPECTIVES.len(),
    max_capacity: 2,
    forbidden_share: 0.0,
};

/// The issue 13 families: 3,000 leaders and 12,000 mentors, varying one thing at a time.
pub fn family(name: &str) -> Option<OrgSpec> {
    let base = OrgSpec { leaders: 3_000, mentors: 12_000, ..CASE3 };
    let issue = OrgSpec { questions: Questions::Pick(6), vocabulary: 6, ..base };
    Some(match name {
        "org-distinct" => OrgSpec { questions: Questions::Distinct, ..base },
        "org-shared6" => OrgSpec { questions: Questions::Pick(6), ..base },
        "org-one" => OrgSpec { questions: Questions::Pick(1), ..base },
        "org-vocab" => issue,
        "org-cap3" => OrgSpec { max_capacity: 3, ..issue },
        "org-forbid" => OrgSpec { forbidden_share: 0.1, ..issue },
        _ => return None,
    })
}

pub const FAMILIES: [&str; 6] = ["org-distinct", "org-shared6", "org-one", "org-vocab", "org-cap3", "org-forbid"];

pub fn org(seed: u64) -> Org {
    org_with(&CASE3, seed)
}

pub fn org_with(spec: &OrgSpec, seed: u64) -> Org {
    let mut rng = Rng::new(seed);
    let mut people: Vec<PersonIn> = Vec::with_capacity(100_000);
    let mut by_level: Vec<Vec<usize>> = vec![Vec::new(); 11];
    let vocabulary = &PERSPECTIVES[..spec.vocabulary.clamp(1, PERSPECTIVES.len())];
    for &(level, count) in &LEVEL_SIZES {
        for _ in 0..count {
            let i = people.len();
            let (manager, department) = if level == 10 {
                (None, "Executive".to_owned())
            } else {
                let above = &by_level[level as usize + 1];
                let boss = above[rng.below(above.len() as u64) as usize];
                let department = if level == 9 {
                    DEPARTMENTS[i % DEPARTMENTS.len()].to_owned()
                } else {
                    people[boss].department.clone()
                };
                (Some(people[boss].id.clone()), department)
            };
            // Seniors joined long ago, juniors recently, with spread.
            let mean_year = 2024.0 - 2.6 * f64::from(level - 1);
            let year = (mean_year + 8.0 * (rng.unit() - 0.5)).clamp(1985.0, 2025.0) as i32;
            let mut person = PersonIn {
                id: format!("E{i:06}"),
                manager,
                department,
                hire_date: date(year, rng.below(365) as u32),
                level,
                perspectives: Vec::new(),
            };
            if level <= 3 {
                let n = 1 + rng.below(3) as usize;
                for _ in 0..n {
                    // Skewed: some perspectives are common, most are rarer.
                    let u = rng.unit();
                    let k = ((vocabulary.len() as f64) * u * u) as usize;
                    let text = vocabulary[k].to_owned();
                    if !person.perspectives.contains(&text) {
                        person.perspectives.push(text);
                    }
                }
            }
            people.push(person);
            by_level[level as usize].push(i);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut question = |rng: &mut Rng| match spec.questions {
        Questions::Pick(n) => QUESTIONS[rng.below(n.clamp(1, QUESTIONS.len()) as u64) as usize].to_owned(),
        Questions::Distinct => loop {
            let text = format!(
                "{} Think of {} and {}.",
                QUESTIONS[rng.below(QUESTIONS.len() as u64) as usize],
                PERSPECTIVES[rng.below(PERSPECTIVES.len() as u64) as usize],
                PERSPECTIVES[rng.below(PERSPECTIVES.len() as u64) as usize]
            );
            if seen.insert(text.clone()) {
                break text;
            }
        },
    };
    let mut leaders: Vec<LeaderIn> = Vec::new();
    for level in [9, 8, 7, 6] {
        for &i in &by_level[level] {
            leaders.push(LeaderIn { id: people[i].id.clone(), question: question(&mut rng) });
        }
    }
    for &i in by_level[5].iter().take(spec.leaders.saturating_sub(leaders.len())) {
        leaders.push(LeaderIn { id: people[i].id.clone(), question: question(&mut rng) });
    }
    // Mentors: the most recent hires at levels 1-3.
    let mut juniors: Vec<usize> = (1..=3).flat_map(|l| by_level[l].iter().copied()).collect();
    juniors.sort_by_key(|&i| (std::cmp::Reverse(people[i].hire_date), i));
    juniors.truncate(spec.mentors);
    juniors.sort_unstable();
    let mentors = juniors
        .iter()
        .map(|&i| {
            let capacity = if spec.max_capacity == 2 {
                1 + (i % 5 == 0) as i64
            } else {
                1 + rng.below(spec.max_capacity as u64) as i64
            };
            MentorIn { id: people[i].id.clone(), capacity }
        })
        .collect::<Vec<_>>();
    let mut forbidden = Vec::new();
    if spec.forbidden_share > 0.0 {
        let rules = HardRules::new(&people);
        let mentor_index: Vec<usize> = mentors.iter().map(|m| person_index(&m.id)).collect();
        for leader in &leaders {
            let l = person_index(&leader.id);
            for (mentor, &m) in mentors.iter().zip(&mentor_index) {
                if rules.allowed(l, m) && rng.unit() < spec.forbidden_share {
                    forbidden.push((leader.id.clone(), mentor.id.clone()));
                }
            }
        }
    }
    let mut request = empty_request(people, leaders, mentors);
    request.adjacent_departments = ADJACENT.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
    request.forbidden = forbidden;
    Org { request }
}

/// The hard rules the benchmark's peers need, recomputed from the request
/// (people ids are `E` + their index): strictly junior, outside the reporting chain.
pub struct HardRules {
    level: Vec<i32>,
    manager: Vec<Option<usize>>,
}

impl HardRules {
    pub fn new(people: &[PersonIn]) -> Self {
        HardRules {
            level: people.iter().map(|p| p.level).collect(),
            manager: people.iter().map(|p| p.manager.as_deref().map(person_index)).collect(),
        }
    }

    fn above(&self, a: usize, b: usize) -> bool {
        let mut cur = self.manager[b];
        while let Some(m) = cur {
            if m == a {
                return true;
            }
            cur = self.manager[m];
        }
        false
    }

    /// Person indices of a leader and a mentor.
    pub fn allowed(&self, l: usize, m: usize) -> bool {
        self.level[m] < self.level[l] && l != m && !self.above(l, m) && !self.above(m, l)
    }
}

/// The person index in an `org` request's id (`E000123` is person 123).
pub fn person_index(id: &str) -> usize {
    id[1..].parse().expect("org ids are E + index")
}
