//! Time zones: the IANA zone a person lives in, checked against the tz
//! database bundled with `jiff` (the same on every machine, no hand-written
//! offsets), and instants shown as that person's local time with the zone named.
use crate::person::FieldError;
use time::OffsetDateTime;

/// An IANA time zone name that the tz database knows, e.g. `Europe/Berlin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    pub fn parse(raw: &str) -> Result<Zone, FieldError> {
        let name = raw.trim();
        match jiff::tz::TimeZone::get(name) {
            Ok(tz) if !name.is_empty() => Ok(Zone { name: name.to_owned(), tz }),
            _ => Err(FieldError::new(
                "timezone",
                format!("'{name}' is not an IANA time zone; use a name such as Europe/Berlin or America/New_York"),
            )),
        }
    }

    pub fn utc() -> Zone {
        Zone { name: "UTC".to_owned(), tz: jiff::tz::TimeZone::UTC }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `t` as a page shows it to someone in this zone: `Mon 14 Dec 2026, 05:00 (America/New_York)`.
    pub fn human(&self, t: OffsetDateTime) -> String {
        let Ok(instant) = jiff::Timestamp::from_second(t.unix_timestamp()) else {
            return crate::session::human_instant(t);
        };
        let local = instant.to_zoned_datetime(self.tz.clone());
        format!("{} ({})", local.strftime("%a %-d %b %Y, %H:%M"), self.name)
    }
}

impl Zone {
    /// An RFC 3339 instant as `human` shows it; text that is not one is shown as it is.
    pub fn human_text(&self, rfc3339: &str) -> String {
        crate::session::parse_instant(rfc3339).map(|t| self.human(t)).unwrap_or_else(|_| rfc3339.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_is_an_iana_name_the_tz_database_knows() {
        assert_eq!(Zone::parse(" Europe/Berlin ").expect("known").name(), "Europe/Berlin");
        for bad in ["", "Mars/Olympus", "GMT+25", "Europe"] {
            let e = Zone::parse(bad).expect_err(bad);
            assert_eq!(e.field, "timezone");
        }
    }

    #[test]
    fn an_instant_reads_as_local_time_across_daylight_saving() {
        let winter = time::macros::datetime!(2026-12-14 15:00 UTC);
        let summer = time::macros::datetime!(2026-07-14 15:00 UTC);
        let ny = Zone::parse("America/New_York").expect("zone");
        assert_eq!(ny.human(winter), "Mon 14 Dec 2026, 10:00 (America/New_York)");
        assert_eq!(ny.human(summer), "Tue 14 Jul 2026, 11:00 (America/New_York)");
        let berlin = Zone::parse("Europe/Berlin").expect("zone");
        assert_eq!(berlin.human(winter), "Mon 14 Dec 2026, 16:00 (Europe/Berlin)");
        assert_eq!(Zone::utc().human(winter), "Mon 14 Dec 2026, 15:00 (UTC)");
    }
}
