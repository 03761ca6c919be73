//! Setting a program up in the browser: open it with its settings explained,
//! then find people by name, department or level and enrol them as leaders,
//! mentors or co-sponsors, seeing how far each enrolled person is.
use super::routing::{Router, get, post};
use super::{CarriesCsrf, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use plab_app::invitations::{self, InvitationStatus, Whom};
use plab_app::setup::{self, Enrolled, FoundPerson, Paging};
use plab_app::{AppError, Problem};
use plab_domain::program::{ProgramSettings, Role};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/new", get(new_program).post(open_program))
        .route("/programs/{program}/people", get(people).post(enrol))
        .route("/programs/{program}/people/invite", post(invite))
        .route("/programs/{program}/people/unenrol", post(unenrol))
}

/// One input of the new-program form, with its explanation and its error.
struct Field {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    help: &'static str,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "program_new.html")]
struct NewProgramPage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    fields: Vec<Field>,
    /// Every problem, at the top, linking to its field.
    summary: Vec<super::form::SummaryItem>,
}

#[derive(Deserialize, Default)]
struct ProgramForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    sessions: String,
    #[serde(default)]
    cadence_days: String,
    #[serde(default)]
    session_minutes: String,
    #[serde(default)]
    checkin_after: String,
    #[serde(default)]
    min_group_size: String,
    #[serde(default)]
    default_mentor_capacity: String,
    #[serde(default)]
    sponsor: String,
}

impl CarriesCsrf for ProgramForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// The numeric settings the form offers: (field, label, help).
const SETTINGS: [(&str, &str, &str); 6] = [
    ("sessions", "Sessions per pair", "How many sessions each pair plans once both partners accept the lab rules."),
    ("cadence_days", "Days between sessions", "The protocol's rhythm is every two weeks (14 days)."),
    ("session_minutes", "Minutes per session", "The agenda's segments are shares of this length (60 by default)."),
    (
        "checkin_after",
        "Check-in after session",
        "Each partner's separate check-in falls due after this held session (3 or 4).",
    ),
    (
        "min_group_size",
        "Minimum group size",
        "Averages of private answers stay hidden until this many people have answered; never below this instance's floor, which only its operator changes.",
    ),
    (
        "default_mentor_capacity",
        "Leaders per mentor",
        "How many leaders a mentor may be paired with unless set per mentor.",
    ),
];

fn setting_value(s: &ProgramSettings, field: &str) -> u32 {
    match field {
        "sessions" => s.sessions,
        "cadence_days" => s.cadence_days,
        "session_minutes" => s.session_minutes,
        "checkin_after" => s.checkin_after,
        "min_group_size" => s.min_group_size,
        _ => s.default_mentor_capacity,
    }
}

fn new_program_page(visitor: &SignedIn, form: &ProgramForm, problems: &[Problem]) -> NewProgramPage {
    let error = |field: &str| {
        let messages: Vec<&str> =
            problems.iter().filter(|p| p.field.as_deref() == Some(field)).map(|p| p.message.as_str()).collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    };
    let mut fields = vec![
        Field {
            name: "name",
            label: "Program name",
            kind: "text",
            value: form.name.clone(),
            help: "What participants and sponsors will see, e.g. \"Spring cohort 2027\".",
            error: error("name"),
        },
        Field {
            name: "starts_on",
            label: "Starts on",
            kind: "date",
            value: form.starts_on.clone(),
            help: "The first day of the program (YYYY-MM-DD).",
            error: error("starts_on"),
        },
        Field {
            name: "sponsor",
            label: "Co-sponsor (employee id or e-mail)",
            kind: "text",
            value: form.sponsor.clone(),
            help: "Optional: you are the sponsor. An administrator who is not in the directory names the sponsor here.",
            error: error("sponsor"),
        },
    ];
    for (name, label, help) in SETTINGS {
        let value = match name {
            "sessions" => &form.sessions,
            "cadence_days" => &form.cadence_days,
            "session_minutes" => &form.session_minutes,
            "checkin_after" => &form.checkin_after,
            "min_group_size" => &form.min_group_size,
            _ => &form.default_mentor_capacity,
        };
        fields.push(Field { name, label, kind: "number", value: value.clone(), help, error: error(name) });
    }
    let labels: Vec<(&str, &str)> = fields.iter().map(|f| (f.name, f.label)).collect();
    let summary = super::form::Errors(problems.to_vec()).summary(&labels);
    NewProgramPage { signed_in: Some(visitor.chrome()), csrf: visitor.csrf.clone(), fields, summary }
}

async fn new_program(State(s): State<AppState>, visitor: SignedIn) -> Result<NewProgramPage, PageError> {
    plab_app::access::program_opener(&s.store, &visitor.actor).await?;
    let defaults = plab_app::settings::get(&s.store).await?.program_defaults;
    let value = |field: &str| setting_value(&defaults, field).to_string();
    let form = ProgramForm {
        starts_on: plab_app::sessions::today().to_string(),
        sessions: value("sessions"),
        cadence_days: value("cadence_days"),
        session_minutes: value("session_minutes"),
        checkin_after: value("checkin_after"),
        min_group_size: value("min_group_size"),
        default_mentor_capacity: value("default_mentor_capacity"),
        ..ProgramForm::default()
    };
    Ok(new_program_page(&visitor, &form, &[]))
}

async fn open_program(
    State(s): State<AppState>,
    super::Checked(visitor, form): super::Checked<ProgramForm>,
) -> Result<Response, PageError> {
    plab_app::access::program_opener(&s.store, &visitor.actor).await?;
    let mut settings = plab_app::settings::get(&s.store).await?.program_defaults;
    let mut problems = Vec::new();
    for (field, raw) in [
        ("sessions", &form.sessions),
        ("cadence_days", &form.cadence_days),
        ("session_minutes", &form.session_minutes),
        ("checkin_after", &form.checkin_after),
        ("min_group_size", &form.min_group_size),
        ("default_mentor_capacity", &form.default_mentor_capacity),
    ] {
        match raw.trim().parse::<u32>() {
            Ok(v) => match field {
                "sessions" => settings.sessions = v,
                "cadence_days" => settings.cadence_days = v,
                "session_minutes" => settings.session_minutes = v,
                "checkin_after" => settings.checkin_after = v,
                "min_group_size" => settings.min_group_size = v,
                _ => settings.default_mentor_capacity = v,
            },
            Err(_) => problems.push(Problem::new(plab_domain::words::whole_number(raw, 14)).field(field)),
        }
    }
    let opened = if problems.is_empty() {
        setup::open_program(&s.store, &visitor.actor, &form.name, &form.starts_on, settings, Some(&form.sponsor)).await
    } else {
        // Report what the service would refuse too, all at once: the name, the date, the sponsor.
        let (_, more) = setup::opening_problems(
            &s.store,
            &visitor.actor,
            &form.name,
            &form.starts_on,
            &settings,
            Some(&form.sponsor),
        )
        .await?;
        let more: Vec<Problem> = more.into_iter().filter(|p| !problems.iter().any(|q| q.field == p.field)).collect();
        problems.extend(more);
        Err(AppError::Invalid(problems))
    };
    match opened {
        // An administrator who is no one in the organisation is in no program: home, where it is listed.
        Ok(_) if visitor.actor.employee_id.is_none() => Ok(Redirect::to("/home").into_response()),
        Ok(program) => Ok(Redirect::to(&format!("/programs/{program}/people?opened=1")).into_response()),
        Err(AppError::Invalid(problems)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, new_program_page(&visitor, &form, &problems)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// One enrolled person as the roster shows them: how far they are, where
/// their invitation stands, and what the last action said about them.
struct RosterRow {
    e: Enrolled,
    invitation: Option<InvitationStatus>,
    /// Why the last action on this person was refused or left them out.
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "program_people.html")]
struct PeoplePage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    program_name: String,
    notice: Option<String>,
    problems: Vec<String>,
    /// What the summary above `problems` says (what was not done).
    problems_title: String,
    /// What is wrong with the search itself, shown by its form.
    search_problems: Vec<String>,
    query: String,
    level: String,
    found: Vec<FoundPerson>,
    searched: bool,
    /// The search's page, pages and count.
    found_paging: Paging,
    /// `q=…&level=…`, for links to other pages of the search.
    search_qs: String,
    /// The enrol form as sent, when it was refused.
    kept: EnrolKept,
    /// Sponsors, leaders and mentors in all.
    counts: [usize; 3],
    roster: Vec<RosterRow>,
    roster_paging: Paging,
    /// Whether this instance sends mail (else no invitation can go out).
    mail_on: bool,
    /// Enrolled people never invited who have not signed in yet.
    not_yet_invited: usize,
    /// The sponsor's own employee id: their row offers no "Unenrol", which would be refused.
    me: Option<String>,
    resend_minutes: i64,
}

/// The enrol form's input, kept when it is refused.
#[derive(Default)]
struct EnrolKept {
    role: String,
    capacity: String,
    capacity_error: Option<String>,
    chosen: Vec<String>,
    all_matching: bool,
}

impl PeoplePage {
    fn is_me(&self, id: &str) -> bool {
        self.me.as_deref() == Some(id)
    }

    fn chosen(&self, id: &str) -> bool {
        self.kept.chosen.iter().any(|c| c == id)
    }

    fn role_checked(&self, role: &str) -> bool {
        self.kept.role == role || (self.kept.role.is_empty() && role == "leader")
    }

    /// The address of page `n` of the search, on the same roster page.
    fn search_page(&self, n: u64) -> String {
        format!("?{}&page={n}&roster_page={}#found", self.search_qs, self.roster_paging.page)
    }

    /// The address of page `n` of the roster, on the same search page.
    fn roster_page(&self, n: u64) -> String {
        format!("?{}&page={}&roster_page={n}#roster", self.search_qs, self.found_paging.page)
    }
}

#[derive(Deserialize, Default)]
struct PeopleQuery {
    q: Option<String>,
    level: Option<String>,
    page: Option<String>,
    roster_page: Option<String>,
    opened: Option<String>,
    enrolled: Option<String>,
    role: Option<String>,
    unenrolled: Option<String>,
}

/// A page number as typed in an address: anything that is not one is page 1.
fn page_number(raw: Option<&str>) -> Option<u64> {
    raw.and_then(|p| p.trim().parse::<u64>().ok())
}

/// What a page shows besides the lists: a notice, problems and the reasons beside people.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    problems: Vec<String>,
    problems_title: String,
    beside: Vec<(String, String)>,
    kept: EnrolKept,
}

async fn people_page(
    s: &AppState,
    visitor: &SignedIn,
    program: plab_store::ProgramId,
    query: &PeopleQuery,
    shown: Shown,
) -> Result<PeoplePage, PageError> {
    let (setup::Roster { program_name, people }, roster_paging) =
        setup::roster_page(&s.store, &visitor.actor, program, page_number(query.roster_page.as_deref())).await?;
    let all = setup::roster(&s.store, &visitor.actor, program).await?.people;
    let counts = ["sponsor", "leader", "mentor"].map(|role| all.iter().filter(|e| e.role == role).count());
    let invitations = invitations::statuses(&s.store, &visitor.actor, program).await?;
    let text = query.q.clone().unwrap_or_default();
    let level = query.level.clone().unwrap_or_default();
    let searched = !text.trim().is_empty() || !level.trim().is_empty();
    let mut search_problems = Vec::new();
    let page = page_number(query.page.as_deref());
    let found = match setup::find_people_page(&s.store, &visitor.actor, program, &text, Some(&level), page).await {
        Ok(found) => found,
        Err(AppError::Invalid(wrong)) => {
            search_problems = wrong.iter().map(|p| p.message.clone()).collect();
            setup::Found::default()
        }
        Err(other) => return Err(other.into()),
    };
    let not_yet_invited = invitations.iter().filter(|i| i.status == "not_invited" && i.can_invite).count();
    let roster = people
        .into_iter()
        .map(|e| RosterRow {
            invitation: invitations.iter().find(|i| i.employee_id == e.id).cloned(),
            error: shown.beside.iter().find(|(id, _)| *id == e.id).map(|(_, why)| why.clone()),
            e,
        })
        .collect();
    Ok(PeoplePage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf.clone(),
        program: program.0,
        program_name,
        notice: shown.notice,
        problems: shown.problems,
        problems_title: shown.problems_title,
        search_problems,
        search_qs: format!("q={}&level={}", super::percent_encode(&text), super::percent_encode(&level)),
        query: text,
        level,
        found: found.people,
        found_paging: found.paging,
        searched,
        kept: shown.kept,
        counts,
        roster,
        roster_paging,
        mail_on: s.post.is_on(),
        not_yet_invited,
        me: visitor.actor.employee_id.clone(),
        resend_minutes: invitations::RESEND_MINUTES,
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

async fn people(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<PeopleQuery>,
) -> Result<PeoplePage, PageError> {
    let program = crate::path_program(&raw)?;
    let notice = if query.opened.is_some() {
        Some("The program is open, and you are its sponsor. Now enrol its leaders and mentors.".to_owned())
    } else if query.unenrolled.is_some() {
        Some("Taken out of the program. What they wrote and any pair that ended stay as they were.".to_owned())
    } else {
        let n = query.enrolled.as_deref().and_then(|n| n.parse::<usize>().ok());
        let role = query.role.as_deref().and_then(|r| Role::parse(r).ok());
        n.zip(role).map(|(n, role)| {
            let role = if role == Role::Sponsor { "co-sponsor" } else { role.as_str() };
            if n == 1 { format!("Enrolled 1 person as a {role}.") } else { format!("Enrolled {n} people as {role}s.") }
        })
    };
    people_page(&s, &visitor, program, &query, Shown { notice, ..Shown::default() }).await
}

#[derive(Deserialize)]
struct EnrolForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    person: Vec<String>,
    #[serde(default)]
    all_matching: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    roster_page: String,
}

/// The search and roster page a form came from, to show again.
fn back_to(q: &str, level: &str, page: &str, roster_page: &str) -> PeopleQuery {
    PeopleQuery {
        q: Some(q.to_owned()),
        level: Some(level.to_owned()),
        page: Some(page.to_owned()),
        roster_page: Some(roster_page.to_owned()),
        ..PeopleQuery::default()
    }
}

async fn enrol(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<EnrolForm>,
) -> Result<Response, PageError> {
    visitor.check_csrf(&form.csrf)?;
    let program = crate::path_program(&raw)?;
    let role = Role::parse(&form.role)
        .map_err(|_| AppError::invalid(Problem::new("choose leaders, mentors or co-sponsors").field("role")));
    let capacity = match form.capacity.trim() {
        "" => Ok(None),
        raw => raw.parse::<u32>().ok().filter(|c| (1..=10).contains(c)).map(Some).ok_or_else(|| {
            AppError::invalid(
                Problem::new("a mentor takes 1 to 10 leaders: give a number in that range").field("capacity"),
            )
        }),
    };
    let all_matching = matches!(form.all_matching.as_str(), "1" | "on" | "true");
    let done = match (role, capacity) {
        (Ok(role), Ok(capacity)) if all_matching => {
            let level = Some(form.level.as_str());
            setup::enrol_all_matching(&s.store, &visitor.actor, program, role, &form.q, level, capacity)
                .await
                .map(|n| (n, role))
        }
        (Ok(role), Ok(capacity)) => {
            setup::enrol(&s.store, &visitor.actor, program, role, &form.person, capacity).await.map(|n| (n, role))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match done {
        Ok((n, role)) => {
            let back = format!(
                "/programs/{program}/people?enrolled={n}&role={role}&q={}&level={}&page={}#roster",
                super::percent_encode(&form.q),
                super::percent_encode(&form.level),
                super::percent_encode(&form.page)
            );
            Ok(Redirect::to(&back).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let query = back_to(&form.q, &form.level, &form.page, &form.roster_page);
            let capacity_error =
                problems.iter().find(|p| p.field.as_deref() == Some("capacity")).map(|p| p.message.clone());
            let kept = EnrolKept {
                role: form.role,
                capacity: form.capacity,
                capacity_error,
                chosen: form.person,
                all_matching,
            };
            let shown = Shown {
                problems: problems.iter().map(ToString::to_string).collect(),
                problems_title: "Nobody was enrolled:".into(),
                kept,
                ..Shown::default()
            };
            let page = people_page(&s, &visitor, program, &query, shown).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct PersonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    person: Vec<String>,
    /// Invite everyone not invited yet.
    #[serde(default)]
    all: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    roster_page: String,
}

/// Sends the welcome to the people chosen (or everyone not invited yet) and
/// shows the roster again, each person left out with the reason beside them.
async fn invite(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<PersonForm>,
) -> Result<Response, PageError> {
    visitor.check_csrf(&form.csrf)?;
    let program = crate::path_program(&raw)?;
    let whom = if form.all == "1" { Whom::AllNotYetInvited } else { Whom::These(form.person.clone()) };
    let mailer =
        invitations::Mailer { vault: &s.vault, post: &s.post, policy: s.password_sign_in, sso_on: s.sso.is_some() };
    let query = back_to(&form.q, &form.level, &form.page, &form.roster_page);
    let (status, shown) = match invitations::invite(&s.store, mailer, &visitor.actor, program, whom).await {
        Ok(sent) => {
            let notice = match sent.invited.len() {
                0 if sent.skipped.is_empty() => Some("Everyone enrolled has been invited already.".to_owned()),
                0 => None,
                n => Some(format!("Invitation sent to {}.", plural(n, "person", "people"))),
            };
            let status =
                if sent.invited.is_empty() && !sent.skipped.is_empty() { StatusCode::CONFLICT } else { StatusCode::OK };
            let shown = Shown {
                notice,
                problems: sent.skipped.iter().map(|p| p.message.clone()).collect(),
                problems_title: format!("Not invited: {}", plural(sent.skipped.len(), "person", "people")),
                beside: sent.skipped.iter().map(|p| (p.at.clone().unwrap_or_default(), p.message.clone())).collect(),
                ..Shown::default()
            };
            (status, shown)
        }
        Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))) => {
            let status = if matches!(e, AppError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let problems = match e {
                AppError::Invalid(problems) => problems.iter().map(|p| p.message.clone()).collect(),
                other => vec![other.to_string()],
            };
            (status, Shown { problems, problems_title: "Nobody was invited:".into(), ..Shown::default() })
        }
        Err(other) => return Err(other.into()),
    };
    Ok((status, people_page(&s, &visitor, program, &query, shown).await?).into_response())
}

/// Takes one person out of the program; a refusal is shown beside them.
async fn unenrol(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<PersonForm>,
) -> Result<Response, PageError> {
    visitor.check_csrf(&form.csrf)?;
    let program = crate::path_program(&raw)?;
    let id = form.person.first().cloned().unwrap_or_default();
    match setup::unenrol(&s.store, &visitor.actor, program, &id).await {
        Ok(_) => {
            let back = format!(
                "/programs/{program}/people?unenrolled=1&q={}&level={}&page={}&roster_page={}#roster",
                super::percent_encode(&form.q),
                super::percent_encode(&form.level),
                super::percent_encode(&form.page),
                super::percent_encode(&form.roster_page)
            );
            Ok(Redirect::to(&back).into_response())
        }
        Err(e @ (AppError::Conflict(_) | AppError::Invalid(_))) => {
            let status = if matches!(e, AppError::Conflict(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let why = match e {
                AppError::Invalid(problems) => {
                    problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; ")
                }
                AppError::Conflict(why) => why,
                other => other.to_string(),
            };
            let shown = Shown {
                problems: vec![why.clone()],
                problems_title: "Nobody was taken out:".into(),
                beside: vec![(id, why)],
                ..Shown::default()
            };
            let query = back_to(&form.q, &form.level, &form.page, &form.roster_page);
            Ok((status, people_page(&s, &visitor, program, &query, shown).await?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
