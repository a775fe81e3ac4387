"""Fuzz the news extractor: ``extract`` on arbitrary text, with a publication date and a title taken from
the first bytes. It raises nothing, and every assertion's evidence span points into the text."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import atheris

with atheris.instrument_imports(include=["comity"]):
    from comity.extract import extract

from _common import timed  # noqa: E402


def check(data: bytes) -> None:
    if len(data) < 3:
        return
    published = None if data[0] & 1 else date(1990, 1, 1) + timedelta(days=data[1] * 97)
    text = data[3:].decode("utf-8", errors="replace")
    title = None
    if data[0] & 2 and "\n" in text:
        title, text = text.split("\n", 1)
    with timed("extract", data):
        found = extract(text, published=published, title=title)
    for a in found:
        if a.span is not None:
            assert 0 <= a.span[0] <= a.span[1] <= len(text), (a.span, len(text))
            assert a.a != a.b


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
