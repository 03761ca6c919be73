//! The store's contract: every test runs on SQLite, and on PostgreSQL when
//! `PLAB_TEST_POSTGRES_URL` is set, each in its own fresh database.
use plab_domain::coach;
use plab_domain::instance::InstanceSettings;
use plab_domain::pair::{PairStatus, ProposalStatus};
use plab_domain::person::{Person, RawPerson};
use plab_domain::program::{NewProgram, ProgramName, ProgramSettings, Role};
use plab_domain::question::QuestionText;
use plab_domain::session::SessionStatus;
use plab_domain::session::{GroupAverage, PersonAnswers, Release};
use plab_domain::{Date, PairId, SessionId};
use plab_store::testing::TestDb;
use plab_store::{NewProposal, PairRule, ProgramId, Resealed, SealedText, Store, StoreError, StoredPair};

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let db = plab_store::testing::TestDb::sqlite();
                super::$name(&db).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(plab_postgres), ignore = "PostgreSQL: set PLAB_TEST_POSTGRES_URL to run it")]
            async fn $name() {
                if let Some(db) = plab_store::testing::TestDb::postgres() {
                    super::$name(&db).await;
                }
            })*
        }
    };
}

contract!(
    commitments_are_kept_per_pair_and_an_insights_deletion_leaves_its_commitment,
    program_office_members_are_named_once_and_removed,
    a_session_said_not_to_have_happened_is_missed_and_leaves_planned_for_good,
    the_session_timer_is_replaced_only_as_its_presser_read_it,
    a_follow_up_is_kept_per_pair_and_signal,
    a_scim_write_is_all_or_nothing_and_a_delete_keeps_the_person,
    a_revoked_scim_token_is_found_no_more,
    migrations_run_on_an_empty_database_and_again,
    people_upsert_inserts_then_updates,
    two_people_can_swap_emails_in_one_import,
    a_failed_import_transaction_leaves_people_unchanged,
    a_duplicate_email_is_rejected_and_nothing_is_written,
    programs_keep_their_settings,
    enrolling_an_unknown_person_writes_nothing,
    mentors_can_opt_out,
    question_versions_are_kept_with_their_assessment,
    only_enrolled_leaders_can_register_a_question,
    unknown_program_is_not_found,
    an_approved_proposal_becomes_forming_pairs_once,
    a_new_proposal_supersedes_the_open_one,
    pins_and_forbids_replace_each_other,
    an_ended_pair_cancels_its_planned_sessions_and_frees_its_leader_for_one_new_pair,
    the_rules_in_force_and_the_proposal_before_are_read_in_order,
    both_partners_accepting_at_once_make_the_pair_active,
    names_and_emails_come_in_one_lookup_and_skip_unknown_ids,
    a_persons_pairs_span_programs_and_both_roles,
    sessions_are_planned_once_per_pair,
    a_session_leaves_planned_once_and_keeps_its_homework_apart_from_notes,
    a_pulse_is_replaced_by_its_author_and_averaged_per_person,
    a_released_average_keeps_its_basis_and_only_its_successor_replaces_it,
    instance_settings_read_as_defaults_until_saved_then_round_trip,
    resealing_notes_moves_every_row_or_none,
    resealing_crosses_its_batches_and_includes_homework,
    a_mentors_own_perspectives_outlive_a_people_import_until_reset,
    a_proposal_keeps_what_the_engine_reported,
    the_audit_log_shows_the_newest_entries_first,
    the_audit_chain_is_whole_after_many_writers_at_once,
    the_audit_chain_names_an_edited_entry,
    the_audit_chain_names_a_removed_entry,
    the_audit_chain_names_an_inserted_entry,
    the_audit_chain_notices_entries_cut_from_the_end,
    a_redaction_keeps_the_chain_whole_but_words_replaced_by_hand_are_found,
    the_audit_log_filters_by_actor_action_time_and_program,
    entries_written_before_the_chain_are_linked_once_when_the_store_starts,
    the_lab_rules_record_who_accepted_them,
    the_directory_keys_and_note_keys_are_listed,
    a_sign_in_email_given_up_can_open_a_new_account,
    a_partner_revises_their_check_in_until_a_sponsor_reads_it,
    a_sponsor_records_a_check_in_and_never_overwrites_the_partners_own,
    held_session_starts_cover_the_programs_held_sessions_only,
    insights_are_kept_edited_and_deleted_and_only_shared_text_reaches_sponsors,
    every_change_to_program_data_moves_the_revision_and_signing_in_does_not,
    a_cached_read_follows_a_change_made_through_another_connection,
    an_outbox_message_is_written_once_claimed_once_and_keeps_no_content_once_sent,
    a_pending_single_sign_on_is_taken_once_and_never_after_it_expires,
    a_provider_identity_links_to_one_persons_account_and_an_account_to_one_identity,
    a_set_password_link_works_only_at_the_credential_epoch_it_was_issued_for,
    mail_reaches_only_a_sign_in_address_in_good_standing,
    a_people_search_counts_every_match_and_pages_by_name,
    an_invitation_is_recorded_once_per_resend_window_with_its_link,
    unenrolling_takes_the_enrolments_rules_and_open_proposal_but_keeps_pairs,
    accounts_are_paged_and_found_by_email_name_or_employee_id,
    a_fit_answer_is_replaced_by_its_partner_and_only_not_fit_on_an_open_pair_needs_a_check,
);

#[path = "contract/life.rs"]
mod life;

fn person(id: &str, manager: Option<&str>, level: i32) -> Person {
    RawPerson {
        employee_id: id.into(),
        name: format!("Person {id}"),
        email: format!("{id}@example.com"),
        department: "Operations".into(),
        manager_id: manager.unwrap_or("").into(),
        hire_date: "2012-05-01".into(),
        level: level.to_string(),
        perspectives: "agile workflows;AI tools".into(),
        ..RawPerson::default()
    }
    .parse()
    .expect("valid person")
}

fn no_progress(_: usize) {}

async fn seeded(db: &TestDb) -> Store {
    let store = Store::connect(&db.url).await.expect("connect");
    let people = vec![person("ceo", None, 9), person("vp", Some("ceo"), 8), person("pm", Some("vp"), 3)];
    store.upsert_people(&people, &no_progress).await.expect("seed people");
    store
}

async fn program(store: &Store) -> ProgramId {
    let p = NewProgram {
        name: ProgramName::parse("Spring cohort").expect("name"),
        starts_on: Date::parse("2027-01-11").expect("date"),
        settings: ProgramSettings { sessions: 8, checkin_after: 4, ..ProgramSettings::default() },
    };
    store.create_program(&p).await.expect("create program")
}

async fn migrations_run_on_an_empty_database_and_again(db: &TestDb) {
    let store = Store::connect(&db.url).await.expect("first connect");
    assert!(store.ping().await);
    store.close().await;
    let again = Store::connect(&db.url).await.expect("second connect runs no migration twice");
    assert_eq!(again.people_count().await.expect("count"), 0);
}

async fn people_upsert_inserts_then_updates(db: &TestDb) {
    let store = seeded(db).await;
    let mut vp = person("vp", Some("ceo"), 8);
    vp.department = plab_domain::person::Department::parse("Sales").expect("dept");
    let summary = store.upsert_people(&[vp.clone(), person("new", Some("vp"), 2)], &no_progress).await.expect("upsert");
    assert_eq!((summary.inserted, summary.updated), (1, 1));
    assert_eq!(store.person("vp").await.expect("vp"), vp);
    assert_eq!(store.people_count().await.expect("count"), 4);
    let all = store.all_people().await.expect("all");
    assert_eq!(all.iter().map(|p| p.employee_id.as_str()).collect::<Vec<_>>(), vec!["ceo", "new", "pm", "vp"]);
}

async fn two_people_can_swap_emails_in_one_import(db: &TestDb) {
    let store = seeded(db).await;
    let mut a = person("vp", Some("ceo"), 8);
    let mut b = person("pm", Some("vp"), 3);
    a.email = plab_domain::person::Email::parse("pm@example.com").expect("email");
    b.email = plab_domain::person::Email::parse("vp@example.com").expect("email");
    store.upsert_people(&[a, b], &no_progress).await.expect("swap");
    assert_eq!(store.person("vp").await.expect("vp").email.as_str(), "pm@example.com");
}

async fn a_failed_import_transaction_leaves_people_unchanged(db: &TestDb) {
    let store = seeded(db).await;
    let before = store.all_people().await.expect("before");
    // 1,200 new people (three batches), the last of which reuses the CEO's e-mail:
    // the database refuses it in the final batch, after two batches were written.
    let mut many: Vec<Person> = (0..1200).map(|i| person(&format!("n{i:04}"), Some("pm"), 1)).collect();
    many[1199].email = plab_domain::person::Email::parse("ceo@example.com").expect("email");
    let err = store.upsert_people(&many, &no_progress).await.expect_err("unique e-mail violated");
    assert!(matches!(err, StoreError::Database(_)), "{err}");
    assert_eq!(store.all_people().await.expect("after"), before);
}

async fn a_duplicate_email_is_rejected_and_nothing_is_written(db: &TestDb) {
    let store = seeded(db).await;
    let mut dup = person("x", Some("ceo"), 2);
    dup.email = plab_domain::person::Email::parse("VP@example.com").expect("email");
    assert!(store.upsert_people(&[dup], &no_progress).await.is_err());
    assert_eq!(store.people_count().await.expect("count"), 3);
}

async fn programs_keep_their_settings(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    let p = store.program(id).await.expect("program");
    assert_eq!(p.name, "Spring cohort");
    assert_eq!((p.settings.sessions, p.settings.checkin_after, p.settings.cadence_days), (8, 4, 14));
    assert_eq!(store.programs().await.expect("list").len(), 1);
}

async fn enrolling_an_unknown_person_writes_nothing(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    let err =
        store.enroll(id, Role::Mentor, &[("pm".into(), 1), ("ghost".into(), 1)]).await.expect_err("ghost is unknown");
    assert!(matches!(err, StoreError::NotFound { ref id, .. } if id == "ghost"));
    assert!(store.enrolments(id).await.expect("enrolments").is_empty());
}

async fn mentors_can_opt_out(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    store.enroll(id, Role::Mentor, &[("pm".into(), 2)]).await.expect("enroll");
    store.enroll(id, Role::Leader, &[("vp".into(), 1)]).await.expect("enroll");
    store.set_opted_out(id, "pm", true).await.expect("opt out");
    let e = store.enrolments(id).await.expect("enrolments");
    let pm = e.iter().find(|e| e.employee_id == "pm").expect("pm");
    assert_eq!((pm.role, pm.capacity, pm.opted_out), (Role::Mentor, 2, true));
    assert!(store.set_opted_out(id, "vp", true).await.is_err(), "only mentors opt out of pairing");
    assert_eq!(store.roles_of(id, "vp").await.expect("roles"), vec![Role::Leader]);
}

async fn question_versions_are_kept_with_their_assessment(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    store.enroll(id, Role::Leader, &[("vp".into(), 1)]).await.expect("enroll");
    let first = QuestionText::parse("I want to learn about Gen Z.").expect("text");
    let second = QuestionText::parse("Why do new analysts skip our Friday demo?").expect("text");
    assert_eq!(store.add_question_version(id, "vp", &first, &coach::assess(first.as_str())).await.expect("v1"), 1);
    assert_eq!(store.add_question_version(id, "vp", &second, &coach::assess(second.as_str())).await.expect("v2"), 2);
    let history = store.question_history(id, "vp").await.expect("history");
    assert_eq!(history.iter().map(|v| v.text.as_str()).collect::<Vec<_>>(), vec![first.as_str(), second.as_str()]);
    assert_eq!(history[1].assessment, coach::assess(second.as_str()));
    let current = store.current_questions(id).await.expect("current");
    assert_eq!(current.len(), 1);
    assert_eq!((current[0].0.as_str(), current[0].1.version), ("vp", 2));
    assert_eq!(current[0].1.text.as_str(), second.as_str());
    assert!(current[0].1.created_at.year() >= 2025, "a real save time");
}

async fn only_enrolled_leaders_can_register_a_question(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    let text = QuestionText::parse("Why do new analysts skip our Friday demo?").expect("text");
    let err =
        store.add_question_version(id, "pm", &text, &coach::assess(text.as_str())).await.expect_err("not a leader");
    assert!(matches!(err, StoreError::NotFound { .. }));
}

async fn unknown_program_is_not_found(db: &TestDb) {
    let store = seeded(db).await;
    assert!(matches!(store.program(ProgramId(999)).await, Err(StoreError::NotFound { what: "program", .. })));
}

fn proposed(leader: &str, mentor: &str) -> StoredPair {
    StoredPair {
        leader: leader.into(),
        mentor: mentor.into(),
        score: 1.5,
        kind: "tension".into(),
        reasons: vec!["21 years of tenure between them".into()],
    }
}

async fn propose(store: &Store, program: ProgramId, pairs: &[StoredPair]) -> i64 {
    let new = NewProposal {
        parameters: "{}",
        total_score: 1.5,
        solve_ms: 0.1,
        unmatched: &[],
        unmatched_reasons: &[],
        pairs,
    };
    store.add_proposal(program, &new).await.expect("proposal")
}

async fn an_approved_proposal_becomes_forming_pairs_once(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    let p = propose(&store, id, &[proposed("ceo", "pm")]).await;
    assert_eq!(store.latest_proposal_id(id).await.expect("latest"), Some(p));
    let stored = store.proposal(id, p).await.expect("proposal");
    assert_eq!(stored.pairs, vec![proposed("ceo", "pm")]);
    assert_eq!(store.approve_proposal(id, p).await.expect("approve"), 1);
    let pairs = store.pairs(id).await.expect("pairs");
    assert_eq!((pairs[0].status.as_str(), pairs[0].pair.clone()), ("forming", proposed("ceo", "pm")));
    assert!(matches!(store.approve_proposal(id, p).await, Err(StoreError::Conflict(_))));
    let other = program(&store).await;
    assert_eq!(store.pairs_elsewhere(other).await.expect("elsewhere"), vec![("ceo".to_owned(), "pm".to_owned())]);
    assert!(store.pairs_elsewhere(id).await.expect("elsewhere").is_empty());
}

async fn a_new_proposal_supersedes_the_open_one(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    let first = propose(&store, id, &[proposed("ceo", "pm")]).await;
    let second = propose(&store, id, &[proposed("vp", "pm")]).await;
    assert_eq!(store.proposal(id, first).await.expect("first").status, ProposalStatus::Superseded);
    assert!(matches!(store.approve_proposal(id, first).await, Err(StoreError::Conflict(_))));
    store.approve_proposal(id, second).await.expect("approve the newest");
    assert!(matches!(store.proposal(ProgramId(id.0 + 1), second).await, Err(StoreError::NotFound { .. })));
}

async fn pins_and_forbids_replace_each_other(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    store.set_pair_rule(id, "vp", "pm", PairRule::Pin).await.expect("pin");
    store.set_pair_rule(id, "vp", "pm", PairRule::Forbid).await.expect("forbid");
    assert!(store.pair_rules(id, PairRule::Pin).await.expect("pins").is_empty());
    assert_eq!(
        store.pair_rules(id, PairRule::Forbid).await.expect("forbids"),
        vec![("vp".to_owned(), "pm".to_owned())]
    );
    store.clear_pair_rule(id, "vp", "pm").await.expect("clear");
    assert!(matches!(store.clear_pair_rule(id, "vp", "pm").await, Err(StoreError::NotFound { .. })));
}

async fn an_ended_pair_cancels_its_planned_sessions_and_frees_its_leader_for_one_new_pair(db: &TestDb) {
    let store = seeded(db).await;
    let (id, pair) = approved_pair(&store).await;
    store.plan_sessions(pair, &starts(), 60, &[]).await.expect("plan");
    // While the pair is open, its leader cannot be approved into a second one.
    let second = propose(&store, id, &[proposed("vp", "pm")]).await;
    assert!(matches!(store.approve_proposal(id, second).await, Err(StoreError::Conflict(_))));
    assert!(store.end_pair(pair, "2031-01-15", "calendars never matched", &[]).await.expect("end"));
    assert!(!store.end_pair(pair, "2031-01-16", "again", &[]).await.expect("end again"), "ended once");
    let ended = store.pair(pair).await.expect("pair");
    assert_eq!(ended.status, PairStatus::Ended);
    assert_eq!(ended.ended, Some(("2031-01-15".to_owned(), "calendars never matched".to_owned())));
    assert!(!ended.is_open());
    let sessions = store.sessions(pair).await.expect("sessions");
    assert!(sessions.iter().all(|s| s.status == SessionStatus::Cancelled && s.sequence == 1), "{sessions:?}");
    // Now the leader can have one new pair in the program, and only one.
    let third = propose(&store, id, &[proposed("vp", "pm")]).await;
    assert_eq!(store.approve_proposal(id, third).await.expect("a new pair"), 1);
    let fourth = propose(&store, id, &[proposed("vp", "pm")]).await;
    assert!(matches!(store.approve_proposal(id, fourth).await, Err(StoreError::Conflict(_))));
    let pairs = store.pairs(id).await.expect("pairs");
    assert_eq!(pairs.iter().map(|p| p.status).collect::<Vec<_>>(), [PairStatus::Ended, PairStatus::Forming]);
}

async fn the_rules_in_force_and_the_proposal_before_are_read_in_order(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    store.set_pair_rule(id, "vp", "pm", PairRule::Forbid).await.expect("forbid");
    store.set_pair_rule(id, "ceo", "pm", PairRule::Pin).await.expect("pin");
    let rules = store.all_pair_rules(id).await.expect("rules");
    assert_eq!(rules.len(), 2);
    assert!(rules.contains(&("vp".to_owned(), "pm".to_owned(), PairRule::Forbid)));
    assert!(rules.contains(&("ceo".to_owned(), "pm".to_owned(), PairRule::Pin)));
    let first = propose(&store, id, &[proposed("ceo", "pm")]).await;
    let second = propose(&store, id, &[proposed("vp", "pm")]).await;
    assert_eq!(store.proposal_before(id, second).await.expect("before"), Some(first));
    assert_eq!(store.proposal_before(id, first).await.expect("before"), None);
}

/// An approved pair in a fresh program; returns the program and pair ids.
async fn approved_pair(store: &Store) -> (ProgramId, PairId) {
    let id = program(store).await;
    let p = propose(store, id, &[proposed("vp", "pm")]).await;
    store.approve_proposal(id, p).await.expect("approve");
    let pair = store.pairs(id).await.expect("pairs")[0].id;
    (id, pair)
}

async fn both_partners_accepting_at_once_make_the_pair_active(db: &TestDb) {
    let store = seeded(db).await;
    for _ in 0..5 {
        let (_, pair) = approved_pair(&store).await;
        let (a, b) = tokio::join!(store.accept_charter(pair, "vp"), store.accept_charter(pair, "pm"));
        let statuses = [a.expect("leader accepts"), b.expect("mentor accepts")];
        assert!(statuses.contains(&PairStatus::Active), "{statuses:?}");
        assert_eq!(store.pair(pair).await.expect("pair").status, PairStatus::Active);
    }
}

async fn names_and_emails_come_in_one_lookup_and_skip_unknown_ids(db: &TestDb) {
    let store = seeded(db).await;
    let found = store.names_and_emails(&["pm", "vp", "nobody", "pm"]).await.expect("lookup");
    assert_eq!(found.len(), 2);
    assert_eq!(found["pm"], ("Person pm".to_owned(), "pm@example.com".to_owned()));
    assert!(store.names_and_emails(&[]).await.expect("empty").is_empty());
}

async fn a_persons_pairs_span_programs_and_both_roles(db: &TestDb) {
    let store = seeded(db).await;
    let (first, _) = approved_pair(&store).await;
    let (second, _) = approved_pair(&store).await;
    let programs = |pairs: Vec<plab_store::Pair>| pairs.iter().map(|p| p.program).collect::<Vec<_>>();
    assert_eq!(programs(store.pairs_of_person("vp").await.expect("leader")), [first, second]);
    assert_eq!(programs(store.pairs_of_person("pm").await.expect("mentor")), [first, second]);
    assert!(store.pairs_of_person("ceo").await.expect("nobody's").is_empty());
}

const STARTS: [&str; 3] = ["2026-01-05T10:00:00Z", "2026-01-19T10:00:00Z", "2026-02-02T10:00:00Z"];

/// `STARTS` as instants.
fn starts() -> Vec<time::OffsetDateTime> {
    STARTS.iter().map(|s| plab_domain::session::parse_instant(s).expect("an instant")).collect()
}

async fn sessions_are_planned_once_per_pair(db: &TestDb) {
    let store = seeded(db).await;
    let (_, pair) = approved_pair(&store).await;
    let starts = starts();
    assert_eq!(store.plan_sessions(pair, &starts, 60, &[]).await.expect("plan"), 3);
    assert_eq!(store.plan_sessions(pair, &starts, 60, &[]).await.expect("plan again"), 0);
    let sessions = store.sessions(pair).await.expect("sessions");
    let seen: Vec<(i64, String, SessionStatus)> =
        sessions.iter().map(|s| (s.seq, plab_domain::session::format_instant(s.starts_at), s.status)).collect();
    let planned = |i: usize| (i as i64 + 1, STARTS[i].to_owned(), SessionStatus::Planned);
    assert_eq!(seen, [planned(0), planned(1), planned(2)]);
    assert!(sessions.iter().all(|s| s.pair_id == pair && s.minutes == 60 && !s.homework_done));
    let (first, leader, mentor) = &store.sessions_of_person("pm").await.expect("of person")[0];
    assert_eq!((leader.as_str(), mentor.as_str()), ("vp", "pm"));
    assert_eq!(first, &sessions[0]);
    assert!(store.sessions_of_person("ceo").await.expect("of nobody").is_empty());
}

async fn a_session_leaves_planned_once_and_keeps_its_homework_apart_from_notes(db: &TestDb) {
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    let starts = starts();
    store.plan_sessions(pair, &starts, 60, &[]).await.expect("plan");
    let ids: Vec<SessionId> = store.sessions(pair).await.expect("sessions").iter().map(|s| s.id).collect();
    let sealed = SealedText { author: "vp", key_id: "k1", nonce: &[7; 24], ciphertext: b"sealed homework" };
    store.hold_session(ids[0], None, Some(sealed)).await.expect("hold");
    assert!(matches!(store.hold_session(ids[0], None, None).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.cancel_session(ids[0], &[]).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.reschedule_session(ids[0], starts[2]).await, Err(StoreError::Conflict(_))));
    let homework = store.homework(ids[0]).await.expect("homework").expect("set");
    assert_eq!(homework.ciphertext, b"sealed homework");
    assert!(store.notes(pair).await.expect("notes").is_empty(), "homework is not a note");
    store.hold_session(ids[1], Some(ids[0]), None).await.expect("hold the second, homework done");
    store.cancel_session(ids[2], &[]).await.expect("cancel");
    let done: Vec<bool> = store.sessions(pair).await.expect("sessions").iter().map(|s| s.homework_done).collect();
    assert_eq!(done, [true, false, false], "the first session's homework was done");
    let counts = store.session_counts(program, starts[0]).await.expect("counts");
    assert_eq!((counts.planned, counts.held, counts.cancelled, counts.missed), (0, 2, 1, 0));
    assert_eq!((counts.homework_set, counts.homework_done), (1, 1));
    assert!(matches!(store.session(SessionId(ids[2].0 + 100)).await, Err(StoreError::NotFound { .. })));
}

async fn a_pulse_is_replaced_by_its_author_and_averaged_per_person(db: &TestDb) {
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    let starts = starts();
    store.plan_sessions(pair, &starts, 60, &[]).await.expect("plan");
    let ids: Vec<SessionId> = store.sessions(pair).await.expect("sessions").iter().map(|s| s.id).collect();
    store.save_pulse(ids[0], "pm", "mentor", &[("heard", 1), ("led", 2)]).await.expect("first answer");
    store.save_pulse(ids[0], "pm", "mentor", &[("heard", 2), ("led", 3)]).await.expect("changed answer");
    store.save_pulse(ids[1], "pm", "mentor", &[("heard", 4), ("led", 3)]).await.expect("second session");
    store.save_pulse(ids[0], "vp", "leader", &[("listened", 5)]).await.expect("leader");
    assert_eq!(store.own_pulse(ids[0], "pm").await.expect("own"), [("heard".to_owned(), 2), ("led".to_owned(), 3)]);
    assert_eq!(store.own_pulse(ids[0], "vp").await.expect("own"), [("listened".to_owned(), 5)]);
    let averages = store.pulse_averages(program).await.expect("averages");
    let heard = averages.iter().find(|a| a.item == "heard").expect("heard");
    // The changed answer (2) replaced the first (1): (2 + 4) over two sessions.
    assert_eq!((heard.employee_id.as_str(), heard.role.as_str(), heard.sum, heard.count), ("pm", "mentor", 6, 2));
    assert_eq!(averages.len(), 3);
}

fn release(number: u32, average: f64, basis: &[(&str, u32, u32)]) -> Release {
    Release {
        number,
        figure: GroupAverage { respondents: u32::try_from(basis.len()).expect("few"), average },
        basis: basis.iter().map(|&(p, sum, count)| PersonAnswers { person: p.into(), sum, count }).collect(),
    }
}

async fn a_released_average_keeps_its_basis_and_only_its_successor_replaces_it(db: &TestDb) {
    let store = seeded(db).await;
    let (program, _) = approved_pair(&store).await;
    assert!(store.released_averages(program).await.expect("none yet").is_empty());
    let first = release(1, 3.5, &[("a", 3, 1), ("b", 4, 1)]);
    assert!(store.release_average(program, "heard", &first).await.expect("first"));
    // Two servers that both saw no release: only one first release is kept.
    let rival = release(1, 2.0, &[("c", 2, 1), ("d", 2, 1)]);
    assert!(!store.release_average(program, "heard", &rival).await.expect("rival"));
    assert_eq!(store.released_averages(program).await.expect("read"), [("heard".to_owned(), first.clone())]);

    let second = release(2, 3.25, &[("a", 3, 1), ("b", 4, 1), ("c", 6, 2), ("d", 3, 1)]);
    assert!(store.release_average(program, "heard", &second).await.expect("second"));
    for stale in [release(2, 5.0, &[("a", 5, 1), ("b", 5, 1)]), release(4, 1.0, &[("a", 1, 1), ("b", 1, 1)])] {
        assert!(!store.release_average(program, "heard", &stale).await.expect("stale"), "{stale:?}");
    }
    let other = release(1, 4.0, &[("a", 4, 1), ("b", 4, 1)]);
    assert!(store.release_average(program, "led", &other).await.expect("another item"));
    let stored = store.released_averages(program).await.expect("read");
    assert_eq!(stored, [("heard".to_owned(), second), ("led".to_owned(), other)]);
    assert!(store.released_averages(ProgramId(program.0 + 1)).await.expect("other program").is_empty());
}

async fn instance_settings_read_as_defaults_until_saved_then_round_trip(db: &TestDb) {
    let store = Store::connect(&db.url).await.expect("connect");
    assert_eq!(store.instance_settings().await.expect("defaults"), InstanceSettings::default());
    let mut settings = InstanceSettings { instance_name: "Acme Lab".into(), session_hours: 8, ..Default::default() };
    settings.program_defaults.sessions = 10;
    settings.program_defaults.adjacent_departments = vec![("Sales".into(), "Customer Support".into())];
    store.save_instance_settings(&settings).await.expect("save");
    assert_eq!(store.instance_settings().await.expect("read"), settings);
    settings.instance_name = "Acme Perspective Lab".into();
    store.save_instance_settings(&settings).await.expect("save again overwrites");
    assert_eq!(store.instance_settings().await.expect("read").instance_name, "Acme Perspective Lab");
}

async fn resealing_notes_moves_every_row_or_none(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    let p = propose(&store, id, &[proposed("vp", "pm")]).await;
    store.approve_proposal(id, p).await.expect("approve");
    let pair = store.pairs(id).await.expect("pairs")[0].id;
    for (key, text) in [("old", b"one"), ("old", b"two"), ("new", b"new"), ("old", b"bad")] {
        store.add_note(pair, "vp", key, &[0; 24], text).await.expect("note");
    }
    let before = store.notes(pair).await.expect("notes");
    let refuse_bad = |n: &plab_store::SealedNote| {
        if n.ciphertext == b"bad" {
            Err(StoreError::Conflict(format!("note {}", n.id)))
        } else {
            Ok((vec![1; 24], b"x".to_vec()))
        }
    };
    assert!(matches!(store.reseal_notes("new", refuse_bad, same_mail).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.notes(pair).await.expect("notes"), before, "a failed run writes nothing");
    let upper = |n: &plab_store::SealedNote| Ok::<_, StoreError>((vec![1; 24], n.ciphertext.to_ascii_uppercase()));
    assert_eq!(
        store.reseal_notes("new", upper, same_mail).await.expect("reseal"),
        Resealed { resealed: 3, skipped: 1 }
    );
    let after = store.notes(pair).await.expect("notes");
    let bodies: Vec<&[u8]> = after.iter().map(|n| n.ciphertext.as_slice()).collect();
    assert_eq!(bodies, [b"ONE".as_slice(), b"TWO", b"new", b"BAD"]);
    assert!(after.iter().all(|n| n.key_id == "new"));
    assert_eq!((after[0].nonce.clone(), after[2].nonce.clone()), (vec![1; 24], vec![0; 24]), "skipped rows untouched");
    assert_eq!(store.reseal_notes("new", upper, same_mail).await.expect("rerun"), Resealed { resealed: 0, skipped: 4 });
}

/// Leaves an outbox message's sealed bytes as they are.
fn same_mail(_: &str, nonce: &[u8], sealed: &[u8]) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
    Ok((nonce.to_vec(), sealed.to_vec()))
}

fn outgoing(key: &str, key_id: &str, body: &[u8]) -> plab_store::Outgoing {
    plab_store::Outgoing {
        dedupe_key: key.into(),
        kind: "invitation",
        recipient: "vp@example.com".into(),
        key_id: key_id.into(),
        nonce: vec![0; 24],
        sealed: body.to_vec(),
    }
}

async fn an_outbox_message_is_written_once_claimed_once_and_keeps_no_content_once_sent(db: &TestDb) {
    let store = seeded(db).await;
    let (_, pair) = approved_pair(&store).await;
    // Written with the change that causes it: a second plan (another instance) writes neither.
    let mail = [outgoing("a", "k", b"first"), outgoing("b", "k", b"second")];
    store.plan_sessions(pair, &starts(), 60, &mail).await.expect("plan");
    store.plan_sessions(pair, &starts(), 60, &[outgoing("c", "k", b"third")]).await.expect("plan again");
    assert_eq!(store.enqueue_mail(&[outgoing("a", "k", b"again")]).await.expect("enqueue"), 0, "same key");
    assert!(store.mail_exists("a").await.expect("exists") && !store.mail_exists("c").await.expect("exists"));
    // Two claims at the same moment: each message goes to one of them.
    let (now, lease) = ("9000-01-01T00:00:00Z", "9000-01-01T00:02:00Z");
    let other = Store::connect(&db.url).await.expect("second connection");
    let (x, y) = tokio::join!(store.claim_due_mail(now, lease, 10), other.claim_due_mail(now, lease, 10));
    let (x, y) = (x.expect("claim"), y.expect("claim"));
    assert_eq!(x.len() + y.len(), 2, "{x:?} {y:?}");
    assert!(store.claim_due_mail(now, lease, 10).await.expect("claim").is_empty(), "held by their lease");
    // A lease that ran out (the instance died) lets another take the message again.
    let again = store.claim_due_mail(lease, "9000-01-01T00:04:00Z", 10).await.expect("after the lease");
    assert_eq!(again.len(), 2);
    assert!(again.iter().all(|m| m.attempts == 2));
    store.mail_retry(again[0].id, "9000-01-01T01:00:00Z", "connection refused").await.expect("retry");
    store.mail_sent(again[1].id).await.expect("sent");
    let counts = store.mail_counts().await.expect("counts");
    assert_eq!((counts.pending, counts.sending, counts.sent, counts.failed), (1, 0, 1, 0));
    assert_eq!(counts.recent_errors[0].error, "connection refused");
    assert!(store.claim_due_mail("9000-01-01T00:30:00Z", lease, 10).await.expect("claim").is_empty(), "backing off");
    let bytes = plab_store::testing::outbox_bytes(&store).await;
    let sent_body: &[u8] = if again[1].dedupe_key == "a" { b"first" } else { b"second" };
    assert!(!bytes.windows(sent_body.len()).any(|w| w == sent_body), "a sent message's content is dropped");
    // Rotating the notes key moves a waiting message too.
    let upper = |n: &plab_store::SealedNote| Ok::<_, StoreError>((n.nonce.clone(), n.ciphertext.clone()));
    let shout = |_: &str, n: &[u8], s: &[u8]| Ok::<_, StoreError>((n.to_vec(), s.to_ascii_uppercase()));
    store.reseal_notes("new", upper, shout).await.expect("rekey");
    let waiting = store.claim_due_mail("9000-01-01T02:00:00Z", "9000-01-01T02:02:00Z", 10).await.expect("claim");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].key_id, "new");
    assert!(waiting[0].sealed == b"FIRST" || waiting[0].sealed == b"SECOND");
}

async fn resealing_crosses_its_batches_and_includes_homework(db: &TestDb) {
    let store = seeded(db).await;
    let (_, pair) = approved_pair(&store).await;
    // More notes than one batch of the rotation (500), plus a session's homework.
    for i in 0..1_203u32 {
        store.add_note(pair, "vp", "old", &[0; 24], &i.to_be_bytes()).await.expect("note");
    }
    let starts = starts();
    store.plan_sessions(pair, &starts, 60, &[]).await.expect("plan");
    let session = store.sessions(pair).await.expect("sessions")[0].id;
    let homework = SealedText { author: "vp", key_id: "old", nonce: &[0; 24], ciphertext: b"homework" };
    store.hold_session(session, None, Some(homework)).await.expect("hold");
    let reversed = |n: &plab_store::SealedNote| {
        Ok::<_, StoreError>((vec![2; 24], n.ciphertext.iter().rev().copied().collect::<Vec<u8>>()))
    };
    assert_eq!(
        store.reseal_notes("new", reversed, same_mail).await.expect("reseal"),
        Resealed { resealed: 1_204, skipped: 0 }
    );
    let notes = store.notes(pair).await.expect("notes");
    assert_eq!(notes.len(), 1_203);
    assert!(notes.iter().all(|n| n.key_id == "new" && n.nonce == vec![2; 24]));
    assert_eq!(notes[1_202].ciphertext, 1_202u32.to_le_bytes());
    let homework = store.homework(session).await.expect("homework").expect("kept");
    assert_eq!((homework.key_id.as_str(), homework.ciphertext.as_slice()), ("new", b"krowemoh".as_slice()));
}

async fn a_mentors_own_perspectives_outlive_a_people_import_until_reset(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    let other = program(&store).await;
    store.enroll(id, Role::Mentor, &[("pm".into(), 1)]).await.expect("enroll");
    store.enroll(other, Role::Mentor, &[("pm".into(), 1)]).await.expect("enroll elsewhere");
    store.enroll(id, Role::Leader, &[("vp".into(), 1)]).await.expect("enroll leader");
    let mentor = |e: Vec<plab_store::Enrolment>| e.into_iter().find(|e| e.role == Role::Mentor).expect("mentor");
    assert_eq!(mentor(store.enrolments(id).await.expect("enrolments")).perspectives, None);

    let own = vec!["TikTok for recruiting".to_owned(), "Café culture; remote \"async\" work".to_owned()];
    store.set_mentor_perspectives(id, "pm", Some(&own)).await.expect("set");
    let mut reimported = person("pm", Some("vp"), 3);
    reimported.perspectives = vec!["spreadsheets".into()];
    store.upsert_people(&[reimported], &no_progress).await.expect("re-import");
    store.enroll(id, Role::Mentor, &[("pm".into(), 2)]).await.expect("re-enrol changes capacity only");

    assert_eq!(store.person("pm").await.expect("pm").perspectives, vec!["spreadsheets"]);
    assert_eq!(mentor(store.enrolments(id).await.expect("enrolments")).perspectives, Some(own));
    assert_eq!(mentor(store.enrolments(other).await.expect("other")).perspectives, None, "per program");

    store.set_mentor_perspectives(id, "pm", None).await.expect("reset");
    assert_eq!(mentor(store.enrolments(id).await.expect("enrolments")).perspectives, None);
    let err = store.set_mentor_perspectives(id, "vp", Some(&[])).await.expect_err("a leader has no mentor enrolment");
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

async fn a_proposal_keeps_what_the_engine_reported(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    assert_eq!(store.latest_proposal_id(id).await.expect("none yet"), None);
    let unmatched = vec!["ceo".to_owned()];
    let pairs = [proposed("vp", "pm")];
    let new = NewProposal {
        parameters: r#"{"seed":7}"#,
        total_score: 2.25,
        solve_ms: 0.5,
        unmatched: &unmatched,
        unmatched_reasons: &["No enrolled mentor may take this leader: 1 is in their reporting chain.".to_owned()],
        pairs: &pairs,
    };
    let p = store.add_proposal(id, &new).await.expect("proposal");
    let stored = store.proposal(id, p).await.expect("read");
    assert_eq!((stored.id, stored.program, stored.status.as_str()), (p, id, "proposed"));
    assert_eq!((stored.parameters.as_str(), stored.total_score, stored.solve_ms), (r#"{"seed":7}"#, 2.25, 0.5));
    assert_eq!((stored.unmatched, stored.pairs), (unmatched, pairs.to_vec()));
    assert_eq!(stored.unmatched_reasons, ["No enrolled mentor may take this leader: 1 is in their reporting chain."]);
    assert!(stored.created_at.year() >= 2025, "a real creation time: {}", stored.created_at);
    store.approve_proposal(id, p).await.expect("approve");
    let pair = &store.pairs(id).await.expect("pairs")[0];
    assert_eq!(store.pair(pair.id).await.expect("pair"), *pair);
    assert_eq!((pair.program, pair.pair.clone()), (id, proposed("vp", "pm")));
}

async fn the_audit_log_shows_the_newest_entries_first(db: &TestDb) {
    let store = Store::connect(&db.url).await.expect("connect");
    for (action, subject) in [("import", "people"), ("approve", "proposal 1"), ("reset", "pm@example.com")] {
        store.audit("admin@example.com", action, subject, "3 rows").await.expect("audit");
    }
    let entries = store.audit_log(2).await.expect("log");
    let seen: Vec<(&str, &str, &str, &str)> =
        entries.iter().map(|e| (e.actor.as_str(), e.action.as_str(), e.subject.as_str(), e.detail.as_str())).collect();
    assert_eq!(
        seen,
        [
            ("admin@example.com", "reset", "pm@example.com", "3 rows"),
            ("admin@example.com", "approve", "proposal 1", "3 rows")
        ]
    );
    assert!(entries[0].id > entries[1].id && !entries[0].at.is_empty());
}

async fn the_lab_rules_record_who_accepted_them(db: &TestDb) {
    let store = seeded(db).await;
    let (_, pair) = approved_pair(&store).await;
    assert!(store.charter_accepted_by(pair).await.expect("nobody yet").is_empty());
    assert_eq!(store.accept_charter(pair, "pm").await.expect("mentor accepts"), PairStatus::Forming);
    assert_eq!(store.charter_accepted_by(pair).await.expect("mentor"), ["pm"]);
    assert_eq!(store.accept_charter(pair, "vp").await.expect("leader accepts"), PairStatus::Active);
    assert_eq!(store.charter_accepted_by(pair).await.expect("both"), ["pm", "vp"]);
}

async fn the_directory_keys_and_note_keys_are_listed(db: &TestDb) {
    let store = seeded(db).await;
    let mut keys = store.directory_keys().await.expect("keys");
    keys.sort();
    let pm = ("pm".to_owned(), Some("vp".to_owned()), "pm@example.com".to_owned());
    assert_eq!((keys.len(), &keys[0], &keys[1]), (3, &("ceo".to_owned(), None, "ceo@example.com".to_owned()), &pm));
    let (_, pair) = approved_pair(&store).await;
    assert!(store.note_key_ids().await.expect("none sealed").is_empty());
    for key in ["k2", "k1", "k2"] {
        store.add_note(pair, "vp", key, &[0; 24], b"sealed").await.expect("note");
    }
    assert_eq!(store.note_key_ids().await.expect("keys"), ["k1", "k2"]);
}

async fn a_sign_in_email_given_up_can_open_a_new_account(db: &TestDb) {
    let store = seeded(db).await;
    let first = store.upsert_account("pm@example.com", Some("pm"), "hash-1", false).await.expect("first account");
    assert!(store.change_sign_in_email("pm@example.com", "pm.new@example.com").await.expect("change"));
    let second =
        store.upsert_account("pm@example.com", Some("vp"), "hash-2", false).await.expect("address is free again");
    assert_ne!(first, second);
    let moved = store.account(first).await.expect("read").expect("first");
    assert_eq!((moved.email.as_str(), moved.employee_id.as_deref()), ("pm.new@example.com", Some("pm")));
    let reused = store.account_by_email("pm@example.com").await.expect("read").expect("second");
    assert_eq!((reused.id, reused.employee_id.as_deref()), (second, Some("vp")));
    let taken = store.change_sign_in_email("pm.new@example.com", "pm@example.com").await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
}

fn leader_checkin(insight: &str) -> plab_domain::checkin::CheckinAnswers {
    plab_domain::checkin::CheckinAnswers::Leader { insight: insight.into(), change: "We record the demo.".into() }
}

async fn a_partner_revises_their_check_in_until_a_sponsor_reads_it(db: &TestDb) {
    use plab_store::Recorder;
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    assert_eq!(store.checkin(pair, Role::Leader).await.expect("none yet"), None);
    store.save_checkin(pair, "vp", &leader_checkin("first"), Recorder::Partner).await.expect("answer");
    store.save_checkin(pair, "vp", &leader_checkin("revised"), Recorder::Partner).await.expect("revise");
    let saved = store.checkin(pair, Role::Leader).await.expect("read").expect("answered");
    assert_eq!((saved.answers, saved.employee_id.as_str()), (leader_checkin("revised"), "vp"));
    assert_eq!((saved.recorded_by.as_str(), saved.by_sponsor, saved.read_at), ("vp", false, None));
    assert_eq!(store.checkin(pair, Role::Mentor).await.expect("mentor's"), None, "each partner's is apart");

    assert_eq!(store.mark_checkins_read(program).await.expect("read"), 1);
    assert_eq!(store.mark_checkins_read(program).await.expect("read again"), 0);
    let late = store.save_checkin(pair, "vp", &leader_checkin("too late"), Recorder::Partner).await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    let all = store.program_checkins(program).await.expect("program's");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].answers, leader_checkin("revised"));
    assert!(all[0].read_at.is_some());
}

async fn a_sponsor_records_a_check_in_and_never_overwrites_the_partners_own(db: &TestDb) {
    use plab_domain::checkin::CheckinAnswers;
    use plab_store::Recorder;
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    let mentor = |heard: u8, comment: Option<&str>| CheckinAnswers::Mentor {
        view_of_organization: "Flatter than I thought.".into(),
        heard,
        heard_comment: comment.map(str::to_owned),
    };
    store.save_checkin(pair, "pm", &mentor(3, None), Recorder::Sponsor("ceo")).await.expect("recorded");
    store.save_checkin(pair, "pm", &mentor(4, Some("mostly")), Recorder::Sponsor("ceo")).await.expect("corrected");
    let saved = store.checkin(pair, Role::Mentor).await.expect("read").expect("recorded");
    assert_eq!(saved.answers, mentor(4, Some("mostly")));
    assert_eq!((saved.employee_id.as_str(), saved.recorded_by.as_str(), saved.by_sponsor), ("pm", "ceo", true));
    assert!(saved.read_at.is_some(), "the sponsor who recorded it has read it");
    let own = store.save_checkin(pair, "pm", &mentor(1, None), Recorder::Partner).await;
    assert!(matches!(own, Err(StoreError::Conflict(_))), "{own:?}");

    store.save_checkin(pair, "vp", &leader_checkin("mine"), Recorder::Partner).await.expect("leader's own");
    let over = store.save_checkin(pair, "vp", &leader_checkin("sponsor's"), Recorder::Sponsor("ceo")).await;
    assert!(matches!(over, Err(StoreError::Conflict(_))), "{over:?}");
    let roles: Vec<Role> = store.program_checkins(program).await.expect("all").iter().map(|c| c.role()).collect();
    assert_eq!(roles, [Role::Leader, Role::Mentor]);
}

async fn held_session_starts_cover_the_programs_held_sessions_only(db: &TestDb) {
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    let (_, elsewhere) = approved_pair(&store).await;
    let starts = starts();
    for p in [pair, elsewhere] {
        store.plan_sessions(p, &starts, 60, &[]).await.expect("plan");
        let ids: Vec<SessionId> = store.sessions(p).await.expect("sessions").iter().map(|s| s.id).collect();
        store.hold_session(ids[0], None, None).await.expect("hold");
        store.hold_session(ids[2], None, None).await.expect("hold");
        store.cancel_session(ids[1], &[]).await.expect("cancel");
    }
    let held = store.held_session_starts(program).await.expect("held");
    assert_eq!(held, [(pair, starts[0]), (pair, starts[2])]);
}

async fn insights_are_kept_edited_and_deleted_and_only_shared_text_reaches_sponsors(db: &TestDb) {
    use plab_domain::Theme;
    use plab_domain::insight::{InsightKind, NewInsight};
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    store.plan_sessions(pair, &starts(), 60, &[]).await.expect("plan");
    let session = store.sessions(pair).await.expect("sessions")[0].id;
    let new = |kind, text: &str, shared| NewInsight {
        kind,
        theme: Theme::Technology,
        text: text.into(),
        session: Some(session),
        shared,
    };
    let a = store.add_insight(pair, "vp", &new(InsightKind::Decision, "private decision", false)).await.expect("add");
    let b = store.add_insight(pair, "vp", &new(InsightKind::Action, "shared action", true)).await.expect("add");
    let first = store.insight(a).await.expect("read");
    assert_eq!((first.pair, first.author_id.as_str(), first.session), (pair, "vp", Some(session)));
    assert_eq!(
        (first.kind, first.theme, first.text.as_str(), first.shared),
        (InsightKind::Decision, Theme::Technology, "private decision", false)
    );

    let edited =
        NewInsight { theme: Theme::CultureSafety, session: None, ..new(InsightKind::Decision, "edited", false) };
    store.update_insight(a, &edited).await.expect("edit");
    let after = store.insight(a).await.expect("read");
    assert_eq!((after.theme, after.text.as_str(), after.session), (Theme::CultureSafety, "edited", None));
    assert_eq!(store.insights(pair).await.expect("log").iter().map(|i| i.id).collect::<Vec<_>>(), [a, b]);

    let shared = store.shared_insights(program).await.expect("shared");
    assert_eq!(shared.iter().map(|i| i.text.as_str()).collect::<Vec<_>>(), ["shared action"]);
    let tallies = store.insight_tallies(program).await.expect("tallies");
    let seen: Vec<(InsightKind, bool, u32)> = tallies.iter().map(|t| (t.kind, t.shared, t.count)).collect();
    assert_eq!(seen, [(InsightKind::Action, true, 1), (InsightKind::Decision, false, 1)]);

    store.delete_insight(a).await.expect("delete");
    assert!(matches!(store.insight(a).await, Err(StoreError::NotFound { .. })));
    assert!(matches!(store.delete_insight(a).await, Err(StoreError::NotFound { .. })));
    assert!(matches!(store.update_insight(a, &edited).await, Err(StoreError::NotFound { .. })));
    assert_eq!(store.insights(pair).await.expect("log").len(), 1);
}

async fn every_change_to_program_data_moves_the_revision_and_signing_in_does_not(db: &TestDb) {
    let store = seeded(db).await;
    let mut last = store.revision().await.expect("revision");
    let mut moved = |now: plab_store::Revision, what: &str| {
        assert!(now > last, "{what} must move the data revision");
        last = now;
    };
    let program = program(&store).await;
    moved(store.revision().await.expect("revision"), "creating a program");
    store.enroll(program, Role::Mentor, &[("vp".into(), 1)]).await.expect("enroll");
    moved(store.revision().await.expect("revision"), "enrolling");
    store.upsert_people(&[person("new", Some("vp"), 2)], &no_progress).await.expect("people");
    moved(store.revision().await.expect("revision"), "importing people");
    store.set_opted_out(program, "vp", true).await.expect("opt out");
    moved(store.revision().await.expect("revision"), "opting out");
    let account = store.upsert_account("vp@example.com", Some("vp"), "not-a-hash", false).await.expect("account");
    store.add_token("hash", account, "2999-01-01T00:00:00Z").await.expect("token");
    store.reserve_sign_in("attempt", "vp@example.com", "127.0.0.1", "2000-01-01T00:00:00Z").await.expect("attempt");
    let (_, seen) = store.account_by_token("hash").await.expect("lookup").expect("token");
    assert_eq!(seen, last, "accounts, tokens and sign-in attempts leave the revision where it was");
    store.delete_token("hash").await.expect("sign out");
    assert_eq!(store.revision().await.expect("revision"), last);
}

async fn a_cached_read_follows_a_change_made_through_another_connection(db: &TestDb) {
    let store = seeded(db).await;
    let program = program(&store).await;
    store.enroll(program, Role::Sponsor, &[("ceo".into(), 1)]).await.expect("enroll");
    let seen = Some(store.revision().await.expect("revision"));
    assert_eq!(store.program_roles(program, "ceo", seen).await.expect("roles"), vec![Role::Sponsor]);
    assert!(store.program_roles(program, "pm", seen).await.expect("roles").is_empty());
    // Another process (a second pool on the same database) enrols the PM.
    let other = Store::connect(&db.url).await.expect("second connection");
    other.enroll(program, Role::Mentor, &[("pm".into(), 1)]).await.expect("enroll elsewhere");
    assert!(store.program_roles(program, "pm", seen).await.expect("roles").is_empty(), "served as of `seen`");
    let now = Some(store.revision().await.expect("revision"));
    assert!(now > seen);
    assert_eq!(store.program_roles(program, "pm", now).await.expect("roles"), vec![Role::Mentor]);
    assert!(
        store.program_roles(program, "pm", seen).await.expect("roles").contains(&Role::Mentor),
        "an older revision is read from the database, never from memory"
    );
    other.close().await;
}

async fn a_pending_single_sign_on_is_taken_once_and_never_after_it_expires(db: &TestDb) {
    let store = seeded(db).await;
    let pending = plab_store::PendingSignIn { nonce: "n".into(), verifier: "v".into(), next: "/home".into() };
    assert!(store.begin_sso("fresh", &pending, "2999-01-01T00:00:00Z", "10.0.0.1", 2).await.expect("begin"));
    assert!(store.begin_sso("stale", &pending, "2000-01-01T00:00:00Z", "10.0.0.1", 2).await.expect("begin"));
    // The stale one is gone, so the address holds one; a second fills it, a third is refused.
    assert!(store.begin_sso("second", &pending, "2999-01-01T00:00:00Z", "10.0.0.1", 2).await.expect("begin"));
    assert!(!store.begin_sso("third", &pending, "2999-01-01T00:00:00Z", "10.0.0.1", 2).await.expect("begin"));
    assert!(store.begin_sso("elsewhere", &pending, "2999-01-01T00:00:00Z", "10.0.0.2", 2).await.expect("begin"));
    assert_eq!(store.take_sso("third").await.expect("take"), None, "nothing written for the refused one");
    assert_eq!(store.take_sso("fresh").await.expect("take"), Some(pending.clone()));
    assert_eq!(store.take_sso("fresh").await.expect("take"), None, "used once");
    assert_eq!(store.take_sso("stale").await.expect("take"), None, "expired");
    assert_eq!(store.take_sso("unknown").await.expect("take"), None);
}

async fn a_provider_identity_links_to_one_persons_account_and_an_account_to_one_identity(db: &TestDb) {
    let store = seeded(db).await;
    let iss = "https://idp.example";
    let made = store.link_sso(iss, "sub-vp", "vp", "vp@example.com").await.expect("link");
    assert_eq!((made.employee_id.as_deref(), made.password_hash.as_deref()), (Some("vp"), None));
    assert_eq!(store.sso_account(iss, "sub-vp").await.expect("read").map(|a| a.id), Some(made.id));
    // The same identity again is the same account, nothing new.
    let again = store.link_sso(iss, "sub-vp", "vp", "vp@example.com").await.expect("again");
    assert_eq!(again.id, made.id);
    // Another identity for the same person is refused; the same subject at another issuer is another identity.
    assert!(matches!(
        store.link_sso(iss, "sub-other", "vp", "vp@example.com").await,
        Err(plab_store::StoreError::Conflict(_))
    ));
    assert!(store.sso_account(iss, "sub-other").await.expect("read").is_none());
    assert!(store.sso_account("https://other.example", "sub-vp").await.expect("read").is_none());
    // An existing password account of the person is linked, not duplicated.
    let ceo = store.upsert_account("ceo@example.com", Some("ceo"), "hash", false).await.expect("account");
    assert_eq!(store.link_sso(iss, "sub-ceo", "ceo", "ceo@example.com").await.expect("link").id, ceo);
    // A sign-in e-mail that is another account's is a conflict, and nothing is linked.
    assert!(matches!(
        store.link_sso(iss, "sub-pm", "pm", "vp@example.com").await,
        Err(plab_store::StoreError::Conflict(_))
    ));
    assert!(store.sso_account(iss, "sub-pm").await.expect("read").is_none());
}

fn record(user_name: &str) -> plab_store::ScimRecord {
    plab_store::ScimRecord {
        external_id: Some("ext".into()),
        user_name: user_name.into(),
        resource: "{}".into(),
        created_at: "2026-01-01T00:00:00Z".into(),
        last_modified: "2026-01-01T00:00:00Z".into(),
    }
}

async fn a_scim_write_is_all_or_nothing_and_a_delete_keeps_the_person(db: &TestDb) {
    use plab_store::{Deactivate, ScimSelect};
    let store = seeded(db).await;
    store.save_scim_person(&person("new", Some("ceo"), 2), &record("New@X"), Deactivate::No).await.expect("save");
    let (total, found) = store.scim_people(&ScimSelect::UserName("new@x".into()), 0, 10).await.expect("find");
    assert_eq!((total, found[0].person.employee_id.as_str()), (1, "new"));
    // The same userName for someone else breaks the unique index: the person is not written either.
    let err = store.save_scim_person(&person("other", None, 2), &record("NEW@x"), Deactivate::No).await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    assert!(store.person("other").await.is_err(), "nothing half-written");
    let account = store.upsert_account("pm@example.com", Some("pm"), "not-a-hash", false).await.expect("account");
    store.add_token("pm-token", account, "2999-01-01T00:00:00Z").await.expect("token");
    assert!(store.delete_scim_person("pm", "2026-06-01").await.expect("delete"));
    assert!(!store.delete_scim_person("pm", "2026-06-01").await.expect("again"), "already gone");
    assert!(store.scim_person("pm").await.expect("read").is_none());
    assert_eq!(store.person("pm").await.expect("kept").end_date, Date::parse("2026-06-01").ok());
    assert!(store.account_by_token("pm-token").await.expect("lookup").is_none(), "sign-ins ended");
    assert!(store.account(account).await.expect("account").expect("kept").disabled_at.is_some());
    let (all, _) = store.scim_people(&ScimSelect::All, 0, 0).await.expect("count");
    assert_eq!(all, 3, "ceo, vp and new: the deleted person is left out of SCIM lists");
}

async fn a_revoked_scim_token_is_found_no_more(db: &TestDb) {
    let store = seeded(db).await;
    let id = store.add_scim_token("hash-1", "okta").await.expect("token");
    let used = store.use_scim_token("hash-1").await.expect("use").expect("live");
    assert_eq!((used.label.as_str(), used.last_used_at.is_some()), ("okta", true));
    assert!(store.revoke_scim_token(id).await.expect("revoke"));
    assert!(!store.revoke_scim_token(id).await.expect("again"));
    assert!(store.use_scim_token("hash-1").await.expect("use").is_none());
    assert!(store.scim_tokens().await.expect("list")[0].revoked_at.is_some());
}

fn link_for(email: &str, employee_id: &str, epoch: Option<i64>) -> plab_store::PasswordLink {
    plab_store::PasswordLink {
        email: email.into(),
        employee_id: Some(employee_id.into()),
        purpose: plab_store::LinkPurpose::Reset,
        created_by: "cli:operator".into(),
        account_epoch: epoch,
    }
}

async fn a_set_password_link_works_only_at_the_credential_epoch_it_was_issued_for(db: &TestDb) {
    let store = seeded(db).await;
    let until = "2999-01-01T00:00:00Z";
    let id = store.upsert_account("pm@example.com", Some("pm"), "hash-1", false).await.expect("account");
    let epoch = |store: &Store| {
        let store = store.clone();
        async move { store.account(id).await.expect("read").expect("account").credential_epoch }
    };
    let issue = |hash: &'static str, epoch: Option<i64>| {
        let store = store.clone();
        async move { store.add_password_link(hash, &link_for("pm@example.com", "pm", epoch), until, &[]).await }
    };
    assert!(issue("l1", Some(epoch(&store).await)).await.expect("link"));
    assert!(store.password_link("l1").await.expect("read").is_some());
    // Every change of the credentials ends it: signing out everywhere, a password, disabling, a linked identity.
    store.delete_tokens_of(id).await.expect("sign out everywhere");
    assert!(store.password_link("l1").await.expect("read").is_none());
    assert!(!store.use_password_link("l1", "pm@example.com").await.expect("use"), "it cannot be used either");
    for change in 0..3 {
        let hash = ["l2", "l3", "l4"][change];
        assert!(issue(hash, Some(epoch(&store).await)).await.expect("link"));
        match change {
            0 => store.replace_password(id, "hash-2", None, None).await.expect("password"),
            1 => {
                store.set_account_disabled(id, true).await.expect("disable");
                store.set_account_disabled(id, false).await.expect("enable");
            }
            _ => {
                store.link_sso("https://idp.example", "sub-pm", "pm", "pm@example.com").await.expect("identity");
            }
        }
        assert!(store.password_link(hash).await.expect("read").is_none(), "change {change} ends the link");
    }
    // A newer link ends the older one; the newer one works once.
    assert!(issue("l5", Some(epoch(&store).await)).await.expect("link"));
    assert!(issue("l6", Some(epoch(&store).await)).await.expect("link"));
    assert!(store.password_link("l5").await.expect("read").is_none(), "a newer link ends the older");
    assert!(store.use_password_link("l6", "pm@example.com").await.expect("use"));
    assert!(!store.use_password_link("l6", "pm@example.com").await.expect("use"), "once");
    // A link issued when there was no account works only while there is still none.
    let vp = link_for("vp@example.com", "vp", None);
    assert!(store.add_password_link("v1", &vp, until, &[]).await.expect("link"));
    assert!(store.password_link("v1").await.expect("read").is_some());
    store.link_sso("https://idp.example", "sub-vp", "vp", "vp@example.com").await.expect("single sign-on");
    assert!(store.password_link("v1").await.expect("read").is_none(), "an account appeared");
    let vp = store.account_by_email("vp@example.com").await.expect("read").expect("account");
    assert!(vp.established && vp.password_hash.is_none(), "a linked identity is a credential");
}

async fn mail_reaches_only_a_sign_in_address_in_good_standing(db: &TestDb) {
    let store = seeded(db).await;
    let id = store.upsert_account("pat.signs.in@example.com", Some("pm"), "hash", false).await.expect("account");
    let today = "2026-06-01";
    let found = store.recipients(&["pm", "vp", "nobody"], today).await.expect("recipients");
    assert_eq!(found.len(), 2, "unknown ids are left out");
    assert_eq!(
        found[0].sign_in.as_deref(),
        Some("pat.signs.in@example.com"),
        "the account's address, not the directory's"
    );
    assert_eq!(found[0].directory_email.as_deref(), Some("pm@example.com"));
    assert_eq!((found[1].sign_in.as_deref(), found[1].directory_email.as_deref()), (None, Some("vp@example.com")));
    // A leave date that has come: nothing at all, the day it comes and after.
    let mut pm = person("pm", Some("vp"), 3);
    pm.end_date = Date::parse(today).ok();
    store.upsert_people(&[pm], &no_progress).await.expect("leaves");
    let before = store.recipients(&["pm"], "2026-05-31").await.expect("recipients");
    assert_eq!(before[0].sign_in.as_deref(), Some("pat.signs.in@example.com"), "not yet");
    let after = store.recipients(&["pm"], today).await.expect("recipients");
    assert_eq!((after[0].sign_in.as_deref(), after[0].directory_email.as_deref()), (None, None));
    assert!(!store.account(id).await.expect("read").expect("account").in_good_standing(today));
    // A disabled account: nothing either.
    store.upsert_account("vic@example.com", Some("vp"), "hash", false).await.expect("account");
    let vp = store.account_by_email("vic@example.com").await.expect("read").expect("account");
    store.set_account_disabled(vp.id, true).await.expect("disable");
    let disabled = store.recipients(&["vp"], today).await.expect("recipients");
    assert_eq!((disabled[0].sign_in.as_deref(), disabled[0].directory_email.as_deref()), (None, None));
}

async fn a_people_search_counts_every_match_and_pages_by_name(db: &TestDb) {
    let store = seeded(db).await;
    let mut gone = person("old", Some("ceo"), 3);
    gone.end_date = Some(Date::parse("2020-01-31").expect("date"));
    let mut remote = person("rem", Some("ceo"), 3);
    remote.title = Some("100% remote".into());
    store.upsert_people(&[gone, remote], &no_progress).await.expect("people");
    let today = "2026-12-07";
    assert_eq!(store.count_found_people("person", None, today).await.expect("count"), 4, "the leaver is left out");
    assert_eq!(store.count_found_people("person", Some(3), today).await.expect("count"), 2);
    assert_eq!(store.count_found_people("0% r", None, today).await.expect("count"), 1, "% is a character");
    assert_eq!(store.count_found_people("1_0", None, today).await.expect("count"), 0, "so is _");
    let page = store.found_people_page("person", None, today, 3, 3).await.expect("page");
    let ids: Vec<&str> = page.iter().map(|p| p.employee_id.as_str()).collect();
    assert_eq!(ids, ["vp"], "by name: Person ceo, Person pm, Person rem, then Person vp");
    let level = store.found_people_page("person", Some(3), today, 1, 1).await.expect("page");
    assert_eq!(level.iter().map(|p| p.employee_id.as_str()).collect::<Vec<_>>(), ["rem"]);
    let all = store.found_people_ids("person", None, today).await.expect("ids");
    assert_eq!(all, ["ceo", "pm", "rem", "vp"]);
}

async fn an_invitation_is_recorded_once_per_resend_window_with_its_link(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    store.enroll(id, Role::Leader, &[("pm".to_owned(), 1)]).await.expect("enrol");
    let states = store.invitation_states(id).await.expect("states");
    assert_eq!((states[0].invited_at.is_none(), states[0].has_account), (true, false));
    let account = store.open_account("pm@example.com", "pm").await.expect("account");
    assert!(!account.established && account.password_hash.is_none());
    assert!(matches!(store.open_account("pm@example.com", "vp").await, Err(StoreError::Conflict(_))));
    let link = plab_store::PasswordLink {
        email: "pm@example.com".into(),
        employee_id: Some("pm".into()),
        purpose: plab_store::LinkPurpose::Onboarding,
        created_by: "sponsor@example.com".into(),
        account_epoch: Some(account.credential_epoch),
    };
    let new = plab_store::NewLink { token_hash: "hash-1", link: &link, expires_at: "2999-01-01T00:00:00Z" };
    assert!(store.record_invitation(id, "pm", "s", "2000-01-01T00:00:00Z", Some(new), &[]).await.expect("first"));
    assert!(store.password_link("hash-1").await.expect("link").is_some(), "the link went in with it");
    // Too soon: the last one went out after the window's start.
    let again = plab_store::NewLink { token_hash: "hash-2", link: &link, expires_at: "2999-01-01T00:00:00Z" };
    assert!(!store.record_invitation(id, "pm", "s", "2000-01-01T00:00:00Z", Some(again), &[]).await.expect("again"));
    assert!(store.password_link("hash-2").await.expect("link").is_none(), "nothing written");
    assert!(store.record_invitation(id, "pm", "s", "2999-01-01T00:00:00Z", None, &[]).await.expect("later"));
    let states = store.invitation_states(id).await.expect("states");
    assert_eq!((states[0].sent, states[0].has_account, states[0].established), (2, true, false));
    assert_eq!(store.account_of_person("pm").await.expect("account").map(|a| a.id), Some(account.id));
}

async fn unenrolling_takes_the_enrolments_rules_and_open_proposal_but_keeps_pairs(db: &TestDb) {
    let store = seeded(db).await;
    let id = program(&store).await;
    store.enroll(id, Role::Leader, &[("vp".to_owned(), 1), ("ceo".to_owned(), 1)]).await.expect("leaders");
    store.enroll(id, Role::Mentor, &[("pm".to_owned(), 1)]).await.expect("mentor");
    let approved = propose(&store, id, &[proposed("ceo", "pm")]).await;
    store.approve_proposal(id, approved).await.expect("approve");
    store.set_pair_rule(id, "vp", "pm", PairRule::Forbid).await.expect("rule");
    let open = propose(&store, id, &[proposed("vp", "pm")]).await;
    assert!(store.unenrol(id, "vp").await.expect("unenrol"));
    assert!(!store.enrolments(id).await.expect("enrolments").iter().any(|e| e.employee_id == "vp"));
    assert!(store.pair_rules(id, PairRule::Forbid).await.expect("rules").is_empty());
    assert_eq!(store.proposal(id, open).await.expect("proposal").status, ProposalStatus::Superseded);
    assert!(!store.unenrol(id, "vp").await.expect("again"), "not enrolled any more");
    assert!(store.unenrol(id, "pm").await.expect("unenrol"));
    assert_eq!(store.pairs(id).await.expect("pairs").len(), 1, "the pair stays: the application refuses first");
}

async fn accounts_are_paged_and_found_by_email_name_or_employee_id(db: &TestDb) {
    let store = seeded(db).await;
    for who in ["ceo", "vp", "pm"] {
        store.upsert_account(&format!("{who}@example.com"), Some(who), "hash", false).await.expect("account");
    }
    store.upsert_account("root@ops.example", None, "hash", true).await.expect("admin");
    let page = store.accounts_page("", 2, 2).await.expect("page");
    let emails: Vec<&str> = page.accounts.iter().map(|a| a.email.as_str()).collect();
    assert_eq!((page.total, emails), (4, vec!["root@ops.example", "vp@example.com"]));
    assert_eq!(store.accounts_page("PERSON VP", 50, 0).await.expect("by name").total, 1);
    let by_id = store.accounts_page("pm", 50, 0).await.expect("by id");
    assert_eq!(by_id.accounts.iter().map(|a| a.email.as_str()).collect::<Vec<_>>(), ["pm@example.com"]);
    assert_eq!(store.accounts_page("ops.ex", 50, 0).await.expect("by e-mail").total, 1);
    assert_eq!(store.accounts_page("_", 50, 0).await.expect("literal").total, 0, "_ is a character");
}

async fn a_session_said_not_to_have_happened_is_missed_and_leaves_planned_for_good(db: &TestDb) {
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    let starts = starts();
    store.plan_sessions(pair, &starts, 60, &[]).await.expect("plan");
    let ids: Vec<SessionId> = store.sessions(pair).await.expect("sessions").iter().map(|s| s.id).collect();
    store.record_missed(ids[0]).await.expect("missed");
    assert!(matches!(store.record_missed(ids[0]).await, Err(StoreError::Conflict(_))), "once");
    assert!(matches!(store.hold_session(ids[0], None, None).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.cancel_session(ids[0], &[]).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.reschedule_session(ids[0], starts[2]).await, Err(StoreError::Conflict(_))));
    let first = store.session(ids[0]).await.expect("session");
    assert_eq!(first.status, SessionStatus::Missed);
    assert!(first.missed_at.is_some());
    store.hold_session(ids[1], None, None).await.expect("hold");
    assert!(matches!(store.record_missed(ids[1]).await, Err(StoreError::Conflict(_))), "a held session");
    // Counted as of a day: the third, unanswered a week after its start, reads as missed too.
    let day_after_the_third = starts[2] + time::Duration::days(1);
    let counts = store.session_counts(program, day_after_the_third).await.expect("counts");
    assert_eq!((counts.planned, counts.held, counts.missed), (1, 1, 1));
    let counts = store.session_counts(program, starts[2] + time::Duration::days(8)).await.expect("counts");
    assert_eq!((counts.planned, counts.held, counts.missed), (0, 1, 2));
    let third = store.session(ids[2]).await.expect("third");
    assert_eq!(third.status, SessionStatus::Planned, "nothing was written for it");
    assert_eq!(third.status_at(starts[2] + time::Duration::days(8)), SessionStatus::Missed);
    assert!(third.lapsed_at(starts[2] + time::Duration::days(8)));
    let reminders = store.planned_sessions_starting(starts[0], starts[2]).await.expect("planned");
    assert!(reminders.is_empty(), "no reminder for a missed session: {reminders:?}");
}

async fn the_session_timer_is_replaced_only_as_its_presser_read_it(db: &TestDb) {
    use plab_domain::timer::TimerState;
    let store = seeded(db).await;
    let (_, pair) = approved_pair(&store).await;
    let starts = starts();
    store.plan_sessions(pair, &starts, 60, &[]).await.expect("plan");
    let id = store.sessions(pair).await.expect("sessions")[0].id;
    assert_eq!(store.timer(id).await.expect("timer"), None);
    let running = TimerState { segment: 0, started_at: starts[0], spent_seconds: 0, paused: false };
    assert!(store.save_timer(id, None, Some(running), None).await.expect("start"));
    assert!(!store.save_timer(id, None, Some(running), None).await.expect("started meanwhile"), "the other device");
    assert_eq!(store.timer(id).await.expect("timer"), Some(running));
    let next = TimerState { segment: 1, started_at: starts[0] + time::Duration::minutes(11), ..running };
    assert!(store.save_timer(id, Some(running), Some(next), Some(("Connect", 11, "vp"))).await.expect("next"));
    assert!(!store.save_timer(id, Some(running), Some(next), Some(("Connect", 12, "pm"))).await.expect("stale"));
    assert_eq!(store.timer(id).await.expect("timer"), Some(next));
    let measures = store.session_measures(plab_store::Scope::Pair(pair)).await.expect("measures");
    assert_eq!(
        measures.segments.iter().map(|t| (t.segment.as_str(), t.minutes)).collect::<Vec<_>>(),
        [("Connect", 11)]
    );
    assert!(store.save_timer(id, Some(next), None, None).await.expect("stop"));
    assert_eq!(store.timer(id).await.expect("timer"), None);
}

async fn a_follow_up_is_kept_per_pair_and_signal(db: &TestDb) {
    use plab_domain::triage::FollowUp;
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    assert!(store.follow_ups(program).await.expect("none").is_empty());
    store.set_follow_up(pair, "unfocused", FollowUp::Contacted).await.expect("set");
    store.set_follow_up(pair, "expert_reflex", FollowUp::New).await.expect("set");
    store.set_follow_up(pair, "unfocused", FollowUp::Resolved).await.expect("replace");
    let seen: Vec<(String, FollowUp)> =
        store.follow_ups(program).await.expect("follow-ups").into_iter().map(|f| (f.signal, f.state)).collect();
    assert_eq!(seen, [("expert_reflex".to_owned(), FollowUp::New), ("unfocused".to_owned(), FollowUp::Resolved)]);
    assert!(store.follow_ups(ProgramId(program.0 + 100)).await.expect("another program").is_empty());
}

/// A store with four entries about programs 1 and 2, by two actors.
async fn audited(db: &TestDb) -> Store {
    let store = Store::connect(&db.url).await.expect("connect");
    for (actor, action, subject) in [
        ("admin@example.com", "people.import", "people.csv"),
        ("sponsor@example.com", "program.create", "program 1"),
        ("sponsor@example.com", "pairing.pin", "program 1"),
        ("other@example.com", "pairing.forbid", "program 2"),
    ] {
        store.audit(actor, action, subject, "detail").await.expect("audit");
    }
    store
}

fn broken_at(check: &plab_store::ChainCheck) -> Option<(i64, plab_store::ChainBreak)> {
    check.problem.as_ref().map(|p| (p.id, p.kind))
}

async fn the_audit_chain_is_whole_after_many_writers_at_once(db: &TestDb) {
    let store = audited(db).await;
    let writers: Vec<_> = (0..24)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store.audit("admin@example.com", "settings.update", "instance", &format!("{i}")).await
            })
        })
        .collect();
    for w in writers {
        w.await.expect("joined").expect("audit");
    }
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!((check.entries, broken_at(&check)), (28, None));
    assert_eq!(check.head.len(), 64);
}

async fn the_audit_chain_names_an_edited_entry(db: &TestDb) {
    let store = audited(db).await;
    assert_eq!(broken_at(&store.verify_audit_chain().await.expect("verify")), None);
    let second = store.audit_log(10).await.expect("log")[2].id;
    plab_store::testing::tamper(
        &store,
        "UPDATE audit_log SET actor = 'someone-else@example.com' WHERE action = 'program.create'",
    )
    .await;
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!(broken_at(&check), Some((second, plab_store::ChainBreak::Changed)));
}

async fn the_audit_chain_names_a_removed_entry(db: &TestDb) {
    let store = audited(db).await;
    let entries = store.audit_log(10).await.expect("log");
    plab_store::testing::tamper(&store, "DELETE FROM audit_log WHERE action = 'program.create'").await;
    let check = store.verify_audit_chain().await.expect("verify");
    // The entry after the removed one no longer links to the one before it.
    assert_eq!(broken_at(&check), Some((entries[1].id, plab_store::ChainBreak::RemovedOrInserted)));
}

async fn the_audit_chain_names_an_inserted_entry(db: &TestDb) {
    let store = audited(db).await;
    // Copied from a real entry, hashes and all, with a new id in the middle.
    plab_store::testing::tamper(
        &store,
        "INSERT INTO audit_log (id, actor, action, subject, detail, at, program_id, prev_hash, hash) \
         SELECT 1000, actor, action, subject, detail, at, program_id, prev_hash, hash FROM audit_log WHERE action = 'pairing.pin'",
    )
    .await;
    plab_store::testing::tamper(&store, "UPDATE audit_log SET id = 3000 WHERE action = 'pairing.forbid'").await;
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!(broken_at(&check), Some((1000, plab_store::ChainBreak::Changed)));
    plab_store::testing::tamper(&store, "DELETE FROM audit_log WHERE id = 1000").await;
    // Without a hash of its own, it cannot join the chain either.
    plab_store::testing::tamper(
        &store,
        "INSERT INTO audit_log (id, actor, action, subject, detail, at) VALUES (2000, 'x@example.com', 'pairing.pin', 'program 1', '', '2026-01-01T00:00:00Z')",
    )
    .await;
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!(broken_at(&check), Some((2000, plab_store::ChainBreak::RemovedOrInserted)));
}

async fn the_audit_chain_notices_entries_cut_from_the_end(db: &TestDb) {
    let store = audited(db).await;
    plab_store::testing::tamper(&store, "DELETE FROM audit_log WHERE action = 'pairing.forbid'").await;
    let check = store.verify_audit_chain().await.expect("verify");
    let last = store.audit_log(1).await.expect("log")[0].id;
    assert_eq!(broken_at(&check), Some((last, plab_store::ChainBreak::Truncated)));
}

async fn a_redaction_keeps_the_chain_whole_but_words_replaced_by_hand_are_found(db: &TestDb) {
    let store = audited(db).await;
    let changed =
        store.redact_audit(&["Sponsor@Example.com".to_owned()], "operator", "person E1").await.expect("redact");
    assert_eq!(changed, 2);
    let log = store.audit_log(10).await.expect("log");
    assert!(log.iter().all(|e| !format!("{e:?}").contains("sponsor@example.com")), "{log:?}");
    assert_eq!((log[0].action.as_str(), log[0].subject.as_str()), ("audit.redact", "person E1"));
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!((check.entries, broken_at(&check)), (5, None));
    // Words replaced by hand, with a made-up seal, are not an erasure.
    plab_store::testing::tamper(
        &store,
        "UPDATE audit_log SET actor = '[erased]', sealed = 'actor:0000' WHERE action = 'people.import'",
    )
    .await;
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!(broken_at(&check).map(|b| b.1), Some(plab_store::ChainBreak::Changed));
}

async fn the_audit_log_filters_by_actor_action_time_and_program(db: &TestDb) {
    let store = audited(db).await;
    let query = |f: fn(&mut plab_store::AuditQuery)| {
        let mut q = plab_store::AuditQuery { limit: 50, ..Default::default() };
        f(&mut q);
        q
    };
    let actions = |entries: Vec<plab_store::AuditEntry>| entries.into_iter().map(|e| e.action).collect::<Vec<_>>();
    let by_sponsor = store.audit_entries(&query(|q| q.actor = Some("SPONSOR@example.com".into()))).await.expect("q");
    assert_eq!(actions(by_sponsor), ["pairing.pin", "program.create"]);
    let pairing = store.audit_entries(&query(|q| q.action = Some("pairing.".into()))).await.expect("q");
    assert_eq!(actions(pairing), ["pairing.forbid", "pairing.pin"]);
    let program_one = store.audit_entries(&query(|q| q.program = Some(1))).await.expect("q");
    assert_eq!(actions(program_one), ["pairing.pin", "program.create"]);
    let first = store.audit_log(10).await.expect("log").last().expect("one").id;
    let following = store.audit_entries(&query(|q| q.after = Some(0))).await.expect("q");
    assert_eq!(following[0].id, first, "after a cursor, oldest first");
    let tomorrow = store.audit_entries(&query(|q| q.from = Some("2999-01-01".into()))).await.expect("q");
    assert!(tomorrow.is_empty());
    let until_now = store.audit_entries(&query(|q| q.to = Some("2999-01-01".into()))).await.expect("q");
    assert_eq!(until_now.len(), 4);
    let only =
        store.audit_entries(&query(|q| q.only_actions = Some(&["pairing.pin", "people.import"]))).await.expect("q");
    assert_eq!(actions(only), ["pairing.pin", "people.import"]);
}

async fn entries_written_before_the_chain_are_linked_once_when_the_store_starts(db: &TestDb) {
    let store = audited(db).await;
    // As the log stood before it was a chain: no hashes and no head.
    plab_store::testing::tamper(&store, "UPDATE audit_log SET prev_hash = NULL, hash = NULL, program_id = NULL").await;
    plab_store::testing::tamper(&store, "DELETE FROM audit_head").await;
    let store = Store::connect(&db.url).await.expect("reconnect");
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!((check.entries, broken_at(&check)), (4, None));
    assert_eq!(store.audit_log(10).await.expect("log")[0].program, Some(2));
    // Later an entry slipped in without a hash is not linked in by a restart.
    plab_store::testing::tamper(
        &store,
        "INSERT INTO audit_log (actor, action, subject, detail, at) VALUES ('x@example.com', 'pairing.pin', 'program 1', '', '2026-01-01T00:00:00Z')",
    )
    .await;
    let store = Store::connect(&db.url).await.expect("reconnect");
    let check = store.verify_audit_chain().await.expect("verify");
    assert_eq!(broken_at(&check).map(|b| b.1), Some(plab_store::ChainBreak::RemovedOrInserted));
}

async fn a_fit_answer_is_replaced_by_its_partner_and_only_not_fit_on_an_open_pair_needs_a_check(db: &TestDb) {
    use plab_domain::fit::FitAnswer;
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    assert_eq!(store.own_fit_answer(pair, "pm").await.expect("read"), None);
    let before = store.revision().await.expect("revision");
    store.save_fit_answer(pair, "vp", Role::Leader, FitAnswer::Fit, None).await.expect("leader answers");
    assert!(store.revision().await.expect("revision") > before, "an answer moves the data revision");
    assert!(store.pairs_needing_fit_check(program).await.expect("checks").is_empty());
    store.save_fit_answer(pair, "pm", Role::Mentor, FitAnswer::NotFit, Some("other topic")).await.expect("mentor");
    assert_eq!(store.pairs_needing_fit_check(program).await.expect("checks").into_iter().collect::<Vec<_>>(), [pair]);
    let mine = store.own_fit_answer(pair, "pm").await.expect("read").expect("answered");
    assert_eq!((mine.answer, mine.comment.as_deref()), (FitAnswer::NotFit, Some("other topic")));
    // Changed in place: one row per partner, the comment replaced.
    store.save_fit_answer(pair, "pm", Role::Mentor, FitAnswer::Unsure, None).await.expect("changed");
    let mine = store.own_fit_answer(pair, "pm").await.expect("read").expect("answered");
    assert_eq!((mine.answer, mine.comment), (FitAnswer::Unsure, None));
    assert!(store.pairs_needing_fit_check(program).await.expect("checks").is_empty());
    assert_eq!(store.export_fit_answers("pm").await.expect("export").len(), 1);
    // An ended pair needs no conversation any more.
    store.save_fit_answer(pair, "pm", Role::Mentor, FitAnswer::NotFit, None).await.expect("again");
    store.end_pair(pair, "2031-01-15", "not a fit", &[]).await.expect("end");
    assert!(store.pairs_needing_fit_check(program).await.expect("checks").is_empty());
}

async fn commitments_are_kept_per_pair_and_an_insights_deletion_leaves_its_commitment(db: &TestDb) {
    use plab_domain::Theme;
    use plab_domain::commitment::{CommitmentState, NewCommitment};
    use plab_domain::insight::{InsightKind, NewInsight};
    let store = seeded(db).await;
    let (program, pair) = approved_pair(&store).await;
    let insight = NewInsight {
        kind: InsightKind::Decision,
        theme: Theme::Technology,
        text: "x".into(),
        session: None,
        shared: false,
    };
    let from = store.add_insight(pair, "vp", &insight).await.expect("insight");
    let due = Date::parse("2027-01-15").expect("date");
    let new = NewCommitment { text: "try the team channel".into(), due_on: due, shared: false };
    let id = store.add_commitment(pair, program, "vp", Some(from), &new).await.expect("add");
    let stored = store.commitment(id).await.expect("read");
    assert_eq!(
        (
            stored.pair,
            stored.program,
            stored.leader_id.as_str(),
            stored.insight,
            stored.due_on,
            stored.state,
            stored.shared
        ),
        (pair, program, "vp", Some(from), due, CommitmentState::Open, false)
    );
    store.set_commitment(id, CommitmentState::Kept, true).await.expect("kept");
    let kept = store.commitment(id).await.expect("read");
    assert_eq!((kept.state, kept.shared), (CommitmentState::Kept, true));
    assert_eq!(store.commitment_states(program).await.expect("states"), vec![(CommitmentState::Kept, due)]);
    // The leader deletes the insight it came from: the commitment stays, without it.
    store.delete_insight(from).await.expect("delete insight");
    assert_eq!(store.commitment(id).await.expect("read").insight, None);
    assert_eq!(store.commitments(pair).await.expect("list").len(), 1);
    assert!(matches!(
        store.set_commitment(plab_domain::commitment::CommitmentId(id.0 + 100), CommitmentState::Kept, false).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn program_office_members_are_named_once_and_removed(db: &TestDb) {
    let store = seeded(db).await;
    store.add_office_member("vp", "admin@x.test").await.expect("named");
    store.add_office_member("vp", "someone else").await.expect("again");
    let members = store.office_members().await.expect("members");
    assert_eq!(members.len(), 1);
    assert_eq!((members[0].employee_id.as_str(), members[0].named_by.as_str()), ("vp", "admin@x.test"));
    assert!(store.is_office_member("vp").await.expect("member"));
    assert!(store.remove_office_member("vp").await.expect("removed"));
    assert!(!store.remove_office_member("vp").await.expect("not again"));
    assert!(!store.is_office_member("vp").await.expect("member"));
}
