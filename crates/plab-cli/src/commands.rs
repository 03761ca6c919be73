//! One function per command: parse input, call the service, print.
use crate::args::{Cli, Command, DemoArgs, EnrollArgs, ExportWhat, ImportWhat, NotesCmd, ProgramCmd, QuestionCmd};
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use anyhow::Context;
use plab_app::programs::QuestionSaved;
use plab_app::{Store, demo, people, programs};
use plab_domain::coach::{self, Assessment};
use plab_domain::program::{ProgramSettings, Role};
use serde::Serialize;
use std::path::Path;

pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::CheckGoal { json, text } => check_goal(&text, json),
        Command::Notes(NotesCmd::NewKey { file }) => crate::admin::new_key(&file),
        Command::Match(args) if args.input.is_some() => crate::pairing::match_file(&args),
        Command::Backup(args) if args.verify.is_some() => crate::backup::verify(args),
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .context("starting the async runtime")?;
            match command {
                Command::Backup(args) => runtime.block_on(crate::backup::backup(&cli.db, args)),
                Command::Restore(args) => runtime.block_on(crate::backup::restore(&cli.db, args)),
                command => runtime.block_on(with_store(&cli.db, command)),
            }
        }
    }
}

async fn with_store(db: &str, command: Command) -> Result<(), Failure> {
    let store = Store::connect(db).await.map_err(|e| match e {
        plab_store::StoreError::UnsupportedUrl(_) => Failure::User(e.to_string()),
        other => Failure::Internal(anyhow::Error::new(other).context(format!("opening the database {}", redact(db)))),
    })?;
    let result = match command {
        Command::CheckGoal { .. } | Command::Backup(_) | Command::Restore(_) => Ok(()),
        Command::Import(ImportWhat::People { file, json, map, encoding, dry_run }) => {
            let options = plab_app::people_file::ReadOptions { encoding, map };
            import_people(&store, &file, &options, dry_run, json).await
        }
        Command::Export(ExportWhat::People { output }) => export_people(&store, output.as_deref()).await,
        Command::Program(cmd) => program(&store, cmd).await,
        Command::Enroll(args) => enroll(&store, args).await,
        Command::Question(cmd) => question(&store, cmd).await,
        Command::Demo(args) => run_demo(&store, args).await,
        Command::Match(args) => crate::pairing::match_program(&store, &args).await,
        Command::Pairing(cmd) => crate::pairing::pairing_cmd(&store, cmd).await,
        Command::Serve(args) => crate::serve::serve(&store, args).await,
        Command::User(cmd) => crate::user::user(&store, cmd).await,
        Command::Audit(args) => audit(&store, args).await,
        Command::Person(cmd) => crate::person::person_cmd(&store, cmd).await,
        Command::Office(cmd) => crate::office::office_cmd(&store, cmd).await,
        Command::Retention(crate::args::RetentionCmd::Run { as_of, dry_run, json }) => {
            crate::retention::run(&store, as_of.as_deref(), dry_run, json).await
        }
        Command::Mail(crate::args::MailCmd::Status { json }) => mail_status(&store, json).await,
        Command::Scim(crate::args::ScimCmd::Token(cmd)) => crate::scim::token(&store, cmd).await,
        Command::Report { program, json } => crate::report::report(&store, &program, json).await,
        Command::Settings(cmd) => crate::admin::settings_cmd(&store, cmd).await,
        Command::Notes(cmd) => crate::admin::notes_cmd(&store, cmd).await,
    };
    store.close().await;
    result
}

/// Never print a password that is part of a database URL.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].find(':') {
            Some(colon) => format!("{}:***{}", &url[..s + 3 + colon], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

fn check_goal(text: &str, json: bool) -> Result<(), Failure> {
    if text.trim().is_empty() {
        return Err(Failure::User("TEXT: the research question is empty".into()));
    }
    let assessment = coach::assess(text);
    if json {
        return print_json(&assessment);
    }
    print_assessment(&assessment)
}

fn print_assessment(a: &Assessment) -> Result<(), Failure> {
    out!("strength: {} (score {}/100)", a.strength.as_str(), a.score);
    let themes: Vec<&str> = a.themes.iter().map(|t| t.as_str()).collect();
    out!("themes:   {}", if themes.is_empty() { "none recognised".to_owned() } else { themes.join(", ") });
    for f in &a.findings {
        out!("- {} [{}]\n  suggestion: {}", f.message, f.code, f.suggestion);
    }
    Ok(())
}

async fn import_people(
    store: &Store,
    file: &Path,
    options: &plab_app::people_file::ReadOptions,
    dry_run: bool,
    json: bool,
) -> Result<(), Failure> {
    let source = file.display().to_string();
    let reader = std::fs::File::open(file).map_err(|e| Failure::User(format!("{source}: cannot open: {e}")))?;
    let started = std::time::Instant::now();
    let bar = crate::progress::bar(0, "importing people");
    // Without a terminal to draw the bar on, each batch written (inside the
    // one transaction) is said on a line of its own, for scripts and logs.
    let plain = !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let imported = people::import(
        store,
        &source,
        std::io::BufReader::new(reader),
        options,
        !dry_run,
        &|p| match p {
            people::ImportProgress::Parsed(n) => bar.set_length(n as u64),
            people::ImportProgress::Written { done, total } => {
                bar.set_position(done as u64);
                if plain {
                    eprintln!("importing: {done} of {total} people written, not yet committed");
                }
            }
        },
        &cli_actor(),
    )
    .await;
    bar.finish_and_clear();
    let imported = imported?;
    let (summary, format) = (&imported.summary, &imported.format);
    let seconds = started.elapsed().as_secs_f64();
    if json {
        #[derive(Serialize)]
        struct Out<'a> {
            inserted: u64,
            updated: u64,
            seconds: f64,
            written: bool,
            format: &'a plab_app::people_file::FileFormat,
        }
        return print_json(&Out {
            inserted: summary.inserted,
            updated: summary.updated,
            seconds,
            written: imported.written,
            format,
        });
    }
    let verb = if imported.written { "imported" } else { "dry run: would import" };
    out!(
        "{verb} {} people from {source} ({} new, {} updated) in {seconds:.2} s; read as {}",
        summary.inserted + summary.updated,
        summary.inserted,
        summary.updated,
        format.describe()
    );
    Ok(())
}

async fn export_people(store: &Store, output: Option<&Path>) -> Result<(), Failure> {
    let n = match output {
        Some(path) => {
            // Write beside the target and rename, so a failed export never leaves half a file.
            let tmp = path.with_extension("csv.partial");
            let file = std::fs::File::create(&tmp)
                .map_err(|e| Failure::User(format!("{}: cannot create: {e}", tmp.display())))?;
            match people::export(store, std::io::BufWriter::new(file)).await {
                Ok(n) => {
                    std::fs::rename(&tmp, path)
                        .map_err(|e| Failure::User(format!("{}: cannot write: {e}", path.display())))?;
                    n
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(export_failure(e));
                }
            }
        }
        None => people::export(store, std::io::stdout().lock()).await.map_err(export_failure)?,
    };
    eprintln!("exported {n} people");
    Ok(())
}

async fn audit(store: &Store, args: crate::args::AuditArgs) -> Result<(), Failure> {
    if let Some(crate::args::AuditCmd::Verify { json }) = args.command {
        return audit_verify(store, json).await;
    }
    let filter = plab_app::audit::Filter {
        actor: args.actor,
        action: args.action,
        from: args.from,
        to: args.to,
        limit: Some(args.limit.to_string()),
        ..Default::default()
    };
    let entries = plab_app::audit::at_the_machine(store, &filter.query(50)?).await?;
    if args.json {
        let list: Vec<_> = entries
            .iter()
            .map(|e| serde_json::json!({"id": e.id, "actor": e.actor, "action": e.action, "subject": e.subject, "detail": e.detail, "at": e.at}))
            .collect();
        return print_json(&list);
    }
    for e in entries {
        out!("{}  {:<20} {:<22} {:<14} {}", e.at, e.actor, e.action, e.subject, e.detail);
    }
    Ok(())
}

async fn audit_verify(store: &Store, json: bool) -> Result<(), Failure> {
    let check = plab_app::audit::verify(store).await?;
    let problem = check.problem.as_ref();
    if json {
        print_json(&serde_json::json!({
            "ok": problem.is_none(),
            "entries": check.entries,
            "head": check.head,
            "problem": problem.map(|p| serde_json::json!({"id": p.id, "kind": p.kind.as_str()})),
        }))?;
    }
    let Some(problem) = problem else {
        if !json {
            out!("The audit log is whole: {} entries, each as written and in its place.", check.entries);
            out!("Newest entry's hash: {} (note it down; a later check should continue from it).", check.head);
        }
        return Ok(());
    };
    Err(Failure::Internal(anyhow::anyhow!("the audit log is not whole: {}", plab_app::audit::broken_at(problem))))
}

async fn mail_status(store: &Store, json: bool) -> Result<(), Failure> {
    let status = plab_app::mail::status(store, &plab_app::mail::Post::from_env("")?).await?;
    if json {
        return print_json(&status);
    }
    out!(
        "mail {}: {} pending, {} sending, {} sent, {} failed, {} skipped (turned off, or a digest with nothing to report)",
        if status.configured { "on" } else { "off (PLAB_SMTP_URL is not set)" },
        status.outbox.pending,
        status.outbox.sending,
        status.outbox.sent,
        status.outbox.failed,
        status.outbox.skipped
    );
    if let Some(t) = &status.outbox.oldest_waiting {
        out!("oldest waiting since {t}");
    }
    for e in &status.outbox.recent_errors {
        out!("#{} {} to {} ({}, {} attempts): {}", e.id, e.kind, e.recipient, e.status, e.attempts, e.error);
    }
    Ok(())
}

fn export_failure(e: people::ExportError) -> Failure {
    match e {
        people::ExportError::App(e) => e.into(),
        people::ExportError::Write(io) => Failure::from_io(io),
    }
}

#[derive(Serialize)]
struct ProgramOut {
    id: i64,
    name: String,
    starts_on: String,
    settings: ProgramSettings,
}

async fn program(store: &Store, cmd: ProgramCmd) -> Result<(), Failure> {
    match cmd {
        ProgramCmd::Create { name, starts, settings, json } => {
            let id = match settings {
                Some(path) => {
                    let source = path.display().to_string();
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| Failure::User(format!("{source}: cannot read: {e}")))?;
                    let settings = programs::settings_from_json(&source, &text)?;
                    programs::create(store, &name, &starts, settings, &cli_actor()).await?
                }
                None => programs::create_with_instance_defaults(store, &name, &starts, &cli_actor()).await?,
            };
            if json {
                return print_json(&serde_json::json!({ "id": id.0 }));
            }
            out!("created program {id}: {name}");
        }
        ProgramCmd::Show { program, json } => return crate::life::show(store, &program, json).await,
        ProgramCmd::CloseOut { program, json } => return crate::life::close_out(store, &program, json).await,
        ProgramCmd::NextCohort { program, name, starts_on, reciprocal, json } => {
            return crate::life::next_cohort(store, &program, &name, &starts_on, reciprocal, json).await;
        }
        ProgramCmd::Close { program, as_of, json } => {
            return crate::retention::close(store, &program, as_of.as_deref(), json).await;
        }
        ProgramCmd::List { json } => {
            let list = programs::list(store).await?;
            if json {
                let out: Vec<ProgramOut> = list
                    .into_iter()
                    .map(|p| ProgramOut {
                        id: p.id.0,
                        name: p.name,
                        starts_on: p.starts_on.to_string(),
                        settings: p.settings,
                    })
                    .collect();
                return print_json(&out);
            }
            for p in list {
                out!("{:>5}  {}  {}", p.id, p.starts_on, p.name);
            }
        }
    }
    Ok(())
}

async fn enroll(store: &Store, args: EnrollArgs) -> Result<(), Failure> {
    let program = programs::parse_id(&args.program)?;
    let role = Role::parse(&args.role).map_err(|e| Failure::User(e.to_string()))?;
    programs::enroll(store, program, role, &args.employee_ids, args.capacity, &cli_actor()).await?;
    out!("enrolled {} {}(s) in program {program}", args.employee_ids.len(), role);
    Ok(())
}

async fn question(store: &Store, cmd: QuestionCmd) -> Result<(), Failure> {
    match cmd {
        QuestionCmd::Set { program, leader, json, text } => {
            let program = programs::parse_id(&program)?;
            let saved: QuestionSaved = programs::set_question(store, program, &leader, &text).await?;
            if json {
                return print_json(&saved);
            }
            out!("saved version {} of {leader}'s question", saved.version);
            print_assessment(&saved.assessment)?;
        }
        QuestionCmd::History { program, leader, json } => {
            let program = programs::parse_id(&program)?;
            let history = programs::question_history(store, program, &leader).await?;
            if json {
                return print_json(&history);
            }
            for v in history {
                out!(
                    "v{} {} [{} {}] {}",
                    v.version,
                    plab_domain::session::format_instant(v.created_at),
                    v.assessment.strength.as_str(),
                    v.assessment.score,
                    v.text
                );
            }
        }
        QuestionCmd::List { program, json } => {
            let program = programs::parse_id(&program)?;
            let current = programs::current_questions(store, program).await?;
            if json {
                let out: Vec<_> = current
                    .iter()
                    .map(|(leader, v)| serde_json::json!({"leader": leader, "version": v.version, "text": v.text, "strength": v.assessment.strength, "score": v.assessment.score}))
                    .collect();
                return print_json(&out);
            }
            for (leader, v) in current {
                out!("{leader:<10} {:<6} {:>3}  {}", v.assessment.strength.as_str(), v.assessment.score, v.text);
            }
        }
    }
    Ok(())
}

async fn run_demo(store: &Store, args: DemoArgs) -> Result<(), Failure> {
    if args.password.chars().count() < 8 {
        return Err(Failure::User("--password: use at least 8 characters".into()));
    }
    eprintln!("building a demo organisation of {} people (seed {})…", args.people, args.seed);
    let vault = plab_app::vault::open_for(store, &args.notes_key).await?;
    let summary = demo::build(
        store,
        &vault,
        demo::Size { people: args.people, seed: args.seed, weeks: args.weeks },
        &args.password,
    )
    .await?;
    if args.json {
        return print_json(&summary);
    }
    out!("demo program {} is ready", summary.program);
    out!("sponsor: {}", summary.sponsor);
    out!("administrator: {}", summary.admin);
    out!("{} leaders, e.g. {}", summary.leaders.len(), summary.leaders.first().map_or("-", String::as_str));
    out!("{} mentors, e.g. {}", summary.mentors.len(), summary.mentors.first().map_or("-", String::as_str));
    out!("next: plab question list --program {0}; plab match --program {0}", summary.program);
    out!("demo accounts' password (sign in with `plab serve`): {}", args.password);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://plab.db"), "sqlite://plab.db");
    }
}
