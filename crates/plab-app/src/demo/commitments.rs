//! The demo's commitments and program office (issue 23, items 5 and 6):
//! leaders turn some of their insights into commitments, keep some, drop
//! one now and then, and share some with their mentor; the demo's sponsor is
//! named to the program office so that `/office` shows the organisation's
//! lab report even while there is one program.
use crate::AppError;
use plab_domain::Date;
use plab_domain::commitment::{CommitmentState, NewCommitment};
use plab_domain::program::Role;
use plab_store::{ProgramId, Store};

const WORDINGS: [&str; 6] = [
    "I will try the team channel for the all-hands prep",
    "I will ask two new joiners how they found their first week before the next onboarding review",
    "I will run one planning meeting with cameras optional and no slides",
    "I will read the product reviews our youngest customers write, once a week",
    "I will let my team choose the tool for the next retrospective",
    "I will say which decision I changed after this lab at my next staff meeting",
];

/// One call from `demo::build`, after the history: commitments for the
/// program's pairs, and its sponsor named to the program office.
pub async fn build(store: &Store, program: ProgramId, today: Date) -> Result<(), AppError> {
    for (n, pair) in store.pairs(program).await?.iter().enumerate() {
        let insights = store.insights(pair.id).await?;
        // About two leaders in three make commitments; one from each of their first two insights.
        if n % 3 == 2 {
            continue;
        }
        for (k, insight) in insights.iter().take(2).enumerate() {
            let i = n * 2 + k;
            let due = today.plus_days(i64::try_from(7 + (i * 5) % 50).unwrap_or(14) - 21);
            let c = NewCommitment { text: WORDINGS[i % WORDINGS.len()].to_owned(), due_on: due, shared: i % 2 == 0 };
            let id = store.add_commitment(pair.id, program, &pair.pair.leader, Some(insight.id), &c).await?;
            let state = match i % 5 {
                0 | 1 => CommitmentState::Kept,
                3 => CommitmentState::Dropped,
                _ => CommitmentState::Open,
            };
            if state != CommitmentState::Open {
                store.set_commitment(id, state, c.shared).await?;
            }
        }
    }
    for e in store.enrolments(program).await? {
        if e.role == Role::Sponsor {
            store.add_office_member(&e.employee_id, "demo").await?;
        }
    }
    Ok(())
}
