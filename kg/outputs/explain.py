"""Why a quote has its speaker: the passage with the decisive words marked, and the chain.

Two ways in, one printout:

- `explain_stored(store, quote_id)` reads a built store: the article's exact text
  (``nif:isString``), the quote's offsets, its ``kg:evidence`` spans, ``kg:sieve`` chain and
  ``kg:rejected`` candidates;
- `explain_file(path, offset)` runs the attribution stage on one file and also shows the
  claims the ledger turned down around that offset (vetoes, claimed quotations).

Marks in the passage: ``[[quote]]``, ``{cue}``, ``<mention>``, ``«antecedent»``, ``|via|``
and ``^addressee^``; an antecedent outside the passage is printed on its own line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError

MARKS = {
    "quote": ("[[", "]]"),
    "cue": ("{", "}"),
    "mention": ("<", ">"),
    "antecedent": ("«", "»"),
    "via": ("|", "|"),
    "addressee": ("^", "^"),
}
CONTEXT_CHARS = 300


@dataclass
class Explanation:
    """Everything `kg explain` prints about one quote."""

    doc: str
    text: str  # the article's exact text
    quote_id: str
    start: int
    end: int
    speaker: str
    kind: str
    confidence: float
    via: str | None = None
    addressee: str | None = None
    sieves: list[str] = field(default_factory=list)
    spans: list[tuple[str, int, int, str]] = field(default_factory=list)  # role, start, end, rule
    rejected: list[str] = field(default_factory=list)
    turned_down: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            f"quote {self.quote_id} in {self.doc} [{self.start}:{self.end}]",
            f"speaker: {self.speaker}   kind: {self.kind}   confidence: {self.confidence:.2f}",
        ]
        if self.via:
            lines.append(f"via: {self.via}")
        if self.addressee:
            lines.append(f"said to: {self.addressee}")
        near = [s for _, s, e, _ in self.spans if self.start - CONTEXT_CHARS <= s]
        lo = self.text.rfind("\n", 0, min([self.start, *near])) + 1
        far = [e for _, s, e, _ in self.spans if e <= self.end + CONTEXT_CHARS]
        hi = self.text.find("\n", max([self.end, *far]))
        hi = hi if hi >= 0 else len(self.text)
        inside = [("quote", self.start, self.end, "")] + [
            s for s in self.spans if lo <= s[1] and s[2] <= hi
        ]
        lines += ["", "passage:", _mark(self.text, lo, hi, inside), ""]
        for role, s, e, rule in self.spans:
            where = "" if lo <= s and e <= hi else f"  (at {s}: …{self.text[max(0, s - 40) : s]}"
            if where:
                where += f"«{self.text[s:e]}»{self.text[e : e + 40]}…)"
            lines.append(f"  {role:<10} {self.text[s:e]!r}  [{s}:{e}]  by {rule}{where}")
        lines += ["", "decided by: " + " -> ".join(self.sieves)]
        if self.rejected:
            lines.append("passed over:")
            lines += [f"  - {r}" for r in self.rejected]
        if self.turned_down:
            lines.append("claims turned down near it:")
            lines += [f"  - {r}" for r in self.turned_down]
        return "\n".join(lines) + "\n"


def _mark(text: str, lo: int, hi: int, spans: list[tuple[str, int, int, str]]) -> str:
    """The passage ``text[lo:hi]`` with each span wrapped in its role's marks."""
    inserts: list[tuple[int, int, str]] = []
    for order, (role, s, e, _) in enumerate(spans):
        opening, closing = MARKS.get(role, ("[", "]"))
        inserts.append((s, 1, order, opening))
        inserts.append((e, 0, -order, closing))
    out, pos = [], lo
    for at, _, _, mark in sorted(inserts):
        at = min(max(at, lo), hi)
        out.append(text[pos:at])
        out.append(mark)
        pos = at
    out.append(text[pos:hi])
    return "".join(out)


def explain_stored(store, quote_id: str) -> Explanation:
    """The explanation of quote `quote_id` (its `id` in quotes.jsonl) from a built store."""
    from kg.rdf.vocab import QUOTE

    iri = f"<{QUOTE[quote_id]}>"
    rows = list(
        store.query(
            f"""SELECT ?doc ?text ?b ?e ?who ?kind ?conf ?via ?to WHERE {{
              {iri} nif:beginIndex ?b ; nif:endIndex ?e ; kg:kind ?kind ; kg:confidence ?conf ;
                  schema:creator ?agent ; nif:referenceContext ?article .
              ?agent schema:name ?who .
              ?article kg:docName ?doc ; nif:isString ?text .
              OPTIONAL {{ {iri} kg:via ?r . ?r schema:name ?via }}
              OPTIONAL {{ {iri} kg:addressee ?a . ?a schema:name ?to }}
            }} LIMIT 1"""
        )
    )
    if not rows:
        raise KgError(f"no quote with id {quote_id!r} in the store (ids are in quotes.jsonl)")
    row = rows[0]
    explanation = Explanation(
        doc=row["doc"].value,
        text=row["text"].value,
        quote_id=quote_id,
        start=int(row["b"].value),
        end=int(row["e"].value),
        speaker=row["who"].value,
        kind=row["kind"].value,
        confidence=float(row["conf"].value),
        via=row["via"].value if row["via"] is not None else None,
        addressee=row["to"].value if row["to"] is not None else None,
    )
    for r in store.query(
        f"""SELECT ?role ?b ?e ?rule WHERE {{ {iri} kg:evidence ?ev .
            ?ev kg:role ?role ; nif:beginIndex ?b ; nif:endIndex ?e ; kg:rule ?rule }}
            ORDER BY ?b"""
    ):
        explanation.spans.append(
            (r["role"].value, int(r["b"].value), int(r["e"].value), r["rule"].value)
        )
    explanation.sieves = _ordered(
        [r["s"].value for r in store.query(f"SELECT ?s WHERE {{ {iri} kg:sieve ?s }}")]
    )
    explanation.rejected = sorted(
        r["r"].value for r in store.query(f"SELECT ?r WHERE {{ {iri} kg:rejected ?r }}")
    )
    return explanation


_STAGE_ORDER = {"link": 0, "speaker": 1, "relay": 2, "revise": 3}


def _ordered(steps: list[str]) -> list[str]:
    """Sieve steps in stage order (a store keeps them as an unordered set)."""
    return sorted(set(steps), key=lambda s: (_STAGE_ORDER.get(s.split(":")[0], 9), s))


def explain_file(path: str, offset: int, pipeline=None) -> Explanation:
    """The explanation of the quote covering `offset` (a character offset of the file's
    text as read), running the attribution stage on that one file."""
    from kg.extract.attribute import attribute
    from kg.extract.runner import to_quotes
    from kg.extract.topics import default_taxonomy
    from kg.ingest import Skipped, iter_articles
    from kg.nlp import parse_articles

    if not Path(path).is_file():
        raise KgError(f"{path}: no such file")
    items = list(iter_articles([path], 50 * 1024 * 1024))
    articles = [a for a in items if not isinstance(a, Skipped)]
    if not articles:
        reason = items[0] if items else f"{path}: nothing to read"
        raise KgError(str(reason))
    parsed = next(parse_articles(articles[:1]))
    run = attribute(parsed, pipeline)
    quotes = to_quotes(run, default_taxonomy())
    text = parsed.article.text
    if not 0 <= offset <= len(text):
        raise KgError(f"{path}: offset {offset} is outside the text (0-{len(text)})")
    covering = [q for q in quotes if q.start <= offset < q.end]
    clean = parsed.offsets.to_clean(offset)
    turned_down = [
        f"{loser.claim.link} [{_raw(parsed, loser.claim.start)}:{_raw(parsed, loser.claim.end)}]"
        f" {run.ctx.text[loser.claim.start : loser.claim.end][:60]!r}: {loser.reason}"
        for loser in run.losers
        if loser.claim.start - 200 <= clean <= loser.claim.end + 200
    ]
    if not covering:
        near = "; ".join(turned_down) if turned_down else "no claim near it either"
        raise KgError(f"{path}: no quote covers offset {offset} ({near})")
    q = min(covering, key=lambda q: q.end - q.start)
    return Explanation(
        doc=q.doc,
        text=text,
        quote_id=q.id,
        start=q.start,
        end=q.end,
        speaker=q.speaker.name,
        kind=q.kind,
        confidence=q.confidence,
        via=q.via,
        addressee=q.addressee,
        sieves=list(q.sieves),
        spans=[(e.role, e.start, e.end, e.rule) for e in q.evidence],
        rejected=list(q.rejected),
        turned_down=turned_down,
    )


def _raw(parsed, clean: int) -> int:
    return parsed.offsets.to_raw(clean)
