"""Shared test helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Read-only development data (the Wikipedia corpus, news excerpts): ``../shared/data`` next to the
#: repository, or wherever ``COMITY_SHARED_DATA`` points.
SHARED_DATA = Path(
    os.environ.get("COMITY_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; the test is skipped when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"no shared data at {SHARED_DATA} (set COMITY_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def pg_url():
    """The URL of a fresh, empty PostgreSQL database, dropped afterwards; skipped without a server.

    ``scripts/start-postgres.sh`` starts one and sets ``COMITY_TEST_PG_URL`` (``scripts/test.sh`` does).
    """
    import uuid

    from sqlalchemy import create_engine, text

    from comity.store import resolve_url

    server = os.environ.get("COMITY_TEST_PG_URL")
    if not server:
        pytest.skip("COMITY_TEST_PG_URL is not set (no PostgreSQL server)")
    name = f"comity_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    """An empty store on SQLite, and the same on PostgreSQL."""
    from comity.store import Store

    url = str(tmp_path / "record.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = Store.open(url, seed=False)
    yield store
    store.close()
