"""Fuzz the Wikipedia importer: ``parse_page`` on arbitrary wikitext, under a title chosen by the first byte.

Only :class:`~comity.importers.wikipedia.WikitextError` may come out; every assertion must point into the
page (its span within the text) and the document must turn into JSON.
"""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports(include=["comity"]):
    from comity.importers.wikipedia import WikitextError, parse_page

from _common import TITLES, timed  # noqa: E402


def check(data: bytes) -> None:
    if not data:
        return
    title = TITLES[data[0] % len(TITLES)]
    text = data[1:].decode("utf-8", errors="replace")
    with timed("wikitext", data):
        try:
            doc = parse_page(title, text)
        except WikitextError:
            return
    n = len(text.removeprefix("\ufeff"))
    for a in doc.assertions:
        if a.span is not None:
            assert 0 <= a.span[0] <= a.span[1] <= n, (a.span, n)
    json.dumps(doc.to_dict())


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
