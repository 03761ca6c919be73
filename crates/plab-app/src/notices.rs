//! Mail caused by the clock rather than by a change: the reminder a day
//! before each session, "your check-in is due" to the partners and their
//! sponsors, and the sponsors' weekly digest of pairs at risk. `plab serve`
//! calls `enqueue_due` every minute; each message has a dedupe key, so two
//! instances (or two ticks) write it once. People who turned reminders or
//! digests off get none.
use crate::disclosure::{self, Carries};
use crate::mail::{Letter, Post, ical_utc};
use crate::vault::Vault;
use crate::{AppError, measure, sessions};
use plab_domain::program::Role;
use plab_store::{Outgoing, Recipient, Store};
use time::{Duration, OffsetDateTime};

/// How many of each kind one call wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub reminders: usize,
    pub checkins_due: usize,
    pub digests: usize,
}

/// Writes every reminder, check-in notice and digest due at `now` that was not written yet.
pub async fn enqueue_due(store: &Store, vault: &Vault, post: &Post, now: OffsetDateTime) -> Result<Written, AppError> {
    if !post.is_on() {
        return Ok(Written::default());
    }
    let mut written = Written { reminders: reminders(store, vault, post, now).await?, ..Written::default() };
    for program in store.programs().await? {
        let sponsors = sponsors(store, program.id).await?;
        written.checkins_due += checkins_due(store, vault, post, program.id, &sponsors, now).await?;
        written.digests += digest(store, vault, post, program.id, &program.name, &sponsors, now).await?;
    }
    Ok(written)
}

async fn sponsors(store: &Store, program: plab_store::ProgramId) -> Result<Vec<Recipient>, AppError> {
    let ids: Vec<String> = store.enrolled_ids(program, &[Role::Sponsor]).await?;
    let today = crate::accounts::today_text();
    Ok(store.recipients(&ids.iter().map(String::as_str).collect::<Vec<_>>(), &today).await?)
}

/// Seals and writes the letters whose keys were never written.
async fn write_new(store: &Store, vault: &Vault, post: &Post, letters: &[Letter]) -> Result<usize, AppError> {
    let mut outgoing: Vec<Outgoing> = Vec::new();
    for l in letters {
        if !store.mail_exists(&l.key).await? {
            outgoing.extend(post.seal(vault, l)?);
        }
    }
    Ok(store.enqueue_mail(&outgoing).await?)
}

fn reminder_key(pair: plab_domain::PairId, number: i64, starts: OffsetDateTime, to: &str) -> String {
    format!("reminder:{pair}:{number}:{}:{to}", ical_utc(starts))
}

/// A reminder to each partner of every session starting within a day.
async fn reminders(store: &Store, vault: &Vault, post: &Post, now: OffsetDateTime) -> Result<usize, AppError> {
    let mut written = 0;
    for s in store.planned_sessions_starting(now, now + Duration::days(1)).await? {
        let pair = store.pair(s.pair_id).await?;
        let (leader, mentor) = sessions::partners(store, &pair).await?;
        let mut wanted = Vec::new();
        for p in [&leader, &mentor].into_iter().filter(|p| p.reminders) {
            if !store.mail_exists(&reminder_key(pair.id, s.seq, s.starts_at, &p.employee_id)).await? {
                wanted.push(p.clone());
            }
        }
        if wanted.is_empty() {
            continue;
        }
        let Some(facts) = sessions::facts_of(store, vault, &pair, std::slice::from_ref(&s)).await?.pop() else {
            continue;
        };
        let letters: Vec<Letter> = wanted
            .iter()
            .filter_map(|p| {
                let mut l = facts.reminder(p, post.base())?;
                l.key = reminder_key(pair.id, s.seq, s.starts_at, &p.employee_id);
                Some(l)
            })
            .collect();
        written += write_new(store, vault, post, &letters).await?;
    }
    Ok(written)
}

/// "Your check-in is due" to each partner whose check-in came due, and one
/// message to each sponsor naming the pairs (never any answer: there is none yet).
async fn checkins_due(
    store: &Store,
    vault: &Vault,
    post: &Post,
    program: plab_store::ProgramId,
    sponsors: &[Recipient],
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let due: Vec<measure::CheckinRow> = measure::pending_rows(store, program, now).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let mut letters = Vec::new();
    let mut skipped = Vec::new();
    let mut newly = Vec::new();
    for row in &due {
        let key = format!("checkin_due:{}:{}", row.pair, row.role);
        if store.mail_exists(&key).await? {
            continue;
        }
        newly.push(row);
        let today = crate::accounts::today_text();
        let Some(p) = store.recipients(&[row.person.id.as_str()], &today).await?.pop() else { continue };
        let Some(to) = disclosure::mail_to(&p, Carries::Private).filter(|_| p.reminders) else {
            // Recorded as skipped, so the sponsor is told once, and the partner never.
            skipped.push((key, p.sign_in.unwrap_or_default()));
            continue;
        };
        let what = if row.role == "leader" {
            "what you learned, what you changed and what surprised you"
        } else {
            "how the program looks from your side and whether you are heard"
        };
        letters.push(Letter {
            kind: "checkin_due",
            key,
            to,
            subject: "Your reverse-mentoring check-in is due".to_owned(),
            paragraphs: vec![
                format!(
                    "You have held {} sessions: time for your check-in with the program's sponsor ({what}). \
                     Only the sponsors read it, never your partner.",
                    row.held_sessions
                ),
                format!("It is due from {}.", row.due_on()),
            ],
            link: Some(("Answer your check-in".to_owned(), format!("/pairs/{}/checkin", row.pair))),
            calendar: None,
            can_opt_out: true,
        });
    }
    if !newly.is_empty() {
        let names: Vec<String> =
            newly.iter().map(|r| format!("{} ({}, pair {})", r.person.name, r.role, r.pair)).collect();
        let set = newly.iter().map(|r| format!("{}:{}", r.pair, r.role)).collect::<Vec<_>>().join(",");
        for s in sponsors {
            let key = format!("checkins_due:{program}:{}:{}", s.employee_id, short_hash(&set));
            let Some(to) = disclosure::mail_to(s, Carries::Private).filter(|_| s.reminders) else {
                skipped.push((key, s.sign_in.clone().unwrap_or_default()));
                continue;
            };
            letters.push(Letter {
                kind: "checkin_due",
                key,
                to,
                subject: format!("{} check-in(s) now due", newly.len()),
                paragraphs: vec![format!("These partners' check-ins are now due:\n{}", names.join("\n"))],
                link: Some(("See the program's check-ins".to_owned(), format!("/programs/{program}/checkins"))),
                calendar: None,
                can_opt_out: true,
            });
        }
    }
    let written = write_new(store, vault, post, &letters).await?;
    store.record_skipped_mail("checkin_due", &skipped).await?;
    Ok(written)
}

fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::accounts::hex(&Sha256::digest(text.as_bytes())[..8])
}

/// Once a week (ISO week, UTC), each sponsor who wants it gets the pairs at
/// risk and their signals; no mail in a week with none.
async fn digest(
    store: &Store,
    vault: &Vault,
    post: &Post,
    program: plab_store::ProgramId,
    name: &str,
    sponsors: &[Recipient],
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    let (year, week, _) = now.to_iso_week_date();
    let wanted: Vec<&Recipient> =
        sponsors.iter().filter(|s| s.digests && disclosure::mail_to(s, Carries::Private).is_some()).collect();
    let key = |s: &Recipient| format!("digest:{program}:{year}-W{week:02}:{}", s.employee_id);
    let mut missing = Vec::new();
    for s in wanted {
        if !store.mail_exists(&key(s)).await? {
            missing.push(s);
        }
    }
    if missing.is_empty() {
        return Ok(0);
    }
    let report = crate::report::build(store, program, now).await?;
    // Pairs needing a conversation about their fit reach the sponsor here,
    // once a week, so the mail's timing does not point at one answer.
    let fit_checks = crate::fit::checks(store, program).await?;
    if report.at_risk.is_empty() && fit_checks.is_empty() {
        // Nothing to report this week: recorded, so the report is not built again every minute.
        let none: Vec<(String, String)> =
            missing.iter().map(|s| (key(s), s.sign_in.clone().unwrap_or_default())).collect();
        store.record_skipped_mail("digest", &none).await?;
        return Ok(0);
    }
    let mut lines = Vec::with_capacity(report.at_risk.len());
    for r in &report.at_risk {
        let pair = store.pair(plab_domain::PairId(r.pair)).await?;
        let (leader, mentor) = sessions::partners(store, &pair).await?;
        lines.push(format!(
            "Pair {} ({} and {}): {}",
            r.pair,
            leader.name,
            mentor.name,
            r.signals.join(", ").replace('_', " ")
        ));
    }
    let mut fit_lines = Vec::with_capacity(fit_checks.len());
    for id in &fit_checks {
        let (leader, mentor) = sessions::partners(store, &store.pair(*id).await?).await?;
        fit_lines.push(format!("Pair {id} ({} and {})", leader.name, mentor.name));
    }
    let sessions = &report.sessions;
    let letters: Vec<Letter> = missing
        .iter()
        .filter_map(|s| Some((s, disclosure::mail_to(s, Carries::Private)?)))
        .map(|(s, to)| Letter {
            kind: "digest",
            key: key(s),
            to,
            subject: format!("{name}: {} of {} pairs at risk this week", report.at_risk.len(), report.pairs),
            paragraphs: vec![
                format!(
                    "Sessions so far: {} held, {} planned, {} cancelled, {} did not take place.",
                    sessions.held, sessions.planned, sessions.cancelled, sessions.missed
                ),
                format!("Pairs at risk and why:\n{}", lines.join("\n")),
            ]
            .into_iter()
            .chain((!fit_lines.is_empty()).then(|| {
                format!(
                    "Pairs that need a conversation about their fit (one of them feels it is not a fit; who is not shown):\n{}",
                    fit_lines.join("\n")
                )
            }))
            .collect(),
            link: Some(("Open the dashboard".to_owned(), format!("/programs/{program}"))),
            calendar: None,
            can_opt_out: true,
        })
        .collect();
    write_new(store, vault, post, &letters).await
}
