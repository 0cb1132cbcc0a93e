"""The open evaluation sets, parsed once, and a judge of each prediction against the gold.

Shared by `bench.ablate` and `bench.calibrate`. The gold and the scorer live beside the
checkout in ``../shared/eval`` (never copied into the project); the judge reuses the
scorer's own functions (span overlap, speaker by surname) through an import of that file,
so a prediction is "right" exactly when score.py would count it right.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SETS = {
    "seeds": (ROOT / "seeds", EVAL / "seed_gold.jsonl"),
    "pages": (EVAL / "dev" / "pages" / "docs", EVAL / "dev" / "pages" / "gold.jsonl"),
    "pages2": (EVAL / "dev" / "pages2" / "docs", EVAL / "dev" / "pages2" / "gold.jsonl"),
    "polnear": (EVAL / "dev" / "polnear" / "docs", EVAL / "dev" / "polnear" / "gold.jsonl"),
    # invented articles in the house styles of many countries, written and annotated by
    # the project (bench/styles/README.md): kept in the repository
    "styles": (ROOT / "bench" / "styles" / "docs", ROOT / "bench" / "styles" / "gold.jsonl"),
}


@cache
def scorer(path: Path = EVAL / "score.py"):
    """The shared scorer as a module (loaded once per path)."""
    spec = importlib.util.spec_from_file_location("kg_shared_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot load the scorer")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class EvalSet:
    name: str
    docs: dict[str, str]
    gold: list[dict]
    parsed: list  # ParsedArticle, one per document


def load_sets(names: list[str] | None = None) -> list[EvalSet]:
    """Parse every document of the named sets once (the costly part of extraction)."""
    from kg.ingest import Skipped, iter_articles
    from kg.nlp import load_pipeline, parse_articles

    nlp = load_pipeline()
    out = []
    for name in names or list(SETS):
        folder, gold_path = SETS[name]
        if not gold_path.exists():
            continue
        gold = [json.loads(line) for line in gold_path.read_text().splitlines() if line.strip()]
        docs = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.is_file()}
        articles = [
            a for a in iter_articles([str(folder)], 5 * 1024 * 1024) if not isinstance(a, Skipped)
        ]
        out.append(EvalSet(name, docs, gold, list(parse_articles(articles, nlp))))
    return out


def predict(evalset: EvalSet, pipeline=None) -> list:
    """The set's quotes with this sieve pipeline (the parse reused), resolved across the
    set's articles as `kg quotes` resolves them."""
    from kg.corpus import ArticleInfo, Extracted, resolve_corpus
    from kg.extract import extract_quotes
    from kg.extract.topics import default_taxonomy

    taxonomy = default_taxonomy()
    extracted = [
        Extracted(ArticleInfo.of(p.article), extract_quotes(p, taxonomy, pipeline))
        for p in evalset.parsed
    ]
    return resolve_corpus(extracted).quotes


def attribution_f1(evalset: EvalSet, quotes: list) -> float:
    result = scorer().score(evalset.gold, [q.to_json() for q in quotes], evalset.docs)
    return result["attribution_f1"]


def judge(evalset: EvalSet, quotes: list) -> list[bool | None]:
    """For each quote: True when score.py counts it right (span and speaker), False when it
    counts against precision (a wrong speaker or a false positive), None when the scorer
    ignores it (a split of a matched quote, an optional gold item)."""
    s = scorer()
    gold = evalset.gold
    preds = [q.to_json() for q in quotes]
    named = {s.key_of(g["speaker"]) for g in gold if g["speaker"] not in (None, "ANONYMOUS")}
    namesakes = defaultdict(set)
    for g in gold:
        if g["speaker"] not in (None, "ANONYMOUS") and s.given_name(g["speaker"]):
            namesakes[(g["doc"], s.key_of(g["speaker"]))].add(s.given_name(g["speaker"]))
    namesakes = {k: v for k, v in namesakes.items() if len(v) > 1}
    by_doc = defaultdict(list)
    for i, g in enumerate(gold):
        by_doc[g["doc"]].append(i)
    cand = []
    for pi, p in enumerate(preds):
        sp = s.locate(p, evalset.docs)
        if sp is None:
            continue
        for gi in by_doc.get(p["doc"], []):
            g = gold[gi]
            ov = s.overlap(sp, (g["start"], g["end"]))
            shorter = min(sp[1] - sp[0], g["end"] - g["start"])
            if ov >= min(10, shorter) and ov >= 0.5 * shorter and ov > 0:
                cand.append((ov, pi, gi))
    cand.sort(reverse=True)
    pmatch, gmatch = {}, {}
    touched = defaultdict(set)
    for _ov, pi, gi in cand:
        touched[pi].add(gi)
        if pi in pmatch or gi in gmatch:
            continue
        pmatch[pi], gmatch[gi] = gi, pi
    verdicts: list[bool | None] = []
    for pi, p in enumerate(preds):
        if pi in pmatch:
            g = gold[pmatch[pi]]
            if not g["required"]:
                verdicts.append(None)
            else:
                verdicts.append(bool(s.speaker_ok(g, p.get("speaker"), named, namesakes)))
        else:
            verdicts.append(None if touched[pi] else False)
    return verdicts
