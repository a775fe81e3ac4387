"""States and other parties to diplomatic relations, loaded once from the data files in ``data/``.

``data/states.csv``      one row per entity: code, names, kind, UN admission, capital, successors
``data/aliases.csv``     other ways to name an entity: aliases, abbreviations, capitals, demonyms
``data/not_foreign.csv`` pairs that do not treat each other as foreign states (the two Koreas, ...)

Names in other languages come from pycountry's translations where it has them.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

#: Kinds of entity, in the order ``comity states`` lists them.
KINDS = ("un_member", "observer", "other", "historical")

#: Alias kinds. ``name``, ``abbreviation`` and ``former_name`` identify a state anywhere; ``capital``,
#: ``demonym`` and ``government`` stand for a state in news writing ("Seoul said", "the Kremlin");
#: ``ambiguous`` marks a name that may mean any of several entities and never resolves to one of them
#: ("Korea", "Congo"): resolving it raises :class:`AmbiguousState` listing them.
ALIAS_KINDS = ("name", "abbreviation", "capital", "demonym", "government", "former_name", "ambiguous")


class StateError(LookupError):
    """A name that does not identify one state. ``suggestions`` lists close matches."""

    def __init__(self, message: str, query: str, suggestions: list[State] | None = None) -> None:
        super().__init__(message)
        self.query = query
        self.suggestions = suggestions or []


class UnknownState(StateError):
    pass


class AmbiguousState(StateError):
    pass


@dataclass(frozen=True)
class State:
    code: str
    name: str
    official_name: str = ""
    kind: str = "un_member"
    un_admission: date | None = None
    un_exit: date | None = None
    capital: str = ""
    demonym: str = ""
    successors: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    iso: bool = True
    note: str = ""
    aliases: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def is_un_member(self, as_of: date | None = None) -> bool:
        if self.un_admission is None:
            return False
        if as_of is None:
            return self.un_exit is None
        return self.un_admission <= as_of and (self.un_exit is None or as_of < self.un_exit)

    def existed(self, as_of: date) -> bool:
        return (self.start is None or self.start <= as_of) and (self.end is None or as_of < self.end)

    def names(self, kinds: Iterable[str] = ("name", "abbreviation", "former_name")) -> list[str]:
        wanted = set(kinds)
        out = [self.name] + ([self.official_name] if self.official_name else [])
        out += [alias for alias, kind in self.aliases if kind in wanted]
        return list(dict.fromkeys(out))

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "official_name": self.official_name or None,
            "kind": self.kind,
            "un_admission": self.un_admission.isoformat() if self.un_admission else None,
            "un_exit": self.un_exit.isoformat() if self.un_exit else None,
            "capital": self.capital or None,
            "demonym": self.demonym or None,
            "successors": list(self.successors),
            "iso": self.iso,
            "note": self.note or None,
        }


def normalize(text: str) -> str:
    """The key names are matched on: no accents, no case, no punctuation, no leading 'the'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _date(value: str) -> date | None:
    value = (value or "").strip()
    return date.fromisoformat(value) if value else None


def _rows(name: str) -> Iterator[dict[str, str]]:
    with resources.files("comity").joinpath("data", name).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            yield {k: (v or "").strip() for k, v in row.items() if k}


class Registry:
    """All known entities, with lookups by code and by any name."""

    def __init__(self, states: list[State], not_foreign: dict[frozenset[str], str]) -> None:
        self._by_code = {s.code: s for s in states}
        self._not_foreign = not_foreign
        self._index: dict[str, set[str]] = defaultdict(set)
        self._weak: dict[str, set[str]] = defaultdict(set)  # capitals, demonyms, governments
        for s in states:
            self._index[normalize(s.code)].add(s.code)
            for n in s.names():
                self._index[normalize(n)].add(s.code)
            for alias, kind in s.aliases:
                if kind in ("capital", "demonym", "government"):
                    self._weak[normalize(alias)].add(s.code)
                elif kind == "ambiguous":
                    self._index[normalize(alias)].add(s.code)
        for n in _pycountry_names():
            code, name = n
            if code in self._by_code and normalize(name) not in self._index:
                self._index[normalize(name)].add(code)

    # -- lookups ------------------------------------------------------------------------
    def __iter__(self) -> Iterator[State]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> State:
        try:
            return self._by_code[code.upper()]
        except KeyError:
            raise UnknownState(f"unknown state code {code!r}", code, self.suggest(code)) from None

    def lookup(self, text: str, *, weak: bool = True) -> list[State]:
        """Every entity a name may mean (empty when none). ``weak`` admits capitals and demonyms."""
        key = normalize(text)
        codes = self._index.get(key) or (self._weak.get(key, set()) if weak else set())
        return sorted((self._by_code[c] for c in codes), key=lambda s: (KINDS.index(s.kind), s.code))

    def resolve(self, text: str, *, weak: bool = True) -> State:
        """The one entity ``text`` names (a code, a name, an alias, a capital, a demonym).

        Raises :class:`UnknownState` or :class:`AmbiguousState`, each with suggestions.
        """
        if not text or not text.strip():
            raise UnknownState("empty state name", text or "", [])
        found = self.lookup(text, weak=weak)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            # A current entity wins over a historical one of the same name ("Yemen").
            current = [s for s in found if s.kind != "historical"]
            if len(current) == 1:
                return current[0]
            names = ", ".join(f"{s.code} ({s.name})" for s in found)
            raise AmbiguousState(f"{text!r} may mean {names}", text, found)
        raise UnknownState(f"unknown state {text!r}", text, self.suggest(text))

    def suggest(self, text: str, n: int = 5) -> list[State]:
        key = normalize(text)
        keys = difflib.get_close_matches(key, list(self._index), n=n * 2, cutoff=0.6)
        if len(key) >= 3:
            keys += [k for k in self._index if k.startswith(key)][:n]
        out: list[State] = []
        for k in keys:
            for code in sorted(self._index[k]):
                s = self._by_code[code]
                if s not in out:
                    out.append(s)
        return out[:n]

    def search(self, query: str | None = None) -> list[State]:
        """Entities whose code, name or alias contains ``query`` (all of them when empty)."""
        states = sorted(self, key=lambda s: (KINDS.index(s.kind), s.name))
        if not query:
            return states
        key = normalize(query)
        return [
            s
            for s in states
            if key == normalize(s.code) or any(key in normalize(n) for n in s.names(ALIAS_KINDS))
        ]

    def alias_table(self) -> list[tuple[str, str, str]]:
        """(surface form, code, kind) for every name of every entity, for gazetteers."""
        out = []
        for s in self:
            out.append((s.name, s.code, "name"))
            if s.official_name:
                out.append((s.official_name, s.code, "name"))
            out += [(alias, s.code, kind) for alias, kind in s.aliases]
        return out

    # -- relations facts --------------------------------------------------------------------
    def not_foreign(self, a: str, b: str) -> str | None:
        """Why ``a`` and ``b`` do not treat each other as foreign states, or None."""
        return self._not_foreign.get(frozenset((a, b)))

    def un_members(self, as_of: date | None = None) -> list[State]:
        """UN members on ``as_of`` (today when None), each seat counted once.

        A continuing state carries its predecessor's admission date (Russia the USSR's, Serbia Serbia and
        Montenegro's). While the predecessor held the seat, it is listed and its successor is not. Such a
        predecessor is recognised by its first successor having the same admission date and by leaving the
        UN before it ceased to exist (``un_exit`` before ``end``: the seat passed on, it did not lapse).
        """
        members = [s for s in self if s.is_un_member(as_of)]
        held = {
            s.successors[0]
            for s in members
            if s.successors
            and s.successors[0] in self._by_code
            and s.un_exit is not None
            and s.end is not None
            and s.un_exit < s.end
            and self._by_code[s.successors[0]].un_admission == s.un_admission
        }
        return [s for s in members if s.code not in held]


def _pycountry_names() -> list[tuple[str, str]]:
    import pycountry

    out = []
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                out.append((c.alpha_3, value))
    return out


def localized_names(
    code: str, languages: Iterable[str] = ("fr", "es", "de", "ru", "zh_CN", "ar")
) -> dict[str, str]:
    """The entity's name in other languages, from pycountry's translations (ISO entities only)."""
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return {}
    out = {}
    for lang in languages:
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        translated = tr.gettext(country.name)
        if translated != country.name:
            out[lang] = translated
    return out


@cache
def registry() -> Registry:
    """The registry, loaded once per process."""
    aliases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _rows("aliases.csv"):
        kind = row.get("kind") or "name"
        if kind not in ALIAS_KINDS:
            raise ValueError(f"aliases.csv: unknown alias kind {kind!r} for {row['code']}")
        aliases[row["code"]].append((row["alias"], kind))
    states = []
    for row in _rows("states.csv"):
        code = row["code"]
        if row["kind"] not in KINDS:
            raise ValueError(f"states.csv: unknown kind {row['kind']!r} for {code}")
        extra = list(aliases.get(code, ()))
        if row.get("capital"):
            extra.append((row["capital"], "capital"))
        if row.get("demonym"):
            extra += [(d.strip(), "demonym") for d in row["demonym"].split(";") if d.strip()]
        states.append(
            State(
                code=code,
                name=row["name"],
                official_name=row.get("official_name", ""),
                kind=row["kind"],
                un_admission=_date(row.get("un_admission", "")),
                un_exit=_date(row.get("un_exit", "")),
                capital=row.get("capital", ""),
                demonym=(row.get("demonym", "").split(";")[0]).strip(),
                successors=tuple(c for c in row.get("successors", "").split(";") if c),
                start=_date(row.get("start", "")),
                end=_date(row.get("end", "")),
                iso=row.get("iso", "yes") != "no",
                note=row.get("note", ""),
                aliases=tuple(dict.fromkeys(extra)),
            )
        )
    not_foreign = {frozenset((r["a"], r["b"])): r["note"] for r in _rows("not_foreign.csv")}
    return Registry(states, not_foreign)


def resolve(text: str) -> State:
    return registry().resolve(text)


def get(code: str) -> State:
    return registry().get(code)
