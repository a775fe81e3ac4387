"""Bulk ingestion: news archives of any size, read and extracted on a Dask cluster, into one record.

``comity ingest --bulk PATH_OR_GLOB...`` (or :func:`ingest_bulk`) takes JSONL, JSONL.gz and WARC(.gz)
archives (and, for completeness, any file ``comity ingest`` reads), cuts them into **chunks**, and has
Dask workers read, pre-filter and extract each chunk. The client writes what comes back to the record
in batches (:meth:`comity.store.Store.add_many`) as chunks complete, then marks those chunks done in
the ``bulk_chunks`` table of the same database.

Chunks, the unit of work and of resumption:

- JSONL: byte ranges of the file (8 MiB by default); a line belongs to the chunk its first byte is in,
  so a worker seeks to its range and skips to the first line that starts in it.
- WARC and WARC.gz: byte ranges (32 MiB); a worker finds the first record that starts in its range (a
  gzip member holding ``WARC/``, or ``WARC/1.x`` after a record's blank line) and reads response and
  resource records with an HTML payload through warcio, each page through :func:`comity.reader.read_text`.
- JSONL.gz: a gzip stream cannot be entered in the middle, so the client decompresses it and ships
  consecutive runs of whole lines (8 MiB each) to the workers.
- any other file: one chunk, read with :func:`comity.reader.read_articles`.

Workers need to read the archive files at the same path as the client (a shared filesystem), except
for JSONL.gz, whose lines the client sends. Workers never touch the database.

What is stored: an article becomes a source only when the extractor finds an assertion in it (most
news is about other things; storing all of it would make the record mostly noise). A chunk is marked
done either way, so a rerun does not read it again. Resumable: after a crash, a killed worker or
Ctrl-C, the same command skips the chunks that are done; a chunk that was half written is harmless to
redo, since a source whose content is already stored is not added again. Idempotent: a second run
over the same archives adds nothing. Archives are known by their content (size and samples of the bytes),
so a moved archive is still recognised.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import logging
import os
import queue
import sys
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import click

from .reader import (
    JSONL_SUFFIXES,
    MAX_LINE_BYTES,
    Article,
    ReadError,
    _from_json,  # the one JSONL-object -> Article rule, shared with ``comity ingest``
    decode,
    read_articles,
    read_text,
)
from .records import Document

MiB = 1 << 20
#: Default chunk size per kind of archive (bytes of the file; for JSONL.gz, of decompressed lines).
CHUNK_BYTES = {"jsonl": 8 * MiB, "gzlines": 8 * MiB, "warc": 32 * MiB, "file": 0}
WARC_SUFFIXES = (".warc", ".warc.gz")
#: Error messages kept in the report (the count is always complete).
MAX_ERROR_SAMPLES = 20


class BulkError(click.ClickException):
    """A problem with the inputs or the cluster (no archive matches, a scheduler that cannot be reached).

    A :class:`click.ClickException` so that ``comity ingest --bulk`` prints it as an error without a
    traceback; to Python callers it is an ordinary exception.
    """

    exit_code = 2


# -- archives and chunks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Archive:
    path: str
    kind: str  # "jsonl" | "gzlines" | "warc" | "file"
    size: int
    identity: str  # see archive_identity


@dataclass(frozen=True)
class Chunk:
    """One unit of work: a byte range of an archive (of its decompressed lines for JSONL.gz)."""

    archive: str
    plan: str
    index: int
    path: str
    kind: str
    start: int
    end: int
    weight: int  # bytes of the archive file it accounts for (for the progress bar)
    published: date | None = None


@dataclass
class ChunkResult:
    """What a worker sends back: the documents that have assertions, and counts for the rest."""

    articles: int = 0
    errors: int = 0
    error_samples: list[dict] = field(default_factory=list)
    docs: list[Document] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    worker: str = ""
    peak_rss: int = 0  # bytes


def archive_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        if name.endswith(".gz"):
            return "gzlines"
        with open(path, "rb") as fh:  # a .jsonl that is gzip-compressed after all
            return "gzlines" if fh.read(2) == b"\x1f\x8b" else "jsonl"
    return "file"


def archive_identity(path: str | Path, size: int | None = None) -> str:
    """Who an archive is, by content: the same bytes under another name are the same archive.

    A hash of the size, the first MiB, 16 samples of 64 KiB spread over the rest and the last 64 KiB:
    about 2 MB read however large the archive is.
    """
    size = os.path.getsize(path) if size is None else size
    h = hashlib.sha256(f"{size}\n".encode())
    with open(path, "rb") as fh:
        h.update(fh.read(MiB))
        if size > MiB:
            sample = 64 * 1024
            for k in range(1, 17):
                fh.seek(MiB + (size - MiB - sample) * k // 17)
                h.update(fh.read(sample))
            fh.seek(max(MiB, size - sample))
            h.update(fh.read())
    return h.hexdigest()


def find_archives(paths: Iterable[str | Path]) -> list[Archive]:
    """The files named by ``paths``: files, folders (recursively, hidden files skipped) and globs."""
    files: list[Path] = []
    for raw in paths:
        text = str(raw)
        if text == "-":
            raise BulkError("--bulk reads files, not standard input")
        matches = (
            [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            if glob.has_magic(text)
            else [Path(text)]
        )
        if not matches or not matches[0].exists():
            raise BulkError(f"no file or folder matches {text!r}")
        for m in matches:
            if m.is_dir():
                files += sorted(
                    p
                    for p in m.rglob("*")
                    if p.is_file() and not any(s.startswith(".") for s in p.relative_to(m).parts)
                )
            elif m.is_file():
                files.append(m)
    seen: set[str] = set()
    out = []
    for f in files:
        key = str(f.resolve())
        if key in seen:
            continue
        seen.add(key)
        size = f.stat().st_size
        archive = Archive(str(f), archive_kind(f), size, archive_identity(f, size))
        if archive.identity not in seen:  # a copy of an archive named already is that archive
            seen.add(archive.identity)
            out.append(archive)
    if not out:
        raise BulkError("the folders named hold no files")
    return out


def plan_name(kind: str, chunk_bytes: int | None) -> str:
    if kind == "file":
        return "file"
    return f"{kind}:{int(chunk_bytes or CHUNK_BYTES[kind])}"


def plan_chunks(
    archive: Archive, plan: str, *, published: date | None = None, errors: list[ReadError] | None = None
) -> Iterator[tuple[Chunk, bytes | None]]:
    """The chunks of an archive, in order, each with its data when the client has to send it."""
    size = plan.partition(":")[2]
    step = int(size) if size else 0
    if archive.kind == "gzlines":
        yield from _gz_chunks(archive, plan, step, published, errors)
        return
    if archive.kind == "file" or archive.size == 0:
        yield (
            Chunk(
                archive.identity,
                plan,
                0,
                archive.path,
                archive.kind,
                0,
                archive.size,
                archive.size,
                published,
            ),
            None,
        )
        return
    for i, start in enumerate(range(0, archive.size, step)):
        end = min(start + step, archive.size)
        yield (
            Chunk(archive.identity, plan, i, archive.path, archive.kind, start, end, end - start, published),
            None,
        )


def _gz_chunks(
    archive: Archive, plan: str, step: int, published: date | None, errors: list[ReadError] | None
) -> Iterator[tuple[Chunk, bytes]]:
    counted = 0
    offset = 0
    index = 0
    with open(archive.path, "rb") as raw, gzip.GzipFile(fileobj=raw) as gz:
        while True:
            try:
                data = gz.read(step)
                if data and not data.endswith(b"\n"):
                    data += gz.readline()
            except (OSError, EOFError, zlib.error) as exc:
                if errors is not None:
                    errors.append(
                        ReadError(
                            f"cannot read past byte {offset:,} of the decompressed stream ({exc})",
                            source_path=archive.path,
                        )
                    )
                return
            if not data:
                return
            at = raw.tell() if len(data) >= step else archive.size
            weight = max(0, min(at, archive.size) - counted)
            counted += weight
            chunk = Chunk(
                archive.identity,
                plan,
                index,
                archive.path,
                "gzlines",
                offset,
                offset + len(data),
                weight,
                published,
            )
            yield chunk, data
            offset += len(data)
            index += 1


# -- reading and extracting a chunk (on a worker) -------------------------------------------------------


def read_chunk(chunk: Chunk, data: bytes | None = None) -> Iterator[Article | ReadError]:
    """The articles (and unreadable items) of one chunk."""
    if chunk.kind == "jsonl":
        with open(chunk.path, "rb") as fh:
            if chunk.start > 0:
                fh.seek(chunk.start - 1)
                fh.readline()  # the line that started before this chunk belongs to the one before
            yield from _jsonl_lines(fh, chunk, chunk.end, base=0)
    elif chunk.kind == "gzlines":
        if data is None:
            raise ValueError("a JSONL.gz chunk comes with its data")
        yield from _jsonl_lines(io.BytesIO(data), chunk, len(data), base=chunk.start)
    elif chunk.kind == "warc":
        yield from _warc_records(chunk)
    else:
        yield from read_articles(chunk.path, published=chunk.published)


def _jsonl_lines(fh: BinaryIO, chunk: Chunk, end: int, *, base: int) -> Iterator[Article | ReadError]:
    name = chunk.path
    while True:
        pos = fh.tell()
        if pos >= end:
            return
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        where = f"byte {base + pos}"
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(MAX_LINE_BYTES)
            yield ReadError("line too long", source_path=name, item=where)
            continue
        if not raw.strip():
            continue
        try:
            obj = json.loads(decode(raw))
        except json.JSONDecodeError as exc:
            yield ReadError(f"not JSON ({exc.msg} at column {exc.colno})", source_path=name, item=where)
            continue
        if not isinstance(obj, dict):
            yield ReadError("not a JSON object", source_path=name, item=where)
            continue
        got = _from_json(obj, lineno=0, name=name, default=chunk.published)
        if isinstance(got, ReadError):
            if got.item == "line 0":
                got.item = where
        elif got.id == "line-0":
            got.id = f"{Path(name).name}@{base + pos}"
        yield got


_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."


def _warc_start(fh: BinaryIO, start: int, end: int, gz: bool) -> int | None:
    """The offset of the first record that starts in [start, end), or None."""
    if start == 0:
        return 0
    pattern = _GZIP_MAGIC if gz else _WARC_MAGIC
    block = 4 * MiB
    pos = start
    while pos < end:
        span = min(block, end - pos)
        fh.seek(pos)
        buf = fh.read(span + len(pattern))
        if not buf:
            return None
        i = buf.find(pattern)
        while 0 <= i < span:
            if _is_record_start(fh, pos + i, gz):
                return pos + i
            i = buf.find(pattern, i + 1)
        pos += span
    return None


def _is_record_start(fh: BinaryIO, offset: int, gz: bool) -> bool:
    if gz:
        fh.seek(offset)
        try:
            head = zlib.decompressobj(31).decompress(fh.read(4096), 16)
        except zlib.error:
            return False
        return head.startswith(b"WARC/")
    fh.seek(max(0, offset - 4))
    head = fh.read(8192 + 4)
    return head[:4] == b"\r\n\r\n" and b"\nWARC-Type:" in head.split(b"\r\n\r\n", 2)[1]


def _warc_records(chunk: Chunk) -> Iterator[Article | ReadError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(chunk.path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
        first = _warc_start(fh, chunk.start, chunk.end, gz)
        if first is None:
            return
        fh.seek(first)
        records = ArchiveIterator(fh)
        try:
            for record in records:
                body = None
                wanted = record.rec_type in ("response", "resource")
                http = record.http_headers
                if wanted and http is not None and record.rec_type == "response":
                    status = http.get_statuscode() or ""
                    wanted = status.startswith("2")
                ctype = (
                    (http.get_header("Content-Type") if http is not None else None)
                    or record.rec_headers.get_header("Content-Type")
                    or ""
                )
                wanted = wanted and "html" in ctype.lower()
                if wanted:
                    body = record.content_stream().read()
                offset = records.get_record_offset()  # reads the rest of the record
                if offset >= chunk.end:
                    return
                if body is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                ident = record.rec_headers.get_header("WARC-Record-ID") or f"{Path(chunk.path).name}@{offset}"
                try:
                    article = read_text(
                        _decode_html(body, ctype), id=ident, url=url, published=chunk.published
                    )
                except ReadError as exc:
                    exc.source_path, exc.item = chunk.path, url or ident
                    yield exc
                    continue
                article.source_path = chunk.path
                yield article
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error) as exc:
            yield ReadError(
                f"cannot read the WARC records of bytes {chunk.start:,}-{chunk.end:,}: "
                + " ".join(str(exc).split()),
                source_path=chunk.path,
            )


def _decode_html(body: bytes, ctype: str) -> str:
    charset = ctype.lower().partition("charset=")[2].split(";")[0].strip().strip("\"'")
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(body)


def process_chunk(chunk: Chunk, data: bytes | None = None) -> ChunkResult:
    """Read one chunk, pre-filter and extract every article; keep the documents that assert something."""
    from .ingest import article_document

    t0, c0 = time.perf_counter(), time.process_time()
    out = ChunkResult()
    for item in read_chunk(chunk, data):
        if isinstance(item, ReadError):
            out.errors += 1
            if len(out.error_samples) < 5:
                out.error_samples.append(item.to_dict())
            continue
        out.articles += 1
        try:
            doc = article_document(item)
        except Exception as exc:  # one bad article must not stop an archive
            out.errors += 1
            if len(out.error_samples) < 5:
                out.error_samples.append(
                    {"source": item.source_path, "item": item.id, "error": f"{exc.__class__.__name__}: {exc}"}
                )
            continue
        if doc.assertions:
            out.docs.append(doc)
    out.seconds = time.perf_counter() - t0
    out.cpu_seconds = time.process_time() - c0
    out.worker, out.peak_rss = _whoami(), _peak_rss()
    return out


def _whoami() -> str:
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"


def _peak_rss() -> int:
    try:
        import resource

        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return kb if sys.platform == "darwin" else kb * 1024
    except ImportError:  # pragma: no cover - not on POSIX
        return 0


def _warm() -> dict:
    """Load the extractor once per worker, before the first chunk; say which versions run there."""
    from . import __version__
    from .extract import VERSION, default_pipeline

    default_pipeline()
    return {"comity": __version__, "extractor": VERSION}


# -- the client: write in batches, mark chunks done -----------------------------------------------------


def _open_store(db: str | None, seed: bool):  # type: ignore[no-untyped-def]
    """The record at ``db``. Several clients may open and write one record at once: every write
    transaction of :class:`~comity.store.Store` takes the store's write lock (see ``Store.writing``)."""
    from .store import Store

    try:
        return Store.open(db, seed=seed)
    except Exception as exc:
        if exc.__class__.__module__.startswith(("sqlalchemy", "psycopg")) or isinstance(
            exc, FileNotFoundError
        ):
            raise BulkError(f"cannot open the record at {db}: {exc.__class__.__name__}: {exc}") from None
        raise


class _Writer:
    """Takes chunk results as they come; writes documents in batches and then marks their chunks done.

    The writes run in a thread of their own, so that collecting results and handing out chunks go on
    while a batch is written; at most one batch waits for it (back-pressure when the database is the
    slower side).
    """

    def __init__(
        self,
        store,
        *,
        batch: int,
        flush_seconds: float,
        advance: Callable[[int], None],
        callback: Callable[[dict], None] | None,
        threaded: bool = True,
    ) -> None:  # type: ignore[no-untyped-def]
        self.store = store
        self.batch = max(1, batch)
        self.flush_seconds = flush_seconds
        self.advance = advance
        self.callback = callback
        self.docs: list[Document] = []
        self.chunks: list[tuple[Chunk, ChunkResult]] = []
        self.last = time.monotonic()
        self.n = dict(
            chunks=0,
            skipped=0,
            processed=0,
            marked=0,
            failed=0,
            read=0,
            with_assertions=0,
            added=0,
            duplicates=0,
            assertions=0,
            errors=0,
        )
        self.error_samples: list[dict] = []
        self.failed: list[dict] = []
        self.workers: dict[str, int] = {}
        self.work_seconds = 0.0  # spent reading and extracting, summed over the chunks
        self.work_cpu_seconds = 0.0  # of which on a CPU
        self.write_seconds = 0.0  # spent writing batches
        self.error: BaseException | None = None
        self.stopping = False
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.thread: threading.Thread | None = None
        if threaded:
            self.thread = threading.Thread(target=self._loop, name="comity-bulk-writer", daemon=True)
            self.thread.start()

    def note_errors(self, errors: list[dict]) -> None:
        self.n["errors"] += len(errors)
        room = MAX_ERROR_SAMPLES - len(self.error_samples)
        self.error_samples += errors[: max(0, room)]

    def skip(self, chunk: Chunk) -> None:
        self.n["chunks"] += 1
        self.n["skipped"] += 1
        self.advance(chunk.weight)

    def fail(self, chunk: Chunk, exc: BaseException) -> None:
        self.n["chunks"] += 1
        self.n["failed"] += 1
        self.advance(chunk.weight)
        if len(self.failed) < MAX_ERROR_SAMPLES:
            self.failed.append(
                {
                    "source": chunk.path,
                    "chunk": chunk.index,
                    "bytes": [chunk.start, chunk.end],
                    "error": f"{exc.__class__.__name__}: {exc}",
                }
            )

    def take(self, chunk: Chunk, res: ChunkResult) -> None:
        self._raise()
        self.n["chunks"] += 1
        self.n["processed"] += 1
        self.n["read"] += res.articles
        self.n["with_assertions"] += len(res.docs)
        self.note_errors(res.error_samples)
        self.n["errors"] += res.errors - len(res.error_samples)
        self.work_seconds += res.seconds
        self.work_cpu_seconds += res.cpu_seconds
        if res.worker:
            self.workers[res.worker] = max(self.workers.get(res.worker, 0), res.peak_rss)
        self.docs += res.docs
        self.chunks.append((chunk, res))
        self.advance(chunk.weight)
        if len(self.docs) >= self.batch or time.monotonic() - self.last >= self.flush_seconds:
            self.flush()
        if self.callback:
            self.callback(dict(self.n))

    def flush(self) -> None:
        """Hand the documents and chunks taken so far to the writing thread (or write them now)."""
        if not self.chunks:
            return
        item = (self.docs, self.chunks)
        self.docs, self.chunks = [], []
        self.last = time.monotonic()
        if self.thread is None:
            self._write(*item)
        else:
            self.queue.put(item)  # waits while the previous batch is still queued

    def close(self) -> None:
        """Write everything taken, then stop the writing thread."""
        self.flush()
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        self._raise()

    def abort(self) -> None:
        """Stop soon: the batch being written is finished, batches still queued are dropped."""
        self.stopping = True
        if self.thread is not None:
            with suppress(queue.Empty):
                while True:
                    self.queue.get_nowait()
            self.queue.put(None)
            self.thread.join()
            self.thread = None

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _loop(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.stopping or self.error is not None:
                continue
            try:
                self._write(*item)
            except BaseException as exc:  # handed to the main thread at its next step
                self.error = exc

    def _write(self, docs: list[Document], chunks: list[tuple[Chunk, ChunkResult]]) -> None:
        t0 = time.perf_counter()
        results = self.store.add_many(docs) if docs else []
        self._mark_done(chunks)
        self.n["marked"] += len(chunks)
        for r in results:
            if r.added:
                self.n["added"] += 1
                self.n["assertions"] += r.assertions
            else:
                self.n["duplicates"] += 1
        self.write_seconds += time.perf_counter() - t0

    def _mark_done(self, chunks: list[tuple[Chunk, ChunkResult]]) -> None:
        from .store.models import BulkChunkRow

        table = BulkChunkRow.__table__
        if self.store.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        now = datetime.now()
        rows = [
            {
                "archive": c.archive,
                "plan": c.plan,
                "chunk": c.index,
                "path": c.path,
                "start": c.start,
                "end": c.end,
                "articles": r.articles,
                "stored": len(r.docs),
                "errors": r.errors,
                "done": now,
            }
            for c, r in chunks
        ]
        with self.store.engine.begin() as conn:
            conn.execute(insert(table).on_conflict_do_nothing(), rows)

    def report(self) -> dict:
        out: dict = dict(self.n)
        out["error_samples"] = self.error_samples
        out["failed_chunks"] = self.failed
        out["workers"] = {w: {"peak_rss_mb": round(rss / MiB, 1)} for w, rss in sorted(self.workers.items())}
        out["work_seconds"] = round(self.work_seconds, 2)
        out["work_cpu_seconds"] = round(self.work_cpu_seconds, 2)
        out["write_seconds"] = round(self.write_seconds, 2)
        return out


def done_chunks(store, archive: Archive) -> tuple[str | None, set[int]]:  # type: ignore[no-untyped-def]
    """How an archive was cut before (its plan) and which chunks of that plan are done."""
    from sqlalchemy import select

    from .store.models import BulkChunkRow as B

    with store.connect() as conn:
        rows = conn.execute(select(B.plan, B.chunk).where(B.archive == archive.identity)).all()
    by_plan: dict[str, set[int]] = {}
    for plan, chunk in rows:
        if plan.partition(":")[0] == archive.kind:  # the same bytes read as another kind are cut otherwise
            by_plan.setdefault(plan, set()).add(chunk)
    if not by_plan:
        return None, set()
    plan = max(by_plan, key=lambda p: len(by_plan[p]))
    return plan, by_plan[plan]


# -- the run --------------------------------------------------------------------------------------------


def ingest_bulk(
    paths: Iterable[str | Path],
    *,
    db: str | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    published: str | date | None = None,
    quiet: bool = False,
    chunk_bytes: int | None = None,
    batch: int = 1000,
    flush_seconds: float = 10.0,
    resume: bool = True,
    seed: bool = True,
    client=None,  # type: ignore[no-untyped-def]
    progress: Callable[[dict], None] | None = None,
) -> dict:
    """Ingest the archives named by ``paths`` (files, folders, globs) into the record at ``db``.

    ``workers``: local Dask worker processes (a LocalCluster); ``workers=0`` runs everything in this
    process, without Dask. ``scheduler``: the address of a running Dask scheduler (its workers are used
    instead). ``client``: an existing :class:`distributed.Client` (it is left open). ``chunk_bytes``:
    the chunk size for archives seen for the first time (an archive seen before keeps its chunks).
    ``batch``: documents per write. ``resume=False`` reads every chunk again (nothing new is added for
    sources already stored). ``seed``: give an empty record the bundled baseline first, as every
    other command does. ``progress`` is called with running counts after each chunk.

    Returns counts: chunks (skipped: done before; processed; failed), articles read, documents with
    assertions, sources added, duplicates, assertions, errors (with samples), per-worker peak memory,
    seconds, articles per second, and ``complete`` (every chunk of every archive is done).
    """
    from .reader import _as_date

    t0 = time.perf_counter()
    try:
        default = _as_date(published)
    except ValueError as exc:
        raise BulkError(f"--published: {exc}") from None
    archives = find_archives(paths)
    store = _open_store(db, seed)
    bar = _progress_bar(quiet)
    task = bar.add_task("bulk", total=sum(a.size for a in archives) or None, articles=0, stored=0)
    read_errors: list[ReadError] = []
    interrupted = False
    writer = _Writer(
        store,
        batch=batch,
        flush_seconds=flush_seconds,
        advance=lambda n: bar.update(
            task, advance=n, articles=writer.n["read"], stored=writer.n["added"] + len(writer.docs)
        ),
        callback=progress,
    )
    try:
        with bar:

            def todo() -> Iterator[tuple[Chunk, bytes | None]]:
                for archive in archives:
                    plan, done = done_chunks(store, archive) if resume else (None, set())
                    plan = plan or plan_name(archive.kind, chunk_bytes)
                    for chunk, data in plan_chunks(archive, plan, published=default, errors=read_errors):
                        if chunk.index in done:
                            writer.skip(chunk)
                        else:
                            yield chunk, data
                    if read_errors:
                        writer.note_errors([e.to_dict() for e in read_errors])
                        read_errors.clear()

            try:
                if client is None and scheduler is None and workers <= 0:
                    for chunk, data in todo():
                        writer.take(chunk, process_chunk(chunk, data))
                else:
                    _run_on_dask(todo(), writer, workers=workers, scheduler=scheduler, client=client)
                writer.close()
            except BaseException as exc:
                interrupted = isinstance(exc, KeyboardInterrupt)
                writer.abort()
                raise
    finally:
        store.close()
        if interrupted and not quiet:
            sys.stderr.write(
                f"interrupted: {writer.n['skipped'] + writer.n['marked']} chunks are done;"
                " run the same command again to go on from there\n"
            )
    out = writer.report()
    seconds = time.perf_counter() - t0
    out.update(
        archives=len(archives),
        complete=out["failed"] == 0,
        seconds=round(seconds, 2),
        articles_per_second=round(out["read"] / seconds, 1) if seconds > 0 else None,
        db=store.url.render_as_string(hide_password=True),
    )
    return out


def _progress_bar(quiet: bool):  # type: ignore[no-untyped-def]
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        DownloadColumn(),
        TextColumn("{task.fields[articles]:,} articles, {task.fields[stored]:,} stored"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=quiet or not sys.stderr.isatty(),
    )


def _run_on_dask(
    chunks: Iterator[tuple[Chunk, bytes | None]],
    writer: _Writer,
    *,
    workers: int,
    scheduler: str | None,
    client,
) -> None:  # type: ignore[no-untyped-def]
    """Keep the cluster busy with a window of chunks; hand each result to the writer as it completes."""
    from distributed import Client, LocalCluster, as_completed

    own: list = []
    try:
        if client is None:
            if scheduler:
                try:
                    client = Client(scheduler, timeout="30s")
                except OSError as exc:
                    raise BulkError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
                own.append(client)
                try:
                    client.wait_for_workers(1, timeout=120)
                except TimeoutError:
                    raise BulkError(f"the Dask scheduler at {scheduler} has no workers") from None
            else:
                with _children_ignore_sigint():
                    cluster = LocalCluster(
                        n_workers=max(1, workers),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                own.append(cluster)
                client = Client(cluster)
                own.append(client)
        _check_versions(client.run(_warm))
        _feed(client, chunks, writer, as_completed)
    finally:
        for thing in reversed(own):
            with suppress(Exception):  # closing a cluster that is going down anyway
                thing.close()


@contextmanager
def _children_ignore_sigint() -> Iterator[None]:
    """Worker processes started in here ignore Ctrl-C: this process stops them in order instead of
    each printing a traceback (an ignored signal stays ignored in a child, and Python leaves it so)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    import signal

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _check_versions(versions: dict) -> None:
    from . import __version__
    from .extract import VERSION

    for worker, v in versions.items():
        if v != {"comity": __version__, "extractor": VERSION}:
            raise BulkError(
                f"the worker at {worker} runs comity {v['comity']} (extractor {v['extractor']}); "
                f"this client runs {__version__} (extractor {VERSION}): install the same version there"
            )


def _feed(
    client: Any, chunks: Iterator[tuple[Chunk, bytes | None]], writer: _Writer, as_completed: Any
) -> None:
    token = uuid.uuid4().hex[:8]
    pending: dict[str, tuple[Chunk, bytes | None, int, list]] = {}
    done = as_completed()
    source = iter(chunks)

    def submit(chunk: Chunk, data: bytes | None, attempt: int) -> None:
        # JSONL.gz lines travel with the chunk (scattered straight to a worker); they stay here too, so
        # that a chunk whose worker died with them can be sent again.
        arg = client.scatter(data, hash=False) if data is not None else None
        key = f"comity-chunk-{token}-{chunk.archive[:12]}-{chunk.index}-{attempt}"
        fut = client.submit(process_chunk, chunk, arg, key=key, retries=1)
        pending[fut.key] = (chunk, data, attempt, [fut, arg])
        done.add(fut)

    threads = {"n": 0, "at": -1e9}

    def top_up() -> None:
        if time.monotonic() - threads["at"] > 5:  # workers may come and go
            threads.update(n=sum(client.nthreads().values()), at=time.monotonic())
        limit = max(4, 2 * threads["n"] + 2)
        while len(pending) < limit:
            item = next(source, None)
            if item is None:
                return
            submit(item[0], item[1], 0)

    try:
        top_up()
        for fut in done:
            chunk, data, attempt, refs = pending.pop(fut.key)
            try:
                result = fut.result()
            except Exception as exc:  # the worker was lost with the chunk's data, or the chunk kills workers
                if attempt < 2:
                    submit(chunk, data, attempt + 1)
                else:
                    writer.fail(chunk, exc)
            else:
                writer.take(chunk, result)
            refs.clear()  # let the cluster forget the chunk and its result
            del fut
            top_up()
    except BaseException:
        client.cancel([refs[0] for *_, refs in pending.values() if refs])
        raise
