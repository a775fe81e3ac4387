"""The HTTP API and the web page: a thin shell over :class:`comity.query.Record`.

``create_app(record_or_db, token)`` builds a FastAPI app. Read endpoints answer from the record as of a
day; ``POST /api/extract`` and ``POST /api/check`` read an article (through :mod:`comity.extract` and
:mod:`comity.check` when they are installed, 501 otherwise); ``POST /api/ingest`` stores documents and
needs ``Authorization: Bearer <token>`` (without a configured token it is off: 403). An article is given
by its ``text``; with ``allow_fetch=True`` (``comity serve --allow-fetch``) a body may give its ``url``
alone and the server fetches the page, from public http(s) addresses only (:mod:`comity.web.fetch`);
otherwise such a body gets 403. The page at ``/`` and its assets under ``/static`` are files of this
package: nothing is loaded from elsewhere.

Read endpoints run on the event loop: each is a few milliseconds of SQLite or PostgreSQL work over the
record's per-state cache, and keeping them on one thread keeps that cache single-threaded. Slow work
(extraction, checking, writes) runs in the thread pool with its own :class:`Record`.
"""

from __future__ import annotations

import gc
import hmac
import importlib
import json
import os
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..query import Missing, Partner, QueryError, Record, SourceRef, Status
from ..records import Document
from ..states import AmbiguousState, State, StateError, registry
from ..store import Store
from ..vocab import EventType, Modality, PartialDate, parse_as_of
from . import models as m
from .fetch import Fetcher, FetchError, FetchOff

#: Request bodies larger than this are refused with 413.
MAX_BODY = 2 * 1024 * 1024
STATIC = Path(str(resources.files("comity").joinpath("web", "static")))

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

StatePath = Annotated[
    str, PathParam(description="A state: code (KOR), name (South Korea), alias (ROK) or capital (Seoul)")
]
AsOf = Annotated[
    str | None,
    Query(description="The day asked about: YYYY-MM-DD (YYYY or YYYY-MM: their last day); default today"),
]
# The scheme is what the spec shows for POST /api/ingest; the check is create_app's, so that a missing or
# malformed header gets the same 401 as a wrong token.
Bearer = Annotated[
    HTTPAuthorizationCredentials | None,
    Depends(HTTPBearer(auto_error=False, description="The token the server was started with (--token)")),
]
AmongQ = Annotated[Literal["all", "un"], Query(description="Count all partners, or UN members only")]


class NotAvailable(Exception):
    """A part of comity that this installation lacks (the extractor, the claim checker)."""


# -- ASGI middleware: body cap and security headers ------------------------------------------------
class Guard:
    """Refuse request bodies over ``limit`` bytes (413) and add security headers to every response."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._refuse(send)
                    return
        # Read the whole body first (it is small, by the limit), so a chunked body over the limit is
        # refused before any handler sees it, whatever the handler would do with a read error.
        chunks: list[bytes] = []
        received = 0
        more = scope.get("method") in ("POST", "PUT", "PATCH", "DELETE")
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                headers.append((b"content-security-policy", CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, replay, send_with_headers)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": f"request body too large (limit {self.limit} bytes)"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# -- helpers ----------------------------------------------------------------------------------
def _name(code: str) -> str:
    reg = registry()
    return reg.get(code).name if code in reg else code


def _state(text: str) -> State:
    return registry().resolve(text)


def _as_of(value: str | None) -> date:
    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def _partial(value: str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        PartialDate.parse(value)
    except ValueError as exc:
        raise QueryError(f"{what}: {exc}") from None
    return value


def _published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"published: not a date: {value!r} (use YYYY-MM-DD)") from None


_SURROGATES = re.compile("[\ud800-\udfff]")


def _printable(value: Any) -> Any:
    """``value`` with every string made encodable as UTF-8 (lone surrogates and undecodable bytes become
    U+FFFD), in dicts, lists and tuples: what an error may echo back of a bad request."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    return value


def _record_of(record_or_db: Record | Store | str | os.PathLike | None) -> Record:
    if isinstance(record_or_db, Record):
        return record_or_db
    if isinstance(record_or_db, Store):
        return Record(record_or_db)
    if record_or_db is None:
        from ..query import record

        return record()
    return Record(Store.open(record_or_db))


def _optional(module: str, *names: str) -> Any:
    """The first of ``names`` in ``module``, or raise :class:`NotAvailable` when the module is absent."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise NotAvailable(f"{module} is not part of this installation") from None
        raise
    for name in names:
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn
    raise NotAvailable(f"{module} has no {' or '.join(names)}() in this installation")


def available(module: str, *names: str) -> bool:
    try:
        _optional(module, *names)
    except (NotAvailable, ImportError):
        return False
    return True


def _article(body: m.ArticleIn, fetcher: Fetcher | None = None) -> Any:
    """The article as :mod:`comity.reader` reads it (an HTML page is reduced to its text); its own date
    wins over ``published``, as in ``comity check``. Without ``text`` its ``url`` is fetched with
    ``fetcher`` (None: fetching is off) and read as HTML."""
    try:
        from ..reader import ReadError, decode, looks_html, read_text
    except ImportError:
        raise NotAvailable("comity.reader is not part of this installation") from None
    published = _published(body.published)
    text, url = body.text, body.url
    if text is None:
        if fetcher is None:
            raise FetchOff(
                "fetching pages is off on this server: send the article's 'text' "
                "(or start the server with --allow-fetch)"
            )
        assert url is not None  # the model asks for one of the two
        page = fetcher(url)
        text, url = decode(page.body), page.url
        if not looks_html(text):  # an HTML page, whatever the reader would have guessed
            text = "<!doctype html>\n" + text
    try:
        article = read_text(text, published=published, url=url)
    except ReadError as exc:
        raise QueryError(f"cannot read the article: {exc}") from None
    article.title = body.title or article.title
    article.outlet = body.outlet or article.outlet
    return article


def fast_json(data: Any) -> Response:
    """A JSON response without pydantic's pass over the data: the big answers (partners, missing, a pair)
    are built from the record's dataclasses field by field, which is what keeps them fast. Their shapes
    are still the response models the OpenAPI spec shows (tests/test_web_api.py checks them)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body.encode("utf-8"), media_type="application/json")


def _sources(refs: list[SourceRef]) -> list[dict]:
    return [
        {"title": r.title, "url": r.url, "kind": r.kind, "outlet": r.outlet, "published": r.published}
        for r in refs
    ]


def _partner(p: Partner) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "date": p.date,
        "position": p.position,
        "basis": p.basis,
        "un_member": p.un_member,
        "sources": _sources(p.sources),
        "note": p.note,
    }


class PartnerJson:
    """The JSON text of each partner, reused across requests.

    A partner's entry depends on its fields and on its list of sources, which the record's per-state cache
    holds as one list object until the record changes. The key is the fields plus that list's identity,
    and the entry keeps the list itself, so the identity cannot be reused by another list while the entry
    lives: after a write the record builds new lists and the old entries are simply never asked for again.
    """

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._texts: dict[tuple, tuple[list, str]] = {}

    def __call__(self, p: Partner) -> str:
        key = (id(p.sources), p.code, p.name, p.date, p.position, p.basis, p.un_member, p.note)
        hit = self._texts.get(key)
        if hit is not None and hit[0] is p.sources:
            return hit[1]
        text = json.dumps(_partner(p), ensure_ascii=False, separators=(",", ":"))
        if len(self._texts) >= self.size:
            self._texts.clear()
        self._texts[key] = (p.sources, text)
        return text


def _missing(x: Missing) -> dict:
    return {
        "code": x.code,
        "name": x.name,
        "status": x.status,
        "note": x.note,
        "since": x.since,
        "sources": _sources(x.sources),
    }


def _status(st: Status) -> dict:
    return {
        "a": st.a,
        "b": st.b,
        "a_name": _name(st.a),
        "b_name": _name(st.b),
        "as_of": st.as_of,
        "status": st.status,
        "since": st.since,
        "note": st.note,
        "events": st.events,
        "sources": _sources(st.sources),
        "disagreements": st.disagreements,
    }


def _assertion_out(a: Any) -> dict:
    d = a.to_dict()
    d["a_name"], d["b_name"] = _name(d["a"]), _name(d["b"])
    return d


# -- the app ------------------------------------------------------------------------------------
def create_app(
    record_or_db: Record | Store | str | os.PathLike | None = None,
    token: str | None = None,
    *,
    max_body: int = MAX_BODY,
    allow_fetch: bool = False,
    fetcher: Fetcher | None = None,
) -> FastAPI:
    """The API and the page over a record (a :class:`Record`, a :class:`Store`, a database URL or path,
    or None for the default record). ``token`` (or ``$COMITY_TOKEN``) turns on ``POST /api/ingest``.

    ``allow_fetch`` lets article bodies give a ``url`` to fetch instead of ``text`` (public addresses
    only); ``fetcher`` is the :class:`~comity.web.fetch.Fetcher` to use (and turns fetching on too)."""
    rec = _record_of(record_or_db)
    if fetcher is None and allow_fetch:
        fetcher = Fetcher()
    secret = token if token is not None else os.environ.get("COMITY_TOKEN")
    secret = secret or None
    worker = Record(rec.store)  # for the thread pool: its own cache
    partner_json = PartnerJson()
    worker_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Everything loaded so far (the registry, the libraries) lives as long as the server: keep it out
        # of the garbage collector's full passes, which otherwise stall a request now and then.
        gc.collect()
        gc.freeze()
        yield

    app = FastAPI(
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN: off. The spec is at /openapi.json.
        docs_url=None,
        redoc_url=None,
        title="comity",
        version=__version__,
        description=(
            "A sourced, time-aware record of diplomatic relations between states. Every answer is read as "
            "of a day and names its sources. States are named by code, name, alias or capital; an unknown "
            "state answers 404 with suggestions."
        ),
    )
    app.state.record = rec
    app.add_middleware(Guard, limit=max_body)

    # -- errors ---------------------------------------------------------------------------------
    @app.exception_handler(StateError)
    async def _state_error(_: Request, exc: StateError) -> JSONResponse:
        label = "it may mean" if isinstance(exc, AmbiguousState) else "did you mean"
        hint = ", ".join(f"{s.code} ({s.name})" for s in exc.suggestions)
        return JSONResponse(
            {
                "detail": str(exc) + (f"; {label}: {hint}" if hint else ""),
                "suggestions": [{"code": s.code, "name": s.name} for s in exc.suggestions],
            },
            status_code=404,
        )

    @app.exception_handler(QueryError)
    async def _query_error(_: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer, except that what the errors echo back (the input) is made printable
        # first: a lone surrogate or a body that is not UTF-8 made the error itself fail, with a 500.
        return JSONResponse({"detail": jsonable_encoder(_printable(exc.errors()))}, status_code=422)

    @app.exception_handler(FetchError)
    async def _fetch_error(_: Request, exc: FetchError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(NotAvailable)
    async def _not_available(_: Request, exc: NotAvailable) -> JSONResponse:
        return JSONResponse({"detail": f"not available: {exc}"}, status_code=501)

    errors: dict[int | str, dict[str, Any]] = {
        400: {"model": m.ErrorOut, "description": "A bad date or option"},
        404: {"model": m.ErrorOut, "description": "An unknown state, with suggestions"},
    }

    # -- the page -------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- reading ---------------------------------------------------------------------------------
    @app.get("/api/health", response_model=m.HealthOut, tags=["meta"])
    async def health() -> dict:
        """Is the record reachable, and which optional parts are on."""
        return {
            "ok": rec.store.ping(),
            "version": __version__,
            "database": rec.store.engine.dialect.name,
            "writes": secret is not None,
            "extract": available("comity.extract", "extract"),
            "check": available("comity.check", "check_article"),
            "fetch": fetcher is not None,
        }

    @app.get("/api/states", response_model=list[m.StateOut], tags=["states"])
    async def states(
        q: Annotated[str | None, Query(description="Part of a code, name or alias")] = None,
    ) -> list[dict]:
        """Known states and entities (all of them without ``q``)."""
        return [s.to_dict() for s in registry().search(q)]

    @app.get("/api/states/{state}", response_model=m.StateOut, responses=errors, tags=["states"])
    async def state_one(state: StatePath) -> dict:
        """One state, however it is named."""
        return _state(state).to_dict()

    @app.get("/api/states/{state}/partners", response_model=m.PartnersOut, responses=errors, tags=["record"])
    async def partners(state: StatePath, as_of: AsOf = None, among: AmongQ = "all") -> Response:
        """States with relations with ``state`` on ``as_of``, in order of establishment, with sources."""
        s, day = _state(state), _as_of(as_of)
        rows = rec.partners(s, day, among)
        head = json.dumps(
            {"state": s.code, "name": s.name, "as_of": day.isoformat(), "among": among, "count": len(rows)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        body = f'{head[:-1]},"partners":[{",".join(partner_json(p) for p in rows)}]}}'
        return Response(body.encode("utf-8"), media_type="application/json")

    @app.get("/api/states/{state}/missing", response_model=m.MissingOut, responses=errors, tags=["record"])
    async def missing(
        state: StatePath,
        as_of: AsOf = None,
        among: Annotated[Literal["all", "un"], Query(description="UN members (default) or all")] = "un",
    ) -> Response:
        """States without relations with ``state`` on ``as_of``, each with a note."""
        s, day = _state(state), _as_of(as_of)
        rows = rec.missing(s, among, day)
        return fast_json(
            {
                "state": s.code,
                "name": s.name,
                "as_of": day.isoformat(),
                "among": among,
                "count": len(rows),
                "missing": [_missing(x) for x in rows],
            }
        )

    @app.get(
        "/api/states/{state}/rank/{partner}", response_model=m.RankOut, responses=errors, tags=["record"]
    )
    async def rank(state: StatePath, partner: StatePath, as_of: AsOf = None) -> dict:
        """``partner``'s place among ``state``'s partners, counting all and counting UN members only."""
        return rec.rank(_state(state), _state(partner), _as_of(as_of)).to_dict()

    @app.get("/api/states/{state}/map", response_model=m.MapOut, responses=errors, tags=["page"])
    async def relation_map(state: StatePath, as_of: AsOf = None, among: AmongQ = "all") -> Response:
        """Every state's relation with ``state`` on ``as_of``, by code: what the map is coloured by.

        ``relations`` (partners), ``none``, ``severed``, ``suspended``, ``one_sided`` (only the partner's
        page lists the pair), ``not_foreign`` (the two Koreas), ``self``. With ``among=un`` states that
        are not UN members on that day are left out."""
        s, day = _state(state), _as_of(as_of)
        out: dict[str, str] = {s.code: "self"}
        for p in rec.partners(s, day, among):
            out[p.code] = "relations"
        for x in rec.missing(s, among, day):
            if registry().not_foreign(s.code, x.code):
                out[x.code] = "not_foreign"
            elif x.status == "relations":
                out[x.code] = "one_sided"
            else:
                out[x.code] = x.status if x.status in ("none", "severed", "suspended") else "unknown"
        counts: dict[str, int] = {}
        for v in out.values():
            counts[v] = counts.get(v, 0) + 1
        return fast_json(
            {
                "state": s.code,
                "name": s.name,
                "as_of": day.isoformat(),
                "among": among,
                "counts": counts,
                "status": out,
            }
        )

    @app.get("/api/states/{state}/history", response_model=m.HistoryOut, responses=errors, tags=["page"])
    async def history(state: StatePath) -> dict:
        """The number of partners (all, and UN members) at the end of each year, and today."""
        s = _state(state)

        def count() -> list[dict]:  # a query per year: in the thread pool, with its own Record
            today = date.today()
            with worker_lock:
                now = worker.partners(s, today, "all")
                years = [int(p.date[:4]) for p in now if p.date and p.date[:4].isdigit()]
                years += [
                    int(x.since[:4])
                    for x in worker.missing(s, "all", today)
                    if x.since and x.since[:4].isdigit()
                ]
                first = max(min(years, default=today.year - 1) - 1, 1700)
                points = []
                for y in range(first, today.year):
                    rows = worker.partners(s, date(y, 12, 31), "all")
                    points.append(
                        {"date": f"{y}-12-31", "all": len(rows), "un": sum(p.un_member for p in rows)}
                    )
            points.append({"date": today.isoformat(), "all": len(now), "un": sum(p.un_member for p in now)})
            return points

        return {"state": s.code, "name": s.name, "points": await run_in_threadpool(count)}

    @app.get("/api/pairs/{a}/{b}", response_model=m.StatusOut, responses=errors, tags=["record"])
    async def pair_status(a: StatePath, b: StatePath, as_of: AsOf = None) -> Response:
        """The status of relations between ``a`` and ``b`` on ``as_of``, with the events, sources and quotes
        behind it."""
        return fast_json(_status(rec.status(_state(a), _state(b), _as_of(as_of))))

    @app.get("/api/pairs/{a}/{b}/timeline", response_model=m.TimelineOut, responses=errors, tags=["record"])
    async def pair_timeline(a: StatePath, b: StatePath) -> Response:
        """The whole story of a pair: every event (all types and modalities) with sources and quotes, and
        the status periods derived from them."""
        return fast_json(rec.timeline(_state(a), _state(b)))

    @app.get("/api/events", response_model=list[m.EventSummaryOut], responses=errors, tags=["record"])
    async def events(
        state: Annotated[str | None, Query(description="Only events of this state")] = None,
        type: Annotated[EventType | None, Query(description="Only events of this type")] = None,
        since: Annotated[
            str | None, Query(description="From this date (YYYY, YYYY-MM or YYYY-MM-DD)")
        ] = None,
        until: Annotated[str | None, Query(description="Up to this date")] = None,
        modality: Annotated[
            Modality | None, Query(description="asserted, planned, negated or speculative")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    ) -> list[dict]:
        """Events, newest first, filtered by state, type, modality and date range."""
        code = _state(state).code if state else None
        rows = rec.events(
            state=code,
            type=type.value if type else None,
            since=_partial(since, "since"),
            until=_partial(until, "until"),
            modality=modality.value if modality else None,
            limit=limit,
        )
        for r in rows:
            r["a_name"], r["b_name"] = _name(r["a"]), _name(r["b"])
        return rows

    @app.get("/api/conflicts", response_model=list[m.ConflictOut], responses=errors, tags=["record"])
    async def conflicts(
        state: Annotated[str | None, Query(description="Only conflicts of this state")] = None,
    ) -> list[dict]:
        """Where sources disagree: the dates of one event, or a pair only one side's page lists."""
        return rec.conflicts(_state(state).code if state else None)

    # -- articles ---------------------------------------------------------------------------------
    def _extract(body: m.ArticleIn) -> tuple[Any, list[Any]]:
        fn = _optional("comity.extract", "extract")
        article = _article(body, fetcher)
        return article, list(fn(article.text, published=article.published, title=article.title))

    @app.post(
        "/api/extract",
        response_model=m.ExtractOut,
        responses={
            400: {"model": m.ErrorOut, "description": "An unreadable article, or a page not fetched"},
            403: {"model": m.ErrorOut, "description": "A 'url' without 'text', and fetching is off"},
            413: {"model": m.ErrorOut},
            501: {"model": m.ErrorOut, "description": "The extractor is not installed"},
        },
        tags=["articles"],
    )
    async def extract(body: m.ArticleIn) -> dict:
        """The events an article states (type, pair, date, modality, evidence quote), not stored."""
        article, found = await run_in_threadpool(_extract, body)
        return {
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "count": len(found),
            "assertions": [_assertion_out(a) for a in found],
        }

    def _check(body: m.ArticleIn) -> tuple[Any, Any]:
        fn = _optional("comity.check", "check_article")
        article = _article(body, fetcher)
        with worker_lock:
            return article, fn(worker, article.text, published=article.published, title=article.title)

    @app.post(
        "/api/check",
        response_model=m.CheckOut,
        responses={
            400: {"model": m.ErrorOut, "description": "An unreadable article, or a page not fetched"},
            403: {"model": m.ErrorOut, "description": "A 'url' without 'text', and fetching is off"},
            413: {"model": m.ErrorOut},
            501: {"model": m.ErrorOut, "description": "The claim checker is not installed"},
        },
        tags=["articles"],
    )
    async def check(body: m.ArticleIn) -> dict:
        """The article's claims about relations ("the 193rd country", "relations with 191 countries", "since
        1960", its own news), each checked against the record as of the article's date: supported,
        contradicted, depends (on a counting convention) or unverifiable, with the evidence."""
        article, result = await run_in_threadpool(_check, body)
        d = result.to_dict()
        return {
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "count": len(d["claims"]),
            **d,
        }

    # -- writing --------------------------------------------------------------------------------------
    def _authorize(given: str | None) -> JSONResponse | None:
        if secret is None:
            return JSONResponse(
                {"detail": "write endpoints are off: start the server with --token or COMITY_TOKEN"},
                status_code=403,
            )
        # A constant-time comparison: how long it takes says nothing of how much of the token matched.
        if given is None or not hmac.compare_digest(given.strip().encode(), secret.encode()):
            return JSONResponse(
                {"detail": "a valid 'Authorization: Bearer <token>' header is needed"},
                status_code=401,
                headers={"www-authenticate": "Bearer"},
            )
        return None

    def _ingest(body: m.IngestIn) -> list[dict]:
        docs: list[Document] = []
        for i, d in enumerate(body.documents or []):
            try:
                docs.append(Document.from_dict(d.model_dump(mode="json")))
            except (KeyError, TypeError, ValueError) as exc:
                raise RequestValidationError(
                    [
                        {
                            "loc": ["body", "documents", i],
                            "type": "value_error",
                            "msg": f"not a document: {exc.__class__.__name__}: {exc}",
                        }
                    ]
                ) from None
        if body.article is not None:
            _optional("comity.extract", "extract")
            from ..ingest import article_document

            docs.append(article_document(_article(body.article, fetcher)))
        if not docs:
            raise QueryError("nothing to ingest: give 'documents' or 'article'")
        results = rec.store.add_many(docs)
        return [
            {
                "title": d.source.title,
                "source_id": r.source_id,
                "added": r.added,
                "assertions": r.assertions,
                "problems": r.problems,
                "replaced": r.replaced,
            }
            for d, r in zip(docs, results, strict=True)
        ]

    ingest_schema = m.IngestIn.model_json_schema(ref_template="#/components/schemas/{model}")
    ingest_defs = ingest_schema.pop("$defs", {})
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI's spec, with the models the ingest body refers to (DocumentIn, SourceIn, ...)."""
        if app.openapi_schema is None:
            spec = default_openapi()
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in ingest_defs.items():
                schemas.setdefault(name, schema)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]

    @app.post(
        "/api/ingest",
        response_model=m.IngestOut,
        tags=["articles"],
        responses={
            400: {"model": m.ErrorOut, "description": "Nothing to ingest, an unreadable article"},
            401: {"model": m.ErrorOut, "description": "No token, or a wrong one"},
            403: {"model": m.ErrorOut, "description": "Writes are off, or fetching is"},
            413: {"model": m.ErrorOut},
            422: {
                "description": "A body that is not documents or an article (each error says where)",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
                },
            },
            501: {"model": m.ErrorOut},
        },
        openapi_extra={
            "requestBody": {"required": True, "content": {"application/json": {"schema": ingest_schema}}}
        },
    )
    async def ingest(request: Request, credentials: Bearer = None) -> Any:
        """Store documents (as ``Document.to_dict()`` writes them) or a news article (extracted first).
        Needs ``Authorization: Bearer <token>``; the token is checked before the body is read."""
        refused = _authorize(credentials.credentials if credentials else None)
        if refused is not None:
            return refused
        raw = await request.body()
        try:
            body = m.IngestIn.model_validate_json(raw or b"{}")
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_context=False)
            for e in errors:
                if e["loc"][:1] == ("documents",) and len(e["loc"]) > 1:
                    e["msg"] = f"not a document: {e['msg']}"
                e["loc"] = ("body", *e["loc"])
            raise RequestValidationError(errors) from None
        return {"results": await run_in_threadpool(_ingest, body)}

    return app


def serve(
    record_or_db: Record | Store | str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    log_level: str = "info",
    allow_fetch: bool = False,
) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    app = create_app(record_or_db, token, allow_fetch=allow_fetch)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
