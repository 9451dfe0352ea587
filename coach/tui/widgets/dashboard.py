"""The scenario's metrics: value, the change the last decision made, and a sparkline of history.

Direction is written out (`▲ +4.0 pts · better`), never only coloured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget

from ...display import arrow, direction, format_change, format_value, sparkline
from ...sanitise import line

if TYPE_CHECKING:
    from ...engine.state import State
    from ...scenario.model import Metric, Scenario

DIRECTION_STYLE = {"better": "$text-success", "worse": "$text-error", "same": "$text-muted"}


def split_label(label: str, room: int) -> tuple[str, str]:
    """The label's first line (at most `room` cells, broken at a space where one fits) and the rest."""
    if len(label) <= room:
        return label, ""
    cut = label.rfind(" ", 0, room + 1)
    if cut <= 0:
        cut = room
    return label[:cut].rstrip(), label[cut:].strip()


class MetricRow(Widget):
    def __init__(self, name: str, metric: Metric) -> None:
        super().__init__(classes="metric")
        self.metric_name = name
        self.metric = metric
        self.history: tuple[float, ...] = (metric.start,)

    def show(self, history: tuple[float, ...]) -> None:
        self.history = history or (self.metric.start,)
        self.refresh()

    @property
    def change(self) -> float | None:
        if len(self.history) < 2:
            return None
        return self.history[-1] - self.history[-2]

    def render(self) -> Content:
        width = max(self.size.width, 10)
        metric = self.metric
        value = format_value(metric, self.history[-1])
        head, rest = split_label(line(metric.label), max(1, width - len(value) - 1))
        label = Content(head)
        first = Content.assemble(label, " " * max(1, width - label.cell_length - len(value)), (value, "bold"))
        lines = [first]
        if rest:  # a long label takes a second line rather than losing its end ("Share of replies…")
            lines.append(Content(rest).truncate(width, ellipsis=True))

        change = self.change
        if change is None or abs(change) < 1e-12:
            note = Content.styled(f"{'no change' if change is not None else metric.better + ' is better'}", "$text-muted")
        else:
            verdict = direction(metric, change)
            note = Content.styled(f"{arrow(change)} {format_change(metric, change)} · {verdict}", DIRECTION_STYLE[verdict])
        spark_width = max(0, width - note.cell_length - 2)
        # One value is not a line: a lone block read as a glitch, so the sparkline waits for a change.
        spark = sparkline(self.history, width=spark_width) if len(self.history) > 1 else ""
        lines.append(Content.assemble((spark, "$primary"), " " * max(1, width - len(spark) - note.cell_length), note))
        return Content("\n").join(lines)


class MetricsDashboard(VerticalScroll, can_focus=False):
    """Attributes down: `show(scenario, state)` after every step. Metrics an author marked
    `shown = false` are left out while playing and included in a replay (`everything=True`),
    where seeing what was hidden is the point."""

    def __init__(self, *, everything: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.everything = everything

    def show(self, scenario: Scenario, state: State) -> None:
        rows = {row.metric_name: row for row in self.query(MetricRow)}
        if not rows and scenario.metrics:
            rows = {name: MetricRow(name, metric) for name, metric in scenario.metrics.items()
                    if metric.shown or self.everything}
            self.mount_all(rows.values())
        for name, row in rows.items():
            row.show(state.metric_history.get(name, (state.metrics.get(name, row.metric.start),)))
