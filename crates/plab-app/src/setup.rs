//! Setting a program up without a terminal: opening it (its opener becomes
//! its sponsor), finding people by name, department or level, enrolling them
//! as leaders, mentors or co-sponsors, and seeing how far each one is.
//! Who may do what is decided in `access`, first in every service.
use crate::accounts::Actor;
use crate::{AppError, Problem, access, programs};
use plab_domain::program::{ProgramSettings, Role};
use plab_store::{ProgramId, RosterEntry, Store};
use serde::Serialize;

/// Opens a program. The person who opens it is its sponsor, with `sponsor`
/// (an employee id or a directory e-mail) as co-sponsor when given; an
/// administrator who is no one in the organisation must name that sponsor,
/// so that no program is left without one. Nothing is written when any of it
/// is wrong.
pub async fn open_program(
    store: &Store,
    actor: &Actor,
    name: &str,
    starts_on: &str,
    settings: ProgramSettings,
    sponsor: Option<&str>,
) -> Result<ProgramId, AppError> {
    access::program_opener(store, actor).await?;
    let (sponsors, problems) = opening_problems(store, actor, name, starts_on, &settings, sponsor).await?;
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let program = programs::create(store, name, starts_on, settings, &actor.email).await?;
    programs::enroll(store, program, Role::Sponsor, &sponsors, None, &actor.email).await?;
    Ok(program)
}

/// Everything wrong with a program about to be opened, all at once (its
/// name, start date, settings and sponsor), and its sponsors when nothing is.
pub async fn opening_problems(
    store: &Store,
    actor: &Actor,
    name: &str,
    starts_on: &str,
    settings: &ProgramSettings,
    sponsor: Option<&str>,
) -> Result<(Vec<String>, Vec<Problem>), AppError> {
    let mut problems: Vec<Problem> = Vec::new();
    problems.extend(plab_domain::program::ProgramName::parse(name).err().map(Problem::from));
    if let Err(e) = plab_domain::Date::parse(starts_on) {
        problems.push(Problem::new(format!("{e}: use a date such as 2027-03-01")).field("starts_on"));
    }
    if let Err(errors) = settings.validate() {
        problems.extend(errors.into_iter().map(Problem::from));
    }
    let named = match sponsor.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(who) => {
            let found = directory_person(store, who).await?;
            if found.is_none() {
                problems.push(
                    Problem::new(format!(
                        "nobody in the directory is '{who}': enter a colleague's employee id or work e-mail"
                    ))
                    .field("sponsor"),
                );
            }
            found
        }
    };
    let sponsors: Vec<String> = actor.employee_id.iter().cloned().chain(named).collect();
    if sponsors.is_empty() && !problems.iter().any(|p| p.field.as_deref() == Some("sponsor")) {
        problems
            .push(Problem::new("name the program's sponsor: you are not in the directory yourself").field("sponsor"));
    }
    Ok((sponsors, problems))
}

/// The employee id of the person with this id or directory e-mail.
async fn directory_person(store: &Store, who: &str) -> Result<Option<String>, AppError> {
    match store.person(who).await {
        Ok(p) => Ok(Some(p.employee_id.to_string())),
        Err(plab_store::StoreError::NotFound { .. }) => Ok(store.employee_id_by_email(&who.to_lowercase()).await?),
        Err(e) => Err(e.into()),
    }
}

/// A person found for enrolment, with the roles they already hold here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FoundPerson {
    pub id: String,
    pub name: String,
    pub email: String,
    pub title: Option<String>,
    pub department: String,
    pub level: i64,
    /// `sponsor`, `leader` or `mentor` in this program already.
    pub roles: Vec<String>,
}

/// Enrols these people in one role (a mentor with this capacity, else the
/// program's default); the program's sponsors only, so a sponsor adds
/// co-sponsors. All or nothing: a person who is unknown, has left, or already
/// holds another role here (one person, one role per program) is named and
/// nobody is enrolled.
pub async fn enrol(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    role: Role,
    ids: &[String],
    capacity: Option<u32>,
) -> Result<usize, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    crate::life::refuse_unless(store, program, plab_domain::life::Action::Enrol).await?;
    let ids: Vec<String> = ids.iter().map(|id| id.trim().to_owned()).filter(|id| !id.is_empty()).collect();
    if ids.is_empty() {
        return Err(AppError::invalid(Problem::new("choose at least one person").field("people")));
    }
    let today = crate::sessions::today();
    let mut problems = Vec::new();
    for id in &ids {
        match store.person(id).await {
            Ok(person) if person.end_date.is_some_and(|left| left <= today) => {
                problems.push(Problem::new(format!("{} has left the organisation", person.name)).at(id.clone()));
            }
            Ok(_) => {}
            Err(plab_store::StoreError::NotFound { .. }) => {
                problems.push(Problem::new("nobody in the directory has this employee id").at(id.clone()));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let wanted: Vec<(&str, Role)> = ids.iter().map(|id| (id.as_str(), role)).collect();
    problems.extend(programs::role_problems(store, program, &wanted).await?);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    programs::enroll(store, program, role, &ids, capacity, &actor.email).await?;
    Ok(ids.len())
}

/// One enrolment and how far the person is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Enrolled {
    pub id: String,
    pub name: String,
    pub email: String,
    pub title: Option<String>,
    pub department: String,
    pub level: i64,
    /// `sponsor`, `leader` or `mentor`.
    pub role: String,
    /// How many leaders a mentor may be paired with.
    pub capacity: u32,
    /// A mentor who stepped out of pairing.
    pub opted_out: bool,
    /// They have set a password and signed in at least once.
    pub signed_in: bool,
    /// When they last signed in, as a page shows it (`Thu 29 Oct 2026, 10:00 UTC`).
    pub last_sign_in: Option<String>,
    /// Their account has a password (they can sign in).
    pub account_ready: bool,
    /// A leader has written a research question.
    pub has_question: bool,
    /// They accepted the lab rules in a pair.
    pub accepted_rules: bool,
}

impl Enrolled {
    /// The entry, with its last sign-in shown in `zone`.
    fn of(e: RosterEntry, zone: &plab_domain::zone::Zone) -> Enrolled {
        Enrolled {
            last_sign_in: e.last_sign_in.as_deref().map(|t| zone.human_text(t)),
            signed_in: e.last_sign_in.is_some(),
            id: e.employee_id,
            name: e.name,
            email: e.email,
            title: e.title,
            department: e.department,
            level: e.level,
            role: e.role.as_str().to_owned(),
            capacity: e.capacity,
            opted_out: e.opted_out,
            account_ready: e.account_ready,
            has_question: e.has_question,
            accepted_rules: e.accepted_rules,
        }
    }
}

/// A program's name and everyone enrolled in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub program_name: String,
    pub people: Vec<Enrolled>,
}

/// Everyone enrolled, with how far they are, by role then name; the program's sponsors only.
pub async fn roster(store: &Store, actor: &Actor, program: ProgramId) -> Result<Roster, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let zone = crate::accounts::zone_of(store, actor).await?;
    let people = store.roster(program).await?.into_iter().map(|e| Enrolled::of(e, &zone)).collect();
    Ok(Roster { program_name: store.program(program).await?.name.to_string(), people })
}

/// Search results and rosters show this many people a page.
pub const PER_PAGE: u32 = 50;

/// One page of a list and where it sits: the page (from 1), how many pages, how many in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Paging {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
}

impl Paging {
    /// Page `asked` (1 when none or out of range, the last past the end) of `total` items.
    pub fn of(asked: Option<u64>, total: u64) -> Paging {
        let pages = total.div_ceil(u64::from(PER_PAGE)).max(1);
        Paging { page: asked.unwrap_or(1).clamp(1, pages), pages, total }
    }

    /// How many items come before this page.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * u64::from(PER_PAGE)
    }
}

/// The level typed in a search, if any.
fn parse_level(level: Option<&str>) -> Result<Option<i64>, AppError> {
    match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(raw) => Ok(Some(raw.parse::<i64>().map_err(|_| {
            AppError::invalid(Problem::new(format!("'{raw}' is not a level: use a whole number")).field("level"))
        })?)),
    }
}

/// One page of a directory search and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    pub people: Vec<FoundPerson>,
    pub paging: Paging,
}

/// People still with the organisation whose name, e-mail, id, title or
/// department contains `text`, at `level` when given, one page at a time
/// (`PER_PAGE` a page), with the count of everyone who matches; the
/// program's sponsors only.
pub async fn find_people_page(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    text: &str,
    level: Option<&str>,
    page: Option<u64>,
) -> Result<Found, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let level = parse_level(level)?;
    if text.trim().is_empty() && level.is_none() {
        return Ok(Found::default());
    }
    let today = crate::sessions::today().to_string();
    let paging = Paging::of(page, store.count_found_people(text, level, &today).await?);
    let found = store.found_people_page(text, level, &today, PER_PAGE, paging.offset()).await?;
    let roster = store.roster(program).await?;
    let people = found
        .into_iter()
        .map(|p| {
            let id = p.employee_id.to_string();
            let roles = roster.iter().filter(|e| e.employee_id == id).map(|e| e.role.as_str().to_owned()).collect();
            FoundPerson {
                name: p.name.to_string(),
                email: p.email.to_string(),
                title: p.title.as_ref().map(ToString::to_string),
                department: p.department.to_string(),
                level: i64::from(p.level.value()),
                roles,
                id,
            }
        })
        .collect();
    Ok(Found { people, paging })
}

/// Enrols everyone the search matches in one role ("select all N
/// matching"), leaving out those who already hold a role in the program;
/// returns how many were enrolled. The program's sponsors only.
pub async fn enrol_all_matching(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    role: Role,
    text: &str,
    level: Option<&str>,
    capacity: Option<u32>,
) -> Result<usize, AppError> {
    access::sponsor_of_program(store, actor, program).await?;
    let level = parse_level(level)?;
    if text.trim().is_empty() && level.is_none() {
        return Err(AppError::invalid(Problem::new("search for the people to enrol first").field("people")));
    }
    let today = crate::sessions::today().to_string();
    let roster = store.roster(program).await?;
    let ids: Vec<String> = store
        .found_people_ids(text, level, &today)
        .await?
        .into_iter()
        .filter(|id| !roster.iter().any(|e| &e.employee_id == id))
        .collect();
    if ids.is_empty() {
        return Err(AppError::invalid(
            Problem::new("everyone who matches is already enrolled in this program").field("people"),
        ));
    }
    enrol(store, actor, program, role, &ids, capacity).await
}

/// One page of the roster (`PER_PAGE` people, by role then name) and its counts.
pub async fn roster_page(
    store: &Store,
    actor: &Actor,
    program: ProgramId,
    page: Option<u64>,
) -> Result<(Roster, Paging), AppError> {
    let mut roster = roster(store, actor, program).await?;
    let paging = Paging::of(page, roster.people.len() as u64);
    let from = usize::try_from(paging.offset()).unwrap_or(usize::MAX).min(roster.people.len());
    roster.people = roster.people.split_off(from);
    roster.people.truncate(PER_PAGE as usize);
    Ok((roster, paging))
}

/// Takes a person out of the program, as its sponsor: every role they hold
/// there, the pins and forbids naming them and any open proposal go; what
/// they wrote and their ended pairs stay. Refused, saying why, for someone
/// in a pair that has not ended, for oneself, and for the last sponsor.
/// Audited. Returns their name.
pub async fn unenrol(store: &Store, actor: &Actor, program: ProgramId, employee_id: &str) -> Result<String, AppError> {
    let me = access::sponsor_of_program(store, actor, program).await?;
    let id = employee_id.trim();
    let roster = store.roster(program).await?;
    let Some(entry) = roster.iter().find(|e| e.employee_id == id) else {
        return Err(AppError::invalid(Problem::new("this person is not enrolled in this program").field("person")));
    };
    let name = entry.name.clone();
    if id == me {
        return Err(AppError::Conflict("you cannot take yourself out of your own program: another sponsor can".into()));
    }
    let sponsors = roster.iter().filter(|e| e.role == Role::Sponsor).count();
    if entry.role == Role::Sponsor && sponsors <= 1 {
        return Err(AppError::Conflict(format!("{name} is the program's only sponsor: enrol another sponsor first")));
    }
    let open = store
        .pairs(program)
        .await?
        .into_iter()
        .find(|p| p.status != plab_domain::pair::PairStatus::Ended && (p.pair.leader == id || p.pair.mentor == id));
    if let Some(pair) = open {
        let partner = if pair.pair.leader == id { &pair.pair.mentor } else { &pair.pair.leader };
        let partner =
            store.person(partner).await.map(|p| p.name.to_string()).unwrap_or_else(|_| "their partner".into());
        let state = if pair.status == plab_domain::pair::PairStatus::Active {
            "an active pair"
        } else {
            "a pair that is about to start"
        };
        return Err(AppError::Conflict(format!(
            "{name} is in {state} with {partner}: end that pair first (on the pairing page), then take {name} out"
        )));
    }
    let roles: Vec<&str> = roster.iter().filter(|e| e.employee_id == id).map(|e| e.role.as_str()).collect();
    store.unenrol(program, id).await?;
    store
        .audit(&actor.email, "program.unenrol", &format!("program {program}"), &format!("{id} ({})", roles.join(", ")))
        .await?;
    Ok(name)
}
