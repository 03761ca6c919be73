//! Successive shortest augmenting paths on the sparse candidate graph.
//!
//! The solver works on "rows" that bring units (a supply) and "columns" that
//! take them (a capacity). Units are added one at a time; each gets a shortest
//! path (Dijkstra on reduced costs) from its row to either a column with room
//! or, failing that, to the "unassigned" sink through some row that then gives
//! a unit up. After each path the potentials of the nodes Dijkstra settled
//! move by `dist - D`, which keeps every residual reduced cost non-negative:
//! the assignment is always a min-cost one for the units added so far.
//!
//! Leaders are the rows (supply 1) and mentors the columns (their capacity),
//! unless the mentors' seats are fewer than the leaders: then the roles swap,
//! so that each unit still finds room quickly instead of every late leader
//! searching the whole saturated graph to prove it must stay unmatched.
//! Capacities are native either way: nothing is copied per seat.
//!
//! Potentials only fall and columns with room keep potential 0, so a unit
//! whose cheapest edge leads to room is placed without a heap at all (the
//! warm start that makes popular-mentor instances cheap).
use super::{Assignment, CandidateGraph, Duals};
use crate::response::{Progress, Stage};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

const NONE: u32 = u32::MAX;
const INF: i64 = i64::MAX / 4;

pub fn solve(graph: &CandidateGraph, progress: &(dyn Fn(Progress) + Sync)) -> Assignment {
    solve_with(graph, NARROW_AFTER_READS, progress)
}

/// [`solve`], making the narrow copy of the weights after the rows were read
/// `narrow_after_reads` times over (0: once the first row is read; for tests).
pub(crate) fn solve_with(
    graph: &CandidateGraph,
    narrow_after_reads: u64,
    progress: &(dyn Fn(Progress) + Sync),
) -> Assignment {
    let n_leaders = graph.n_leaders();
    let mut in_degree = vec![0u32; graph.n_mentors()];
    for &m in &graph.mentor {
        in_degree[m as usize] += 1;
    }
    let seats: u64 = (0..graph.n_mentors()).map(|m| u64::from(graph.capacity[m].min(in_degree[m]))).sum();
    let big = graph.unmatched_cost();
    if seats >= n_leaders as u64 {
        let supply = vec![1u32; n_leaders];
        let rows = Rows {
            offsets: &graph.offsets,
            col: &graph.mentor,
            weight: &graph.weight,
            supply: &supply,
            capacity: &graph.capacity,
        };
        let state = State::run(&rows, big, narrow_after_reads, progress);
        let mut mentor_of = vec![None; n_leaders];
        for (e, &matched) in state.matched.iter().enumerate() {
            if matched {
                mentor_of[state.edge_row[e] as usize] = Some(graph.mentor[e]);
            }
        }
        // Rows are leaders: profit = pi_row + big, price = -pi_col.
        let profit = state.pi_row.iter().map(|p| p + big).collect();
        let price = state.pi_col.iter().map(|p| -p).collect();
        Assignment { mentor_of, duals: Some(Duals { profit, price, bonus: big }) }
    } else {
        let t = transpose(graph);
        let unit = vec![1u32; n_leaders];
        let rows =
            Rows { offsets: &t.offsets, col: &t.col, weight: &t.weight, supply: &graph.capacity, capacity: &unit };
        let mut state = State::run(&rows, big, narrow_after_reads, progress);
        let mut mentor_of = vec![None; n_leaders];
        for (e, &matched) in state.matched.iter().enumerate() {
            if matched {
                let (r, c) = (state.edge_row[e], t.col[e]);
                mentor_of[c as usize] = Some(r);
                // A mentor's later seats can leave its earlier pairs with a
                // negative reduced cost; lowering the leader's potential to make
                // the pair tight keeps every other pair feasible.
                state.pi_col[c as usize] = state.pi_row[r as usize] - t.weight[e];
            }
        }
        // Rows are mentors: profit = -pi_col, price = pi_row + big.
        let profit = state.pi_col.iter().map(|p| -p).collect();
        let price = state.pi_row.iter().map(|p| p + big).collect();
        Assignment { mentor_of, duals: Some(Duals { profit, price, bonus: big }) }
    }
}

struct Transposed {
    offsets: Vec<usize>,
    col: Vec<u32>,
    weight: Vec<i64>,
}

fn transpose(g: &CandidateGraph) -> Transposed {
    let n = g.n_mentors();
    let mut offsets = vec![0usize; n + 1];
    for &m in &g.mentor {
        offsets[m as usize + 1] += 1;
    }
    for m in 0..n {
        offsets[m + 1] += offsets[m];
    }
    let mut fill = offsets.clone();
    let mut col = vec![0u32; g.mentor.len()];
    let mut weight = vec![0i64; g.mentor.len()];
    for l in 0..g.n_leaders() {
        for e in g.offsets[l]..g.offsets[l + 1] {
            let m = g.mentor[e] as usize;
            col[fill[m]] = l as u32;
            weight[fill[m]] = g.weight[e];
            fill[m] += 1;
        }
    }
    super::sort_rows_by_weight(&offsets, &mut col, &mut weight);
    Transposed { offsets, col, weight }
}

/// One orientation of the problem: row `r`'s edges are `offsets[r]..offsets[r + 1]`.
struct Rows<'a> {
    offsets: &'a [usize],
    col: &'a [u32],
    weight: &'a [i64],
    supply: &'a [u32],
    capacity: &'a [u32],
}

#[derive(Clone, Copy)]
enum Exit {
    /// The path ends at a column with room.
    Room(u32),
    /// The path ends with this row giving a unit up (the source: its new unit stays unassigned).
    Unassigned(u32),
}

struct State<'a> {
    g: &'a Rows<'a>,
    big: i64,
    pi_row: Vec<i64>,
    pi_col: Vec<i64>,
    col_load: Vec<u32>,
    edge_row: Vec<u32>,
    matched: Vec<bool>,
    // Matched edges into each column, as singly linked lists.
    col_head: Vec<u32>,
    edge_next: Vec<u32>,
    // Dijkstra scratch, reset through the touched lists after every path.
    dist_row: Vec<i64>,
    /// `distance + potential` of each column reached: its path's length from
    /// the source's potential, compared directly with `best`.
    reach: Vec<i64>,
    /// The unmatched edge that reached each column.
    pred_col: Vec<u32>,
    /// The matched edge (given up) through which each row was reached.
    pred_row: Vec<u32>,
    touched_rows: Vec<u32>,
    touched_cols: Vec<u32>,
    settled: Vec<u32>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    /// The weights again as `i32`, made once the searches have read the rows
    /// `NARROW_AFTER_READS` times over (a search through a large tie reads the
    /// same rows again and again: a third less memory to stream is a tenth less
    /// time), if every weight fits (the built-in scores always do).
    narrow: Option<Vec<i32>>,
    /// Edges still to read from the `i64` weights before making `narrow`.
    until_narrow: u64,
}

/// Making the narrow copy costs about one read of every weight; it pays off
/// only when the searches read the rows many times over.
const NARROW_AFTER_READS: u64 = 16;

impl<'a> State<'a> {
    fn run(g: &'a Rows<'a>, big: i64, narrow_after_reads: u64, progress: &(dyn Fn(Progress) + Sync)) -> State<'a> {
        let (nr, nc, ne) = (g.supply.len(), g.capacity.len(), g.col.len());
        let mut edge_row = vec![0u32; ne];
        for r in 0..nr {
            edge_row[g.offsets[r]..g.offsets[r + 1]].fill(r as u32);
        }
        let mut state = State {
            g,
            big,
            pi_row: vec![0; nr],
            pi_col: vec![0; nc],
            col_load: vec![0; nc],
            edge_row,
            matched: vec![false; ne],
            col_head: vec![NONE; nc],
            edge_next: vec![NONE; ne],
            dist_row: vec![INF; nr],
            reach: vec![INF; nc],
            pred_col: vec![NONE; nc],
            pred_row: vec![NONE; nr],
            touched_rows: Vec::new(),
            touched_cols: Vec::new(),
            settled: Vec::new(),
            heap: BinaryHeap::new(),
            narrow: None,
            until_narrow: narrow_after_reads * ne as u64,
        };
        let step = (nr / 100).max(1024);
        for r in 0..nr {
            // A row can use at most one unit per edge.
            let units = g.supply[r].min((g.offsets[r + 1] - g.offsets[r]) as u32);
            for _ in 0..units {
                state.add_unit(r as u32);
            }
            if g.supply[r] == 0 {
                // Never a source, so unreachable: any potential that keeps its
                // edges' reduced costs non-negative will do for the duals.
                let highest = state.edges(r as u32).map(|e| g.weight[e] + state.pi_col[g.col[e] as usize]).max();
                state.pi_row[r] = highest.unwrap_or(-big).max(-big);
            } else if units < g.supply[r] {
                // Its other units go unassigned: the sink edge becomes tight.
                state.pi_row[r] = state.pi_row[r].min(-big);
            }
            if (r + 1) % step == 0 {
                progress(Progress { stage: Stage::Solving, done: r as u64 + 1, total: nr as u64 });
            }
        }
        state
    }

    fn has_room(&self, c: u32) -> bool {
        self.col_load[c as usize] < self.g.capacity[c as usize]
    }

    fn edges(&self, r: u32) -> std::ops::Range<usize> {
        self.g.offsets[r as usize]..self.g.offsets[r as usize + 1]
    }

    fn add_unit(&mut self, s: u32) {
        // Fast path: the cheapest first step ends at a column with room.
        let base = self.pi_row[s as usize];
        let mut best: Option<(i64, bool, usize)> = None;
        for e in self.edges(s) {
            // Rows are sorted by weight and column potentials are never
            // positive, so no later edge can be cheaper than this bound.
            if best.is_some_and(|(rc, _, _)| base - self.g.weight[e] > rc) {
                break;
            }
            if self.matched[e] {
                continue;
            }
            let c = self.g.col[e];
            let key = (base - self.g.weight[e] - self.pi_col[c as usize], !self.has_room(c));
            if best.is_none_or(|(rc, full, _)| key < (rc, full)) {
                best = Some((key.0, key.1, e));
            }
        }
        let to_sink = self.big + base;
        match best {
            None => {
                self.pi_row[s as usize] -= to_sink;
                return;
            }
            Some((rc, false, e)) if rc < to_sink => {
                self.pi_row[s as usize] -= rc;
                let c = self.g.col[e];
                self.col_load[c as usize] += 1;
                self.attach(e);
                return;
            }
            Some(_) => {}
        }
        self.shortest_path(s);
    }

    fn shortest_path(&mut self, s: u32) {
        let nr = self.g.supply.len() as u32;
        self.dist_row[s as usize] = 0;
        self.touched_rows.push(s);
        self.heap.push(Reverse((0, s)));
        let mut best = self.big + self.pi_row[s as usize];
        let mut exit = Exit::Unassigned(s);

        while let Some(Reverse((d, node))) = self.heap.pop() {
            if d >= best {
                break;
            }
            if node < nr {
                let r = node as usize;
                if d > self.dist_row[r] {
                    continue;
                }
                self.settled.push(node);
                if node != s {
                    let via_sink = d + self.big + self.pi_row[r];
                    if via_sink < best {
                        best = via_sink;
                        exit = Exit::Unassigned(node);
                    }
                }
                let base = d + self.pi_row[r];
                let g = self.g;
                let range = self.edges(node);
                let cols = &g.col[range.clone()];
                if let Some(narrow) = self.narrow.take() {
                    self.scan_row(range.start, &narrow[range], cols, base, &mut best, &mut exit);
                    self.narrow = Some(narrow);
                } else {
                    let read = self.scan_row(range.start, &g.weight[range], cols, base, &mut best, &mut exit);
                    self.until_narrow = self.until_narrow.saturating_sub(read as u64);
                    if self.until_narrow == 0 {
                        self.narrow = g.weight.iter().map(|&w| i32::try_from(w).ok()).collect();
                        // Made, or found too wide, once for all.
                        self.until_narrow = u64::MAX;
                    }
                }
            } else {
                let c = node - nr;
                let ci = c as usize;
                if d > self.reach[ci] - self.pi_col[ci] {
                    continue;
                }
                self.settled.push(node);
                if self.has_room(c) && self.reach[ci] < best {
                    best = self.reach[ci];
                    exit = Exit::Room(c);
                }
                let mut e = self.col_head[ci];
                while e != NONE {
                    let r = self.edge_row[e as usize];
                    let ri = r as usize;
                    let nd = d + self.g.weight[e as usize] + self.pi_col[ci] - self.pi_row[ri];
                    if nd < self.dist_row[ri] {
                        if self.dist_row[ri] == INF {
                            self.touched_rows.push(r);
                        }
                        self.dist_row[ri] = nd;
                        self.pred_row[ri] = e;
                        if r != s && nd + self.big + self.pi_row[ri] < best {
                            best = nd + self.big + self.pi_row[ri];
                            exit = Exit::Unassigned(r);
                        }
                        self.heap.push(Reverse((nd, r)));
                    }
                    e = self.edge_next[e as usize];
                }
            }
        }

        for &node in &self.settled {
            if node < nr {
                self.pi_row[node as usize] += self.dist_row[node as usize] - best;
            } else {
                let ci = (node - nr) as usize;
                self.pi_col[ci] = self.reach[ci] - best;
            }
        }
        self.augment(s, exit);
        self.reset();
    }

    /// Relaxes the edges of one settled row (`first` is its first edge's index,
    /// `base` its distance plus potential). The hot loop: every row of a large
    /// tie settles here once per path. One look-up per edge (`reach` folds the
    /// column's distance and potential together) and no bounds checks on the
    /// row. Returns how many edges it read.
    #[inline]
    fn scan_row<W: Copy + Into<i64>>(
        &mut self,
        first: usize,
        weights: &[W],
        cols: &[u32],
        base: i64,
        best: &mut i64,
        exit: &mut Exit,
    ) -> usize {
        let nr = self.g.supply.len() as u32;
        for (i, (&w, &c)) in weights.iter().zip(cols).enumerate() {
            let at = base - w.into();
            // Sorted by weight, column potentials <= 0: every later
            // edge reaches its column at `best` or later, too late to matter.
            if at >= *best {
                return i;
            }
            let ci = c as usize;
            // Matched edges only run backwards; tested last, as few edges get
            // past the first test.
            let e = first + i;
            if at < self.reach[ci] && !self.matched[e] {
                if self.reach[ci] == INF {
                    self.touched_cols.push(c);
                }
                self.reach[ci] = at;
                self.pred_col[ci] = e as u32;
                // An exit is known as soon as it is reached (`at` is its
                // length, below `best`), so the search stops before wading
                // through equal-cost alternatives (ties) that cannot beat it.
                if self.has_room(c) {
                    *best = at;
                    *exit = Exit::Room(c);
                }
                self.heap.push(Reverse((at - self.pi_col[ci], nr + c)));
            }
        }
        weights.len()
    }

    fn augment(&mut self, s: u32, exit: Exit) {
        let mut c = match exit {
            Exit::Room(c) => {
                self.col_load[c as usize] += 1;
                c
            }
            Exit::Unassigned(r) => {
                if r == s {
                    return;
                }
                let given_up = self.pred_row[r as usize];
                self.detach(given_up);
                self.g.col[given_up as usize]
            }
        };
        loop {
            let e = self.pred_col[c as usize];
            let r = self.edge_row[e as usize];
            self.attach(e as usize);
            if r == s {
                break;
            }
            let given_up = self.pred_row[r as usize];
            self.detach(given_up);
            c = self.g.col[given_up as usize];
        }
    }

    fn attach(&mut self, e: usize) {
        let c = self.g.col[e] as usize;
        self.matched[e] = true;
        self.edge_next[e] = self.col_head[c];
        self.col_head[c] = e as u32;
    }

    fn detach(&mut self, e: u32) {
        let c = self.g.col[e as usize] as usize;
        self.matched[e as usize] = false;
        if self.col_head[c] == e {
            self.col_head[c] = self.edge_next[e as usize];
            return;
        }
        let mut cur = self.col_head[c];
        while cur != NONE {
            let next = self.edge_next[cur as usize];
            if next == e {
                self.edge_next[cur as usize] = self.edge_next[e as usize];
                return;
            }
            cur = next;
        }
    }

    fn reset(&mut self) {
        for r in self.touched_rows.drain(..) {
            self.dist_row[r as usize] = INF;
        }
        for c in self.touched_cols.drain(..) {
            self.reach[c as usize] = INF;
        }
        self.settled.clear();
        self.heap.clear();
    }
}
