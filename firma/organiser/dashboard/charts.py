"""Charts drawn on the server as inline SVG: no script, readable by screen readers (each has a
title and a description, and the page puts the numbers in a table beside it)."""

import math
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries.fields import Country

WORLD = Path(__file__).resolve().parent.parent / "static" / "organiser" / "world.svg"
# Sequential blues, light to dark, readable for colour-blind people; grey for no signature.
SHADES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
EMPTY = "#e5e5e5"
BAR = "#3182bd"
# Categories beyond these are in the table and the CSV, not in the chart.
MOST_BARS = 15

WIDTH = 720
TIME_HEIGHT = 220
LEFT, BOTTOM, TOP = 56, 28, 12
ROW = 22
LABEL_WIDTH = 190


@dataclass
class Chart:
    class Kind(Enum):
        TIME = "time"
        BARS = "bars"
        MAP = "map"

    name: str
    title: str
    key_header: str
    rows: list[tuple[str, str, int]]  # key (for the CSV), label, signatures
    kind: Kind = Kind.BARS

    @property
    def total(self) -> int:
        return sum(row[2] for row in self.rows)

    @property
    def description(self) -> str:
        if not self.rows or not self.total:
            return _("No signatures yet.")
        _key, label, value = max(self.rows, key=lambda row: row[2])
        return ngettext(
            "%(total)d signature in all; the most, %(most)d, for %(label)s.",
            "%(total)d signatures in all; the most, %(most)d, for %(label)s.",
            self.total,
        ) % {"total": self.total, "most": value, "label": label}


def render(chart: Chart) -> SafeString:
    if chart.kind == Chart.Kind.TIME:
        return time_chart(chart)
    if chart.kind == Chart.Kind.MAP:
        return world_map(chart)
    return bar_chart(chart)


def frame(chart: Chart, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="chart-{}-title chart-{}-desc" '
        'style="max-width:100%;height:auto">'
        '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>{}</svg>',
        width,
        height,
        chart.name,
        chart.name,
        chart.name,
        chart.title,
        chart.name,
        chart.description,
        body,
    )


def at(coordinate: float) -> str:
    return f"{coordinate:.1f}"


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 times 10^n at least `value`: the top of the axis."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def time_chart(chart: Chart) -> SafeString:
    """Vertical bars over time, with a labelled axis and a few dates along the bottom."""
    top = nice_ceiling(max((row[2] for row in chart.rows), default=0))
    plot_width, plot_height = WIDTH - LEFT - 8, TIME_HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(chart.rows), 1)
    parts = []
    for fraction in (0, 0.5, 1):
        y = TOP + plot_height * (1 - fraction)
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ccc"/>'
                '<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - 8,
                at(y),
                at(y),
                LEFT - 6,
                at(y + 4),
                f"{top * fraction:g}",
            )
        )
    every = max(1, math.ceil(len(chart.rows) / 6))
    for number, (_key, label, value) in enumerate(chart.rows):
        height = plot_height * value / top
        x = LEFT + number * step
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                at(x + step * 0.1),
                at(TOP + plot_height - height),
                at(max(step * 0.8, 0.5)),
                at(height),
                BAR,
                label,
                value,
            )
        )
        if number % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11">{}</text>',
                    at(x),
                    TIME_HEIGHT - 8,
                    label,
                )
            )
    return frame(chart, WIDTH, TIME_HEIGHT, mark_safe("".join(parts)))


def bar_chart(chart: Chart) -> SafeString:
    """Horizontal bars, one per category, largest first."""
    shown = chart.rows[:MOST_BARS]
    top = max((row[2] for row in shown), default=0) or 1
    plot_width = WIDTH - LABEL_WIDTH - 70
    parts = []
    for number, (_key, label, value) in enumerate(shown):
        y = TOP + number * ROW
        width = plot_width * value / top
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title>'
                '</rect><text x="{}" y="{}" font-size="12">{}</text>',
                LABEL_WIDTH - 6,
                y + 14,
                short,
                LABEL_WIDTH,
                y + 3,
                at(width),
                ROW - 6,
                BAR,
                label,
                value,
                at(LABEL_WIDTH + width + 4),
                y + 14,
                value,
            )
        )
    height = TOP * 2 + max(len(shown), 1) * ROW
    return frame(chart, WIDTH, height, mark_safe("".join(parts)))


@cache
def world_shapes() -> tuple[str, list[tuple[str, str]]]:
    """The map's viewBox and its (alpha-2 code, path data), read once."""
    text = WORLD.read_text()
    view_box = re.search(r'viewBox="([^"]+)"', text).group(1)
    return view_box, re.findall(r'<path data-iso="([A-Z]{2})" d="([^"]+)"/>', text)


def shade(value: int, most: int) -> str:
    """A colour by order of magnitude: counts by country span several."""
    if value <= 0:
        return EMPTY
    if most <= 1:
        return SHADES[-1]
    level = math.log(value) / math.log(most)
    return SHADES[min(len(SHADES) - 1, int(level * len(SHADES)))]


def world_map(chart: Chart) -> SafeString:
    counts = {key: (label, value) for key, label, value in chart.rows if key}
    most = max((row[1] for row in counts.values()), default=0)
    view_box, shapes = world_shapes()
    paths = format_html_join(
        "",
        '<path d="{}" fill="{}" stroke="#fff" stroke-width="0.5"><title>{}</title></path>',
        (
            (
                data,
                shade(counts.get(code, ("", 0))[1], most),
                f"{counts[code][0]}: {counts[code][1]}" if code in counts else Country(code).name,
            )
            for code, data in shapes
        ),
    )
    width, height = view_box.split()[2:]
    return frame(chart, int(width), int(height), paths)


def legend(chart: Chart) -> list[tuple[str, str]]:
    """(colour, range of counts) for the map's key."""
    most = max((row[2] for row in chart.rows), default=0)
    if most <= 1:
        return [(SHADES[-1], "1")] if most else []
    # shade() gives level k to the counts from most^(k/n) up to below most^((k+1)/n).
    lows = [math.ceil(most ** (level / len(SHADES))) for level in range(len(SHADES))]
    highs = [low - 1 for low in lows[1:]] + [most]
    return [
        (colour, f"{low}-{high}" if low < high else str(low))
        for colour, low, high in zip(SHADES, lows, highs, strict=True)
        if low <= high
    ]
