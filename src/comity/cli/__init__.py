"""The command line: a thin shell over :mod:`comity.query` and the importers.

Each module here registers its commands on the one Typer ``app``.
"""

from __future__ import annotations

import importlib

from .app import app

for _module in ("core", "ingest", "news", "check", "toolbox", "web", "bulk", "backup"):
    try:
        importlib.import_module(f"{__name__}.{_module}")
    except ModuleNotFoundError as exc:  # a command module that is not there yet
        if exc.name != f"{__name__}.{_module}":
            raise


def main() -> None:
    app()


__all__ = ["app", "main"]
