"""What a choice's effects do to the metrics: clamped to each metric's range, rounded so equal
values compare equal. The engine, the world's arrivals and exploration all apply effects here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..scenario.model import Scenario


def apply_effects(scenario: Scenario, metrics: dict[str, float], effects: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """New metric values clamped to each metric's range, and the change actually applied."""
    values = dict(metrics)
    applied: dict[str, float] = {}
    for name, delta in effects.items():
        metric = scenario.metrics[name]
        before = values[name]
        after = round(min(metric.max, max(metric.min, before + delta)), 9)
        values[name] = after
        if after != before:
            applied[name] = round(after - before, 9)
    return values, applied
