"""The user's alias file: canonical names, their other spellings, optional Wikidata ids.

TOML (``people.toml``)::

    [[person]]
    name = "Antony Blinken"
    aliases = ["Anthony Blinken", "Tony Blinken"]
    wikidata = "Q4109573"

YAML (``people.yaml``): a list of mappings with the same keys (``- name: ...``).

`name` is required; `aliases` (a list of names) and `wikidata` (``Q`` and digits) are
optional. Matching folds case and accents. Every problem is reported at once, each with
its file and line: a missing or empty name, an unknown key (``alias`` for ``aliases``),
a malformed Wikidata id, a person listed twice, a spelling claimed by two people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.names import fold

_QID = re.compile(r"^Q[1-9][0-9]*$")
KEYS = ("name", "aliases", "wikidata")


@dataclass
class AliasTable:
    """Canonical names by folded alias, and Wikidata ids by canonical name."""

    canonical: dict[str, str] = field(default_factory=dict)
    wikidata: dict[str, str] = field(default_factory=dict)
    spellings: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None) -> AliasTable:
        """Read and check an alias file; a `KgError` lists every problem with its line."""
        table = cls()
        if path is None:
            return table
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise KgError(f"{path}: alias file is not UTF-8 text") from None
        except OSError as exc:
            raise KgError(f"{path}: cannot read alias file ({exc.strerror})") from None
        if path.suffix.lower() in (".yaml", ".yml"):
            entries = _yaml_entries(path, text)
        else:
            entries = _toml_entries(path, text)
        problems: list[str] = []
        seen: dict[str, tuple[str, int]] = {}  # folded spelling -> (person, line)
        for number, (entry, lines) in enumerate(entries, 1):
            where = f"{path}:{lines.get('', 0)}"
            if not isinstance(entry, dict):
                problems.append(
                    f"{where}: entry {number} must be a table of name, aliases, wikidata"
                )
                continue
            for key in entry:
                if key not in KEYS:
                    hint = " (did you mean 'aliases'?)" if key in ("alias", "alias_names") else ""
                    problems.append(
                        f"{path}:{lines.get(key, lines.get('', 0))}: entry {number}: unknown key "
                        f"{key!r}{hint}; an entry takes {', '.join(KEYS)}"
                    )
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                problems.append(
                    f"{path}:{lines.get('name', lines.get('', 0))}: entry {number} needs a 'name' (a non-empty string)"
                )
                continue
            name = " ".join(name.split())
            aliases = entry.get("aliases", [])
            if isinstance(aliases, str) or not isinstance(aliases, list):
                problems.append(
                    f"{path}:{lines.get('aliases', 0)}: {name!r}: 'aliases' must be a list of names, "
                    f'e.g. aliases = ["{aliases if isinstance(aliases, str) else "..."}"]'
                )
                aliases = []
            clean_aliases = []
            for alias in aliases:
                if not isinstance(alias, str) or not alias.strip():
                    problems.append(
                        f"{path}:{lines.get('aliases', 0)}: {name!r}: alias {alias!r} is not a name"
                    )
                else:
                    clean_aliases.append(" ".join(alias.split()))
            qid = entry.get("wikidata")
            if qid is not None and not (isinstance(qid, str) and _QID.match(qid.strip())):
                problems.append(
                    f"{path}:{lines.get('wikidata', 0)}: {name!r}: wikidata id {qid!r} is not of the form Q123"
                )
                qid = None
            line = lines.get("name", lines.get("", 0))
            own: set[str] = set()
            for spelling in [name, *clean_aliases]:
                key = fold(spelling)
                line = lines.get("name", lines.get("", 0))
                if spelling is not name:
                    line = lines.get("aliases", line)
                if key in seen and fold(seen[key][0]) != fold(name):
                    other, other_line = seen[key]
                    problems.append(
                        f"{path}:{line}: {spelling!r} is claimed by {name!r} and by {other!r} "
                        f"(line {other_line}): one spelling, one person"
                    )
                elif key in seen and spelling == name and key not in own:
                    problems.append(
                        f"{path}:{line}: {name!r} is listed twice (first at line {seen[key][1]}): "
                        "put all its aliases in one entry"
                    )
                seen.setdefault(key, (name, line))
                own.add(key)
            table.add(name, clean_aliases, qid.strip() if qid else None)
        if problems:
            raise KgError("invalid alias file:\n  " + "\n  ".join(problems))
        return table

    def add(self, name: str, aliases: list[str], qid: str | None = None, where: str = "") -> None:
        if qid and not _QID.match(str(qid)):
            raise KgError(f"{where}: wikidata id {qid!r} is not of the form Q123")
        self.canonical[fold(name)] = name
        for alias in aliases:
            self.canonical.setdefault(fold(str(alias)), name)
            if str(alias) not in self.spellings.setdefault(name, []):
                self.spellings[name].append(str(alias))
        if qid:
            self.wikidata[name] = str(qid)

    def aliases_of(self, name: str) -> list[str]:
        """The other spellings the file lists for a canonical name."""
        return list(self.spellings.get(name, []))

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(fold(name))


def _toml_entries(path: Path, text: str) -> list[tuple[object, dict[str, int]]]:
    """The [[person]] entries with the line of each entry and of each of its keys."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        at = f":{line.group(1)}" if line else ""
        raise KgError(f"{path}{at}: not valid TOML ({exc})") from None
    unknown = [k for k in data if k != "person"]
    if unknown:
        line = _first_line(
            text, rf"^\s*\[*\s*{re.escape(unknown[0])}\b|^\s*{re.escape(unknown[0])}\s*="
        )
        raise KgError(
            f"{path}:{line}: unknown table {unknown[0]!r}: an alias file is a list of "
            '[[person]] tables (name = "...", aliases = [...], wikidata = "Q...")'
        )
    people = data.get("person", [])
    if not isinstance(people, list):
        raise KgError(f"{path}: 'person' must be a list of tables: write [[person]], not [person]")
    lines = text.splitlines()
    starts = [i + 1 for i, line in enumerate(lines) if re.match(r"^\s*\[\[\s*person\s*\]\]", line)]
    result = []
    for index, entry in enumerate(people):
        start = starts[index] if index < len(starts) else 0
        end = starts[index + 1] if index + 1 < len(starts) else len(lines) + 1
        where = {"": start}
        for number in range(start, end):
            match = re.match(r"^\s*([A-Za-z_][\w-]*)\s*=", lines[number - 1]) if number else None
            if match:
                where.setdefault(match.group(1), number)
        result.append((entry, where))
    return result


def _yaml_entries(path: Path, text: str) -> list[tuple[object, dict[str, int]]]:
    """The YAML list's entries with the line of each entry and of each of its keys."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}" if mark is not None else ""
        raise KgError(f"{path}{at}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise KgError(
            f"{path}:{root.start_mark.line + 1}: expected a list of people "
            "(- name: ...), found a "
            + ("mapping" if isinstance(root, yaml.MappingNode) else "value")
        )
    loader = yaml.SafeLoader("")
    result = []
    for node in root.value:
        where = {"": node.start_mark.line + 1}
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                where.setdefault(str(key_node.value), key_node.start_mark.line + 1)
        try:
            value = loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise KgError(f"{path}:{node.start_mark.line + 1}: {exc}") from None
        result.append((value, where))
    return result


def _first_line(text: str, pattern: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.search(pattern, line):
            return number
    return 1


__all__ = ["AliasTable", "fold"]
