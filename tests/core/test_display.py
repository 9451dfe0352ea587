"""How metric values and changes are written: in their own units, with direction in words."""

from __future__ import annotations

from coach.io.display import arrow, bar, direction, format_change, format_value, percent_sparkline, sparkline
from coach.scenario.model import Metric


def metric(display: str, better: str = "higher") -> Metric:
    return Metric(label="m", start=0, min=0, max=10_000_000, display=display, better=better)


def test_values_in_their_units() -> None:
    assert format_value(metric("percent"), 0.915) == "91.5%"
    assert format_value(metric("ms"), 1234.4) == "1,234 ms"
    assert format_value(metric("money"), 8000) == "$8,000"
    assert format_value(metric("money"), 20_000) == "$20.0k"
    assert format_value(metric("money"), 2_500_000) == "$2.5M"
    assert format_value(metric("count"), 1520) == "1,520"
    assert format_value(metric("number"), 0.25) == "0.25"
    assert format_value(metric("number"), 3.0) == "3"
    assert format_value(metric("number"), 1500) == "1,500"


def test_changes_are_signed_and_percentages_move_in_points() -> None:
    assert format_change(metric("percent"), 0.04) == "+4.0 pts"
    assert format_change(metric("percent"), -0.031) == "-3.1 pts"
    assert format_change(metric("ms"), -120) == "-120 ms"
    assert format_change(metric("money"), 12_000) == "+$12.0k"
    assert format_change(metric("count"), 0) == "±0"


def test_direction_depends_on_which_way_is_better() -> None:
    assert direction(metric("percent", "higher"), 0.1) == "better"
    assert direction(metric("percent", "higher"), -0.1) == "worse"
    assert direction(metric("ms", "lower"), -10) == "better"
    assert direction(metric("ms", "lower"), 10) == "worse"
    assert direction(metric("ms", "lower"), 0) == "same"
    assert (arrow(1), arrow(-1), arrow(0)) == ("▲", "▼", "=")


def test_sparklines_and_bars() -> None:
    assert sparkline([]) == ""
    assert sparkline([1, 1, 1]) == "▄▄▄"
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert len(sparkline(list(range(50)), width=10)) == 10
    assert percent_sparkline([0, 100, 50]) == "▁█▅"
    filled, empty = bar(50, 10)
    assert filled == "█████" and empty == " " * 5
    filled, empty = bar(55, 10)
    assert len(filled) + len(empty) == 10 and filled.endswith("▌")
