//! The rubric's vocabulary: which words frame a question, name an observable
//! object, describe a real group or state a purpose. Themes and key terms
//! have their own lists in `themes.rs` and `terms.rs`.
use super::lexicon::lexicon;

lexicon!(
    /// A belief to test: the strongest framing.
    hypothesis_markers => [
        "my hypothesis", "our hypothesis", "hypothesis is", "i hypothesise", "i hypothesize",
        "i suspect", "we suspect", "i believe", "we believe", "i assume", "we assume",
        "my assumption", "our assumption", "my guess", "i guess that", "my hunch", "i have a hunch",
        "i think that", "i think our", "i think my", "we think that", "i expect that",
        "test whether", "test if", "test that", "find out whether", "find out if", "check whether",
        "check if", "prove whether", "validate whether", "i wonder whether", "i wonder if",
        "i have a feeling", "i sense that", "i doubt that",
    ]
);

lexicon!(
    /// A wish to learn about a topic or to become something, not a question.
    wish_markers => [
        "i want", "we want", "i'd like", "i would like", "we'd like", "we would like", "i'd love",
        "i would love", "i need to", "we need to", "i wish", "i hope", "i'm hoping", "help me",
        "teach me", "show me", "tell me about", "be better", "get better", "become better",
        "become more", "be more", "get more", "stay relevant", "remain relevant", "keep up",
        "keep pace", "catch up", "get up to speed", "up to speed", "learn about", "learn more",
        "know more", "learn from", "let's chat", "let's talk", "chat about", "talk about",
        "stay current", "stay ahead", "fall behind", "be relevant", "more savvy", "tech savvy",
        "get comfortable", "more comfortable", "i'm curious about", "curious about",
    ]
);

lexicon!(
    /// Verbs that introduce an embedded question ("I want to understand why…").
    inquiry_verbs => [
        "understand", "learn", "know", "see", "find", "explore", "discover", "test", "ask", "hear",
        "figure", "wonder", "investigate", "check", "tell", "show", "explain", "identify", "map",
        "uncover", "study", "examine", "establish", "determine", "clarify", "grasp", "out",
        "curious", "interested", "wonder",
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
        "innovation", "innovative", "future", "world", "workplace", "modern", "the times", "social",
        "work", "business", "things", "everything", "life", "change", "transformation",
        "digital transformation", "what's new", "latest", "purpose", "society",
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
        "turn down", "hesitate", "stay silent", "silent", "silence", "drop off", "drop out",
        "work around", "workaround", "prefer", "switch", "choose", "chose", "refuse", "delay",
        "miss", "forget", "struggle", "stuck", "friction", "confuse", "confusing", "frustrate",
        "frustrating", "annoy", "annoying", "embarrass", "pointless", "waste", "complain",
        "complaint", "barrier", "obstacle", "pain point", "fail", "mistake", "disengage", "reject",
        "hold back", "stop", "admit", "hide", "opt out", "unsubscribe", "bypass", "give up", "lose",
        "lost", "left out", "shut down", "push back", "disagree", "react", "slow", "stall",
        "ignored", "unsafe", "fear", "blame", "afraid", "reluctant", "hesitant", "worry", "cancel",
    ]
);

lexicon!(
    /// What the leader would decide, change or improve with the answer.
    purpose_markers => [
        "so that", "so we can", "so i can", "so we", "so i", "so they", "in order to", "to decide",
        "decide", "decision", "change", "improve", "reduce", "increase", "cut", "simplify", "fix",
        "redesign", "rethink", "prioritise", "prioritize", "adopt", "roll out", "invest",
        "before we", "before the next", "before our", "before rolling", "what would make",
        "what would help", "what could", "what should", "help them", "keep them", "retain",
        "replace", "shape our", "inform", "to help", "easier", "differently", "model this",
        "what to change", "act on", "make it", "convince", "encourage", "raise", "lower",
        "speed up", "boost", "strengthen", "address", "remove", "drop", "stop sending",
        "build into", "support officially", "would reach", "would keep", "would make", "would help",
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
        "jira", "confluence", "trello", "crm", "salesforce", "erp", "excel", "spreadsheet",
        "dashboard", "power bi", "tableau", "tiktok", "instagram", "linkedin", "facebook",
        "whatsapp", "youtube", "snapchat", "twitter", "reddit", "discord", "podcast", "blog",
        "website", "portal", "channel", "forum", "messaging", "text message", "sms", "video call",
        "webinar", "tablet", "laptop", "kiosk", "self-checkout", "scanner", "software", "database",
        "notebook", "python", "github", "code review", "pull request", "ticket", "helpdesk",
        "help desk", "service desk", "hotline", "facebook page", "careers page", "comparison site",
        // meetings and rituals
        "demo", "standup", "stand-up", "retro", "retrospective", "all-hands", "all hands",
        "town hall", "huddle", "handover", "ward round", "briefing", "one-to-one", "1:1",
        "check-in", "offsite", "away day", "q&a", "sprint", "sprint planning", "planning call",
        "kickoff", "weekly meeting", "leadership meeting", "team meeting", "monday meeting",
        "board meeting", "morning meeting", "call",
        // people processes
        "appraisal", "performance review", "review process", "review cycle", "survey",
        "engagement survey", "pulse survey", "onboarding", "induction", "orientation", "training",
        "program", "scheme", "course", "workshop", "rotation", "mentoring scheme",
        "mentoring program", "coaching", "buddy system", "buddy", "job board", "job posting",
        "internal move", "promotion", "promotion cycle", "career path", "career ladder", "track",
        "policy", "handbook", "parental leave", "dress code", "uniform", "rota", "roster",
        "schedule", "scheduling", "shift pattern", "overtime", "bonus", "salary", "benefit",
        "recognition", "award", "volunteering", "volunteering day", "hackathon", "suggestion box",
        "approval", "sign-off", "expense", "timesheet", "form", "checklist", "template", "agenda",
        "slide", "presentation", "deck", "memo", "announcement", "interview", "recruitment",
        "internship", "apprenticeship", "graduate scheme", "exit interview", "staffing process",
        "on-call", "rotation", "purpose statement", "mission statement", "values statement",
        "annual report", "esg", "staffing process", "hiring process", "job ad", "job advert",
        // products and customer journeys
        "campaign", "advert", "ad", "logo", "tagline", "slogan", "sponsorship", "packaging",
        "store layout", "in-store", "checkout", "basket", "cart", "subscription", "pricing",
        "price", "premium tier", "tier", "loyalty card", "loyalty program", "feature", "release",
        "account opening", "sign-up", "signup", "login", "claim", "claim form", "mortgage", "loan",
        "calculator", "invoice", "invoicing", "booking", "appointment", "order", "delivery",
        "click-and-collect", "click and collect", "refund", "menu", "in-app purchase", "purchase",
        "game", "notification", "receipt", "branch", "counter", "till", "queue", "waiting room",
        "shop floor", "production line", "assembly line", "machine", "maintenance", "inspection",
        "safety check", "incident", "incident report", "deployment", "online banking",
        "mobile banking", "insurance", "policy document", "music", "journey", "flow",
        "onboarding flow", "prescription", "patient portal", "report", "reporting", "budget",
        "workflow", "process", "tool", "platform", "system",
        // places and working patterns
        "canteen", "cafeteria", "office", "parking", "car park", "desk", "hot desk", "kitchen",
        "break room", "floor plan", "shift", "night shift", "contact centre", "call centre", "ward",
        "clinic", "warehouse", "career fair", "open day",
    ]
);

lexicon!(
    /// Objects that point somewhere but stay broad ("AI", "our values", "meetings").
    semi_objects => [
        "ai", "artificial intelligence", "generative ai", "social media", "meeting", "value",
        "brand", "reputation", "image", "strategy", "career", "career growth", "development",
        "hybrid work", "remote work", "hybrid working", "flexible working", "data", "product",
        "service", "experience", "customer experience", "competitor", "competition", "feedback",
        "communication", "collaboration", "automation", "mission", "sustainability", "diversity",
        "inclusion", "wellbeing", "skill", "productivity", "engagement", "motivation", "workload",
        "decision-making", "advertising", "marketing", "learning and development", "online",
        "mobile", "digital tool", "trust", "belonging", "metaverse", "crypto", "blockchain",
        "virtual reality", "ethics", "pay", "benefits", "flexibility", "hiring", "customer service",
        "support", "perception", "idea", "growth",
    ]
);

lexicon!(
    /// Roles and segments that name real people on their own.
    occupations => [
        "analyst", "nurse", "doctor", "physician", "surgeon", "midwife", "pharmacist", "porter",
        "engineer", "developer", "programmer", "designer", "intern", "apprentice", "graduate",
        "trainee", "technician", "driver", "teacher", "lecturer", "consultant", "accountant",
        "auditor", "cashier", "teller", "picker", "packer", "operator", "caseworker", "case worker",
        "social worker", "trader", "handler", "claims handler", "planner", "scientist",
        "researcher", "assistant", "clerk", "associate", "agent", "rep", "representative",
        "salesperson", "advisor", "adviser", "officer", "inspector", "manager", "project manager",
        "product manager", "team lead", "supervisor", "coordinator", "specialist", "architect",
        "tester", "marketer", "recruiter", "buyer", "shopper", "subscriber", "policyholder",
        "student", "parent", "patient", "resident", "citizen", "gamer", "joiner", "new joiner",
        "hire", "new hire", "starter", "new starter", "recruit", "newcomer", "partner", "paralegal",
        "lawyer", "solicitor", "chef", "waiter", "barista", "host", "receptionist", "mechanic",
        "electrician", "welder", "machinist", "carer", "care worker", "paramedic", "pilot",
        "cabin crew", "guard", "courier", "warehouse staff", "store associate", "shift worker",
        "field technician", "sales rep", "homebuyer", "home buyer", "first-time buyer", "borrower",
        "saver", "passenger", "guest", "tenant", "volunteer", "member of staff", "grandchild",
        "family", "small-business customer", "small business", "apprenticeship", "women", "woman",
        "mother", "father", "carer", "veteran", "contractor", "freelancer", "frontline",
        "call-centre agent", "nurses", "doctors",
    ]
);

lexicon!(
    /// People words that need a qualifier to become a real group.
    generic_people => [
        "people", "person", "employee", "staff", "worker", "colleague", "customer", "user",
        "client", "consumer", "audience", "team", "member", "folk", "junior", "leader",
        "individual", "human", "talent", "workforce", "direct report", "team member", "peer",
        "friend", "someone", "anyone",
    ]
);

lexicon!(
    /// Qualifiers that turn "staff" into "new hires in support".
    group_qualifiers => [
        "new", "newly", "junior", "early career", "early-career", "first-year", "first year",
        "first-time", "first time", "recent", "recently", "hybrid", "remote", "part-time",
        "part time", "full-time", "frontline", "front-line", "night", "shift", "field",
        "entry-level", "entry level", "contract", "temporary", "seasonal", "regional", "under",
        "aged", "in their", "who", "sales", "finance", "marketing", "engineering", "operations",
        "support", "customer support", "customer service", "hr", "it", "data", "leadership",
        "product", "design", "legal", "retail", "store", "warehouse", "call centre", "call center",
        "logistics", "production", "plant", "branch", "ward", "clinical", "lab", "audit", "claims",
        "risk", "compliance", "procurement", "research", "executive", "management", "project",
        "delivery", "service", "kitchen", "factory", "site", "depot", "small-business",
        "small business", "business", "digital-native", "graduate", "women", "returning",
        "disabled", "neurodivergent", "international", "overseas", "rural", "night-shift",
        "weekend", "youngest", "long-serving", "senior", "my finance", "on-call", "agency",
        "office", "on the",
    ]
);

lexicon!(
    /// Age words: a start, but not yet a group ("younger customers").
    age_only => ["young", "younger", "youngest", "older", "old", "elderly", "teenage", "teen"]
);

lexicon!(
    /// Time and frequency that make a question observable.
    timeframes => [
        "first year", "first week", "first month", "first day", "every week", "each day",
        "every day", "daily", "weekly", "monthly", "quarterly", "annual", "night shift", "weekend",
        "morning", "evening", "after", "during", "before", "year", "month", "week", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
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
        "process", "tool", "system", "platform", "program", "scheme", "policy", "report", "form",
        "course", "training", "channel", "workflow", "call", "order", "track", "schedule",
    ]
);
