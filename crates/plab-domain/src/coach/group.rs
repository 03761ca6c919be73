//! The group criterion: whose experience is the question about? A role or a
//! segment is a real group; "people" is vague; "Gen Z" is a label.
use super::advice::Issue;
use super::lexicon::Match;
use super::text::Text;
use super::words::{
    age_only, behaviours, concrete_objects, generation_labels, generic_people, group_qualifiers, occupations,
    semi_objects, vague_objects,
};

pub(crate) struct GroupFacts {
    pub points: u8,
    pub real: bool,
    pub issue: Option<Issue>,
}

/// Words after a people noun that attach a qualifier to it ("staff in support").
pub(crate) const ATTACHING: [&str; 10] = ["in", "on", "at", "from", "under", "over", "aged", "who", "across", "with"];

/// A role or segment ("nurses", "buyers under 35") scores in full; "people",
/// "employees" or "younger customers" only start to name a group.
pub(crate) fn group(text: &Text) -> GroupFacts {
    let real = GroupFacts { points: 15, real: true, issue: None };
    if occupations().any(text) || unlisted_role(text) {
        return real;
    }
    let mut vague: Option<String> = None;
    let labelled = |m: &Match| generation_labels().covers(text, m.start);
    for m in generic_people().find(text).into_iter().filter(|m| !labelled(m)) {
        let before = window_start(text, m.start, 3)..m.start;
        let after = m.end()..(m.end() + 4).min(text.words.len());
        let is_qualifier = |k: usize| group_qualifiers().match_at(text, k).is_some();
        let attached = after.clone().any(|k| ATTACHING.contains(&text.words[k].stem.as_str()));
        let qualified = before.clone().any(is_qualifier)
            || (attached && after.clone().any(is_qualifier))
            || after.clone().any(|k| text.words[k].number);
        if qualified {
            return real;
        }
        let aged = before.clone().find(|&k| age_only().match_at(text, k).is_some());
        let word = match aged {
            Some(k) => format!("{} {}", text.words[k].lower, m.surface(text)),
            None => m.surface(text),
        };
        vague = vague.or(Some(word));
    }
    let label = generation_labels().first(text).map(|m| m.surface(text));
    let (points, issue) = match (label, vague) {
        (Some(label), _) => (0, Issue::GenerationLabel(label)),
        (None, Some(word)) => (5, Issue::VagueGroup(word)),
        (None, None) => (0, Issue::NoGroup),
    };
    GroupFacts { points, real: false, issue: Some(issue) }
}

/// Role-like endings: "surveyors", "operatives", "librarians", "paralegals".
pub(crate) const ROLE_ENDINGS: [&str; 7] = ["ist", "ian", "er", "or", "ive", "ant", "eer"];
/// Plural nouns with those endings that are things, not people.
pub(crate) const NOT_ROLES: [&str; 36] = [
    "number",
    "answer",
    "paper",
    "center",
    "matter",
    "folder",
    "banner",
    "flyer",
    "poster",
    "filter",
    "chapter",
    "other",
    "water",
    "computer",
    "printer",
    "trigger",
    "barrier",
    "border",
    "corner",
    "layer",
    "sticker",
    "quarter",
    "error",
    "sensor",
    "factor",
    "sector",
    "door",
    "monitor",
    "incentive",
    "initiative",
    "objective",
    "alternative",
    "perspective",
    "narrative",
    "plant",
    "restaurant",
];

/// A plural role word no list knows, introduced by "our", "my" or a team or
/// seniority word: "our surveyors", "warehouse operatives", "junior paralegals".
fn unlisted_role(text: &Text) -> bool {
    (1..text.words.len()).any(|i| {
        let w = &text.words[i];
        let prev = &text.words[i - 1];
        let introduced =
            prev.lower == "our" || prev.lower == "my" || group_qualifiers().match_at(text, i - 1).is_some();
        w.lower.ends_with('s')
            && w.stem.len() >= 5
            && ROLE_ENDINGS.iter().any(|e| w.stem.ends_with(e))
            && !NOT_ROLES.contains(&w.stem.as_str())
            && introduced
            && !w.after_break
            && !known_thing(text, i)
    })
}

fn known_thing(text: &Text, i: usize) -> bool {
    concrete_objects().covers(text, i)
        || semi_objects().covers(text, i)
        || vague_objects().covers(text, i)
        || generic_people().covers(text, i)
        || behaviours().covers(text, i)
        || generation_labels().covers(text, i)
}

/// Up to `n` words back, without crossing into the previous sentence.
pub(crate) fn window_start(text: &Text, at: usize, n: usize) -> usize {
    let mut start = at;
    while start > 0 && at - start < n && !text.words[start].clause_start {
        start -= 1;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::text::analyse;

    fn points(s: &str) -> u8 {
        group(&analyse(s)).points
    }

    #[test]
    fn roles_and_qualified_people_are_real_groups() {
        assert_eq!(points("Why do new analysts skip the demo?"), 15);
        assert_eq!(points("What do staff in the finance team read?"), 15);
        assert_eq!(points("How do buyers under 35 choose?"), 15);
        assert_eq!(points("Where do warehouse operatives lose time?"), 15);
    }

    #[test]
    fn people_and_age_words_are_vague() {
        assert_eq!(points("What do people think?"), 5);
        assert_eq!(points("What do younger customers like?"), 5);
    }

    #[test]
    fn generation_label_alone_is_no_group() {
        assert_eq!(points("What do young people want?"), 0);
        let g = group(&analyse("How do I connect with Gen Z?"));
        assert_eq!(g.issue, Some(Issue::GenerationLabel("gen z".into())));
    }
}
