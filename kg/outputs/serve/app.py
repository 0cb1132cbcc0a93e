"""The `kg serve` ASGI application: the SPARQL 1.1 Protocol, named queries, the Graph Store
Protocol (read), and the front end's pages.

Every query, the pages' included, runs in the worker pool (kg.outputs.serve.workers), so
the timeout holds everywhere and the event loop only moves bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import __version__
from kg.errors import KgError
from kg.names import candidate_keys, query_keys, suggest
from kg.outputs.query import available_queries, bind, load_query, name_parameters, parse_query
from kg.outputs.serve import pages
from kg.outputs.serve.results import ALIASES, GRAPH_TYPES, SOLUTION_TYPES, choose, preferences
from kg.outputs.serve.workers import Answer, Job, QueryPool, QueryTimeout, ServerBusy
from kg.rdf.vocab import AGENT, GRAPH, QUOTE, STATEMENT

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# YASGUI sets element styles from script (CodeMirror, its tables): styles must be inline there
QUERY_PAGE_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
UPDATE_FORMS = ("application/sparql-update",)
_UPDATE_WORDS = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class ServeConfig:
    """How `kg serve` runs (the command's options)."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 1024 * 1024
    cors: tuple[str, ...] = ()
    workers: int = 2
    cache_bytes: int = 64 * 1024 * 1024


class HTTPProblem(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def create_app(config: ServeConfig) -> Starlette:
    pool = QueryPool(config.root, config.workers, config.timeout, config.cache_bytes)
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates.globals.update(
        speaker_id=pages.speaker_id,
        quote_id=pages.quote_id,
        statement_id=pages.statement_id,
        version=__version__,
    )
    page_queries = {
        p.stem: parse_query(p.stem, p.read_text("utf-8"))
        for p in sorted((HERE / "queries").glob("*.rq"))
    }

    @asynccontextmanager
    async def lifespan(app):
        pool.start()
        app.state.pool = pool
        try:
            yield
        finally:
            pool.close()

    # -- helpers ------------------------------------------------------------------------------
    async def rows(name: str, **values: str) -> list[dict]:
        """Rows of one of the pages' own queries, values bound as RDF terms."""
        text = bind(page_queries[name], {k: v for k, v in values.items() if v})
        answer = await run(Job(text, mode="rows", max_rows=config.max_rows))
        return [dict(zip(answer.columns, record)) for record in answer.records]

    async def name_keys(query, values: dict[str, str]) -> dict[str, list[str]]:
        """The keys each name parameter is matched by: the typed name's own and those of
        the people the merge rules find for it (`kg.names.query_keys`, as `kg query`)."""
        keys = {}
        for name in name_parameters(query):
            typed = values.get(name, "").strip()
            if typed:
                people: dict[str, str] = {}
                for key in candidate_keys(typed):
                    for r in await rows("people-by-key", key=key):
                        people.setdefault(r["name"], r["canonical"])
                keys[name] = query_keys(typed, people)
        return keys

    async def run(job: Job) -> Answer:
        try:
            answer = await pool.run(job)
        except QueryTimeout as exc:
            raise HTTPProblem(503, str(exc)) from None
        except ServerBusy as exc:
            raise HTTPProblem(503, str(exc), {"Retry-After": "1"}) from None
        except KgError as exc:
            raise HTTPProblem(503, str(exc)) from None
        if answer.status != 200:
            raise HTTPProblem(answer.status, answer.message)
        return answer

    def html(request: Request, template: str, status: int = 200, csp: str = CSP, **context):
        body = templates.get_template(template).render(request=request, **context)
        return HTMLResponse(
            body, status, headers={**SECURITY_HEADERS, "Content-Security-Policy": csp}
        )

    def wants_html(request: Request) -> bool:
        best = choose(preferences(request.headers.get("accept")), ["text/html", "application/json"])
        return best == "text/html" and "text/html" in request.headers.get("accept", "")

    async def body_of(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > config.max_request_bytes:
            raise HTTPProblem(
                413, f"request body over {config.max_request_bytes} bytes (--max-request-bytes)"
            )
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > config.max_request_bytes:
                raise HTTPProblem(
                    413, f"request body over {config.max_request_bytes} bytes (--max-request-bytes)"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def text_error(request: Request, problem: HTTPProblem) -> Response:
        if wants_html(request):
            return html(
                request,
                "error.html",
                problem.status,
                status_code=problem.status,
                message=problem.message,
            )
        return Response(
            problem.message + "\n",
            problem.status,
            media_type="text/plain; charset=utf-8",
            headers={**SECURITY_HEADERS, **problem.headers},
        )

    # -- the SPARQL 1.1 Protocol ---------------------------------------------------------------
    async def sparql(request: Request) -> Response:
        try:
            return await _sparql(request)
        except HTTPProblem as problem:
            return text_error(request, problem)

    async def _sparql(request: Request) -> Response:
        if len(request.url.query) > config.max_request_bytes:
            raise HTTPProblem(414, f"query string over {config.max_request_bytes} bytes")
        params = parse_qsl(request.url.query, keep_blank_values=True)
        query = None
        if request.method == "POST":
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await body_of(request)
            if media in UPDATE_FORMS:
                raise HTTPProblem(403, "this endpoint is read-only: SPARQL Update is refused")
            if media == "application/x-www-form-urlencoded":
                form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
                if any(k == "update" for k, _ in form):
                    raise HTTPProblem(403, "this endpoint is read-only: SPARQL Update is refused")
                params += form
            elif media == "application/sparql-query":
                query = body.decode("utf-8", "replace")
            else:
                raise HTTPProblem(
                    415,
                    "POST a query as application/sparql-query or application/x-www-form-urlencoded",
                )
        if any(k == "update" for k, _ in params):
            raise HTTPProblem(403, "this endpoint is read-only: SPARQL Update is refused")
        queries = [v for k, v in params if k == "query"]
        if query is None:
            if len(queries) > 1:
                raise HTTPProblem(400, "give one query parameter")
            query = queries[0] if queries else None
        if query is None:
            return service_description(request)
        if _UPDATE_WORDS.match(_strip_prologue(query)):
            raise HTTPProblem(403, "this endpoint is read-only: SPARQL Update is refused")
        accept = preferences(request.headers.get("accept"))
        explicit = [v for k, v in params if k in ("format", "output")]
        if explicit:
            accept = [ALIASES.get(explicit[0].lower(), explicit[0].lower())] + accept
        job = Job(
            query,
            accept=tuple(accept),
            default_graphs=tuple(v for k, v in params if k == "default-graph-uri"),
            named_graphs=tuple(v for k, v in params if k == "named-graph-uri"),
            max_rows=config.max_rows,
        )
        answer = await run(job)
        return Response(
            answer.body,
            200,
            media_type=answer.media_type,
            headers={**SECURITY_HEADERS, "Vary": "Accept"},
        )

    def service_description(request: Request) -> Response:
        endpoint = str(request.url.replace(query="", fragment=""))
        formats = "\n".join(
            f"    sd:resultFormat <http://www.w3.org/ns/formats/{name}> ;"
            for name in (
                "SPARQL_Results_JSON",
                "SPARQL_Results_XML",
                "SPARQL_Results_CSV",
                "SPARQL_Results_TSV",
                "Turtle",
                "N-Triples",
                "JSON-LD",
                "RDF_XML",
            )
        )
        turtle = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

[] a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
{formats}
    sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
    sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;
    sd:defaultDataset [
        a sd:Dataset ;
        dcterms:title "kg: who said what, to whom, about what" ;
        sd:defaultGraph [ a sd:Graph ; dcterms:description "the union of every article's named graph" ]
    ] ;
    dcterms:description "kg {__version__}, read-only (SPARQL Update is refused)" .
"""
        return Response(
            turtle, 200, media_type="text/turtle; charset=utf-8", headers=SECURITY_HEADERS
        )

    # -- Graph Store Protocol (read) ------------------------------------------------------------
    async def graph_store(request: Request) -> Response:
        try:
            if request.method not in ("GET", "HEAD"):
                raise HTTPProblem(
                    405,
                    "this graph store is read-only: GET or HEAD a graph",
                    {"Allow": "GET, HEAD"},
                )
            params = dict(parse_qsl(request.url.query, keep_blank_values=True))
            if "graph" in params:
                graph = params["graph"]
                if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*", graph):
                    raise HTTPProblem(400, "graph must be an absolute IRI")
                where = f"GRAPH <{graph}> {{ ?s ?p ?o }}"
                exists = await run(Job(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", mode="rows"))
                if not exists.records[0][0]:
                    raise HTTPProblem(404, f"no graph {graph} in this store")
            elif "default" in params:
                where = "?s ?p ?o"
            else:
                raise HTTPProblem(400, "give ?graph=IRI (an article's graph) or ?default")
            media = choose(preferences(request.headers.get("accept")), GRAPH_TYPES)
            if media is None:
                raise HTTPProblem(406, "graphs are offered as " + ", ".join(GRAPH_TYPES))
            answer = await run(
                Job(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}", accept=(media,), max_rows=None)
            )
            body = b"" if request.method == "HEAD" else answer.body
            return Response(body, 200, media_type=answer.media_type, headers=SECURITY_HEADERS)
        except HTTPProblem as problem:
            return text_error(request, problem)

    # -- named queries --------------------------------------------------------------------------
    async def queries_index(request: Request) -> Response:
        listing = []
        for name in available_queries():
            q = load_query(name)
            listing.append(
                {
                    "name": name,
                    "description": q.description,
                    "url": str(request.url_for("named_query", name=name)),
                    "parameters": [
                        {
                            "name": p.name,
                            "required": p.required,
                            "kind": p.kind,
                            "description": p.description,
                        }
                        for p in q.params.values()
                    ],
                }
            )
        if wants_html(request):
            return html(request, "queries.html", queries=listing)
        return JSONResponse(listing, headers=SECURITY_HEADERS)

    async def named_query(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            if name not in available_queries():
                raise HTTPProblem(404, f"no named query {name!r}; GET /queries lists them")
            query = load_query(name)
            params = parse_qsl(request.url.query, keep_blank_values=True)
            values = {k: v for k, v in params if k not in ("format", "limit", "offset") and v != ""}
            try:
                text = bind(query, values, await name_keys(query, values))
            except KgError as exc:
                raise HTTPProblem(400, str(exc).replace("--param ", "")) from None
            extra = dict(params)
            for word in ("limit", "offset"):
                if word in extra:
                    if not extra[word].isdigit():
                        raise HTTPProblem(400, f"{word} must be a whole number")
                    text += f"\n{word.upper()} {int(extra[word])}"
            accept = preferences(request.headers.get("accept"))
            if "format" in extra:
                accept = [ALIASES.get(extra["format"].lower(), extra["format"].lower())] + accept
            if wants_html(request) and "format" not in extra:
                answer = await run(Job(text, mode="rows", max_rows=config.max_rows))
                return html(
                    request, "table.html", query=query, values=values, answer=answer, sparql=text
                )
            answer = await run(
                Job(text, accept=tuple(accept) or tuple(SOLUTION_TYPES), max_rows=config.max_rows)
            )
            return Response(
                answer.body,
                200,
                media_type=answer.media_type,
                headers={**SECURITY_HEADERS, "Vary": "Accept"},
            )
        except HTTPProblem as problem:
            return text_error(request, problem)

    # -- the front end ------------------------------------------------------------------------
    async def page(request: Request, handler) -> Response:
        try:
            return await handler(request)
        except HTTPProblem as problem:
            return html(
                request,
                "error.html",
                problem.status,
                status_code=problem.status,
                message=problem.message,
            )

    async def index(request: Request) -> Response:
        return await page(request, _index)

    async def _index(request: Request) -> Response:
        form = {k: request.query_params.get(k, "").strip() for k in SEARCH_FIELDS}
        if form["kind"] and form["kind"] not in ("direct", "mixed", "indirect", "unquoted"):
            raise HTTPProblem(400, "kind is one of direct, mixed, indirect, unquoted")
        for field in ("since", "until"):
            if form[field] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", form[field]):
                raise HTTPProblem(400, f"{field} is a date written YYYY-MM-DD")
        try:
            offset = max(0, int(request.query_params.get("offset", "0")))
        except ValueError:
            offset = 0
        speakers = await rows("overview")
        searched = any(form.values())
        found, suggestions = [], []
        if searched:
            values = {
                **{k: v for k, v in form.items() if v and k != "q"},
                **({"text": form["q"], "textKey": form["q"]} if form["q"] else {}),
            }
            search = page_queries["search"]
            text = bind(search, values, await name_keys(search, values))
            answer = await run(Job(f"{text}\nLIMIT {PAGE_SIZE + 1} OFFSET {offset}", mode="rows"))
            found = [dict(zip(answer.columns, r)) for r in answer.records]
            if not found:
                typed = form["speaker"] or form["q"]
                if typed:
                    canonical = {}
                    for r in await rows("names"):
                        canonical.setdefault(r["name"], r["canonical"])
                    # an alias leads to the person's canonical name
                    suggestions = suggest(typed, canonical, limit=5)
        more = len(found) > PAGE_SIZE
        return html(
            request,
            "index.html",
            form=form,
            searched=searched,
            found=found[:PAGE_SIZE],
            offset=offset,
            next_offset=offset + PAGE_SIZE if more else None,
            previous_offset=max(0, offset - PAGE_SIZE) if offset else None,
            speakers=speakers[:40],
            suggestions=suggestions,
            query_string=lambda **change: urlencode(
                {**{k: v for k, v in form.items() if v}, **change}
            ),
        )

    async def speaker(request: Request) -> Response:
        return await page(request, _speaker)

    async def _speaker(request: Request) -> Response:
        slug = request.path_params["slug"]
        if not pages.valid_id(slug):
            raise HTTPProblem(404, "no such speaker")
        agent = f"<{AGENT[slug]}>"
        names = await rows("speaker-names", agent=agent)
        if not names:
            raise HTTPProblem(404, f"no speaker {slug!r} in this graph")
        quotes = await rows("speaker-quotes", agent=agent)
        topics: dict[str, list[str]] = {}
        for r in await rows("quote-topics", agent=agent):
            topics.setdefault(r["q"], []).append(r["label"])
        kinds = pages.group_counts([r["kind"] for r in quotes])
        return html(
            request,
            "speaker.html",
            name=names[0]["name"],
            alternates=sorted({r["alternate"] for r in names if r["alternate"]}),
            same_as=sorted({r["sameAs"] for r in names if r["sameAs"]}),
            quotes=quotes,
            topics=topics,
            kinds=kinds,
            addressees=pages.group_counts([r["addresseeName"] for r in quotes]),
            relays=pages.group_counts([r["viaName"] for r in quotes]),
            topic_counts=pages.group_counts([t for ts in topics.values() for t in ts]),
            articles=len({r["article"] for r in quotes}),
        )

    async def quote(request: Request) -> Response:
        return await page(request, _quote)

    async def _quote(request: Request) -> Response:
        qid = request.path_params["qid"]
        if not pages.valid_id(qid):
            raise HTTPProblem(404, "no such quotation")
        iri = f"<{QUOTE[qid]}>"
        found = await rows("quote", q=iri)
        if not found:
            raise HTTPProblem(404, f"no quotation {qid!r} in this graph")
        q = found[0]
        start, end = int(q["start"]), int(q["end"])
        evidence = [
            pages.Span(int(r["start"]), int(r["end"]), r["role"], r["rule"] or "")
            for r in await rows("quote-evidence", q=iri)
        ]
        text = q["articleText"] or ""
        spans = (
            pages.evidence_spans(text, start, end, evidence, q["cue"], q["mention"]) if text else []
        )
        lo, hi = pages.excerpt_bounds(text, start, end) if len(text) > 20_000 else (0, len(text))
        shown = [
            pages.Span(max(s.start, lo) - lo, min(s.end, hi) - lo, s.role, s.rule)
            for s in spans
            if s.end > lo and s.start < hi
        ]
        topics = [r["label"] for r in await rows("quote-topics", q=iri)]
        return html(
            request,
            "quote.html",
            q=q,
            qid=qid,
            segments=pages.segments(text[lo:hi], shown),
            spans=spans,
            evidence=evidence,
            text_matches=text[start:end] == q["quote"] if text else None,
            cut=(lo, hi, len(text)),
            topics=topics,
            link=pages.safe_link(q["url"]),
            graph=str(GRAPH[q["article"].rsplit("/", 1)[-1]]),
        )

    async def statement(request: Request) -> Response:
        return await page(request, _statement)

    async def _statement(request: Request) -> Response:
        sid = request.path_params["sid"]
        if not pages.valid_id(sid):
            raise HTTPProblem(404, "no such statement")
        reports = await rows("statement", statement=f"<{STATEMENT[sid]}>")
        if not reports:
            raise HTTPProblem(404, f"no statement {sid!r} in this graph")
        return html(
            request,
            "statement.html",
            sid=sid,
            reports=reports,
            outlets=len({r["outletName"] or r["doc"] for r in reports}),
        )

    async def graph_page(request: Request) -> Response:
        path = config.root / "graph.html"
        if not path.is_file():
            return html(
                request,
                "error.html",
                404,
                status_code=404,
                message=f"no graph.html in {config.root}: `kg build` writes one",
            )
        body = path.read_bytes()
        # the page a build wrote is self-contained with inline scripts: allow exactly those
        hashes = " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
            for s in re.findall(rb"<script>(.*?)</script>", body, re.DOTALL)
        )
        csp = (
            f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
            "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
        )
        return Response(
            body,
            200,
            media_type="text/html; charset=utf-8",
            headers={**SECURITY_HEADERS, "Content-Security-Policy": csp},
        )

    async def query_page(request: Request) -> Response:
        names = []
        for name in available_queries():
            names.append({"name": name, "text": load_query(name).text})
        return html(
            request, "query.html", csp=QUERY_PAGE_CSP, named=names, named_json=json.dumps(names)
        )

    async def status(request: Request) -> Response:
        try:
            generation = pool.generation().name
        except KgError as exc:
            return JSONResponse({"ok": False, "error": str(exc)}, 503)
        return JSONResponse(
            {
                "ok": True,
                "version": __version__,
                "generation": generation,
                "workers": pool.pids(),
                "stopped_queries": pool.stopped_queries,
                "cache_hits": pool.cache.hits if pool.cache else None,
                "timeout_seconds": config.timeout,
                "max_rows": config.max_rows,
            },
            headers=SECURITY_HEADERS,
        )

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", index),
        Route("/speaker/{slug}", speaker),
        Route("/quote/{qid}", quote),
        Route("/statement/{sid}", statement),
        Route("/graph", graph_page),
        Route("/query", query_page),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/queries", queries_index),
        Route("/queries/{name}", named_query, name="named_query"),
        Route("/status", status),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = []
    if config.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors),
                allow_methods=["GET", "POST", "HEAD"],
                allow_headers=["Accept", "Content-Type"],
                max_age=600,
            )
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.config = config
    return app


SEARCH_FIELDS = ("q", "speaker", "topic", "outlet", "kind", "since", "until")


def _strip_prologue(query: str) -> str:
    """The query without comments, BASE and PREFIX lines, to see which form it is.

    >>> _strip_prologue("# x\\nPREFIX a: <urn:a>\\n  INSERT DATA {}")[:6]
    'INSERT'
    """
    text = re.sub(r"(?m)^\s*#[^\n]*$", "", query)
    return re.sub(r"(?is)^\s*((BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)\s*)*", "", text)
