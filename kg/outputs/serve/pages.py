"""What the front end's pages show, as pure functions of query rows (no web framework here).

The article text is cut into segments at every span boundary, each segment carrying the
roles of the spans that cover it (``quote``, ``cue``, ``mention``, ...); the template
escapes each segment's text, so markup in an article is only ever shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.rdf.vocab import AGENT, QUOTE, STATEMENT

ROLES = ("quote", "cue", "mention", "antecedent", "via", "addressee")
_ID = re.compile(r"^[A-Za-z0-9._~-]{1,200}$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    role: str
    rule: str = ""


@dataclass(frozen=True)
class Segment:
    text: str
    roles: tuple[str, ...]
    start: int


def local_id(iri: str | None, namespace) -> str | None:
    """The last part of an IRI in one of kg's namespaces, for a page's address.

    >>> local_id("https://kg.example.org/agent/jane-doe", AGENT)
    'jane-doe'
    >>> local_id("http://elsewhere.org/x", AGENT) is None
    True
    """
    base = str(namespace)
    if iri and iri.startswith(base) and _ID.match(iri[len(base) :]):
        return iri[len(base) :]
    return None


def speaker_id(iri: str | None) -> str | None:
    return local_id(iri, AGENT)


def quote_id(iri: str | None) -> str | None:
    return local_id(iri, QUOTE)


def statement_id(iri: str | None) -> str | None:
    return local_id(iri, STATEMENT)


def valid_id(value: str) -> bool:
    """Whether a path segment can be the local part of a kg IRI.

    >>> valid_id("qin-gang"), valid_id("a b"), valid_id("<script>")
    (True, False, False)
    """
    return bool(_ID.match(value))


def safe_link(url: str | None) -> str | None:
    """An article's URL when it is http(s); None for anything else (``javascript:``, data:).

    >>> safe_link("https://news.example/a?b=1"), safe_link("javascript:alert(1)"), safe_link(" JaVaScRiPt:x")
    ('https://news.example/a?b=1', None, None)
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def nearest(text: str, words: str | None, around: int, window: int = 400) -> tuple[int, int] | None:
    """Where `words` occur in `text` closest to offset `around` (within `window`).

    >>> nearest("said Jo. Later Jo said", "Jo", 20)
    (15, 17)
    >>> nearest("abc", "", 1) is None
    True
    """
    if not words:
        return None
    best = None
    lo, hi = max(0, around - window), min(len(text), around + window)
    for match in re.finditer(re.escape(words), text[lo:hi]):
        start = lo + match.start()
        distance = abs(start - around)
        if best is None or distance < best[0]:
            best = (distance, start)
    return (best[1], best[1] + len(words)) if best else None


def evidence_spans(
    text: str,
    start: int,
    end: int,
    evidence: list[Span],
    cue: str | None = None,
    mention: str | None = None,
) -> list[Span]:
    """The spans to highlight: the quote, then its evidence; without evidence (the graph
    has none yet) the cue and the speaker mention nearest to the quote.

    >>> text = 'Jo Roe said: "All is well." Roe left.'
    >>> [(s.role, text[s.start:s.end]) for s in evidence_spans(text, 14, 26, [], "said", "Jo Roe")]
    [('quote', 'All is well.'), ('cue', 'said'), ('mention', 'Jo Roe')]
    """
    spans = [Span(start, end, "quote")]
    kept = [s for s in evidence if 0 <= s.start < s.end <= len(text)]
    if kept:
        return spans + kept
    for role, words in (("cue", cue), ("mention", mention)):
        found = None
        # the words outside the quote first: a cue inside the quoted words is not the cue
        for candidate in (nearest(text[:start], words, start), nearest(text, words, end)):
            if candidate and (candidate[1] <= start or candidate[0] >= end):
                found = candidate
                break
        if found:
            spans.append(Span(found[0], found[1], role, "nearest words (no evidence stored)"))
    return spans


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """The text cut at every span boundary; each piece lists the roles that cover it.

    >>> [(s.text, s.roles) for s in segments("abcdef", [Span(1, 4, "quote"), Span(3, 5, "cue")])]
    [('a', ()), ('bc', ('quote',)), ('d', ('quote', 'cue')), ('e', ('cue',)), ('f', ())]
    """
    cuts = {0, len(text)}
    for s in spans:
        cuts.update((max(0, min(s.start, len(text))), max(0, min(s.end, len(text)))))
    points = sorted(cuts)
    pieces = []
    for a, b in zip(points, points[1:]):
        if a == b:
            continue
        roles = tuple(dict.fromkeys(s.role for s in spans if s.start <= a and b <= s.end))
        pieces.append(Segment(text[a:b], roles, a))
    return pieces


def excerpt_bounds(text: str, start: int, end: int, context: int = 1500) -> tuple[int, int]:
    """The part of a long article worth showing: the quote with `context` characters each
    side, widened to paragraph or line breaks.

    >>> excerpt_bounds("a\\n\\nbb\\n\\ncc", 3, 5, context=1)
    (2, 6)
    """
    lo, hi = max(0, start - context), min(len(text), end + context)
    if lo > 0:
        brk = text.rfind("\n", 0, lo)
        lo = brk + 1 if brk != -1 else 0
    if hi < len(text):
        brk = text.find("\n", hi)
        hi = brk if brk != -1 else len(text)
    return lo, hi


def group_counts(values: list[str | None]) -> list[tuple[str, int]]:
    """Counts of the given values, most frequent first (ties by name).

    >>> group_counts(["a", "b", "a", None])
    [('a', 2), ('b', 1)]
    """
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
