"""Regenerate firma/organiser/static/organiser/world.svg, the dashboard's world map.

The shapes are Natural Earth's 1:110m countries (public domain) as TopoJSON, from the npm
package world-atlas:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/world_map.py package/countries-110m.json

Each country becomes one <path> with its ISO 3166-1 alpha-2 code in `data-iso`, drawn in an
equirectangular projection with relative, whole-number coordinates to keep the file small.
Antarctica is left out: it would take a third of the height for no signer.
"""

import json
import os
import sys
from itertools import pairwise
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "firma.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django_countries import countries  # noqa: E402

OUTPUT = Path(__file__).resolve().parent.parent / "firma/organiser/static/organiser/world.svg"
WIDTH = 1000
NORTH, SOUTH = 84.0, -57.0
SCALE = WIDTH / 360
HEIGHT = round((NORTH - SOUTH) * SCALE)
# Shapes without an ISO number in Natural Earth, drawn as part of the country they are
# usually counted with (Kosovo has its user-assigned code).
BY_NAME = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY"}
LEFT_OUT = {"AQ"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs as (longitude, latitude) lists: TopoJSON stores them quantised and as deltas."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def project(point: tuple[float, float]) -> tuple[int, int]:
    longitude, latitude = point
    latitude = max(SOUTH, min(NORTH, latitude))
    return round((longitude + 180) * SCALE), round((NORTH - latitude) * SCALE)


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the 180th meridian (Russia's east, Fiji) kept on one side of it, so
    that it is not drawn as a band across the whole map; its far part falls off the edge."""
    crosses = any(abs(a[0] - b[0]) > 180 for a, b in pairwise(points))
    if not crosses:
        return points
    east = sum(longitude for longitude, _ in points) > 0
    return [
        (
            longitude + 360
            if east and longitude < 0
            else longitude - 360
            if not east and longitude > 0
            else longitude,
            latitude,
        )
        for longitude, latitude in points
    ]


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for points in rings:
        projected = [project(point) for point in unwrap(points)]
        kept = [projected[0]]
        for point in projected[1:]:
            if point != kept[-1]:
                kept.append(point)
        if len(kept) < 3:
            continue
        (x, y), moves = kept[0], []
        for px, py in kept[1:]:
            moves.append(f"{px - x} {py - y}")
            x, y = px, py
        parts.append(f"M{kept[0][0]} {kept[0][1]}l" + " ".join(moves) + "z")
    return "".join(parts)


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    shapes: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" in geometry:
            code = countries.alpha2(int(geometry["id"]))
        else:
            code = BY_NAME.get(geometry["properties"]["name"], "")
        if not code or code in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            shapes.setdefault(code, []).extend(ring(indexes, arcs) for indexes in polygon)
    paths = [
        f'<path data-iso="{code}" d="{path_data(rings)}"/>'
        for code, rings in sorted(shapes.items())
    ]
    OUTPUT.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">\n'
        "<!-- Natural Earth 1:110m countries (public domain), via world-atlas 2.0.2; "
        "regenerate with scripts/world_map.py -->\n" + "\n".join(paths) + "\n</svg>\n"
    )
    print(f"{len(paths)} countries written to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1])
