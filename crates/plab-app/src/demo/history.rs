//! The demo's session history: active pairs have had sessions for some weeks,
//! most held with homework and pulses, a few cancelled or left unrecorded, and
//! some pairs showing the protocol's failure modes in their pulses.
use crate::sessions;
use crate::vault::Vault;
use crate::{AppError, Problem};
use plab_domain::Date;
use plab_domain::Theme;
use plab_domain::checkin::CheckinAnswers;
use plab_domain::insight::{InsightKind, NewInsight};
use plab_domain::program::Role;
use plab_domain::selfassessment::Phase;
use plab_domain::session::pulse_items;
use plab_store::{ProgramId, Recorder, SealedText, Store};
use time::OffsetDateTime;

const HOMEWORK: [&str; 6] = [
    "Try the team's chat channel for a week instead of e-mail and note what changes.",
    "Sit in on a customer-support shift and list the three most common complaints.",
    "Use the AI assistant to draft one status update and compare it with your own.",
    "Ask two new hires what almost made them leave in their first month.",
    "Watch how the product is reviewed on the video platform our buyers use.",
    "Skip one status meeting and read the async update instead.",
];

/// How a pair's pulses lean: most pairs are healthy; some show the leader's
/// expert reflex or the mentor's apprehension.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mood {
    Healthy,
    ExpertReflex,
    Apprehensive,
}

fn answer(rng: &mut fastrand::Rng, mood: Mood, code: &str) -> u8 {
    let low = matches!(
        (mood, code),
        (Mood::ExpertReflex, "listened" | "led" | "heard") | (Mood::Apprehensive, "candid" | "shared_challenge")
    );
    if low { rng.u8(1..=2) } else { rng.u8(3..=5) }
}

pub(super) async fn build(
    store: &Store,
    vault: &Vault,
    program: ProgramId,
    today: Date,
    weeks: u32,
    rng: &mut fastrand::Rng,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    for pair in store.pairs(program).await? {
        // Pairs turned active between four weeks and one week after the program began.
        let days = weeks * 7;
        let activated = Date::from_days_since_epoch(today.days_since_epoch() - i64::from(rng.u32(days - 28..days - 7)))
            .ok_or_else(|| AppError::invalid(Problem::new("the demo's dates are out of range")))?;
        sessions::plan_if_active(store, vault, &crate::mail::Post::off(""), &pair, activated).await?;
        let mood = match rng.u32(0..100) {
            0..15 => Mood::ExpertReflex,
            15..30 => Mood::Apprehensive,
            _ => Mood::Healthy,
        };
        let mut open_homework = None;
        let mut held = 0;
        for s in store.sessions(pair.id).await? {
            if s.starts_at > now {
                break;
            }
            match rng.u32(0..100) {
                0..8 => {
                    store.cancel_session(s.id, &[]).await?;
                    continue;
                }
                8..12 => continue, // never recorded: a gap the sponsor will notice
                _ => {}
            }
            // Healthy pairs agree homework and do it; the others let it slide (the unfocused signal).
            let (done_rate, set_rate) = if mood == Mood::Healthy { (95, 95) } else { (50, 70) };
            let previous_done = open_homework.filter(|_| rng.u32(0..100) < done_rate);
            let homework = (rng.u32(0..100) < set_rate).then(|| HOMEWORK[rng.usize(0..HOMEWORK.len())]);
            let sealed = homework.map(|h| vault.seal(pair.id, &pair.pair.leader, h)).transpose()?;
            let text = sealed.as_ref().map(|(nonce, ciphertext)| SealedText {
                author: &pair.pair.leader,
                key_id: vault.key_id(),
                nonce,
                ciphertext,
            });
            store.hold_session(s.id, previous_done, text).await?;
            open_homework = homework.map(|_| s.id);
            held += 1;
            // Most pairs run the session timer; a leader with the expert reflex cuts the Mentor's Lab short.
            if rng.u32(0..100) < 70 {
                for segment in plab_domain::session::agenda(u32::try_from(s.minutes).unwrap_or(60)) {
                    let minutes = match (mood, segment.lead) {
                        (Mood::ExpertReflex, "mentor") => segment.minutes / 3,
                        _ => segment.minutes + rng.u32(0..4),
                    };
                    store.record_segment(s.id, segment.name, minutes, &pair.pair.leader).await?;
                }
            }
            if mood != Mood::ExpertReflex && rng.u32(0..100) < 45 {
                let (kind, theme, text) = INSIGHTS[rng.usize(0..INSIGHTS.len())];
                let insight =
                    NewInsight { kind, theme, text: text.to_owned(), session: Some(s.id), shared: rng.bool() };
                store.add_insight(pair.id, &pair.pair.leader, &insight).await?;
            }
            for (role, who) in [(Role::Leader, &pair.pair.leader), (Role::Mentor, &pair.pair.mentor)] {
                if rng.u32(0..100) < 85 {
                    let answers: Vec<(&str, u8)> =
                        pulse_items(role).map(|i| (i.code, answer(rng, mood, i.code))).collect();
                    store.save_pulse(s.id, who, role.as_str(), &answers).await?;
                }
            }
        }
        // Most partners took the baseline self-assessment when the program began.
        for (role, who) in [(Role::Leader, &pair.pair.leader), (Role::Mentor, &pair.pair.mentor)] {
            if rng.u32(0..100) < 85 {
                let answers: Vec<(&str, u8)> =
                    plab_domain::selfassessment::self_items(role).map(|i| (i.code, rng.u8(2..=4))).collect();
                store.save_self_assessment(program, who, role, Phase::Baseline, &answers).await?;
            }
        }
        // The check-in falls due after the program's check-in session; most partners answer it.
        if held >= 3 {
            if rng.u32(0..100) < 80 {
                let (insight, change) = LEADER_CHECKINS[rng.usize(0..LEADER_CHECKINS.len())];
                let answers = CheckinAnswers::Leader { insight: insight.to_owned(), change: change.to_owned() };
                store.save_checkin(pair.id, &pair.pair.leader, &answers, Recorder::Partner).await?;
            }
            if rng.u32(0..100) < 80 {
                let heard = if mood == Mood::Healthy { rng.u8(4..=5) } else { rng.u8(2..=3) };
                let view = MENTOR_VIEWS[rng.usize(0..MENTOR_VIEWS.len())].to_owned();
                let answers = CheckinAnswers::Mentor { view_of_organization: view, heard, heard_comment: None };
                store.save_checkin(pair.id, &pair.pair.mentor, &answers, Recorder::Partner).await?;
            }
        }
    }
    Ok(())
}

const INSIGHTS: [(InsightKind, Theme, &str); 5] = [
    (InsightKind::Decision, Theme::Technology, "Moved the weekly status update from e-mail to the team channel."),
    (InsightKind::Action, Theme::CultureCareer, "Started holding open office hours for new hires once a month."),
    (
        InsightKind::Decision,
        Theme::MarketProduct,
        "Asked product to test onboarding with customers under 30 before launch.",
    ),
    (
        InsightKind::Action,
        Theme::CultureSafety,
        "Now ask for dissent first in leadership meetings, before giving my view.",
    ),
    (InsightKind::Action, Theme::MarketBrand, "Shared our social media feedback with the brand team unfiltered."),
];

const LEADER_CHECKINS: [(&str, &str); 3] = [
    ("How much of our internal communication never reaches early-career staff.", "I changed how I send team updates."),
    ("Why new hires hesitate to speak up in large meetings.", "I now run smaller round tables before decisions."),
    ("How customers under 30 actually find and compare our product.", "I asked for a review of our onboarding flow."),
];

const MENTOR_VIEWS: [&str; 3] = [
    "Leadership is more open to change than I assumed.",
    "I understand better why some decisions take time.",
    "I see where my team's work fits the strategy.",
];
