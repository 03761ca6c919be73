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
/// `mentor[offsets[l]..offsets[l + 1]]` with the matching integer `weight`s.
/// Each `(leader, mentor)` pair appears at most once.
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
