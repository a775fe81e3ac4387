"""Storage: one layer over SQLite and PostgreSQL (SQLAlchemy 2, Alembic migrations)."""

from .db import AddResult, Store, default_path, resolve_url

__all__ = ["AddResult", "Store", "default_path", "resolve_url"]
