"""The reduce step at scale: seconds to resolve synthetic corpora of 10k, 100k and 1M quotes.

The quotes imitate a newsroom's archive: speakers drawn from a Zipf law over people (and
one speaker holding 5% of all quotes, the case that made the old pairwise step explode),
surnames shared by many people, every person written several ways (the full name, the
surname alone, with a title, with a middle initial, with a nickname, transliterated),
quote texts of Zipf-distributed words of lognormal length from a vocabulary that grows
with the archive (Heaps' law), a fifth of the quotes re-reporting a recent statement
(most statements are reported once, some by dozens of outlets) with a word or two
changed, a few given to another speaker (conflicting attributions), relays and addressees. The
reduce step (`kg.corpus.resolve_corpus`: people, statements, conflicts) is timed alone;
generating the quotes is not counted.

    python -m bench.resolve_scale                 # 10k, 100k, 1M; target time(1M)/time(100k) <= 15
    python -m bench.resolve_scale --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import random
import sys
import time
from bisect import bisect_left

from kg.corpus import ArticleInfo, Extracted, resolve_corpus
from kg.extract.model import ArticleQuotes, Quote, Speaker

TARGET_RATIO = 15
QUOTES_PER_ARTICLE = 10
HEAVY_SHARE = 0.05
REPEAT_SHARE = 0.2
CONFLICT_SHARE = 0.005
GIVEN = [
    "Aaron",
    "Abigail",
    "Adam",
    "Alan",
    "Albert",
    "Alexander",
    "Alexandra",
    "Alice",
    "Amelia",
    "Andrew",
    "Anna",
    "Anthony",
    "Arthur",
    "Barbara",
    "Benjamin",
    "Bernard",
    "Beth",
    "Bradley",
    "Brian",
    "Carol",
    "Catherine",
    "Charles",
    "Chloe",
    "Christopher",
    "Claire",
    "Daniel",
    "David",
    "Deborah",
    "Dennis",
    "Donald",
    "Dorothy",
    "Douglas",
    "Edward",
    "Eleanor",
    "Elizabeth",
    "Emily",
    "Emma",
    "Eric",
    "Eugene",
    "Frances",
    "Francis",
    "Frank",
    "Frederick",
    "Gabriel",
    "George",
    "Grace",
    "Gregory",
    "Hannah",
    "Harold",
    "Helen",
    "Henry",
    "Isaac",
    "Jacob",
    "James",
    "Jane",
    "Janet",
    "Jeffrey",
    "Jennifer",
    "Jessica",
    "Joan",
    "John",
    "Jonathan",
    "Joseph",
    "Joshua",
    "Judith",
    "Julia",
    "Karen",
    "Katherine",
    "Kenneth",
    "Laura",
    "Lawrence",
    "Leonard",
    "Linda",
    "Louis",
    "Lucy",
    "Margaret",
    "Maria",
    "Mark",
    "Martha",
    "Mary",
    "Matthew",
    "Michael",
    "Nancy",
    "Nathan",
    "Nicholas",
    "Olivia",
    "Patricia",
    "Patrick",
    "Paul",
    "Peter",
    "Philip",
    "Rachel",
    "Rebecca",
    "Richard",
    "Robert",
    "Ronald",
    "Rose",
    "Ruth",
    "Samuel",
    "Sarah",
    "Sophie",
    "Stephen",
    "Susan",
    "Teresa",
    "Thomas",
    "Timothy",
    "Victoria",
    "Walter",
    "William",
]
NICK = {
    "William": "Bill",
    "Robert": "Bob",
    "Richard": "Dick",
    "James": "Jim",
    "Michael": "Mike",
    "Anthony": "Tony",
    "Elizabeth": "Liz",
    "Katherine": "Kate",
    "Edward": "Ted",
    "Joseph": "Joe",
    "Thomas": "Tom",
    "Matthew": "Matt",
    "Daniel": "Dan",
    "Samuel": "Sam",
    "Peter": "Pete",
}
TITLES = ["President", "Minister", "Senator", "Mayor", "Dr.", "Mr.", "Ms.", "Judge", "Sir"]
OUTLETS = ["Daily Ledger", "Harbour Times", "Valley Post", "Metro Wire", "State Television"]
STOP = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "that",
    "is",
    "for",
    "it",
    "on",
    "was",
    "with",
    "as",
    "be",
    "by",
    "at",
    "this",
    "have",
    "from",
    "are",
    "not",
    "we",
]
SYLLABLES = [a + b for a in "bcdfghjklmnprstvwz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]


def _words(rng: random.Random, count: int, syllables: tuple[int, int]) -> list[str]:
    seen: set[str] = set()
    words = []
    while len(words) < count:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(*syllables)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights over `count` ranks (for `random.choices(cum_weights=)`)."""
    return list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))


class Corpus:
    """A deterministic synthetic archive of about `quotes` quotes."""

    def __init__(self, quotes: int, seed: int = 11) -> None:
        self.rng = rng = random.Random(seed)
        self.quotes = quotes
        # Heaps' law: a bigger archive uses more distinct words (about 20 * tokens ** 0.6)
        vocabulary = _words(rng, int(20 * (quotes * 10) ** 0.6), (2, 4))
        self.vocabulary = vocabulary
        self.word_weights = _zipf(len(vocabulary), 1.05)
        surnames = [w.capitalize() for w in _words(rng, max(300, quotes // 60), (2, 3))]
        surname_weights = _zipf(len(surnames), 0.9)
        people = max(200, quotes // 25)
        self.people = []
        for _ in range(people):
            given = rng.choice(GIVEN)
            surname = surnames[bisect_left(surname_weights, rng.random() * surname_weights[-1])]
            middle = rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.3 else None
            self.people.append((given, middle, surname))
        self.people_weights = _zipf(people, 1.1)
        self.pending: list[tuple[int, list[str], int]] = []

    def speaker(self) -> int:
        if self.rng.random() < HEAVY_SHARE:
            return 0
        total = self.people_weights[-1]
        return 1 + min(
            bisect_left(self.people_weights, self.rng.random() * total), len(self.people) - 2
        )

    def spelling(self, person: int) -> str:
        """One of the ways an article writes this person."""
        given, middle, surname = self.people[person]
        roll = self.rng.random()
        if roll < 0.62:
            return f"{given} {surname}"
        if roll < 0.72:
            return surname
        if roll < 0.80:
            return f"{self.rng.choice(TITLES)} {given} {surname}"
        if roll < 0.88 and middle:
            return f"{given} {middle}. {surname}"
        if roll < 0.93 and given in NICK:
            return f"{NICK[given]} {surname}"
        if roll < 0.97:
            return f"{given} {surname}{'y' if not surname.endswith('y') else 'i'}"
        return f"{given} {surname}"

    def statement(self) -> tuple[int, str]:
        """A speaker and words: a new statement, or another outlet's report of a recent one.

        A new statement is reported again a few times in the next articles (most never,
        some by dozens of outlets: a Pareto law), with a word or two changed; now and then
        an article gives a recent statement to someone else."""
        rng = self.rng
        if self.pending and rng.random() < REPEAT_SHARE:
            slot = rng.randrange(len(self.pending))
            speaker, words, left = self.pending[slot]
            if left <= 1:
                self.pending[slot] = self.pending[-1]
                self.pending.pop()
            else:
                self.pending[slot] = (speaker, words, left - 1)
            words = list(words)
            for _ in range(rng.randint(1, 2)):
                words[rng.randrange(len(words))] = self._word()
            if rng.random() < CONFLICT_SHARE / REPEAT_SHARE:
                speaker = self.speaker()
            return speaker, " ".join(words)
        speaker = self.speaker()
        length = max(3, min(80, int(math.exp(rng.gauss(2.7, 0.5)))))
        words = [rng.choice(STOP) if rng.random() < 0.35 else self._word() for _ in range(length)]
        reach = min(60, int(rng.paretovariate(1.3))) - 1
        if reach > 0:
            self.pending.append((speaker, words, reach))
        return speaker, " ".join(words)

    def _word(self) -> str:
        index = bisect_left(self.word_weights, self.rng.random() * self.word_weights[-1])
        return self.vocabulary[min(index, len(self.vocabulary) - 1)]

    def articles(self) -> list[Extracted]:
        rng = self.rng
        made = []
        for n in range(math.ceil(self.quotes / QUOTES_PER_ARTICLE)):
            article_id = f"{n:016x}"
            doc = f"a{n:07d}.txt"
            quotes, people, offset = [], {}, 0
            for _ in range(QUOTES_PER_ARTICLE):
                person, text = self.statement()
                name = self.spelling(person)
                _, _, surname = self.people[person]
                people.setdefault(name, sorted({name, surname}))
                quotes.append(
                    Quote(
                        doc,
                        article_id,
                        offset,
                        offset + len(text),
                        text,
                        "direct",
                        Speaker(name, name, "person" if rng.random() < 0.85 else "organization"),
                        cue="said",
                        via=rng.choice(OUTLETS) if rng.random() < 0.1 else None,
                        addressee=self.spelling(self.speaker()) if rng.random() < 0.1 else None,
                    )
                )
                offset += len(text) + 30
            info = ArticleInfo(article_id, doc, doc, offset)
            made.append(Extracted(info, ArticleQuotes(article_id, doc, quotes, people)))
        return made


def time_resolve(quotes: int, seed: int = 11) -> tuple[float, float, int, int, int]:
    """Wall and CPU seconds of the reduce step on a synthetic corpus, and the agents,
    statements and conflicts it found."""
    articles = Corpus(quotes, seed).articles()
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    corpus = resolve_corpus(articles)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    agents = len({q.speaker.name for q in corpus.quotes})
    statements = len({q.statement for q in corpus.quotes})
    return seconds, cpu, agents, statements, len(corpus.resolution.conflicts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    seconds, cpu_seconds = {}, {}
    print(
        f"{'quotes':>10} {'seconds':>9} {'cpu s':>9} {'agents':>8} {'statements':>11} {'conflicts':>10}"
    )
    for size in args.sizes:
        took, cpu, agents, statements, conflicts = time_resolve(size, args.seed)
        seconds[size], cpu_seconds[size] = took, cpu
        print(
            f"{size:>10,} {took:>9.2f} {cpu:>9.2f} {agents:>8,} {statements:>11,} {conflicts:>10,}",
            flush=True,
        )
    if 100_000 in seconds and 1_000_000 in seconds:
        ratio = seconds[1_000_000] / seconds[100_000]
        cpu_ratio = cpu_seconds[1_000_000] / cpu_seconds[100_000]
        status = "ok" if ratio <= TARGET_RATIO else "ABOVE TARGET"
        print(
            f"time(1M) / time(100k) = {ratio:.1f} (CPU time {cpu_ratio:.1f}; "
            f"target <= {TARGET_RATIO}) [{status}]"
        )
        return 0 if ratio <= TARGET_RATIO else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
