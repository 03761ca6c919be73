//! Opening programs, enrolling people and capturing research questions.
use crate::{AppError, Problem};
use plab_domain::Date;
use plab_domain::coach::{self, Assessment};
use plab_domain::person::FieldError;
use plab_domain::program::{NewProgram, ProgramName, ProgramSettings, Role, one_role};
use plab_domain::question::QuestionText;
use plab_store::{Program, ProgramId, Store};

fn field_problems(errors: Vec<FieldError>, at: &str) -> AppError {
    AppError::Invalid(errors.into_iter().map(|e| Problem::from(e).at(at.to_owned())).collect())
}

pub async fn create(
    store: &Store,
    name: &str,
    starts_on: &str,
    settings: ProgramSettings,
    by: &str,
) -> Result<ProgramId, AppError> {
    let mut errors = Vec::new();
    let name = ProgramName::parse(name).map_err(|e| errors.push(e)).ok();
    let starts_on = Date::parse(starts_on).map_err(|e| errors.push(FieldError::new("starts_on", e.to_string()))).ok();
    if let Err(mut e) = settings.validate() {
        errors.append(&mut e);
    }
    if let Err(e) = settings.check_floor(crate::settings::group_size_floor(store).await?) {
        errors.push(e);
    }
    match (name, starts_on) {
        (Some(name), Some(starts_on)) if errors.is_empty() => {
            let subject = name.to_string();
            let id = store.create_program(&NewProgram { name, starts_on, settings }).await?;
            store.audit(by, "program.create", &format!("program {id}"), &subject).await?;
            Ok(id)
        }
        _ => Err(field_problems(errors, "program")),
    }
}

/// Opens a program with the administrator's `program_defaults`.
pub async fn create_with_instance_defaults(
    store: &Store,
    name: &str,
    starts_on: &str,
    by: &str,
) -> Result<ProgramId, AppError> {
    let settings = crate::settings::get(store).await?.program_defaults;
    create(store, name, starts_on, settings, by).await
}

/// Reads program settings from JSON (missing keys take the protocol's defaults).
pub fn settings_from_json(source: &str, json: &str) -> Result<ProgramSettings, AppError> {
    serde_json::from_str(json)
        .map_err(|e| AppError::invalid(Problem::new(e.to_string()).at(format!("{source}:{}", e.line()))))
}

/// Parses a program id given on the command line or in a URL.
pub fn parse_id(raw: &str) -> Result<ProgramId, AppError> {
    raw.trim()
        .parse::<i64>()
        .map(ProgramId)
        .map_err(|_| AppError::invalid(Problem::new(format!("'{raw}' is not a program id")).field("program")))
}

/// The program's name, for someone enrolled in it (pages title themselves by
/// name, never by number); anyone else does not see the program.
pub async fn name_for(store: &Store, actor: &crate::accounts::Actor, program: ProgramId) -> Result<String, AppError> {
    crate::access::member_of_program(store, actor, program).await?;
    Ok(store.program(program).await?.name)
}

pub async fn list(store: &Store) -> Result<Vec<Program>, AppError> {
    Ok(store.programs().await?)
}

/// Enrols people in one role. Mentors get the program's default capacity
/// unless one is given; every person must exist, or nothing is written.
pub async fn enroll(
    store: &Store,
    program: ProgramId,
    role: Role,
    employee_ids: &[String],
    capacity: Option<u32>,
    by: &str,
) -> Result<(), AppError> {
    let settings = store.program(program).await?.settings;
    let capacity = capacity.unwrap_or(settings.default_mentor_capacity);
    if role == Role::Mentor && !(1..=10).contains(&capacity) {
        return Err(AppError::invalid(Problem::new(plab_domain::words::between(capacity, 1, 10)).field("capacity")));
    }
    if employee_ids.is_empty() {
        return Err(AppError::invalid(Problem::new("name at least one employee_id")));
    }
    let people: Vec<(String, u32)> = employee_ids.iter().map(|id| (id.trim().to_owned(), capacity)).collect();
    let wanted: Vec<(&str, Role)> = people.iter().map(|(id, _)| (id.as_str(), role)).collect();
    let clashes = role_problems(store, program, &wanted).await?;
    if !clashes.is_empty() {
        return Err(AppError::Invalid(clashes));
    }
    store.enroll(program, role, &people).await?;
    let ids: Vec<&str> = people.iter().map(|(id, _)| id.as_str()).collect();
    store.audit(by, "program.enroll", &format!("program {program}"), &format!("{role}: {}", ids.join(", "))).await?;
    Ok(())
}

/// The one place the rule "one person, one role per program" meets the data
/// (`plab_domain::program::one_role`): each `(employee id, role)` someone is
/// about to take in the program (by enrolment, a pin or an approved pair),
/// and a problem naming each person who already holds another role there.
/// Every path that enrols or pairs people calls it; migration 0025's
/// triggers refuse what slips past it in a race.
pub async fn role_problems(
    store: &Store,
    program: ProgramId,
    wanted: &[(&str, Role)],
) -> Result<Vec<Problem>, AppError> {
    let enrolments = store.enrolments(program).await?;
    let mut problems = Vec::new();
    let mut program_name = None;
    for (i, &(id, role)) in wanted.iter().enumerate() {
        // Also the other roles asked for in the same breath (leader and mentor of one pair).
        let held: Vec<Role> = enrolments
            .iter()
            .filter(|e| e.employee_id == id)
            .map(|e| e.role)
            .chain(wanted.iter().take(i).filter(|(other, _)| *other == id).map(|(_, r)| *r))
            .collect();
        if let Err(clash) = one_role(&held, role) {
            let name = match store.person(id).await {
                Ok(p) => p.name.to_string(),
                Err(plab_store::StoreError::NotFound { .. }) => id.to_owned(),
                Err(e) => return Err(e.into()),
            };
            if program_name.is_none() {
                program_name = Some(store.program(program).await?.name);
            }
            let program_name = program_name.as_deref().unwrap_or_default();
            problems.push(Problem::new(clash.explain(id, &name, program_name)));
        }
    }
    Ok(problems)
}

/// The group size that applies to the program's averages: its own setting,
/// never below the instance's floor.
pub async fn group_size(store: &Store, program: ProgramId) -> Result<u32, AppError> {
    let settings = store.program(program).await?.settings;
    Ok(settings.group_size(crate::settings::group_size_floor(store).await?))
}

/// The outcome of registering a question: its version and the coach's view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuestionSaved {
    pub version: u32,
    pub assessment: Assessment,
}

/// Stores a new version of the leader's research question with the coach's
/// assessment under the program's thresholds.
pub async fn set_question(
    store: &Store,
    program: ProgramId,
    leader: &str,
    text: &str,
) -> Result<QuestionSaved, AppError> {
    let text = QuestionText::parse(text).map_err(|e| field_problems(vec![e], leader))?;
    let settings = store.program(program).await?.settings;
    let assessment = coach::assess_with(text.as_str(), settings.coach);
    let version = store.add_question_version(program, leader, &text, &assessment).await?;
    Ok(QuestionSaved { version, assessment })
}

/// What a participant does for themselves: only ever on their own records.
/// Every version of a leader's question with its coach result (the operator's view).
pub async fn question_history(
    store: &Store,
    program: ProgramId,
    leader: &str,
) -> Result<Vec<plab_domain::question::QuestionVersion>, AppError> {
    store.program(program).await?;
    Ok(store.question_history(program, leader).await?)
}

/// Every leader's current question, `(leader, version)` (the operator's view).
pub async fn current_questions(
    store: &Store,
    program: ProgramId,
) -> Result<Vec<(String, plab_domain::question::QuestionVersion)>, AppError> {
    store.program(program).await?;
    Ok(store.current_questions(program).await?)
}

pub mod participant {
    use super::*;
    use crate::accounts::Actor;
    use plab_domain::perspective::{Perspectives, with_themes};
    use plab_domain::question::QuestionVersion;
    use plab_store::Enrolment;

    /// The leader's own question, every version.
    pub async fn my_questions(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
    ) -> Result<Vec<QuestionVersion>, AppError> {
        let me = crate::access::role_in_program(store, actor, program, Role::Leader).await?;
        Ok(store.question_history(program, &me).await?)
    }

    pub async fn set_my_question(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        text: &str,
    ) -> Result<QuestionSaved, AppError> {
        let me = crate::access::role_in_program(store, actor, program, Role::Leader).await?;
        set_question(store, program, &me, text).await
    }

    /// Whose words a mentor's perspectives are in this program.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum PerspectiveSource {
        /// What the mentor wrote for this program.
        Own,
        /// The people directory's (`people.perspectives`), as imported.
        Directory,
    }

    /// One perspective and the themes the pairing engine reads in it.
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
    pub struct PerspectiveView {
        pub text: String,
        /// Theme names of the data-exchange taxonomy, e.g. `technology`, `culture.career`.
        pub themes: Vec<String>,
    }

    impl PerspectiveView {
        /// The themes in plain words, for pages.
        pub fn theme_labels(&self) -> String {
            let labels: Vec<&str> =
                self.themes.iter().filter_map(|t| plab_domain::Theme::parse(t)).map(|t| t.label()).collect();
            labels.join(", ")
        }
    }

    /// The perspectives the pairing engine uses for a mentor in one program.
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
    pub struct MyPerspectives {
        pub perspectives: Vec<PerspectiveView>,
        pub source: PerspectiveSource,
    }

    impl MyPerspectives {
        fn effective(own: Option<Vec<String>>, directory: Vec<String>) -> MyPerspectives {
            let (list, source) = match own {
                Some(own) => (own, PerspectiveSource::Own),
                None => (directory, PerspectiveSource::Directory),
            };
            let perspectives = with_themes(&list)
                .into_iter()
                .map(|p| PerspectiveView { text: p.text, themes: p.themes.iter().map(|t| t.to_string()).collect() })
                .collect();
            MyPerspectives { perspectives, source }
        }

        /// True when the mentor wrote them for this program.
        pub fn is_own(&self) -> bool {
            self.source == PerspectiveSource::Own
        }

        /// One per line, as the mentor edits them.
        pub fn as_lines(&self) -> String {
            self.perspectives.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
        }
    }

    /// A mentor's effective perspectives (their own, or the directory's) and whether they opted out.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct MentorProfile {
        pub perspectives: MyPerspectives,
        pub opted_out: bool,
        pub capacity: u32,
    }

    async fn mentor_enrolment(store: &Store, program: ProgramId, me: &str) -> Result<Enrolment, AppError> {
        store
            .enrolments(program)
            .await?
            .into_iter()
            .find(|e| e.employee_id == me && e.role == Role::Mentor)
            .ok_or(AppError::NotFound { what: "mentor enrolment", id: me.to_owned() })
    }

    pub async fn my_mentor_profile(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
    ) -> Result<MentorProfile, AppError> {
        let me = crate::access::role_in_program(store, actor, program, Role::Mentor).await?;
        let person = store.person(&me).await?;
        let enrolment = mentor_enrolment(store, program, &me).await?;
        Ok(MentorProfile {
            perspectives: MyPerspectives::effective(enrolment.perspectives, person.perspectives),
            opted_out: enrolment.opted_out,
            capacity: enrolment.capacity,
        })
    }

    /// The perspectives the engine will use for the signed-in mentor in this program.
    pub async fn my_perspectives(store: &Store, actor: &Actor, program: ProgramId) -> Result<MyPerspectives, AppError> {
        Ok(my_mentor_profile(store, actor, program).await?.perspectives)
    }

    /// A mentor writes their own perspectives for this program (one entry each),
    /// replacing the directory's for pairing; nothing is written if any entry is wrong.
    pub async fn set_my_perspectives<'a>(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        entries: impl IntoIterator<Item = &'a str>,
    ) -> Result<MyPerspectives, AppError> {
        let me = crate::access::role_in_program(store, actor, program, Role::Mentor).await?;
        let own = Perspectives::parse(entries).map_err(|e| field_problems(e, &me))?;
        store.set_mentor_perspectives(program, &me, Some(own.as_slice())).await?;
        my_perspectives(store, actor, program).await
    }

    /// Back to the directory's perspectives for this program.
    pub async fn reset_my_perspectives(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
    ) -> Result<MyPerspectives, AppError> {
        let me = crate::access::role_in_program(store, actor, program, Role::Mentor).await?;
        store.set_mentor_perspectives(program, &me, None).await?;
        my_perspectives(store, actor, program).await
    }

    /// A mentor steps out of (or back into) pairing; they are never proposed while out.
    pub async fn set_my_opt_out(
        store: &Store,
        actor: &Actor,
        program: ProgramId,
        opted_out: bool,
    ) -> Result<(), AppError> {
        let me = crate::access::role_in_program(store, actor, program, Role::Mentor).await?;
        Ok(store.set_opted_out(program, &me, opted_out).await?)
    }
}
