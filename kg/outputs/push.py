"""Send the graph to an external SPARQL store with the SPARQL 1.1 Graph Store HTTP Protocol.

`push` PUTs N-Triples to ``ENDPOINT?graph=IRI`` (replacing that graph on the server), or to
``ENDPOINT?default`` when no graph is given. With ``per_article=True`` every article's named
graph is PUT under its own IRI, so the server mirrors the local store graph by graph and a
re-push replaces rather than duplicates. See https://www.w3.org/TR/sparql11-http-rdf-update/.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from kg.errors import KgError
from kg.rdf.store import KgStore

NTRIPLES = "application/n-triples"


@dataclass
class PushResult:
    graphs: int
    triples: int


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of one graph (or of the default graph).

    >>> graph_store_url("http://h/store", "https://e.org/g?x=1")
    'http://h/store?graph=https%3A%2F%2Fe.org%2Fg%3Fx%3D1'
    >>> graph_store_url("http://h/store?key=k", None)
    'http://h/store?key=k&default'
    """
    joiner = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{joiner}default"
    return f"{endpoint}{joiner}graph={urllib.parse.quote(graph, safe='')}"


def push(
    store: KgStore,
    endpoint: str,
    graph: str | None = None,
    per_article: bool = False,
    user: str | None = None,
    timeout: float = 120,
) -> PushResult:
    """PUT the store's triples to `endpoint`; returns how many graphs and triples were sent.

    Parameters
    ----------
    store : the local kg store
    endpoint : the server's Graph Store Protocol URL (e.g. Virtuoso's ``/sparql-graph-crud``)
    graph : IRI of the target graph for the union of all articles (None: the default graph)
    per_article : send each article's named graph under its own IRI instead
    user : ``name:password`` for HTTP basic or digest authentication
    """
    if not endpoint.startswith(("http://", "https://")):
        raise KgError(f"endpoint {endpoint!r} is not an http(s) URL")
    opener = _opener(endpoint, user)
    if per_article:
        names = sorted(store.article_graphs())
        triples = 0
        for name in names:
            body = store.graph_ntriples(name)
            _put(opener, graph_store_url(endpoint, name), body, timeout)
            triples += body.count(b"\n")
        return PushResult(len(names), triples)
    body = store.sorted_ntriples().encode("utf-8")
    _put(opener, graph_store_url(endpoint, graph), body, timeout)
    return PushResult(1, body.count(b"\n"))


def _opener(endpoint: str, user: str | None) -> urllib.request.OpenerDirector:
    if not user:
        return urllib.request.build_opener()
    name, _, password = user.partition(":")
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, endpoint, name, password)
    return urllib.request.build_opener(
        urllib.request.HTTPDigestAuthHandler(passwords),
        urllib.request.HTTPBasicAuthHandler(passwords),
    )


def _put(opener: urllib.request.OpenerDirector, url: str, body: bytes, timeout: float) -> None:
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": NTRIPLES}
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        raise KgError(
            f"{url}: the server refused the graph (HTTP {exc.code} {exc.reason})"
            + (f": {detail[0]}" if detail else "")
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, (BrokenPipeError, ConnectionResetError)):
            # a server that refuses a large body answers and hangs up while it is still
            # being sent: ask it about the graph to learn why
            _refusal(opener, url, timeout)
        raise KgError(f"{url}: cannot reach the SPARQL store ({reason})") from None


def _refusal(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> None:
    """Raise the server's refusal (an HTTP error to a GET of the graph), if it gives one."""
    try:
        with opener.open(urllib.request.Request(url, method="GET"), timeout=timeout) as response:
            response.read(1)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise KgError(
                f"{url}: the server refused the graph (HTTP {exc.code} {exc.reason})"
            ) from None
    except (urllib.error.URLError, OSError):
        pass
