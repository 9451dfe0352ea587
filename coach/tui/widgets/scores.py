"""Scores as bars and sparklines: a criterion's score in a debrief, a learner's progress at home."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from ...io.display import bar, percent_sparkline

BAR_MAX = 40


def score_style(percent: int | None) -> str:
    if percent is None:
        return "$text-muted"
    return "$text-success" if percent >= 80 else "$text-warning" if percent >= 50 else "$text-error"


class ScoreBar(Widget):
    """`Title          ●●○  ████████▌·······   82%  4/5 pts`, columns aligned by `title_width`.

    A criterion this path could earn nothing on (`graded=False`) shows `n/a` instead of a bar.
    The figure is shown as it is, below 0% or above 100% (the bar itself stops at its ends).
    """

    def __init__(self, title: str, percent: int, *, title_width: int, weight: int | None = None,
                 detail: str = "", graded: bool = True) -> None:
        super().__init__(classes="score-bar")
        self.title = title
        self.percent = percent
        self.title_width = title_width
        self.weight = weight
        self.detail = detail
        self.graded = graded

    def render(self) -> Content:
        width = max(self.size.width, 30)
        weight = ("●" * self.weight + "○" * (3 - self.weight) + "  ") if self.weight else ""
        detail = f"  {self.detail}" if self.detail else ""
        title_width = min(self.title_width, max(12, width - len(weight) - 24))
        bar_width = max(6, min(BAR_MAX, width - title_width - len(weight) - len(detail) - 8))
        title = Content(self.title).truncate(title_width, ellipsis=True, pad=True)
        if not self.graded:
            return Content.assemble(title, "  ", (weight, "$accent"), ("n/a".ljust(bar_width + 5), "$text-muted"),
                                    (detail, "$text-muted"))
        figure = str(self.percent)
        label = f"{figure:>4}%"
        if len(figure) > 3:  # -100% or 1000%: keep a space before the figure, take it from the bar
            bar_width -= len(figure) - 3
            label = " " + label
        filled, empty = bar(self.percent, bar_width)
        return Content.assemble(
            title,
            "  ",
            (weight, "$accent"),
            (filled, score_style(self.percent)),
            (empty.replace(" ", "·"), "$text-disabled"),
            (label, "bold"),
            (detail, "$text-muted"),
        )


class ProgressRow(Widget):
    """Two lines: the criterion and the learner's skill estimate on it; a sparkline of every
    session's score and how many sessions the estimate rests on (coach.learning.profile).

    The estimate, not the latest score: one short failure no longer shows 0% beside a record of
    strong play."""

    def __init__(self, title: str, scores: tuple[int, ...], estimate: float | None = None) -> None:
        super().__init__(classes="progress-row")
        self.title = title
        self.scores = scores
        self.estimate = estimate

    def render(self) -> Content:
        width = max(self.size.width, 16)
        shown = round(self.estimate) if self.estimate is not None else None
        value = f"{shown}%" if shown is not None else "—"
        title = Content(self.title).truncate(width - len(value) - 1, ellipsis=True, pad=True)
        first = Content.assemble(title, " ", (value, f"bold {score_style(shown)}"))
        if self.scores:
            plays = len(self.scores)
            note = f"from {plays} {'session' if plays == 1 else 'sessions'}"
            spark = percent_sparkline(self.scores, width=max(1, width - len(note) - 2))
            gap = " " * max(1, width - len(spark) - len(note))
            second = Content.assemble((spark, "$primary"), gap, (note, "$text-muted"))
        else:
            second = Content.styled("not played yet", "$text-disabled")
        return Content("\n").join([first, second])
