//! A program's life in the store: the facts its state comes from, the
//! close-out begun once, exit answers replaced per person, the report frozen
//! at close kept through the purge, and a cohort written all at once.
use super::{person, program, seeded};
use plab_domain::Date;
use plab_domain::life::{ExitChoice, LifeFacts, ProgramKind};
use plab_domain::program::{ProgramName, Role};
use plab_store::testing::TestDb;
use plab_store::{NewCohort, StoreError};

contract!(
    a_programs_life_facts_follow_enrolment_pairs_close_out_and_closing,
    an_exit_answer_is_replaced_and_erased_with_its_author,
    the_report_frozen_at_close_is_kept_when_the_data_is_destroyed,
    a_cohort_copies_forbidden_pairings_and_forms_former_pairs_again,
);

async fn a_programs_life_facts_follow_enrolment_pairs_close_out_and_closing(db: &TestDb) {
    let store = seeded(db).await;
    let p = program(&store).await;
    assert_eq!(store.life_facts(p).await.expect("facts"), LifeFacts::default());
    store.enroll(p, Role::Sponsor, &[("ceo".into(), 1)]).await.expect("sponsor");
    assert_eq!(store.life_facts(p).await.expect("facts").participants, 0, "sponsors are not participants");
    store.enroll(p, Role::Leader, &[("vp".into(), 1)]).await.expect("leader");
    store.enroll(p, Role::Mentor, &[("pm".into(), 1)]).await.expect("mentor");
    plab_store::testing::approve_pairs(&store, p, &[("vp", "pm")]).await;
    let facts = store.life_facts(p).await.expect("facts");
    assert_eq!((facts.participants, facts.approved_pairs, facts.closing), (2, 1, false));
    let day = Date::parse("2027-03-01").expect("day");
    store.begin_close_out(p, day).await.expect("close-out");
    assert!(matches!(store.begin_close_out(p, day).await, Err(StoreError::Conflict(_))), "only once");
    assert_eq!(store.program(p).await.expect("program").closing_on, Some(day));
    store.close_program(p, day, "test").await.expect("close");
    let facts = store.life_facts(p).await.expect("facts");
    assert!(facts.closing && facts.closed);
}

async fn an_exit_answer_is_replaced_and_erased_with_its_author(db: &TestDb) {
    let store = seeded(db).await;
    let p = program(&store).await;
    store.set_exit_answer(p, "pm", Role::Mentor, ExitChoice::NotNow, Some("busy")).await.expect("answer");
    store.set_exit_answer(p, "pm", Role::Mentor, ExitChoice::AsMentor, None).await.expect("again");
    let answers = store.exit_answers(p).await.expect("answers");
    assert_eq!(answers.len(), 1);
    assert_eq!((answers[0].choice, answers[0].comment.clone()), (ExitChoice::AsMentor, None));
    assert_eq!(store.private_counts(p).await.expect("counts")["exit_answers"], 1);
    assert_eq!(store.export_exit_answers("pm").await.expect("export").len(), 1);
}

async fn the_report_frozen_at_close_is_kept_when_the_data_is_destroyed(db: &TestDb) {
    let store = seeded(db).await;
    let p = program(&store).await;
    let day = Date::parse("2027-03-01").expect("day");
    store.close_program(p, day, "test").await.expect("close");
    store.freeze_report(p, "{\"at\":\"close\"}").await.expect("frozen");
    store.freeze_report(p, "{\"at\":\"later\"}").await.expect("kept");
    store.destroy_private(p, day.plus_days(365), "{\"at\":\"purge\"}").await.expect("purge");
    assert_eq!(store.final_report(p).await.expect("report").as_deref(), Some("{\"at\":\"close\"}"));
}

async fn a_cohort_copies_forbidden_pairings_and_forms_former_pairs_again(db: &TestDb) {
    let store = seeded(db).await;
    store.upsert_people(&[person("jr", Some("vp"), 2)], &|_| {}).await.expect("junior");
    let p = program(&store).await;
    store.enroll(p, Role::Sponsor, &[("ceo".into(), 1)]).await.expect("sponsor");
    store.enroll(p, Role::Leader, &[("vp".into(), 1)]).await.expect("leader");
    store.enroll(p, Role::Mentor, &[("pm".into(), 1), ("jr".into(), 1)]).await.expect("mentors");
    store.set_pair_rule(p, "vp", "jr", plab_store::PairRule::Forbid).await.expect("forbid");
    store.set_pair_rule(p, "vp", "pm", plab_store::PairRule::Pin).await.expect("pin");
    plab_store::testing::approve_pairs(&store, p, &[("vp", "pm")]).await;
    let former = store.pairs(p).await.expect("pairs")[0].id;
    let cohort = NewCohort {
        name: ProgramName::parse("Swap").expect("name"),
        starts_on: Date::parse("2027-06-01").expect("day"),
        settings: store.program(p).await.expect("program").settings,
        kind: ProgramKind::Reciprocal,
        previous: p,
        enrol: vec![("ceo".into(), Role::Sponsor, 1), ("vp".into(), Role::Leader, 1), ("pm".into(), Role::Mentor, 1)],
        pairs_again: vec![former],
    };
    let n = store.create_cohort(&cohort).await.expect("cohort");
    let made = store.program(n).await.expect("program");
    assert_eq!((made.kind, made.previous_program), (ProgramKind::Reciprocal, Some(p)));
    let rules = store.all_pair_rules(n).await.expect("rules");
    assert_eq!(rules.len(), 1, "only the forbidding rule: {rules:?}");
    assert_eq!((rules[0].0.as_str(), rules[0].1.as_str()), ("vp", "jr"));
    let pairs = store.pairs(n).await.expect("pairs");
    assert_eq!(pairs.len(), 1);
    assert_eq!((pairs[0].pair.leader.as_str(), pairs[0].pair.mentor.as_str()), ("vp", "pm"));
    // A person already enrolled twice in one go is refused, and nothing is written.
    let before = store.programs().await.expect("programs").len();
    let clash = NewCohort {
        enrol: vec![("vp".into(), Role::Sponsor, 1), ("vp".into(), Role::Leader, 1)],
        pairs_again: vec![],
        ..cohort
    };
    assert!(store.create_cohort(&clash).await.is_err());
    assert_eq!(store.programs().await.expect("programs").len(), before, "all or nothing");
}
