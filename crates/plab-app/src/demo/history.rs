//! The demo's session history: active pairs have had sessions for some weeks,
//! most held with homework and pulses, a few cancelled or left unrecorded, and
//! some pairs showing the protocol's failure modes in their pulses.
use crate::sessions;
use crate::vault::Vault;
use crate::{AppError, Problem};
use plab_domain::Date;
use plab_domain::program::Role;
use plab_domain::session::pulse_items;
use plab_store::{ProgramId, SealedText, Store};
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
#[derive(Clone, Copy)]
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
    rng: &mut fastrand::Rng,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    for pair in store.pairs(program).await? {
        // Pairs turned active five to eight weeks ago.
        let activated = Date::from_days_since_epoch(today.days_since_epoch() - i64::from(rng.u32(35..56)))
            .ok_or_else(|| AppError::invalid(Problem::new("the demo's dates are out of range")))?;
        sessions::plan_if_active(store, &pair, activated).await?;
        let mood = match rng.u32(0..100) {
            0..15 => Mood::ExpertReflex,
            15..30 => Mood::Apprehensive,
            _ => Mood::Healthy,
        };
        let mut open_homework = None;
        for s in store.sessions(pair.id).await? {
            if s.starts_at > now {
                break;
            }
            match rng.u32(0..100) {
                0..8 => {
                    store.cancel_session(s.id).await?;
                    continue;
                }
                8..12 => continue, // never recorded: a gap the sponsor will notice
                _ => {}
            }
            let previous_done = open_homework.filter(|_| rng.u32(0..100) < 65);
            let homework = (rng.u32(0..100) < 75).then(|| HOMEWORK[rng.usize(0..HOMEWORK.len())]);
            let sealed = homework.map(|h| vault.seal(pair.id, &pair.pair.leader, h)).transpose()?;
            let text = sealed.as_ref().map(|(nonce, ciphertext)| SealedText {
                author: &pair.pair.leader,
                key_id: vault.key_id(),
                nonce,
                ciphertext,
            });
            store.hold_session(s.id, previous_done, text).await?;
            open_homework = homework.map(|_| s.id);
            for (role, who) in [(Role::Leader, &pair.pair.leader), (Role::Mentor, &pair.pair.mentor)] {
                if rng.u32(0..100) < 85 {
                    let answers: Vec<(&str, u8)> =
                        pulse_items(role).map(|i| (i.code, answer(rng, mood, i.code))).collect();
                    store.save_pulse(s.id, who, role.as_str(), &answers).await?;
                }
            }
        }
    }
    Ok(())
}
