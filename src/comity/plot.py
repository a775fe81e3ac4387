"""Charts of the record, written as PNG or SVG (by the file's extension) with matplotlib's Agg backend.

``partners_chart``  how many partners a state had over time, counted as ``comity partners`` counts them, with
                    each change marked (a gain or a loss, labelled with the partners it concerns);
``pairs_chart``     a matrix of the relations among a chosen group of states on a day: relations (with the
                    year they began), none, severed, suspended, not foreign to each other, or unknown. Each
                    row reads the pair as that state's record does (its own list dates it).

matplotlib is the ``analysis`` extra; it is imported only when a chart is drawn. SVG keeps its text as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import or_, select

from .frames import require
from .merge import day_key, key_date
from .query import QueryError, Record
from .states import State, registry
from .store.models import ListingRow, PeriodRow
from .vocab import PartialDate, parse_as_of

P, L = PeriodRow.__table__, ListingRow.__table__

FORMATS = ("png", "svg")
STATUS_COLOURS = {
    "relations": "#2e7d32",
    "none": "#e0e0e0",
    "severed": "#c62828",
    "suspended": "#ef6c00",
    "not foreign": "#7e57c2",
    "unknown": "#ffffff",
}
GAIN, LOSS = "#2e7d32", "#c62828"


class PlotError(ValueError):
    """A chart that cannot be drawn as asked."""


@dataclass
class Chart:
    """A chart written to ``path``: its size in pixels and the data it shows."""

    path: Path
    width: int
    height: int
    data: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)


def _format(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise PlotError(f"{path.name}: write a .png or an .svg file")
    return ext


def _code(state: str | State) -> str:
    return state.code if isinstance(state, State) else registry().resolve(state).code


def _figure(width: int, height: int, dpi: int):  # type: ignore[no-untyped-def]
    require("matplotlib", purpose="charts")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if width < 200 or height < 150:
        raise PlotError("a chart needs at least 200 x 150 pixels")
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: Path, dpi: int) -> None:  # type: ignore[no-untyped-def]
    import matplotlib

    fmt = _format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "comity"}):
        fig.savefig(
            path, format=fmt, dpi=dpi, metadata={"Software": "comity"} if fmt == "png" else {"Date": None}
        )


# -- partners over time -------------------------------------------------------------------------------
def partner_counts(
    record: Record,
    state: str | State,
    *,
    among: str = "all",
    start: date | None = None,
    end: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict], list[dict]]:
    """(points, changes): the number of partners on every day it may change, and what changed when."""
    code = _code(state)
    end = end or date.today()
    with record.store.connect() as conn:
        keys = {
            r[0]
            for r in conn.execute(
                select(P.c.start_hi).where(or_(P.c.a == code, P.c.b == code), P.c.start_hi.is_not(None))
            )
        }
        keys |= {r[0] for r in conn.execute(select(L.c.hi).where(L.c.viewer == code, L.c.hi.is_not(None)))}
    lo, hi = day_key(start) if start else 0, day_key(end)
    days = sorted(key_date(k) for k in keys if lo <= k <= hi)
    if start is not None and (not days or days[0] != start):
        days.insert(0, start)
    points: list[dict] = []
    changes: list[dict] = []
    before: set[str] = set()
    if days and start is not None:
        before = {p.code for p in record.partners(code, days[0] - timedelta(days=1), among)}  # type: ignore[arg-type]
    for i, day in enumerate(days):
        now = {p.code for p in record.partners(code, day, among)}  # type: ignore[arg-type]
        gained, lost = sorted(now - before), sorted(before - now)
        if gained or lost or not points:
            points.append({"date": day.isoformat(), "partners": len(now)})
        if gained or lost:
            changes.append({"date": day.isoformat(), "partners": len(now), "gained": gained, "lost": lost})
        before = now
        if progress:
            progress(i + 1, len(days))
    if start is None and changes:  # begin a little before the first change, not at some stray ancient date
        first = date.fromisoformat(changes[0]["date"])
        lead = {"date": max(date(1, 1, 1), first - timedelta(days=365)).isoformat(), "partners": 0}
        points = [lead] + [p for p in points if p["date"] >= changes[0]["date"]]
    if not points or points[-1]["date"] != end.isoformat():
        points.append({"date": end.isoformat(), "partners": len(before)})
    return points, changes


def partners_chart(
    record: Record,
    state: str | State,
    out: Path | str,
    *,
    among: str = "all",
    start: str | date | None = None,
    end: str | date | None = None,
    width: int = 1200,
    height: int = 600,
    dpi: int = 100,
    labels: int = 12,
    progress: Callable[[int, int], None] | None = None,
) -> Chart:
    """The number of ``state``'s partners over time, each change marked; ``labels`` caps the labelled gains
    (every loss is labelled)."""
    out = Path(out)
    _format(out)
    code = _code(state)
    first = _bound(start, earliest=True)
    last = _bound(end, earliest=False) or date.today()
    if first and first > last:
        raise PlotError(f"--from {first} is after --to {last}")
    fig = _figure(width, height, dpi)
    points, changes = partner_counts(record, code, among=among, start=first, end=last, progress=progress)
    ax = fig.add_subplot()
    xs = [date.fromisoformat(p["date"]) for p in points]
    ys = [p["partners"] for p in points]
    ax.step(xs, ys, where="post", color="#37474f", linewidth=1.6, label="partners")
    gains = [c for c in changes if c["gained"]]
    losses = [c for c in changes if c["lost"]]
    if gains:
        ax.scatter(
            [date.fromisoformat(c["date"]) for c in gains],
            [c["partners"] for c in gains],
            marker="^",
            color=GAIN,
            s=22,
            zorder=3,
            label="partner gained",
        )
    if losses:
        ax.scatter(
            [date.fromisoformat(c["date"]) for c in losses],
            [c["partners"] for c in losses],
            marker="v",
            color=LOSS,
            s=30,
            zorder=3,
            label="partner lost",
        )
    span = max(1, (xs[-1] - xs[0]).days) if xs else 1
    labelled = _spaced(losses, span, 20, 60) + _spaced(gains, span, labels, 25)
    for c in labelled:
        text = " ".join([f"+{x}" for x in c["gained"][:3]] + [f"−{x}" for x in c["lost"][:3]])
        more = len(c["gained"]) + len(c["lost"]) - min(3, len(c["gained"])) - min(3, len(c["lost"]))
        if more > 0:
            text += f" +{more} more"
        ax.annotate(
            text,
            (date.fromisoformat(c["date"]), c["partners"]),
            textcoords="offset points",
            xytext=(0, 7 if c["gained"] else -12),
            ha="center",
            fontsize=7,
            color=LOSS if c["lost"] else GAIN,
        )
    name = registry().get(code).name
    counted = "UN members" if among == "un" else "all partners"
    ax.set_title(f"Diplomatic partners of {name} ({counted})")
    ax.set_ylabel("partners")
    ax.set_ylim(bottom=0, top=max(ys + [1]) * 1.1)
    ax.grid(True, axis="y", color="#eeeeee")
    ax.legend(loc="upper left", frameon=False)
    _save(fig, out, dpi)
    return Chart(out, width, height, points, changes)


def _spaced(changes: list[dict], span_days: int, limit: int, parts: int) -> list[dict]:
    """At most ``limit`` of ``changes``, the latest first, none closer than 1/``parts`` of the time shown."""
    gap = span_days / parts
    kept: list[dict] = []
    for c in sorted(changes, key=lambda c: c["date"], reverse=True):
        if len(kept) >= limit:
            break
        day = date.fromisoformat(c["date"])
        if all(abs((day - date.fromisoformat(k["date"])).days) >= gap for k in kept):
            kept.append(c)
    return kept


def _bound(value: str | date | None, *, earliest: bool) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        d = PartialDate.parse(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    return d.earliest() if earliest else d.latest()  # type: ignore[union-attr]


# -- relations among a group --------------------------------------------------------------------------
def pair_matrix(record: Record, states: Sequence[str | State], as_of: str | date | None = None) -> list[dict]:
    """The status of every ordered pair of ``states`` on ``as_of``, read as ``comity status A B`` reads it (A's
    own list dates the pair for A): one dict per pair, in the order the states are given."""
    codes = list(dict.fromkeys(_code(s) for s in states))
    if len(codes) < 2:
        raise PlotError("name at least two different states")
    reg = registry()
    out = []
    for a in codes:
        for b in codes:
            if a == b:
                continue
            st = record.status(a, b, as_of)
            status = (
                "not foreign" if reg.not_foreign(a, b) and st.status in ("none", "unknown") else st.status
            )
            out.append(
                {
                    "a": a,
                    "b": b,
                    "status": status,
                    "since": st.since,
                    "sources": [s.title for s in st.sources],
                }
            )
    return out


def pairs_chart(
    record: Record,
    states: Sequence[str | State],
    out: Path | str,
    *,
    as_of: str | date | None = None,
    size: int | None = None,
    dpi: int = 100,
) -> Chart:
    """A matrix of the relations among ``states`` on ``as_of`` (today when None)."""
    out = Path(out)
    _format(out)
    day = _as_of(as_of)
    cells = pair_matrix(record, states, day)
    codes = list(dict.fromkeys([c["a"] for c in cells] + [c["b"] for c in cells]))
    n = len(codes)
    side = size or max(600, 300 + 50 * n)
    fig = _figure(side, side, dpi)
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Patch

    idx = {c: i for i, c in enumerate(codes)}
    grid = [[to_rgb("#455a64") for _ in codes] for _ in codes]
    text = [["" for _ in codes] for _ in codes]
    for c in cells:  # row: the state whose view; column: its partner
        i, j = idx[c["a"]], idx[c["b"]]
        grid[i][j] = to_rgb(STATUS_COLOURS.get(c["status"], "#ffffff"))
        text[i][j] = (c["since"] or "")[:4] if c["status"] in ("relations", "severed", "suspended") else ""
    ax = fig.add_subplot()
    ax.imshow(grid, interpolation="nearest")
    fontsize = 9 if n <= 12 else 7 if n <= 24 else 5
    for i in range(n):
        for j in range(n):
            if text[i][j]:
                dark = grid[i][j] in (to_rgb(STATUS_COLOURS["relations"]), to_rgb(STATUS_COLOURS["severed"]))
                ax.text(
                    j,
                    i,
                    text[i][j],
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    color="white" if dark else "black",
                )
    names = [registry().get(c).name for c in codes]
    ax.set_xticks(range(n), codes, rotation=90 if n > 8 else 0)
    ax.set_yticks(range(n), [f"{nm} ({c})" for nm, c in zip(names, codes, strict=True)])
    ax.tick_params(length=0)
    ax.set_title(f"Diplomatic relations as of {day.isoformat()}")
    present = [s for s in STATUS_COLOURS if any(c["status"] == s for c in cells)]
    ax.legend(
        handles=[Patch(facecolor=STATUS_COLOURS[s], edgecolor="#9e9e9e", label=s) for s in present],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 if n <= 8 else -0.2),
        ncol=min(3, len(present)),
        frameon=False,
        fontsize=8,
    )
    _save(fig, out, dpi)
    return Chart(out, side, side, cells)


def _as_of(value: str | date | None) -> date:
    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from None


__all__ = ["Chart", "PlotError", "pair_matrix", "pairs_chart", "partner_counts", "partners_chart"]
