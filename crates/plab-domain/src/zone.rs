//! Time zones: the IANA zone a person lives in, checked against the tz
//! database bundled with `jiff` (the same on every machine, no hand-written
//! offsets), and instants shown as that person's local time with the zone named.
use crate::date::Date;
use crate::person::FieldError;
use time::OffsetDateTime;

/// A wall-clock reading of an instant in one zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub day: Date,
    pub weekday: time::Weekday,
    pub hour: u8,
    pub minute: u8,
}

/// An IANA time zone name that the tz database knows, e.g. `Europe/Berlin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    /// A zone by its IANA name in any case (`america/new_york`), kept as the
    /// database spells it (`America/New_York`). Abbreviations and fixed
    /// offsets (`EST`, `CET`, `Etc/GMT+5`) are refused with the zone to use
    /// instead: they ignore daylight saving where people live.
    pub fn parse(raw: &str) -> Result<Zone, FieldError> {
        let name = raw.trim();
        let unknown = || {
            FieldError::new(
                "timezone",
                format!(
                    "'{name}' is not a time zone we know; choose one from the list, such as Europe/Berlin or America/New_York"
                ),
            )
        };
        if name.is_empty() {
            return Err(unknown());
        }
        let tz = jiff::tz::TimeZone::get(name).map_err(|_| unknown())?;
        let canonical = tz.iana_name().unwrap_or(name).to_owned();
        if !is_place(&canonical) {
            let instead = abbreviation_for(&canonical).unwrap_or("the city zone where you live, such as Europe/Berlin");
            return Err(FieldError::new(
                "timezone",
                format!(
                    "'{name}' is an abbreviation or a fixed offset, which ignores daylight saving; use {instead} instead"
                ),
            ));
        }
        Ok(Zone { name: canonical, tz })
    }

    /// A zone read back from storage, which may predate the refusal of
    /// abbreviations: a place as `parse` takes it, or the place an
    /// abbreviation usually means (`EST`: America/New_York); None otherwise.
    pub fn from_stored(name: &str) -> Option<Zone> {
        Zone::parse(name).ok().or_else(|| abbreviation_for(name.trim()).and_then(|z| Zone::parse(z).ok()))
    }

    /// Every zone a person can choose: the tz database's places (`Area/City`)
    /// and UTC, sorted; the list a page offers.
    pub fn choices() -> &'static [String] {
        static CHOICES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        CHOICES.get_or_init(|| {
            let mut names: Vec<String> =
                jiff::tz::db().available().map(|n| n.as_str().to_owned()).filter(|n| is_place(n)).collect();
            names.sort();
            names.dedup();
            names
        })
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

/// A zone named after a place (`Europe/Berlin`), or UTC: not an
/// abbreviation, a fixed offset or a legacy alias.
fn is_place(name: &str) -> bool {
    const NOT_PLACES: [&str; 6] = ["Etc/", "SystemV/", "US/", "posix", "right/", "Canada/"];
    name == "UTC" || (name.contains('/') && !NOT_PLACES.iter().any(|p| name.starts_with(p)))
}

/// The place zone people usually mean by an abbreviation.
fn abbreviation_for(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_uppercase().as_str() {
        "EST" | "EDT" | "EST5EDT" | "US/EASTERN" => "America/New_York",
        "CST" | "CDT" | "CST6CDT" | "US/CENTRAL" => "America/Chicago",
        "MST" | "MDT" | "MST7MDT" | "US/MOUNTAIN" => "America/Denver",
        "PST" | "PDT" | "PST8PDT" | "US/PACIFIC" => "America/Los_Angeles",
        "HST" => "Pacific/Honolulu",
        "CET" | "CEST" | "MET" => "Europe/Berlin",
        "EET" => "Europe/Athens",
        "WET" => "Europe/Lisbon",
        "GMT" | "UCT" | "ZULU" | "UNIVERSAL" | "GREENWICH" | "ETC/UTC" | "ETC/GMT" => "UTC (or Europe/London)",
        _ => return None,
    })
}

impl Zone {
    /// An RFC 3339 instant as `human` shows it; text that is not one is shown as it is.
    pub fn human_text(&self, rfc3339: &str) -> String {
        crate::session::parse_instant(rfc3339).map(|t| self.human(t)).unwrap_or_else(|_| rfc3339.to_owned())
    }
}

impl Zone {
    /// The instant at which this zone's clocks read `hour:minute` on `day`.
    /// A time skipped by a daylight-saving change is read after the jump
    /// (02:30 becomes 03:30) and a repeated one as its first occurrence, as
    /// calendars do ("compatible" disambiguation). None for an hour or minute
    /// out of range or a day beyond the tz database's years.
    pub fn at_local(&self, day: Date, hour: u8, minute: u8) -> Option<OffsetDateTime> {
        let date = day.midnight_utc().date();
        let civil = jiff::civil::DateTime::new(
            i16::try_from(date.year()).ok()?,
            i8::try_from(u8::from(date.month())).ok()?,
            i8::try_from(date.day()).ok()?,
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            0,
            0,
        )
        .ok()?;
        let instant = self.tz.to_timestamp(civil).ok()?;
        OffsetDateTime::from_unix_timestamp(instant.as_second()).ok()
    }

    /// `t` as this zone's clocks read it; UTC for an instant the tz database cannot place.
    pub fn local(&self, t: OffsetDateTime) -> LocalTime {
        let civil = jiff::Timestamp::from_second(t.unix_timestamp()).ok().map(|instant| self.tz.to_datetime(instant));
        let day = civil.and_then(|c| {
            let month = u8::try_from(c.month()).ok()?;
            let day = u8::try_from(c.day()).ok()?;
            Date::from_ymd(i32::from(c.year()), month, day)
        });
        match (civil, day) {
            (Some(c), Some(day)) => LocalTime {
                day,
                weekday: day.midnight_utc().weekday(),
                hour: u8::try_from(c.hour()).unwrap_or(0),
                minute: u8::try_from(c.minute()).unwrap_or(0),
            },
            _ => {
                let utc = t.to_offset(time::UtcOffset::UTC);
                LocalTime { day: Date::of_instant(utc), weekday: utc.weekday(), hour: utc.hour(), minute: utc.minute() }
            }
        }
    }

    /// The local clock time of `t` in this zone, like `09:30`.
    pub fn hhmm(&self, t: OffsetDateTime) -> String {
        let local = self.local(t);
        format!("{:02}:{:02}", local.hour, local.minute)
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
    fn a_zone_typed_in_any_case_is_kept_as_the_database_spells_it() {
        assert_eq!(Zone::parse("america/new_york").expect("known").name(), "America/New_York");
        assert_eq!(Zone::parse("utc").expect("known").name(), "UTC");
    }

    #[test]
    fn abbreviations_and_fixed_offsets_are_refused_with_the_place_to_use() {
        let e = Zone::parse("EST").expect_err("an abbreviation");
        assert!(e.to_string().contains("daylight saving") && e.to_string().contains("America/New_York"), "{e}");
        let e = Zone::parse("CET").expect_err("an abbreviation");
        assert!(e.to_string().contains("Europe/Berlin"), "{e}");
        assert!(Zone::parse("Etc/GMT+5").is_err(), "a fixed offset");
        assert!(Zone::parse("US/Eastern").is_err(), "a legacy alias");
    }

    #[test]
    fn a_zone_stored_as_an_abbreviation_reads_as_the_place_it_means() {
        assert_eq!(Zone::from_stored("EST").map(|z| z.name().to_owned()).as_deref(), Some("America/New_York"));
        assert_eq!(Zone::from_stored("Europe/Paris").map(|z| z.name().to_owned()).as_deref(), Some("Europe/Paris"));
        assert!(Zone::from_stored("Mars/Olympus").is_none());
    }

    #[test]
    fn the_choices_are_places_and_utc_sorted() {
        let all = Zone::choices();
        assert!(all.len() > 300, "{}", all.len());
        assert!(all.iter().any(|z| z == "Europe/Berlin") && all.iter().any(|z| z == "UTC"));
        assert!(!all.iter().any(|z| z == "EST" || z.starts_with("Etc/") || z.starts_with("US/")));
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert!(all.iter().all(|z| Zone::parse(z).is_ok()), "every choice is accepted");
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

    fn day(s: &str) -> Date {
        Date::parse(s).expect("date")
    }

    #[test]
    fn a_local_time_is_the_instant_the_zone_clocks_show_it() {
        let ny = Zone::parse("America/New_York").expect("zone");
        let winter = ny.at_local(day("2027-01-11"), 10, 0).expect("instant");
        assert_eq!(winter, time::macros::datetime!(2027-01-11 15:00 UTC));
        let summer = ny.at_local(day("2027-07-12"), 10, 0).expect("instant");
        assert_eq!(summer, time::macros::datetime!(2027-07-12 14:00 UTC));
        assert_eq!(ny.hhmm(winter), "10:00");
        assert_eq!(ny.hhmm(summer), "10:00");
        assert_eq!(ny.at_local(day("2027-01-11"), 24, 0), None);
        assert_eq!(ny.at_local(day("2027-01-11"), 9, 60), None);
    }

    #[test]
    fn an_instant_reads_as_the_local_day_weekday_and_clock_time() {
        // Monday 00:30 UTC is still Sunday evening in Los Angeles and Monday morning in Tokyo.
        let t = time::macros::datetime!(2027-01-11 00:30 UTC);
        let la = Zone::parse("America/Los_Angeles").expect("zone").local(t);
        assert_eq!(la, LocalTime { day: day("2027-01-10"), weekday: time::Weekday::Sunday, hour: 16, minute: 30 });
        let tokyo = Zone::parse("Asia/Tokyo").expect("zone").local(t);
        assert_eq!(tokyo, LocalTime { day: day("2027-01-11"), weekday: time::Weekday::Monday, hour: 9, minute: 30 });
        assert_eq!(Zone::parse("Asia/Kolkata").expect("zone").hhmm(t), "06:00");
    }

    #[test]
    fn a_local_time_skipped_by_daylight_saving_resolves_after_the_jump() {
        // New York clocks jump from 02:00 to 03:00 on 2027-03-14: 02:30 does not exist.
        let ny = Zone::parse("America/New_York").expect("zone");
        let t = ny.at_local(day("2027-03-14"), 2, 30).expect("a gap still gives an instant");
        assert_eq!(t, time::macros::datetime!(2027-03-14 07:30 UTC));
        assert_eq!(ny.hhmm(t), "03:30");
    }

    #[test]
    fn a_local_time_repeated_by_daylight_saving_resolves_to_its_first_occurrence() {
        // New York clocks go back from 02:00 to 01:00 on 2027-11-07: 01:30 happens twice.
        let ny = Zone::parse("America/New_York").expect("zone");
        let t = ny.at_local(day("2027-11-07"), 1, 30).expect("instant");
        assert_eq!(t, time::macros::datetime!(2027-11-07 05:30 UTC));
        assert_eq!(ny.hhmm(t), "01:30");
    }
}
