"""Read GDELT 2.0 event export files as sources, so GDELT's view can be set beside comity's.

A GDELT 2.0 events export (``20240214153000.export.CSV``, usually inside a ``.zip``) is tab-separated,
without a header, 61 columns in the documented order (:data:`COLUMNS`): the event id, its date, two
actors (CAMEO actor codes, names and country codes), the CAMEO event code, counts and tone, three
geographies, the date GDELT added the row and the URL of the article it was coded from.

Rows whose CAMEO code concerns diplomatic relations (:data:`comity.codes.GDELT_READING`: 054 and 161)
become assertions: Actor1's country acts, Actor2's is the target, dated by the row's SQLDATE, read as the
comity type that claims least (054 ``recognize``, 161 ``downgrade``: see :mod:`comity.codes`), with the
CAMEO code, the actors, counts and tone in ``detail``. Each article URL is one source (kind ``gdelt``,
``url`` the article, ``published`` the day GDELT added it); rows of one URL that tell the same thing are
one assertion. Rows about relations that cannot be read as an act of one state towards another (a region,
no country, a non-state actor, the same state on both sides, a bad date) are kept as problems with their
raw text; rows with other codes are counted and left out.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from ..codes import GDELT_READING, cameo_country, event_code
from ..records import Assertion, Document, Source
from ..states import Registry
from ..states import registry as default_registry
from ..vocab import PartialDate

__all__ = ["COLUMNS", "EXTRACTOR", "GdeltError", "GdeltReport", "read_files", "read_rows"]

#: The GDELT 2.0 event table, in file order (GDELT Event Codebook v2.0).
COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
)
assert len(COLUMNS) == 61

EXTRACTOR = "gdelt-events"
EXTRACTOR_VERSION = "2.0"
#: GDELT is machine-coded from one sentence-level reading of an article; its rows weigh less than a quote.
CONFIDENCE = 0.5
#: Actor type codes that stand for the state itself: none (the country) or its government.
STATE_TYPES = frozenset({"", "GOV"})
ATTRIBUTION = "The GDELT Project (https://www.gdeltproject.org/)"


class GdeltError(ValueError):
    """A file that is not a GDELT 2.0 events export."""


@dataclass
class GdeltReport:
    """What reading one or more files found."""

    files: int = 0
    rows: int = 0
    relations_rows: int = 0
    assertions: int = 0
    problems: int = 0
    skipped_codes: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "rows": self.rows,
            "relations_rows": self.relations_rows,
            "assertions": self.assertions,
            "problems": self.problems,
        }


def _members(path: Path) -> Iterator[tuple[str, Iterable[str]]]:
    """(name, lines) of a plain export file or of each export file inside a zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            if not names:
                raise GdeltError(f"{path}: an empty zip archive")
            for name in names:
                with zf.open(name) as raw:
                    yield name, io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
        return
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        yield path.name, fh


def files_in(paths: Iterable[Path]) -> list[Path]:
    """The files named, and in folders the ``*.CSV``, ``*.csv`` and ``*.zip`` files, sorted."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in (".csv", ".zip"))
        elif p.exists():
            out.append(p)
        else:
            raise GdeltError(f"{p}: no such file or folder")
    return out


def read_files(
    paths: Iterable[Path | str], *, registry: Registry | None = None, report: GdeltReport | None = None
) -> Iterator[Document]:
    """Documents (one per article URL) from GDELT 2.0 export files (.CSV or .zip), file by file."""
    for path in files_in(Path(p) for p in paths):
        for name, lines in _members(path):
            yield from read_rows(lines, name, registry=registry, report=report)
        if report is not None:
            report.files += 1


def read_rows(
    lines: Iterable[str], name: str, *, registry: Registry | None = None, report: GdeltReport | None = None
) -> list[Document]:
    """The documents of one export file given as lines (``name`` is the file's name)."""
    reg = registry or default_registry()
    report = report if report is not None else GdeltReport()
    by_url: dict[str, _Group] = {}
    read_any = False
    first_width: int | None = None
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        cells = line.split("\t")
        report.rows += 1
        if len(cells) != len(COLUMNS):
            if first_width is None:
                first_width = len(cells)
            url = (
                cells[-1].strip() if len(cells) > 1 and cells[-1].startswith(("http://", "https://")) else ""
            )
            _group(by_url, url, name).problem(
                "gdelt_columns",
                f"line {lineno}: {len(cells)} tab-separated columns, a GDELT 2.0 event row has 61",
                line,
                lineno,
                new_row=True,
            )
            continue
        read_any = True
        row = dict(zip(COLUMNS, cells, strict=True))
        code = row["EventCode"].strip()
        etype = GDELT_READING.get(code)
        if etype is None:
            report.skipped_codes[code] = report.skipped_codes.get(code, 0) + 1
            continue
        report.relations_rows += 1
        group = _group(by_url, row["SOURCEURL"].strip(), name)
        group.rows.append(line)
        group.added(row["DATEADDED"])
        why = _read_row(row, etype, reg, group, name, lineno)
        if why is not None:
            group.problem(*why, line, lineno)
    if not read_any and first_width is not None:
        raise GdeltError(
            f"{name}: not a GDELT 2.0 events export (expected 61 tab-separated columns, found {first_width})"
        )
    docs = [g.document() for g in by_url.values()]
    docs = [d for d in docs if d.assertions or d.problems]
    report.assertions += sum(len(d.assertions) for d in docs)
    report.problems += sum(len(d.problems) for d in docs)
    return docs


def _read_row(row: dict, etype, reg: Registry, group: _Group, name: str, lineno: int):  # type: ignore[no-untyped-def]
    """Add the row's assertion to ``group``; or return (problem kind, message)."""
    code = row["EventCode"].strip()
    sides = []
    for n in ("1", "2"):
        country = row[f"Actor{n}CountryCode"].strip()
        actor = row[f"Actor{n}Code"].strip() or "(none)"
        state, why = cameo_country(country, reg)
        if state is None:
            label = row[f"Actor{n}Name"].strip() or actor
            return "gdelt_actor", f"CAMEO {code}: actor {n} {label} [{actor}]: {why}"
        kind = row[f"Actor{n}Type1Code"].strip().upper()
        if kind not in STATE_TYPES:
            return "gdelt_actor", (
                f"CAMEO {code}: actor {n} [{actor}] has type {kind}: not the state ({state}) "
                "or its government"
            )
        sides.append(state)
    a, b = sides
    if a == b:
        return "gdelt_actor", f"CAMEO {code}: {a} on both sides (a domestic event)"
    try:
        day = _date(row["SQLDATE"])
    except ValueError:
        return "gdelt_date", f"CAMEO {code}: SQLDATE {row['SQLDATE']!r} is not a day (YYYYMMDD)"
    label = event_code(etype).cameo_label if code in event_code(etype).cameo else code
    evidence = (
        f"GDELT event {row['GLOBALEVENTID']} ({day.isoformat()}): "
        f"{row['Actor1Name'].strip() or a} [{row['Actor1Code'].strip()}] -> "
        f"{row['Actor2Name'].strip() or b} [{row['Actor2Code'].strip()}]: CAMEO {code} {label}; "
        f"{row['NumArticles'].strip()} articles, {row['NumSources'].strip()} sources, tone {row['AvgTone'].strip()}"
    )
    detail = {
        "globaleventid": row["GLOBALEVENTID"],
        "cameo": code,
        "cameo_base": row["EventBaseCode"].strip(),
        "cameo_root": row["EventRootCode"].strip(),
        "cameo_label": label,
        "actor1": row["Actor1Code"].strip(),
        "actor2": row["Actor2Code"].strip(),
        "is_root_event": row["IsRootEvent"].strip() == "1",
        "quad_class": _num(row["QuadClass"], int),
        "goldstein": _num(row["GoldsteinScale"], float),
        "num_mentions": _num(row["NumMentions"], int),
        "num_sources": _num(row["NumSources"], int),
        "num_articles": _num(row["NumArticles"], int),
        "avg_tone": _num(row["AvgTone"], float),
        "file": name,
        "line": lineno,
    }
    assertion = Assertion(
        etype,
        a,
        b,
        PartialDate.parse(day),
        evidence=evidence,
        date_text=row["SQLDATE"].strip(),
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        confidence=CONFIDENCE,
        detail=detail,
    )
    key = (assertion.type, assertion.a, assertion.b, str(assertion.date))
    same = group.seen.get(key)
    if same is not None:  # one article, the same act told twice: one assertion, both ids kept
        same.detail.setdefault("also_events", []).append(row["GLOBALEVENTID"])
        return None
    group.seen[key] = assertion
    group.assertions.append(assertion)
    return None


def _num(value: str, kind):  # type: ignore[no-untyped-def]
    try:
        return kind(value.strip())
    except ValueError:
        return None


def _date(value: str) -> date:
    v = value.strip()
    if len(v) < 8 or not v[:8].isdigit():
        raise ValueError(v)
    return date(int(v[:4]), int(v[4:6]), int(v[6:8]))


@dataclass
class _Group:
    """The rows of one article URL (or of a file, for rows without a URL)."""

    url: str
    file: str
    rows: list[str] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    seen: dict[tuple, Assertion] = field(default_factory=dict)
    first_added: date | None = None

    def added(self, value: str) -> None:
        try:
            day = _date(value)
        except ValueError:
            return
        if self.first_added is None or day < self.first_added:
            self.first_added = day

    def problem(self, kind: str, message: str, raw: str, lineno: int, *, new_row: bool = False) -> None:
        if new_row:
            self.rows.append(raw)
        self.problems.append(
            {"kind": kind, "message": message, "raw": raw, "section": f"{self.file} line {lineno}"}
        )

    def document(self) -> Document:
        digest = hashlib.sha256("\n".join(sorted(self.rows)).encode("utf-8")).hexdigest()
        host = urlparse(self.url).netloc.lower().removeprefix("www.") if self.url else None
        title = f"GDELT: {self.url}" if self.url else f"GDELT: {self.file}"
        source = Source(
            "gdelt",
            title,
            digest,
            url=self.url or None,
            outlet=host or None,
            published=self.first_added,
            attribution=f"{ATTRIBUTION}, events file {self.file}",
        )
        return Document(source, list(self.assertions), list(self.problems))


def _group(groups: dict[str, _Group], url: str, file: str) -> _Group:
    if url not in groups:
        groups[url] = _Group(url, file)
    return groups[url]
