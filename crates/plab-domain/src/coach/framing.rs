//! The first criterion: is the text framed to learn (a hypothesis or an open
//! question), or is it a wish, a topic or a yes/no question?
use super::lexicon::Match;
use super::text::Text;
use super::words::{hypothesis_markers, inquiry_verbs, self_help_verbs, wish_markers};

/// How the leader framed their research question, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// "My hypothesis is that…", "I suspect…", "Test whether…".
    Hypothesis,
    /// A why / how / what / which / where / when question.
    OpenQuestion,
    /// An open question inside a sentence: "I want to understand why…".
    EmbeddedQuestion,
    /// A question asking for self-help: "How do I connect with…?".
    SelfHelp,
    /// A question that a yes or a no would close.
    YesNo,
    /// A sentence that neither asks nor states a belief to test.
    Statement,
    /// "I'd like to learn how to use…": a skill to acquire, not a question.
    Skill,
    /// "I want to learn about…", "be better at…".
    Wish,
    /// A bare topic: "Millennials.", "Digital transformation."
    Topic,
}

impl Framing {
    pub fn points(self) -> u8 {
        match self {
            Framing::Hypothesis => 25,
            Framing::OpenQuestion => 22,
            Framing::EmbeddedQuestion => 20,
            Framing::SelfHelp => 10,
            Framing::YesNo => 8,
            Framing::Statement | Framing::Skill => 5,
            Framing::Wish | Framing::Topic => 0,
        }
    }
}

pub(crate) struct FramingFacts {
    pub framing: Framing,
    /// The question asks for causes ("why", "what makes", "what stops").
    pub asks_why: bool,
    /// The words that made it a wish or a self-help question, for the message.
    pub phrase: Option<String>,
}

pub(crate) const INTERROGATIVES: [&str; 9] = ["why", "how", "what", "which", "where", "when", "who", "whom", "whose"];
pub(crate) const AUXILIARIES: [&str; 20] = [
    "do", "does", "did", "is", "are", "was", "were", "am", "can", "could", "should", "would", "will", "shall", "may",
    "might", "must", "has", "have", "had",
];
pub(crate) const CONJUNCTIONS: [&str; 6] = ["and", "but", "or", "so", "then", "also"];
pub(crate) const CAUSE_VERBS: [&str; 9] =
    ["make", "stop", "keep", "cause", "prevent", "drive", "motivate", "lead", "hold"];
pub(crate) const LEARNING_STARTS: [&str; 14] = [
    "understand",
    "learn",
    "know",
    "explore",
    "become",
    "get",
    "keep",
    "stay",
    "teach",
    "help",
    "improve",
    "be",
    "discover",
    "gain",
];
pub(crate) const SUBJECT_WORDS: [&str; 7] = ["i", "we", "you", "they", "my", "our", "let"];

#[derive(Default)]
struct Interrogatives {
    open: bool,
    embedded: bool,
    self_help: Option<String>,
    skill: Option<String>,
    asks_why: bool,
}

fn scan_interrogatives(text: &Text) -> Interrogatives {
    let mut found = Interrogatives::default();
    for (i, w) in text.words.iter().enumerate() {
        if !INTERROGATIVES.contains(&w.stem.as_str()) {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| text.word(p));
        let next = text.word(i + 1);
        let next_is = |s: &str| next.is_some_and(|n| n.stem == s);
        if next_is("to") {
            // "learn how to use…" is a skill to acquire, not a question.
            found.skill = Some(span(text, i.saturating_sub(2), i + 3));
            continue;
        }
        let opens = w.after_break
            || prev.is_some_and(|p| CONJUNCTIONS.contains(&p.stem.as_str()))
            || (prev.is_some_and(|p| p.stem == "in" || p.stem == "to")
                && (next_is("way") || next_is("extent") || next_is("degree")));
        let embedded = (i.saturating_sub(3)..i).any(|k| inquiry_verbs().match_at(text, k).is_some());
        let causal = w.stem == "why"
            || (w.stem == "what"
                && (i + 1..i + 3).any(|k| text.word(k).is_some_and(|n| CAUSE_VERBS.contains(&n.stem.as_str()))));
        if !(opens || embedded) {
            continue;
        }
        found.asks_why |= causal;
        if opens {
            match self_help_at(text, i) {
                Some(phrase) => found.self_help = found.self_help.or(Some(phrase)),
                None => found.open = true,
            }
        } else {
            found.embedded = true;
        }
    }
    found
}

/// "How do I connect…", "How can we attract…": the asker wants advice on themselves.
fn self_help_at(text: &Text, i: usize) -> Option<String> {
    let subject = (i + 1..i + 4).find(|&k| text.word(k).is_some_and(|w| w.stem == "i" || w.stem == "we"))?;
    let verb = (subject + 1..subject + 4).find_map(|k| self_help_verbs().match_at(text, k))?;
    Some(span(text, i, verb.end()))
}

fn span(text: &Text, from: usize, to: usize) -> String {
    let to = to.min(text.words.len());
    Match { start: from, len: to.saturating_sub(from) }.surface(text)
}

pub(crate) fn frame(text: &Text) -> FramingFacts {
    let found = scan_interrogatives(text);
    let first = text.word(0);
    let first_is = |list: &[&str]| first.is_some_and(|w| list.contains(&w.lower.as_str()));
    let facts = |framing, phrase| FramingFacts { framing, asks_why: found.asks_why, phrase };
    if hypothesis_markers().any(text) {
        return facts(Framing::Hypothesis, None);
    }
    if found.open {
        return facts(Framing::OpenQuestion, None);
    }
    if found.embedded {
        return facts(Framing::EmbeddedQuestion, None);
    }
    if let Some(phrase) = found.self_help {
        return facts(Framing::SelfHelp, Some(phrase));
    }
    if first_is(&AUXILIARIES) {
        return facts(Framing::YesNo, None);
    }
    if let Some(phrase) = found.skill {
        return facts(Framing::Skill, Some(phrase));
    }
    if let Some(m) = wish_markers().first(text) {
        return facts(Framing::Wish, Some(m.surface(text)));
    }
    if first.is_some_and(|w| LEARNING_STARTS.contains(&w.stem.as_str())) {
        return facts(Framing::Wish, first.map(|w| w.lower.clone()));
    }
    let has_subject = text.words.iter().any(|w| SUBJECT_WORDS.contains(&w.stem.as_str()));
    if text.words.len() <= 6 && text.question_marks == 0 && !has_subject {
        return facts(Framing::Topic, None);
    }
    facts(Framing::Statement, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::text::analyse;

    fn framing(s: &str) -> Framing {
        frame(&analyse(s)).framing
    }

    #[test]
    fn hypothesis_beats_everything_else() {
        assert_eq!(
            framing("My hypothesis is that our channels fail, and I want to understand why."),
            Framing::Hypothesis
        );
        assert_eq!(framing("Test whether interns read the newsletter."), Framing::Hypothesis);
    }

    #[test]
    fn open_question_after_a_comma_or_and_counts() {
        assert_eq!(framing("For new hires, what slows them down?"), Framing::OpenQuestion);
        assert_eq!(framing("I see it happen and why is that?"), Framing::OpenQuestion);
    }

    #[test]
    fn wish_with_an_embedded_question_is_a_question() {
        assert_eq!(framing("I want to understand why our graduates leave."), Framing::EmbeddedQuestion);
    }

    #[test]
    fn learning_a_skill_is_a_wish() {
        assert_eq!(framing("I'd like to learn how to use AI tools."), Framing::Skill);
        assert_eq!(framing("I want to learn about Gen Z."), Framing::Wish);
    }

    #[test]
    fn how_do_i_connect_is_self_help() {
        assert_eq!(framing("How do I connect with the next generation?"), Framing::SelfHelp);
    }

    #[test]
    fn auxiliary_start_is_yes_no() {
        assert_eq!(framing("Is AI important?"), Framing::YesNo);
    }

    #[test]
    fn bare_noun_phrase_is_a_topic() {
        assert_eq!(framing("Digital transformation."), Framing::Topic);
    }

    #[test]
    fn why_and_what_makes_ask_for_causes() {
        assert!(frame(&analyse("What makes interns prefer Notion?")).asks_why);
        assert!(!frame(&analyse("What do interns use?")).asks_why);
    }
}
