//! Jonker-Volgenant (LAPJV) on a full square cost matrix, for unit capacities.
//!
//! The leader x mentor matrix is padded to n x n with n = max(leaders, mentors):
//! a missing pair and a padding mentor column cost `unmatched_cost` (a leader
//! placed there is unmatched), a padding leader row costs 0 everywhere (it soaks
//! up the mentors nobody needs). The phases follow Jonker & Volgenant (1987):
//! column reduction with reduction transfer, two rounds of augmenting row
//! reduction, then shortest augmenting paths over the dense matrix.
use super::{Assignment, CandidateGraph};

const NONE: usize = usize::MAX;

pub fn solve(graph: &CandidateGraph) -> Assignment {
    let (nl, nm) = (graph.n_leaders(), graph.n_mentors());
    let n = nl.max(nm);
    let big = graph.unmatched_cost();
    let mut cost = vec![0i64; n * n];
    for l in 0..nl {
        let row = &mut cost[l * n..(l + 1) * n];
        row.fill(big);
        for (m, w) in graph.row(l) {
            if graph.capacity(m) >= 1 {
                row[m as usize] = -w;
            }
        }
    }
    let x = lapjv(n, &cost);
    let mentor_of = (0..nl)
        .map(|l| {
            let j = x[l];
            (j < nm && cost[l * n + j] != big).then_some(j as u32)
        })
        .collect();
    Assignment { mentor_of, duals: None }
}

/// Minimum-cost perfect assignment of an `n x n` row-major matrix: `x[row] = column`.
pub fn lapjv(n: usize, cost: &[i64]) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let mut x = vec![NONE; n];
    let mut y = vec![NONE; n];
    let mut v = vec![0i64; n];
    let mut free = column_reduction(n, cost, &mut x, &mut y, &mut v);
    for _ in 0..2 {
        if free.is_empty() {
            break;
        }
        free = augmenting_row_reduction(n, cost, &free, &mut x, &mut y, &mut v);
    }
    let mut paths = PathSearch::new(n);
    for &row in &free {
        paths.augment(n, cost, row, &mut x, &mut y, &mut v);
    }
    x
}

/// Each column goes to its cheapest row; rows that won exactly one column
/// transfer their slack to it. Returns the rows left free.
fn column_reduction(n: usize, cost: &[i64], x: &mut [usize], y: &mut [usize], v: &mut [i64]) -> Vec<usize> {
    v.fill(i64::MAX);
    let mut best_row = vec![0usize; n];
    for i in 0..n {
        let row = &cost[i * n..(i + 1) * n];
        for j in 0..n {
            if row[j] < v[j] {
                v[j] = row[j];
                best_row[j] = i;
            }
        }
    }
    let mut unique = vec![true; n];
    for j in (0..n).rev() {
        let i = best_row[j];
        if x[i] == NONE {
            x[i] = j;
            y[j] = i;
        } else {
            unique[i] = false;
        }
    }
    let mut free = Vec::new();
    for i in 0..n {
        if x[i] == NONE {
            free.push(i);
        } else if unique[i] {
            let j = x[i];
            let row = &cost[i * n..(i + 1) * n];
            let slack = (0..n).filter(|&k| k != j).map(|k| row[k] - v[k]).min().unwrap_or(0);
            v[j] -= slack;
        }
    }
    free
}

/// Auction-like pass: a free row takes its best column, lowering its price by
/// the gap to the second best, and bumps the previous owner.
fn augmenting_row_reduction(
    n: usize,
    cost: &[i64],
    free_rows: &[usize],
    x: &mut [usize],
    y: &mut [usize],
    v: &mut [i64],
) -> Vec<usize> {
    let mut queue: Vec<usize> = free_rows.to_vec();
    let prev_free = queue.len();
    let mut current = 0usize;
    let mut still_free = Vec::new();
    let mut rounds = 0usize;
    while current < prev_free {
        rounds += 1;
        let i = queue[current];
        current += 1;
        let row = &cost[i * n..(i + 1) * n];
        let (mut j1, mut u1) = (0usize, row[0] - v[0]);
        let (mut j2, mut u2) = (NONE, i64::MAX);
        for j in 1..n {
            let h = row[j] - v[j];
            if h < u2 {
                if h >= u1 {
                    u2 = h;
                    j2 = j;
                } else {
                    u2 = u1;
                    u1 = h;
                    j2 = j1;
                    j1 = j;
                }
            }
        }
        let mut i0 = y[j1];
        let lowered = if u2 == i64::MAX { v[j1] } else { v[j1] - (u2 - u1) };
        let lowers = lowered < v[j1];
        if rounds < current * n {
            if lowers {
                v[j1] = lowered;
            } else if i0 != NONE && j2 != NONE {
                j1 = j2;
                i0 = y[j2];
            }
            if i0 != NONE {
                if lowers {
                    current -= 1;
                    queue[current] = i0;
                } else {
                    still_free.push(i0);
                }
            }
        } else if i0 != NONE {
            still_free.push(i0);
        }
        if i0 != NONE {
            x[i0] = NONE;
        }
        x[i] = j1;
        y[j1] = i;
    }
    still_free
}

/// Scratch space for the shortest augmenting paths of the last phase.
struct PathSearch {
    cols: Vec<usize>,
    d: Vec<i64>,
    pred: Vec<usize>,
}

impl PathSearch {
    fn new(n: usize) -> Self {
        PathSearch { cols: vec![0; n], d: vec![0; n], pred: vec![0; n] }
    }

    fn augment(&mut self, n: usize, cost: &[i64], start: usize, x: &mut [usize], y: &mut [usize], v: &mut [i64]) {
        let mut j = self.find_path(n, cost, start, y, v);
        loop {
            let i = self.pred[j];
            y[j] = i;
            let previous = x[i];
            x[i] = j;
            if i == start {
                break;
            }
            j = previous;
        }
    }

    /// Dijkstra over columns: `cols[..ready]` are settled, `cols[lo..hi]` hold the
    /// current minimum distance and are being scanned, `cols[hi..]` are todo.
    fn find_path(&mut self, n: usize, cost: &[i64], start: usize, y: &[usize], v: &mut [i64]) -> usize {
        let (cols, d, pred) = (&mut self.cols, &mut self.d, &mut self.pred);
        let row = &cost[start * n..(start + 1) * n];
        for j in 0..n {
            cols[j] = j;
            pred[j] = start;
            d[j] = row[j] - v[j];
        }
        let (mut lo, mut hi, mut ready) = (0usize, 0usize, 0usize);
        let final_j = 'search: loop {
            if lo == hi {
                ready = lo;
                // Move every todo column at the minimum distance into the scan list.
                hi = lo + 1;
                let mut mind = d[cols[lo]];
                let first_todo = hi;
                for k in first_todo..n {
                    let j = cols[k];
                    if d[j] <= mind {
                        if d[j] < mind {
                            hi = lo;
                            mind = d[j];
                        }
                        cols[k] = cols[hi];
                        cols[hi] = j;
                        hi += 1;
                    }
                }
                for &j in &cols[lo..hi] {
                    if y[j] == NONE {
                        break 'search j;
                    }
                }
            }
            // Scan one column at the minimum: relax the todo columns through its row.
            let j = cols[lo];
            lo += 1;
            let i = y[j];
            let mind = d[j];
            let irow = &cost[i * n..(i + 1) * n];
            let h = irow[j] - v[j] - mind;
            let mut k = hi;
            while k < n {
                let jj = cols[k];
                let reduced = irow[jj] - v[jj] - h;
                if reduced < d[jj] {
                    d[jj] = reduced;
                    pred[jj] = i;
                    if reduced == mind {
                        if y[jj] == NONE {
                            break 'search jj;
                        }
                        cols[k] = cols[hi];
                        cols[hi] = jj;
                        hi += 1;
                    }
                }
                k += 1;
            }
        };
        let mind = d[final_j];
        for &j in &cols[..ready] {
            v[j] += d[j] - mind;
        }
        final_j
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_min(n: usize, cost: &[i64]) -> i64 {
        fn go(row: usize, n: usize, cost: &[i64], used: &mut Vec<bool>) -> i64 {
            if row == n {
                return 0;
            }
            let mut best = i64::MAX;
            for j in 0..n {
                if !used[j] {
                    used[j] = true;
                    best = best.min(cost[row * n + j] + go(row + 1, n, cost, used));
                    used[j] = false;
                }
            }
            best
        }
        go(0, n, cost, &mut vec![false; n])
    }

    #[test]
    fn lapjv_finds_the_minimum_on_small_matrices() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as i64
        };
        for n in 1..=7 {
            for _ in 0..200 {
                let cost: Vec<i64> = (0..n * n).map(|_| next() % 9 - 3).collect();
                let x = lapjv(n, &cost);
                let mut seen = vec![false; n];
                for &j in &x {
                    assert!(!seen[j], "column used twice");
                    seen[j] = true;
                }
                let got: i64 = (0..n).map(|i| cost[i * n + x[i]]).sum();
                assert_eq!(got, brute_min(n, &cost), "n={n} cost={cost:?}");
            }
        }
    }
}
