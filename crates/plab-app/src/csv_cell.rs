//! Text cells of the CSV files the product writes, made safe to open in a
//! spreadsheet, and read back exactly.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return as a formula: a program named `=HYPERLINK(…)` would be a
//! live link in the sponsor's report. OWASP's rule for CSV injection is to put
//! a `'` before such a cell, which spreadsheets show as text. Every CSV the
//! product writes passes its text cells through `neutralise`; the people
//! import passes every cell through `restore`, so an export re-imports to the
//! same data.
use std::borrow::Cow;

/// What a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True for a cell that starts a formula once its leading `'`s are taken
/// away: those are the cells `neutralise` changes. Counting the `'`s makes the
/// rule reversible: a value that itself starts with `'=` gets a second `'`.
fn starts_a_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// The cell as a spreadsheet will show it as text: a leading `'` when it
/// would otherwise start a formula, else unchanged.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_a_formula(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// Undoes `neutralise`: the `'` it added is taken away, and only that one.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_a_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_would_start_a_formula_gets_a_leading_quote() {
        for formula in ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        for text in ["Ada", "", "a=b", " =1", "'quoted'", "1-2", "'", "''"] {
            assert_eq!(neutralise(text), text, "plain text is left alone");
        }
    }

    #[test]
    fn restoring_a_neutralised_cell_gives_the_value_back_exactly() {
        let values = ["=1+1", "-5", "'=1", "''+x", "'apostrophe", "'", "plain", "", "@home", "'-"];
        for value in values {
            assert_eq!(restore(&neutralise(value)), value, "{value:?}");
        }
        assert_eq!(restore("'hello"), "'hello", "a quote before plain text was not ours");
    }
}
