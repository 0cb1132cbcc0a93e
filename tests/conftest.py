from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
SEED_GOLD = SHARED / "eval" / "seed_gold.jsonl"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def extract(nlp):
    """Quotes of a text, as the extract stage gives them."""
    from pathlib import Path as _Path

    from kg.extract import extract_quotes
    from kg.ingest.read import text_article
    from kg.nlp import parse_articles

    def run(text: str):
        article = text_article(text, _Path("fixture.txt"))
        parsed = next(parse_articles([article], nlp))
        return extract_quotes(parsed).quotes

    return run


def kg(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def build_articles(folder: Path, articles: dict[str, str]) -> Path:
    """Write `articles` (file name -> text) into `folder`/docs, `kg build` them into
    `folder`/out and return the out folder."""
    docs = folder / "docs"
    docs.mkdir()
    for name, text in articles.items():
        (docs / name).write_text(text, encoding="utf-8")
    out = folder / "out"
    kg("build", str(docs), "--out", str(out), "--quiet")
    return out


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    kg("build", str(SEEDS), "--out", str(out), "--quiet")
    return out


def score(pred_lines: str, gold: Path = SEED_GOLD, docs: Path = SEEDS) -> dict:
    """The shared scorer's result (its --json output) for these prediction lines."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        pred = Path(folder) / "pred.jsonl"
        pred.write_text(pred_lines, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(SCORER), str(gold), str(pred), str(docs), "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(result.stdout)
