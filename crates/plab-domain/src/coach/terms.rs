//! Key terms: the content words of a text, normalised so a leader's question
//! and a mentor's perspectives can be compared ("AI tools" meets "AI tool for
//! first drafts" on "ai" and "tool").
use super::text::{Text, Word, analyse};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Function words: they carry no topic.
pub(crate) const STOP_WORDS: &str = "
    a an the and or but if then so of in on at to for from by with about as into onto over than
    that this these those there here it its is are was were be been being am do does did done
    doing have has had having i me my mine we us our ours ourselves you your they them their
    theirs he she him her his who whom whose which what when where why how not no nor can could
    should would will shall may might must just very really actually also too only even still
    more most much many some any all each every other another such own same up out off down
    again further once while during before after until because since whether both either
    neither via per within without across between among through toward towards upon one ones
    something anything everything nothing someone anyone everyone let yet already ever never
    always often rarely sometimes whatever whichever however instead rather though although
    well etc e.g ie eg vs versus way ways lot lots kind sort type bit
";

/// Words that appear in almost every research question and so match nothing.
pub(crate) const GENERIC_WORDS: &str = "
    want  hope need like  learn understand know better best good great get make use
    think feel see find help try become stay keep relevant improve new current different thing
    stuff able look seem go come take give say   hypothesis suspect believe  
    test question answer perspective insight topic area aspect explore discover curious fresh
    actual specific particular certain whole real true important today now currently
    organisation organization  work mentor mentee session why  matter mean include
    z
";

/// Two-letter words worth keeping.
pub(crate) const SHORT_TERMS: &str = "ai hr ux ui pr qa vr ar  ml";

fn word_set(cell: &'static OnceLock<HashSet<&'static str>>, words: &'static str) -> &'static HashSet<&'static str> {
    cell.get_or_init(|| words.split_whitespace().collect())
}

fn is_stop(w: &Word) -> bool {
    static CELL: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = word_set(&CELL, STOP_WORDS);
    set.contains(w.lower.as_str()) || set.contains(w.stem.as_str())
}

fn is_generic(w: &Word) -> bool {
    static CELL: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = word_set(&CELL, GENERIC_WORDS);
    set.contains(w.lower.as_str()) || set.contains(w.stem.as_str())
}

/// Whether a word carries topic: not a number, a function word or a word
/// every research question uses.
pub(crate) fn is_content(w: &Word) -> bool {
    let stem = w.stem.as_str();
    if w.number || stem.contains('\'') || is_stop(w) || is_generic(w) {
        return false;
    }
    stem.chars().count() >= 3 || SHORT_TERMS.split_whitespace().any(|t| t == stem)
}

/// Distinct content stems in order of first appearance.
pub(crate) fn content_stems(text: &Text) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.words.iter().filter(|w| is_content(w)) {
        if !out.contains(&w.stem) {
            out.push(w.stem.clone());
        }
    }
    out
}

/// Content words of a text, normalised (lower-case, light stemming, no stop
/// or generic words), deduplicated, in order of first appearance.
pub fn key_terms(text: &str) -> Vec<String> {
    content_stems(&analyse(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_tools_meets_ai_tool_for_first_drafts() {
        let question = key_terms("AI tools");
        let perspective = key_terms("AI tool for first drafts");
        assert_eq!(question, ["ai", "tool"]);
        assert!(perspective.starts_with(&["ai".to_owned(), "tool".to_owned()]));
    }

    #[test]
    fn wishes_and_stop_words_are_dropped() {
        assert_eq!(key_terms("I want to learn and understand how to be better at onboarding"), ["onboard"]);
    }

    #[test]
    fn terms_are_deduplicated_in_first_seen_order() {
        assert_eq!(key_terms("Slack channels, more Slack, and channel etiquette"), ["slack", "channel", "etiquette"]);
    }

    #[test]
    fn numbers_and_punctuation_are_not_terms() {
        assert!(key_terms("!!! 2024 ??? 🚀").is_empty());
    }
}
