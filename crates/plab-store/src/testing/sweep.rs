//! A sweep of every table and every text or blob column for some strings:
//! where an erased person's name, address or words could still be found.
use sqlx::{Column, Row};

/// Every `table.column` (with the row's text) holding one of `needles`
/// (case-insensitive), in every table but the migrations' own. Blobs are
/// read as bytes, so a needle stored in the clear inside one is found too.
pub async fn find_anywhere(store: &crate::Store, needles: &[&str]) -> Vec<String> {
    let tables_sql = match store.backend {
        crate::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '_sqlx%'"
        }
        crate::Backend::Postgres => {
            "SELECT DISTINCT CAST(table_name AS TEXT) AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'"
        }
    };
    let needles: Vec<String> = needles.iter().map(|n| n.to_lowercase()).collect();
    let mut hits = Vec::new();
    for table in sqlx::query(tables_sql).fetch_all(&store.pool).await.expect("tables") {
        let table: String = table.try_get("name").expect("table name");
        // The name comes from the database's own catalogue, not from a caller.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}")))
            .fetch_all(&store.pool)
            .await
            .expect("rows");
        for row in &rows {
            for c in row.columns() {
                let i = c.ordinal();
                let text = if let Ok(v) = row.try_get::<Option<String>, _>(i) {
                    v.unwrap_or_default()
                } else if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
                    String::from_utf8_lossy(&v.unwrap_or_default()).into_owned()
                } else {
                    continue;
                };
                let lower = text.to_lowercase();
                if needles.iter().any(|n| lower.contains(n.as_str())) {
                    hits.push(format!("{table}.{}: {text}", c.name()));
                }
            }
        }
    }
    hits
}
