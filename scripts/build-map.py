#!/usr/bin/env python3
"""Build the web page's world map (src/comity/web/static/world.json) from Natural Earth shapes.

Source: the npm package ``world-atlas`` 2.0.2 (ISC licence, Mike Bostock), ``countries-50m.json``: Natural
Earth's 1:50m Admin 0 countries (public domain) as TopoJSON with ISO 3166 numeric ids. This script

1. fetches it with ``npm pack world-atlas@2.0.2`` (or reads the file given as the first argument),
2. decodes the TopoJSON arcs, projects them with the Natural Earth projection (Šavrič et al. 2015),
3. simplifies each shared arc (Douglas-Peucker, so borders stay shared) and rounds to whole units,
4. names each shape by ISO alpha-3 (pycountry; Kosovo, Northern Cyprus and Somaliland by name),
5. writes SVG path strings, one per country, with a point for a marker on small countries.

The page draws the paths as they are: no projection or map library runs in the browser.

    python scripts/build-map.py [countries-50m.json]
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "comity" / "web" / "static" / "world.json"
PACKAGE = "world-atlas@2.0.2"
WIDTH = 2000  # user units across the map; coordinates are whole units
TOLERANCE = 0.5  # Douglas-Peucker tolerance in user units
SOUTH = -58.0  # latitude where the map is cut (drops Antarctica, which has no relations)

#: Shapes without an ISO numeric id in Natural Earth, by their name there.
BY_NAME = {"Kosovo": "XKX", "N. Cyprus": "XNC", "Somaliland": "XSL"}
#: States too small for Natural Earth's 1:50m shapes, drawn as a dot: code -> (name, lon, lat).
POINTS = {"TUV": ("Tuvalu", 179.2, -8.5)}
#: Shapes left out: not states, and too small to matter.
SKIP = {
    "Siachen Glacier",
    "Indian Ocean Ter.",
    "Antarctica",
    "Fr. S. Antarctic Lands",
    "Heard I. and McDonald Is.",
}


def fetch() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="world-atlas-"))
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = next(tmp.glob("world-atlas-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extract("package/countries-50m.json", tmp, filter="data")
    return tmp / "package" / "countries-50m.json"


def project(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth projection, in radians out, before scaling."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


X_MAX = project(180, 0)[0]
Y_TOP = project(0, 90)[1]
Y_BOTTOM = project(0, SOUTH)[1]
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round((Y_TOP - Y_BOTTOM) * SCALE)


def to_units(lon: float, lat: float) -> tuple[float, float]:
    x, y = project(lon, max(lat, SOUTH))
    return (x + X_MAX) * SCALE, (Y_TOP - y) * SCALE


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, at = -1.0, -1
        for k in range(i + 1, j):
            px, py = points[k]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if d > best:
                best, at = d, k
        if best > tol:
            keep[at] = True
            stack += [(i, at), (at, j)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def decode_arcs(topo: dict) -> tuple[list[list[tuple[float, float]]], list[list[tuple[int, int]]]]:
    """Each arc in longitude/latitude, and projected, simplified and rounded."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    raw, out = [], []
    for arc in topo["arcs"]:
        x = y = 0
        lonlat = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lonlat.append((x * sx + tx, y * sy + ty))
        raw.append(lonlat)
        simple = simplify([to_units(lon, lat) for lon, lat in lonlat], TOLERANCE)
        out.append([(round(px), round(py)) for px, py in simple])
    return raw, out


def _join(ring: list[int], arcs: list[list]) -> list:
    pts: list = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        for p in arc:
            if not pts or pts[-1] != p:
                pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts


def crosses_antimeridian(lonlat: list[tuple[float, float]]) -> bool:
    return any(abs(a[0] - b[0]) > 180 for a, b in zip(lonlat, lonlat[1:] + lonlat[:1], strict=True))


def clip(points: list[tuple[float, float]], keep, cut) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """Sutherland-Hodgman against one line: ``keep(p)`` tells the inside, ``cut(p, q)`` the crossing."""
    out: list[tuple[float, float]] = []
    for i, q in enumerate(points):
        p = points[i - 1]
        if keep(q):
            if not keep(p):
                out.append(cut(p, q))
            out.append(q)
        elif keep(p):
            out.append(cut(p, q))
    return out


def _at_lon(lon: float):  # type: ignore[no-untyped-def]
    def cut(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float]:
        t = (lon - p[0]) / (q[0] - p[0])
        return lon, p[1] + t * (q[1] - p[1])

    return cut


def split_antimeridian(lonlat: list[tuple[float, float]]) -> list[list[tuple[int, int]]]:
    """A ring that crosses 180° (Russia's Chukotka): unwrap it, then keep its part on each side of the map."""
    unwrapped = [lonlat[0]]
    for lon, lat in lonlat[1:]:
        prev = unwrapped[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        unwrapped.append((lon, lat))
    rings = []
    for shift in (-360, 0, 360):
        moved = [(lon + shift, lat) for lon, lat in unwrapped]
        part = clip(moved, lambda p: p[0] <= 180, _at_lon(180))
        part = clip(part, lambda p: p[0] >= -180, _at_lon(-180)) if part else []
        if len(part) >= 3:
            simple = simplify([to_units(lon, lat) for lon, lat in part + part[:1]], TOLERANCE)[:-1]
            pts = [(round(x), round(y)) for x, y in simple]
            pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
            if len(pts) >= 3:
                rings.append(pts)
    return rings


def path_of(rings: list[list[tuple[int, int]]]) -> str:
    parts = []
    for pts in rings:
        x0, y0 = pts[0]
        seq = [f"M{x0} {y0}"]
        px, py = x0, y0
        for x, y in pts[1:]:
            seq.append(f"l{x - px} {y - py}".replace(" -", "-"))
            px, py = x, y
        parts.append("".join(seq) + "z")
    return "".join(parts)


def area(pts: list[tuple[int, int]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True))) / 2


def code_of(geometry: dict) -> str | None:
    name = geometry["properties"]["name"]
    if name in BY_NAME:
        return BY_NAME[name]
    numeric = geometry.get("id")
    if numeric is None:
        return None
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    return country.alpha_3 if country else None


def build(source: Path) -> dict:
    topo = json.loads(source.read_text(encoding="utf-8"))
    raw, arcs = decode_arcs(topo)
    countries: list[dict] = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        code = code_of(g)
        if name in SKIP or code is None:
            if name not in SKIP:
                print(f"skipped (no code): {name}", file=sys.stderr)
            continue
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        rings, biggest, total = [], (0.0, None), 0.0
        for polygon in polygons:
            for n, ring in enumerate(polygon):
                lonlat = _join(ring, raw)
                parts = split_antimeridian(lonlat) if crosses_antimeridian(lonlat) else [_join(ring, arcs)]
                for pts in parts:
                    if len(pts) < 3:
                        continue
                    a = area(pts)
                    if n == 0 and a < 0.5:
                        continue  # an islet smaller than a unit
                    rings.append(pts)
                    if n == 0:
                        total += a
                        if a > biggest[0]:
                            biggest = (a, pts)
        if not rings or biggest[1] is None:
            # Too small to draw at this scale: a marker at the first arc's first point.
            first = next(arcs[i if i >= 0 else ~i][0] for poly in polygons for ring in poly for i in ring)
            countries.append({"id": code, "name": name, "d": "", "c": list(first), "small": True})
            continue
        xs = [x for x, _ in biggest[1]]
        ys = [y for _, y in biggest[1]]
        entry = {
            "id": code,
            "name": name,
            "d": path_of(rings),
            "c": [round((min(xs) + max(xs)) / 2), round((min(ys) + max(ys)) / 2)],
        }
        if total < 40:
            entry["small"] = True
        entry["_area"] = total
        countries.append(entry)
    merged: dict[str, dict] = {}
    countries.sort(key=lambda c: -c.get("_area", 0))
    for c in countries:  # one entry per code (Australia and its Ashmore and Cartier Islands)
        first = merged.setdefault(c["id"], c)
        if first is not c:
            first["d"] += c["d"]
            if not c.get("small"):
                first.pop("small", None)
    countries = list(merged.values())
    for c in countries:
        c.pop("_area", None)
    have = set(merged)
    for code, (name, lon, lat) in POINTS.items():
        if code not in have:
            x, y = to_units(lon, lat)
            countries.append({"id": code, "name": name, "d": "", "c": [round(x), round(y)], "small": True})
    countries.sort(key=lambda c: c["id"])
    return {
        "source": "Natural Earth 1:50m Admin 0 countries (public domain), via the npm package world-atlas 2.0.2 "
        "(ISC); built by scripts/build-map.py",
        "projection": "Natural Earth, cut at 58°S",
        "viewBox": [0, 0, WIDTH, HEIGHT],
        "countries": countries,
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else fetch()
    data = build(source)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(data['countries'])} shapes, {OUT.stat().st_size // 1024} KiB, to {OUT}")


if __name__ == "__main__":
    main()
