"""Read news articles from text, HTML, files, stdin, folders and JSONL.

``read_articles(source)`` yields one :class:`Article` per readable item and one :class:`ReadError`
per item that could not be read (an empty file, a binary file, a JSONL line that is not JSON, an
HTML page without a main text), so a folder or a JSONL stream goes on past a bad item.

Sources:

- ``"-"``: standard input (text, HTML or JSONL, sniffed from the content);
- a file: ``.jsonl`` / ``.ndjson`` (optionally ``.gz``), ``.html`` / ``.htm``, anything else sniffed;
- a folder: every file in it, recursively, in name order (hidden files skipped).

JSONL: one article per line, ``{"id", "text" | "html", "url", "published", "title", "outlet"}``.

Dates: an article's own date (the JSONL ``published`` field, the HTML metadata) wins; the
``published`` argument is used for articles that carry none; after that a date in the URL
(``/2024/02/15/``) is used.

Encodings: UTF-8 (with or without BOM) first, then a detected encoding; typical mojibake
("â€™" for "’") is repaired. Markup left in a text article is not stripped: only HTML documents
are run through trafilatura.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from .records import Source, content_hash

#: Articles longer than this (characters) are refused with a clear message.
MAX_CHARS = 2_000_000
#: Files larger than this (bytes) are refused unless they are JSONL (read line by line).
MAX_FILE_BYTES = 8 * MAX_CHARS
#: A JSONL line longer than this (bytes) is reported and skipped.
MAX_LINE_BYTES = 4 * MAX_CHARS

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass
class Article:
    """One article: its text and what is known of its origin."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    source_path: str | None = None
    meta: dict = field(default_factory=dict)


class ReadError(Exception):
    """An item that could not be read. Yielded (not raised) by :func:`read_articles`."""

    def __init__(self, message: str, *, source_path: str | None = None, item: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source_path = source_path
        self.item = item

    def where(self) -> str:
        parts = [p for p in (self.source_path, self.item) if p]
        return ":".join(parts) if parts else "input"

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"

    def to_dict(self) -> dict:
        return {"source": self.source_path, "item": self.item, "error": self.message}


# -- public entry points -------------------------------------------------------------------


def read_articles(
    path_or_dash: str | Path,
    *,
    published: date | str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Article | ReadError]:
    """Yield the articles of a file, a folder or ``-`` (stdin), and a :class:`ReadError` per bad item."""
    default = _as_date(published)
    if str(path_or_dash) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        first = stream.read(65536)
        if _looks_jsonl(first.lstrip()):
            yield from _read_jsonl(_Prefixed(first, stream), name="-", default=default)
            return
        try:
            data = first + _read_limited(stream, MAX_FILE_BYTES - len(first))
        except ReadError as exc:
            exc.source_path = "-"
            yield exc
            return
        yield from _read_bytes(data, name="-", stem="stdin", default=default)
        return
    path = Path(path_or_dash)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not files:
            yield ReadError("the folder has no files", source_path=str(path))
        for p in files:
            yield from _read_file(p, default)
        return
    if not path.exists():
        yield ReadError("no such file or folder", source_path=str(path))
        return
    yield from _read_file(path, default)


def read_text(
    text: str, *, id: str = "text", published: date | str | None = None, url: str | None = None
) -> Article:
    """An article from a string (plain text, or HTML when it looks like a page)."""
    out = list(_read_bytes(text.encode("utf-8"), name=id, stem=id, default=_as_date(published), url=url))
    for item in out:
        if isinstance(item, ReadError):
            raise item
    return out[0]  # type: ignore[return-value]


def article_source(article: Article) -> Source:
    """The :class:`~comity.records.Source` a news article is recorded as."""
    title = clean_field(article.title) or _first_line(article.text) or article.id
    return Source(
        kind="news",
        title=title[:300],
        content_hash=content_hash(article.text),
        url=clean_field(article.url),
        outlet=(clean_field(article.outlet) or "")[:200] or None,  # the column holds 200 characters
        published=article.published,
    )


# -- files ---------------------------------------------------------------------------------


def _read_file(path: Path, default: date | None) -> Iterator[Article | ReadError]:
    name = str(path)
    lower = path.name.lower()
    try:
        if lower.endswith(JSONL_SUFFIXES):
            opener = gzip.open if lower.endswith(".gz") else open
            with opener(path, "rb") as fh:  # type: ignore[operator]
                yield from _read_jsonl(fh, name=name, default=default)
            return
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield ReadError(
                f"file too large ({size / 1e6:.0f} MB > {MAX_FILE_BYTES / 1e6:.0f} MB); split it or use JSONL",
                source_path=name,
            )
            return
        data = path.read_bytes()
        if lower.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                yield ReadError(f"not a readable gzip file ({exc})", source_path=name)
                return
        html = True if lower.endswith(HTML_SUFFIXES) else None
        yield from _read_bytes(data, name=name, stem=path.stem, default=default, html=html)
    except OSError as exc:
        yield ReadError(f"cannot read: {exc.strerror or exc}", source_path=name)
    except EOFError as exc:
        yield ReadError(f"truncated file ({exc})", source_path=name)


def _read_bytes(
    data: bytes,
    *,
    name: str,
    stem: str,
    default: date | None,
    html: bool | None = None,
    url: str | None = None,
) -> Iterator[Article | ReadError]:
    if not data.strip():
        yield ReadError("empty input: no article text", source_path=name)
        return
    if looks_binary(data):
        yield ReadError(f"not text: looks like a binary file ({_binary_kind(data)})", source_path=name)
        return
    head = data[:4096].lstrip()
    if html is None and _looks_jsonl(head):
        yield from _read_jsonl(io.BytesIO(data), name=name, default=default)
        return
    text = decode(data)
    if html is None:
        html = looks_html(text)
    if html:
        yield _from_html(text, id=stem, url=url, default=default, source_path=name)
        return
    article = _article(stem, text, url=url, published=None, default=default, source_path=name)
    yield article


def _read_jsonl(fh: BinaryIO, *, name: str, default: date | None) -> Iterator[Article | ReadError]:
    count = 0
    lineno = 0
    while True:
        try:
            raw = fh.readline(MAX_LINE_BYTES + 1)
        except (OSError, EOFError) as exc:
            yield ReadError(f"cannot read past line {lineno}: {exc}", source_path=name)
            return
        if not raw:
            break
        lineno += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            # Skip the rest of an over-long line.
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(MAX_LINE_BYTES)
            yield ReadError("line too long", source_path=name, item=f"line {lineno}")
            continue
        if not raw.strip():
            continue
        count += 1
        try:
            obj = json.loads(decode(raw))
        except json.JSONDecodeError as exc:
            yield ReadError(
                f"not JSON ({exc.msg} at column {exc.colno})", source_path=name, item=f"line {lineno}"
            )
            continue
        if not isinstance(obj, dict):
            yield ReadError("not a JSON object", source_path=name, item=f"line {lineno}")
            continue
        yield _from_json(obj, lineno=lineno, name=name, default=default)
    if count == 0:
        yield ReadError("no articles in the JSONL input", source_path=name)


def _from_json(obj: dict, *, lineno: int, name: str, default: date | None) -> Article | ReadError:
    ident = str(obj.get("id") or f"line-{lineno}")
    item = f"line {lineno}" if obj.get("id") is None else str(obj.get("id"))
    try:
        own = _as_date(obj.get("published") or obj.get("date"))
    except ValueError as exc:
        return ReadError(f"bad published date: {exc}", source_path=name, item=item)
    url = clean_field(obj.get("url")) if isinstance(obj.get("url"), str) else None
    text, html = obj.get("text"), obj.get("html")
    if isinstance(html, str) and html.strip() and not (isinstance(text, str) and text.strip()):
        got = _from_html(html, id=ident, url=url, default=own or default, source_path=name)
        if isinstance(got, ReadError):
            got.item = item
            return got
        if obj.get("title"):
            got.title = clean_field(obj["title"])
        if obj.get("outlet"):
            got.outlet = clean_field(obj["outlet"])
        return got
    if not isinstance(text, str):
        return ReadError('no "text" or "html" field', source_path=name, item=item)
    got = _article(ident, text, url=url, published=own, default=default, source_path=name, item=item)
    if isinstance(got, Article):
        got.title = clean_field(obj["title"]) if obj.get("title") else None
        got.outlet = clean_field(obj["outlet"]) if obj.get("outlet") else None
    return got


def _article(
    ident: str,
    text: str,
    *,
    url: str | None,
    published: date | None,
    default: date | None,
    source_path: str | None,
    item: str | None = None,
) -> Article | ReadError:
    text = clean_text(text)
    if not text.strip():
        return ReadError("empty article: no text", source_path=source_path, item=item or ident)
    if len(text) > MAX_CHARS:
        return ReadError(
            f"article too long ({len(text):,} characters > {MAX_CHARS:,}); split it",
            source_path=source_path,
            item=item or ident,
        )
    if len(_WORDS.findall(text[:20000])) < 2:
        return ReadError("not an article: no words in it", source_path=source_path, item=item or ident)
    return Article(
        id=ident,
        text=text,
        url=url,
        published=published or default or date_from_url(url),
        source_path=source_path,
    )


def _from_html(
    html: str, *, id: str, url: str | None, default: date | None, source_path: str | None
) -> Article | ReadError:
    if len(html) > 4 * MAX_CHARS:
        return ReadError("HTML page too large", source_path=source_path, item=id)
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return ReadError(f"cannot parse HTML ({type(exc).__name__}: {exc})", source_path=source_path, item=id)
    meta = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    text = (meta.get("text") or "").strip()
    if not text:
        return ReadError("HTML page without an article text", source_path=source_path, item=id)
    title = clean_field(meta.get("title"))
    outlet = clean_field(meta.get("sitename") or meta.get("hostname"))
    own = None
    try:
        own = _as_date(meta.get("date"))
    except ValueError:
        own = None
    got = _article(
        id, text, url=url or meta.get("url"), published=own, default=default, source_path=source_path
    )
    if isinstance(got, Article):
        got.title = title
        got.outlet = outlet
        got.meta = {"from_html": True}
    return got


# -- sniffing and decoding ------------------------------------------------------------------

_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office",
    b"\x1f\x8b": "gzip",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"\x7fELF": "executable",
    b"SQLite format": "SQLite",
}


def _binary_kind(data: bytes) -> str:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    return "unknown binary data"


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB, or a known binary signature."""
    sample = data[:8192]
    if any(sample.startswith(m) for m in _BINARY_MAGIC):
        return True
    if b"\x00" in sample:
        # UTF-16 text has NULs too; accept it when it has a BOM.
        return not (sample.startswith(b"\xff\xfe") or sample.startswith(b"\xfe\xff"))
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 20)


def _looks_jsonl(head: bytes) -> bool:
    if not head.startswith(b"{"):
        return False
    first = head.split(b"\n", 1)[0]
    return b'"text"' in first or b'"html"' in first or b'"id"' in first


_HTML_RE = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|article|div|p|meta|title)\b", re.I)


def looks_html(text: str) -> bool:
    head = text[:2048].lstrip()
    if head.startswith("<") and _HTML_RE.search(head):
        return True
    return len(re.findall(r"</?(?:p|div|span|a|br|li|h\d)\b[^>]*>", text[:20000], re.I)) >= 5


_MOJIBAKE = re.compile("[ÂÃâ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (BOM-aware), else a detected encoding, else Windows-1252; repair mojibake."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fix_mojibake(data.decode("utf-16", errors="replace"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data[:200_000]).best()
            western = (
                "utf_8",
                "cp1252",
                "cp1250",
                "latin_1",
                "iso8859_15",
                "iso8859_2",
                "mac_roman",
                "cp850",
            )
            if best is not None and best.encoding not in western:
                text = data.decode(best.encoding, errors="replace")
        except Exception:  # pragma: no cover - detector trouble: fall back below
            text = None
        if text is None:
            # Mostly UTF-8 with a few broken bytes: keep it, mark them; else Windows-1252, the usual legacy one.
            as_utf8 = data.decode("utf-8", errors="replace")
            bad = as_utf8.count("\ufffd")
            text = as_utf8 if bad <= max(3, len(data) // 2000) else data.decode("cp1252", errors="replace")
    return fix_mojibake(text)


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Windows-1252 ("â€™" → "’"), when that is what happened."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        # Mixed text: repair run by run.
        def one(m: re.Match) -> str:
            try:
                return m.group(0).encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                return m.group(0)

        return re.sub("[\u00c2-\u00f4][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]{1,3}", one, text)
    return fixed


_WORDS = re.compile(r"\b[^\W\d_]{2,}\b")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
#: A lone surrogate ("\\ud800" in JSON) cannot be encoded, so no database would store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Normalise line ends and drop control characters; the rest of the text is kept as is."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub(" ", text)


def clean_field(value: object) -> str | None:
    """A title, outlet or URL as the record can keep it on any database: control characters and lone
    surrogates out (PostgreSQL refuses a NUL that SQLite would take), blanks collapsed; None when empty."""
    if value is None:
        return None
    text = " ".join(clean_text(str(value)).split())
    return text or None


# -- dates ------------------------------------------------------------------------------------

_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$)")


def date_from_url(url: str | None) -> date | None:
    """A publication date written in a URL path (``/2019/02/23/``), when there is one."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _as_date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    s = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    if not m:
        raise ValueError(f"not a date: {s!r} (use YYYY-MM-DD)")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"input too large (> {limit / 1e6:.0f} MB); split it or use a JSONL file")
    return data


class _Prefixed:
    """A binary stream whose first bytes were already read: ``readline`` over both."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._buf = io.BytesIO(head)
        self._rest = rest
        self._head_done = False

    def readline(self, limit: int = -1) -> bytes:
        if not self._head_done:
            line = self._buf.readline(limit)
            if line.endswith(b"\n") or (limit > 0 and len(line) >= limit):
                return line
            self._head_done = True
            more = self._rest.readline(limit - len(line) if limit > 0 else -1)
            return line + more
        return self._rest.readline(limit)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def articles_only(items: Iterable[Article | ReadError]) -> list[Article]:
    """The articles of an iterable, raising the first :class:`ReadError` met."""
    out = []
    for it in items:
        if isinstance(it, ReadError):
            raise it
        out.append(it)
    return out
