//! "Why you were paired": the engine's stored reasons for one pair, turned
//! into sentences for one of its partners, from their own point of view.
//! Only what the engine said about this pair is used; a reason this module
//! does not recognise is left out rather than shown raw, so no score, other
//! candidate or engine wording can reach a partner through it.
use crate::program::Role;

/// The kind of pairing as a partner reads it (the engine's `topic`,
/// `tension` and `strategic`).
pub fn kind_sentence(kind: &str, viewer: Role) -> Option<&'static str> {
    let leader = viewer != Role::Mentor;
    Some(match (kind, leader) {
        ("topic", true) => {
            "A pairing on your topic: your mentor's perspectives fit the themes of your research question."
        }
        ("topic", false) => {
            "A pairing on a topic: the perspectives you offered fit the themes of your leader's research question."
        }
        ("tension", true) => {
            "A pairing for constructive tension: your mentor's time here and place in the organisation differ enough from yours to test your assumptions."
        }
        ("tension", false) => {
            "A pairing for constructive tension: your time here and place in the organisation differ enough from your leader's that your view can test their assumptions."
        }
        ("strategic", true) => {
            "A strategic pairing: your mentor works close to the customers or market your work needs to see."
        }
        ("strategic", false) => {
            "A strategic pairing: you work close to the customers or market your leader's work needs to see."
        }
        _ => return None,
    })
}

/// The sentences one partner reads: the kind first, then each reason the
/// engine gave for this pair, in its order.
pub fn sentences(kind: &str, reasons: &[String], viewer: Role) -> Vec<String> {
    let mut out: Vec<String> = kind_sentence(kind, viewer).map(str::to_owned).into_iter().collect();
    for reason in reasons {
        if let Some(s) = reason_sentence(reason.trim(), viewer)
            && !out.contains(&s)
        {
            out.push(s);
        }
    }
    out
}

/// One engine reason (see `plab-engine`'s `scoring/reasons.rs`) as a sentence
/// for the viewer; `None` for a reason of a shape this module does not know.
fn reason_sentence(reason: &str, viewer: Role) -> Option<String> {
    let leader = viewer != Role::Mentor;
    if let Some(themes) = reason.strip_prefix("both care about ") {
        return Some(if leader {
            format!("Your research question is about {themes}, which your mentor offered to speak to.")
        } else {
            format!("Your leader's research question is about {themes}, which you offered to speak to.")
        });
    }
    if let Some(topic) = reason.strip_prefix("both about ") {
        return Some(if leader {
            format!("Your question and one of your mentor's perspectives are both about {topic}.")
        } else {
            format!("One of the perspectives you offered, {topic}, is what your leader's question is about.")
        });
    }
    if let Some(years) = reason.strip_suffix(" years of tenure between them") {
        let years: u32 = years.trim().parse().ok()?;
        return Some(if leader {
            format!("About {years} years of tenure separate you: your mentor sees the organisation with newer eyes.")
        } else {
            format!("About {years} years of tenure separate you: your newer view is what your leader came for.")
        });
    }
    if let Some(levels) = reason.strip_suffix(" levels apart") {
        let levels: u32 = levels.trim().parse().ok()?;
        return Some(if leader {
            format!("{levels} levels separate you: you hear a view that rarely reaches your meetings.")
        } else {
            format!("{levels} levels separate you: you bring a view that rarely reaches your leader's meetings.")
        });
    }
    if let Some(depts) = reason.strip_prefix("different departments: ") {
        let (leader_dept, mentor_dept) = depts.split_once(" and ")?;
        return Some(if leader {
            format!("You work in {leader_dept} and your mentor in {mentor_dept}: a view from outside your department.")
        } else {
            format!(
                "You work in {mentor_dept} and your leader in {leader_dept}: you show them their work from outside."
            )
        });
    }
    if let Some((mentor_dept, customers)) = reason.split_once(" sits next to ") {
        let customers = customers.strip_suffix(" customers")?;
        let leader_dept = customers.strip_suffix("'s").or_else(|| customers.strip_suffix('\''))?;
        return Some(if leader {
            format!("Your mentor works in {mentor_dept}, close to the customers of {leader_dept}.")
        } else {
            format!("You work in {mentor_dept}, close to the customers of your leader's {leader_dept}.")
        });
    }
    if reason == "the best available mentor under the pairing rules" {
        return Some(if leader {
            "Your mentor was the best match the program's pairing rules allowed.".to_owned()
        } else {
            "You were the best match for your leader that the program's pairing rules allowed.".to_owned()
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_leader_and_the_mentor_read_different_sentences_about_the_same_pair() {
        let r = reasons(&[
            "both about TikTok campaigns",
            "both care about the brand",
            "different departments: Sales and Ops",
        ]);
        let leader = sentences("topic", &r, Role::Leader);
        let mentor = sentences("topic", &r, Role::Mentor);
        assert_eq!(leader.len(), 4, "{leader:?}");
        assert_eq!(mentor.len(), 4, "{mentor:?}");
        assert!(leader[0].contains("your mentor's perspectives fit"), "{leader:?}");
        assert!(mentor[0].contains("the perspectives you offered"), "{mentor:?}");
        assert!(leader[1].contains("TikTok campaigns") && mentor[1].contains("TikTok campaigns"));
        assert!(leader[3].starts_with("You work in Sales and your mentor in Ops"), "{leader:?}");
        assert!(mentor[3].starts_with("You work in Ops and your leader in Sales"), "{mentor:?}");
        for (l, m) in leader.iter().zip(&mentor) {
            assert_ne!(l, m);
        }
    }

    #[test]
    fn each_kind_the_engine_names_has_its_own_sentence() {
        for kind in ["topic", "tension", "strategic"] {
            let l = kind_sentence(kind, Role::Leader).expect("leader");
            let m = kind_sentence(kind, Role::Mentor).expect("mentor");
            assert_ne!(l, m);
        }
        assert_eq!(kind_sentence("unknown", Role::Leader), None);
    }

    #[test]
    fn tenure_levels_and_customers_are_told_from_each_side() {
        let r =
            reasons(&["Support sits next to Sales' customers", "12 years of tenure between them", "5 levels apart"]);
        let leader = sentences("strategic", &r, Role::Leader);
        assert!(
            leader.contains(&"Your mentor works in Support, close to the customers of Sales.".to_owned()),
            "{leader:?}"
        );
        assert!(leader.iter().any(|s| s.starts_with("About 12 years of tenure")), "{leader:?}");
        assert!(leader.iter().any(|s| s.starts_with("5 levels separate you")), "{leader:?}");
        let mentor = sentences("strategic", &r, Role::Mentor);
        assert!(mentor.contains(&"You work in Support, close to the customers of your leader's Sales.".to_owned()));
        let finance = sentences("strategic", &reasons(&["Support sits next to Finance's customers"]), Role::Leader);
        assert!(finance[1].ends_with("customers of Finance."), "{finance:?}");
    }

    #[test]
    fn an_unknown_reason_is_left_out_so_no_score_or_other_name_slips_through() {
        let r = reasons(&["score 0.93 against Name X2 (second best 0.81)", "both care about the product"]);
        let out = sentences("topic", &r, Role::Leader);
        assert_eq!(out.len(), 2, "{out:?}");
        for s in &out {
            assert!(!s.contains("0.") && !s.contains("X2") && !s.contains("score"), "{s}");
        }
        // A malformed number is left out too rather than shown as it came.
        assert_eq!(sentences("topic", &reasons(&["many years of tenure between them"]), Role::Mentor).len(), 1);
    }

    #[test]
    fn the_fallback_reason_still_reads_as_a_sentence() {
        let out = sentences("topic", &reasons(&["the best available mentor under the pairing rules"]), Role::Mentor);
        assert_eq!(out[1], "You were the best match for your leader that the program's pairing rules allowed.");
    }
}
