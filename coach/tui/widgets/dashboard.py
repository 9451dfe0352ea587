"""The scenario's metrics: value, the change the last decision made, and a sparkline of history.

Direction is written out (`▲ +4.0 pts · better`), never only coloured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget

from ...io.display import arrow, direction, format_change, format_value, sparkline
from ...io.sanitise import line

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


def short_label(label: str, room: int = 22) -> str:
    """A metric's label for the one-line strip: the words before a comma or a bracket, cut to `room`."""
    for mark in (" (", ", ", " - ", " — "):
        if mark in label:
            label = label[:label.index(mark)]
    label = label.strip()
    return label if len(label) <= room else label[:room - 1].rstrip() + "…"


class DashboardStrip(Widget):
    """The dashboard in one line, for a timed scene on a short terminal, where the scene text needs
    the room: each shown metric's short label, value and last move (`▲`, `▼`), as far as they fit."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[Content] = []

    def show(self, scenario: Scenario, state: State) -> None:
        items = []
        for name, metric in scenario.metrics.items():
            if not metric.shown:
                continue
            history = state.metric_history.get(name, (state.metrics.get(name, metric.start),))
            value = format_value(metric, history[-1])
            move = history[-1] - history[-2] if len(history) > 1 else 0.0
            parts: list[Content | tuple[str, str] | str] = [Content(short_label(line(metric.label))), " ", (value, "bold")]
            if abs(move) >= 1e-12:
                verdict = direction(metric, move)
                parts += [" ", (arrow(move), DIRECTION_STYLE[verdict])]
            items.append(Content.assemble(*parts))
        self._items = items
        self.refresh()

    def render(self) -> Content:
        width = max(self.size.width, 10)
        shown: list[Content] = []
        used = 0
        for item in self._items:
            extra = item.cell_length + (3 if shown else 0)
            if used + extra > width:
                break
            shown.append(item)
            used += extra
        more = len(self._items) - len(shown)
        line_ = Content(" · ").join(shown)
        if more:
            tail = Content.styled(f"  +{more} more", "$text-muted")
            if line_.cell_length + tail.cell_length > width and shown:
                line_ = Content(" · ").join(shown[:-1])
                tail = Content.styled(f"  +{more + 1} more", "$text-muted")
            line_ = Content.assemble(line_, tail)
        return line_


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
