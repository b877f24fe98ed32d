"""Charts drawn on the server as SVG: geometry here, markup in ``_chart.svg.html``.

Each bar carries its number as text (a ``<title>``), and the page shows the same numbers
in a table. A count under 5 is drawn as an open, dashed bar of the height of 5 and
labelled '< 5': the chart does not tell more than the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

from inzicht.templatetags.inzicht import SMALL, masked

SERIES_LABELS = {
    "suggested": "voorgesteld",
    "accepted": "overgenomen",
    "declined": "afgewezen",
    "added": "toegevoegd terwijl uitgesloten",
}
SERIES_COLOURS = {  # dark enough for 3:1 against white (WCAG 1.4.11)
    "suggested": "#4b5563",
    "accepted": "#166534",
    "declined": "#b91c1c",
    "added": "#1e40af",
}
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 36


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    small: bool
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class MonthLabel:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    months: list[MonthLabel]
    baseline: float
    left: int
    right: float
    legend: list[tuple[str, str]]


def _nice_max(value: int) -> int:
    """The top of the axis: four equal steps of 1, 2 or 5 times a power of ten."""
    quarter = max(value, SMALL) / 4
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step >= quarter:
                return step * 4
        magnitude *= 10


def month_label(month: date) -> str:
    return date_format(month, "M Y")


def bar_chart(months: list[tuple[date, dict[str, int]]], series=tuple(SERIES_LABELS)) -> Chart:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max((v[s] for _m, v in months for s in series), default=0))
    slot = plot_w / max(len(months), 1)
    bar_w = slot * 0.8 / len(series)
    bars, labels = [], []
    every = max(1, -(-len(months) // 12))  # at most 12 month labels
    for i, (month, values) in enumerate(months):
        x0 = LEFT + i * slot + slot * 0.1
        if i % every == 0:
            labels.append(MonthLabel(LEFT + i * slot + slot / 2, month_label(month)))
        for j, name in enumerate(series):
            count = values[name]
            small = 0 < count < SMALL
            h = plot_h * (SMALL if small else count) / top
            bars.append(
                Bar(
                    x=round(x0 + j * bar_w, 1),
                    y=round(TOP + plot_h - h, 1),
                    width=round(bar_w * 0.9, 1),
                    height=round(h, 1),
                    colour=SERIES_COLOURS[name],
                    small=small,
                    title=f"{month_label(month)}: {masked(count)} {SERIES_LABELS[name]}",
                )
            )
    ticks = [Tick(round(TOP + plot_h * (1 - k / 4), 1), str(top * k // 4)) for k in range(5)]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=ticks,
        months=labels,
        baseline=TOP + plot_h,
        left=LEFT,
        right=WIDTH - RIGHT,
        legend=[(SERIES_COLOURS[s], SERIES_LABELS[s]) for s in series],
    )
