"""pandas for the answers: ``.to_pandas()`` on each answer and on lists of them.

pandas is optional (the ``analysis`` extra) and imported only when a frame is asked for::

    import comity
    comity.partners("KOR", as_of="2024-02-15").to_pandas()     # one row per partner
    comity.rank("KOR", "CUB").to_pandas()                      # one row

A list of sources becomes two columns, ``sources`` (titles) and ``source_urls``, joined with "; ".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message says which extra brings it."""


def require(module: str, extra: str = "analysis", purpose: str = ""):  # type: ignore[no-untyped-def]
    """Import ``module`` or raise :class:`MissingExtra` naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.split(".")[0]
        if exc.name is not None and exc.name.split(".")[0] != top:
            raise
        what = f" for {purpose}" if purpose else ""
        raise MissingExtra(
            f"{top} is needed{what} but is not installed: pip install 'comity[{extra}]'"
        ) from None


def flat(item: Any) -> dict:
    """One answer (a dataclass or a dict) as a flat row: sources become titles and URLs."""
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        data = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    elif isinstance(item, dict):
        data = dict(item)
    else:
        raise TypeError(f"cannot make a row of {type(item).__name__}")
    if "sources" in data and isinstance(data["sources"], list | tuple):
        refs = [_ref(s) for s in data["sources"]]
        data["sources"] = "; ".join(r.get("title") or "" for r in refs)
        data["source_urls"] = "; ".join(r.get("url") or "" for r in refs)
    return data


def _ref(value: Any) -> dict:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return dict(value) if isinstance(value, dict) else {"title": str(value)}


def to_pandas(items: Any, columns: Iterable[str] | None = None):  # type: ignore[no-untyped-def]
    """A DataFrame with one row per answer (one answer, or a list of them)."""
    pd = require("pandas", purpose="to_pandas()")
    rows = [flat(x) for x in items] if isinstance(items, list | tuple) else [flat(items)]
    cols = list(columns) if columns is not None and not rows else None
    return pd.DataFrame.from_records(rows, columns=cols)


class FrameMixin:
    """Gives a dataclass answer ``to_pandas()``: a one-row DataFrame."""

    def to_pandas(self):  # type: ignore[no-untyped-def]
        return to_pandas(self)


class Rows(list):
    """A list of answers that also turns into a DataFrame (``to_pandas()``), with columns even when empty."""

    def __init__(self, items: Iterable[Any] = (), kind: type | None = None) -> None:
        super().__init__(items)
        self.kind = kind

    def to_pandas(self):  # type: ignore[no-untyped-def]
        columns = None
        if self.kind is not None and dataclasses.is_dataclass(self.kind):
            columns = [f.name for f in dataclasses.fields(self.kind)]
            if "sources" in columns:
                columns.append("source_urls")
        return to_pandas(list(self), columns)


__all__ = ["FrameMixin", "MissingExtra", "Rows", "flat", "require", "to_pandas"]
