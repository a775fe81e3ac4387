"""``comity serve``: the web page and the HTTP API over the record."""

from __future__ import annotations

import typer

from .app import DbOption, app, err, fail
from .core import open_record


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="COMITY_TOKEN",
        help="Bearer token that turns on POST /api/ingest (without one, write endpoints are off).",
    ),
    db: str | None = DbOption,
    log_level: str = typer.Option(
        "warning", "--log-level", help="uvicorn's log level (info logs every request)."
    ),
    allow_fetch: bool = typer.Option(
        False,
        "--allow-fetch",
        help="Let POST /api/extract, /api/check and /api/ingest take an article's 'url' instead of its "
        "'text' and fetch the page (off by default). Only public http(s) addresses are fetched: private, "
        "loopback, link-local and other non-public addresses, credentials in the URL and redirects to "
        "any of those are refused; at most 3 redirects, 5 MiB and 15 seconds.",
    ),
) -> None:
    """Serve the map page at / and the HTTP API at /api (its OpenAPI spec at /openapi.json).

    Example: comity serve --port 8000   then open http://127.0.0.1:8000/
    """
    try:
        import uvicorn

        from ..web import create_app
    except ModuleNotFoundError as exc:
        raise fail(
            f"the web server needs the 'web' extra ({exc.name} is missing): pip install 'comity[web]'"
        ) from None
    if not 0 < port < 65536:
        raise fail(f"--port must be between 1 and 65535, not {port}")
    web = create_app(open_record(db), token or None, allow_fetch=allow_fetch)
    err.print(
        f"comity: serving http://{host}:{port}/ (API at /api, spec at /openapi.json; writes "
        f"{'on' if token else 'off'}; fetching pages {'on' if allow_fetch else 'off'})",
        highlight=False,
    )
    uvicorn.run(web, host=host, port=port, log_level=log_level)
