"""Names and roles as words: cleaning a name, normalising role vocabulary.

Pure functions of text (and the lexicon); the entity table (`kg.extract.entities`) uses
them to decide that "Mr. Miller", "Miller" and "State Department spokesman Matthew Miller"
are one person with the role "spokesperson".
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extract.lexicon import Lexicon, load_lexicon

_NAME_JUNK = re.compile(r"(?:['’]s|['’])$")


_INNER_APOSTROPHE = re.compile(r"(?<=\w)[’‘ʼ`´](?=\w)")
# a nickname in quotes inside a name: Ramon “Bong” Villarosa, Dwayne "The Rock" Johnson
_NICKNAME = re.compile(r"(?<=\S)\s+[“\"‘'«]([^“”\"‘’'«»]{1,30})[”\"’'»]\s+(?=\S)")
_POSSESSIVE_WORD = re.compile(r"\w['’]s?$")


def nickname(text: str) -> str | None:
    """The nickname written in quotes inside a name, if any.

    >>> nickname("Ramon “Bong” Villarosa"), nickname("Ana Lopez")
    ('Bong', None)
    """
    found = _NICKNAME.search(text)
    return found.group(1).strip() if found else None


def clean_name(text: str, lexicon: Lexicon | None = None) -> tuple[str, str | None]:
    """Strip honorifics, titles, possessives, a quoted nickname and stray marks from a
    name; return it and a gender hint.

    >>> clean_name("Mr. Blinken’s")
    ('Blinken', 'm')
    >>> clean_name("qin gang")
    ('Qin Gang', None)
    >>> clean_name("tenant Ana Lopez"), clean_name("van der Berg")
    (('Ana Lopez', None), ('van der Berg', None))
    >>> clean_name("Sean O’Neill")  # one spelling of the apostrophe, whatever the font
    ("Sean O'Neill", None)
    >>> clean_name("Shri Harish Chandra Rawat"), clean_name("Tan Sri Ahmad Zaki")
    (('Harish Chandra Rawat', 'm'), ('Ahmad Zaki', 'm'))
    >>> clean_name("CS Wanjiru"), clean_name("Ramon “Bong” Villarosa")
    (('Wanjiru', None), ('Ramon Villarosa', None))
    >>> clean_name("Spokesman Gareth Rowlands"), clean_name("Health Minister Joan Carter")
    (('Gareth Rowlands', 'm'), ('Joan Carter', None))
    >>> clean_name("Rapper Tia Marlow"), clean_name("Juror Ana Brill")
    (('Tia Marlow', None), ('Ana Brill', None))

    A title that owns what follows is part of a body's name, not an honorific:

    >>> clean_name("Prime Minister’s Office")
    ("Prime Minister's Office", None)
    """
    lex = lexicon or load_lexicon()
    text = _NICKNAME.sub(" ", _INNER_APOSTROPHE.sub("'", text))
    words = [w for w in re.split(r"\s+", text.strip(" \t\n“”\"'‘’,.;:()")) if w]
    if any(_owning_title(w, lex) for w in words[:-1]):
        # "Prime Minister's Office", "Chief Minister's Office": a body named after an
        # office; cutting its titles would leave only "Office"
        return " ".join(words), None
    gender = None
    while len(words) > 1:
        pair = " ".join(words[:2]).lower().replace(".", "")
        first = words[0].lower().rstrip(".")
        if len(words) > 2 and pair in lex.honorifics:
            gender = gender or lex.honorifics[pair]
            del words[:2]
        elif first in lex.honorifics:
            gender = gender or lex.honorifics[first]
            words.pop(0)
        elif words[0].isupper() and first in lex.role_abbreviations:
            words.pop(0)  # "CS Wanjiru", "PM Modi": an office written as initials
        else:
            break
    # "Spokesman Gareth Rowlands", "Health Minister Joan Carter": a capitalised title run
    # into the name the tagger found; what is left must still be a full name
    cut = max(
        (i + 1 for i, w in enumerate(words[:-2]) if w.lower().rstrip(".") in lex.role_nouns),
        default=0,
    )
    if cut and all(w[:1].isupper() for w in words[:cut]):
        for word in words[:cut]:
            gender = gender or lex.role_gender.get(word.lower().rstrip("."))
        del words[:cut]
    while len(words) > 1 and words[0].islower() and words[0] not in lex.name_particles:
        if not any(w[:1].isupper() for w in words[1:]):
            break
        words.pop(0)  # "tenant Ana Lopez", "striker Tom Hall": a description, not the name
    if words:
        words[-1] = _NAME_JUNK.sub("", re.sub(r"\.[a-z]+$", "", words[-1]))
    words = [w for w in words if w]
    if words and all(w.islower() for w in words):
        words = [w[:1].upper() + w[1:] for w in words]
    return " ".join(words), gender


def _owning_title(word: str, lex: Lexicon) -> bool:
    """A title in the possessive: "Minister's" in "Prime Minister's Office"."""
    if not _POSSESSIVE_WORD.search(word):
        return False
    bare = re.sub(r"['’]s?$", "", word).lower()
    return bare in lex.honorifics or bare in lex.role_nouns


def role_words(tokens: list[Token], lexicon: Lexicon | None = None) -> set[str]:
    """Normalised role vocabulary of some tokens: lemmas, abbreviations expanded.

    >>> import spacy
    >>> sorted(role_words(list(spacy.blank("en")("the Chinese FM"))))
    ['chinese', 'foreign', 'minister']
    """
    lex = lexicon or load_lexicon()
    words: set[str] = set()
    for t in tokens:
        if t.is_punct or t.is_stop or t.like_num:
            continue
        words.update(_normalise_role(t.lower_.strip("."), lex))
    return words


def role_head(word: str, lexicon: Lexicon | None = None) -> str:
    """The head noun of a role word, abbreviations expanded (English titles are head-final).

    >>> role_head("FM"), role_head("spokeswoman"), role_head("officials")
    ('minister', 'spokesperson', 'official')
    """
    return _normalise_role(word.lower().strip("."), lexicon or load_lexicon())[-1]


def _normalise_role(word: str, lex: Lexicon) -> tuple[str, ...]:
    if word in lex.role_abbreviations:
        return lex.role_abbreviations[word]
    if word.endswith("s") and word[:-1] in lex.role_nouns:
        word = word[:-1]
    return (lex.role_synonyms.get(word, word),)


_WORD = re.compile(r"\w+")


def strip_article(text: str) -> str:
    """A name as a name: no leading article, no possessive ending, no bracket left open.

    >>> strip_article("the Harbour Authority"), strip_article("An Post")
    ('Harbour Authority', 'Post')
    >>> strip_article("the Institute for Fiscal Studies's"), strip_article("Police Scotland (North")
    ('Institute for Fiscal Studies', 'Police Scotland')
    """
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\s*[(\[][^)\]]*$", "", text)  # "Constable (North": a bracket left open
    return re.sub(r"['’]s?$", "", text).strip()


def is_media_name(text: str, lexicon: Lexicon | None = None) -> bool:
    """Whether a name contains a word of the news media ("Daily Herald", "state TV").

    >>> is_media_name("The Valley Herald"), is_media_name("Harbour Council")
    (True, False)
    """
    media = (lexicon or load_lexicon()).media_words
    return bool({w.lower() for w in _WORD.findall(text)} & media)


def looks_like_outlet(name: str, lexicon: Lexicon | None = None) -> bool:
    """A relayer named like a news outlet ("state media", "The Times", "CCTV") rather than
    a person.

    >>> looks_like_outlet("The New York Times"), looks_like_outlet("CCTV"), looks_like_outlet("Gavin Newsom")
    (True, True, False)
    """
    media = (lexicon or load_lexicon()).media_words
    words = re.findall(r"[A-Za-z]+", name)
    return any(w.lower() in media or (len(w) >= 3 and w.isupper()) for w in words)
