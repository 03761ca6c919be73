//! Self-assessments: one person's 1-5 answers per phase and statement.
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::program::Role;
use plab_domain::selfassessment::Phase;
use sqlx::Row;

/// One person's answer to one statement in one phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfAnswer {
    pub employee_id: String,
    pub phase: Phase,
    pub item: String,
    pub value: u8,
}

impl Store {
    /// Replaces a person's answers for a phase, all at once.
    pub async fn save_self_assessment(
        &self,
        program: ProgramId,
        employee_id: &str,
        role: Role,
        phase: Phase,
        answers: &[(&str, u8)],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM self_assessments WHERE program_id = $1 AND employee_id = $2 AND phase = $3")
            .bind(program.0)
            .bind(employee_id)
            .bind(phase.as_str())
            .execute(&mut *tx)
            .await?;
        for (item, value) in answers {
            sqlx::query(
                "INSERT INTO self_assessments (program_id, employee_id, role, phase, item, value, answered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(program.0)
            .bind(employee_id)
            .bind(role.as_str())
            .bind(phase.as_str())
            .bind(*item)
            .bind(i64::from(*value))
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every self-assessment answer given in the program.
    pub async fn self_assessment_answers(&self, program: ProgramId) -> Result<Vec<SelfAnswer>> {
        let rows = sqlx::query(
            "SELECT employee_id, phase, item, value FROM self_assessments WHERE program_id = $1 \
             ORDER BY employee_id, phase, item",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let value: i64 = r.try_get("value")?;
                Ok(SelfAnswer {
                    employee_id: r.try_get("employee_id")?,
                    phase: Phase::parse(&r.try_get::<String, _>("phase")?)
                        .ok_or_else(|| StoreError::Corrupt("a self-assessment's phase is unknown".into()))?,
                    item: r.try_get("item")?,
                    value: u8::try_from(value).map_err(|_| StoreError::Corrupt(format!("self-assessment {value}")))?,
                })
            })
            .collect()
    }

    /// One person's answers for a phase.
    pub async fn own_self_assessment(
        &self,
        program: ProgramId,
        employee_id: &str,
        phase: Phase,
    ) -> Result<Vec<(String, u8)>> {
        let rows = sqlx::query(
            "SELECT item, value FROM self_assessments WHERE program_id = $1 AND employee_id = $2 AND phase = $3 ORDER BY item",
        )
        .bind(program.0)
        .bind(employee_id)
        .bind(phase.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let value: i64 = r.try_get("value")?;
                Ok((r.try_get("item")?, u8::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value}")))?))
            })
            .collect()
    }
}
