//! The command line, as a newcomer reads it in `plab --help`.
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "plab",
    version,
    about = "Perspective Lab: run reverse-mentoring programs where junior employees mentor senior leaders.",
    long_about = "Perspective Lab: run reverse-mentoring programs where junior employees mentor senior leaders.\n\n\
        Start with `plab demo` to fill a database with a realistic organisation, or `plab import people FILE.csv` \
        to load your own. Data lives in ./plab.db (SQLite) unless --db or PLAB_DATABASE_URL names another database.\n\n\
        Exit status: 0 success, 2 bad usage or bad input (nothing written), 1 anything else."
)]
pub struct Cli {
    /// Database URL: sqlite://PATH (created on first use) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "PLAB_DATABASE_URL", default_value = "sqlite://plab.db", value_name = "URL")]
    pub db: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Coach one research question: strength, score, themes and suggestions.
    CheckGoal {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
        /// The research question, in quotes.
        text: String,
    },
    /// Load data into the database.
    #[command(subcommand)]
    Import(ImportWhat),
    /// Write data out of the database.
    #[command(subcommand)]
    Export(ExportWhat),
    /// Open and list programs.
    #[command(subcommand)]
    Program(ProgramCmd),
    /// Enrol people in a program as sponsor, leader or mentor.
    Enroll(EnrollArgs),
    /// Register and review leaders' research questions.
    #[command(subcommand)]
    Question(QuestionCmd),
    /// Fill the database with a realistic organisation and a running program.
    Demo(DemoArgs),
    /// Propose leader-mentor pairs: from a JSON file (no database), or for a program.
    Match(MatchArgs),
    /// Review pairing: approve a proposal, pin or forbid pairs, list pairs.
    #[command(subcommand)]
    Pairing(PairingCmd),
    /// Serve the JSON API (and its OpenAPI document) over HTTP.
    Serve(ServeArgs),
    /// Manage sign-in accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// The instance's settings: its name, new programs' defaults, browser sign-in hours.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// The key that encrypts pair notes: make a new one, move every note to it.
    #[command(subcommand)]
    Notes(NotesCmd),
    /// The program's outcome report: sessions, homework, check-ins, insights,
    /// question strengths, signals and pairs at risk, silos crossed, retention.
    Report {
        #[arg(long)]
        program: String,
        #[arg(long)]
        json: bool,
    },
    /// The e-mail outbox that `plab serve` delivers.
    #[command(subcommand)]
    Mail(MailCmd),
    /// SCIM 2.0 provisioning at /scim/v2/: the bearer tokens identity providers call with.
    #[command(subcommand)]
    Scim(ScimCmd),
    /// Destroy the private data of closed programs whose retention has run out.
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// Copy the whole database to one file while the server runs (`--to FILE`),
    /// or check a backup file (`plab backup verify FILE`). The notes key is never in it.
    Backup(crate::backup::BackupArgs),
    /// Restore a backup into an empty database (--db), then check it: counts,
    /// schema version, and that the notes key opens every note.
    Restore(crate::backup::RestoreArgs),
    /// One person's data: everything held about them.
    #[command(subcommand)]
    Person(PersonCmd),
    /// The program office: people named to read the organisation's lab report.
    #[command(subcommand)]
    Office(OfficeCmd),
    /// Sponsor and admin actions, newest first (never the content of notes);
    /// `plab audit verify` checks that no entry was changed, removed or inserted.
    Audit(AuditArgs),
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCmd>,
    /// How many entries, at most 1000.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Only what this actor did (their e-mail, or cli:USER for commands).
    #[arg(long)]
    pub actor: Option<String>,
    /// Only this action (program.enroll), or every action under a prefix (pairing.).
    #[arg(long)]
    pub action: Option<String>,
    /// Only entries on or after this day (YYYY-MM-DD) or time (RFC 3339).
    #[arg(long)]
    pub from: Option<String>,
    /// Only entries before this day (YYYY-MM-DD) or time (RFC 3339).
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Walk the whole log: exit 0 when every entry is as written and in its
    /// place, 1 naming the first entry that was changed, removed or inserted.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum OfficeCmd {
    /// Name a person of the directory to the program office (every program).
    Add {
        #[arg(long, value_name = "ID")]
        employee_id: String,
    },
    /// Remove a named person from the program office.
    Remove {
        #[arg(long, value_name = "ID")]
        employee_id: String,
    },
    /// The people named to the program office.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum PersonCmd {
    /// Everything Perspective Lab holds about one person, as one JSON document
    /// (what they download from their account page); recorded in the audit log.
    Export {
        /// The person's employee id, as in the directory.
        #[arg(long, value_name = "ID")]
        employee_id: String,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The notes key file, as for `plab serve` (or PLAB_NOTES_KEY), to open
        /// the pair's notes, homework and mail; without one they are left out.
        #[arg(long, env = "PLAB_NOTES_KEY_FILE", default_value = "plab-notes.key", value_name = "FILE")]
        notes_key: PathBuf,
    },
    /// Erase a person: their directory data, everything private they wrote or
    /// answered and every credential; their open pairs end first and the
    /// partner is told. Their partner's own notes and the report's figures stay.
    Erase {
        /// The person's employee id, as in the HR file.
        #[arg(long, value_name = "ID", required_unless_present = "requests")]
        employee_id: Option<String>,
        /// Erase for real; without it, say what would be erased and change nothing.
        #[arg(long)]
        yes: bool,
        /// List the administrators' pending erasure requests instead.
        #[arg(long, conflicts_with_all = ["employee_id", "yes"])]
        requests: bool,
        /// Key file for encrypting the partner's end-of-pair mail (only read
        /// when mail is on), unless PLAB_NOTES_KEY holds the key.
        #[arg(long, env = "PLAB_NOTES_KEY_FILE", default_value = "plab-notes.key", value_name = "FILE")]
        notes_key: PathBuf,
        /// Print the deletion record as one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// The administrators' erasure requests still waiting for `plab person erase`.
    Requests {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RetentionCmd {
    /// Destroy what is due (closed on or before DATE minus the program's
    /// `retention_days`); `plab serve` does the same daily. Schedule it daily otherwise.
    Run {
        /// The day to run as, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Count what would be destroyed; destroy nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum MailCmd {
    /// Messages waiting, being sent, sent, failed and skipped, and the latest errors.
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ScimCmd {
    /// Tokens for identity providers (Okta, Entra ID, …) to provision people with.
    #[command(subcommand)]
    Token(ScimTokenCmd),
}

#[derive(Subcommand, Debug)]
pub enum ScimTokenCmd {
    /// Make a token and print it once: only its hash is stored (audited).
    New {
        /// What the token is for, e.g. the provider's name; shown in lists and the audit log.
        #[arg(long, default_value = "identity provider")]
        label: String,
        #[arg(long)]
        json: bool,
    },
    /// Every token, revoked ones included (never the token itself).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token: every instance refuses it from now on (audited).
    Revoke {
        /// The token's id, from `plab scim token list`.
        id: i64,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
    /// Fill an empty database with the demo first (password: the demo default).
    #[arg(long)]
    pub demo: bool,
    /// Key file for encrypting pair notes (created 0600 while no note is sealed yet), unless
    /// PLAB_NOTES_KEY holds the key as 64 hex characters.
    #[arg(long, env = "PLAB_NOTES_KEY_FILE", default_value = "plab-notes.key", value_name = "FILE")]
    pub notes_key: PathBuf,
    /// A proxy in front of the server whose X-Forwarded-For names the client
    /// (for sign-in throttling per address); repeat it, or give a comma-separated list.
    #[arg(long = "trusted-proxy", env = "PLAB_TRUSTED_PROXIES", value_delimiter = ',', value_name = "IP")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create an account or set its password; the password is read from standard input.
    SetPassword {
        #[arg(long)]
        email: String,
        /// Make the account an administrator (accounts and settings; never pair notes).
        #[arg(long)]
        admin: bool,
    },
    /// Disable an account: it cannot sign in, and every sign-in of it ends (audited).
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Let a disabled account sign in again (audited).
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Change the e-mail an account signs in with (audited; a directory import never does).
    SetEmail {
        #[arg(long)]
        email: String,
        #[arg(long = "to")]
        new_email: String,
    },
    /// Print a one-time link (valid 3 days) with which a person sets their own
    /// password. For an account that has one it is a reset link: send it to the
    /// account's own address only; using it ends every sign-in of the account.
    Link {
        #[arg(long)]
        email: String,
        /// The server's address as people reach it.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
}

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["input", "program"]))]
pub struct MatchArgs {
    /// A JSON file with people, leaders, mentors and rules (see docs/interfaces.md); needs no database.
    #[arg(long, value_name = "FILE.json")]
    pub input: Option<PathBuf>,
    /// Pair the program's leaders (with a question and no pair yet) and store the proposal.
    #[arg(long)]
    pub program: Option<String>,
    /// With --program: show the proposal without storing it.
    #[arg(long, requires = "program")]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum PairingCmd {
    /// Approve a proposal (the newest by default): its pairs become the program's pairs, status `forming`.
    Approve {
        #[arg(long)]
        program: String,
        #[arg(long)]
        proposal: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Always pair this leader with this mentor in the next runs.
    Pin(RuleArgs),
    /// Never pair this leader with this mentor.
    Forbid(RuleArgs),
    /// Remove a pin or forbid.
    Clear(RuleArgs),
    /// The program's approved pairs.
    List {
        #[arg(long)]
        program: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct RuleArgs {
    #[arg(long)]
    pub program: String,
    /// The leader's employee id.
    pub leader: String,
    /// The mentor's employee id.
    pub mentor: String,
}

#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// Upsert people from a CSV file (all or nothing). Required columns:
    /// employee_id,name,email,department,manager_id,hire_date,level; optional:
    /// title,location,timezone,perspectives,end_date.
    People {
        file: PathBuf,
        #[arg(long)]
        json: bool,
        /// `HEADER=column`: the file's header for one of our columns (repeatable),
        /// e.g. --map 'Work Email=email'. Usual HR export names are known already.
        #[arg(long = "map", value_name = "HEADER=column")]
        map: Vec<String>,
        /// The file's text encoding, e.g. windows-1252 (default UTF-8).
        #[arg(long, value_name = "NAME")]
        encoding: Option<String>,
        /// Check the whole file and show what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportWhat {
    /// Write every person as CSV, in the import format.
    People {
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProgramCmd {
    /// Open a new program (a cohort with its own settings and dates).
    Create {
        #[arg(long)]
        name: String,
        /// First day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        starts: String,
        /// JSON settings; missing keys take the protocol's defaults (14-day cadence,
        /// 60-minute sessions, 6 sessions, check-in after session 3, minimum group size 5).
        /// Without this option the program gets the instance's `program_defaults` (`plab settings show`).
        #[arg(long, value_name = "FILE.json")]
        settings: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List programs.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a program: its name, its state (draft, enrolling, running, closing, closed), kind and dates.
    Show {
        #[arg(long)]
        program: String,
        #[arg(long)]
        json: bool,
    },
    /// Begin a program's close-out (as its sponsor would): it is `closing`, no new sessions
    /// are planned, and its leaders and mentors are asked the closing questions.
    CloseOut {
        #[arg(long)]
        program: String,
        #[arg(long)]
        json: bool,
    },
    /// Start the next cohort from a running, closing or closed program: its settings, sponsors
    /// and forbidden pairings are copied; the people who want to continue are enrolled.
    NextCohort {
        #[arg(long)]
        program: String,
        #[arg(long)]
        name: String,
        /// First day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        starts_on: String,
        /// The reciprocal phase: the former pairs again, the leader mentoring the junior.
        #[arg(long)]
        reciprocal: bool,
        #[arg(long)]
        json: bool,
    },
    /// Close a program (as its sponsor would): its planned sessions are cancelled, it takes
    /// no new notes or answers, and its private data is destroyed `retention_days` later.
    Close {
        #[arg(long)]
        program: String,
        /// The day it closes, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct EnrollArgs {
    #[arg(long)]
    pub program: String,
    /// sponsor, leader or mentor.
    #[arg(long)]
    pub role: String,
    /// How many leaders each mentor may take (mentors only; default from the program).
    #[arg(long)]
    pub capacity: Option<u32>,
    /// Employee ids to enrol.
    #[arg(required = true)]
    pub employee_ids: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum QuestionCmd {
    /// Store a new version of a leader's research question with the coach's assessment.
    Set {
        #[arg(long)]
        program: String,
        /// The leader's employee id.
        #[arg(long)]
        leader: String,
        #[arg(long)]
        json: bool,
        text: String,
    },
    /// Every version of a leader's question, oldest first.
    History {
        #[arg(long)]
        program: String,
        #[arg(long)]
        leader: String,
        #[arg(long)]
        json: bool,
    },
    /// The current question of every leader in a program, with its strength.
    List {
        #[arg(long)]
        program: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// How many people the organisation has.
    #[arg(long, default_value_t = plab_app::demo::DEFAULT_PEOPLE)]
    pub people: usize,
    /// The same seed always builds the same organisation and program.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How many weeks ago the program began: the length of its history of
    /// sessions, pulses and check-ins (9 to 104).
    #[arg(long, default_value_t = plab_app::demo::DEFAULT_WEEKS)]
    pub weeks: u32,
    /// Password of every demo account.
    #[arg(long, default_value = plab_app::demo::DEFAULT_PASSWORD)]
    pub password: String,
    /// Key file sealing the demo pairs' homework, as for `plab serve`.
    #[arg(long, env = "PLAB_NOTES_KEY_FILE", default_value = "plab-notes.key", value_name = "FILE")]
    pub notes_key: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// Print every setting by its dotted path.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Change one setting, e.g. `plab settings set program_defaults.sessions 8`.
    /// Text settings take VALUE as it is; others read it as JSON (a number, a list).
    /// `group_size_floor` (default 5) is the smallest group any sponsor-facing
    /// average covers; only the operator changes it, here, and it is audited.
    Set {
        /// instance_name, session_hours, group_size_floor, or program_defaults.KEY (see `plab settings show`).
        field: String,
        value: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum NotesCmd {
    /// Write a fresh random key to FILE (owner-only, 0600); an existing file is never overwritten.
    NewKey {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Re-encrypt every note from the old key to the new one, in one transaction.
    /// Stop the servers first; restart them with the new key. A rerun skips notes
    /// already under the new key.
    Rekey {
        #[arg(long, value_name = "FILE")]
        old_key: PathBuf,
        #[arg(long, value_name = "FILE")]
        new_key: PathBuf,
        #[arg(long)]
        json: bool,
    },
}
