"""Resolve stage: the cross-article reduce step (people across articles, statements)."""

from kg.resolve.aliases import AliasTable
from kg.resolve.people import canonical_people
from kg.resolve.statements import cluster_statements

__all__ = ["AliasTable", "canonical_people", "cluster_statements"]
