"""The app's charts as server-side SVG geometry: the templates draw inline SVG from these numbers,
so a chart needs no script and prints as it shows.

Two charts: a goal's indicator over the years against its baseline and target (the goal page),
and the progress of many goals towards their targets as horizontal bars (Overblik, one political
goal across schools).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from strategy.models import Goal

# --- a goal's indicator over the years ------------------------------------------------------------


@dataclass
class ChartPoint:
    x: float
    y: float
    year: int
    value: float
    label: str


@dataclass
class Chart:
    """Geometry of the goal's indicator chart, drawn as inline SVG by the template."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    points: list[ChartPoint]
    baseline: ChartPoint | None
    target: ChartPoint | None
    unit: str
    description: str
    breaks: frozenset[int] = frozenset()  # years that start a new series

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def polylines(self) -> list[str]:
        """One line per series of two or more points: no line is drawn across a break."""
        series: list[list[ChartPoint]] = []
        for p in self.points:
            if not series or p.year in self.breaks:
                series.append([])
            series[-1].append(p)
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in series if len(run) > 1]

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


def _nice_step(span: float) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about four intervals."""
    raw = span / 4 if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def indicator_chart(goal: Goal, number=lambda v: f"{v:g}", width: int = 640, height: int = 280) -> Chart | None:
    """Measurements against baseline and target, or None when there is nothing to draw."""
    # Fewer than MIN_PUPILS: kept and listed, never drawn; nor a value no chart can hold (FiniteFloat).
    kept = [m for m in goal.measurements if m.value is not None and not m.too_few_pupils]
    measured = [(m.year, m.value) for m in kept]
    breaks = frozenset(m.year for m in kept if m.new_series)
    baseline = (goal.baseline_year, goal.baseline_value) if goal.baseline_value is not None and goal.baseline_year else None
    target = (goal.target_year, goal.target_value) if goal.target_value is not None and goal.target_year else None
    known = measured + [p for p in (baseline, target) if p]
    if not known:
        return None
    years = [y for y, _ in known]
    values = [v for _, v in known]
    x_min, x_max = min(years), max(years)
    if x_min == x_max:
        x_min, x_max = x_min - 1, x_max + 1
    step = _nice_step(max(values) - min(values) or abs(values[0]) or 1)
    y_lo = math.floor(min(values) / step) * step
    y_hi = math.ceil(max(values) / step) * step
    if y_hi == y_lo:
        y_lo, y_hi = y_lo - step, y_hi + step
    if min(values) >= 0 and y_lo < 0:
        y_lo = 0
    left, right, top, bottom = 64, 32, 24, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    unit = goal.unit or ""

    def fmt(value: float) -> str:
        text = number(value)
        return f"{text} {unit}".strip() if unit and unit != "%" else f"{text}{unit}"

    def point(year: int, value: float) -> ChartPoint:
        x = left + (year - x_min) / (x_max - x_min) * plot_w
        y = top + (y_hi - value) / (y_hi - y_lo) * plot_h
        return ChartPoint(x, y, year, value, fmt(value))

    y_ticks = []
    tick = y_lo
    while tick <= y_hi + step / 1000:
        y_ticks.append((top + (y_hi - tick) / (y_hi - y_lo) * plot_h, fmt(tick)))
        tick += step
    span = x_max - x_min
    year_step = 1 if span <= 10 else math.ceil(span / 10)
    x_ticks = [(left + (y - x_min) / span * plot_w, str(y)) for y in range(x_min, x_max + 1, year_step)]

    parts = []
    if baseline:
        parts.append(str(_l("Udgangspunkt %(value)s i %(year)s.", value=fmt(baseline[1]), year=baseline[0])))
    if target:
        parts.append(str(_l("Målsætning %(value)s i %(year)s.", value=fmt(target[1]), year=target[0])))
    if measured:
        listed = ", ".join(f"{y}: {fmt(v)}" for y, v in measured)
        parts.append(str(_l("Målinger: %(list)s.", list=listed)))
    else:
        parts.append(str(_l("Ingen målinger endnu.")))
    return Chart(
        width, height, left, right, top, bottom, x_ticks, y_ticks,
        [point(y, v) for y, v in measured],
        point(*baseline) if baseline else None,
        point(*target) if target else None,
        unit,
        " ".join(parts),
        breaks,
    )


# --- many goals' progress towards their targets ------------------------------------------------


@dataclass
class ChartBar:
    label: str
    sublabel: str
    progress: float
    y: int
    width: float
    x: float
    text_x: float
    value_text: str


@dataclass
class ProgressChart:
    """Server-side SVG geometry: one horizontal bar per goal, baseline at 0 %, target at 100 %."""

    bars: list[ChartBar]
    width: int
    height: int
    label_width: int
    zero_x: float
    target_x: float
    scale_min: float
    scale_max: float
    ticks: list[tuple[float, str]]

    BAR = 18
    GAP = 8
    TOP = 28


def progress_chart(
    goals: Iterable[tuple[str, str, float | None]], width: int = 760, label_width: int = 260
) -> ProgressChart | None:
    """One bar per (school, goal title, progress) that has a progress; None when none has."""
    measured = [(school, title, p) for school, title, p in goals if p is not None]
    if not measured:
        return None
    lo = min(0.0, max(-1.0, min(p for _school, _title, p in measured)))
    hi = max(1.0, min(2.0, max(p for _school, _title, p in measured)))
    plot = width - label_width - 70

    def x_of(p: float) -> float:
        p = min(hi, max(lo, p))
        return round(label_width + (p - lo) / (hi - lo) * plot, 1)

    zero_x, target_x = x_of(0.0), x_of(1.0)
    bars = []
    for n, (school, title, p) in enumerate(measured):
        end = x_of(p)
        y = ProgressChart.TOP + n * (ProgressChart.BAR + ProgressChart.GAP)
        bars.append(
            ChartBar(
                label=school if len(school) <= 34 else school[:33] + "…",
                sublabel=title,
                progress=p,
                y=y,
                x=min(zero_x, end),
                width=round(max(1.0, abs(end - zero_x)), 1),
                text_x=round(max(zero_x, end) + 6, 1),
                value_text=f"{round(p * 100)} %",
            )
        )
    steps = [s / 100 for s in range(int(math.floor(lo * 4)) * 25, int(math.ceil(hi * 4)) * 25 + 1, 25)]
    ticks = [(x_of(s), f"{round(s * 100)} %") for s in steps if lo <= s <= hi and round(s * 100) % 50 == 0]
    height = ProgressChart.TOP + len(bars) * (ProgressChart.BAR + ProgressChart.GAP) + 10
    return ProgressChart(bars, width, height, label_width, zero_x, target_x, lo, hi, ticks)
