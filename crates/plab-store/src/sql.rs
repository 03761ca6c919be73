//! Small helpers for the portable SQL the store writes: `$N` placeholders work
//! on both SQLite and PostgreSQL.

/// `($1, $2), ($3, $4)` for `rows` rows of `cols` columns.
pub(crate) fn values_placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(r * cols + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// SQLite counts booleans as integers; both backends agree on 0 and 1.
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(super::values_placeholders(2, 2), "($1, $2), ($3, $4)");
    }
}
