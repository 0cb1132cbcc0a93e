"""Stand-ins for two of the model's components that decide the same thing for the same
kind of token again and again.

spaCy's rule lemmatizer and attribute ruler are pure functions of a few token attributes:
the lemma of (text, part of speech, morphology); the attributes the ruler's patterns set,
of each token's (tag, lowercase form, dependency, is-space). Stock spaCy works them out
per token in Python: the lemmatizer remembers only the words it inflects, and looks each
candidate form up in a list of up to 57,000 words; the ruler runs a general `Matcher`
over its 179 patterns. On news text the two cost a fifth of the parse. The stand-ins
decide each distinct case once and write the answers in one array per doc;
`tests/test_nlp_memo.py` checks that every attribute of every token equals what the
stock components give.

A stand-in takes over only what it reproduces exactly: a lemmatizer in another mode, or
a ruler pattern with an operator or a predicate other than equality, IN, NOT_IN and
REGEX, leaves the stock component in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

MEMO_LIMIT = 500_000  # decisions remembered before a memo starts again: memory stays flat


# -- the lemmatizer -----------------------------------------------------------------------
def lemmatizer_fits(stock: object) -> bool:
    """Whether `MemoLemmatizer` decides as `stock` does: a rule lemmatizer that keeps
    the lemmas set before it."""
    return isinstance(stock, Lemmatizer) and stock.mode == "rule" and not stock.overwrite


class MemoLemmatizer:
    """spaCy's rule lemmatizer, each (text, POS, morphology) lemmatized once.

    The stock rules run on a miss, with the word index as sets (spaCy only tests
    membership in it). A token that already has a lemma (the attribute ruler sets a few)
    keeps it, as the stock component does.
    """

    def __init__(self, stock: Lemmatizer):
        lookups = Lookups()
        for name in stock.lookups.tables:
            table = stock.lookups.get_table(name)
            if name == "lemma_index":
                lookups.add_table(name, {pos: frozenset(words) for pos, words in table.items()})
            else:
                lookups.add_table(name, dict(table))
        stock.lookups = lookups  # the stock component is this one's alone (see `install`)
        self.stock = stock
        self.memo: dict[tuple[int, int, int], int] = {}

    @property
    def lookups(self) -> Lookups:
        """The stock component's tables (kg reads its adjective index), word sets and all."""
        return self.stock.lookups

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = columns[:, 3].copy()
        memo, strings = self.memo, doc.vocab.strings
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = memo[key] = strings.add(self.stock.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas.reshape((-1, 1)))
        return doc


# -- the attribute ruler ------------------------------------------------------------------
# the token attributes a pattern may test, as columns of `Doc.to_array`
TESTED = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
# the attributes a pattern may set through the array; DEP goes through spaCy's setter
SET = {"POS": POS, "TAG": TAG, "MORPH": MORPH, "LEMMA": LEMMA}

Value = int | tuple[bool, ...]
Test = Callable[[tuple[Value, ...]], bool]


class _Column:
    """One tested attribute: the values its patterns name and the regexes they search.

    A value no pattern names is told apart only by which regexes find it, so every such
    value of a column shares one key: the tuple of those answers. Tokens then share keys
    and a token's patterns are decided once per key.
    """

    def __init__(self, strings):
        self.strings = strings
        self.named: set[int] = set()
        self.regexes: list[re.Pattern] = []
        self.keys: dict[int, Value] = {}

    def key(self, value: int) -> Value:
        found = self.keys.get(value)
        if found is None:
            if value in self.named:
                found = value
            elif not self.regexes:
                found = ()
            else:
                text = self.strings[value]
                found = tuple(rx.search(text) is not None for rx in self.regexes)
            if len(self.keys) > MEMO_LIMIT:
                self.keys.clear()
            self.keys[value] = found
        return found

    def code(self, value: object) -> int:
        code = int(value) if isinstance(value, bool) else self.strings.add(value) if value else 0
        self.named.add(code)
        return code

    def test(self, position: int, spec: object) -> Test | None:
        """A test of this column against a pattern's value: equality, IN, NOT_IN, REGEX."""
        if isinstance(spec, (str, bool)):
            wanted = self.code(spec)
            return lambda key: key[position] == wanted
        if not isinstance(spec, dict) or len(spec) != 1:
            return None
        ((operator, value),) = spec.items()
        if operator in ("IN", "NOT_IN"):
            values = frozenset(self.code(v) for v in value)
            if operator == "IN":
                return lambda key: key[position] in values
            return lambda key: key[position] not in values
        if operator == "REGEX" and isinstance(value, str):
            regex, k = re.compile(value), len(self.regexes)
            self.regexes.append(regex)
            strings = self.strings

            def search(key: tuple[Value, ...]) -> bool:
                v = key[position]
                return v[k] if isinstance(v, tuple) else regex.search(strings[v]) is not None

            return search
        return None


class MemoAttributeRuler:
    """The model's attribute ruler, its patterns decided once per distinct token key.

    A token's key (see `_Column`) decides every one-token pattern and the first token of
    the longer ones; a longer pattern whose first token passes is then checked on the
    tokens after it. As in spaCy, every pattern is matched on the doc as it came in, and
    the matches are applied in the order the patterns were added: a later one wins.
    """

    def __init__(self, stock: AttributeRuler):
        strings, vocab = stock.vocab.strings, stock.vocab
        self.columns = [_Column(strings) for _ in TESTED]
        # (the token tests of each of its patterns, the attributes it sets as array
        # columns, those it sets by name, the index of the token it sets them on)
        self.groups: list[tuple[list[list[Test]], list[tuple[int, int]], dict, int]] = []
        self.fits = True
        for entry in stock.patterns:
            array, by_name = _split_attrs(entry["attrs"], vocab)
            patterns = [[self._token_test(spec) for spec in p] for p in entry["patterns"]]
            if array is None or any(not p or None in p for p in patterns):
                self.fits = False
                return
            self.groups.append((patterns, array, by_name, entry.get("index", 0)))
        self.memo: dict[tuple[Value, ...], tuple[list, list]] = {}

    def _token_test(self, spec: dict) -> Test | None:
        tests = []
        for attr, value in spec.items():
            if attr not in TESTED:
                return None
            position = list(TESTED).index(attr)
            test = self.columns[position].test(position, value)
            if test is None:
                return None
            tests.append(test)
        return lambda key: all(test(key) for test in tests)

    def _first(self, key: tuple[Value, ...]) -> tuple[list, list]:
        """(group, target offset) of each one-token pattern a token of this key matches,
        and (group, tests, target offset) of each longer pattern it may start."""
        found = self.memo.get(key)
        if found is None:
            single, longer = [], []
            for g, (patterns, _, _, index) in enumerate(self.groups):
                for tests in patterns:
                    if tests[0](key):
                        offset = index if index >= 0 else len(tests) + index
                        if len(tests) == 1:
                            single.append((g, offset))
                        else:
                            longer.append((g, tests, offset))
            if len(self.memo) > MEMO_LIMIT:
                self.memo.clear()
            found = self.memo[key] = (single, longer)
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        columns = self.columns
        keys = [
            tuple(c.key(v) for c, v in zip(columns, row, strict=True))
            for row in doc.to_array(list(TESTED.values())).tolist()
        ]
        targets: list[set[int]] = [set() for _ in self.groups]
        for i, key in enumerate(keys):
            single, longer = self._first(key)
            for g, offset in single:
                targets[g].add(i + offset)
            for g, tests, offset in longer:
                if i + len(tests) <= len(keys) and all(
                    test(keys[i + k]) for k, test in enumerate(tests[1:], 1)
                ):
                    targets[g].add(i + offset)
        values = doc.to_array(list(SET.values()))
        named: list[tuple[int, dict]] = []
        for (_, array, by_name, _), tokens in zip(self.groups, targets, strict=True):
            if not tokens:
                continue
            chosen = sorted(tokens)
            for column, value in array:
                values[chosen, column] = value
            named.extend((t, by_name) for t in chosen if by_name)
        doc.from_array(list(SET.values()), values)
        for target, attrs in named:
            for name, value in attrs.items():
                setattr(doc[target], name.lower() + "_", value)
        return doc


def _split_attrs(attrs: dict, vocab) -> tuple[list[tuple[int, int]] | None, dict]:
    """A pattern's attributes as (array column, value) pairs, and those set by name;
    None for the pairs where one is neither."""
    names = list(SET)
    array, by_name = [], {}
    for name, value in attrs.items():
        if name == "POS":
            array.append((names.index(name), POS_IDS[value]))
        elif name == "MORPH":
            array.append((names.index(name), vocab.morphology.add(value)))
        elif name in ("TAG", "LEMMA"):
            array.append((names.index(name), vocab.strings.add(value)))
        elif name == "DEP":
            by_name[name] = value
        else:
            return None, {}
    return array, by_name


def attribute_ruler_fits(stock: object) -> bool:
    """Whether `MemoAttributeRuler` reproduces every pattern of `stock`."""
    return isinstance(stock, AttributeRuler) and MemoAttributeRuler(stock).fits


# -- in the pipeline ----------------------------------------------------------------------
# Registered by name, as spaCy's components are: each is built from the stock component
# it stands in for, which `install` then removes.
@Language.factory("kg_memo_attribute_ruler")
def _make_memo_attribute_ruler(nlp: Language, name: str) -> MemoAttributeRuler:
    return MemoAttributeRuler(nlp.get_pipe("attribute_ruler"))


@Language.factory("kg_memo_lemmatizer")
def _make_memo_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    return MemoLemmatizer(nlp.get_pipe("lemmatizer"))


STAND_INS = {
    "attribute_ruler": ("kg_memo_attribute_ruler", attribute_ruler_fits),
    "lemmatizer": ("kg_memo_lemmatizer", lemmatizer_fits),
}


def install(nlp: Language) -> list[str]:
    """Put the stand-ins in the places of the model's attribute ruler and lemmatizer,
    where they reproduce them; returns the names of the components replaced.

    >>> import spacy
    >>> install(spacy.blank("en"))
    []
    """
    replaced = []
    for name, (factory, fits) in STAND_INS.items():
        if name not in nlp.pipe_names or not fits(nlp.get_pipe(name)):
            continue
        nlp.add_pipe(factory, after=name)
        nlp.remove_pipe(name)
        nlp.rename_pipe(factory, name)  # the stock component's name and place in the order
        replaced.append(name)
    return replaced
