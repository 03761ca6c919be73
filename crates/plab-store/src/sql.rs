//! Small helpers for the portable SQL the store writes: `$N` placeholders work
//! on both SQLite and PostgreSQL.
use crate::Backend;

/// `($1, $2), ($3, $4)` for `rows` rows of `cols` columns. SQLite gets plain `?`
/// instead: it looks numbered parameters up by name in a linear list, which
/// makes a statement with thousands of them quadratic to bind.
pub(crate) fn values_placeholders(backend: Backend, rows: usize, cols: usize) -> String {
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
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    out.push('$');
                    out.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

/// `$1, $2, …` (or `?, ?, …` on SQLite) for an `IN (…)` list of `n` values.
pub(crate) fn list_placeholders(backend: Backend, n: usize) -> String {
    values_placeholders(backend, 1, n).trim_start_matches('(').trim_end_matches(')').to_owned()
}

/// SQLite counts booleans as integers; both backends agree on 0 and 1.
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// A stored instant: RFC 3339 in UTC, whole seconds, so that it sorts as text.
pub(crate) fn instant_text(at: time::OffsetDateTime) -> String {
    plab_domain::session::format_instant(at)
}

/// Reads a stored instant; one that does not parse is corrupt data.
pub(crate) fn instant(r: &sqlx::any::AnyRow, column: &str) -> crate::Result<time::OffsetDateTime> {
    use sqlx::Row;
    let text: String = r.try_get(column)?;
    plab_domain::session::parse_instant(&text)
        .map_err(|_| crate::StoreError::Corrupt(format!("{column} '{text}' is not an RFC 3339 time")))
}

/// A unique index refusing a write becomes a conflict the user can fix.
pub(crate) fn conflict_or(e: sqlx::Error, message: &str) -> crate::StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => crate::StoreError::Conflict(message.to_owned()),
        _ => crate::StoreError::Database(e),
    }
}

#[cfg(test)]
mod tests {
    use crate::Backend;

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(super::values_placeholders(Backend::Postgres, 2, 2), "($1, $2), ($3, $4)");
        assert_eq!(super::values_placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(super::list_placeholders(Backend::Postgres, 3), "$1, $2, $3");
    }
}
