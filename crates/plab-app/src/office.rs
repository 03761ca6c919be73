//! The organisation's lab report for the program office (issue 23, item 5):
//! every program it may read side by side, cohort against cohort, the
//! insights' themes across programs with the texts of shared insights, and
//! the silos crossed as a department-to-department matrix.
//!
//! It is built from each program's own report (`report::build`), so the
//! stepwise release of averages and the group size apply exactly as there.
//! Nothing names a pair or a person: no pair id, no participant's name, no
//! text but what a leader shared with the sponsors; every cell of the silo
//! matrix and every share of people below the program's `min_group_size`
//! is withheld ("fewer than N").
use crate::access::{self, OfficeScope};
use crate::accounts::Actor;
use crate::commitments::CommitmentCounts;
use crate::{AppError, report};
use plab_domain::insight::InsightKind;
use plab_domain::program::Role;
use plab_domain::session::{SessionStatus, format_instant};
use plab_domain::{Date, PairId, Theme};
use plab_store::{Program, ProgramId, Store, StoredSession};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use time::OffsetDateTime;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OfficeReport {
    /// RFC 3339, UTC.
    pub generated_at: String,
    /// Every program the reader may see, oldest first.
    pub programs: Vec<ProgramColumn>,
    /// Programs linked by "start the next cohort", each series in order.
    pub series: Vec<Series>,
    /// Insights logged across the programs, by theme (taxonomy order).
    pub themes: Vec<ThemeCount>,
    /// The texts their leaders shared with the sponsors, by theme; never an author.
    pub shared_insights: Vec<OfficeInsight>,
    /// One matrix per program: leader's department by mentor's department.
    pub silos: Vec<SiloMatrix>,
}

/// One program's figures.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProgramColumn {
    pub program: i64,
    pub name: String,
    /// `standard` or `reciprocal`.
    pub kind: String,
    /// The program this cohort was started from.
    pub previous: Option<i64>,
    pub starts_on: String,
    pub closed: bool,
    /// Below this many people, a figure about people is withheld.
    pub min_group_size: u32,
    pub pairs: usize,
    pub sessions_held: usize,
    /// The median number of days between a pair's held sessions; null before two.
    pub cadence_median_days: Option<f64>,
    /// The mentors' "I felt my perspective was heard" (1-5), as released in
    /// the program's report; null until the group size answered.
    pub heard_avg: Option<f64>,
    pub insights: usize,
    /// Insights of the kind "a decision I changed".
    pub decisions_changed: usize,
    /// Open pairs that need a conversation about their fit (a partner said
    /// "not a fit"; never who).
    pub fit_checks: usize,
    pub commitments: CommitmentCounts,
    pub leaders: Retained,
    pub mentors: Retained,
    /// The cohort's mentors against comparable colleagues (retention and
    /// promotions), each share withheld below the group size, as in the
    /// program's report.
    #[schema(value_type = Object)]
    pub mentor_outcomes: plab_domain::outcomes::MentorOutcomes,
}

/// How many took part in a role, and the share still in the directory
/// (no past end date); the share is null below the group size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Retained {
    pub people: usize,
    pub retained: Option<f64>,
}

/// Cohorts of one series, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Series {
    pub cohorts: Vec<Cohort>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Cohort {
    pub program: i64,
    pub name: String,
    pub kind: String,
    /// The change from the cohort before; null for the first.
    pub change: Option<CohortChange>,
}

/// Later cohort minus earlier cohort.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CohortChange {
    pub pairs: i64,
    pub sessions_held: i64,
    pub insights: i64,
    pub decisions_changed: i64,
    pub commitments_kept: i64,
    /// Null unless both cohorts' averages are released.
    pub heard_avg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ThemeCount {
    pub theme: String,
    pub label: String,
    pub insights: usize,
    pub decisions_changed: usize,
}

/// A shared insight as the office reads it: the program, the theme, the text.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OfficeInsight {
    pub program: i64,
    pub theme: String,
    pub theme_label: String,
    /// `decision` or `action`.
    pub kind: String,
    pub text: String,
}

/// Pairs by the leader's department (rows) and the mentor's (columns).
/// A department with fewer than the group size of pairs is folded into
/// "Other departments"; a cell below it shows `withheld`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SiloMatrix {
    pub program: i64,
    pub name: String,
    pub min_group_size: u32,
    /// "fewer than N": what a withheld cell reads.
    pub withheld: String,
    pub leader_departments: Vec<String>,
    pub mentor_departments: Vec<String>,
    /// `cells[row][column]`: a count, or null when withheld.
    pub cells: Vec<Vec<Option<usize>>>,
}

impl SiloMatrix {
    /// Each row with its cells as the page shows them.
    pub fn rows(&self) -> Vec<(String, Vec<String>)> {
        self.leader_departments
            .iter()
            .zip(&self.cells)
            .map(|(d, cells)| {
                (d.clone(), cells.iter().map(|c| c.map_or_else(|| self.withheld.clone(), |n| n.to_string())).collect())
            })
            .collect()
    }
}

const OTHER: &str = "Other departments";

/// The report for a member of the program office.
pub async fn for_office(store: &Store, actor: &Actor) -> Result<OfficeReport, AppError> {
    let scope = access::program_office(store, actor).await?;
    let programs: Vec<Program> = match scope {
        OfficeScope::All => store.programs().await?,
        OfficeScope::Sponsored(ids) => {
            let mut out = Vec::new();
            for id in ids {
                out.push(store.program(id).await?);
            }
            out
        }
    };
    build(store, programs, OffsetDateTime::now_utc()).await
}

async fn build(store: &Store, mut programs: Vec<Program>, now: OffsetDateTime) -> Result<OfficeReport, AppError> {
    programs.sort_by_key(|p| p.id);
    let today = Date::of_instant(now);
    let lineage: HashMap<ProgramId, (Option<ProgramId>, String)> =
        store.lineage().await?.into_iter().map(|l| (l.program, (l.previous, l.kind))).collect();
    let mut columns = Vec::new();
    let mut by_theme: BTreeMap<Theme, (usize, usize)> = BTreeMap::new();
    let mut shared_insights = Vec::new();
    let mut silos = Vec::new();
    for p in &programs {
        let r = report::build(store, p.id, now).await?;
        let (previous, kind) = lineage.get(&p.id).cloned().unwrap_or((None, "standard".into()));
        let min = p.settings.min_group_size;
        let tallies = store.insight_tallies(p.id).await?;
        let mut decisions = 0;
        for t in &tallies {
            let n = usize::try_from(t.count).unwrap_or(0);
            let entry = by_theme.entry(t.theme).or_default();
            entry.0 += n;
            if t.kind == InsightKind::Decision {
                entry.1 += n;
                decisions += n;
            }
        }
        for i in store.shared_insights(p.id).await? {
            if i.text.is_empty() {
                continue; // destroyed by retention
            }
            shared_insights.push(OfficeInsight {
                program: p.id.0,
                theme: i.theme.as_str().to_owned(),
                theme_label: i.theme.label().to_owned(),
                kind: i.kind.as_str().to_owned(),
                text: i.text,
            });
        }
        let mut leaders = Retained { people: 0, retained: None };
        let mut mentors = Retained { people: 0, retained: None };
        for g in store.role_retention(p.id, today).await? {
            let people = usize::try_from(g.people).unwrap_or(0);
            let stayed = usize::try_from(g.people - g.left).unwrap_or(0);
            let retained = Retained { people, retained: share_if_enough(stayed, people, min) };
            match g.role {
                Role::Leader => leaders = retained,
                Role::Mentor => mentors = retained,
                Role::Sponsor => {}
            }
        }
        let sessions = store.program_sessions(p.id).await?;
        silos.push(silo_matrix(store, p, min).await?);
        columns.push(ProgramColumn {
            program: p.id.0,
            name: p.name.clone(),
            kind,
            previous: previous.map(|x| x.0),
            starts_on: p.starts_on.to_string(),
            closed: store.closure(p.id).await?.closed_on.is_some(),
            min_group_size: min,
            pairs: r.pairs,
            sessions_held: r.sessions.held,
            cadence_median_days: median_days_between_held(&sessions, now),
            heard_avg: r.checkins.mentor_feels_heard_avg,
            insights: r.insights,
            decisions_changed: decisions,
            fit_checks: r.fit_checks,
            commitments: r.commitments,
            leaders,
            mentors,
            mentor_outcomes: r.mentor_outcomes.clone(),
        });
    }
    Ok(OfficeReport {
        generated_at: format_instant(now),
        series: series(&columns),
        themes: Theme::ALL
            .iter()
            .map(|t| {
                let (insights, decisions_changed) = by_theme.get(t).copied().unwrap_or_default();
                ThemeCount { theme: t.as_str().to_owned(), label: t.label().to_owned(), insights, decisions_changed }
            })
            .collect(),
        shared_insights,
        silos,
        programs: columns,
    })
}

fn share_if_enough(part: usize, whole: usize, min_group_size: u32) -> Option<f64> {
    let min = usize::try_from(min_group_size).unwrap_or(usize::MAX);
    (whole >= min && whole > 0).then(|| ((part as f64 / whole as f64) * 1000.0).round() / 1000.0)
}

/// The median gap in days between consecutive held sessions of each pair.
pub fn median_days_between_held(sessions: &[StoredSession], now: OffsetDateTime) -> Option<f64> {
    let mut by_pair: BTreeMap<PairId, Vec<OffsetDateTime>> = BTreeMap::new();
    for s in sessions.iter().filter(|s| s.status_at(now) == SessionStatus::Held) {
        by_pair.entry(s.pair_id).or_default().push(s.starts_at);
    }
    let mut gaps: Vec<f64> = Vec::new();
    for times in by_pair.values_mut() {
        times.sort();
        gaps.extend(times.windows(2).map(|w| (w[1] - w[0]).whole_hours() as f64 / 24.0));
    }
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_by(f64::total_cmp);
    let mid = gaps.len() / 2;
    let median = if gaps.len() % 2 == 1 { gaps[mid] } else { (gaps[mid - 1] + gaps[mid]) / 2.0 };
    Some((median * 10.0).round() / 10.0)
}

/// Each chain of cohorts among the programs shown, oldest first; a program
/// neither started from another shown nor followed by one is in no series.
fn series(columns: &[ProgramColumn]) -> Vec<Series> {
    let shown: HashMap<i64, &ProgramColumn> = columns.iter().map(|c| (c.program, c)).collect();
    let mut next: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for c in columns {
        if let Some(prev) = c.previous.filter(|p| shown.contains_key(p)) {
            next.entry(prev).or_default().push(c.program);
        }
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for c in columns.iter().filter(|c| c.previous.is_none_or(|p| !shown.contains_key(&p))) {
        if !next.contains_key(&c.program) {
            continue;
        }
        let mut cohorts = Vec::new();
        let mut at = Some(c);
        let mut before: Option<&ProgramColumn> = None;
        while let Some(now) = at {
            if !seen.insert(now.program) {
                break;
            }
            cohorts.push(Cohort {
                program: now.program,
                name: now.name.clone(),
                kind: now.kind.clone(),
                change: before.map(|b| change(b, now)),
            });
            before = Some(now);
            at = next.get(&now.program).and_then(|n| n.first()).and_then(|id| shown.get(id).copied());
        }
        out.push(Series { cohorts });
    }
    out
}

fn change(before: &ProgramColumn, after: &ProgramColumn) -> CohortChange {
    let d = |a: usize, b: usize| i64::try_from(a).unwrap_or(0) - i64::try_from(b).unwrap_or(0);
    CohortChange {
        pairs: d(after.pairs, before.pairs),
        sessions_held: d(after.sessions_held, before.sessions_held),
        insights: d(after.insights, before.insights),
        decisions_changed: d(after.decisions_changed, before.decisions_changed),
        commitments_kept: d(after.commitments.kept, before.commitments.kept),
        heard_avg: before.heard_avg.zip(after.heard_avg).map(|(b, a)| ((a - b) * 100.0).round() / 100.0),
    }
}

async fn silo_matrix(store: &Store, p: &Program, min: u32) -> Result<SiloMatrix, AppError> {
    let ended: HashSet<PairId> = store.pairs(p.id).await?.into_iter().filter(|x| !x.is_open()).map(|x| x.id).collect();
    let pairs: Vec<(String, String)> = store
        .pair_departments(p.id)
        .await?
        .into_iter()
        .filter(|d| !ended.contains(&d.pair))
        .map(|d| (d.leader, d.mentor))
        .collect();
    Ok(matrix(p.id.0, &p.name, &pairs, min))
}

/// The matrix of (leader's department, mentor's department) pairs with the
/// group size applied: departments with fewer pairs than `min` are folded
/// into "Other departments", cells below `min` are withheld, and a lone
/// withheld cell takes the smallest shown cell with it, so that no cell can
/// be worked out from the program's pair count.
pub fn matrix(program: i64, name: &str, pairs: &[(String, String)], min: u32) -> SiloMatrix {
    let min_n = usize::try_from(min).unwrap_or(usize::MAX);
    let fold = |side: &dyn Fn(&(String, String)) -> &String| -> Vec<String> {
        let mut n: BTreeMap<&String, usize> = BTreeMap::new();
        for p in pairs {
            *n.entry(side(p)).or_default() += 1;
        }
        let mut kept: Vec<String> = n.iter().filter(|(_, c)| **c >= min_n).map(|(d, _)| (*d).clone()).collect();
        if n.values().any(|c| *c < min_n) {
            kept.push(OTHER.to_owned());
        }
        kept
    };
    let rows = fold(&|p| &p.0);
    let cols = fold(&|p| &p.1);
    let place = |list: &[String], d: &String| list.iter().position(|x| x == d).unwrap_or(list.len().saturating_sub(1));
    let mut counts = vec![vec![0usize; cols.len()]; rows.len()];
    for p in pairs {
        counts[place(&rows, &p.0)][place(&cols, &p.1)] += 1;
    }
    let mut cells: Vec<Vec<Option<usize>>> =
        counts.iter().map(|r| r.iter().map(|c| (*c >= min_n).then_some(*c)).collect()).collect();
    let withheld_nonzero =
        counts.iter().flatten().zip(cells.iter().flatten()).filter(|(c, shown)| **c > 0 && shown.is_none()).count();
    if withheld_nonzero == 1 {
        let smallest = cells
            .iter()
            .enumerate()
            .flat_map(|(r, row)| row.iter().enumerate().filter_map(move |(c, v)| v.map(|v| (v, r, c))))
            .min();
        if let Some((_, r, c)) = smallest {
            cells[r][c] = None;
        }
    }
    SiloMatrix {
        program,
        name: name.to_owned(),
        min_group_size: min,
        withheld: format!("fewer than {min}"),
        leader_departments: rows,
        mentor_departments: cols,
        cells,
    }
}

/// The report as CSV: `section,program,metric,value` rows. Every text a
/// person typed (program names, departments, shared insights) goes through
/// `csv_cell::neutralise`.
pub fn to_csv(r: &OfficeReport) -> String {
    use crate::csv_cell::neutralise;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut ok = out.write_record(["section", "program", "metric", "value"]).is_ok();
    let mut row = |section: &str, program: String, metric: &str, value: String| {
        ok &= out.write_record([section, program.as_str(), &neutralise(metric), &neutralise(&value)]).is_ok();
    };
    let opt = |v: Option<f64>| v.map_or_else(|| report::WITHHELD.to_owned(), |v| v.to_string());
    for c in &r.programs {
        let id = c.program.to_string();
        let figures = [
            ("name", c.name.clone()),
            ("kind", c.kind.clone()),
            ("starts_on", c.starts_on.clone()),
            ("pairs", c.pairs.to_string()),
            ("sessions_held", c.sessions_held.to_string()),
            ("cadence_median_days", c.cadence_median_days.map_or_else(|| "none yet".to_owned(), |v| v.to_string())),
            ("heard_avg", opt(c.heard_avg)),
            ("insights", c.insights.to_string()),
            ("decisions_changed", c.decisions_changed.to_string()),
            ("fit_checks", c.fit_checks.to_string()),
            ("commitments.made", c.commitments.made.to_string()),
            ("commitments.kept", c.commitments.kept.to_string()),
            ("commitments.dropped", c.commitments.dropped.to_string()),
            ("commitments.overdue", c.commitments.overdue.to_string()),
            ("leaders", c.leaders.people.to_string()),
            ("leaders.retained", opt(c.leaders.retained)),
            ("mentors", c.mentors.people.to_string()),
            ("mentors.retained", opt(c.mentors.retained)),
            ("mentor_outcomes.mentors_promoted", opt(c.mentor_outcomes.mentors.promoted)),
            ("mentor_outcomes.comparable_promoted", opt(c.mentor_outcomes.comparable.promoted)),
            ("mentor_outcomes.mentors_retained", opt(c.mentor_outcomes.mentors.retained)),
            ("mentor_outcomes.comparable_retained", opt(c.mentor_outcomes.comparable.retained)),
        ];
        for (metric, value) in figures {
            row("program", id.clone(), metric, value);
        }
    }
    for t in &r.themes {
        row("theme", String::new(), &format!("{}.insights", t.theme), t.insights.to_string());
        row("theme", String::new(), &format!("{}.decisions_changed", t.theme), t.decisions_changed.to_string());
    }
    for i in &r.shared_insights {
        row("shared_insight", i.program.to_string(), &i.theme, i.text.clone());
    }
    for m in &r.silos {
        for (leader, cells) in m.rows() {
            for (mentor, value) in m.mentor_departments.iter().zip(cells) {
                row("silos", m.program.to_string(), &format!("{leader} → {mentor}"), value);
            }
        }
    }
    debug_assert!(ok, "writing CSV into memory cannot fail");
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Administrators name people to the program office, or remove them.
pub async fn name_member(store: &Store, actor: &Actor, employee_id: &str) -> Result<Vec<Member>, AppError> {
    access::admin(actor)?;
    let id = employee_id.trim();
    store.person(id).await.map_err(|_| {
        AppError::invalid(
            crate::Problem::new(format!("nobody in the directory has the id '{id}'")).field("employee_id"),
        )
    })?;
    store.add_office_member(id, &actor.email).await?;
    store.audit(&actor.email, "office.name", id, "named to the program office").await?;
    members_unchecked(store).await
}

pub async fn remove_member(store: &Store, actor: &Actor, employee_id: &str) -> Result<Vec<Member>, AppError> {
    access::admin(actor)?;
    if !store.remove_office_member(employee_id.trim()).await? {
        return Err(AppError::NotFound { what: "program office member", id: employee_id.trim().to_owned() });
    }
    store.audit(&actor.email, "office.remove", employee_id.trim(), "removed from the program office").await?;
    members_unchecked(store).await
}

/// A person named to the program office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub employee_id: String,
    pub name: String,
    pub named_by: String,
    pub named_at: String,
}

pub async fn members(store: &Store, actor: &Actor) -> Result<Vec<Member>, AppError> {
    access::admin(actor)?;
    members_unchecked(store).await
}

/// For the operator (`plab office list`) and after an administrator's change.
pub async fn members_unchecked(store: &Store) -> Result<Vec<Member>, AppError> {
    let mut out = Vec::new();
    for m in store.office_members().await? {
        let name = store.person(&m.employee_id).await.map(|p| p.name.to_string()).unwrap_or_default();
        out.push(Member { employee_id: m.employee_id, name, named_by: m.named_by, named_at: m.named_at });
    }
    Ok(out)
}

/// The operator's `plab office add|remove`: no account needed.
pub async fn set_member_as_operator(store: &Store, employee_id: &str, member: bool) -> Result<bool, AppError> {
    let id = employee_id.trim();
    if member {
        store.person(id).await.map_err(|_| {
            AppError::invalid(
                crate::Problem::new(format!("nobody in the directory has the id '{id}'")).field("employee_id"),
            )
        })?;
        store.add_office_member(id, "operator").await?;
        store.audit("operator", "office.name", id, "named to the program office").await?;
        Ok(true)
    } else {
        let removed = store.remove_office_member(id).await?;
        if removed {
            store.audit("operator", "office.remove", id, "removed from the program office").await?;
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str, usize)]) -> Vec<(String, String)> {
        list.iter().flat_map(|(l, m, n)| std::iter::repeat_n((l.to_string(), m.to_string()), *n)).collect()
    }

    #[test]
    fn a_silo_cell_below_the_group_size_is_withheld() {
        let m = matrix(1, "A", &pairs(&[("Sales", "Ops", 6), ("Ops", "Sales", 5), ("Ops", "Ops", 1)]), 5);
        assert_eq!(m.leader_departments, ["Ops", "Sales"]);
        assert_eq!(m.mentor_departments, ["Ops", "Sales"]);
        // Ops→Ops (1) is withheld, and being the only one, the smallest shown cell (Ops→Sales, 5) goes with it.
        assert_eq!(m.cells, vec![vec![None, None], vec![Some(6), None]]);
        assert_eq!(m.rows()[0].1, ["fewer than 5", "fewer than 5"]);
    }

    #[test]
    fn a_department_with_fewer_pairs_than_the_group_size_is_folded_into_others() {
        let m = matrix(1, "A", &pairs(&[("Sales", "Ops", 5), ("Legal", "Ops", 1), ("Sales", "IT", 1)]), 5);
        assert_eq!(m.leader_departments, ["Sales", OTHER]);
        assert_eq!(m.mentor_departments, ["Ops", OTHER]);
        assert!(!format!("{m:?}").contains("Legal") && !format!("{m:?}").contains("IT\""));
    }

    fn column(program: i64, previous: Option<i64>, pairs: usize, heard: Option<f64>) -> ProgramColumn {
        ProgramColumn {
            program,
            name: format!("P{program}"),
            kind: "standard".into(),
            previous,
            starts_on: "2026-01-05".into(),
            closed: false,
            min_group_size: 5,
            pairs,
            sessions_held: pairs * 3,
            cadence_median_days: None,
            heard_avg: heard,
            insights: pairs,
            decisions_changed: 0,
            fit_checks: 0,
            commitments: CommitmentCounts::default(),
            leaders: Retained { people: pairs, retained: None },
            mentors: Retained { people: pairs, retained: None },
            mentor_outcomes: plab_domain::outcomes::MentorOutcomes::default(),
        }
    }

    #[test]
    fn cohorts_started_from_one_another_form_a_series_in_order_with_the_change_between_them() {
        let columns = [
            column(1, None, 6, Some(3.5)),
            column(2, None, 4, None),
            column(3, Some(1), 9, Some(4.0)),
            column(4, Some(3), 5, None),
        ];
        let s = series(&columns);
        assert_eq!(s.len(), 1, "a program with no next cohort is in no series");
        let ids: Vec<i64> = s[0].cohorts.iter().map(|c| c.program).collect();
        assert_eq!(ids, [1, 3, 4]);
        assert_eq!(s[0].cohorts[0].change, None);
        let second = s[0].cohorts[1].change.as_ref().expect("a change");
        assert_eq!((second.pairs, second.sessions_held, second.heard_avg), (3, 9, Some(0.5)));
        let third = s[0].cohorts[2].change.as_ref().expect("a change");
        assert_eq!((third.pairs, third.heard_avg), (-4, None), "no change of an average that is withheld");
    }

    #[test]
    fn a_program_too_small_shows_no_cell() {
        let m = matrix(1, "A", &pairs(&[("Sales", "Ops", 2), ("Ops", "Sales", 1)]), 5);
        assert!(m.cells.iter().flatten().all(Option::is_none), "{m:?}");
    }
}
