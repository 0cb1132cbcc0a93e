"""Sieves registered by name, and the configured pipeline that orders and switches them.

A sieve is a plain function with a stage, a name, a one-line rule and example cases.
Stages, in the order the runner applies them:

- ``link``: quote -> speaker mention. Each proposes claims (these words are someone's,
  these words name them) for quotations and cue clauses not yet claimed.
- ``veto``: a claim that is not someone's words at all (a headline, a title, a scare quote).
- ``speaker``: mention -> entity through the entity table; the first confident answer wins.
- ``relay``: who the words were said to (``addressee``) and who passed them on (``via``).
- ``revise``: article-level corrections, each recorded as old -> new.

The order, the disabled sieves and each sieve's confidence prior come from
``kg/extract/pipeline.toml``; a user file (``--pipeline FILE``) overrides any part, and
``--disable NAME`` switches single sieves off.

>>> from kg.extract.sieves import REGISTRY, default_pipeline
>>> "speaker.named_person" in REGISTRY
True
>>> pipe = default_pipeline().without(["named_person"])
>>> "named_person" in [s.name for s in pipe.sieves("speaker")]
False
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from kg.errors import KgError, UsageError

STAGES = ("link", "veto", "speaker", "relay", "revise")
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "pipeline.toml"


@dataclass(frozen=True)
class Example:
    """A case a sieve decides: in `text`, the quote containing `quote` has `field` =
    `expected` (field "quote" with expected None: no quote contains those words)."""

    text: str
    quote: str
    field: str
    expected: str | None


@dataclass(frozen=True)
class Sieve:
    stage: str
    name: str
    rule: str
    run: Callable
    examples: tuple[Example, ...] = ()
    field: str | None = None  # relay sieves: "via" or "addressee"
    applies_to: tuple[str, ...] = ()  # vetoes: the link sieves whose claims they check

    @property
    def key(self) -> str:
        return f"{self.stage}.{self.name}"


REGISTRY: dict[str, Sieve] = {}


def sieve(
    stage: str,
    name: str,
    rule: str,
    examples: Iterable[tuple[str, str, str, str | None]] = (),
    field: str | None = None,
    applies_to: tuple[str, ...] = (),
) -> Callable[[Callable], Callable]:
    """Register the decorated function as sieve `stage.name`."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")

    def register(fn: Callable) -> Callable:
        key = f"{stage}.{name}"
        if key in REGISTRY:
            raise ValueError(f"sieve {key} registered twice")
        REGISTRY[key] = Sieve(
            stage, name, rule, fn, tuple(Example(*e) for e in examples), field, applies_to
        )
        return fn

    return register


@dataclass(frozen=True)
class SievePipeline:
    """Which sieves run, in which order, with which confidence priors."""

    order: dict[str, tuple[str, ...]]
    disabled: frozenset[str] = frozenset()
    priors: dict[str, float] = field(default_factory=dict)

    def sieves(self, stage: str) -> list[Sieve]:
        return [
            REGISTRY[f"{stage}.{name}"]
            for name in self.order.get(stage, ())
            if f"{stage}.{name}" not in self.disabled
        ]

    def prior(self, key: str, default: float = 1.0) -> float:
        return self.priors.get(key, default)

    def enabled(self, key: str) -> bool:
        stage, name = key.split(".", 1)
        return key not in self.disabled and name in self.order.get(stage, ())

    def without(self, names: Iterable[str]) -> SievePipeline:
        """This pipeline with more sieves disabled (``stage.name`` or a unique ``name``)."""
        return SievePipeline(
            self.order, self.disabled | {resolve_name(n) for n in names}, self.priors
        )

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.order.items())), self.disabled))


def catalogue(pipeline: SievePipeline) -> str:
    """The sieves of a pipeline in order, as Markdown: stage, name, rule and first example."""
    lines = []
    for stage in STAGES:
        lines += [f"### {stage}", "", "| sieve | rule | example |", "| --- | --- | --- |"]
        for name in pipeline.order.get(stage, ()):
            s = REGISTRY[f"{stage}.{name}"]
            example = ""
            if s.examples:
                e = s.examples[0]
                text = " ".join(e.text.split())
                got = "no quote" if e.expected is None else f"{e.field} = {e.expected}"
                example = f"{text} → {got}"
            off = " (off)" if s.key in pipeline.disabled else ""
            cells = [f"`{name}`{off}", s.rule, example]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def resolve_name(name: str) -> str:
    """``stage.name`` for a sieve given as either form; an error names what is known."""
    if name in REGISTRY:
        return name
    matches = [key for key, s in REGISTRY.items() if s.name == name]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(sorted(REGISTRY))
    if matches:
        raise UsageError(f"sieve name {name!r} is ambiguous: say one of {', '.join(matches)}")
    raise UsageError(f"no sieve named {name!r}; the sieves are: {known}")


def _load(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise KgError(f"{path}: cannot read the pipeline file ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KgError(f"{path}: not valid TOML: {exc}") from exc


def _parse(data: dict, path: Path, base: SievePipeline | None) -> SievePipeline:
    order = dict(base.order) if base else {}
    disabled = set(base.disabled) if base else set()
    priors = dict(base.priors) if base else {}
    for key in data:
        if key not in STAGES and key not in ("disabled", "priors"):
            raise KgError(f"{path}: unknown section [{key}] (stages: {', '.join(STAGES)})")
    for stage in STAGES:
        section = data.get(stage)
        if section is None:
            continue
        names = section.get("order")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise KgError(f"{path}: [{stage}] needs order = [list of sieve names]")
        for name in names:
            if f"{stage}.{name}" not in REGISTRY:
                raise KgError(f"{path}: [{stage}] names no registered sieve {name!r}")
        order[stage] = tuple(names)
    for name in data.get("disabled", []):
        try:
            disabled.add(resolve_name(name))
        except KgError as exc:
            raise KgError(f"{path}: disabled: {exc}") from exc
    for key, value in data.get("priors", {}).items():
        sieve_key = key.split(":", 1)[0]  # "link.cue_content:direct": a prior per kind
        if sieve_key not in REGISTRY and key != "speaker.unknown":
            raise KgError(f"{path}: priors: no sieve {key!r}")
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise KgError(f"{path}: priors: {key} must be a number between 0 and 1")
        priors[key] = float(value)
    return SievePipeline(order, frozenset(disabled), priors)


@lru_cache(maxsize=1)
def default_pipeline() -> SievePipeline:
    """The shipped pipeline (``kg/extract/pipeline.toml``); every registered sieve must
    have a place in it, so none is silently left out."""
    pipeline = _parse(_load(DEFAULT_CONFIG), DEFAULT_CONFIG, None)
    placed = {f"{stage}.{n}" for stage, names in pipeline.order.items() for n in names}
    missing = sorted(set(REGISTRY) - placed)
    if missing:
        raise KgError(f"{DEFAULT_CONFIG}: sieves with no place in the order: {missing}")
    return pipeline


def load_pipeline_config(path: str | None = None, disable: Iterable[str] = ()) -> SievePipeline:
    """The default pipeline, overridden by the file at `path`, minus `disable`."""
    pipeline = default_pipeline()
    if path:
        pipeline = _parse(_load(Path(path)), Path(path), pipeline)
    return pipeline.without(disable) if disable else pipeline
