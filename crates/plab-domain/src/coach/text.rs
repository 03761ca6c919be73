//! Tokenisation and light stemming, shared by the rubric, the themes and the
//! key terms. Written by hand so the coach stays dependency-free and behaves the
//! same on every machine.

/// One word of the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// Lower-cased surface form ("analysts", "aren't").
    pub lower: String,
    /// Normalised form used for every lexicon lookup ("analyst", "not").
    pub stem: String,
    /// Written with a capital first letter ("Friday", "Notion").
    pub capitalised: bool,
    /// Starts a sentence or a clause cut by `.?!;:` (or starts the text).
    pub clause_start: bool,
    /// Follows any punctuation, commas included.
    pub after_break: bool,
    /// Only digits ("35", "2024").
    pub number: bool,
}

/// A text cut into words, with the few punctuation facts the rubric needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Text {
    pub words: Vec<Word>,
    pub question_marks: usize,
    /// The text quotes something ("our 'patients first' value").
    pub quotes: bool,
}

impl Text {
    pub fn word(&self, i: usize) -> Option<&Word> {
        self.words.get(i)
    }

    /// Most words capitalised (a Title Case Question): capitals say nothing then.
    pub fn title_case(&self) -> bool {
        let caps = self.words.iter().filter(|w| w.capitalised).count();
        self.words.len() >= 4 && caps * 3 > self.words.len() * 2
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}')
}

fn is_clause_break(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | ';' | ':' | '\u{2014}' | '(' | ')')
}

/// Cuts `text` into words. Hyphens split words ("early-career" is two words);
/// apostrophes and `&` inside a word keep it whole ("aren't", "Q&A").
pub(crate) fn analyse(text: &str) -> Text {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Text::default();
    let mut current = String::new();
    let mut clause_break = true;
    let mut any_break = true;
    for (i, &c) in chars.iter().enumerate() {
        let next_is_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let joins = (is_apostrophe(c) || c == '&') && !current.is_empty() && next_is_alnum;
        if c.is_alphanumeric() || joins {
            current.push(if is_apostrophe(c) { '\'' } else { c });
            continue;
        }
        if !current.is_empty() {
            // A trailing apostrophe is a plural possessive ("competitors'").
            push_word(&mut out, &current, clause_break, any_break);
            current.clear();
            clause_break = false;
            any_break = false;
        }
        if c == '?' {
            out.question_marks += 1;
        }
        if is_quote(c) {
            out.quotes = true;
        }
        if is_clause_break(c) {
            clause_break = true;
        }
        if !c.is_whitespace() && c != '-' && !is_apostrophe(c) {
            any_break = true;
        }
    }
    if !current.is_empty() {
        push_word(&mut out, &current, clause_break, any_break);
    }
    out
}

fn push_word(out: &mut Text, raw: &str, clause_start: bool, after_break: bool) {
    let lower = raw.to_lowercase();
    out.words.push(Word {
        stem: stem(&lower),
        capitalised: raw.chars().next().is_some_and(char::is_uppercase),
        clause_start,
        after_break: after_break || clause_start,
        number: raw.chars().all(|c| c.is_ascii_digit()),
        lower,
    });
}

/// Light, predictable stemming: possessives, plurals, `-ing` and `-ed`, and a
/// few British spellings. Both sides of every comparison go through it, so
/// "tools" meets "tool" and "onboarding" meets "onboard".
pub(crate) fn stem(lower: &str) -> String {
    if lower.ends_with("n't") || lower == "cannot" {
        return "not".to_owned();
    }
    let word = lower.strip_suffix("'s").unwrap_or(lower);
    if word.contains('\'') || word.contains('&') || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return word.to_owned();
    }
    let word = british_to_common(word);
    let word = depluralise(&word);
    strip_verb_ending(&word)
}

fn british_to_common(word: &str) -> String {
    let exact = match word {
        "programme" | "programmes" => Some("program"),
        "centre" | "centres" => Some("center"),
        "behaviour" | "behaviours" => Some("behavior"),
        "colour" => Some("color"),
        "analyse" => Some("analyze"),
        _ => None,
    };
    match exact {
        Some(w) => w.to_owned(),
        None => word.replace("isation", "ization"),
    }
}

fn depluralise(word: &str) -> String {
    let len = word.len();
    if len < 3 {
        return word.to_owned();
    }
    if let Some(base) = word.strip_suffix("ies").filter(|_| len > 4) {
        return format!("{base}y");
    }
    for suffix in ["sses", "xes", "ches", "shes", "zzes"] {
        if word.ends_with(suffix) {
            return word[..len - 2].to_owned();
        }
    }
    let keeps_s = ["ss", "us", "is", "as", "ous"].iter().any(|s| word.ends_with(s));
    match word.strip_suffix('s') {
        Some(base) if !keeps_s => base.to_owned(),
        _ => word.to_owned(),
    }
}

fn has_vowel(s: &str) -> bool {
    s.chars().any(|c| "aeiouy".contains(c))
}

fn is_vowel(c: char) -> bool {
    "aeiou".contains(c)
}

fn strip_verb_ending(word: &str) -> String {
    let base = if let Some(b) = word.strip_suffix("ing").filter(|b| b.len() >= 2) {
        b
    } else if let Some(b) = word.strip_suffix("ied").filter(|b| b.len() >= 2) {
        return format!("{b}y");
    } else if let Some(b) = word.strip_suffix("ed").filter(|b| b.len() >= 2 && !b.ends_with('e')) {
        b
    } else {
        return word.to_owned();
    };
    if !has_vowel(base) {
        return word.to_owned();
    }
    let chars: Vec<char> = base.chars().collect();
    let n = chars.len();
    // "stopped" -> "stop", but "calling" -> "call", "passed" -> "pass".
    if n >= 4 && chars[n - 1] == chars[n - 2] && !"lsfz".contains(chars[n - 1]) && !is_vowel(chars[n - 1]) {
        return chars[..n - 1].iter().collect();
    }
    if needs_silent_e(&chars) {
        return format!("{base}e");
    }
    base.to_owned()
}

/// Endings of longer stems that lost a silent "e": "chang(e)", "manag(e)",
/// "handl(e)", "nurs(e)", "judg(e)", "advertis(e)", "produc(e)", "measur(e)".
const SILENT_E_ENDINGS: [&str; 20] = [
    "ang", "eng", "ag", "uc", "ur", "rs", "dg", "nc", "bl", "pl", "tl", "dl", "gl", "kl", "dul", "iz", "is", "ys",
    "rg", "ps",
];

/// "us" -> "use", "shar" -> "share", "mak" -> "make", "driv" -> "drive",
/// "chang" -> "change"; "open", "edit", "draft", "belong" and "fix" stay.
fn needs_silent_e(chars: &[char]) -> bool {
    let n = chars.len();
    let last = chars[n - 1];
    if last == 'v' {
        return true;
    }
    let word: String = chars.iter().collect();
    if n >= 4 && SILENT_E_ENDINGS.iter().any(|e| word.ends_with(e)) {
        return !word.ends_with("our");
    }
    // "automat(e)", "communicat(e)", but not "repeat", "format" or "chat".
    if n >= 6 && word.ends_with("at") && !is_vowel(chars[n - 3]) {
        return true;
    }
    if "wxy".contains(last) || is_vowel(last) {
        return false;
    }
    let cvc_end = n >= 2 && is_vowel(chars[n - 2]) && (n == 2 || !is_vowel(chars[n - 3]));
    match n {
        2 => is_vowel(chars[0]) && chars[0] == 'u',
        3 => cvc_end,
        4 => cvc_end && !is_vowel(chars[0]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_verb_endings_meet_their_base_form() {
        for (word, expected) in [
            ("tools", "tool"),
            ("analysts", "analyst"),
            ("companies", "company"),
            ("processes", "process"),
            ("onboarding", "onboard"),
            ("using", "use"),
            ("used", "use"),
            ("sharing", "share"),
            ("stopped", "stop"),
            ("meetings", "meet"),
            ("needed", "need"),
            ("opening", "open"),
            ("leaving", "leave"),
            ("applied", "apply"),
            ("ads", "ad"),
            ("ai", "ai"),
            ("business", "business"),
            ("status", "status"),
            ("programmes", "program"),
            ("changing", "change"),
            ("engaging", "engage"),
            ("managed", "manage"),
            ("handling", "handle"),
            ("nursing", "nurse"),
            ("judging", "judge"),
            ("advertising", "advertise"),
            ("scheduling", "schedule"),
            ("communicating", "communicate"),
            ("belonging", "belong"),
            ("working", "work"),
            ("marketing", "market"),
            ("budgeting", "budget"),
            ("planning", "plan"),
            ("repeated", "repeat"),
            ("formatting", "format"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn negations_become_not() {
        assert_eq!(stem("aren't"), "not");
        assert_eq!(stem("don't"), "not");
    }

    #[test]
    fn hyphens_split_and_apostrophes_join() {
        let t = analyse("Our early-career staff aren't using the Q&A.");
        let lower: Vec<&str> = t.words.iter().map(|w| w.lower.as_str()).collect();
        assert_eq!(lower, ["our", "early", "career", "staff", "aren't", "using", "the", "q&a"]);
    }

    #[test]
    fn clause_starts_and_capitals_are_recorded() {
        let t = analyse("Why do they skip it? And what about Friday");
        assert!(t.words[0].clause_start);
        assert!(t.words[5].clause_start);
        assert!(t.words[8].capitalised && !t.words[8].clause_start);
        assert_eq!(t.question_marks, 1);
    }

    #[test]
    fn possessives_lose_their_apostrophe() {
        let t = analyse("competitors' apps and the chatbot's replies");
        assert_eq!(t.words[0].stem, "competitor");
        assert_eq!(t.words[4].stem, "chatbot");
    }
}
