"""The questions the record answers: one API for the CLI, the HTTP API and Python users.

Every answer comes from events (so a severance learnt later from the news changes it), is read as of a
day, and names the sources it rests on. A state's own reference page decides how it orders its
partners; where its page and a partner's page disagree, the disagreement is reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import or_, select

from .frames import FrameMixin, Rows
from .merge import day_key
from .states import State, registry
from .store import Store
from .store.models import AssertionRow, EventRow, ListingRow, MetaRow, PeriodRow, SourceRow
from .timeline import Period, period_of, status_at
from .vocab import PartialDate, parse_as_of

Among = Literal["all", "un"]
A, E, P, L, S = (m.__table__ for m in (AssertionRow, EventRow, PeriodRow, ListingRow, SourceRow))


class QueryError(ValueError):
    """A question the record cannot take as asked (a bad date, an unknown option)."""


def _code(state: str | State) -> str:
    return state.code if isinstance(state, State) else registry().resolve(state).code


def _name(code: str) -> str:
    return registry().get(code).name if code in registry() else code


def _as_of(value: str | date | None) -> date:
    try:
        return parse_as_of(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def _among(value: str) -> Among:
    if value not in ("all", "un"):
        raise QueryError(f"--among must be 'all' or 'un', not {value!r}")
    return value  # type: ignore[return-value]


# -- answers --------------------------------------------------------------------------------
@dataclass
class SourceRef:
    title: str
    url: str | None
    kind: str
    outlet: str | None = None
    published: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Partner(FrameMixin):
    code: str
    name: str
    date: str | None
    position: int | None
    basis: str
    un_member: bool
    sources: list[SourceRef] = field(default_factory=list)
    note: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["sources"] = [s.to_dict() for s in self.sources]
        return d


@dataclass
class Missing(FrameMixin):
    code: str
    name: str
    status: str
    note: str
    since: str | None = None
    sources: list[SourceRef] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["sources"] = [s.to_dict() for s in self.sources]
        return d


@dataclass
class Status(FrameMixin):
    a: str
    b: str
    as_of: str
    status: str  # relations | none | severed | suspended | unknown
    since: str | None
    note: str | None
    events: list[dict]
    sources: list[SourceRef]
    disagreements: list[dict]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["sources"] = [s.to_dict() for s in self.sources]
        return d


@dataclass
class Rank(FrameMixin):
    state: str
    partner: str
    as_of: str
    date: str | None
    rank_all: int | None
    rank_un: int | None
    total_all: int
    total_un: int
    basis: str | None
    note: str | None
    sources: list[SourceRef]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["sources"] = [s.to_dict() for s in self.sources]
        return d


# -- the record ---------------------------------------------------------------------------------
class Record:
    """Queries over a :class:`~comity.store.Store`, with a per-state cache that a write invalidates."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[str, Any] = {}
        self._version: str | None = None

    # -- loading (cached per state) ------------------------------------------------------------
    def _fresh(self) -> None:
        with self.store.connect() as conn:
            version = conn.execute(select(MetaRow.value).where(MetaRow.key == "version")).scalar()
        if version != self._version:
            self._cache.clear()
            self._version = version

    def _view(self, code: str) -> dict:
        """Everything about one state's pairs: periods, listings and the sources of each pair."""
        self._fresh()
        if code in self._cache:
            return self._cache[code]
        with self.store.connect() as conn:
            prow = conn.execute(
                select(P).where(or_(P.c.a == code, P.c.b == code)).order_by(P.c.start_hi, P.c.id)
            ).all()
            lrow = conn.execute(select(L).where(L.c.viewer == code)).all()
            srow = conn.execute(
                select(
                    A.c.a,
                    A.c.b,
                    A.c.event_id,
                    S.c.title,
                    S.c.url,
                    S.c.kind,
                    S.c.outlet,
                    S.c.published,
                    S.c.subject,
                )
                .join(S, S.c.id == A.c.source_id)
                .where(or_(A.c.a == code, A.c.b == code), A.c.modality == "asserted")
                .distinct()
            ).all()
            own_pages = [
                SourceRef(r.title, r.url, r.kind, r.outlet)
                for r in conn.execute(select(S).where(S.c.subject == code, S.c.kind == "wikipedia"))
            ]
        periods: dict[str, list[Period]] = defaultdict(list)
        for r in prow:
            other = r.b if r.a == code else r.a
            periods[other].append(period_of(r))
        sources: dict[str, dict[str, SourceRef]] = defaultdict(dict)
        by_event: dict[int, dict[str, SourceRef]] = defaultdict(dict)
        for r in srow:
            other = r.b if r.a == code else r.a
            ref = SourceRef(
                r.title, r.url, r.kind, r.outlet, r.published.isoformat() if r.published else None
            )
            sources[other][r.title] = ref
            if r.event_id is not None:
                by_event[r.event_id][r.title] = ref
        view = {
            "periods": dict(periods),
            "listings": {r.partner: r for r in lrow},
            "sources": {k: list(v.values()) for k, v in sources.items()},
            "by_event": {k: list(v.values()) for k, v in by_event.items()},
            "own_list": bool(own_pages),
            "own_pages": own_pages,
        }
        self._cache[code] = view
        return view

    def _pair_status(self, view: dict, partner: str, day: int):  # type: ignore[no-untyped-def]
        """Status of (viewer, partner) on ``day``; the viewer's own list dates its first relations."""
        ps = view["periods"].get(partner, [])
        listing = view["listings"].get(partner)
        i = _listed_period(ps, listing)
        if i is not None:
            p = ps[i]
            ps = list(ps)
            ps[i] = Period(
                p.status,
                listing.date,
                listing.lo,
                listing.hi,
                p.start_event,
                p.end,
                p.end_lo,
                p.end_hi,
                p.end_event,
            )
        return status_at(ps, day)

    def _counted(self, view: dict, partner: str) -> bool:
        """Does the viewer count this partner? Not when only the partner's page claims the pair
        while the viewer's own page has a list without it."""
        listing = view["listings"].get(partner)
        return not (view["own_list"] and listing is not None and listing.basis == "partner")

    # -- questions -------------------------------------------------------------------------------
    def partners(
        self, state: str | State, as_of: str | date | None = None, among: Among = "all"
    ) -> list[Partner]:
        """States with relations with ``state`` on ``as_of``, in order of establishment."""
        code, day, among = _code(state), _as_of(as_of), _among(among)
        view = self._view(code)
        key = day_key(day)
        out = []
        for partner in view["periods"]:
            st = self._pair_status(view, partner, key)
            if st.status != "relations" or not self._counted(view, partner):
                continue
            entity = registry().get(partner) if partner in registry() else None
            un = bool(entity and entity.is_un_member(day))
            if among == "un" and not un:
                continue
            listing = view["listings"].get(partner)
            since = (
                listing.date
                if listing is not None and listing.basis == "own"
                else (st.period.start if st.period else None)
            )
            out.append(
                Partner(
                    partner,
                    _name(partner),
                    since,
                    listing.position if listing is not None else None,
                    listing.basis if listing is not None else "record",
                    un,
                    view["sources"].get(partner, []),
                )
            )
        return sorted(out, key=lambda p: self._order_key(view, p.code))

    def _order_key(self, view: dict, partner: str) -> tuple:
        listing = view["listings"].get(partner)
        if listing is None:
            return (99999999, 99999999, _name(partner))
        return (listing.lo or 99999999, listing.position or 99999999, _name(partner))

    def rank(self, state: str | State, partner: str | State, as_of: str | date | None = None) -> Rank:
        """Where ``partner`` stands among the states that established relations with ``state``,
        counting all partners and counting UN members only."""
        code, other, day = _code(state), _code(partner), _as_of(as_of)
        view = self._view(code)
        key = day_key(day)
        ordered = sorted(
            (
                p
                for p, lst in view["listings"].items()
                if self._counted(view, p) and lst.hi is not None and lst.hi <= key
            ),
            key=lambda p: self._order_key(view, p),
        )
        un = [p for p in ordered if p in registry() and registry().get(p).is_un_member(day)]
        listing = view["listings"].get(other)
        note = None
        if other not in ordered:
            note = f"{_name(other)} has no recorded establishment of relations with {_name(code)} by {day}"
        elif other not in un:
            note = f"{_name(other)} is not a UN member, so it has no rank among UN members"
        return Rank(
            code,
            other,
            day.isoformat(),
            listing.date if listing is not None else None,
            ordered.index(other) + 1 if other in ordered else None,
            un.index(other) + 1 if other in un else None,
            len(ordered),
            len(un),
            listing.basis if listing is not None else None,
            note,
            view["sources"].get(other, []),
        )

    def missing(
        self, state: str | State, among: Among = "un", as_of: str | date | None = None
    ) -> list[Missing]:
        """States (UN members by default) without relations with ``state`` on ``as_of``, each with a note."""
        code, day, among = _code(state), _as_of(as_of), _among(among)
        view = self._view(code)
        key = day_key(day)
        reg = registry()
        if among == "un":
            candidates = reg.un_members(day)
        else:
            candidates = [s for s in reg if s.kind != "historical" or s.existed(day)]
        out = []
        for s in sorted(candidates, key=lambda s: s.name):
            if s.code == code or not s.existed(day):
                continue
            st = self._pair_status(view, s.code, key)
            if st.status == "relations" and self._counted(view, s.code):
                continue
            not_foreign = reg.not_foreign(code, s.code)
            since = st.period.start if st.period else None
            if not_foreign:
                note = f"not a foreign state to {_name(code)}: {not_foreign}"
            elif st.status in ("severed", "suspended"):
                note = f"relations {st.status}" + (f" since {since}" if since else " (date unknown)")
            elif st.status == "relations":
                note = f"listed by {_name(s.code)}'s page but not on {_name(code)}'s own list"
            else:
                note = "no relations recorded"
            if st.uncertain is not None:
                note += f"; a change to '{st.uncertain.status}' dated {st.uncertain.start or 'unknown'} may already have happened"
            # With no source on the pair, the answer rests on the state's own list, which leaves it out.
            refs = view["sources"].get(s.code) or view["own_pages"]
            out.append(
                Missing(
                    s.code, s.name, "relations" if st.status == "relations" else st.status, note, since, refs
                )
            )
        return out

    def status(self, a: str | State, b: str | State, as_of: str | date | None = None) -> Status:
        """The relations between ``a`` and ``b`` on ``as_of``, with the events and sources behind it."""
        ca, cb, day = _code(a), _code(b), _as_of(as_of)
        if ca == cb:
            raise QueryError("a status needs two different states")
        view = self._view(ca)
        key = day_key(day)
        st = self._pair_status(view, cb, key)
        events = [
            e
            for e in self._events(ca, cb)
            if e["modality"] == "asserted" and (e["lo"] or e["bound"] or 0) <= key
        ]
        status = st.status
        note = registry().not_foreign(ca, cb)
        if st.uncertain is not None:
            when = st.uncertain.start or f"an unknown date before {_key_str(st.uncertain.start_hi)}"
            note = "; ".join(
                filter(
                    None,
                    [
                        note,
                        f"became '{st.uncertain.status}' on {when}: "
                        "not precise enough to tell whether by this day",
                    ],
                )
            )
        if not events and status == "none":
            status = "unknown" if not view["periods"].get(cb) and not view["sources"].get(cb) else "none"
        srcs: dict[str, SourceRef] = {}
        for e in events:
            for s in e["sources"]:
                srcs[s["title"]] = SourceRef(**s)
        disagreements = [
            {"event": e["type"], "dates": e["disputed_dates"]} for e in events if e["disputed_dates"]
        ]
        since = st.period.start if st.period else None
        ps = view["periods"].get(cb, [])
        i = _listed_period(ps, view["listings"].get(cb))
        if (
            status == "relations"
            and i is not None
            and st.period is not None
            and ps[i].start_event == st.period.start_event
        ):
            since = view["listings"][cb].date
        return Status(
            ca, cb, day.isoformat(), status, since, note, events, list(srcs.values()), disagreements
        )

    def _events(self, a: str, b: str) -> list[dict]:
        with self.store.connect() as conn:
            erows = conn.execute(
                select(E).where(or_((E.c.a == a) & (E.c.b == b), (E.c.a == b) & (E.c.b == a)))
            ).all()
            ids = [r.id for r in erows]
            arows = (
                conn.execute(
                    select(
                        A.c.event_id,
                        A.c.date,
                        A.c.evidence,
                        A.c.span_start,
                        A.c.span_end,
                        A.c.extractor,
                        A.c.date_text,
                        S.c.title,
                        S.c.url,
                        S.c.kind,
                        S.c.outlet,
                        S.c.published,
                    )
                    .join(S, S.c.id == A.c.source_id)
                    .where(A.c.event_id.in_(ids))
                    .order_by(A.c.id)
                ).all()
                if ids
                else []
            )
        support: dict[int, list] = defaultdict(list)
        for r in arows:
            support[r.event_id].append(r)
        out = []
        for r in erows:
            refs: dict[str, dict] = {}
            evidence = []
            for s in support[r.id]:
                refs[s.title] = {
                    "title": s.title,
                    "url": s.url,
                    "kind": s.kind,
                    "outlet": s.outlet,
                    "published": s.published.isoformat() if s.published else None,
                }
                evidence.append(
                    {
                        "source": s.title,
                        "quote": s.evidence,
                        "date": s.date,
                        "date_text": s.date_text,
                        "span": [s.span_start, s.span_end] if s.span_start is not None else None,
                        "extractor": s.extractor,
                    }
                )
            out.append(
                {
                    "id": r.id,
                    "type": r.type,
                    "a": r.a,
                    "b": r.b,
                    "date": r.date,
                    "precision": PartialDate.parse(r.date).precision.value if r.date else None,
                    "modality": r.modality,
                    "lo": r.lo,
                    "hi": r.hi,
                    "bound": r.bound,
                    "happened_by": _key_str(r.bound)
                    if r.date is None and r.bound and r.modality == "asserted"
                    else None,
                    "n_sources": r.n_sources,
                    "disputed_dates": r.disputed_dates,
                    "sources": list(refs.values()),
                    "evidence": evidence,
                }
            )
        out.sort(key=lambda e: (e["lo"] or e["bound"] or 0, e["hi"] or 0, e["id"]))
        return out

    def timeline(self, a: str | State, b: str | State) -> dict:
        """The whole story of a pair: every event (all types and modalities) with its sources and quotes,
        and the status periods derived from them."""
        ca, cb = _code(a), _code(b)
        if ca == cb:
            raise QueryError("a timeline needs two different states")
        view = self._view(ca)
        events = self._events(ca, cb)
        return {
            "a": ca,
            "b": cb,
            "a_name": _name(ca),
            "b_name": _name(cb),
            "not_foreign": registry().not_foreign(ca, cb),
            "periods": [
                {"status": p.status, "start": p.start, "end": p.end, "start_certain": p.start is not None}
                for p in view["periods"].get(cb, [])
            ],
            "events": events,
            "sources": sorted(
                {s["title"]: s for e in events for s in e["sources"]}.values(), key=lambda s: s["title"]
            ),
        }

    def conflicts(self, state: str | State | None = None) -> list[dict]:
        """Where sources disagree: dates of one event, and pairs listed by one side's page only."""
        code = _code(state) if state else None
        with self.store.connect() as conn:
            q = select(E).where(E.c.disputed_dates.is_not(None))
            if code:
                q = q.where(or_(E.c.a == code, E.c.b == code))
            rows = conn.execute(q.order_by(E.c.a, E.c.b, E.c.lo)).all()
            ids = [r.id for r in rows]
            support = defaultdict(list)
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                for s in conn.execute(
                    select(A.c.event_id, A.c.date, S.c.title)
                    .join(S, S.c.id == A.c.source_id)
                    .where(A.c.event_id.in_(chunk))
                ):
                    support[s.event_id].append({"source": s.title, "date": s.date})
            lq = select(L).where(L.c.basis == "partner")
            if code:
                lq = lq.where(or_(L.c.viewer == code, L.c.partner == code))
            one_sided = conn.execute(lq).all()
            own_lists = {
                r[0] for r in conn.execute(select(S.c.subject).where(S.c.kind == "wikipedia").distinct())
            }
        out = [
            {
                "kind": "date",
                "type": r.type,
                "a": r.a,
                "b": r.b,
                "date": r.date,
                "readings": r.disputed_dates,
                "sources": support[r.id],
            }
            for r in rows
        ]
        for r in one_sided:
            if r.viewer in own_lists:
                out.append(
                    {
                        "kind": "one_sided",
                        "type": "establish",
                        "a": r.viewer,
                        "b": r.partner,
                        "date": r.date,
                        "readings": None,
                        "sources": [{"source": f"not on {_name(r.viewer)}'s own list", "date": None}],
                    }
                )
        return out

    def events(
        self,
        *,
        state: str | State | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        modality: str | None = None,
        limit: int = 100,
    ) -> list[dict]:
        """Events filtered by state, type, modality and date range (newest first)."""
        q = select(E)
        if state:
            code = _code(state)
            q = q.where(or_(E.c.a == code, E.c.b == code))
        if type:
            q = q.where(E.c.type == type)
        if modality:
            q = q.where(E.c.modality == modality)
        if since:
            q = q.where(E.c.hi >= day_key(PartialDate.parse(since).earliest()))  # type: ignore[union-attr]
        if until:
            q = q.where(E.c.lo <= day_key(PartialDate.parse(until).latest()))  # type: ignore[union-attr]
        with self.store.connect() as conn:
            rows = conn.execute(q.order_by(E.c.hi.desc().nulls_last(), E.c.id.desc()).limit(limit)).all()
        return [
            {
                "id": r.id,
                "type": r.type,
                "a": r.a,
                "b": r.b,
                "date": r.date,
                "modality": r.modality,
                "n_sources": r.n_sources,
            }
            for r in rows
        ]


def _key_str(key: int | None) -> str | None:
    if key is None:
        return None
    return f"{key // 10000:04d}-{key // 100 % 100:02d}-{key % 100:02d}"


# -- module-level API over the default record ----------------------------------------------------
_default: Record | None = None


def record(db: str | None = None) -> Record:
    """The record at ``db`` (or the default one, opened once and seeded with the baseline)."""
    global _default
    if db is not None:
        return Record(Store.open(db))
    if _default is None:
        _default = Record(Store.open())
    return _default


def partners(state: str, as_of: str | date | None = None, among: Among = "all") -> list[Partner]:
    return Rows(record().partners(state, as_of, among), Partner)


def rank(state: str, partner: str, as_of: str | date | None = None) -> Rank:
    return record().rank(state, partner, as_of)


def missing(state: str, among: Among = "un", as_of: str | date | None = None) -> list[Missing]:
    return Rows(record().missing(state, among, as_of), Missing)


def _listed_period(periods: list[Period], listing) -> int | None:  # type: ignore[no-untyped-def]
    """The relations period that the viewer's own list dates, if any: the one whose start is nearest the
    listed date and that has not ended by it. A list gives the beginning of the relations it counts now;
    for a pair with relations broken and restored, that is the latest beginning, not the first."""
    if not periods or listing is None or listing.basis != "own" or listing.hi is None:
        return None
    best, gap = None, None
    for i, p in enumerate(periods):
        if p.status != "relations" or (p.end_lo is not None and p.end_lo < (listing.lo or listing.hi)):
            continue
        d = abs((p.start_lo or 0) - (listing.lo or listing.hi))
        if gap is None or d < gap:
            best, gap = i, d
    return best


def status(a: str, b: str, as_of: str | date | None = None) -> Status:
    return record().status(a, b, as_of)


def timeline(a: str, b: str) -> dict:
    return record().timeline(a, b)


def conflicts(state: str | None = None) -> list[dict]:
    return record().conflicts(state)


def events(
    state: str | None = None,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    modality: str | None = None,
    limit: int = 100,
) -> list[dict]:
    """Events filtered by state, type, modality and date range, newest first (``.to_pandas()`` works)."""
    return Rows(
        record().events(state=state, type=type, since=since, until=until, modality=modality, limit=limit)
    )


def graph(as_of: str | date | None = None, among: Among = "all"):  # type: ignore[no-untyped-def]
    """The relations network on ``as_of`` as a networkx graph (see :func:`comity.graph.relations_graph`)."""
    from .graph import relations_graph

    return relations_graph(record(), as_of, among=among)
