//! Calendar dates in ISO `YYYY-MM-DD`, the only date format the product reads.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::macros::format_description;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date in YYYY-MM-DD form")]
pub struct DateError(pub String);

const ISO: &[time::format_description::FormatItem<'static>] = format_description!("[year]-[month]-[day]");

impl Date {
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        if s.len() != 10 {
            return Err(DateError(s.to_owned()));
        }
        time::Date::parse(s, ISO).map(Date).map_err(|_| DateError(s.to_owned()))
    }

    /// The UTC calendar day of an instant.
    pub fn of_instant(t: time::OffsetDateTime) -> Date {
        Date(t.to_offset(time::UtcOffset::UTC).date())
    }

    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day).ok().map(Date)
    }

    /// Days since 1970-01-01 (negative before), handy for arithmetic in the engine.
    pub fn days_since_epoch(self) -> i64 {
        i64::from(self.0.to_julian_day()) - 2_440_588
    }

    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let jd = i32::try_from(days + 2_440_588).ok()?;
        time::Date::from_julian_day(jd).ok().map(Date)
    }

    /// This day, or the Monday after it when it falls on a weekend.
    pub fn or_next_weekday(self) -> Date {
        let mut day = self.0;
        while matches!(day.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) {
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        Date(day)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The Monday of this day's ISO week (the day itself on a Monday).
    pub fn monday_of_week(self) -> Date {
        let back = i64::from(self.0.weekday().number_days_from_monday());
        Date::from_days_since_epoch(self.days_since_epoch() - back).unwrap_or(self)
    }

    /// `days` later (earlier when negative); the same day when out of range.
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + days).unwrap_or(self)
    }

    /// The start of this day in UTC.
    pub fn midnight_utc(self) -> time::OffsetDateTime {
        self.0.midnight().assume_utc()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_date_round_trips() {
        let d = Date::parse("2019-03-07").expect("valid");
        assert_eq!(d.to_string(), "2019-03-07");
        assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), Some(d));
    }

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(Date::parse("1970-01-01").expect("valid").days_since_epoch(), 0);
    }

    #[test]
    fn non_iso_dates_are_rejected() {
        for bad in ["07/03/2019", "2019-3-7", "2019-02-30", "", "yesterday"] {
            assert!(Date::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
