//! The rubric's vocabulary: which words frame a question, name an observable
//! object, describe a real group or state a purpose. Themes and key terms
//! have their own lists in `themes.rs` and `terms.rs`.
use super::lexicon::lexicon;

lexicon!(
    /// A belief to test: the strongest framing.
    hypothesis_markers => [
        "my hypothesis", "our hypothesis", "hypothesis is", "i hypothesise", "i hypothesize",
        "i suspect", "we suspect", "we believe", "i assume", "my assumption", "our assumption",
        "i guess that", "my hunch", "i have a hunch", "i think that", "i think our", "i think my",
        "we think that", "i expect that", "test whether", "test if", "test that",
        "find out whether", "find out if", "check whether", "check if", "prove whether",
        "validate whether", "i wonder whether", "i wonder if", "i have a feeling", "i sense that",
        "i doubt that",
    ]
);

lexicon!(
    /// A wish to learn about a topic or to become something, not a question.
    wish_markers => [
        "i want", "we want", "i'd like", "i would like", "we'd like", "we would like",
        "i would love", "i need to", "we need to", "i wish", "i hope", "i'm hoping", "help me",
        "teach me", "show me", "tell me about", "be better", "become better", "become more",
        "be more", "get more", "stay relevant", "remain relevant", "keep up", "keep pace",
        "catch up", "get up to speed", "up to speed", "learn about", "know more", "let's chat",
        "let's talk", "chat about", "talk about", "stay current", "stay ahead", "fall behind",
        "be relevant", "more savvy", "tech savvy", "get comfortable", "more comfortable",
        "i'm curious about", "curious about",
    ]
);

lexicon!(
    /// Verbs that introduce an embedded question ("I want to understand why…").
    inquiry_verbs => [
        "understand", "learn", "know", "see", "find", "explore", "discover", "test", "hear",
        "figure", "wonder", "investigate", "check", "explain", "identify", "map", "uncover",
        "study", "examine", "establish", "determine", "clarify", "grasp", "out", "curious",
        "interested", "wonder",
    ]
);

lexicon!(
    /// Verbs after "how do I / how can we" that turn a question into self-help.
    self_help_verbs => [
        "be", "get", "become", "connect", "relate", "keep", "stay", "understand", "know", "learn",
        "build", "engage", "attract", "appeal", "reach out", "bond", "bridge", "win", "impress",
        "talk to", "speak to", "deal with", "manage", "handle", "inspire", "motivate",
    ]
);

lexicon!(
    /// Labels for a whole generation: a stereotype, not a group one can meet.
    generation_labels => [
        "gen z", "genz", "gen y", "gen alpha", "generation z", "generation y", "millennial",
        "zoomer", "boomer", "young people", "young person", "younger people", "young ones",
        "younger generation", "young generation", "next generation", "new generation", "the youth",
        "youth of today", "youngster", "kids", "today's youth", "digital native", "the young",
        "younger folk", "young folk", "generational", "the generation", "other generation", "gen",
        "generation",
    ]
);

lexicon!(
    /// Topics too broad for a mentor to speak to first-hand.
    vague_objects => [
        "tech", "technology", "technologies", "digital", "trend", "culture", "stuff", "thing",
        "innovative", "future", "world", "workplace", "modern", "the times", "social", "work",
        "business", "things", "everything", "life", "change", "latest", "purpose", "society",
    ]
);

lexicon!(
    /// Scope so wide no mentor could answer it in a few sessions.
    broad_scope => [
        "everything", "everyone", "the world", "society", "in general", "all generations",
        "the future", "future of work", "the whole industry", "anything", "the next decade",
        "every generation", "whole world", "the entire",
    ]
);

lexicon!(
    /// Facts a junior colleague would not see from where they sit.
    beyond_mentor => [
        "market share", "share price", "revenue forecast", "acquisition", "merger", "investor",
        "board strategy", "five-year strategy", "five year strategy", "valuation", "m&a",
        "stock price", "profit margin",
    ]
);

lexicon!(
    /// Observable behaviour and friction: what a junior colleague has seen happen.
    behaviours => [
        "skip", "avoid", "abandon", "ignore", "leave", "quit", "resign", "churn", "decline",
        "turn down", "stay silent", "silent", "silence", "drop off", "drop out", "work around",
        "workaround", "prefer", "switch", "choose", "chose", "refuse", "delay", "miss", "forget",
        "struggle", "friction", "confuse", "confusing", "frustrate", "frustrating", "annoy",
        "annoying", "embarrass", "waste", "complain", "complaint", "barrier", "obstacle",
        "pain point", "fail", "mistake", "disengage", "reject", "hold back", "stop", "admit",
        "hide", "opt out", "unsubscribe", "bypass", "give up", "shut down", "push back", "disagree",
        "react", "stall", "unsafe", "afraid", "reluctant", "hesitant", "worry", "cancel",
    ]
);

lexicon!(
    /// What the leader would decide, change or improve with the answer.
    purpose_markers => [
        "so that", "so we can", "so i can", "so we", "so i", "so they", "in order to", "to decide",
        "decide", "decision", "change", "improve", "reduce", "increase", "simplify", "fix",
        "redesign", "rethink", "prioritise", "prioritize", "adopt", "roll out", "invest",
        "before we", "before our", "before rolling", "what would make", "what would help",
        "what could", "help them", "keep them", "retain", "replace", "shape our", "inform",
        "to help", "easier", "differently", "model this", "what to change", "act on", "make it",
        "convince", "encourage", "raise", "lower", "speed up", "boost", "strengthen", "address",
        "remove", "drop", "stop sending", "build into", "would keep", "would make", "would help",
        "attract", "what needs", "make them", "design", "plan our", "where to put", "redirect",
        "copy first",
    ]
);

lexicon!(
    /// Named practices, channels, tools, products, meetings and processes.
    concrete_objects => [
        // tools and channels
        "app", "chatbot", "bot", "chatgpt", "copilot", "github copilot", "slack", "microsoft teams",
        "teams channel", "zoom", "email", "newsletter", "intranet", "wiki", "sharepoint", "notion",
        "confluence", "trello", "crm", "salesforce", "erp", "excel", "spreadsheet", "dashboard",
        "tableau", "tiktok", "instagram", "linkedin", "whatsapp", "youtube", "snapchat", "twitter",
        "reddit", "discord", "podcast", "blog", "website", "portal", "channel", "forum",
        "messaging", "text message", "sms", "video call", "webinar", "laptop", "kiosk",
        "self-checkout", "scanner", "software", "database", "github", "code review", "pull request",
        "ticket", "helpdesk", "help desk", "service desk", "hotline", "careers page", "demo",
        "standup", "stand-up", "retro", "retrospective", "all-hands", "all hands", "town hall",
        "huddle", "handover", "briefing", "one-to-one", "1:1", "check-in", "offsite", "away day",
        "q&a", "planning call", "kickoff", "weekly meeting", "leadership meeting", "team meeting",
        "monday meeting", "board meeting", "morning meeting", "call",
        // people processes
        "appraisal", "performance review", "review process", "review cycle", "survey",
        "engagement survey", "pulse survey", "onboarding", "induction", "orientation", "training",
        "program", "scheme", "course", "workshop", "rotation", "mentoring scheme",
        "mentoring program", "coaching", "buddy system", "buddy", "job board", "job posting",
        "internal move", "promotion", "promotion cycle", "career path", "career ladder", "track",
        "policy", "handbook", "parental leave", "dress code", "uniform", "rota", "roster",
        "schedule", "scheduling", "shift pattern", "overtime", "bonus", "salary", "benefit",
        "award", "volunteering", "volunteering day", "hackathon", "suggestion box", "approval",
        "sign-off", "expense", "timesheet", "form", "checklist", "template", "agenda", "slide",
        "presentation", "deck", "memo", "announcement", "interview", "internship", "apprenticeship",
        "exit interview", "staffing process", "on-call", "rotation", "purpose statement",
        "mission statement", "values statement", "esg", "staffing process", "hiring process",
        "job ad", "job advert",
        // products and customer journeys
        "campaign", "ad", "logo", "tagline", "slogan", "sponsorship", "packaging", "store layout",
        "in-store", "checkout", "basket", "cart", "subscription", "pricing", "price",
        "premium tier", "tier", "loyalty program", "feature", "release", "sign-up", "signup",
        "login", "claim", "claim form", "mortgage", "loan", "calculator", "invoice", "delivery",
        "refund", "menu", "in-app purchase", "purchase", "game", "notification", "receipt",
        "branch", "counter", "queue", "waiting room", "production line", "assembly line", "machine",
        "maintenance", "inspection", "safety check", "incident", "incident report", "deployment",
        "online banking", "mobile banking", "insurance", "policy document", "music", "flow",
        "onboarding flow", "prescription", "patient portal", "report", "reporting", "budget",
        "workflow", "process", "tool", "platform", "canteen", "cafeteria", "parking", "car park",
        "desk", "hot desk", "kitchen", "break room", "floor plan", "shift", "night shift",
        "contact centre", "call centre", "clinic", "warehouse", "career fair", "open day",
    ]
);

lexicon!(
    /// Objects that point somewhere but stay broad ("AI", "our values", "meetings").
    semi_objects => [
        "ai", "artificial intelligence", "social media", "meeting", "value", "brand", "reputation",
        "image", "strategy", "career", "career growth", "development", "hybrid work", "remote work",
        "hybrid working", "flexible working", "data", "product", "service", "experience",
        "customer experience", "competitor", "feedback", "communication", "collaboration",
        "automation", "mission", "sustainability", "diversity", "inclusion", "wellbeing",
        "productivity", "engagement", "motivation", "workload", "decision-making", "marketing",
        "learning and development", "online", "mobile", "trust", "belonging", "metaverse", "crypto",
        "blockchain", "virtual reality", "ethics", "pay", "benefits", "flexibility", "hiring",
        "customer service", "support", "perception", "idea", "growth",
    ]
);

lexicon!(
    /// Roles and segments that name real people on their own.
    occupations => [
        "analyst", "nurse", "physician", "surgeon", "midwife", "pharmacist", "engineer",
        "developer", "programmer", "designer", "intern", "apprentice", "graduate", "trainee",
        "technician", "driver", "teacher", "lecturer", "consultant", "accountant", "auditor",
        "packer", "case worker", "social worker", "planner", "researcher", "clerk", "associate",
        "agent", "rep", "representative", "salesperson", "advisor", "adviser", "officer",
        "inspector", "manager", "project manager", "product manager", "team lead", "supervisor",
        "coordinator", "specialist", "architect", "tester", "marketer", "recruiter", "buyer",
        "subscriber", "student", "parent", "patient", "gamer", "joiner", "new joiner", "hire",
        "new hire", "starter", "new starter", "recruit", "newcomer", "partner", "paralegal",
        "lawyer", "solicitor", "chef", "waiter", "barista", "host", "receptionist", "mechanic",
        "electrician", "welder", "machinist", "carer", "care worker", "paramedic", "pilot",
        "cabin crew", "guard", "courier", "warehouse staff", "store associate", "shift worker",
        "field technician", "sales rep", "homebuyer", "home buyer", "first-time buyer", "borrower",
        "saver", "passenger", "guest", "tenant", "volunteer", "member of staff", "grandchild",
        "family", "apprenticeship", "women", "woman", "mother", "father", "carer", "veteran",
        "contractor", "freelancer", "frontline", "call-centre agent", "nurses",
    ]
);

lexicon!(
    /// People words that need a qualifier to become a real group.
    generic_people => [
        "people", "person", "employee", "staff", "worker", "colleague", "customer", "user",
        "client", "consumer", "audience", "team", "folk", "junior", "leader", "individual", "human",
        "talent", "workforce", "direct report", "peer", "anyone",
    ]
);

lexicon!(
    /// Qualifiers that turn "staff" into "new hires in support".
    group_qualifiers => [
        "new", "newly", "junior", "early career", "early-career", "first-year", "first year",
        "first-time", "first time", "recent", "recently", "hybrid", "remote", "part-time",
        "part time", "full-time", "frontline", "front-line", "night", "shift", "field",
        "entry-level", "entry level", "contract", "temporary", "seasonal", "regional", "under",
        "aged", "in their", "sales", "finance", "marketing", "engineering", "operations", "support",
        "customer support", "customer service", "hr", "it", "data", "leadership", "product",
        "design", "legal", "retail", "store", "warehouse", "call centre", "call center",
        "logistics", "production", "plant", "branch", "audit", "claims", "compliance",
        "procurement", "research", "executive", "management", "project", "delivery", "service",
        "kitchen", "factory", "site", "depot", "business", "digital-native", "graduate", "women",
        "returning", "disabled", "neurodivergent", "international", "overseas", "rural",
        "night-shift", "youngest", "long-serving", "senior", "my finance", "on-call", "on the",
    ]
);

lexicon!(
    /// Age words: a start, but not yet a group ("younger customers").
    age_only => ["young", "younger", "youngest", "older", "old", "teenage", "teen"]
);

lexicon!(
    /// Time and frequency that make a question observable.
    timeframes => [
        "first year", "first week", "first month", "first day", "every week", "each day",
        "every day", "daily", "weekly", "monthly", "quarterly", "night shift", "morning", "evening",
        "after", "before", "year", "month", "week", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday",
    ]
);

lexicon!(
    /// Signs that something goes wrong today: the answer would lead to a fix.
    problem_signals => ["not", "never", "rarely", "nobody", "no one", "hardly", "seldom", "fail"]
);

lexicon!(
    /// Verbs that, with "better" or "more", describe wanting to be something
    /// rather than changing something ("be better at tech").
    self_states => ["be", "get", "become", "feel", "understand", "know", "learn", "stay", "keep"]
);

lexicon!(
    /// Comparatives that name a desired outcome ("make meetings more inclusive").
    outcome_comparatives => [
        "better", "more", "less", "easier", "faster", "clearer", "fewer", "simpler", "safer",
        "more effectively", "more often",
    ]
);

lexicon!(
    /// Listed objects that stay generic until a word narrows them.
    generic_heads => [
        "process", "tool", "platform", "program", "scheme", "policy", "report", "form", "course",
        "training", "channel", "workflow", "call", "track", "schedule",
    ]
);

lexicon!(
    /// Aims about the leader or the times rather than something a mentor can
    /// observe (the protocol's "weak goals"): however fluent, they name no
    /// practice and no people.
    vague_aims => [
        "relevant", "modern", "modern leader", "trend", "emerging", "evolving", "missing",
        "what matters", "really matters", "matters most", "keep pace", "keeping pace",
        "constant change", "is changing", "out of touch", "going on", "big shifts", "shift in",
        "new ways of working", "ways of working", "years ahead", "coming years", "in my shoes",
        "my shoes", "my style", "leadership style", "mindset", "effective leader",
        "better leader", "current", "dated", "age of", "what drives them", "aware of",
        "paying attention", "adapt", "think differently", "fresh perspective", "perspective",
        "open mind", "stay connected", "out there", "way of leading", "lead in a way",
    ]
);
