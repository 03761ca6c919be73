//! Research questions: every revision is kept with its coach assessment.
use crate::sql::conflict_or;
use crate::{ProgramId, Result, Store, StoreError, now_rfc3339};
use plab_domain::coach::Assessment;
use plab_domain::question::{QuestionText, QuestionVersion};
use sqlx::Row;
use sqlx::any::AnyRow;

impl Store {
    /// Stores a new version of a leader's question; returns its version number.
    /// The leader must be enrolled as a leader of the program.
    pub async fn add_question_version(
        &self,
        program: ProgramId,
        leader: &str,
        text: &QuestionText,
        assessment: &Assessment,
    ) -> Result<u32> {
        let mut tx = self.pool.begin().await?;
        let enrolled =
            sqlx::query("SELECT 1 FROM enrolments WHERE program_id = $1 AND employee_id = $2 AND role = 'leader'")
                .bind(program.0)
                .bind(leader)
                .fetch_optional(&mut *tx)
                .await?;
        if enrolled.is_none() {
            return Err(StoreError::NotFound { what: "leader in this program", id: leader.to_owned() });
        }
        let last: i64 =
            sqlx::query("SELECT COALESCE(MAX(version), 0) AS last_version FROM questions WHERE program_id = $1 AND employee_id = $2")
                .bind(program.0)
                .bind(leader)
                .fetch_one(&mut *tx)
                .await?
                .try_get("last_version")?;
        let version = last + 1;
        let json = serde_json::to_string(assessment).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO questions (program_id, employee_id, version, body, strength, score, assessment, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(program.0)
        .bind(leader)
        .bind(version)
        .bind(text.as_str())
        .bind(assessment.strength.as_str())
        .bind(i64::from(assessment.score))
        .bind(json)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await
        .map_err(|e| conflict_or(e, "the question was revised at the same time; try again"))?;
        tx.commit().await?;
        Ok(u32::try_from(version).unwrap_or(u32::MAX))
    }

    /// Every version of one leader's question, oldest first.
    pub async fn question_history(&self, program: ProgramId, leader: &str) -> Result<Vec<QuestionVersion>> {
        let rows = sqlx::query(
            "SELECT version, body, assessment, created_at FROM questions WHERE program_id = $1 AND employee_id = $2 ORDER BY version",
        )
        .bind(program.0)
        .bind(leader)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// The latest question of every leader in the program, by employee_id.
    pub async fn current_questions(&self, program: ProgramId) -> Result<Vec<(String, QuestionVersion)>> {
        let rows = sqlx::query(
            "SELECT q.version, q.body, q.assessment, q.created_at, q.employee_id FROM questions q \
             WHERE q.program_id = $1 AND q.version = \
               (SELECT MAX(v.version) FROM questions v WHERE v.program_id = q.program_id AND v.employee_id = q.employee_id) \
             ORDER BY q.employee_id",
        )
        .bind(program.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("employee_id")?, version_from_row(r)?))).collect()
    }
}

fn version_from_row(r: &AnyRow) -> Result<QuestionVersion> {
    let version: i64 = r.try_get("version")?;
    let json: String = r.try_get("assessment")?;
    Ok(QuestionVersion {
        version: u32::try_from(version).unwrap_or(0),
        text: r.try_get("body")?,
        assessment: serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("question assessment: {e}")))?,
        created_at: crate::sql::instant(r, "created_at")?,
    })
}

impl Store {
    /// A sponsor asks the leader to sharpen their question, as it stands at
    /// `version` (0: none yet); asking again replaces the earlier ask.
    pub async fn ask_to_sharpen(&self, program: ProgramId, leader: &str, version: u32, by: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO sharpen_requests (program_id, leader_id, asked_version, asked_by, asked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (program_id, leader_id) DO UPDATE SET \
             asked_version = excluded.asked_version, asked_by = excluded.asked_by, asked_at = excluded.asked_at",
        )
        .bind(program.0)
        .bind(leader)
        .bind(i64::from(version))
        .bind(by)
        .bind(crate::now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The question version a sponsor last asked the leader to sharpen, if they did.
    pub async fn sharpen_asked_version(&self, program: ProgramId, leader: &str) -> Result<Option<u32>> {
        let row = sqlx::query("SELECT asked_version FROM sharpen_requests WHERE program_id = $1 AND leader_id = $2")
            .bind(program.0)
            .bind(leader)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            u32::try_from(r.try_get::<i64, _>("asked_version")?)
                .map_err(|_| StoreError::Corrupt("a sharpen request's version is out of range".into()))
        })
        .transpose()
    }
}
