"""Synthetic corpora that follow kg's model, for benchmarks and scale tests.

`synthetic_corpus` makes resolved articles and quotes (the reduce step's output) without
parsing any text; `synthetic_nquads` turns them into the same named-graph N-Quads that
`kg build` stores, through the real `article_triples`. Deterministic for a given seed.

    python -m bench.synthetic --triples 1000000 -o /tmp/kg-1m.nq
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator

from kg.corpus import ArticleInfo
from kg.extract import Quote, Speaker
from kg.extract.topics import default_taxonomy
from kg.rdf.triples import article_triples, graph_iri

FIRST = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kai", "Lea"]
LAST = [
    "Abbot",
    "Bryce",
    "Castro",
    "Dunne",
    "Eriksen",
    "Fofana",
    "Grant",
    "Haddad",
    "Ito",
    "Jensen",
]
OUTLETS = ["Daily Ledger", "Harbour Times", "Valley Post", "Metro Wire"]
WORDS = [
    "budget",
    "plan",
    "vote",
    "talks",
    "border",
    "trade",
    "tariff",
    "court",
    "ruling",
    "election",
    "strike",
    "deal",
    "rates",
]
QUOTES_PER_ARTICLE = 12


def speaker_names(count: int) -> list[str]:
    """`count` distinct made-up names ("Ana Abbot", "Ana Abbot 2", ...)."""
    names = [f"{f} {last}" for last in LAST for f in FIRST]
    return [
        names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
        for i in range(count)
    ]


TAILS = ["on Monday", "in a statement", "at a briefing", "late on Friday", "in an interview"]


def synthetic_corpus(
    articles: int, seed: int = 7, speakers: int = 500, text: bool = False
) -> Iterator[tuple[ArticleInfo, list[Quote]]]:
    """Articles with quotes, speakers, addressees, relays, topics and statement ids.

    With `text`, each article also has a title, a url and an exact text in which every
    quote sits inside a sentence of its own ('Ana Abbot said "..." on Monday.'), as a
    built store keeps them; without, the text is empty and quotes are only offsets.
    """
    rng = random.Random(seed)
    people = speaker_names(speakers)
    taxonomy = default_taxonomy()
    # second-level IPTC concepts ("Economy", "Government", "Crime", ...): a query for one
    # of them finds a few percent of the quotes
    branches = sorted(c.iri for c in taxonomy.concepts.values() if c.depth == 2)
    for n in range(articles):
        article_id = f"{n:016x}"
        doc = f"article-{n:06d}.txt"
        quotes = []
        offset = 0
        parts = [f"Report {n} on the {rng.choice(WORDS)} {rng.choice(WORDS)}.\n"] if text else []
        if text:
            offset = len(parts[0])
        for k in range(QUOTES_PER_ARTICLE):
            words = rng.choices(WORDS, k=rng.randint(6, 20))
            quoted = " ".join(words)
            name = people[
                min(int(rng.paretovariate(1.2)) - 1, speakers - 1)
                if k % 2
                else rng.randrange(speakers)
            ]
            kind = rng.choice(["direct", "mixed", "indirect", "unquoted"])
            cue = rng.choice(["said", "told", "added"])
            if text:
                lead = f'{name} {cue} "'
                sentence = f'{lead}{quoted}" {rng.choice(TAILS)}. '
                start = offset + len(lead)
                parts.append(sentence)
            else:
                start = offset
            quotes.append(
                Quote(
                    doc,
                    article_id,
                    start,
                    start + len(quoted),
                    quoted,
                    kind,
                    Speaker(name, name.split()[1]),
                    cue=cue,
                    via=rng.choice(OUTLETS) if k % 5 == 0 else None,
                    addressee=rng.choice(people) if k % 4 == 0 else None,
                    topics=[taxonomy.topic(iri, 0.8) for iri in rng.sample(branches, 2)],
                    confidence=0.8,
                    statement=f"st-{rng.randrange(articles * 4):012x}",
                )
            )
            offset = offset + len(parts[-1]) if text else offset + len(quoted) + 40
        date = f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        outlet = OUTLETS[n % len(OUTLETS)]
        if text:
            body = "".join(parts)
            title = parts[0].strip().rstrip(".")
            info = ArticleInfo(
                article_id,
                doc,
                doc,
                len(body),
                title,
                f"https://news.example/{n}",
                date,
                outlet,
                body,
            )
        else:
            info = ArticleInfo(article_id, doc, doc, offset, None, None, date, outlet)
        yield info, quotes


def synthetic_nquads(triples: int, seed: int = 7) -> Iterator[str]:
    """N-Quads lines, one named graph per article, until about `triples` lines are made."""
    made = 0
    taxonomy = default_taxonomy()
    for info, quotes in synthetic_corpus(10**9, seed):
        graph = f"<{graph_iri(info.id)}>"
        for line in article_triples(info, quotes, taxonomy).serialize(format="nt").splitlines():
            if line.strip():
                yield f"{line[:-1].rstrip()} {graph} .\n"
                made += 1
        if made >= triples:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", help="N-Quads file (default: standard output)")
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.writelines(synthetic_nquads(args.triples, args.seed))
    else:
        sys.stdout.writelines(synthetic_nquads(args.triples, args.seed))


if __name__ == "__main__":
    main()


LIVE_OPENERS = [
    "{name} said on {day} that the {topic} would be {adjective}.",
    "“We have done everything we can for the {topic},” {name} told reporters.",
    "{surname} added that the {topic} had cost {number} million dollars so far.",
    "“Nobody here wants a {adjective} {topic},” {pronoun} said, “and nobody will get one.”",
    "According to {outlet}, {name} warned that the {topic} was {number} weeks late.",
    "The {role} of the {topic} committee, {name}, told the council that {pronoun} would resign.",
    "Asked about the {topic}, {surname} said: “It is not finished, and it will not be {adjective}.”",
    "Residents gathered outside the hall while the debate on the {topic} went on for hours.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ADJECTIVES = ["late", "expensive", "fair", "balanced", "popular", "divisive", "safe"]
ROLES = ["chair", "deputy chair", "treasurer", "secretary"]


def news_paragraphs(seed: int = 3) -> Iterator[str]:
    """Endless paragraphs of made-up local news: quotes of every kind, pronouns, relays."""
    rng = random.Random(seed)
    people = speaker_names(120)
    labels = [c.label for c in default_taxonomy().concepts.values()]
    minute = 0
    while True:
        name = rng.choice(people)
        sentences = []
        for template in rng.sample(LIVE_OPENERS, 3):
            sentences.append(
                template.format(
                    name=name,
                    surname=name.split()[1],
                    pronoun=rng.choice(["she", "he"]),
                    day=rng.choice(DAYS),
                    topic=rng.choice(labels),
                    adjective=rng.choice(ADJECTIVES),
                    number=rng.randint(2, 90),
                    outlet=rng.choice(OUTLETS),
                    role=rng.choice(ROLES),
                )
            )
        minute += rng.randint(1, 9)
        yield f"{8 + minute // 60 % 12}:{minute % 60:02d} " + " ".join(sentences)


def long_article(chars: int, seed: int = 3) -> str:
    """A live blog of about `chars` characters: timestamped paragraphs of news with quotes."""
    parts, size = ["Live: the council debates the city's plans\n"], 0
    for paragraph in news_paragraphs(seed):
        parts.append(paragraph)
        size += len(paragraph) + 2
        if size >= chars:
            break
    return "\n\n".join(parts) + "\n"
