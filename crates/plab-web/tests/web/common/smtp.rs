//! The shared SMTP sink (`plab_store::testing::smtp`), and the events of what
//! arrives read with the `icalendar` crate's parser, as a calendar client would.
pub use plab_store::testing::smtp::{Mail, Sink, free_port};

/// One `VEVENT` as a calendar client reads it: its properties by name (the
/// first of each), with every `ATTENDEE`.
#[derive(Debug, Clone)]
pub struct Event {
    pub props: std::collections::BTreeMap<String, String>,
    pub params: std::collections::BTreeMap<String, Vec<(String, String)>>,
    pub attendees: Vec<String>,
}

impl Event {
    pub fn get(&self, name: &str) -> &str {
        self.props.get(name).map_or("", String::as_str)
    }

    pub fn uid(&self) -> &str {
        self.get("UID")
    }

    pub fn sequence(&self) -> i64 {
        self.get("SEQUENCE").parse().expect("SEQUENCE is a number")
    }

    /// DTSTART, which must be UTC (`…Z`).
    pub fn start(&self) -> time::OffsetDateTime {
        let raw = self.get("DTSTART");
        let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
        time::PrimitiveDateTime::parse(raw, format).unwrap_or_else(|_| panic!("DTSTART '{raw}' is UTC")).assume_utc()
    }
}

/// A calendar's `METHOD` (if any) and events, read by the `icalendar` crate's parser.
pub fn read_ics(text: &str) -> (Option<String>, Vec<Event>) {
    let unfolded = icalendar::parser::unfold(text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("RFC 5545 text");
    let method = cal.properties.iter().find(|p| p.name.as_str() == "METHOD").map(|p| p.val.as_str().to_owned());
    let events = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| {
            let mut props = std::collections::BTreeMap::new();
            let mut params = std::collections::BTreeMap::new();
            let mut attendees = Vec::new();
            for p in &c.properties {
                let name = p.name.as_str().to_owned();
                if name == "ATTENDEE" {
                    attendees.push(p.val.as_str().to_owned());
                }
                let ps = p
                    .params
                    .iter()
                    .map(|x| {
                        (x.key.as_str().to_owned(), x.val.as_ref().map(|v| v.as_str().to_owned()).unwrap_or_default())
                    })
                    .collect();
                params.entry(name.clone()).or_insert(ps);
                props.entry(name).or_insert_with(|| p.val.as_str().to_owned());
            }
            Event { props, params, attendees }
        })
        .collect();
    (method, events)
}
