"""Fuzz the article reader: bytes as standard input (text, HTML or JSONL, sniffed), or as an ``.html``,
``.jsonl`` or ``.jsonl.gz`` file, chosen by the first byte.

``read_articles`` yields articles and :class:`~comity.reader.ReadError` items and raises nothing.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["comity"]):
    from comity.reader import MAX_CHARS, Article, ReadError, read_articles

from _common import timed  # noqa: E402

TMP = tempfile.mkdtemp(prefix="comity-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)


def check(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % 4, data[1:]
    with timed("reader", data):
        if mode == 0:
            items = list(read_articles("-", stdin=io.BytesIO(body)))
        else:
            suffix = (".html", ".jsonl", ".jsonl.gz")[mode - 1]
            path = os.path.join(TMP, "input" + suffix)
            with open(path, "wb") as fh:
                fh.write(gzip.compress(body, mtime=0) if suffix.endswith(".gz") else body)
            items = list(read_articles(path))
    assert items, "no item and no error"
    for item in items:
        assert isinstance(item, Article | ReadError), type(item)
        if isinstance(item, Article):
            assert item.text.strip() and len(item.text) <= MAX_CHARS


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
