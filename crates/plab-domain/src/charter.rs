//! The lab rules (protocol step 2) both partners accept before a pair is active.

pub struct LabRule {
    pub title: &'static str,
    pub text: &'static str,
}

pub const LAB_RULES: [LabRule; 3] = [
    LabRule {
        title: "The hierarchy-free zone",
        text: "Titles are left at the door. In the lab there are two roles only: the Lead Learner (the senior leader) and the Subject Matter Expert (the junior mentor).",
    },
    LabRule {
        title: "Curiosity over judgment",
        text: "The Lead Learner asks and listens (\"Tell me more about that\", \"What do you see that I might be missing?\") and resists the urge to teach, debate or defend.",
    },
    LabRule {
        title: "What is shared in the lab stays in the lab",
        text: "Confidentiality is the foundation of trust: notes belong to the pair alone, and no sponsor or administrator can read them.",
    },
];
