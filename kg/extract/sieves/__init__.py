"""The registered sieves of the attribution stage (importing this registers them all)."""

from kg.extract.sieves import link, relay, revise, speaker, veto  # noqa: F401
from kg.extract.sieves.registry import (
    REGISTRY,
    STAGES,
    Example,
    Sieve,
    SievePipeline,
    default_pipeline,
    load_pipeline_config,
    resolve_name,
)

__all__ = [
    "REGISTRY",
    "STAGES",
    "Example",
    "Sieve",
    "SievePipeline",
    "default_pipeline",
    "load_pipeline_config",
    "resolve_name",
]
