//! The assignment solver: the exact lexicographic optimum of a capacitated
//! bipartite matching, first as many leaders matched as possible, then the
//! highest total weight.
//!
//! Both paths solve the same min-cost problem on integers. Every leader is
//! assigned either to a mentor (cost `-weight`) or to an "unmatched" sink whose
//! cost `unmatched_cost` is larger than any weight difference the assignment can
//! make, so leaving one more leader unmatched never pays. Hence the minimum
//! cost is the maximum cardinality first and the maximum weight second.
//!
//! * [`sparse`] runs successive shortest augmenting paths (Dijkstra with
//!   potentials), one unit at a time, on the compressed candidate graph.
//!   Capacities are native: a mentor with room ends a path, a full mentor passes
//!   it on through the leaders it holds. It returns the dual prices, which prove
//!   optimality (and let the engine prove that pruned pairs could not help).
//! * [`dense`] is Jonker-Volgenant (LAPJV) on a full matrix, for unit
//!   capacities and (nearly) complete score matrices.
pub mod dense;
pub mod sparse;

use crate::response::Progress;

/// Candidate pairs in compressed rows: leader `l`'s candidates are
/// `mentor[offsets[l]..offsets[l + 1]]` with the matching integer `weight`s,
/// best weight first (ties by mentor index), which lets the sparse solver stop
/// scanning a row early. Each `(leader, mentor)` pair appears at most once.
#[derive(Debug, Clone, Default)]
pub struct CandidateGraph {
    capacity: Vec<u32>,
    offsets: Vec<usize>,
    mentor: Vec<u32>,
    weight: Vec<i64>,
}

impl CandidateGraph {
    /// Builds the graph from `(leader, mentor, weight)` edges in any order.
    /// Panics if an index is out of range (a programming error, not user input).
    pub fn from_edges(n_leaders: usize, capacity: Vec<u32>, edges: &[(u32, u32, i64)]) -> Self {
        let mut offsets = vec![0usize; n_leaders + 1];
        for &(l, m, _) in edges {
            assert!((m as usize) < capacity.len(), "mentor index out of range");
            offsets[l as usize + 1] += 1;
        }
        for l in 0..n_leaders {
            offsets[l + 1] += offsets[l];
        }
        let mut fill = offsets.clone();
        let mut mentor = vec![0u32; edges.len()];
        let mut weight = vec![0i64; edges.len()];
        for &(l, m, w) in edges {
            let at = fill[l as usize];
            mentor[at] = m;
            weight[at] = w;
            fill[l as usize] += 1;
        }
        sort_rows_by_weight(&offsets, &mut mentor, &mut weight);
        CandidateGraph { capacity, offsets, mentor, weight }
    }

    /// Builds the graph from edges already sorted by leader, without an
    /// intermediate copy. Panics if they are not sorted (a programming error).
    pub fn from_sorted_edges(
        n_leaders: usize,
        capacity: Vec<u32>,
        edges: impl Iterator<Item = (u32, u32, i64)>,
    ) -> Self {
        let mut offsets = Vec::with_capacity(n_leaders + 1);
        let (mut mentor, mut weight) = (Vec::new(), Vec::new());
        offsets.push(0);
        for (l, m, w) in edges {
            assert!((m as usize) < capacity.len(), "mentor index out of range");
            assert!(l as usize + 1 >= offsets.len(), "edges are not sorted by leader");
            while offsets.len() <= l as usize {
                offsets.push(mentor.len());
            }
            mentor.push(m);
            weight.push(w);
        }
        while offsets.len() <= n_leaders {
            offsets.push(mentor.len());
        }
        mentor.shrink_to_fit();
        weight.shrink_to_fit();
        sort_rows_by_weight(&offsets, &mut mentor, &mut weight);
        CandidateGraph { capacity, offsets, mentor, weight }
    }

    /// Builds the graph from per-leader candidate lists, already grouped.
    pub fn from_rows(capacity: Vec<u32>, rows: Vec<Vec<(u32, i64)>>) -> Self {
        let total = rows.iter().map(Vec::len).sum();
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        let mut mentor = Vec::with_capacity(total);
        let mut weight = Vec::with_capacity(total);
        offsets.push(0);
        for row in rows {
            for (m, w) in row {
                assert!((m as usize) < capacity.len(), "mentor index out of range");
                mentor.push(m);
                weight.push(w);
            }
            offsets.push(mentor.len());
        }
        sort_rows_by_weight(&offsets, &mut mentor, &mut weight);
        CandidateGraph { capacity, offsets, mentor, weight }
    }

    pub fn n_leaders(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn n_mentors(&self) -> usize {
        self.capacity.len()
    }

    pub fn n_edges(&self) -> usize {
        self.mentor.len()
    }

    pub fn capacity(&self, mentor: u32) -> u32 {
        self.capacity[mentor as usize]
    }

    /// `(mentor, weight)` candidates of one leader.
    pub fn row(&self, leader: usize) -> impl Iterator<Item = (u32, i64)> + '_ {
        let range = self.offsets[leader]..self.offsets[leader + 1];
        self.mentor[range.clone()].iter().copied().zip(self.weight[range].iter().copied())
    }

    pub fn weight_of(&self, leader: usize, mentor: u32) -> Option<i64> {
        self.row(leader).find(|&(m, _)| m == mentor).map(|(_, w)| w)
    }

    /// Bytes held by the graph's arrays (for the memory benchmark).
    pub fn heap_bytes(&self) -> usize {
        self.capacity.capacity() * 4
            + self.offsets.capacity() * std::mem::size_of::<usize>()
            + self.mentor.capacity() * 4
            + self.weight.capacity() * 8
    }

    fn max_abs_weight(&self) -> i64 {
        self.weight.iter().map(|w| w.abs()).max().unwrap_or(0)
    }

    /// Cost of leaving one leader unmatched: more than any weight the rest of the
    /// assignment could gain from it, `(2L + 1) * max|w| + 1`.
    pub fn unmatched_cost(&self) -> i64 {
        (2 * self.n_leaders() as i64 + 1) * self.max_abs_weight() + 1
    }

    /// Share of the full leader x mentor matrix present, for choosing a path.
    fn density(&self) -> f64 {
        let cells = self.n_leaders() as f64 * self.n_mentors() as f64;
        if cells == 0.0 { 0.0 } else { self.n_edges() as f64 / cells }
    }
}

/// Sorts every row `offsets[r]..offsets[r + 1]` by weight, highest first, ties
/// by column: a deterministic order whatever order the pairs came in.
fn sort_rows_by_weight(offsets: &[usize], col: &mut [u32], weight: &mut [i64]) {
    let mut row: Vec<(i64, u32)> = Vec::new();
    for r in 0..offsets.len().saturating_sub(1) {
        let range = offsets[r]..offsets[r + 1];
        let sorted = (range.start..range.end.saturating_sub(1))
            .all(|e| weight[e] > weight[e + 1] || (weight[e] == weight[e + 1] && col[e] < col[e + 1]));
        if sorted {
            continue;
        }
        row.clear();
        row.extend(range.clone().map(|e| (weight[e], col[e])));
        row.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (e, &(w, c)) in range.zip(&row) {
            weight[e] = w;
            col[e] = c;
        }
    }
}

/// Dual prices that certify a sparse solution. They solve the dual of
/// "maximise the sum of `weight + bonus` over matched pairs" (the bonus per
/// matched leader is what makes cardinality come first):
/// * `profit[leader] + price[mentor] >= weight + bonus` for every candidate pair,
///   with equality on matched pairs;
/// * `profit >= 0`, and 0 for unmatched leaders;
/// * `price >= 0`, and 0 for mentors with room left.
///
/// Any pair outside the graph that also satisfies the first line could not
/// improve the assignment, which is how pruned candidates are proved harmless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duals {
    pub profit: Vec<i64>,
    pub price: Vec<i64>,
    pub bonus: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The mentor of each leader, `None` when unmatched.
    pub mentor_of: Vec<Option<u32>>,
    /// Present when the sparse path solved it.
    pub duals: Option<Duals>,
}

impl Assignment {
    pub fn matched(&self) -> usize {
        self.mentor_of.iter().flatten().count()
    }

    pub fn total_weight(&self, graph: &CandidateGraph) -> i64 {
        self.mentor_of.iter().enumerate().filter_map(|(l, m)| m.and_then(|m| graph.weight_of(l, m))).sum()
    }
}

/// Which algorithm to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SolverChoice {
    /// Dense LAPJV for unit capacities and near-complete matrices, sparse otherwise.
    #[default]
    Auto,
    Sparse,
    /// Dense whenever all capacities are at most 1 (sparse otherwise).
    DenseWhenPossible,
}

/// Largest side for the dense path: an n x n matrix of i64 (128 MiB at 4,096).
const DENSE_MAX_SIDE: usize = 4096;

pub fn solve(graph: &CandidateGraph, choice: SolverChoice, progress: &(dyn Fn(Progress) + Sync)) -> Assignment {
    let unit = graph.capacity.iter().all(|&c| c <= 1);
    let side = graph.n_leaders().max(graph.n_mentors());
    let dense = unit
        && side <= DENSE_MAX_SIDE
        && match choice {
            SolverChoice::Auto => graph.density() >= 0.5 && side * side <= 4 * graph.n_edges(),
            SolverChoice::Sparse => false,
            SolverChoice::DenseWhenPossible => true,
        };
    if dense { dense::solve(graph) } else { sparse::solve(graph, progress) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random graphs whose weights take three values: ties everywhere.
    fn tied_graph(seed: &mut u64, n_leaders: usize, n_mentors: usize, max_capacity: u64) -> CandidateGraph {
        let mut next = |n: u64| {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (*seed >> 33) % n
        };
        let capacity = (0..n_mentors).map(|_| 1 + next(max_capacity) as u32).collect();
        let mut edges = Vec::new();
        for l in 0..n_leaders as u32 {
            for m in 0..n_mentors as u32 {
                if next(4) > 0 {
                    edges.push((l, m, next(3) as i64 * 1000));
                }
            }
        }
        CandidateGraph::from_edges(n_leaders, capacity, &edges)
    }

    /// Each mentor's seats as separate unit columns, for the dense reference.
    fn one_column_per_seat(g: &CandidateGraph) -> CandidateGraph {
        let mut first = Vec::new();
        let mut seats = 0u32;
        for m in 0..g.n_mentors() as u32 {
            first.push(seats);
            seats += g.capacity(m);
        }
        let mut edges = Vec::new();
        for l in 0..g.n_leaders() {
            for (m, w) in g.row(l) {
                for s in 0..g.capacity(m) {
                    edges.push((l as u32, first[m as usize] + s, w));
                }
            }
        }
        CandidateGraph::from_edges(g.n_leaders(), vec![1; seats as usize], &edges)
    }

    #[test]
    fn sparse_solver_matches_dense_reference_on_heavily_tied_weights() {
        // Read as i32 from the first search on (large ties get there after many reads).
        matches_dense_reference_on_tied_weights(1);
    }

    #[test]
    fn sparse_solver_matches_dense_reference_with_weights_too_wide_for_i32() {
        // These stay i64 throughout.
        matches_dense_reference_on_tied_weights(1 << 33);
    }

    fn matches_dense_reference_on_tied_weights(scale: i64) {
        let mut seed = 5u64;
        for case in 0..300 {
            let (nl, nm) = (1 + case % 9, 1 + (case / 9) % 7);
            let mut g = tied_graph(&mut seed, nl, nm, 1 + (case % 3) as u64);
            g.weight.iter_mut().for_each(|w| *w *= scale);
            let sparse = sparse::solve_with(&g, 0, &|_| {});
            let reference = dense::solve(&one_column_per_seat(&g));
            let seats = one_column_per_seat(&g);
            assert_eq!(sparse.matched(), reference.matched(), "case {case}: {g:?}");
            assert_eq!(sparse.total_weight(&g), reference.total_weight(&seats), "case {case}: {g:?}");
            let mut load = vec![0u32; g.n_mentors()];
            for m in sparse.mentor_of.iter().flatten() {
                load[*m as usize] += 1;
            }
            assert!((0..g.n_mentors()).all(|m| load[m] <= g.capacity(m as u32)), "case {case}: over capacity");
        }
    }

    #[test]
    fn rows_are_sorted_best_first_whatever_order_the_pairs_came_in() {
        let g = CandidateGraph::from_edges(1, vec![1; 4], &[(0, 3, 5), (0, 0, 7), (0, 2, 5), (0, 1, 9)]);
        assert_eq!(g.row(0).collect::<Vec<_>>(), [(1, 9), (0, 7), (2, 5), (3, 5)]);
    }
}
