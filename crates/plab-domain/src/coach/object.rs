//! The object criterion: does the question point at a named practice, channel,
//! tool, product, meeting or process a mentor can observe?
use super::advice::Issue;
use super::lexicon::Match;
use super::terms::is_content;
use super::text::Text;
use super::words::{
    age_only, behaviours, concrete_objects, generation_labels, generic_heads, generic_people, occupations,
    semi_objects, timeframes, vague_aims, vague_objects,
};

pub(crate) struct ObjectFacts {
    pub points: u8,
    pub concrete: bool,
    /// Something is named, if only broadly ("AI", "our values").
    pub named: bool,
    pub issue: Option<Issue>,
}

/// A named object scores in full; broad areas ("AI", "our values"), observed
/// behaviour ("skip", "abandon") and a time frame add up towards it.
pub(crate) fn object(text: &Text) -> ObjectFacts {
    let (named, bare_heads) = listed_objects(text);
    let bare_count = bare_heads.len();
    let concrete = named || proper_noun(text).is_some() || possessive_object(text) || text.quotes;
    if concrete {
        return ObjectFacts { points: 25, concrete, named: true, issue: None };
    }
    let semi = semi_objects().find(text);
    let semi_points = (semi.len() + bare_count).min(2) as u8 * 8;
    let behaviour = if behaviours().any(text) { 10 } else { 0 };
    let dated = timeframes().any(text) || text.words.iter().any(|w| w.number);
    let when = if dated { 8 } else { 0 };
    let vague = vague_objects()
        .find(text)
        .into_iter()
        .find(|m| !semi_objects().covers(text, m.start))
        .or(semi.first().copied())
        .or(bare_heads.first().copied())
        .map(|m| m.surface(text));
    ObjectFacts {
        points: (semi_points + behaviour + when).min(25),
        concrete,
        named: !semi.is_empty() || bare_count > 0,
        issue: Some(vague.map_or(Issue::NoObject, Issue::VagueObject)),
    }
}

/// Listed objects: whether one is specific, and how many are bare generic
/// heads ("our processes", "tools") that only point somewhere broadly until a
/// word narrows them ("claims process", "AI tools").
fn listed_objects(text: &Text) -> (bool, Vec<Match>) {
    let mut bare = Vec::new();
    for m in concrete_objects().find(text).into_iter().filter(|m| !vague_aims().covers(text, m.start)) {
        let head = &text.words[m.start];
        if m.len > 1 || !generic_heads().has_stem(&head.stem) || narrowed(text, m.start) {
            return (true, bare);
        }
        bare.push(m);
    }
    (false, bare)
}

/// The word before `i` narrows it: "claims" in "claims process".
fn narrowed(text: &Text, i: usize) -> bool {
    i > 0
        && !text.words[i].after_break
        && is_content(&text.words[i - 1])
        && !vague_objects().covers(text, i - 1)
        && !generation_labels().covers(text, i - 1)
        && !age_only().covers(text, i - 1)
}

/// A capitalised word inside a sentence that no list explains: a product,
/// tool or day the leader named ("Friday", "Notion", "Power BI").
fn proper_noun(text: &Text) -> Option<usize> {
    if text.title_case() {
        return None;
    }
    (0..text.words.len()).find(|&i| {
        let w = &text.words[i];
        w.capitalised
            && !w.clause_start
            && w.stem != "i"
            && !w.lower.starts_with("i'")
            && !generation_labels().covers(text, i)
            && !semi_objects().covers(text, i)
            && !vague_objects().covers(text, i)
            && !vague_aims().covers(text, i)
            && !age_only().has_stem(&w.stem)
            && !after_place_preposition(text, i)
    })
}

/// "in London", "from Leeds": a place narrows a group; it is not an object.
fn after_place_preposition(text: &Text, i: usize) -> bool {
    const PLACE: [&str; 6] = ["in", "from", "across", "near", "outside", "around"];
    i.checked_sub(1).and_then(|p| text.word(p)).is_some_and(|p| PLACE.contains(&p.stem.as_str()))
}

/// "our canteen", "my Glasgow contact centre": something inside the
/// organisation the leader points at, even when no list knows the word. Not
/// "our people", "our culture" or "our values", which other lists judge.
fn possessive_object(text: &Text) -> bool {
    text.words.iter().enumerate().any(|(i, w)| {
        if w.lower != "our" && w.lower != "my" {
            return false;
        }
        let phrase: Vec<usize> = (i + 1..(i + 4).min(text.words.len()))
            .take_while(|&k| {
                let word = &text.words[k];
                !word.after_break && is_content(word) && !word.lower.ends_with("ly")
            })
            .collect();
        !phrase.is_empty() && phrase.iter().all(|&k| !judged_elsewhere(text, k))
    })
}

fn judged_elsewhere(text: &Text, k: usize) -> bool {
    semi_objects().covers(text, k)
        || vague_objects().covers(text, k)
        || generic_people().covers(text, k)
        || generation_labels().covers(text, k)
        || occupations().covers(text, k)
        || behaviours().covers(text, k)
        || age_only().covers(text, k)
        || vague_aims().covers(text, k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::text::analyse;

    fn concrete(s: &str) -> bool {
        object(&analyse(s)).concrete
    }

    #[test]
    fn named_tools_days_and_unlisted_things_of_ours_are_concrete() {
        assert!(concrete("Why do they skip our Friday demo?"));
        assert!(concrete("How do interns use Notion?"));
        assert!(concrete("What do apprentices think of our canteen?"));
    }

    #[test]
    fn broad_areas_and_places_are_not_concrete() {
        assert!(!concrete("How is AI changing retail?"));
        assert!(!concrete("What do young people in London want?"));
        assert!(!concrete("How do our people feel about our culture?"));
        assert!(!concrete("Which of our processes frustrate people?"));
        assert!(concrete("Which steps of the claims process confuse buyers?"));
    }
}
