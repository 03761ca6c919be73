//! Who moved or cancelled each session (migration 0037).
use crate::{ProgramId, Result, Store, now_rfc3339};
use plab_domain::asymmetry::ChangeCounts;
use plab_domain::{PairId, SessionId};
use sqlx::Row;
use std::collections::BTreeMap;

impl Store {
    /// Records one change: `role` is `leader`, `mentor` or `sponsor`, `change` `moved` or `cancelled`.
    pub async fn record_session_change(
        &self,
        session: SessionId,
        pair: PairId,
        actor_id: &str,
        role: &str,
        change: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO session_changes (session_id, pair_id, actor_id, actor_role, change, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(session.0)
        .bind(pair.0)
        .bind(actor_id)
        .bind(role)
        .bind(change)
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Each pair's changes by its leader and by its mentor (sponsors' not counted).
    pub async fn session_change_counts(&self, program: ProgramId) -> Result<BTreeMap<PairId, ChangeCounts>> {
        let rows = sqlx::query(
            "SELECT c.pair_id, c.actor_role, COUNT(*) AS n FROM session_changes c JOIN pairs p ON p.id = c.pair_id \
             WHERE p.program_id = $1 AND c.actor_role <> 'sponsor' GROUP BY c.pair_id, c.actor_role",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out: BTreeMap<PairId, ChangeCounts> = BTreeMap::new();
        for r in &rows {
            let entry = out.entry(PairId(r.try_get("pair_id")?)).or_default();
            let n = u32::try_from(r.try_get::<i64, _>("n")?).unwrap_or(u32::MAX);
            match r.try_get::<String, _>("actor_role")?.as_str() {
                "leader" => entry.leader = n,
                _ => entry.mentor = n,
            }
        }
        Ok(out)
    }

    /// One pair's changes by its leader and by its mentor.
    pub async fn pair_change_counts(&self, pair: PairId) -> Result<ChangeCounts> {
        let rows = sqlx::query(
            "SELECT actor_role, COUNT(*) AS n FROM session_changes WHERE pair_id = $1 AND actor_role <> 'sponsor' \
             GROUP BY actor_role",
        )
        .bind(pair.0)
        .fetch_all(&self.pool)
        .await?;
        let mut counts = ChangeCounts::default();
        for r in &rows {
            let n = u32::try_from(r.try_get::<i64, _>("n")?).unwrap_or(u32::MAX);
            match r.try_get::<String, _>("actor_role")?.as_str() {
                "leader" => counts.leader = n,
                _ => counts.mentor = n,
            }
        }
        Ok(counts)
    }
}
