//! The instance's settings, one row per key; a key never written reads as its default.
use crate::{Result, Store, StoreError, now_rfc3339};
use plab_domain::instance::InstanceSettings;
use plab_domain::program::GroupSizeFloor;
use sqlx::Row;

const INSTANCE_NAME: &str = "instance_name";
const PROGRAM_DEFAULTS: &str = "program_defaults";
const SESSION_HOURS: &str = "session_hours";
const CONCERN_CONTACT: &str = "concern_contact";
/// Kept apart from `InstanceSettings`: only the operator changes it, never
/// through the administrators' settings.
const GROUP_SIZE_FLOOR: &str = "group_size_floor";

fn corrupt(key: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("instance setting '{key}': {e}"))
}

impl Store {
    pub async fn instance_settings(&self) -> Result<InstanceSettings> {
        let rows = sqlx::query("SELECT key, value FROM instance_settings").fetch_all(&self.pool).await?;
        let mut settings = InstanceSettings::default();
        for row in &rows {
            let (key, value): (String, String) = (row.try_get("key")?, row.try_get("value")?);
            match key.as_str() {
                INSTANCE_NAME => settings.instance_name = value,
                SESSION_HOURS => settings.session_hours = value.parse().map_err(|e| corrupt(&key, e))?,
                CONCERN_CONTACT => settings.concern_contact = value,
                PROGRAM_DEFAULTS => {
                    settings.program_defaults = serde_json::from_str(&value).map_err(|e| corrupt(&key, e))?;
                }
                // Written by a newer release: not ours to read.
                _ => {}
            }
        }
        Ok(settings)
    }

    /// The smallest group any sponsor-facing average covers (default 5).
    pub async fn group_size_floor(&self) -> Result<GroupSizeFloor> {
        let row = sqlx::query("SELECT value FROM instance_settings WHERE key = $1")
            .bind(GROUP_SIZE_FLOOR)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(GroupSizeFloor::default()) };
        let value: String = row.try_get("value")?;
        GroupSizeFloor::parse(&value).map_err(|e| corrupt(GROUP_SIZE_FLOOR, e.message))
    }

    /// Also moves the data revision: reports and dashboards kept in memory
    /// were built at the old floor and must not be served again.
    pub async fn set_group_size_floor(&self, floor: GroupSizeFloor) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO instance_settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(GROUP_SIZE_FLOOR)
        .bind(floor.get().to_string())
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE data_revision SET n = n + 1 WHERE id = 1").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes every key in one transaction.
    pub async fn save_instance_settings(&self, settings: &InstanceSettings) -> Result<()> {
        let defaults = serde_json::to_string(&settings.program_defaults).map_err(|e| corrupt(PROGRAM_DEFAULTS, e))?;
        let now = now_rfc3339();
        let mut tx = self.pool.begin().await?;
        for (key, value) in [
            (INSTANCE_NAME, settings.instance_name.clone()),
            (PROGRAM_DEFAULTS, defaults),
            (SESSION_HOURS, settings.session_hours.to_string()),
            (CONCERN_CONTACT, settings.concern_contact.clone()),
        ] {
            sqlx::query(
                "INSERT INTO instance_settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value)
            .bind(now.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
