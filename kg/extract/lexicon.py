"""Word lists of English news reporting conventions (no names: only general usage).

Everything here is keyed by lowercase lemma. Lists are frozensets so the per-token checks
in the hot path are O(1).
"""

from __future__ import annotations

# Verbs that report speech or writing ("X said ...", "said X", "X told reporters ...").
REPORTING_VERBS = frozenset(
    ["say", "tell", "add", "state", "stress", "warn", "insist", "note", "explain", "claim", "argue", "assert", "declare", "announce", "acknowledge", "admit", "confirm", "deny", "emphasize", "emphasise", "underline", "underscore", "highlight", "reiterate", "remark", "comment", "reply", "respond", "answer", "ask", "write", "tweet", "post", "report", "mention", "suggest", "predict", "promise", "vow", "pledge", "urge", "call", "describe", "characterize", "characterise", "accuse", "allege", "concede", "contend", "maintain", "observe", "recall", "reveal", "disclose", "assure", "conclude", "estimate", "express", "testify", "recount", "continue", "complain", "lament", "joke", "quip", "shout", "whisper", "mutter", "boast", "caution", "counter", "retort", "rebut", "indicate", "demand", "inform", "brief", "advise", "recommend", "propose", "repeat", "echo", "quote", "cite", "read", "agree", "criticize", "criticise", "blame", "welcome", "hail", "praise", "condemn", "question", "wonder", "point", "stipulate", "affirm", "opine", "clarify", "elaborate", "summarize", "summarise", "exclaim", "cry", "plead", "appeal", "threaten"]
)

# Reporting verbs whose direct object is the content ("stressed the importance of ...").
CONTENT_OBJECT_VERBS = frozenset(
    ["stress", "emphasize", "emphasise", "underline", "underscore", "highlight", "reiterate", "express", "acknowledge", "deny", "confirm", "announce", "describe", "characterize", "characterise", "welcome", "hail", "praise", "condemn", "criticize", "criticise", "question", "raise", "repeat", "echo", "predict", "promise", "pledge", "vow", "demand", "propose", "recommend", "reveal", "disclose", "admit", "concede", "say", "add", "write", "tweet", "post", "report", "mention", "note"]
)

# Verbs whose direct object is the person spoken to ("told reporters", "assured Blinken").
ADDRESSEE_OBJECT_VERBS = frozenset(
    ["tell", "inform", "assure", "brief", "warn", "urge", "ask", "remind", "advise", "caution", "reassure", "promise"]
)

# Verbs that relay someone else's words: "X quoted Y as saying", "X cited Y as saying".
RELAY_VERBS = frozenset(["quote", "cite"])

# Verbs that only count as cues with a clause or a quote ("he agreed that ...").
WEAK_VERBS = frozenset(
    ["agree", "continue", "point", "read", "question", "wonder", "praise", "welcome", "hail", "condemn", "criticize", "criticise", "blame", "raise", "appeal", "threaten", "cry", "answer", "reply", "respond", "post", "call"]
)

# Nouns that head a speaker description: "the spokesman", "a senior official".
PERSON_ROLE_NOUNS = frozenset(
    ["spokesman", "spokeswoman", "spokesperson", "official", "officer", "minister", "secretary", "president", "premier", "chancellor", "diplomat", "adviser", "advisor", "envoy", "ambassador", "chief", "director", "manager", "executive", "ceo", "chairman", "chairwoman", "chair", "head", "leader", "governor", "mayor", "senator", "lawmaker", "legislator", "representative", "congressman", "congresswoman", "mp", "deputy", "commissioner", "coach", "captain", "player", "striker", "midfielder", "defender", "goalkeeper", "manager", "analyst", "economist", "expert", "professor", "researcher", "scientist", "doctor", "lawyer", "attorney", "prosecutor", "judge", "justice", "counsel", "witness", "source", "aide", "member", "founder", "owner", "editor", "journalist", "reporter", "correspondent", "author", "candidate", "nominee", "activist", "campaigner", "organizer", "organiser", "resident", "teacher", "student", "general", "commander", "colonel", "sergeant", "lieutenant", "admiral", "inspector", "superintendent", "sheriff", "constable", "detective", "investigator", "king", "queen", "prince", "princess", "monarch", "ruler", "pope", "bishop", "priest", "imam", "rabbi", "counterpart", "negotiator", "mediator", "representative", "ally", "partner", "founder", "superintendent", "principal", "councillor", "councilor", "alderman", "speaker", "whip", "staffer", "strategist", "pollster", "consultant", "critic", "opponent", "supporter", "rival", "fan", "boss", "father", "mother", "son", "daughter", "wife", "husband", "brother", "sister", "friend", "neighbour", "neighbor", "victim", "survivor", "officer"]
)

# Words that mark a relaying news outlet: "state broadcaster CCTV", "the Daily Mirror".
MEDIA_WORDS = frozenset(
    ["media", "broadcaster", "broadcasters", "news", "agency", "newspaper", "paper", "daily", "television", "tv", "radio", "channel", "outlet", "outlets", "press", "wire", "times", "post", "herald", "tribune", "journal", "gazette", "telegraph", "mirror", "guardian", "network", "station", "website", "tabloid", "magazine"]
)

# Abbreviated titles that stand for a role ("the Chinese FM"); the head noun comes last.
ROLE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "fm": ("foreign", "minister"),
    "pm": ("prime", "minister"),
    "ceo": ("chief", "executive"),
    "cfo": ("chief", "financial", "officer"),
    "coo": ("chief", "operating", "officer"),
    "mp": ("parliament", "member"),
    "mep": ("parliament", "member"),
    "sec": ("secretary",),
    "gov": ("governor",),
    "sen": ("senator",),
    "rep": ("representative",),
    "amb": ("ambassador",),
    "dg": ("general", "director"),
}

# Spelling variants of the same role.
ROLE_SYNONYMS: dict[str, str] = {
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "chairwoman": "chair",
    "chairman": "chair",
    "advisor": "adviser",
    "councilor": "councillor",
    "congressman": "representative",
    "congresswoman": "representative",
    "lawmaker": "legislator",
    "organiser": "organizer",
}

# Honorifics stripped from names; the ones with a gender say so.
HONORIFICS: dict[str, str | None] = {
    "mr": "m", "mister": "m", "sir": "m", "lord": "m", "shri": "m", "sri": "m",
    "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "dame": "f", "lady": "f", "smt": "f",
    "dr": None, "prof": None, "professor": None, "president": None, "secretary": None,
    "minister": None, "sen": None, "senator": None, "rep": None, "gov": None, "governor": None,
    "mayor": None, "judge": None, "justice": None, "coach": None, "gen": None, "general": None,
    "col": None, "capt": None, "captain": None, "rev": None, "father": None, "sheikh": None,
    "chancellor": None, "premier": None, "prime": None, "chief": None, "officer": None,
    "prince": "m", "princess": "f", "king": "m", "queen": "f", "pope": "m",
}

GENDERED_ROLES: dict[str, str] = {
    "spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f",
    "congressman": "m", "congresswoman": "f", "king": "m", "queen": "f", "prince": "m",
    "princess": "f", "father": "m", "mother": "f", "son": "m", "daughter": "f", "wife": "f",
    "husband": "m", "brother": "m", "sister": "f", "businessman": "m", "businesswoman": "f",
}

PRONOUN_GENDER: dict[str, str] = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
    "they": "p", "them": "p", "their": "p", "we": "p", "it": "n", "its": "n",
}

# Words that cannot be a speaker's name even when the tagger says PROPN.
NOT_NAMES = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "today", "yesterday", "tomorrow"]
)
