"""kg command line: quotes, build, query, html, stats, export, push, load, serve.

Exit status: 0 done, 1 nothing usable or failed, 2 a usage error (bad options, an
unknown query or parameter).
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import sys
import time
from pathlib import Path

from kg import __version__
from kg.errors import KgError, UsageError

EPILOG = """examples:
  kg quotes seeds --format table
  kg build seeds --out out
  kg build archive --out out --workers 2
  kg text budget.txt --store out --span 46:80
  kg query who-said-what --store out --param speaker="Qin Gang"
  kg html --store out -o graph.html --speaker "Joe Biden"
  kg push --store out --endpoint http://localhost:8890/sparql-graph-crud --graph https://example.org/news
  kg load backup.nq.gz --store restored
  kg explain 1f2e3d4c5b6a7980 --store out
  kg explain seeds/000_30997ad6c51fc156.txt --at 990
  kg quotes seeds --format jsonl --disable epithet
  kg serve --store out --port 7878

exit status: 0 done, 1 nothing usable or failed, 2 usage error
"""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Who said what, to whom, about what: a quote-attribution knowledge graph from news.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="files, folders (recursive) or glob patterns (.txt, .html, .jsonl)",
        )
        p.add_argument(
            "--aliases",
            metavar="FILE",
            help="alias file (TOML or YAML): canonical names, aliases, Wikidata ids "
            "(README: the alias file)",
        )
        p.add_argument(
            "--topics",
            metavar="FILE",
            help="SKOS topic scheme in Turtle (default: IPTC Media Topics, kg/data/iptc-mediatopics.ttl)",
        )
        p.add_argument(
            "--topic-keywords",
            metavar="FILE",
            help="keyword file (TOML) giving concepts alternative labels and trigger words"
            " (default: kg/data/topic-keywords.toml; copy and edit it)",
        )
        p.add_argument(
            "--max-bytes",
            type=int,
            default=5 * 1024 * 1024,
            help="skip files larger than this (default 5 MiB)",
        )
        p.add_argument(
            "--max-quotes",
            type=int,
            default=2000,
            help="keep at most this many quotes per article (default 2000)",
        )
        p.add_argument(
            "--quiet", "-q", action="store_true", help="no progress bar or per-file messages"
        )
        p.add_argument(
            "--workers",
            type=int,
            metavar="N",
            help="processes extracting in parallel (default: the usable cores)",
        )
        p.add_argument(
            "--dask",
            metavar="tcp://HOST:PORT|local",
            help="extract on a Dask distributed cluster (its scheduler's address), or on a "
            "local one of --workers processes",
        )
        p.add_argument(
            "--pipeline",
            metavar="FILE",
            help="attribution sieve pipeline (TOML) overriding kg/extract/pipeline.toml",
        )
        p.add_argument(
            "--disable",
            action="append",
            default=[],
            metavar="SIEVE",
            help="switch an attribution sieve off (repeatable; see `kg sieves`)",
        )

    p = sub.add_parser("quotes", help="print the quotes found in articles")
    inputs(p)
    p.add_argument("--format", choices=["jsonl", "table", "csv"], default="table")
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser(
        "build",
        help="extract, store the graph and write graph.ttl, graph.html, quotes.jsonl, report.json",
    )
    inputs(p)
    p.add_argument(
        "--out", required=True, metavar="DIR", help="output folder (the store lives in DIR/store)"
    )
    p.add_argument(
        "--prune",
        action="store_true",
        help="remove articles from the store that are no longer in PATH",
    )
    p.add_argument(
        "--max-nodes",
        type=_positive,
        default=2000,
        metavar="N",
        help="most nodes graph.html draws at once, the most quoted first (default 2000)",
    )
    p.add_argument(
        "--page-quotes",
        type=_non_negative,
        default=50_000,
        metavar="N",
        help="most quotes graph.html holds: those of the most quoted speakers, each speaker "
        "whole; 0 for all (default 50000; each costs the build about 2.5 KB of memory)",
    )
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "text",
        help="print an article's exact text as stored (every quote's offsets point into it)",
    )
    p.add_argument(
        "doc", metavar="DOC", help="the article's doc name (as in quotes.jsonl), id or url"
    )
    p.add_argument("--store", required=True, metavar="DIR")
    p.add_argument("--span", metavar="START:END", help="only these character offsets")
    p.set_defaults(func=cmd_text)

    p = sub.add_parser("query", help="run a named SPARQL query, a .rq file or SPARQL text")
    p.add_argument("query", metavar="NAME|FILE.rq|SPARQL")
    p.add_argument(
        "--store", required=True, metavar="DIR", help="the build folder or the store inside it"
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a declared parameter (repeatable); a speaker finds the person under any "
        "spelling, and a name nobody has is an error naming the closest",
    )
    p.add_argument(
        "--format",
        choices=["table", "csv", "json", "srj", "srx", "tsv"],
        default="table",
        help="table, csv, json (plain values), or the W3C results formats srj (SPARQL JSON), "
        "srx (SPARQL XML), tsv (terms in Turtle syntax)",
    )
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("queries", help="list the named queries and their parameters")
    p.set_defaults(func=cmd_queries)

    p = sub.add_parser(
        "explain",
        help="why a quote has its speaker: the passage with cue, mention and antecedent "
        "marked, and the sieves that decided",
    )
    p.add_argument("target", metavar="ID|FILE", help="a quote id (quotes.jsonl) or an article file")
    p.add_argument("--store", metavar="DIR", help="the build's store (with a quote id)")
    p.add_argument(
        "--at", type=int, metavar="OFFSET", help="with a FILE: a character offset inside the quote"
    )
    p.add_argument("--pipeline", metavar="FILE", help="sieve pipeline file (with a FILE)")
    p.add_argument("--disable", action="append", default=[], metavar="SIEVE")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("sieves", help="list the attribution sieves in pipeline order")
    p.add_argument("--pipeline", metavar="FILE", help="sieve pipeline file to show")
    p.add_argument("--markdown", action="store_true", help="a Markdown table with examples")
    p.add_argument("--disable", action="append", default=[], metavar="SIEVE")
    p.set_defaults(func=cmd_sieves)

    p = sub.add_parser(
        "html",
        help="write the interactive graph page: speakers and topics, the quotes behind them",
    )
    p.add_argument("--store", required=True, metavar="DIR", help="a kg build folder or its store")
    p.add_argument(
        "-o", "--output", default="graph.html", metavar="FILE", help="default graph.html"
    )
    p.add_argument(
        "--speaker",
        metavar="NAME",
        help="only this speaker's quotes (any of their names; no match exits 1 with suggestions)",
    )
    p.add_argument(
        "--max-nodes",
        type=_positive,
        default=2000,
        metavar="N",
        help="most nodes drawn at once, the most quoted first (default 2000); every quote stays in the list",
    )
    p.add_argument(
        "--view",
        choices=["speakers", "quotes"],
        default="speakers",
        help="what the page opens on: speakers and topics (default), or every quotation and article as a node",
    )
    p.set_defaults(func=cmd_html)

    p = sub.add_parser(
        "stats",
        help="graph analytics: top speakers, who addresses whom, topics and mentions apart,"
        " communities",
    )
    p.add_argument("--store", required=True, metavar="DIR")
    p.add_argument("--top", type=int, default=10)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "export", help="export the graph: turtle, nt, trig, nquads, jsonld, graphml, gexf"
    )
    p.add_argument("--store", required=True, metavar="DIR")
    p.add_argument(
        "--format",
        required=True,
        choices=["turtle", "nt", "trig", "nquads", "jsonld", "graphml", "gexf"],
    )
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "push", help="send the graph to a SPARQL store (SPARQL 1.1 Graph Store HTTP Protocol)"
    )
    p.add_argument("--store", required=True, metavar="DIR")
    p.add_argument("--endpoint", required=True, metavar="URL", help="the server's graph store URL")
    target = p.add_mutually_exclusive_group()
    target.add_argument(
        "--graph", metavar="IRI", help="target graph for all articles (default: the default graph)"
    )
    target.add_argument(
        "--per-article",
        action="store_true",
        help="one graph per article, under the same IRIs as the local store",
    )
    p.add_argument("--user", metavar="NAME:PASSWORD", help="HTTP basic/digest credentials")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser(
        "load",
        help="bulk load RDF files (N-Quads, TriG, Turtle, N-Triples, JSON-LD, RDF/XML) into a store",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="RDF files, optionally .gz")
    p.add_argument(
        "--store", required=True, metavar="DIR", help="the store's folder (created if missing)"
    )
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="named graph for files of triples (default: each file's file: IRI)",
    )
    p.add_argument(
        "--format", metavar="EXT", help="syntax of every file: nq, trig, ttl, nt, n3, jsonld, rdf"
    )
    p.add_argument("--workers", type=int, help="parallel load threads (default: the cores)")
    p.add_argument(
        "--compact",
        action="store_true",
        help="merge the store's files after loading: a slower load, faster queries",
    )
    p.set_defaults(func=cmd_load)

    p = sub.add_parser(
        "serve",
        help="a read-only SPARQL 1.1 endpoint and a web front end over the store",
        description="Serve the store: /sparql (SPARQL 1.1 Protocol), /queries (named queries), "
        "/store (Graph Store Protocol, read), and pages to search who said what, read a "
        "speaker's quotes and check each quote in its article. A newer store published by "
        "`kg build` is picked up without a restart.",
    )
    p.add_argument(
        "--store", required=True, metavar="DIR", help="the build folder or the store inside it"
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="seconds a query may run before it is stopped (default 10)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        default=10_000,
        metavar="N",
        help="largest result, in rows or triples (default 10000); larger ones are refused",
    )
    p.add_argument(
        "--max-request-bytes",
        type=int,
        default=1024 * 1024,
        metavar="N",
        help="largest request body or query string (default 1 MiB)",
    )
    p.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let pages from this origin call the endpoint (repeatable; '*' for any)",
    )
    p.add_argument(
        "--workers", type=int, metavar="N", help="query worker processes (default: the cores)"
    )
    p.add_argument(
        "--cache-mb",
        type=int,
        default=64,
        metavar="N",
        help="keep answers of the current store generation in N MiB of memory (default 64; 0: off)",
    )
    p.set_defaults(func=cmd_serve)
    return parser


# -- quotes ---------------------------------------------------------------------------------
def _map_options(args, source_triples: bool):
    from kg.build import MapOptions, sieve_pipeline

    disable = tuple(args.disable)
    sieve_pipeline(args.pipeline, disable)  # a bad pipeline file fails here, before any work
    return MapOptions(
        args.max_bytes,
        args.max_quotes,
        args.topics,
        source_triples,
        args.pipeline,
        disable,
        topic_keywords=args.topic_keywords,
    )


def _aliases(args):
    from kg.extract.topics import Taxonomy
    from kg.resolve import AliasTable

    if args.topics or args.topic_keywords:
        # a bad scheme or keyword file fails here, before any work
        Taxonomy.load(args.topics, args.topic_keywords)
    return AliasTable.load(args.aliases) if args.aliases else None


class _Progress:
    """Per-article callback: a progress bar on a terminal, and a line per skipped file."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit="article", file=sys.stderr, leave=False)

    def __call__(self, item) -> None:
        from kg.ingest import Skipped

        if isinstance(item, Skipped):
            if not self.quiet:
                print(f"kg: skipped {item}", file=sys.stderr)
            return
        if not self.quiet:
            for note in item.notes:
                print(f"kg: {item.info.path}: {note}", file=sys.stderr)
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _workers(args) -> int:
    """`--workers` checked; where the map step will run in local worker processes, their
    fork server is started before this process imports the pipeline: it loads the model
    meanwhile."""
    from kg._pool import check_workers, start_fork_server, worth_a_pool

    workers = check_workers(args.workers)
    if not args.dask and worth_a_pool(args.paths, workers):
        start_fork_server()
    return workers


def cmd_quotes(args) -> int:
    workers = _workers(args)
    from kg.build import collect, quote_records, reduce_step, resolved_articles

    aliases = _aliases(args)
    progress = _Progress(args.quiet)
    try:
        collected = collect(
            args.paths, _map_options(args, False), workers=workers, dask=args.dask, on_item=progress
        )
    finally:
        progress.close()
    try:
        reduced = reduce_step(collected, aliases)
        records = (r for article in resolved_articles(collected) for r in quote_records(article))
        _print_quotes(records, args.format, sys.stdout)
    finally:
        collected.close()
    return 0 if reduced.articles else 1


def _print_quotes(records, form: str, out) -> None:
    """Quote records as JSON lines or CSV as they come; a table of all of them."""
    if form == "jsonl":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif form == "csv":
        writer = csv.writer(out)
        first = next(records, None)
        columns = list(first) if first else ["doc", "start", "end", "text", "speaker"]
        writer.writerow(columns)
        for record in itertools.chain([first] if first else [], records):
            writer.writerow([_csv_cell(v) for v in record.values()])
    else:
        from kg.outputs.query import table

        rows = [[r["doc"], r["speaker"], r["kind"], r["text"]] for r in records]
        out.write(table(["doc", "speaker", "kind", "text"], rows, 80))


def _csv_cell(value) -> str:
    """A CSV cell: lists of words joined by "; ", structured values as JSON."""
    if value is None:
        return ""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False)
    return value


# -- build -----------------------------------------------------------------------------------
def cmd_build(args) -> int:
    workers = _workers(args)
    from kg.build import NoArticles, build

    aliases = _aliases(args)
    progress = _Progress(args.quiet)
    try:
        result = build(
            args.paths,
            args.out,
            _map_options(args, True),
            aliases=aliases,
            prune=args.prune,
            max_nodes=args.max_nodes,
            page_quotes=args.page_quotes or None,
            workers=workers,
            dask=args.dask,
            on_item=progress,
        )
    except NoArticles as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    if result.stale:
        print(
            f"kg: warning: {result.stale} stored article(s) are no longer in the inputs "
            "(kept; --prune removes them)",
            file=sys.stderr,
        )
    if result.page_cut and not args.quiet:
        shown, total = result.page_cut
        print(
            f"kg: graph.html holds {shown:,} of {total:,} quotes: every quote of the most "
            f"quoted speakers that fit in --page-quotes {args.page_quotes} (0: all); "
            f"kg html --store {args.out} --speaker NAME draws anyone's",
            file=sys.stderr,
        )
    if not args.quiet:
        reduced = result.reduced
        failed = f", {len(result.failed)} failed" if result.failed else ""
        print(
            f"kg: {reduced.articles} articles, {reduced.quotes} quotes, {reduced.speakers} "
            f"speakers, {len(reduced.skipped)} skipped{failed} -> {args.out}/",
            file=sys.stderr,
        )
    return 0


# -- text ------------------------------------------------------------------------------------
def cmd_text(args) -> int:
    from kg.outputs.text import article_text

    text = article_text(_open_store(args.store), args.doc)
    if args.span:
        try:
            start, end = (int(x) for x in args.span.split(":"))
        except ValueError:
            raise KgError(
                f"--span needs START:END (character offsets), got {args.span!r}"
            ) from None
        if not 0 <= start <= end <= len(text):
            raise UsageError(f"--span {args.span} is outside the text ({len(text)} characters)")
        text = text[start:end]
    sys.stdout.buffer.write(text.encode("utf-8", "surrogatepass"))
    return 0


# -- query and friends -------------------------------------------------------------------------
def _open_store(path: str):
    from kg.outputs.query import store_root
    from kg.rdf.store import KgStore

    return KgStore(store_root(path), read_only=True)


def cmd_query(args) -> int:
    from kg.outputs.query import (
        execute,
        format_rows,
        load_query,
        name_parameters,
        run_query,
        w3c_results,
    )

    values = {}
    for item in args.param:
        if "=" not in item:
            raise UsageError(f"--param needs NAME=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        values[key.strip()] = value
    query = load_query(args.query)
    store = _open_store(args.store)
    # a name nobody has is an error naming the closest names, not an empty answer
    _check_names(store, {p: values[p] for p in name_parameters(query) if values.get(p)})
    if args.format in ("srj", "srx", "tsv"):
        sys.stdout.buffer.write(w3c_results(execute(store, query, values), args.format))
        sys.stdout.flush()
        return 0
    columns, rows = run_query(store, query, values)
    sys.stdout.write(format_rows(columns, rows, args.format))
    return 0


def _check_names(store, names: dict[str, str]) -> None:
    """An unknown name is an error with suggestions, not an empty answer."""
    from kg.outputs.query import unknown_name

    for what, value in names.items():
        message = unknown_name(store, value, what)
        if message:
            raise KgError(message)


def cmd_explain(args) -> int:
    from kg.extract.sieves import load_pipeline_config
    from kg.outputs.explain import explain_file, explain_stored

    if args.at is not None:
        pipeline = load_pipeline_config(args.pipeline, args.disable)
        explanation = explain_file(args.target, args.at, pipeline)
    elif args.store:
        explanation = explain_stored(_open_store(args.store), args.target)
    else:
        raise UsageError("kg explain needs --store DIR with a quote id, or --at OFFSET with a file")
    sys.stdout.write(explanation.render())
    return 0


def cmd_sieves(args) -> int:
    from kg.extract.sieves import REGISTRY, STAGES, load_pipeline_config

    pipeline = load_pipeline_config(args.pipeline, args.disable)
    if args.markdown:
        from kg.extract.sieves.registry import catalogue

        print(catalogue(pipeline))
        return 0
    for stage in STAGES:
        print(f"[{stage}]")
        for name in pipeline.order.get(stage, ()):
            key = f"{stage}.{name}"
            s = REGISTRY[key]
            state = "off" if key in pipeline.disabled else "on "
            print(f"  {state} {name:<24} {s.rule}")
    return 0


def cmd_queries(args) -> int:
    from kg.outputs.query import available_queries, load_query

    for name in available_queries():
        q = load_query(name)
        params = ", ".join(q.params) or "no parameters"
        print(f"{name:32} {q.description}  [{params}]")
    return 0


def cmd_html(args) -> int:
    from kg.files import atomic_output
    from kg.outputs.html import drawn_summary, page_model, write_page
    from kg.outputs.pagedata import UnknownSpeaker, read_page_data

    try:
        data = read_page_data(_open_store(args.store), speaker=args.speaker)
    except UnknownSpeaker as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return 1
    model = page_model(data, args.max_nodes, args.view)
    with atomic_output(args.output) as fh:
        write_page(model, lambda piece: fh.write(piece.encode("utf-8")))
    drawn, total = drawn_summary(model)
    cut = f", the {drawn:,} most quoted of {total:,} drawn (--max-nodes)" if drawn < total else ""
    print(
        f"kg: wrote {args.output} ({len(data.quotes):,} quotes, {total:,} speaker and topic "
        f"nodes{cut})",
        file=sys.stderr,
    )
    return 0


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def cmd_stats(args) -> int:
    from kg.outputs import graph as g

    store = _open_store(args.store)
    graph = g.project(store)
    top = args.top
    out = io.StringIO()
    out.write("Speakers by quotes:\n")
    for name, n in g.speakers_by_quotes(graph)[:top]:
        out.write(f"  {n:4}  {name}\n")
    out.write("Speakers by degree (addressed or relayed):\n")
    for name, n in g.speakers_by_degree(graph)[:top]:
        out.write(f"  {n:4}  {name}\n")
    out.write("Who addresses whom:\n")
    for a, b, n in g.who_addresses_whom(graph)[:top]:
        out.write(f"  {n:4}  {a} -> {b}\n")
    store = _open_store(args.store)
    out.write("Topics (what the quotes are about; quotes per concept):\n")
    for label, code, n in g.topic_counts(store)[:top]:
        out.write(f"  {n:4}  {label}" + (f" ({code})" if code else "") + "\n")
    out.write("Mentioned (whom and what the quotes name; quotes per entity):\n")
    for name, kind, n, speaks in g.mention_counts(store)[:top]:
        out.write(f"  {n:4}  {name} [{kind}{', also speaks' if speaks else ''}]\n")
    out.write("Topics per speaker:\n")
    for name, counter in sorted(g.topics_per_speaker(graph).items())[:top]:
        out.write(f"  {name}: " + ", ".join(f"{t} ({n})" for t, n in counter.most_common(5)) + "\n")
    out.write("Communities (speakers sharing topics):\n")
    for i, group in enumerate(g.communities(graph)[:top], 1):
        out.write(f"  {i}. " + ", ".join(group) + "\n")
    out.write(_conflicts_section(store, top))
    sys.stdout.write(out.getvalue())
    return 0


def _conflicts_section(store, top: int) -> str:
    """The same words attributed to different speakers by different articles."""
    from kg.outputs.query import load_query, run_query

    columns, rows = run_query(store, load_query("conflicting-attributions"), {})
    lines = [f"Conflicting attributions ({len(rows)}):\n"]
    for row in [dict(zip(columns, r)) for r in rows][:top]:
        lines.append(
            f"  {row['who']} ({row['doc']}) / {row['otherWho']} ({row['otherDoc']}): "
            f"{' '.join(row['quote'].split())[:70]}\n"
        )
    return "".join(lines)


def cmd_export(args) -> int:
    from contextlib import nullcontext

    from kg.files import atomic_output

    store = _open_store(args.store)
    target = atomic_output(args.output) if args.output else nullcontext(sys.stdout.buffer)
    with target as fh:
        if args.format in ("graphml", "gexf"):
            import networkx as nx

            from kg.outputs.graph import project

            graph = nx.DiGraph(project(store))
            (nx.write_graphml if args.format == "graphml" else nx.write_gexf)(graph, fh)
        else:
            from kg.outputs.export import write

            write(store, args.format, fh)
    return 0


def cmd_push(args) -> int:
    from kg.outputs.push import push

    result = push(_open_store(args.store), args.endpoint, args.graph, args.per_article, args.user)
    print(
        f"kg: pushed {result.triples} triples in {result.graphs} graph(s) to {args.endpoint}",
        file=sys.stderr,
    )
    return 0


def cmd_load(args) -> int:
    from kg.rdf.load import load_files
    from kg.rdf.store import write_lock

    root = Path(args.store)
    started = time.perf_counter()
    with write_lock(root):
        result = load_files(
            root,
            [Path(f) for f in args.files],
            graph=args.graph,
            format=args.format,
            workers=args.workers,
            compact=args.compact,
            locked=True,
        )
    for path, reason in result.skipped:
        print(f"kg: skipped {path}: {reason}", file=sys.stderr)
    print(
        f"kg: loaded {result.loaded} file(s) in {time.perf_counter() - started:.1f} s; "
        f"the store holds {result.triples:,} triples",
        file=sys.stderr,
    )
    return 1 if result.skipped else 0


def cmd_serve(args) -> int:
    from kg.outputs.query import store_root
    from kg.outputs.serve import ServeConfig, serve
    from kg.outputs.serve.workers import default_workers

    for name in ("timeout", "max_rows", "max_request_bytes", "port"):
        if getattr(args, name) <= 0:
            raise UsageError(f"--{name.replace('_', '-')} must be more than 0")
    if args.cache_mb < 0:
        raise UsageError("--cache-mb must be 0 (off) or more")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    root = store_root(args.store)
    config = ServeConfig(
        root=root,
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_request_bytes=args.max_request_bytes,
        cors=tuple(args.cors),
        workers=args.workers or default_workers(),
        cache_bytes=args.cache_mb * 1024 * 1024,
    )
    print(
        f"kg: serving {root} at http://{args.host}:{args.port}/ (SPARQL: /sparql); Ctrl-C stops",
        file=sys.stderr,
    )
    serve(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
