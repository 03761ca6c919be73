//! A believable demo organisation and a running program, deterministic per seed.
//! Later features (pairs, sessions, history) extend `build` with more steps.
use crate::vault::Vault;
use crate::{AppError, Problem, people, programs};
use plab_domain::Date;
use plab_domain::person::{Person, RawPerson};
use plab_domain::program::{ProgramSettings, Role};
use plab_store::{ProgramId, Store};

mod cohorts;
mod commitments;
mod fit;
mod history;
mod protection;

pub const DEFAULT_PEOPLE: usize = 2_000;
/// The audit log's actor for what the demo generator does.
const DEMO: &str = "demo";
pub const DEFAULT_PASSWORD: &str = "perspective-lab-demo";
/// How many weeks ago the demo program began (its history's length).
pub const DEFAULT_WEEKS: u32 = 9;
/// The longest history `plab demo --weeks` makes: two years.
pub const MAX_WEEKS: u32 = 104;

/// The demo's calendar is fixed so that a seed always gives the same data.
const REFERENCE_DAY: &str = "2026-10-01";

#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoSummary {
    pub program: i64,
    /// An administrator account (accounts and settings; never pair notes).
    pub admin: String,
    pub sponsor: String,
    pub leaders: Vec<String>,
    pub mentors: Vec<String>,
    /// The next cohort started from `program`, with the people who want to continue.
    pub next_program: i64,
    /// The reciprocal phase of `program`'s pairs.
    pub reciprocal_program: i64,
}

const DEPARTMENTS: [(&str, u32); 11] = [
    ("Engineering", 22),
    ("Operations", 14),
    ("Sales", 12),
    ("Customer Support", 12),
    ("Product", 7),
    ("Marketing", 7),
    ("Data Science", 6),
    ("Finance", 6),
    ("People", 5),
    ("Design", 5),
    ("Legal", 3),
];

const ADJACENT: [(&str, &str); 5] = [
    ("Sales", "Customer Support"),
    ("Product", "Customer Support"),
    ("Marketing", "Sales"),
    ("Product", "Design"),
    ("Engineering", "Data Science"),
];

const FIRST: [&str; 40] = [
    "Amara", "Ben", "Chloe", "Diego", "Elif", "Farah", "Gabriel", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
    "Aiko", "Bruno", "Carmen", "Dev", "Esme", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kira", "Leo", "Maya", "Noah",
];
const LAST: [&str; 40] = [
    "Adeyemi",
    "Bauer",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quintero",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Andersson",
    "Brennan",
    "Chen",
    "Dlamini",
    "Evans",
    "Ferreira",
    "Gupta",
    "Hoang",
    "Ibrahim",
    "Juarez",
    "Kim",
    "Lopez",
    "Mensah",
    "Novak",
];

/// Perspectives a junior colleague can offer, across the whole taxonomy.
const PERSPECTIVES: [&str; 24] = [
    "AI tools for first drafts",
    "agile workflows and Kanban boards",
    "Slack channels instead of email",
    "TikTok and short video",
    "no-code automation",
    "remote collaboration tools",
    "how friends talk about our brand",
    "our Instagram presence",
    "first-time buyers of our app",
    "onboarding friction in the mobile app",
    "customer support tickets",
    "competitor apps my peers prefer",
    "subscription offers from challenger brands",
    "why I joined: purpose and values",
    "sustainability commitments",
    "speaking up in team meetings",
    "belonging as a hybrid new hire",
    "feedback culture in squads",
    "career paths for early-career staff",
    "learning budgets and mentoring",
    "work-life integration",
    "internal mobility between teams",
    "data dashboards the team actually uses",
    "gaming communities and live streams",
];

const WEAK_QUESTIONS: [&str; 6] = [
    "I want to learn about Gen Z.",
    "I want to be better at tech.",
    "How do I connect with the next generation?",
    "I want to stay relevant with young people.",
    "I would like to understand social media trends.",
    "I want to learn about the culture.",
];

const STRONG_QUESTIONS: [&str; 10] = [
    "My hypothesis is that our current communication channels aren't effective for our hybrid, early-career employees, and I want to understand why.",
    "How can our leadership team authentically use new AI and collaborative tools to improve our own productivity and model this for the organization?",
    "Why do new analysts skip our Friday demo, and what would make it worth their hour?",
    "I suspect our onboarding app loses first-time buyers under 30 at the payment step; which moments cause them to drop out, so that we can decide what to fix first?",
    "How do new hires in Customer Support decide whether it is safe to raise a problem in our weekly team meeting, and what would change their answer?",
    "My hypothesis is that early-career engineers see our promotion criteria as opaque; what would make our career paths credible to them before we redesign the levels?",
    "Which competitor apps do our buyers under 35 prefer for subscriptions, and why, so that we can decide on next year's pricing test?",
    "How do our junior marketers read our brand's public stance on sustainability, and where does it feel inauthentic to them?",
    "Test whether our quarterly all-hands helps new hires connect with our purpose, and what they would change about its format.",
    "Why do our hybrid project teams prefer chat channels over email for decisions, and what should our leadership meetings adopt from that?",
];

const FAIR_QUESTIONS: [&str; 4] = [
    "How are younger employees using AI tools at work?",
    "What do new hires think about our brand?",
    "How can I make our meetings better for junior staff?",
    "What do customers under 30 think of our product?",
];

struct Draft {
    department: usize,
    manager: Option<usize>,
    level: i32,
}

/// Share of each level 1..=8 within a department: a pyramid.
const LEVEL_SHARE: [f64; 8] = [0.30, 0.25, 0.18, 0.11, 0.07, 0.045, 0.03, 0.015];

/// Lays out the org chart: a CEO, a head per department (level 9), then a
/// pyramid of levels 8 down to 1 in which everyone reports to someone one or
/// two levels above them in their department.
fn org_chart(rng: &mut fastrand::Rng, n: usize) -> Vec<Draft> {
    let mut people = vec![Draft { department: usize::MAX, manager: None, level: 10 }];
    let total_weight: u32 = DEPARTMENTS.iter().map(|d| d.1).sum();
    let budget = n.saturating_sub(1);
    for (d, (_, weight)) in DEPARTMENTS.iter().enumerate() {
        if people.len() >= n {
            break;
        }
        let quota = if d + 1 == DEPARTMENTS.len() {
            n - people.len()
        } else {
            ((budget as u64 * u64::from(*weight)) / u64::from(total_weight)).max(1) as usize
        };
        let head = people.len();
        people.push(Draft { department: d, manager: Some(0), level: 9 });
        // Managers available at each level of this department, head included.
        let mut by_level: Vec<Vec<usize>> = vec![Vec::new(); 11];
        by_level[9].push(head);
        let rest = quota.saturating_sub(1);
        let mut made = 0;
        for level in (1..=8).rev() {
            let share = LEVEL_SHARE[level as usize - 1];
            let count =
                if level == 1 { rest - made } else { ((rest as f64 * share).round() as usize).min(rest - made) };
            for _ in 0..count {
                let above = if rng.u32(0..4) == 0 { level + 2 } else { level + 1 };
                let pool = (above..=9).map(|l| &by_level[l as usize]).find(|p| !p.is_empty());
                let manager = pool.map_or(head, |p| p[rng.usize(..p.len())]);
                let id = people.len();
                people.push(Draft { department: d, manager: Some(manager), level });
                by_level[level as usize].push(id);
            }
            made += count;
        }
    }
    people.truncate(n.max(1));
    people
}

fn person(rng: &mut fastrand::Rng, index: usize, draft: &Draft) -> Person {
    let reference = Date::parse(REFERENCE_DAY).map(Date::days_since_epoch).unwrap_or(0);
    // Seniority comes with tenure, with plenty of exceptions.
    let years = (draft.level as f64 * 1.6 + rng.f64() * 8.0 - 3.0).clamp(0.1, 35.0);
    let hire = Date::from_days_since_epoch(reference - (years * 365.0) as i64)
        .unwrap_or(Date::parse(REFERENCE_DAY).expect("fixed date"));
    let first = FIRST[rng.usize(..FIRST.len())];
    let last = LAST[rng.usize(..LAST.len())];
    let department = DEPARTMENTS.get(draft.department).map_or("Executive", |d| d.0);
    let perspectives = if draft.level <= 4 {
        let k = rng.usize(1..=3);
        let mut picks: Vec<&str> = (0..k).map(|_| PERSPECTIVES[rng.usize(..PERSPECTIVES.len())]).collect();
        picks.dedup();
        picks.join(";")
    } else {
        String::new()
    };
    let end_date = if rng.u32(0..100) < 4 {
        Date::from_days_since_epoch(reference - rng.i64(0..300))
            .filter(|d| *d > hire)
            .map(|d| d.to_string())
            .unwrap_or_default()
    } else {
        String::new()
    };
    RawPerson {
        employee_id: format!("D{:06}", index + 1),
        name: format!("{first} {last}"),
        email: format!("{}.{}.{}@demo.perspective-lab.test", first.to_lowercase(), last.to_lowercase(), index + 1),
        department: department.to_owned(),
        manager_id: draft.manager.map(|m| format!("D{:06}", m + 1)).unwrap_or_default(),
        hire_date: hire.to_string(),
        level: draft.level.to_string(),
        title: title(draft.level, department),
        perspectives,
        end_date,
        location: ["London", "Chicago", "Berlin", "Singapore", "Remote"][rng.usize(..5)].to_owned(),
        timezone: String::new(),
    }
    .parse()
    .expect("demo people are valid by construction")
}

fn title(level: i32, department: &str) -> String {
    match level {
        10 => "Chief Executive Officer".to_owned(),
        9 => format!("Head of {department}"),
        7..=8 => format!("Director, {department}"),
        5..=6 => format!("Manager, {department}"),
        3..=4 => format!("Senior Associate, {department}"),
        _ => format!("Associate, {department}"),
    }
}

fn question(rng: &mut fastrand::Rng) -> &'static str {
    match rng.u32(0..10) {
        0..=2 => WEAK_QUESTIONS[rng.usize(..WEAK_QUESTIONS.len())],
        3..=4 => FAIR_QUESTIONS[rng.usize(..FAIR_QUESTIONS.len())],
        _ => STRONG_QUESTIONS[rng.usize(..STRONG_QUESTIONS.len())],
    }
}

/// Generates the organisation only (no database), for tests and benchmarks.
pub fn organisation(n: usize, seed: u64) -> Vec<Person> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let drafts = org_chart(&mut rng, n);
    drafts.iter().enumerate().map(|(i, d)| person(&mut rng, i, d)).collect()
}

/// Fills the database: the organisation, then a program with a sponsor,
/// leaders (about 5% of people, senior; not the CEO, whom everyone reports to) with questions, and junior mentors.
/// What `build` makes: `people` in the organisation, the same for the same
/// `seed`, with a program that began `weeks` ago.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub people: usize,
    pub seed: u64,
    pub weeks: u32,
}

impl Default for Size {
    fn default() -> Size {
        Size { people: DEFAULT_PEOPLE, seed: 1, weeks: DEFAULT_WEEKS }
    }
}

pub async fn build(store: &Store, vault: &Vault, size: Size, password: &str) -> Result<DemoSummary, AppError> {
    let Size { people: n, seed, weeks } = size;
    // Hash the shared demo password once: argon2id is slow on purpose.
    let password_hash = crate::accounts::hash_password(password)?;
    if !(20..=1_000_000).contains(&n) {
        return Err(AppError::invalid(Problem::new(plab_domain::words::between(n, 20, 1_000_000)).field("people")));
    }
    if !(DEFAULT_WEEKS..=MAX_WEEKS).contains(&weeks) {
        return Err(AppError::invalid(
            Problem::new(plab_domain::words::between(weeks, DEFAULT_WEEKS, MAX_WEEKS)).field("weeks"),
        ));
    }
    let org = organisation(n, seed);
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    let existing = store.directory_keys().await?;
    let rows: Vec<people::Row> = org.iter().cloned().map(|person| people::Row { line: 0, person }).collect();
    let problems = people::check_against_directory("demo", &rows, &existing);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    store.upsert_people(&org, &|_| {}).await?;

    // The program began `weeks` ago, so the pairs have a history of sessions;
    // a long history plans enough sessions to fill it at the cadence.
    let defaults = ProgramSettings::default();
    let settings = ProgramSettings {
        adjacent_departments: ADJACENT.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect(),
        sessions: (weeks * 7 / defaults.cadence_days.max(1) + 1).clamp(defaults.sessions, 52),
        min_group_size: defaults.group_size(crate::settings::group_size_floor(store).await?),
        ..defaults
    };
    let today = crate::sessions::today();
    let starts =
        Date::from_days_since_epoch(today.days_since_epoch() - i64::from(weeks) * 7).unwrap_or(today).to_string();
    let program =
        programs::create(store, &format!("Perspective Lab pilot (seed {seed})"), &starts, settings, DEMO).await?;

    let active: Vec<&Person> = org.iter().filter(|p| p.end_date.is_none()).collect();
    let sponsor = active
        .iter()
        .find(|p| p.department.as_str() == "People" && p.level.value() >= 7)
        .or_else(|| active.first())
        .ok_or_else(|| AppError::invalid(Problem::new("the demo organisation is empty")))?;
    let mut seniors: Vec<&Person> = active
        .iter()
        .filter(|p| (6..=9).contains(&p.level.value()) && p.employee_id != sponsor.employee_id)
        .copied()
        .collect();
    rng.shuffle(&mut seniors);
    seniors.truncate((n / 20).max(2));
    seniors.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));
    let mut juniors: Vec<&Person> =
        active.iter().filter(|p| p.level.value() <= 3 && !p.perspectives.is_empty()).copied().collect();
    rng.shuffle(&mut juniors);
    juniors.truncate(seniors.len() * 3 / 2 + 1);
    juniors.sort_by(|a, b| a.employee_id.cmp(&b.employee_id));

    let ids = |ps: &[&Person]| ps.iter().map(|p| p.employee_id.to_string()).collect::<Vec<_>>();
    programs::enroll(store, program, Role::Sponsor, &[sponsor.employee_id.to_string()], None, DEMO).await?;
    programs::enroll(store, program, Role::Leader, &ids(&seniors), None, DEMO).await?;
    programs::enroll(store, program, Role::Mentor, &ids(&juniors), None, DEMO).await?;
    for leader in &seniors {
        programs::set_question(store, program, leader.employee_id.as_str(), question(&mut rng)).await?;
    }
    let admin = "admin@demo.perspective-lab.test".to_owned();
    crate::accounts::upsert_with_hash(store, &admin, &password_hash, true).await?;
    for p in std::iter::once(*sponsor).chain(seniors.iter().copied()).chain(juniors.iter().copied()) {
        crate::accounts::upsert_with_hash(store, p.email.as_str(), &password_hash, false).await?;
    }
    pair_and_accept(store, program, &mut rng).await?;
    history::build(store, vault, program, today, weeks, &mut rng).await?;
    fit::build(store, program).await?;
    protection::build(store, program, &password_hash, today, &mut rng).await?;
    commitments::build(store, program, today).await?;
    let (next, reciprocal) = cohorts::build(store, program, today, &mut rng).await?;
    Ok(DemoSummary {
        program: program.0,
        next_program: next.0,
        reciprocal_program: reciprocal.0,
        admin,
        sponsor: sponsor.email.to_string(),
        leaders: seniors.iter().map(|p| p.email.to_string()).collect(),
        mentors: juniors.iter().map(|p| p.email.to_string()).collect(),
    })
}

/// Pairs the leaders with the engine, approves the proposal, and has most
/// pairs accept the lab rules (a few stay `forming`, one partner still to sign).
async fn pair_and_accept(store: &Store, program: ProgramId, rng: &mut fastrand::Rng) -> Result<(), AppError> {
    crate::pairing::propose(store, program, false, |_| {}, DEMO).await?;
    crate::pairing::approve(store, program, None, DEMO).await?;
    for pair in store.pairs(program).await? {
        store.accept_charter(pair.id, &pair.pair.leader).await?;
        if rng.u32(0..10) < 8 {
            store.accept_charter(pair.id, &pair.pair.mentor).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use plab_domain::org::check_org_chart;

    #[test]
    fn the_same_seed_gives_the_same_organisation() {
        assert_eq!(organisation(500, 7), organisation(500, 7));
        assert_ne!(organisation(500, 7), organisation(500, 8));
    }

    #[test]
    fn the_organisation_is_a_valid_pyramid() {
        let org = organisation(2_000, 1);
        assert_eq!(org.len(), 2_000);
        let edges = org.iter().map(|p| (p.employee_id.as_str(), p.manager_id.as_ref().map(|m| m.as_str())));
        assert!(check_org_chart(edges).is_empty());
        let seniors = org.iter().filter(|p| p.level.value() >= 6).count();
        let juniors = org.iter().filter(|p| p.level.value() <= 3).count();
        assert!(juniors > 3 * seniors, "a pyramid: {juniors} juniors vs {seniors} seniors");
        let depts: std::collections::HashSet<_> = org.iter().map(|p| p.department.as_str()).collect();
        assert_eq!(depts.len(), DEPARTMENTS.len() + 1);
    }

    #[test]
    fn the_demo_question_bank_spans_weak_and_strong() {
        use plab_domain::coach::{Strength, assess};
        assert!(WEAK_QUESTIONS.iter().all(|q| assess(q).strength == Strength::Weak));
        assert!(STRONG_QUESTIONS.iter().all(|q| assess(q).strength == Strength::Strong));
    }
}
