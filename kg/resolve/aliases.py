"""A user's alias file: canonical names, their other spellings, optional Wikidata ids.

TOML::

    [[person]]
    name = "Antony Blinken"
    aliases = ["Anthony Blinken", "Tony Blinken"]
    wikidata = "Q4109573"

YAML: a list of mappings with the same keys (``- name: ...``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError

_QID = re.compile(r"^Q[1-9][0-9]*$")


def fold(name: str) -> str:
    """Case- and accent-insensitive key of a name.

    >>> fold("  José  Ramos-Horta ")
    'jose ramos-horta'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(ascii_name.lower().split())


@dataclass
class AliasTable:
    """Canonical names by folded alias, and Wikidata ids by canonical name."""

    canonical: dict[str, str] = field(default_factory=dict)
    wikidata: dict[str, str] = field(default_factory=dict)
    spellings: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> AliasTable:
        table = cls()
        if path is None:
            return table
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KgError(f"{path}: cannot read alias file ({exc.strerror})") from None
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                import yaml

                entries = yaml.safe_load(text) or []
            else:
                import tomllib

                entries = tomllib.loads(text).get("person", [])
        except Exception as exc:  # noqa: BLE001 - any parse error is the user's file
            raise KgError(f"{path}: not a valid alias file ({exc})") from None
        if not isinstance(entries, list):
            raise KgError(f"{path}: expected a list of people")
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise KgError(f"{path}: entry {number} needs a 'name'")
            table.add(
                entry["name"],
                entry.get("aliases") or [],
                entry.get("wikidata"),
                f"{path}: entry {number}",
            )
        return table

    def add(self, name: str, aliases: list[str], qid: str | None = None, where: str = "") -> None:
        self.canonical[fold(name)] = name
        for alias in aliases:
            self.canonical[fold(str(alias))] = name
            self.spellings.setdefault(name, []).append(str(alias))
        if qid:
            if not _QID.match(str(qid)):
                raise KgError(f"{where}: wikidata id {qid!r} is not of the form Q123")
            self.wikidata[name] = str(qid)

    def aliases_of(self, name: str) -> list[str]:
        """The other spellings the file lists for a canonical name."""
        return list(self.spellings.get(name, []))

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(fold(name))
