"""Event codes other datasets speak: CAMEO (GDELT, ICEWS, Phoenix) and PLOVER (POLECAT).

``data/event_codes.csv`` maps each comity event type to its CAMEO code and PLOVER category, and says where
CAMEO has no code of its own for the act (``cameo_exact`` = no, with a note). Exports carry these codes.

Reading CAMEO-coded data goes the other way, and there one code stands for several comity types: 054
"Grant diplomatic recognition" is both recognising a state and establishing relations with it, and 161
"Reduce or break diplomatic relations" is a severance, a suspension, a downgrade, a recall or an expulsion
of diplomats. A coded row carries no text to tell them apart, so :data:`GDELT_READING` takes the reading
that claims least: 054 is read as ``recognize`` and 161 as ``downgrade``. Neither changes whether a pair
has relations, so a GDELT file never makes or breaks a pair in comity's answers; its rows are there to be
compared (in ``comity timeline``, in exports, with the CAMEO code in each assertion's detail).

CAMEO actor country codes are ISO 3166 alpha-3 codes with a few exceptions (CAMEO 1.1b3, table 9.1:
``ROM`` Romania, ``TMP`` East Timor, ``MTN`` Montenegro) and add region codes (``EUR``, ``AFR``, ``MEA``...)
that name no state.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from .vocab import EventType

__all__ = [
    "CAMEO_COUNTRY_EXCEPTIONS",
    "CAMEO_REGIONS",
    "GDELT_READING",
    "EventCode",
    "cameo_country",
    "event_code",
    "event_codes",
]


@dataclass(frozen=True)
class EventCode:
    """How one comity event type is coded in CAMEO and PLOVER."""

    type: str
    cameo: tuple[str, ...]
    cameo_label: str
    cameo_exact: bool
    plover: str | None
    plover_mode: str | None
    note: str

    def to_dict(self) -> dict:
        d = asdict(self)
        d["cameo"] = ";".join(self.cameo)
        return d


@cache
def event_codes() -> dict[str, EventCode]:
    """Every event type's codes, from ``data/event_codes.csv`` (checked to cover the vocabulary)."""
    out: dict[str, EventCode] = {}
    path = resources.files("comity").joinpath("data", "event_codes.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            etype = EventType(row["type"].strip()).value
            cameo = tuple(c.strip() for c in row["cameo"].split(";") if c.strip())
            for c in cameo:
                if not (c.isdigit() and 2 <= len(c) <= 4):
                    raise ValueError(f"event_codes.csv: {etype}: {c!r} is not a CAMEO code")
            exact = row["cameo_exact"].strip().lower()
            if exact not in ("yes", "no"):
                raise ValueError(f"event_codes.csv: {etype}: cameo_exact must be yes or no")
            out[etype] = EventCode(
                etype,
                cameo,
                row["cameo_label"].strip(),
                exact == "yes",
                row["plover"].strip() or None,
                row["plover_mode"].strip() or None,
                row["note"].strip(),
            )
    missing = [t.value for t in EventType if t.value not in out]
    if missing:
        raise ValueError(f"event_codes.csv has no row for {', '.join(missing)}")
    return out


def event_code(event_type: str | EventType) -> EventCode:
    return event_codes()[EventType(event_type).value]


#: CAMEO event code -> the comity type a coded row is read as (see the module docstring for why these).
GDELT_READING: dict[str, EventType] = {
    "054": EventType.RECOGNIZE,
    "161": EventType.DOWNGRADE,
}

#: CAMEO 1.1b3 country codes that differ from ISO 3166 alpha-3 (table 9.1).
CAMEO_COUNTRY_EXCEPTIONS: dict[str, str] = {"ROM": "ROU", "TMP": "TLS", "MTN": "MNE"}

#: CAMEO region codes (GDELT's CAMEO.country.txt): places and groups of states, not states.
CAMEO_REGIONS: dict[str, str] = {
    "WSB": "West Bank",
    "BAG": "Baghdad",
    "GZS": "Gaza Strip",
    "AFR": "Africa",
    "ASA": "Asia",
    "BLK": "Balkans",
    "CRB": "Caribbean",
    "CAU": "Caucasus",
    "CFR": "Central Africa",
    "CAS": "Central Asia",
    "CEU": "Central Europe",
    "EIN": "East Indies",
    "EAF": "Eastern Africa",
    "EEU": "Eastern Europe",
    "EUR": "Europe",
    "LAM": "Latin America",
    "MEA": "Middle East",
    "MDT": "Mediterranean",
    "NAF": "North Africa",
    "NMR": "North America",
    "PGS": "Persian Gulf",
    "SCN": "Scandinavia",
    "SAM": "South America",
    "SAS": "South Asia",
    "SEA": "Southeast Asia",
    "SAF": "Southern Africa",
    "WAF": "West Africa",
    "WST": "The West",
}


def cameo_country(code: str, known: object | None = None) -> tuple[str | None, str | None]:
    """A CAMEO country code as a comity code: ``(code, None)``, or ``(None, why not)``.

    ``known`` is the registry (anything with ``in``); by default comity's own.
    """
    if known is None:
        from .states import registry

        known = registry()
    value = (code or "").strip().upper()
    if not value:
        return None, "no country code"
    if value in CAMEO_REGIONS:
        return None, f"{value} is a region ({CAMEO_REGIONS[value]}), not a state"
    mapped = CAMEO_COUNTRY_EXCEPTIONS.get(value, value)
    if mapped not in known:  # type: ignore[operator]
        return None, f"{value} is not a state comity knows"
    return mapped, None
