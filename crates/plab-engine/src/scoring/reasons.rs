//! Kinds and plain-language reasons of proposed pairs.
use super::{DAYS_PER_YEAR, Features};
use crate::response::PairKind;
use crate::rules::Participants;
use plab_domain::Theme;
use plab_domain::coach::key_terms;
use std::collections::HashSet;

const MAX_REASONS: usize = 4;

impl Features<'_> {
    /// The pair's kind and the evidence, most telling first.
    pub(crate) fn explain(&self, p: &Participants<'_>, leader: u32, mentor: u32) -> (PairKind, Vec<String>) {
        let c = self.pair_components(leader, mentor);
        let (l, m) = (&self.leaders[leader as usize], &self.mentors[mentor as usize]);
        // A component the program weighs at zero adds nothing, so it names nothing.
        let strategic_counts = self.weights.strategic * c.strategic > 0.0;
        let kind = if strategic_counts {
            PairKind::Strategic
        } else if self.weights.tension * c.tension > self.weights.topic * c.topic {
            PairKind::Tension
        } else {
            PairKind::Topic
        };
        let question = &self.req.leaders[leader as usize].question;
        let perspectives = &self.req.people[p.mentor_person[mentor as usize] as usize].perspectives;
        let topic = self.topic_reasons(question, perspectives, l.themes & m.themes);

        let mut tension = Vec::new();
        let gap_years = (f64::from(m.hire_day - l.hire_day) / DAYS_PER_YEAR).round();
        if gap_years >= 2.0 {
            tension.push(format!("{gap_years} years of tenure between them"));
        }
        let (ld, md) = (self.dept_names[l.dept as usize], self.dept_names[m.dept as usize]);
        if l.dept != m.dept {
            tension.push(format!("different departments: {ld} and {md}"));
        }
        if l.level - m.level >= 3 {
            tension.push(format!("{} levels apart", l.level - m.level));
        }
        let strategic = strategic_counts.then(|| format!("{md} sits next to {}{} customers", ld, possessive(ld)));

        let mut reasons: Vec<String> = Vec::new();
        match kind {
            PairKind::Strategic => {
                reasons.extend(strategic);
                reasons.extend(topic);
                reasons.extend(tension);
            }
            PairKind::Tension => {
                reasons.extend(tension);
                reasons.extend(topic);
            }
            PairKind::Topic => {
                reasons.extend(topic);
                reasons.extend(tension);
            }
        }
        reasons.truncate(MAX_REASONS);
        if reasons.is_empty() {
            reasons.push("the best available mentor under the pairing rules".to_owned());
        }
        (kind, reasons)
    }

    /// "both about <the perspective that shares most with the question>" and
    /// the first theme both sides touch (`shared_themes`, as scored).
    fn topic_reasons(&self, question: &str, perspectives: &[String], shared_themes: u8) -> Vec<String> {
        let question_terms: HashSet<String> = key_terms(question).into_iter().collect();
        let weight = |t: &String| self.vocab.get(t).map_or(1.0, |&id| self.idf[id as usize]);
        let best = perspectives
            .iter()
            .map(|text| {
                let shared: HashSet<String> =
                    key_terms(text).into_iter().filter(|t| question_terms.contains(t)).collect();
                (shared.iter().map(weight).sum::<f32>(), text, shared)
            })
            .filter(|(w, _, _)| *w > 0.0)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let mut reasons = Vec::new();
        if let Some((_, text, shared)) = best {
            reasons.push(format!("both about {}", topic_phrase(text, &shared)));
        }
        if let Some(theme) =
            Theme::ALL.into_iter().enumerate().find(|(i, _)| shared_themes & (1 << i) != 0).map(|(_, t)| t)
        {
            reasons.push(format!("both care about {}", theme.label()));
        }
        reasons
    }
}

/// A short perspective is quoted whole; a long one is cut down to its shared words.
fn topic_phrase(text: &str, shared: &HashSet<String>) -> String {
    let text = text.trim().trim_end_matches(['.', '!', '?', ';', ':']);
    if text.split_whitespace().count() <= 8 {
        return text.to_owned();
    }
    let mut words: Vec<&str> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if key_terms(word).iter().any(|t| shared.contains(t)) && !words.contains(&word) {
            words.push(word);
        }
    }
    match words.as_slice() {
        [] => text.to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn possessive(name: &str) -> &'static str {
    if name.ends_with('s') { "'" } else { "'s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_perspective_is_quoted_whole() {
        let shared: HashSet<String> = ["drafts".to_owned()].into();
        assert_eq!(topic_phrase("AI tools for first drafts.", &shared), "AI tools for first drafts");
    }

    #[test]
    fn possessive_of_a_plural_department_is_an_apostrophe() {
        assert_eq!(format!("Sales{}", possessive("Sales")), "Sales'");
        assert_eq!(format!("Finance{}", possessive("Finance")), "Finance's");
    }
}
