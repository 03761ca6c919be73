//! `plab match` and `plab pairing`: proposals from a file or a program, and the
//! sponsor's review.
use crate::args::{MatchArgs, PairingCmd, RuleArgs};
use crate::output::{cli_actor, print_json};
use crate::{Failure, out};
use plab_app::{Store, pairing, programs};
use plab_engine::{MatchRequest, MatchResponse, Stage};
use plab_store::PairRule;

/// `plab match --input FILE`: pairs without a database.
pub fn match_file(args: &MatchArgs) -> Result<(), Failure> {
    let Some(path) = &args.input else {
        return Err(Failure::User("--input or --program is required".into()));
    };
    let source = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Failure::User(format!("{source}: cannot read: {e}")))?;
    let request: MatchRequest =
        serde_json::from_str(&text).map_err(|e| Failure::User(format!("{source}:{}:{}: {e}", e.line(), e.column())))?;
    let bar = bar_for_engine();
    let response = plab_engine::run_with_progress(&request, &bar.1);
    bar.0.finish_and_clear();
    let response = response.map_err(|e| Failure::User(format!("{source}: {e}")))?;
    if args.json {
        return print_json(&response);
    }
    print_pairs(&response)
}

/// A progress bar and the callback the engine calls from its worker threads.
fn bar_for_engine() -> (indicatif::ProgressBar, impl Fn(plab_engine::Progress) + Send + Sync + 'static) {
    let bar = crate::progress::bar(0, "pairing");
    let handle = bar.clone();
    (bar, move |p: plab_engine::Progress| {
        handle.set_message(match p.stage {
            Stage::Scoring => "scoring",
            Stage::Solving => "solving",
            Stage::Verifying => "verifying",
        });
        handle.set_length(p.total);
        handle.set_position(p.done);
    })
}

fn print_pairs(r: &MatchResponse) -> Result<(), Failure> {
    for p in &r.pairs {
        out!("{:<12} + {:<12} {:>8.3}  {:<9} {}", p.leader, p.mentor, p.score, p.kind.as_str(), p.reasons.join("; "));
    }
    for (leader, why) in r.unmatched.iter().zip(&r.unmatched_reasons) {
        out!("unmatched: {leader}: {why}");
    }
    out!(
        "{} pairs, total score {:.3}, solver {:.1} ms",
        r.pairs.len(),
        r.total_score + 0.0, // never print "-0.000"
        r.solve_ms
    );
    Ok(())
}

/// `plab match --program ID [--dry-run]`.
pub async fn match_program(store: &Store, args: &MatchArgs) -> Result<(), Failure> {
    let Some(program) = &args.program else {
        return Err(Failure::User("--input or --program is required".into()));
    };
    let program = programs::parse_id(program)?;
    let (bar, progress) = bar_for_engine();
    let run = pairing::propose(store, program, args.dry_run, progress, &cli_actor()).await;
    bar.finish_and_clear();
    let run = run?;
    if args.json {
        return print_json(&run);
    }
    print_pairs(&run.response)?;
    if !run.without_question.is_empty() {
        out!("waiting for a research question: {}", run.without_question.join(", "));
    }
    match run.proposal {
        Some(id) => {
            out!("stored as proposal {id}; approve with `plab pairing approve --program {program}`")
        }
        None => out!("dry run: nothing stored"),
    }
    Ok(())
}

pub async fn pairing_cmd(store: &Store, cmd: PairingCmd) -> Result<(), Failure> {
    match cmd {
        PairingCmd::Approve { program, proposal, json } => {
            let program = programs::parse_id(&program)?;
            let approved = pairing::approve(store, program, proposal, &cli_actor()).await?;
            if json {
                return print_json(&serde_json::json!({"proposal": approved.id, "pairs": approved.pairs.len()}));
            }
            out!("approved proposal {}: {} pairs are forming", approved.id, approved.pairs.len());
        }
        PairingCmd::Pin(a) => rule(store, a, PairRule::Pin).await?,
        PairingCmd::Forbid(a) => rule(store, a, PairRule::Forbid).await?,
        PairingCmd::Clear(a) => {
            let program = programs::parse_id(&a.program)?;
            let rerun = pairing::clear_rule(store, program, &a.leader, &a.mentor, &cli_actor()).await?;
            out!("cleared the rule on {} + {}", a.leader, a.mentor);
            print_rerun(&rerun)?;
        }
        PairingCmd::List { program, json } => {
            let program = programs::parse_id(&program)?;
            let pairs = pairing::pairs(store, program).await?;
            if json {
                let list: Vec<_> = pairs
                    .iter()
                    .map(|p| {
                        serde_json::json!({"id": p.id, "leader": p.pair.leader, "mentor": p.pair.mentor, "status": p.status,
                            "kind": p.pair.kind, "score": p.pair.score, "reasons": p.pair.reasons})
                    })
                    .collect();
                return print_json(&list);
            }
            for p in pairs {
                out!(
                    "{:>5}  {:<12} + {:<12} {:<8} {:<9} {:.3}",
                    p.id,
                    p.pair.leader,
                    p.pair.mentor,
                    p.status,
                    p.pair.kind,
                    p.pair.score
                );
            }
        }
    }
    Ok(())
}

async fn rule(store: &Store, a: RuleArgs, rule: PairRule) -> Result<(), Failure> {
    let program = programs::parse_id(&a.program)?;
    let rerun = pairing::set_rule(store, program, &a.leader, &a.mentor, rule, &cli_actor()).await?;
    let verb = if rule == PairRule::Pin { "pinned" } else { "forbade" };
    out!("{verb} {} + {}", a.leader, a.mentor);
    print_rerun(&rerun)
}

/// Every rule change re-runs the engine: say which proposal it stored, or why not.
fn print_rerun(rerun: &pairing::Rerun) -> Result<(), Failure> {
    match (&rerun.proposal, &rerun.not_run) {
        (Some(id), _) => out!("re-ran the engine: proposal {id}, approve with `plab pairing approve`"),
        (None, Some(why)) => out!("{why}"),
        (None, None) => {}
    }
    Ok(())
}
