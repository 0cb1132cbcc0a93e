"""Resolve stage: the cross-article reduce step (people across articles, statements,
conflicting attributions)."""

from kg.resolve.aliases import AliasTable
from kg.resolve.people import canonical_people, resolve_people
from kg.resolve.reduce import (
    Conflict,
    Resolution,
    apply_decision,
    forget_name_caches,
    reduce_corpus,
    resolve_quotes,
)
from kg.resolve.statements import cluster_statements

__all__ = [
    "AliasTable",
    "Conflict",
    "Resolution",
    "apply_decision",
    "canonical_people",
    "cluster_statements",
    "forget_name_caches",
    "reduce_corpus",
    "resolve_people",
    "resolve_quotes",
]
