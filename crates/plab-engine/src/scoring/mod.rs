//! The built-in pair score and its plain-language reasons.
//!
//! Three components, each in `0..=1`, weighted by the program's `PairingWeights`:
//! * topic fit: half the share of the question's themes the mentor's
//!   perspectives touch, half the best overlap of the question's key terms with
//!   one perspective (a cosine over term sets, terms weighted by rarity among
//!   mentors, so "TikTok" counts more than "customers");
//! * constructive tension: tenure gap (from hire dates, so no wall clock is
//!   involved), a different department, and a level gap;
//! * strategic adjacency: the mentor's department sits next to the leader's.
//!
//! Text goes through the question coach's `themes_of` and `key_terms` once per
//! person; the per-pair work is integer and bitset arithmetic, fast enough to
//! score every leader against every mentor of a 100,000-person organisation.
use crate::request::MatchRequest;
use crate::rules::Participants;
use plab_domain::Theme;
use plab_domain::coach::{key_terms, themes_of};
use plab_domain::program::PairingWeights;
use rayon::prelude::*;
use std::collections::HashMap;

mod reasons;

const DAYS_PER_YEAR: f64 = 365.25;
/// A tenure gap of this many years counts fully.
const FULL_TENURE_GAP_YEARS: f64 = 30.0;
/// A level gap of this many (beyond the one every pair has) counts fully.
const FULL_LEVEL_GAP: f64 = 8.0;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Components {
    pub topic: f64,
    pub tension: f64,
    pub strategic: f64,
}

#[derive(Default)]
struct Person {
    dept: u32,
    hire_day: i32,
    level: i32,
    themes: u8,
}

/// Per-person numbers for scoring, indexed by participant (leader or mentor) index.
pub(crate) struct Features<'r> {
    req: &'r MatchRequest,
    weights: PairingWeights,
    dept_names: Vec<&'r str>,
    adjacent: Vec<bool>,
    vocab: HashMap<String, u32>,
    idf: Vec<f32>,
    leaders: Vec<Person>,
    leader_terms: Vec<Vec<u32>>,
    /// 1 / square root of the idf mass of each leader's question terms (0 without terms).
    leader_inv_norm: Vec<f32>,
    mentors: Vec<Person>,
    /// Mentor `m`'s perspectives are `mentor_perspectives[m]..mentor_perspectives[m + 1]`;
    /// perspective `k`'s terms are `terms[perspective_terms[k]..perspective_terms[k + 1]]`.
    mentor_perspectives: Vec<u32>,
    perspective_terms: Vec<u32>,
    /// 1 / square root of the idf mass of each perspective's terms (0 without terms).
    perspective_inv_norm: Vec<f32>,
    terms: Vec<u32>,
    /// The term index: perspectives using term `t` are
    /// `postings[posting_offsets[t]..posting_offsets[t + 1]]`.
    posting_offsets: Vec<u32>,
    postings: Vec<u32>,
    perspective_mentor: Vec<u32>,
}

/// One leader's side of the score, loaded once and reused across all mentors:
/// the question's terms spread over the vocabulary, and the leader's numbers.
#[derive(Default)]
pub(crate) struct LeaderTerms {
    /// Question/perspective overlap, accumulated through the term index.
    shared: Vec<f32>,
    touched_perspectives: Vec<u32>,
    /// Best term fit per mentor (0 for mentors sharing no term).
    fit: Vec<f32>,
    touched_mentors: Vec<u32>,
    inv_themes: f64,
    themes: u8,
    dept: u32,
    hire_day: i32,
    level: i32,
    adjacent_row: usize,
}

impl<'r> Features<'r> {
    /// Features of the given leaders and mentors (participant indices); others stay blank.
    pub(crate) fn build(req: &'r MatchRequest, p: &Participants<'r>, leaders: &[u32], mentors: &[u32]) -> Self {
        let mut dept_ids: HashMap<&str, u32> = HashMap::new();
        let mut dept_names = Vec::new();
        let mut dept_of = |name: &'r str| -> u32 {
            *dept_ids.entry(name).or_insert_with(|| {
                dept_names.push(name);
                dept_names.len() as u32 - 1
            })
        };
        let person_dept: Vec<u32> = req.people.iter().map(|p| dept_of(p.department.as_str())).collect();
        let adjacent_pairs: Vec<(u32, u32)> =
            req.adjacent_departments.iter().map(|(a, b)| (dept_of(a.as_str()), dept_of(b.as_str()))).collect();
        let n_depts = dept_names.len();
        let mut adjacent = vec![false; n_depts * n_depts];
        for (a, b) in adjacent_pairs {
            if a != b {
                adjacent[a as usize * n_depts + b as usize] = true;
                adjacent[b as usize * n_depts + a as usize] = true;
            }
        }
        let person = |idx: u32, themes: u8| {
            let pr = &req.people[idx as usize];
            Person {
                dept: person_dept[idx as usize],
                hire_day: pr.hire_date.days_since_epoch() as i32,
                level: pr.level,
                themes,
            }
        };

        // Mentors: themes of all perspectives together, terms per perspective.
        let mentor_text: Vec<(u8, Vec<Vec<String>>)> = mentors
            .par_iter()
            .map(|&m| {
                let pr = &req.people[p.mentor_person[m as usize] as usize];
                let mut bits = 0u8;
                let mut lists = Vec::with_capacity(pr.perspectives.len());
                for text in &pr.perspectives {
                    bits |= theme_bits(&themes_of(text));
                    let mut terms = key_terms(text);
                    terms.sort_unstable();
                    terms.dedup();
                    lists.push(terms);
                }
                (bits, lists)
            })
            .collect();
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        let mut mentor_people: Vec<Person> = (0..p.mentor_person.len()).map(|_| Person::default()).collect();
        let mut perspective_lists: Vec<Vec<Vec<u32>>> = vec![Vec::new(); p.mentor_person.len()];
        let mut seen_by_mentor: Vec<u32> = Vec::new();
        for (&m, (bits, lists)) in mentors.iter().zip(mentor_text) {
            mentor_people[m as usize] = person(p.mentor_person[m as usize], bits);
            seen_by_mentor.clear();
            let mut ids_per_perspective = Vec::with_capacity(lists.len());
            for terms in lists {
                let ids: Vec<u32> = terms
                    .into_iter()
                    .map(|t| {
                        let next = vocab.len() as u32;
                        let id = *vocab.entry(t).or_insert(next);
                        if id == next {
                            df.push(0);
                        }
                        if !seen_by_mentor.contains(&id) {
                            seen_by_mentor.push(id);
                            df[id as usize] += 1;
                        }
                        id
                    })
                    .collect();
                ids_per_perspective.push(ids);
            }
            perspective_lists[m as usize] = ids_per_perspective;
        }
        let n_mentors = mentors.len().max(1) as f32;
        let idf: Vec<f32> = df.iter().map(|&d| (1.0 + n_mentors / d as f32).ln()).collect();
        let unseen_idf = (1.0 + n_mentors).ln();
        let mut mentor_perspectives = Vec::with_capacity(perspective_lists.len() + 1);
        let mut perspective_terms = vec![0u32];
        let mut perspective_inv_norm = Vec::new();
        let mut perspective_mentor = Vec::new();
        let mut terms_flat = Vec::new();
        mentor_perspectives.push(0);
        for (m, lists) in perspective_lists.into_iter().enumerate() {
            for ids in lists {
                perspective_mentor.push(m as u32);
                perspective_inv_norm.push(inverse_sqrt(ids.iter().map(|&t| idf[t as usize]).sum::<f32>()));
                terms_flat.extend(ids);
                perspective_terms.push(terms_flat.len() as u32);
            }
            mentor_perspectives.push(perspective_inv_norm.len() as u32);
        }
        let (posting_offsets, postings) = term_index(vocab.len(), &perspective_terms, &terms_flat);

        let leader_text: Vec<(u8, Vec<String>)> = leaders
            .par_iter()
            .map(|&l| {
                let question = &req.leaders[l as usize].question;
                let mut terms = key_terms(question);
                terms.sort_unstable();
                terms.dedup();
                (theme_bits(&themes_of(question)), terms)
            })
            .collect();
        let n_leaders = p.leader_person.len();
        let mut leader_people: Vec<Person> = (0..n_leaders).map(|_| Person::default()).collect();
        let mut leader_terms = vec![Vec::new(); n_leaders];
        let mut leader_inv_norm = vec![0.0f32; n_leaders];
        for (&l, (bits, terms)) in leaders.iter().zip(leader_text) {
            leader_people[l as usize] = person(p.leader_person[l as usize], bits);
            let mut norm = 0.0;
            let mut ids = Vec::new();
            for t in &terms {
                match vocab.get(t) {
                    Some(&id) => {
                        norm += idf[id as usize];
                        ids.push(id);
                    }
                    None => norm += unseen_idf,
                }
            }
            leader_terms[l as usize] = ids;
            leader_inv_norm[l as usize] = inverse_sqrt(norm);
        }

        Features {
            req,
            weights: req.weights,
            dept_names,
            adjacent,
            vocab,
            idf,
            leaders: leader_people,
            leader_terms,
            leader_inv_norm,
            mentors: mentor_people,
            mentor_perspectives,
            perspective_terms,
            perspective_inv_norm,
            terms: terms_flat,
            posting_offsets,
            postings,
            perspective_mentor,
        }
    }

    /// Largest possible |score|, for choosing the integer scale.
    pub(crate) fn max_abs_score(&self) -> f64 {
        self.weights.topic.abs() + self.weights.tension.abs() + self.weights.strategic.abs()
    }

    pub(crate) fn load_leader(&self, leader: u32, terms: &mut LeaderTerms) {
        for p in terms.touched_perspectives.drain(..) {
            terms.shared[p as usize] = 0.0;
        }
        for m in terms.touched_mentors.drain(..) {
            terms.fit[m as usize] = 0.0;
        }
        terms.shared.resize(self.perspective_inv_norm.len(), 0.0);
        terms.fit.resize(self.mentors.len(), 0.0);
        // Walk the index from the question's terms, in the question's order
        // (the same order `direct_term_fit` adds them, so both agree to the bit).
        let inv_norm = self.leader_inv_norm[leader as usize];
        for &t in &self.leader_terms[leader as usize] {
            let idf = self.idf[t as usize];
            let range = self.posting_offsets[t as usize] as usize..self.posting_offsets[t as usize + 1] as usize;
            for &p in &self.postings[range] {
                if terms.shared[p as usize] == 0.0 {
                    terms.touched_perspectives.push(p);
                }
                terms.shared[p as usize] += idf;
            }
        }
        for &p in &terms.touched_perspectives {
            let fit = (terms.shared[p as usize] * self.perspective_inv_norm[p as usize] * inv_norm).min(1.0);
            let m = self.perspective_mentor[p as usize] as usize;
            if terms.fit[m] == 0.0 {
                terms.touched_mentors.push(m as u32);
            }
            terms.fit[m] = terms.fit[m].max(fit);
        }
        self.load_numbers(leader, terms);
    }

    fn load_numbers(&self, leader: u32, terms: &mut LeaderTerms) {
        let l = &self.leaders[leader as usize];
        terms.inv_themes = match l.themes.count_ones() {
            0 => 0.0,
            n => 1.0 / f64::from(n),
        };
        terms.themes = l.themes;
        terms.dept = l.dept;
        terms.hire_day = l.hire_day;
        terms.level = l.level;
        terms.adjacent_row = l.dept as usize * self.dept_names.len();
    }

    /// The three components for the leader loaded in `t` and `mentor`.
    /// Hot: 41.6M calls for a 100,000-person organisation, so no divisions.
    #[inline]
    pub(crate) fn components(&self, t: &LeaderTerms, mentor: u32) -> Components {
        self.components_with(t, mentor, t.fit[mentor as usize])
    }

    #[inline]
    fn components_with(&self, t: &LeaderTerms, mentor: u32, term_fit: f32) -> Components {
        const PER_DAY: f64 = 1.0 / (DAYS_PER_YEAR * FULL_TENURE_GAP_YEARS);
        const PER_LEVEL: f64 = 1.0 / FULL_LEVEL_GAP;
        let m = &self.mentors[mentor as usize];
        let theme_fit = f64::from((t.themes & m.themes).count_ones()) * t.inv_themes;
        let term_fit = f64::from(term_fit);
        let tenure = (f64::from(m.hire_day - t.hire_day) * PER_DAY).clamp(0.0, 1.0);
        let other_dept = if t.dept != m.dept { 1.0 } else { 0.0 };
        let levels = (f64::from(t.level - m.level - 1) * PER_LEVEL).clamp(0.0, 1.0);
        Components {
            topic: 0.5 * theme_fit + 0.5 * term_fit,
            tension: 0.5 * tenure + 0.3 * other_dept + 0.2 * levels,
            strategic: if self.adjacent[t.adjacent_row + m.dept as usize] { 1.0 } else { 0.0 },
        }
    }

    /// Best cosine-like overlap (idf-weighted) between the question and one
    /// perspective, computed for one pair without the index.
    fn direct_term_fit(&self, leader: u32, mentor: u32) -> f32 {
        let inv_norm = self.leader_inv_norm[leader as usize];
        let mut best = 0.0f32;
        let perspectives =
            self.mentor_perspectives[mentor as usize] as usize..self.mentor_perspectives[mentor as usize + 1] as usize;
        for k in perspectives {
            let own = &self.terms[self.perspective_terms[k] as usize..self.perspective_terms[k + 1] as usize];
            let mut shared = 0.0f32;
            for &t in &self.leader_terms[leader as usize] {
                if own.contains(&t) {
                    shared += self.idf[t as usize];
                }
            }
            if shared > 0.0 {
                best = best.max((shared * self.perspective_inv_norm[k] * inv_norm).min(1.0));
            }
        }
        best
    }

    pub(crate) fn score(&self, c: Components) -> f64 {
        self.weights.topic * c.topic + self.weights.tension * c.tension + self.weights.strategic * c.strategic
    }

    /// Components of one pair without the term index (for pins and explanations).
    pub(crate) fn pair_components(&self, leader: u32, mentor: u32) -> Components {
        let mut t = LeaderTerms::default();
        self.load_numbers(leader, &mut t);
        self.components_with(&t, mentor, self.direct_term_fit(leader, mentor))
    }
}

/// Inverts perspective -> terms into term -> perspectives.
fn term_index(n_terms: usize, perspective_terms: &[u32], terms: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut offsets = vec![0u32; n_terms + 1];
    for &t in terms {
        offsets[t as usize + 1] += 1;
    }
    for t in 0..n_terms {
        offsets[t + 1] += offsets[t];
    }
    let mut fill = offsets.clone();
    let mut postings = vec![0u32; terms.len()];
    for p in 0..perspective_terms.len().saturating_sub(1) {
        for &t in &terms[perspective_terms[p] as usize..perspective_terms[p + 1] as usize] {
            postings[fill[t as usize] as usize] = p as u32;
            fill[t as usize] += 1;
        }
    }
    (offsets, postings)
}

fn inverse_sqrt(mass: f32) -> f32 {
    if mass > 0.0 { 1.0 / mass.sqrt() } else { 0.0 }
}

/// Scores as the solver's integers: `round(score * scale)`, half away from zero.
/// Spelled out because `f64::round` is a library call on baseline x86-64;
/// exact for |score * scale| < 2^52, far beyond what `choose_scale` allows.
#[inline]
pub(crate) fn to_fixed(score: f64, scale: f64) -> i64 {
    let x = score * scale;
    let whole = x as i64;
    let fraction = x - whole as f64;
    // Without branches: the fraction is as good as random, so a branch on it
    // is mispredicted half the time (36 M times for a 100,000-person organisation).
    whole + i64::from(fraction >= 0.5) - i64::from(fraction <= -0.5)
}

fn theme_bits(themes: &[Theme]) -> u8 {
    themes.iter().fold(0u8, |acc, t| {
        let i = Theme::ALL.iter().position(|x| x == t).unwrap_or(0);
        acc | (1 << i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_rounds_half_away_from_zero_like_f64_round() {
        for x in [0.0, 0.4999999, 0.5, 1.5, 2.5, -0.5, -1.5, -2.4, 1234.5678, -0.0000004, 3.0000005] {
            assert_eq!(to_fixed(x, 1e6), (x * 1e6).round() as i64, "{x}");
            assert_eq!(to_fixed(x, 1.0), x.round() as i64, "{x}");
        }
    }
}
