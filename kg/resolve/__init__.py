"""Resolve stage: the cross-article reduce step (people across articles, statements,
conflicting attributions)."""

from kg.resolve.aliases import AliasTable
from kg.resolve.people import canonical_people, resolve_people
from kg.resolve.reduce import Conflict, Resolution, resolve_quotes
from kg.resolve.statements import cluster_statements

__all__ = [
    "AliasTable",
    "Conflict",
    "Resolution",
    "canonical_people",
    "cluster_statements",
    "resolve_people",
    "resolve_quotes",
]
