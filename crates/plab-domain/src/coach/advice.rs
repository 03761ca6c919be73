//! What the coach says about each missed criterion: a stable code, what is
//! wrong in plain words, and a concrete way to fix it.
use super::Finding;

/// One missed criterion, with the words of the question that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Issue {
    Wish(String),
    Topic,
    NotAQuestion,
    YesNo,
    SelfHelp(String),
    VagueObject(String),
    NoObject,
    GenerationLabel(String),
    VagueGroup(String),
    NoGroup,
    NoPurpose,
    TooBroad(String),
    BeyondMentor(String),
    TooShort,
    VagueAim(String),
}

const REFRAME: &str = "State what you believe and want to test: 'My hypothesis is that … and I want \
                       to understand why', or ask an open question: 'Why do … ?', 'How do … ?', \
                       'What makes … ?'";
const NAME_OBJECT: &str = "Name the channel, tool, meeting, process, product or customer group you \
                           mean (e.g. 'our Friday demo', 'the CRM', 'our mobile checkout')";
const NAME_GROUP: &str = "Describe the real people you mean by role, team, tenure or situation \
                          (e.g. 'hybrid early-career employees', 'buyers under 35', 'new hires in \
                          support')";

impl Issue {
    pub fn code(&self) -> &'static str {
        match self {
            Issue::Wish(_) => "wish_not_question",
            Issue::Topic => "topic_not_question",
            Issue::NotAQuestion => "not_a_question",
            Issue::YesNo => "yes_no_question",
            Issue::SelfHelp(_) => "generic_question",
            Issue::VagueObject(_) => "vague_object",
            Issue::NoObject => "no_object",
            Issue::GenerationLabel(_) => "generation_label",
            Issue::VagueGroup(_) => "vague_group",
            Issue::NoGroup => "no_group",
            Issue::NoPurpose => "no_purpose",
            Issue::TooBroad(_) => "too_broad",
            Issue::BeyondMentor(_) => "beyond_mentor",
            Issue::TooShort => "too_short",
            Issue::VagueAim(_) => "vague_aim",
        }
    }

    fn message(&self) -> String {
        match self {
            Issue::Wish(phrase) => format!(
                "'{phrase}' states a wish to learn, not a question to investigate: nothing tells \
                 your mentor what to look for."
            ),
            Issue::Topic => "This names a topic, not a question or a belief to test.".to_owned(),
            Issue::NotAQuestion => "This is a statement; it does not say what you want to find out.".to_owned(),
            Issue::YesNo => "A yes or a no would answer this, and the conversation would stop there.".to_owned(),
            Issue::SelfHelp(phrase) => format!(
                "'{phrase}' asks for general advice about yourself; it could be asked in any \
                 organisation and points at nothing your mentor has seen."
            ),
            Issue::VagueObject(word) => {
                format!("'{word}' is a broad area, not something your mentor has seen first-hand.")
            }
            Issue::NoObject => "The question does not name a practice, channel, tool, product or process.".to_owned(),
            Issue::GenerationLabel(label) => format!(
                "'{label}' is a label for a generation, not a group you can meet; it invites \
                 stereotypes instead of observations."
            ),
            Issue::VagueGroup(word) => {
                format!("'{word}' does not say whose experience you want to hear about.")
            }
            Issue::NoGroup => "The question does not say whose experience it is about.".to_owned(),
            Issue::NoPurpose => {
                "It does not say what you might decide, change or do differently with the answer.".to_owned()
            }
            Issue::TooBroad(phrase) => {
                format!("'{phrase}' makes the question too broad to explore in a few sessions.")
            }
            Issue::BeyondMentor(phrase) => format!(
                "'{phrase}' is something a junior colleague is unlikely to see from where they \
                 sit."
            ),
            Issue::TooShort => "The question is too short to show what you want to find out.".to_owned(),
            Issue::VagueAim(phrase) => format!(
                "'{phrase}' is an aim about you or the times, and nothing else in the question \
                 names a practice or people your mentor could show you: its length and polish add \
                 nothing to investigate."
            ),
        }
    }

    fn suggestion(&self) -> String {
        let text = match self {
            Issue::Wish(_) | Issue::Topic | Issue::NotAQuestion => REFRAME,
            Issue::YesNo => {
                "Ask it openly: 'How do … use …?', 'Why do … prefer …?', 'What would make … \
                 change …?'"
            }
            Issue::SelfHelp(_) => {
                "Ask about what others do and why instead: 'Why do new analysts skip our Friday \
                 demo?', 'What makes interns prefer one tool over another?'"
            }
            Issue::VagueObject(_) | Issue::NoObject | Issue::VagueAim(_) => NAME_OBJECT,
            Issue::GenerationLabel(_) | Issue::VagueGroup(_) | Issue::NoGroup => NAME_GROUP,
            Issue::NoPurpose => {
                "Add what the answer is for: '… so that we can decide …', '… and what should I \
                 change in …?'"
            }
            Issue::TooBroad(_) => "Narrow it to one practice, product or group your mentor knows first-hand.",
            Issue::BeyondMentor(_) => {
                "Ask about what they experience: how they, their peers or customers use, choose \
                 or react to something."
            }
            Issue::TooShort => "Say who, what and why, e.g. 'Why do new analysts skip our Friday demo?'",
        };
        text.to_owned()
    }

    pub fn into_finding(self) -> Finding {
        Finding { code: self.code().to_owned(), message: self.message(), suggestion: self.suggestion() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_has_a_snake_case_code_a_message_and_a_suggestion() {
        let all = [
            Issue::Wish("i want".into()),
            Issue::Topic,
            Issue::NotAQuestion,
            Issue::YesNo,
            Issue::SelfHelp("how do i connect".into()),
            Issue::VagueObject("tech".into()),
            Issue::NoObject,
            Issue::GenerationLabel("gen z".into()),
            Issue::VagueGroup("people".into()),
            Issue::NoGroup,
            Issue::NoPurpose,
            Issue::TooBroad("everything".into()),
            Issue::BeyondMentor("market share".into()),
            Issue::TooShort,
            Issue::VagueAim("stay relevant".into()),
        ];
        for issue in all {
            let f = issue.into_finding();
            assert!(f.code.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", f.code);
            assert!(!f.message.is_empty() && !f.suggestion.is_empty());
        }
    }
}
