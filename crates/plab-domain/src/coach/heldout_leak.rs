//! The held-out fixtures only measure judgement if no word list was written
//! from them. This check fails when an entry of any list the coach matches
//! against occurs in a held-out question but in no tuning question: such an
//! entry can only have come from reading the held-out set.
use super::lexicon::Lexicon;
use super::text::{Text, analyse};
use super::{framing, group, terms, themes, words};
use std::path::PathBuf;

/// Files the coach's rules may be tuned against.
const TUNING: [&str; 2] = ["questions.tsv", "questions_adversarial.tsv"];
/// Files that must never be tuned against.
const HELD_OUT: [&str; 2] = ["questions_heldout.tsv", "questions_heldout_2.tsv"];
/// Entries that were in the lists before `questions_heldout_2.tsv` was
/// written and occur only there (and in no other held-out file), so cannot
/// have come from it. Frozen when the file was written; never add to it.
const PRIOR_TO_HELDOUT_2: &str = "heldout_2_prior_entries.tsv";

fn questions(name: &str) -> Vec<Text> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    raw.lines().skip(1).filter_map(|l| l.split('\t').nth(2)).map(analyse).collect()
}

fn words_of(list: &str) -> Lexicon {
    Lexicon::new(&list.split_whitespace().collect::<Vec<_>>())
}

/// Every list the rubric, the themes and the key terms match against.
fn all_lists() -> Vec<(&'static str, Lexicon)> {
    let copy = |lex: &Lexicon| Lexicon::new(&lex.entries().iter().map(|(raw, _)| raw.as_str()).collect::<Vec<_>>());
    let mut lists: Vec<(&'static str, Lexicon)> = vec![
        ("hypothesis_markers", copy(words::hypothesis_markers())),
        ("wish_markers", copy(words::wish_markers())),
        ("inquiry_verbs", copy(words::inquiry_verbs())),
        ("self_help_verbs", copy(words::self_help_verbs())),
        ("generation_labels", copy(words::generation_labels())),
        ("vague_objects", copy(words::vague_objects())),
        ("vague_aims", copy(words::vague_aims())),
        ("broad_scope", copy(words::broad_scope())),
        ("beyond_mentor", copy(words::beyond_mentor())),
        ("behaviours", copy(words::behaviours())),
        ("purpose_markers", copy(words::purpose_markers())),
        ("concrete_objects", copy(words::concrete_objects())),
        ("semi_objects", copy(words::semi_objects())),
        ("occupations", copy(words::occupations())),
        ("generic_people", copy(words::generic_people())),
        ("group_qualifiers", copy(words::group_qualifiers())),
        ("age_only", copy(words::age_only())),
        ("timeframes", copy(words::timeframes())),
        ("problem_signals", copy(words::problem_signals())),
        ("self_states", copy(words::self_states())),
        ("outcome_comparatives", copy(words::outcome_comparatives())),
        ("generic_heads", copy(words::generic_heads())),
        ("technology_words", copy(themes::technology_words())),
        ("brand_words", copy(themes::brand_words())),
        ("product_words", copy(themes::product_words())),
        ("competitor_words", copy(themes::competitor_words())),
        ("purpose_words", copy(themes::purpose_words())),
        ("safety_words", copy(themes::safety_words())),
        ("career_words", copy(themes::career_words())),
        ("GENERIC_WORDS", words_of(terms::GENERIC_WORDS)),
        ("SHORT_TERMS", words_of(terms::SHORT_TERMS)),
    ];
    // Closed-class grammar (interrogatives, auxiliaries, conjunctions,
    // pronouns, prepositions, `terms::STOP_WORDS`) is not checked: English has
    // a fixed stock of such words, so none of them can have been learned from
    // a fixture, and every list of them would "leak" as the sets grow.
    let arrays: [(&'static str, &[&str]); 4] = [
        ("CAUSE_VERBS", &framing::CAUSE_VERBS),
        ("LEARNING_STARTS", &framing::LEARNING_STARTS),
        ("NOT_ROLES", &group::NOT_ROLES),
        ("ROLE_ENDINGS", &group::ROLE_ENDINGS),
    ];
    lists.extend(arrays.into_iter().map(|(name, entries)| (name, Lexicon::new(entries))));
    lists
}

/// Whether the entry's stems occur, in order and adjacent, anywhere in the text.
fn occurs(stems: &[String], text: &Text) -> bool {
    !stems.is_empty() && text.words.windows(stems.len()).any(|w| w.iter().zip(stems).all(|(w, s)| &w.stem == s))
}

/// Role endings match the end of a stem, not a whole word.
fn ending_occurs(stems: &[String], text: &Text) -> bool {
    stems.first().is_some_and(|e| text.words.iter().any(|w| w.stem.len() > e.len() && w.stem.ends_with(e.as_str())))
}

fn prior_entries() -> Vec<(String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(PRIOR_TO_HELDOUT_2);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    raw.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(list, entry)| (list.to_owned(), entry.to_owned()))
        .collect()
}

#[test]
fn no_word_list_entry_is_found_only_in_held_out_questions() {
    let tuning: Vec<Text> = TUNING.iter().flat_map(|f| questions(f)).collect();
    let held_out: Vec<(&str, Vec<Text>)> = HELD_OUT.iter().map(|f| (*f, questions(f))).collect();
    let prior = prior_entries();
    let mut leaks = Vec::new();
    for (list, lexicon) in all_lists() {
        let found = if list == "ROLE_ENDINGS" { ending_occurs } else { occurs };
        for (raw, stems) in lexicon.entries() {
            if tuning.iter().any(|t| found(stems, t)) {
                continue;
            }
            let files: Vec<&str> =
                held_out.iter().filter(|(_, texts)| texts.iter().any(|t| found(stems, t))).map(|(f, _)| *f).collect();
            let predates = files == ["questions_heldout_2.tsv"] && prior.contains(&(list.to_owned(), raw.clone()));
            if !files.is_empty() && !predates {
                leaks.push(format!("{list}\t{raw}\t{}", files.join(",")));
            }
        }
    }
    assert!(leaks.is_empty(), "{} entries match only held-out questions:\n{}", leaks.len(), leaks.join("\n"));
}
