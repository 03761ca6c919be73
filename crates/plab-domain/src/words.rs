//! The message catalogue: the sentences a person reads when a value is
//! refused, and counted nouns ("1 pair", "3 pairs"). Every layer words these
//! cases through here, so they read the same on a page, in the API's problem
//! list and on the command line, and a later translation has one place to go.
//! No Rust ranges (`1..=52`), type names or raw codes reach a reader.

/// A 1-to-5 answer left out (a pulse, a check-in, a self-assessment).
pub const ONE_TO_FIVE: &str = "choose an answer from 1 to 5";

/// A number outside what a field accepts: "must be between 1 and 52 (you entered 0)".
pub fn between(got: impl std::fmt::Display, lo: impl std::fmt::Display, hi: impl std::fmt::Display) -> String {
    format!("must be between {lo} and {hi} (you entered {got})")
}

/// Text where a whole number belongs: "enter a whole number such as 14 (you entered '-3')".
pub fn whole_number(raw: &str, example: u32) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        format!("enter a whole number such as {example}")
    } else {
        format!("enter a whole number such as {example} (you entered '{raw}')")
    }
}

/// A required field left blank: "is required: <what to write>".
pub fn required(what_to_write: &str) -> String {
    format!("is required: {what_to_write}")
}

/// "1 pair", "2 pairs", "no pairs": a count with its noun, plural handled.
/// Irregular plurals are listed in [`plural`].
pub fn count(n: usize, noun: &str) -> String {
    match n {
        0 => format!("no {}", plural(noun)),
        1 => format!("1 {noun}"),
        n => format!("{n} {}", plural(noun)),
    }
}

/// The plural of a noun the product counts.
pub fn plural(noun: &str) -> String {
    match noun {
        "person" => "people".to_owned(),
        "is" => "are".to_owned(),
        "was" => "were".to_owned(),
        n if n.ends_with('s') || n.ends_with("sh") || n.ends_with("ch") => format!("{n}es"),
        n => format!("{n}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words_with_the_right_plural() {
        assert_eq!(count(0, "pair"), "no pairs");
        assert_eq!(count(1, "leader"), "1 leader");
        assert_eq!(count(2, "person"), "2 people");
        assert_eq!(count(3, "match"), "3 matches");
        assert_eq!(count(12, "session"), "12 sessions");
    }

    #[test]
    fn refusals_name_the_bounds_and_the_value_without_rust_syntax() {
        let m = between(0, 1, 52);
        assert_eq!(m, "must be between 1 and 52 (you entered 0)");
        assert!(!m.contains("..="));
        assert_eq!(whole_number(" -3 ", 14), "enter a whole number such as 14 (you entered '-3')");
        assert_eq!(whole_number("", 14), "enter a whole number such as 14");
    }
}
