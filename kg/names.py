"""Names and their keys: the one place that folds, parses and compares people's names.

Every stage that needs a name's key uses this module (resolve to merge spellings, rdf to
write ``kg:nameKey``, outputs to bind a query parameter and to suggest names), so no
stage reaches into another for it. It depends on nothing else in kg.

- `fold`: case- and accent-insensitive form of any name or label.
- `parse_name`: the parts of a person's name as an article wrote it: titles, possessive
  or descriptive prefixes and headline words stripped, given name, middle names and
  initials, surname with its particles, generational suffix.
- `skeleton`: a word's spelling skeleton, which transliteration variants share.
- `match_key` / `name_keys`: the keys a query matches; `match_key(x)` is in
  `name_keys(y)` whenever ``x`` is ``y`` with a title, a possessive prefix, a dropped
  middle initial, a transliterated spelling, or (for people) the surname alone.
- `given_names_agree` / `same_person`: the merge rules (kg.resolve merges by them).
- `query_keys`: the keys a typed name is matched by, with the merge rules applied to
  the names the store knows (`names_agree`, `candidate_keys`).
- `given_name_forms`: the nickname groups a given name belongs to (`kg/data/nicknames.txt`).
- `suggest`: "did you mean" candidates for an unknown name.

Word lists live in `kg/data/names.toml` and `kg/data/nicknames.txt`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import tomllib
from rapidfuzz.distance import Levenshtein

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_QUOTE_MARKS = '"“”«»„‟‹›'
_EDGE_JUNK = " \t\n\r\"“”'‘’,.;:()[]{}«»"
_EDGE_KEEP_DOT = _EDGE_JUNK.replace(".", "")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.){1,3}[A-Za-z]?$|^[A-Z]$")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_POSSESSIVE = re.compile(r"^(.*[A-Za-z0-9.])'s?$")


def fold(text: str) -> str:
    """Case- and accent-insensitive key of a name or label, spaces collapsed.

    >>> fold("  José  Ramos-Horta "), fold("ZELENSKYY")
    ('jose ramos-horta', 'zelenskyy')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().split())


@cache
def _words() -> dict:
    return tomllib.loads(resources.files("kg.data").joinpath("names.toml").read_text("utf-8"))


@cache
def _word_set(name: str) -> frozenset[str]:
    return frozenset(_words()[name])


@cache
def _skeleton_rules() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(p), r) for p, r in _words()["skeleton"])


@cache
def _nickname_groups() -> dict[str, frozenset[int]]:
    """Each given name -> the numbers of the groups it belongs to."""
    groups: dict[str, set[int]] = {}
    text = resources.files("kg.data").joinpath("nicknames.txt").read_text("utf-8")
    number = 0
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, rest = line.partition(":")
        number += 1
        for name in [head, *rest.split(",")]:
            if name.strip():
                groups.setdefault(fold(name.strip()), set()).add(number)
    return {name: frozenset(numbers) for name, numbers in groups.items()}


def given_name_forms(given: str) -> frozenset[int]:
    """The nickname groups a folded given name belongs to (empty when it is in none).

    >>> given_name_forms("bill") & given_name_forms("william") != frozenset()
    True
    >>> given_name_forms("ian") & given_name_forms("john")
    frozenset()
    """
    return _nickname_groups().get(given, frozenset())


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """A word's spelling skeleton: transliteration and spelling variants share it.

    >>> [skeleton(w) for w in ("Zelenskyy", "Zelenskiy", "Zelensky", "zelenskij")]
    ['zelenski', 'zelenski', 'zelenski', 'zelenski']
    >>> skeleton("Anthony") == skeleton("Antony"), skeleton("Qin") == skeleton("Chen")
    (True, False)
    """
    text = fold(word)
    for pattern, replacement in _skeleton_rules():
        text = pattern.sub(replacement, text)
    return re.sub(r"(.)\1+", r"\1", text)


@dataclass(frozen=True)
class ParsedName:
    """A name as an article wrote it, taken apart for matching.

    Folded parts: `given` ("john", or an initial "j"), `middles` (names or initials
    between), `particles` and `surname` ("de", "blasio"), `suffix` ("jr"). `display` is
    the name with the stripped words left out, in the article's own case; `stripped`
    says what went: "title" (titles, offices, descriptors), "prefix" (a possessive such
    as "Ukraine's"), "trailing" (words after the name), "case" (only case or accents).
    """

    raw: str
    given: str | None
    middles: tuple[str, ...]
    particles: tuple[str, ...]
    surname: str
    suffix: str | None
    display: str
    stripped: tuple[str, ...]

    @property
    def given_is_initial(self) -> bool:
        return self.given is not None and len(self.given) == 1

    @property
    def is_full(self) -> bool:
        """A given name (or initial) besides the surname."""
        return self.given is not None

    @property
    def surname_key(self) -> str:
        """The blocking key: the surname's skeleton ("zelenski")."""
        return skeleton(self.surname) if self.surname else ""


def parse_name(raw: str) -> ParsedName:
    """Take a name apart: strip what is not the name, find given, middle and surname.

    >>> p = parse_name("Chinese Foreign Minister Qin Gang")
    >>> p.given, p.surname, p.display, p.stripped
    ('qin', 'gang', 'Qin Gang', ('title',))
    >>> p = parse_name("Ukraine's Volodymyr Zelenskyy")
    >>> p.display, p.stripped
    ('Volodymyr Zelenskyy', ('prefix',))
    >>> p = parse_name("Port Deputy Director J.R. Hollis, Jr.")
    >>> p.given, p.middles, p.surname, p.suffix, p.display
    ('j', ('r',), 'hollis', 'jr', 'J.R. Hollis Jr.')
    >>> parse_name("Mr. Blinken.").display, parse_name("The New York Times").display
    ('Blinken', 'New York Times')
    >>> parse_name("KYIV — Volodymyr Zelenskyy").display
    'Volodymyr Zelenskyy'

    >>> p = parse_name("Mayor Bill de Blasio")
    >>> p.given, p.particles, p.surname
    ('bill', ('de',), 'blasio')
    >>> parse_name("Reyes demands accountability").display, parse_name("Adler Says").display
    ('Reyes', 'Adler')
    >>> parse_name("Luiz Inacio Lula da Silva").given, parse_name("President Biden").given
    ('luiz', None)
    """
    text = " ".join(raw.translate(_APOSTROPHES).split()).strip(_EDGE_KEEP_DOT)
    stripped: list[str] = []
    if not any(ch.isupper() for ch in text):
        # a query typed in lower case, or a description: read it as if capitalised
        text = " ".join(w[:1].upper() + w[1:] for w in text.split())
    suffix_word = None
    head, comma, tail = text.partition(",")
    if comma:
        after = tail.strip(_EDGE_KEEP_DOT).split()
        if after and _is_suffix(after[0]):
            suffix_word = after[0].strip(_EDGE_KEEP_DOT)
        if len(after) != 1 or suffix_word is None:
            stripped.append("trailing")
        text = head
    tokens = [t for t in text.split() if t.strip(_EDGE_JUNK)]
    dashes = [i for i, t in enumerate(tokens) if t in ("-", "–", "—", "|", "/")]
    if dashes and any(t[:1].isupper() for t in tokens[dashes[-1] + 1 :]):
        tokens = [t for t in tokens[dashes[-1] + 1 :] if t]  # a dateline: "Kyiv — Name"
        stripped.append("prefix")
    tokens = _strip_prefix(tokens, stripped)
    tokens = _cut_trailing(tokens, stripped)
    if suffix_word is None and len(tokens) > 1 and _is_suffix(tokens[-1]):
        suffix_word = tokens.pop().strip(_EDGE_KEEP_DOT)
    tokens = [t.strip(_EDGE_KEEP_DOT) or t for t in tokens]
    if (
        tokens
        and tokens[-1].endswith(".")
        and not (_INITIALS.match(tokens[-1]) or len(tokens[-1]) <= 3)
    ):
        tokens[-1] = tokens[-1].rstrip(".")  # the full stop of the sentence it came from
    words = [_fold_word(t) for t in tokens]
    if not words:
        return ParsedName(raw, None, (), (), _fold_word(text), None, text, tuple(stripped))
    surname = words[-1]
    body = words[:-1]
    particles: list[str] = []
    while (
        body and body[-1] in _word_set("particles") and not _INITIALS.match(tokens[len(body) - 1])
    ):
        particles.insert(0, body.pop())
    initials: list[str] = []
    for token, word in zip(tokens, body):
        if _INITIALS.match(token):
            initials.extend(ch.lower() for ch in token if ch.isalpha())
        else:
            initials.append(word)
    given = initials[0] if initials else None
    display = " ".join(tokens) + (f" {suffix_word}" if suffix_word else "")
    suffix = _fold_word(suffix_word) if suffix_word else None
    if not stripped and display != raw.strip():
        stripped.append("case")
    return ParsedName(
        raw, given, tuple(initials[1:]), tuple(particles), surname, suffix, display, tuple(stripped)
    )


def _fold_word(token: str) -> str:
    return fold(token).strip(_EDGE_JUNK).replace(".", "")


def _is_title(token: str) -> bool:
    word = _fold_word(token)
    if word in _word_set("titles"):
        return True
    # scraping glues a caption to a title ("IconPremier"): look at the parts too
    parts = _CAMEL.split(token.strip(_EDGE_JUNK))
    return len(parts) > 1 and _fold_word(parts[-1]) in _word_set("titles")


def _is_name_word(token: str) -> bool:
    word = token.strip(_EDGE_JUNK)
    return bool(word) and (word[:1].isupper() or _fold_word(word) in _word_set("particles"))


def _strip_prefix(tokens: list[str], stripped: list[str]) -> list[str]:
    """Drop what stands before the name: a possessive ("Ukraine's"), titles and offices
    ("Chinese Foreign Minister", "NASA Deputy Administrator"), lower-case descriptors
    ("party spokesman")."""
    for i in range(len(tokens) - 2, -1, -1):
        if _POSSESSIVE.match(tokens[i]) and any(t[:1].isupper() for t in tokens[i + 1 :]):
            tokens = tokens[i + 1 :]
            stripped.append("prefix")
            break
    # the leading run ends with its last title; other capitalised words may precede the
    # first title ("Chinese Foreign Minister"), acronyms and lower-case words sit anywhere
    # in it ("Interim DNC Chairwoman", "Secretary of State"); a name must follow
    cut = -1
    for i, token in enumerate(tokens[: min(len(tokens) - 1, 6)]):
        plain = token.strip(_EDGE_JUNK)
        if _is_title(token) and _fold_word(token) not in _word_set("particles"):
            cut = i
        elif _ACRONYM.match(plain) or plain[:1].islower():
            continue
        elif cut >= 0:
            break
    rest = tokens[cut + 1 :]
    if cut >= 0 and rest and rest[0][:1].isupper() and not _is_suffix(rest[0]):
        tokens = rest
        stripped.append("title")
    while (
        len(tokens) > 1
        and tokens[0][:1].islower()
        and _fold_word(tokens[0]) not in _word_set("particles")
    ):
        tokens = tokens[1:]
        if "title" not in stripped:
            stripped.append("title")
    return tokens


def _is_suffix(token: str) -> bool:
    """ "Jr.", "III"; not initials that spell one ("J.R.")."""
    return _fold_word(token) in _word_set("suffixes") and not re.search(r"\w\.\w", token)


def _cut_trailing(tokens: list[str], stripped: list[str]) -> list[str]:
    """Cut the name where words that are not part of it start: a headline verb ("Adler
    Says"), a quotation mark, a number. Lower-case words stay: "Chinese state media"."""
    for i in range(1, len(tokens)):
        token = tokens[i]
        word = _fold_word(token)
        if (
            token[:1] in _QUOTE_MARKS + "'("
            or word in _word_set("not_name_words")
            or any(ch.isdigit() for ch in token)
        ):
            stripped.append("trailing")
            return tokens[:i]
    return tokens


# -- the merge rules: whether two spellings can be one person's (kg.resolve.people merges
# by them, and a query is matched by them, so both agree on who a name is) ---------------
_SUFFIX_FORMS = {"sr": None, "senior": None, "junior": "jr"}  # a father is often written bare


def given_names_agree(a: str, b: str) -> bool:
    """Whether two folded given names can be one person's.

    >>> given_names_agree("matt", "matthew"), given_names_agree("antony", "anthony")
    (True, True)
    >>> given_names_agree("bill", "william"), given_names_agree("j", "john")
    (True, True)
    >>> given_names_agree("qin", "chen"), given_names_agree("john", "jane")
    (False, False)
    >>> given_names_agree("paul", "paula"), given_names_agree("alexander", "alexandra")
    (False, False)
    """
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0] or skeleton(a)[:1] == skeleton(b)[:1]
    sa, sb = skeleton(a), skeleton(b)
    if sa == sb or given_name_forms(a) & given_name_forms(b):
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return long_[len(short) :] not in _given_endings()
    if min(len(sa), len(sb)) >= 5 and sa[0] == sb[0] and Levenshtein.distance(sa, sb) == 1:
        # one letter apart, but not in the ending, which carries gender (Mario / Maria)
        differs_at = next(
            (i for i, (x, y) in enumerate(zip(sa, sb)) if x != y), min(len(sa), len(sb))
        )
        return differs_at < min(len(sa), len(sb)) - 2
    return False


def _given_endings() -> frozenset[str]:
    return _word_set("given_name_endings")


def _middles_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    for x, y in zip(a, b):
        if x == y:
            continue
        if (len(x) == 1 or len(y) == 1) and x[0] == y[0]:
            continue
        if len(x) > 1 and len(y) > 1 and skeleton(x) == skeleton(y):
            continue
        return False
    return True


def _suffix(p: ParsedName) -> str | None:
    return _SUFFIX_FORMS.get(p.suffix, p.suffix) if p.suffix else None


def same_person(a: ParsedName, b: ParsedName, ignore_suffix: bool = False) -> bool:
    """Whether two full names (given name and surname, same surname block) agree.

    >>> same_person(parse_name("John F. Kirby"), parse_name("John Kirby"))
    True
    >>> same_person(parse_name("George H. W. Bush"), parse_name("George W. Bush"))
    False
    >>> same_person(parse_name("Karl Berg Jr."), parse_name("Karl Berg"))
    False
    """
    if a.given is None or b.given is None:
        return False
    if not given_names_agree(a.given, b.given):
        return False
    if not _middles_agree(a.middles, b.middles):
        return False
    return ignore_suffix or _suffix(a) == _suffix(b)


def match_key(name: str) -> str:
    """The key a query parameter is matched by: titles, prefixes and middle initials
    dropped, each word reduced to its skeleton.

    >>> match_key("John F. Kirby") == match_key("john kirby") == match_key("Mr John Kirby")
    True
    >>> match_key("Zelensky") == match_key("Zelenskiy"), match_key("President Biden")
    (True, 'biden')
    """
    if fold(name).split()[:1] in (["a"], ["an"]):
        return fold(name)  # a description ("a senior official"), not a name
    p = parse_name(name)
    if not p.surname:
        return fold(name)
    words = [p.given] if p.given else []
    words += [m for m in p.middles if len(m) > 1]
    words += [*p.particles, p.surname]
    key = " ".join(skeleton(w) for w in words if w)
    if p.suffix and p.suffix not in _word_set("senior_suffixes"):
        key += " " + p.suffix
    return key or fold(name)


def name_keys(name: str, person: bool = True) -> set[str]:
    """Every key under which a query finds this spelling of an agent's name.

    The folded spelling and its `match_key`; for a person also the given name (or its
    initial) with the surname, middle names dropped, and the surname alone, with and
    without particles. A two-word name whose first word is no known given name may be
    written surname first ("Qin Gang", "Wang Yi"), so it is found by that word too (see
    `surname_first_word`).

    >>> sorted(name_keys("Bill de Blasio"))
    ['b de blasio', 'bil de blasio', 'bill de blasio', 'blasio', 'de blasio']
    >>> sorted(name_keys("Qin Gang"))
    ['gang', 'q gang', 'qin', 'qin gang']
    >>> sorted(name_keys("Riverside Gazette", person=False))
    ['riverside gazete', 'riverside gazette']
    """
    keys = {fold(name), match_key(name)}
    if person:
        p = parse_name(name)
        if p.surname:
            surname = [skeleton(w) for w in (*p.particles, p.surname)]
            keys.add(" ".join(surname))
            keys.add(surname[-1])
            if p.given:
                keys.add(" ".join([skeleton(p.given), *surname]))
                keys.add(" ".join([p.given[0], *surname]))  # "J. Kirby"
            first = surname_first_word(p)
            if first:
                keys.add(skeleton(first))
    keys.discard("")
    return keys


@cache
def census_given_names() -> frozenset[str]:
    """The given names of the US Census lists (the `names` package, public domain),
    lower case: what counts as "a known given name".

    >>> "john" in census_given_names(), "qin" in census_given_names()
    (True, False)
    """
    found: set[str] = set()
    for file in ("dist.male.first", "dist.female.first"):
        for line in resources.files("names").joinpath(file).read_text("utf-8").splitlines():
            if line.strip():
                found.add(line.split()[0].lower())
    return frozenset(found)


def surname_first_word(p: ParsedName) -> str | None:
    """The first word of a two-word name when it may be the surname, written first as
    Chinese, Korean, Vietnamese or Hungarian names are: it is no known given name
    (`census_given_names`). Names with a middle name, an initial, a particle or a
    suffix are not read that way.

    >>> surname_first_word(parse_name("Foreign Minister Wang Yi"))
    'wang'
    >>> surname_first_word(parse_name("John Kirby")), surname_first_word(parse_name("Kirby"))
    (None, None)
    """
    if p.given is None or len(p.given) < 2 or p.middles or p.particles or p.suffix:
        return None
    return None if p.given in census_given_names() else p.given


def names_agree(typed: str, spelling: str) -> bool:
    """Whether a typed name finds a person written `spelling` by the rules that merge two
    spellings into one person across the corpus: titles stripped, the same surname
    skeleton, given names that agree (a nickname, an initial, a short form, a spelling
    one letter apart), middle names that agree where both have them, the same suffix;
    or the same two words in the other order.

    >>> names_agree("Tony Blinken", "Antony Blinken"), names_agree("Sir Keir Starmer", "Keir Starmer")
    (True, True)
    >>> names_agree("Hillary Rodham Clinton", "Hillary Clinton"), names_agree("Gang Qin", "Qin Gang")
    (True, True)
    >>> names_agree("Bill Clinton", "Hillary Clinton"), names_agree("Chen Gang", "Qin Gang")
    (False, False)
    >>> names_agree("Clinton", "Hillary Clinton")  # a surname alone is matched by its key
    False
    """
    a, b = parse_name(typed), parse_name(spelling)
    if a.given is None or b.given is None or not a.surname_key or not b.surname_key:
        return False
    if a.surname_key == b.surname_key:
        return same_person(a, b)
    two_words = not (a.middles or b.middles or a.particles or b.particles)
    return two_words and (skeleton(a.given), a.surname_key) == (b.surname_key, skeleton(b.given))


def candidate_keys(typed: str) -> list[str]:
    """The keys under which the people a typed name may find are stored: its surname's
    skeleton, and the first word's of a two-word name (it may be written the other way
    round).
    A caller looks these up, then keeps the spellings `names_agree` accepts.

    >>> candidate_keys("Gang Qin"), candidate_keys("Mr Blinken"), candidate_keys("J. R. Smith")
    (['qin', 'gang'], ['blinken'], ['smit'])
    """
    p = parse_name(typed)
    keys = [p.surname_key] if p.surname_key else []
    if p.given and len(p.given) > 1 and not p.middles and skeleton(p.given) not in keys:
        keys.append(skeleton(p.given))
    return keys


def query_keys(typed: str, spellings: Mapping[str, str] | Iterable[str] = ()) -> list[str]:
    """The keys a typed name is matched by (kg query, kg html --speaker and the web front
    end all bind a name through this one function): its `match_key`, which every spelling
    the corpus wrote states among its `name_keys`; and, for each person the merge rules
    would make of the typed name and a known spelling (`names_agree`: "Tony Blinken" for
    "Antony Blinken", "Hillary Rodham Clinton" for "Hillary Clinton") that the first key
    does not already find, the `match_key` of that person's canonical name.

    `spellings` maps known spellings to their person's canonical name (a plain list
    means each is its own); the candidates of `candidate_keys` suffice.

    >>> known = {"Antony Blinken": "Antony Blinken", "Anthony Blinken": "Antony Blinken",
    ...          "Hillary Clinton": "Hillary Clinton", "Bill Clinton": "Bill Clinton"}
    >>> query_keys("Tony Blinken", known), query_keys("Secretary Blinken", known)
    (['toni blinken', 'antoni blinken'], ['blinken'])
    >>> query_keys("Hillary Rodham Clinton", known), query_keys("Chelsea Clinton", known)
    (['hilari rodham klinton', 'hilari klinton'], ['chelsea klinton'])
    """
    key = match_key(typed)
    offer = spellings if isinstance(spellings, Mapping) else {s: s for s in spellings}
    found_directly = {
        canonical for spelling, canonical in offer.items() if key in name_keys(spelling)
    }
    keys = [key]
    for spelling, canonical in sorted(offer.items()):
        if canonical in found_directly or not names_agree(typed, spelling):
            continue
        other = match_key(canonical)
        if other not in keys:
            keys.append(other)
    return keys


def looks_like_name(text: str) -> bool:
    """Whether the words are a name (some capitalised word) rather than a description.

    >>> looks_like_name("Qin Gang"), looks_like_name("a senior official"), looks_like_name("reporters")
    (True, False, False)
    >>> looks_like_name("the nation's leader"), looks_like_name("The New York Times")
    (False, True)
    """
    words = text.split()
    if not words:
        return False
    if words[0].lower() in ("a", "an") and len(words) > 1:
        return False
    return any(w[:1].isupper() for w in words if w.lower() != "the" or w[:1] == "T")


def suggest(name: str, known_names: Iterable[str] | Mapping[str, str], limit: int = 3) -> list[str]:
    """The known names closest to `name`, best first, for "did you mean ...?" (the one
    suggestion function of kg: the CLI, the graph page and the web front end call it).

    `known_names` may map each spelling to the name to offer for it (an alternate name to
    its person's canonical name), so one person is offered once.

    >>> suggest("Zelensky", ["Volodymyr Zelenskyy", "Qin Gang", "Joe Biden"])
    ['Volodymyr Zelenskyy']
    >>> suggest("Blinkin", {"Antony Blinken": "Antony Blinken", "Qin": "Qin Gang"})
    ['Antony Blinken']
    >>> suggest("Xyzzy", ["Qin Gang"]), suggest("", ["Qin Gang"])
    ([], [])
    """
    from rapidfuzz import process

    offer = known_names if isinstance(known_names, Mapping) else {n: n for n in known_names}
    by_key: dict[str, str] = {}
    for spelling, canonical in sorted(offer.items()):
        if spelling and spelling.strip():
            by_key.setdefault(fold(spelling), canonical)
    wanted = fold(name)
    if not wanted.strip() or not by_key:
        return []
    found = process.extract(
        wanted, list(by_key), scorer=name_similarity, limit=None, score_cutoff=70
    )
    ranked = sorted(found, key=lambda m: (-m[1], len(m[0]), m[0]))
    out: list[str] = []
    for key, _, _ in ranked:
        if by_key[key] not in out:
            out.append(by_key[key])
    return out[:limit]


def name_similarity(query: str, name: str, **_: object) -> float:
    """How alike a typed name and a known one are (0-100): the whole names, the names with
    their words sorted, or the query against one word of four letters or more ("Blinkin"
    and "Antony Blinken"). Short words never match by being a part of the query.

    >>> round(name_similarity("blinkin", "antony blinken")), round(name_similarity("blinkin", "qin"))
    (81, 40)
    """
    from rapidfuzz import fuzz

    words = [w for w in name.split() if len(w) >= 4]
    by_word = max((fuzz.ratio(query, w) for w in words), default=0.0) * 0.95
    return max(fuzz.ratio(query, name), fuzz.token_sort_ratio(query, name), by_word)


__all__ = [
    "ParsedName",
    "fold",
    "given_name_forms",
    "looks_like_name",
    "candidate_keys",
    "census_given_names",
    "given_names_agree",
    "match_key",
    "name_keys",
    "names_agree",
    "query_keys",
    "same_person",
    "surname_first_word",
    "parse_name",
    "skeleton",
    "suggest",
]
