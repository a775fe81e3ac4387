"""The HTTP API against its own OpenAPI spec: schemathesis generates requests for every operation (valid
ones and invalid ones) and sends them to a real uvicorn server over the hand-made SQLite record of
tests/test_web_api.py. No answer may be a 5xx, and every answer must be one the spec describes (status
code, content type, body shape). The number of examples per operation is bounded, so this runs in
well under a minute."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from hypothesis import HealthCheck, settings  # noqa: E402

from comity.store import Store  # noqa: E402
from comity.web.app import create_app  # noqa: E402
from test_web_api import TOKEN, serving  # noqa: E402

#: Examples per operation (and per generation mode). Enough to find the bad dates, huge numbers, odd
#: unicode and wrong types the spec lets through; small enough to keep the file quick.
EXAMPLES = int(os.environ.get("COMITY_SCHEMA_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # The same cases every run (a failure here is a failure everywhere); COMITY_SCHEMA_RANDOM=1 explores.
    derandomize=not os.environ.get("COMITY_SCHEMA_RANDOM"),
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Iterator[str]:
    """The app with writes on (a token is configured): generated requests do not carry the token."""
    with serving(tmp_path_factory.mktemp("schema")) as (url, _record):
        yield url


def spec() -> dict:
    """The app's OpenAPI spec (it does not depend on the record: an empty one in a temp dir will do).

    The spec is loaded when the module is, so that pytest shows one test per operation; the requests go
    to the server of the ``base`` fixture. (``schemathesis.pytest.from_fixture`` would load it from that
    server, but does not run under pytest 9.)"""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "spec.db", seed=False)
        try:
            return create_app(store, token=TOKEN).openapi()
        finally:
            store.close()


#: A request the spec does not allow must be refused; 413 (a body over the cap) is a refusal too.
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 413, 422]}}}
)
schema = schemathesis.openapi.from_dict(spec(), config=CONFIG)


def checks(*also: str) -> dict:
    # Every check but one: "a request the spec allows is accepted" cannot hold where the spec says
    # "a string" and only some strings are dates or articles (those get a 400 that says why).
    names = ("positive_data_acceptance", *also)
    return {"excluded_checks": [getattr(schemathesis.checks, name) for name in names]}


@schema.parametrize()
@SETTINGS
def test_no_5xx_and_answers_match_the_spec(case, base: str) -> None:  # type: ignore[no-untyped-def]
    response = case.call_and_validate(base_url=base, **checks())
    if case.path == "/api/ingest" and case.method.upper() == "POST":
        # A token is configured and the generated requests do not carry it: refused, whatever the body
        # (a body over the cap is refused before anything else, with 413).
        assert response.status_code in (401, 413), response.text


@schema.include(path="/api/ingest").parametrize()
@SETTINGS
def test_ingest_with_the_token(case, base: str) -> None:  # type: ignore[no-untyped-def]
    """Past the token, the documents themselves: wrong types, missing fields, unknown codes, bad dates,
    huge numbers and odd unicode are refused with a 4xx that says what is wrong, never stored."""
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
    # Every request carries the token here, also those generated without one on purpose: the checks
    # of what happens without it are the test above's.
    case.call_and_validate(base_url=base, **checks("missing_required_header", "ignored_auth"))
