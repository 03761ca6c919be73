//! Pairing under the sponsor's control in the JSON API: the rules in force
//! (a rule that cannot be kept is 422 naming the people and the reason; a
//! change re-runs the engine), ending a pair, and re-matching its people.
use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use plab_app::pairing::{self, Rerun, sponsor};
use plab_store::PairRule;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules, add_rule, clear_rule))
        .routes(routes!(end_pair))
        .routes(routes!(rematch))
}

/// Someone a rule names.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Named {
    id: String,
    name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleOut {
    leader: Named,
    mentor: Named,
    /// `pin` (always pair) or `forbid` (never pair).
    rule: &'static str,
}

fn rule_name(rule: PairRule) -> &'static str {
    match rule {
        PairRule::Pin => "pin",
        PairRule::Forbid => "forbid",
    }
}

/// The pins and forbids in force, both people named (the program's sponsors).
#[utoipa::path(get, path = "/api/v1/programs/{program}/pairing/rules", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = [RuleOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_rules(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
) -> Result<Json<Vec<RuleOut>>, ApiError> {
    let rules = sponsor::rules(&s.store, &actor, crate::path_program(&program)?).await?;
    Ok(Json(
        rules
            .into_iter()
            .map(|r| RuleOut {
                rule: rule_name(r.rule),
                leader: Named { name: r.leader.0, id: r.leader.1 },
                mentor: Named { name: r.mentor.0, id: r.mentor.1 },
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleIn {
    /// The leader's employee id or name.
    leader: String,
    /// The mentor's employee id or name.
    mentor: String,
    /// `pin` (always pair) or `forbid` (never pair).
    rule: String,
}

/// What a rule change did: the new proposal, or why the engine did not run.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RerunOut {
    proposal: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_run: Option<String>,
}

impl From<Rerun> for RerunOut {
    fn from(r: Rerun) -> RerunOut {
        RerunOut { proposal: r.proposal, not_run: r.not_run }
    }
}

/// Pins or forbids a pair and re-runs the engine. A rule the hard rules
/// cannot keep (reporting chain, seniority, places, opt-out, an earlier pair,
/// another pin or a forbid) is 422, naming the people and the reason.
#[utoipa::path(post, path = "/api/v1/programs/{program}/pairing/rules", security(("bearer" = [])), request_body = RuleIn,
    params(("program" = i64, Path, description = "program id")),
    responses((status = 200, body = RerunOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn add_rule(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    ApiJson(body): ApiJson<RuleIn>,
) -> Result<Json<RerunOut>, ApiError> {
    let rule = match body.rule.as_str() {
        "pin" => PairRule::Pin,
        "forbid" => PairRule::Forbid,
        _ => {
            return Err(plab_app::AppError::invalid(
                plab_app::Problem::new("rule is either \"pin\" or \"forbid\"").field("rule"),
            )
            .into());
        }
    };
    let program = crate::path_program(&program)?;
    Ok(Json(sponsor::set_rule(&s.store, &actor, program, &body.leader, &body.mentor, rule).await?.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RuleKey {
    /// The leader's employee id.
    leader: String,
    /// The mentor's employee id.
    mentor: String,
}

/// Undoes a pin or forbid and re-runs the engine.
#[utoipa::path(delete, path = "/api/v1/programs/{program}/pairing/rules", security(("bearer" = [])),
    params(("program" = i64, Path, description = "program id"), RuleKey),
    responses((status = 200, body = RerunOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn clear_rule(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(program): Path<String>,
    Query(key): Query<RuleKey>,
) -> Result<Json<RerunOut>, ApiError> {
    let program = crate::path_program(&program)?;
    Ok(Json(sponsor::clear_rule(&s.store, &actor, program, &key.leader, &key.mentor).await?.into()))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndIn {
    /// Why the pair ends (required; both partners read it).
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Ended {
    id: i64,
    /// `ended`.
    status: &'static str,
    /// `YYYY-MM-DD`.
    ended_on: String,
    reason: String,
}

/// Ends a pair (its program's sponsors): planned sessions are cancelled,
/// both partners are told by e-mail and keep the pair's notes to read; they
/// can be paired again, never with each other in this program.
#[utoipa::path(post, path = "/api/v1/pairs/{pair}/end", security(("bearer" = [])), request_body = EndIn,
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = Ended), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn end_pair(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
    ApiJson(body): ApiJson<EndIn>,
) -> Result<Json<Ended>, ApiError> {
    let p = pairing::end_pair(&s.store, &s.vault, &s.post, &actor, crate::path_pair(&pair)?, &body.reason).await?;
    let (ended_on, reason) = p.ended.unwrap_or_default();
    Ok(Json(Ended { id: p.id.0, status: "ended", ended_on, reason }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Proposed {
    leader: String,
    mentor: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Rematched {
    /// The stored proposal, to approve like any other.
    proposal: Option<i64>,
    pairs: Vec<Proposed>,
    unmatched: Vec<String>,
}

/// Re-matches an ended pair's people with everyone else waiting (never with
/// each other); the proposal waits for the sponsor's approval.
#[utoipa::path(post, path = "/api/v1/pairs/{pair}/rematch", security(("bearer" = [])),
    params(("pair" = i64, Path, description = "pair id")),
    responses((status = 200, body = Rematched), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn rematch(
    State(s): State<AppState>,
    Authed(actor): Authed,
    Path(pair): Path<String>,
) -> Result<Json<Rematched>, ApiError> {
    let run = pairing::rematch(&s.store, &actor, crate::path_pair(&pair)?).await?;
    Ok(Json(Rematched {
        proposal: run.proposal,
        pairs: run
            .response
            .pairs
            .iter()
            .map(|p| Proposed { leader: p.leader.clone(), mentor: p.mentor.clone() })
            .collect(),
        unmatched: run.response.unmatched.clone(),
    }))
}
