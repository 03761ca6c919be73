//! Setting a program up in the browser: open it with its settings explained,
//! then find people by name, department or level and enrol them as leaders,
//! mentors or co-sponsors, seeing how far each enrolled person is.
use super::routing::{Router, get};
use super::{CarriesCsrf, PageError, SignedIn};
use crate::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use plab_app::setup::{self, Enrolled, FoundPerson};
use plab_app::{AppError, Problem};
use plab_domain::program::{ProgramSettings, Role};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs/new", get(new_program).post(open_program))
        .route("/programs/{program}/people", get(people).post(enrol))
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

#[derive(Template, WebTemplate)]
#[template(path = "program_people.html")]
struct PeoplePage {
    signed_in: Option<super::Chrome>,
    csrf: String,
    program: i64,
    program_name: String,
    notice: Option<String>,
    problems: Vec<String>,
    /// What is wrong with the search itself, shown by its form.
    search_problems: Vec<String>,
    query: String,
    level: String,
    found: Vec<FoundPerson>,
    searched: bool,
    roster: Vec<Enrolled>,
}

impl PeoplePage {
    fn count(&self, role: &str) -> usize {
        self.roster.iter().filter(|e| e.role == role).count()
    }
}

#[derive(Deserialize, Default)]
struct PeopleQuery {
    q: Option<String>,
    level: Option<String>,
    opened: Option<String>,
    enrolled: Option<String>,
    role: Option<String>,
}

async fn people_page(
    s: &AppState,
    visitor: &SignedIn,
    program: plab_store::ProgramId,
    query: &PeopleQuery,
    notice: Option<String>,
    problems: Vec<String>,
) -> Result<PeoplePage, PageError> {
    let setup::Roster { program_name, people: roster } = setup::roster(&s.store, &visitor.actor, program).await?;
    let text = query.q.clone().unwrap_or_default();
    let level = query.level.clone().unwrap_or_default();
    let searched = !text.trim().is_empty() || !level.trim().is_empty();
    let mut search_problems = Vec::new();
    let found = match setup::find_people(&s.store, &visitor.actor, program, &text, Some(&level)).await {
        Ok(found) => found,
        Err(AppError::Invalid(wrong)) => {
            search_problems = wrong.iter().map(|p| p.message.clone()).collect();
            Vec::new()
        }
        Err(other) => return Err(other.into()),
    };
    Ok(PeoplePage {
        signed_in: Some(visitor.chrome()),
        csrf: visitor.csrf.clone(),
        program: program.0,
        program_name,
        notice,
        problems,
        search_problems,
        query: text,
        level,
        found,
        searched,
        roster,
    })
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
    } else {
        query.enrolled.as_deref().zip(query.role.as_deref()).map(|(n, role)| format!("Enrolled {n} as {role}s."))
    };
    people_page(&s, &visitor, program, &query, notice, Vec::new()).await
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
    capacity: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    level: String,
}

async fn enrol(
    State(s): State<AppState>,
    visitor: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<EnrolForm>,
) -> Result<Response, PageError> {
    visitor.check_csrf(&form.csrf)?;
    let program = crate::path_program(&raw)?;
    let role =
        Role::parse(&form.role).map_err(|e| PageError::Status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let capacity = match form.capacity.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<u32>()
            .map(Some)
            .map_err(|_| AppError::invalid(Problem::new(plab_domain::words::whole_number(raw, 2)).field("capacity"))),
    };
    let done = match capacity {
        Ok(capacity) => setup::enrol(&s.store, &visitor.actor, program, role, &form.person, capacity).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(n) => Ok(Redirect::to(&format!("/programs/{program}/people?enrolled={n}&role={role}")).into_response()),
        Err(AppError::Invalid(problems)) => {
            let query = PeopleQuery { q: Some(form.q), level: Some(form.level), ..PeopleQuery::default() };
            let lines = problems.iter().map(ToString::to_string).collect();
            let page = people_page(&s, &visitor, program, &query, None, lines).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
