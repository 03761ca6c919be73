//! Word lists that match single words or short phrases against analysed text.
//! Entries are written in plain English and stemmed once, on first use, with
//! the same stemmer as the text, so "speaking up" finds "speak up".
use super::text::{Text, analyse};
use std::collections::HashMap;

/// Where one entry of a lexicon was found: `len` words from `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Match {
    pub start: usize,
    pub len: usize,
}

impl Match {
    pub fn end(self) -> usize {
        self.start + self.len
    }

    /// The words matched, as written (lower-case), for messages.
    pub fn surface(self, text: &Text) -> String {
        text.words[self.start..self.end()].iter().map(|w| w.lower.as_str()).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    /// Entries (as stem sequences) indexed by their first stem.
    by_first: HashMap<String, Vec<Vec<String>>>,
    /// Every entry as written and as stems, for the held-out leak check.
    #[cfg(test)]
    entries: Vec<(String, Vec<String>)>,
}

impl Lexicon {
    pub fn new(entries: &[&str]) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for entry in entries {
            let stems: Vec<String> = analyse(entry).words.into_iter().map(|w| w.stem).collect();
            #[cfg(test)]
            lexicon.entries.push(((*entry).to_owned(), stems.clone()));
            if let Some(first) = stems.first() {
                lexicon.by_first.entry(first.clone()).or_default().push(stems);
            }
        }
        // Longest entry first, so "employer brand" wins over "employer".
        for group in lexicon.by_first.values_mut() {
            group.sort_by_key(|e| std::cmp::Reverse(e.len()));
        }
        lexicon
    }

    /// The longest entry starting at word `i`, if any.
    pub fn match_at(&self, text: &Text, i: usize) -> Option<Match> {
        let first = &text.word(i)?.stem;
        self.by_first.get(first)?.iter().find_map(|entry| {
            let fits = entry.iter().enumerate().all(|(k, stem)| text.word(i + k).is_some_and(|w| &w.stem == stem));
            fits.then_some(Match { start: i, len: entry.len() })
        })
    }

    /// Every non-overlapping match, left to right.
    pub fn find(&self, text: &Text) -> Vec<Match> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < text.words.len() {
            match self.match_at(text, i) {
                Some(m) => {
                    found.push(m);
                    i = m.end();
                }
                None => i += 1,
            }
        }
        found
    }

    pub fn first(&self, text: &Text) -> Option<Match> {
        (0..text.words.len()).find_map(|i| self.match_at(text, i))
    }

    pub fn any(&self, text: &Text) -> bool {
        self.first(text).is_some()
    }

    /// Every entry as written, with its stems.
    #[cfg(test)]
    pub fn entries(&self) -> &[(String, Vec<String>)] {
        &self.entries
    }

    /// Whether a single stem is an entry of its own.
    pub fn has_stem(&self, stem: &str) -> bool {
        self.by_first.get(stem).is_some_and(|entries| entries.iter().any(|e| e.len() == 1))
    }

    /// Whether word `i` is covered by a match (possibly one that starts earlier).
    pub fn covers(&self, text: &Text, i: usize) -> bool {
        (i.saturating_sub(3)..=i).any(|s| self.match_at(text, s).is_some_and(|m| m.end() > i))
    }
}

/// Declares a lazily built, shared lexicon: `lexicon!(name => ["word", "two words"]);`
macro_rules! lexicon {
    ($(#[$doc:meta])* $name:ident => [$($entry:literal),* $(,)?]) => {
        $(#[$doc])*
        pub(crate) fn $name() -> &'static $crate::coach::lexicon::Lexicon {
            static CELL: std::sync::OnceLock<$crate::coach::lexicon::Lexicon> =
                std::sync::OnceLock::new();
            CELL.get_or_init(|| $crate::coach::lexicon::Lexicon::new(&[$($entry),*]))
        }
    };
}
pub(crate) use lexicon;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_across_inflections() {
        let lex = Lexicon::new(&["speak up", "employer brand", "employer"]);
        let text = analyse("Why don't juniors speaking up like our employer brands?");
        let found: Vec<String> = lex.find(&text).iter().map(|m| m.surface(&text)).collect();
        assert_eq!(found, ["speaking up", "employer brands"]);
    }

    #[test]
    fn covers_sees_words_inside_a_phrase() {
        let lex = Lexicon::new(&["next generation"]);
        let text = analyse("connect with the next generation");
        assert!(lex.covers(&text, 4));
        assert!(!lex.covers(&text, 0));
    }
}
