"""How metric values, changes and small charts are written, for every shell (TUI, reports, CLI).

Plain strings only: colour is the shell's business, and every meaning here is carried by words
and symbols as well (▲/▼ for direction, "better"/"worse"), so a colour-blind learner or a
high-contrast theme loses nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence

if TYPE_CHECKING:  # display sits below the scenario format; it only reads a metric's fields
    from ..scenario.model import Metric

SPARK = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"

Direction = Literal["better", "worse", "same"]

RATING_MARKS: dict[str, tuple[str, str]] = {
    "strong": ("●●●", "$text-success"),
    "mixed": ("●●○", "$text-warning"),
    "poor": ("●○○", "$text-error"),
}
"""An ending's rating as three dots and the theme variable that colours them: play, replay,
compare and the debrief show the same marks (the style is a name; this module imports no UI)."""

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
"""Symbols written before the amount (`€38.0k`); any other ISO 4217 code is written as the
code and a space (`CHF 38.0k`), which no reader can mistake. No currency means dollars, as in format 1."""


def currency_prefix(currency: str | None) -> str:
    if currency is None:
        return "$"
    return CURRENCY_SYMBOLS.get(currency, f"{currency} ")


def format_value(metric: Metric, value: float) -> str:
    display = metric.display
    if display == "percent":
        return f"{value * 100:.1f}%"
    if display == "ms":
        return f"{value:,.0f} ms"
    if display == "money":
        return _money(value, metric.currency)
    if display == "count":
        return f"{value:,.0f}"
    return _number(value)


def format_change(metric: Metric, delta: float) -> str:
    """A signed change in the metric's own unit: percentages move in points."""
    sign = "+" if delta > 0 else "-" if delta < 0 else "±"
    size = abs(delta)
    display = metric.display
    if display == "percent":
        return f"{sign}{size * 100:.1f} pts"
    if display == "ms":
        return f"{sign}{size:,.0f} ms"
    if display == "money":
        return f"{sign}{_money(size, metric.currency)}"
    if display == "count":
        return f"{sign}{size:,.0f}"
    return f"{sign}{_number(size)}"


def direction(metric: Metric, delta: float) -> Direction:
    if abs(delta) < 1e-12:
        return "same"
    up = delta > 0
    return "better" if up == (metric.better == "higher") else "worse"


def arrow(delta: float) -> str:
    return "▲" if delta > 1e-12 else "▼" if delta < -1e-12 else "="


def sparkline(values: Sequence[float], width: int | None = None) -> str:
    """Block characters scaled to the values' own range (a flat line sits in the middle)."""
    if not values:
        return ""
    if width is not None and len(values) > width:
        values = values[-width:]
    low, high = min(values), max(values)
    if high - low < 1e-12:
        return SPARK[3] * len(values)
    top = len(SPARK) - 1
    return "".join(SPARK[round((v - low) / (high - low) * top)] for v in values)


def percent_sparkline(values: Sequence[int], width: int | None = None) -> str:
    """Scores 0..100 on a fixed scale, so that a line of 90s looks high and a line of 20s low."""
    if width is not None and len(values) > width:
        values = values[-width:]
    top = len(SPARK) - 1
    return "".join(SPARK[round(max(0, min(100, v)) / 100 * top)] for v in values)


def bar(percent: float, width: int) -> tuple[str, str]:
    """A horizontal bar in eighths: (filled part, empty part), together exactly `width` cells."""
    percent = max(0.0, min(100.0, percent))
    eighths = round(percent / 100 * width * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (EIGHTHS[part] if part else "")
    return filled, " " * (width - len(filled))


def _money(value: float, currency: str | None = None) -> str:
    sign = "-" if value < 0 else ""
    size = abs(value)
    unit = currency_prefix(currency)
    if size >= 1_000_000:
        return f"{sign}{unit}{size / 1_000_000:.1f}M"
    if size >= 10_000:
        return f"{sign}{unit}{size / 1000:.1f}k"
    return f"{sign}{unit}{size:,.0f}"


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
