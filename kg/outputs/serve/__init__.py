"""`kg serve`: a read-only SPARQL 1.1 endpoint and a web front end over a kg store.

Starlette (ASGI routing, requests, static files) served by uvicorn; Jinja2 templates
with autoescaping render the pages; queries run in killable worker processes
(`workers.QueryPool`). See README.md, "kg serve".
"""

from __future__ import annotations

from kg.outputs.serve.app import ServeConfig

__all__ = ["ServeConfig", "serve"]


def serve(config: ServeConfig) -> None:
    """Run the server until interrupted (Ctrl-C or SIGTERM stop it cleanly)."""
    import uvicorn

    from kg.outputs.serve.app import create_app

    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )
