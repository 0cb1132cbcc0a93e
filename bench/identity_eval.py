"""One agent per real person: how many agents each gold speaker ends up as, per eval set.

For every gold set (the seeds and each dev set), quotes are extracted and resolved by kg
(or read from a `quotes.jsonl` a build wrote), matched one-to-one to gold items the way
``../shared/eval/score.py`` matches (same document, spans overlapping by at least half of
the shorter and ten characters, largest overlap first), and kept when the scorer accepts
the speaker for the gold speaker itself (not for an accepted alternative such as a
relay). A real person is a named gold speaker (``ANONYMOUS`` and unattributed items are left out), grouped as
`gold_people` says. Predictions that describe rather than name ("a spokeswoman for
Hillary Clinton") are another agent by design and are left out. Two figures:

- the share of gold people whose correctly attributed quotes all carry one agent (target
  ``>= 98%``), with the people spread over several agents listed;
- agents shared by two gold people (target: none), listed.

An agent is the agent IRI the graph gives a canonical speaker name (its slug).

    python -m bench.identity_eval                       # every set found beside the checkout
    python -m bench.identity_eval --set polnear --json
    python -m bench.identity_eval --gold G.jsonl --docs DIR --quotes out/quotes.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.evalsets import scorer as load_scorer

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SETS = {
    "seeds": (EVAL / "seed_gold.jsonl", ROOT / "seeds"),
    "pages": (EVAL / "dev" / "pages" / "gold.jsonl", EVAL / "dev" / "pages" / "docs"),
    "pages2": (EVAL / "dev" / "pages2" / "gold.jsonl", EVAL / "dev" / "pages2" / "docs"),
    "polnear": (EVAL / "dev" / "polnear" / "gold.jsonl", EVAL / "dev" / "polnear" / "docs"),
}
TARGET_SHARE = 0.98


@dataclass
class IdentityResult:
    name: str
    people: int = 0
    one_agent: int = 0
    ambiguous_gold: int = 0
    namesakes: int = 0
    split: dict[str, list[str]] = field(default_factory=dict)
    shared: dict[str, list[str]] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.one_agent / self.people if self.people else 1.0

    def to_json(self) -> dict:
        return {
            "set": self.name,
            "people": self.people,
            "one_agent": self.one_agent,
            "share_one_agent": round(self.share, 4),
            "agents_shared_by_two_people": len(self.shared),
            "gold_items_left_out_surname_only": self.ambiguous_gold,
            "namesake_attributions_left_out": self.namesakes,
            "split": self.split,
            "shared": self.shared,
        }


def gold_people(gold: list[dict], scorer) -> tuple[list[str | None], int]:
    """A person id for each gold item (None when unnamed or undecidable), and how many
    named items were left out as undecidable.

    Gold names of one surname key (the scorer's) are one person when, titles left out,
    one holds the words of the shortest name of that person ("Donald J. Trump", "Donald
    Trump"; "Interim DNC Chairwoman Donna Brazile", "Donna Brazile"), allowing a nickname
    from kg's list for the given name ("Len" / "Leonard"). A bare surname ("Mr. King") is
    counted only when the set holds one person of that surname and the document names
    them in full; otherwise the gold does not say who it is ("Clinton" where only Bill
    Clinton is named in full may be Hillary), and the item is left out. A one-word name no
    full name shares ("China") is its own entity.

    >>> s = load_scorer()
    >>> g = [{"doc": "a", "speaker": "Donald Trump"}, {"doc": "a", "speaker": "Mr. Trump"},
    ...      {"doc": "b", "speaker": "Hillary Clinton"}, {"doc": "c", "speaker": "Bill Clinton"},
    ...      {"doc": "d", "speaker": "Clinton"}, {"doc": "d", "speaker": "ANONYMOUS"},
    ...      {"doc": "e", "speaker": "Rival Hillary Clinton"}, {"doc": "f", "speaker": "Len Burman"},
    ...      {"doc": "g", "speaker": "Leonard E. Burman"}]
    >>> ids, left_out = gold_people(g, s)
    >>> ids
    ['trump donald', 'trump donald', 'clinton hillary', 'clinton bill', None, None, 'clinton hillary', 'burman len', 'burman len']
    >>> gold_people([{"doc": "a", "speaker": "China"}], s)
    (['china'], 0)
    >>> left_out
    1
    """

    def words(name: str) -> frozenset[str]:
        return frozenset(t for t in scorer.norm_tokens(name) if t not in scorer.TITLES)

    named = [
        (i, item, scorer.key_of(item["speaker"]), words(item["speaker"]))
        for i, item in enumerate(gold)
        if item.get("speaker") not in (None, "ANONYMOUS")
    ]
    cores: dict[str, list[frozenset[str]]] = defaultdict(list)
    person_of: dict[tuple[str, frozenset[str]], int | None] = {}
    full = sorted(
        {(k, w) for _, _, k, w in named if w - {k}},
        key=lambda kw: (kw[0], len(kw[1]), sorted(kw[1])),
    )
    for key, ws in full:
        fits = [n for n, core in enumerate(cores[key]) if _holds(ws, core)]
        if len(fits) == 1:
            person_of[(key, ws)] = fits[0]
        elif not fits:
            cores[key].append(ws)
            person_of[(key, ws)] = len(cores[key]) - 1
        else:
            person_of[(key, ws)] = None
    in_doc: dict[tuple[str, str], set[int]] = defaultdict(set)
    for _, item, key, ws in named:
        if person_of.get((key, ws)) is not None:
            in_doc[(item["doc"], key)].add(person_of[(key, ws)])
    ids: list[str | None] = [None] * len(gold)
    left_out = 0
    for i, item, key, ws in named:
        if ws - {key}:
            number = person_of[(key, ws)]
        elif not cores[key]:
            ids[i] = key  # a one-word name ("China", "Refinitiv") no full name shares
            continue
        else:
            # the only person of that surname in the set, and the document names them
            here = in_doc.get((item["doc"], key), set())
            number = next(iter(here)) if len(here) == 1 and len(cores[key]) == 1 else None
        if number is None:
            left_out += 1
            continue
        ids[i] = " ".join([key, *sorted(cores[key][number] - {key})])
    return ids, left_out


def _holds(words: frozenset[str], core: frozenset[str]) -> bool:
    """Whether a gold name's words hold a person's shortest name (a nickname may stand
    for the given name)."""
    from kg.names import given_name_forms

    if core <= words:
        return True
    missing = core - words
    if len(missing) != 1:
        return False
    (given,) = missing
    return any(given_name_forms(given) & given_name_forms(w) for w in words - core)


def same_given_name(pred_speaker: str, gold_speaker: str) -> bool:
    """Whether a prediction names the gold person's given name, or none: "Onkar Singh" for
    a quote of Manmohan Singh's is a namesake; "Muhammad Buhari" for "Muhammadu Buhari",
    "M K Narayanan" for "M. K. Narayanan", "Len" for "Leonard" are spellings.

    >>> same_given_name("Onkar Singh", "Manmohan Singh"), same_given_name("Muhammad Buhari", "Muhammadu Buhari")
    (False, True)
    """
    from rapidfuzz.fuzz import ratio

    from kg.names import fold, given_name_forms, parse_name

    pw, gw = set(fold(pred_speaker).split()), set(fold(gold_speaker).split())
    if pw <= gw or gw <= pw:
        return True  # "Ildefonso Guajardo Villarreal" for "Mr. Guajardo Villarreal"
    pred, gold = parse_name(pred_speaker).given, parse_name(gold_speaker).given
    if not pred or not gold or pred == gold:
        return True
    if len(pred) == 1 or len(gold) == 1:
        return pred[0] == gold[0]
    return bool(given_name_forms(pred) & given_name_forms(gold)) or (
        pred[0] == gold[0] and ratio(pred, gold) >= 75
    )


def match(gold: list[dict], preds: list[dict], docs: dict[str, str], scorer) -> dict[int, int]:
    """Gold index -> prediction index, one to one, largest overlap first (the scorer's rule)."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for gi, item in enumerate(gold):
        by_doc[item["doc"]].append(gi)
    candidates = []
    for pi, pred in enumerate(preds):
        span = scorer.locate(pred, docs)
        if span is None:
            continue
        for gi in by_doc.get(pred.get("doc"), []):
            g = gold[gi]
            shared = scorer.overlap(span, (g["start"], g["end"]))
            shorter = min(span[1] - span[0], g["end"] - g["start"])
            if shared > 0 and shared >= min(10, shorter) and shared >= 0.5 * shorter:
                candidates.append((shared, pi, gi))
    candidates.sort(reverse=True)
    taken_pred: set[int] = set()
    matched: dict[int, int] = {}
    for _, pi, gi in candidates:
        if pi in taken_pred or gi in matched:
            continue
        taken_pred.add(pi)
        matched[gi] = pi
    return matched


def evaluate(
    name: str, gold: list[dict], preds: list[dict], docs: dict[str, str], scorer
) -> IdentityResult:
    from kg.names import looks_like_name
    from kg.rdf.triples import slug

    people, ambiguous = gold_people(gold, scorer)
    result_wrong = 0
    named_keys = {
        scorer.key_of(g["speaker"]) for g in gold if g.get("speaker") not in (None, "ANONYMOUS")
    }
    agents_of: dict[str, set[str]] = defaultdict(set)
    people_of: dict[str, set[str]] = defaultdict(set)
    names_of: dict[str, set[str]] = defaultdict(set)
    for gi, pi in match(gold, preds, docs, scorer).items():
        person = people[gi]
        speaker = preds[pi].get("speaker") or ""
        if person is None or not looks_like_name(speaker):
            continue  # "a spokeswoman for Hillary Clinton" is another agent by design
        # the gold speaker itself, not an accepted alternative (a relay, ANONYMOUS), and
        # not a namesake ("Donald Trump" for a quote of Ivana Trump's is an attribution
        # error, which score.py counts, not an identity one)
        if not scorer.speaker_ok({**gold[gi], "alt": []}, speaker, named_keys):
            continue
        if not same_given_name(speaker, gold[gi]["speaker"]):
            result_wrong += 1
            continue
        agent = slug(speaker)
        agents_of[person].add(agent)
        people_of[agent].add(person)
        names_of[agent].add(speaker)
    result = IdentityResult(
        name, people=len(agents_of), ambiguous_gold=ambiguous, namesakes=result_wrong
    )
    for person, agents in sorted(agents_of.items()):
        if len(agents) == 1:
            result.one_agent += 1
        else:
            result.split[person] = sorted(n for a in agents for n in names_of[a])
    for agent, persons in sorted(people_of.items()):
        if len(persons) > 1:
            result.shared[agent] = sorted(persons)
    return result


def predictions(docs_dir: Path) -> list[dict]:
    """kg's resolved quotes of a folder: what `kg quotes DIR --format jsonl` prints."""
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "kg", "quotes", str(docs_dir), "--format", "jsonl", "--quiet"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", choices=sorted(SETS), help="repeatable")
    parser.add_argument("--gold", type=Path, help="a gold file (with --docs)")
    parser.add_argument("--docs", type=Path, help="the gold file's documents")
    parser.add_argument("--quotes", type=Path, help="predictions (quotes.jsonl of a build)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    scorer = load_scorer()
    if args.gold:
        if not args.docs:
            parser.error("--gold needs --docs")
        runs = {args.gold.parent.name: (args.gold, args.docs)}
    else:
        runs = {n: SETS[n] for n in (args.set or SETS) if SETS[n][0].is_file()}
        if args.quotes and len(runs) != 1:
            parser.error("--quotes needs one --set or --gold")
    results = []
    for name, (gold_path, docs_dir) in runs.items():
        gold = read_jsonl(gold_path)
        preds = read_jsonl(args.quotes) if args.quotes else predictions(docs_dir)
        docs = {p.name: p.read_text(encoding="utf-8") for p in docs_dir.iterdir() if p.is_file()}
        results.append(evaluate(name, gold, preds, docs, scorer))
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=1, ensure_ascii=False))
    else:
        for r in results:
            status = "ok" if r.share >= TARGET_SHARE and not r.shared else "BELOW TARGET"
            print(
                f"{r.name:8} people={r.people:4}  one agent: {r.share:6.1%}  "
                f"agents shared by two people: {len(r.shared)}  [{status}]  "
                f"(left out: {r.ambiguous_gold} gold items naming only a surname the "
                f"document does not resolve, {r.namesakes} quotes given to a namesake)"
            )
            for person, names in r.split.items():
                print(f"    split  {person}: {names}")
            for agent, persons in r.shared.items():
                print(f"    shared {agent}: {persons}")
    ok = all(r.share >= TARGET_SHARE and not r.shared for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
