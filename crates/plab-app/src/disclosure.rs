//! The disclosure rule, in one place: every kind of private datum, who may
//! receive it, and the gates each channel passes a datum through. The table
//! is `docs/product.md`'s "The disclosure rule"; the adversary matrix in the
//! web tests is generated from `TABLE`, so a new datum or channel is covered
//! by adding one line here.
//!
//! The gates are what make the rule hold by construction rather than by
//! care:
//! - mail: a letter's address (`To`) can only be made here, from what the
//!   letter carries (`mail_to`): private content reaches only the sign-in
//!   address of an account in good standing bound to the person, never a
//!   directory e-mail that a file or the identity provider can change, and
//!   nothing reaches a leaver or a disabled account;
//! - the calendar feed and every sign-in: `Account::in_good_standing`;
//! - signals shown to a partner: `partner_evidence` keeps only that
//!   partner's own answers and the facts both partners see;
//! - aggregates: released only at the group size (`sessions::release_if_due`).
use plab_domain::program::Role;
use plab_domain::signals::PairEvidence;
use plab_store::{Account, Recipient};

/// A kind of private datum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Datum {
    Note,
    Homework,
    QuestionWording,
    PulseAnswer,
    CheckinAnswer,
    SelfAssessmentAnswer,
    UnsharedInsight,
    /// A partner's fit-check answer and its line (issue 23).
    FitAnswer,
    /// A leader's commitment they have not shared with their mentor.
    UnsharedCommitment,
    /// A leader's commitment shared with their mentor (never with sponsors).
    SharedCommitment,
    /// Who answered what inside any average or count of private answers.
    WhoAnsweredWhat,
    /// An answer to the close-out's exit question and its line: sponsors see counts.
    ExitAnswer,
    /// A confidential concern's text (`concerns`).
    ConcernText,
    /// Who raised a concern they sent without their name.
    AnonymousRaiser,
}

/// Who may receive a datum, relative to the person it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Receiver {
    /// The person who wrote or answered it.
    Author,
    /// The other partner of the author's pair.
    Partner,
    /// A sponsor of the author's program who is neither partner.
    Sponsor,
}

/// A way data leaves the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Page,
    Api,
    Download,
    CalendarFeed,
    Mail,
    Signal,
    Audit,
    Log,
}

/// One line of the disclosure table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub datum: Datum,
    pub receivers: &'static [Receiver],
    pub channels: &'static [Channel],
}

use Channel::{Api, CalendarFeed, Download, Mail, Page};
use Receiver::{Author, Partner, Sponsor};

/// The disclosure table. Anyone not named never receives the datum through
/// any channel; no datum ever reaches an audit entry, a log line, a leaver,
/// a disabled account or a directory e-mail that is not a sign-in address.
pub const TABLE: &[Rule] = &[
    Rule { datum: Datum::Note, receivers: &[Author, Partner], channels: &[Page, Api, Download] },
    Rule { datum: Datum::Homework, receivers: &[Author, Partner], channels: &[Page, Api, CalendarFeed, Mail] },
    // The wording also reaches the leader's sponsors when the leader shares it.
    Rule { datum: Datum::QuestionWording, receivers: &[Author, Partner], channels: &[Page, Api, CalendarFeed, Mail] },
    Rule { datum: Datum::PulseAnswer, receivers: &[Author], channels: &[Page, Api, Download] },
    Rule { datum: Datum::CheckinAnswer, receivers: &[Author, Sponsor], channels: &[Page, Api, Download] },
    Rule { datum: Datum::SelfAssessmentAnswer, receivers: &[Author], channels: &[Page, Api, Download] },
    Rule { datum: Datum::UnsharedInsight, receivers: &[Author], channels: &[Page, Api] },
    Rule { datum: Datum::FitAnswer, receivers: &[Author], channels: &[Page, Api, Download] },
    Rule { datum: Datum::UnsharedCommitment, receivers: &[Author], channels: &[Page, Api, Download] },
    Rule { datum: Datum::SharedCommitment, receivers: &[Author, Partner], channels: &[Page, Api, Download] },
    Rule { datum: Datum::WhoAnsweredWhat, receivers: &[Author], channels: &[Page, Api, Download] },
    // Only the sponsors it was routed to (outside the reporting chains of the
    // author and their partners), or the named contact; never the partner.
    Rule { datum: Datum::ConcernText, receivers: &[Author, Sponsor], channels: &[Page, Api, Download] },
    Rule { datum: Datum::AnonymousRaiser, receivers: &[Author], channels: &[Page, Api, Download] },
    // Last: the adversary matrix plants it last, as it begins the close-out.
    Rule { datum: Datum::ExitAnswer, receivers: &[Author], channels: &[Page, Api, Download] },
];

/// Whether `receiver` may be given `datum` at all.
pub fn may_receive(datum: Datum, receiver: Receiver) -> bool {
    TABLE.iter().any(|r| r.datum == datum && r.receivers.contains(&receiver))
}

/// What a message carries, which decides where it may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carries {
    /// Anything of the table, or a pair's or program's content (a research
    /// question, homework, partners' names, pairs at risk, a sign-in link).
    Private,
    /// Nothing but "there is something for you; sign in to see it".
    NothingPrivate,
}

/// Where a letter goes. Only this module makes one, so every message passes
/// the rule: a new kind of mail cannot pick an address on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct To {
    name: String,
    email: String,
}

impl To {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn email(&self) -> &str {
        &self.email
    }
}

/// The address a message about `person` carrying `what` may go to: private
/// content only to the sign-in address of their account while it is in good
/// standing; a content-free notice to that address, or else to the
/// directory's while the person has not left; otherwise nowhere.
pub fn mail_to(person: &Recipient, what: Carries) -> Option<To> {
    let email = match what {
        Carries::Private => person.sign_in.clone(),
        Carries::NothingPrivate => person.sign_in.clone().or_else(|| person.directory_email.clone()),
    }?;
    Some(To { name: person.name.clone(), email })
}

/// The address of an account's own mail (a set-password link): its sign-in
/// address, while it is in good standing on `today`.
pub fn mail_to_account(account: &Account, name: Option<String>, today: &str) -> Option<To> {
    account
        .in_good_standing(today)
        .then(|| To { name: name.unwrap_or_else(|| account.email.clone()), email: account.email.clone() })
}

/// The evidence a partner's signals may rest on: their own answers and what
/// both partners see (sessions held, cancelled and moved, homework, the
/// timer), never the other partner's private answers. The sponsor reads the
/// full evidence.
pub fn partner_evidence(mut evidence: PairEvidence, me: Role) -> PairEvidence {
    for s in &mut evidence.sessions {
        match me {
            Role::Leader => s.mentor_pulse = None,
            Role::Mentor => s.leader_pulse = None,
            Role::Sponsor => {}
        }
    }
    evidence
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(sign_in: Option<&str>, directory: Option<&str>) -> Recipient {
        Recipient {
            employee_id: "E1".into(),
            name: "Ana".into(),
            sign_in: sign_in.map(Into::into),
            directory_email: directory.map(Into::into),
            timezone: None,
            reminders: true,
            digests: true,
        }
    }

    #[test]
    fn private_mail_goes_only_to_the_sign_in_address() {
        let p = person(Some("ana@signin.test"), Some("attacker@evil.test"));
        assert_eq!(mail_to(&p, Carries::Private).map(|t| t.email), Some("ana@signin.test".into()));
        assert_eq!(mail_to(&p, Carries::NothingPrivate).map(|t| t.email), Some("ana@signin.test".into()));
    }

    #[test]
    fn a_person_without_an_account_gets_at_most_a_content_free_notice() {
        let p = person(None, Some("ana@directory.test"));
        assert_eq!(mail_to(&p, Carries::Private), None);
        assert_eq!(mail_to(&p, Carries::NothingPrivate).map(|t| t.email), Some("ana@directory.test".into()));
    }

    #[test]
    fn a_leaver_gets_no_mail_at_all() {
        let p = person(None, None);
        assert_eq!(mail_to(&p, Carries::Private), None);
        assert_eq!(mail_to(&p, Carries::NothingPrivate), None);
    }

    #[test]
    fn every_datum_has_one_rule_and_its_author_may_receive_it() {
        for d in [
            Datum::Note,
            Datum::Homework,
            Datum::QuestionWording,
            Datum::PulseAnswer,
            Datum::CheckinAnswer,
            Datum::SelfAssessmentAnswer,
            Datum::UnsharedInsight,
            Datum::FitAnswer,
            Datum::UnsharedCommitment,
            Datum::SharedCommitment,
            Datum::WhoAnsweredWhat,
            Datum::ExitAnswer,
            Datum::ConcernText,
            Datum::AnonymousRaiser,
        ] {
            assert_eq!(TABLE.iter().filter(|r| r.datum == d).count(), 1, "{d:?}");
            assert!(may_receive(d, Receiver::Author), "{d:?}");
        }
        assert!(!may_receive(Datum::PulseAnswer, Receiver::Partner));
        assert!(!may_receive(Datum::Note, Receiver::Sponsor));
        assert!(may_receive(Datum::CheckinAnswer, Receiver::Sponsor));
        assert!(!may_receive(Datum::ConcernText, Receiver::Partner));
        assert!(!may_receive(Datum::AnonymousRaiser, Receiver::Sponsor));
    }
}
