"""The learner's profile: skill per criterion and reflexes over time, across every finished session.

On the left each criterion with its skill estimate (coach.learning.profile) and a sparkline,
and below them the reflexes the learner's decisions showed, one mark per session, with their
trend. On the right the chosen criterion as a chart, one column per session, the estimate and
when it is next due for a re-test, and the sessions behind the points, each one Enter away from
its replay."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from ...io.display import percent_sparkline
from ...learning.profile import ReflexTrend, Skill, reflex_trends, skills
from ...learning.recommend import interval
from ...learning.progress import ProgressPoint, criterion_timeline
from ...scenario.loader import builtin_rubric
from ...sessions import history
from ...sessions.store import SessionSummary, list_sessions
from ..widgets.scores import score_style
from .base import CoachScreen

if TYPE_CHECKING:
    from datetime import datetime

CHART_ROWS = 6
LIST_WIDTH = 34
BLOCKS = " ▁▂▃▄▅▆▇█"


def column_chart(scores: list[int], rows: int, highlight: int | None = None) -> list[Content]:
    """Scores 0..100 as columns of block characters, two cells per session, with a 0/50/100 axis."""
    lines: list[Content] = []
    for row in range(rows, 0, -1):
        label = {rows: "100 ┤", (rows + 1) // 2: " 50 ┤", 1: "  0 ┤"}.get(row, "    │")
        cells: list[tuple[str, str]] = [(label, "$text-muted")]
        for index, score in enumerate(scores):
            height = max(0, min(100, score)) / 100 * rows * 8
            filled = height - (row - 1) * 8
            char = "█" if filled >= 8 else BLOCKS[max(0, round(filled))] if filled > 0 else " "
            if row == 1 and char == " ":
                char = "▁"  # a zero still shows where the session is
            style = "$text-accent" if index == highlight else score_style(score)
            cells.append((char + " ", style))
        lines.append(Content.assemble(*cells))
    marker = "     " + "".join("▲ " if index == highlight else "  " for index in range(len(scores)))
    lines.append(Content.styled(marker.rstrip(), "bold $text-accent"))
    return lines


class PointsTable(DataTable):
    BINDINGS = [Binding("enter", "select_cursor", "Replay", id="progress.replay")]


def reflex_strip(trend: ReflexTrend, width: int) -> Content:
    """One mark per session, oldest first: ■ where the reflex showed (▪ once, ■ more), · where not."""
    counts = trend.counts[-width:]
    return Content.assemble(*[("■" if c > 1 else "▪", "$text-error") if c else ("·", "$text-disabled") for c in counts])


TREND_STYLES = {"fading": "$text-success", "new": "$text-error", "persisting": "$text-warning", "once": "$text-muted"}


class ProgressScreen(CoachScreen):
    CRUMBS = ("Profile",)
    STYLES = ("screens/progress.tcss",)
    BINDINGS = [
        Binding("escape", "back", "Back", id="progress.back"),
    ]

    def __init__(self, *, criterion: str | None = None, now: datetime | None = None,
                 crumbs: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self._now = now
        self._crumbs = crumbs or self.CRUMBS
        self.rubric = builtin_rubric()
        self.summaries: list[SessionSummary] = list_sessions()
        self.skills: dict[str, Skill] = {s.criterion: s for s in skills(self.summaries, self.rubric)}
        self.reflexes = reflex_trends(self.summaries, self.rubric)
        self.timelines: dict[str, list[ProgressPoint]] = {
            name: criterion_timeline(self.summaries, name) for name in self.rubric.criteria
        }
        played = [name for name, points in self.timelines.items() if points]
        self.criterion = criterion if criterion in self.timelines else (played[0] if played else next(iter(self.rubric.criteria)))

    def crumbs(self) -> tuple[str, ...]:
        return self._crumbs

    @property
    def now(self) -> datetime:
        return self._now or history.local_now()

    @property
    def points(self) -> list[ProgressPoint]:
        return self.timelines[self.criterion]

    def title_info(self) -> Content:
        finished = sum(1 for s in self.summaries if s.finished)
        return Content.styled(f"{finished} finished {'session' if finished == 1 else 'sessions'}", "$text-muted")

    # --- layout -------------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="progress-body"):
            options: list[Option | None] = []
            for name in self.rubric.criteria:
                options += [self._criterion_option(name), None]
            with Vertical(id="profile-left"):
                criteria = OptionList(*options[:-1], id="criteria")
                criteria.border_title = "Skills"
                criteria.border_subtitle = "↑↓ choose"
                yield criteria
                reflexes = Static(self._reflex_content(), id="reflexes")
                reflexes.border_title = "Reflexes"
                reflexes.border_subtitle = "one mark per session"
                yield reflexes
            with Vertical(id="progress-detail"):
                yield Static(id="chart")
                yield PointsTable(id="points", cursor_type="row", zebra_stripes=False)

    def _criterion_option(self, name: str) -> Option:
        points = self.timelines[name]
        title = self.rubric.criteria[name].title
        width = LIST_WIDTH - 4
        estimate = self.skills[name].estimate
        shown = round(estimate) if estimate is not None else None
        value = f"{shown}%" if shown is not None else "—"
        first = Content.assemble(Content(title).truncate(width - len(value) - 1, ellipsis=True, pad=True), " ",
                                 (value, f"bold {score_style(shown)}"))
        if points:
            scores = [p.score for p in points]
            note = f"{len(scores)} {'session' if len(scores) == 1 else 'sessions'}"
            spark = percent_sparkline(scores, width=width - len(note) - 1)
            second = Content.assemble((spark, "$primary"), " " * (width - len(spark) - len(note)), (note, "$text-muted"))
        else:
            second = Content.styled("not played yet", "$text-disabled")
        return Option(Content("\n").join([first, second]), id=name)

    def _reflex_content(self) -> Content:
        if not self.reflexes:
            return Content.styled("No reflex has shown in a finished session yet.", "$text-muted")
        width = LIST_WIDTH - 4
        rows: list[Content] = []
        for trend in self.reflexes:
            rows.append(Content(trend.title).truncate(width, ellipsis=True))
            note = f"{trend.sessions_shown}/{len(trend.counts)} · {trend.trend}"
            strip = reflex_strip(trend, max(1, width - len(note) - 1))
            rows.append(Content.assemble(strip, " " * max(1, width - strip.cell_length - len(note)),
                                         (note, TREND_STYLES.get(trend.trend, "$text-muted"))))
        return Content("\n").join(rows)

    def on_mount(self) -> None:
        criteria = self.query_one("#criteria", OptionList)
        names = list(self.rubric.criteria)
        criteria.highlighted = names.index(self.criterion)
        table = self.query_one(PointsTable)
        for label, width in (("#", 3), ("When", 15), ("Scenario", 28), ("Score", 5), ("Overall", 7)):
            table.add_column(label, key=label.lower(), width=width)
        self._show()
        criteria.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id and event.option.id != self.criterion:
            self.criterion = event.option.id
            self._show()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.points:
            self.query_one(PointsTable).focus()

    def _show(self) -> None:
        points = self.points
        table = self.query_one(PointsTable)
        table.clear()
        now = self.now
        for number, point in enumerate(points, start=1):
            summary = point.summary
            overall = summary.overall
            table.add_row(
                Content.styled(str(number), "dim"),  # not $text-muted: black in a DataTable cell
                Content(history.when_words(summary.time, now)),
                Content(summary.title),
                Content.styled(f"{point.score:>3}%", f"bold {score_style(point.score)}"),
                Content.styled(f"{overall:>3}%", "dim") if overall is not None else Content("—"),
                key=str(number - 1),
            )
        detail = self.query_one("#progress-detail")
        detail.border_title = self.rubric.criteria[self.criterion].title
        detail.border_subtitle = "Enter on a session replays it" if points else None
        if points:
            table.move_cursor(row=len(points) - 1, animate=False)
        table.display = bool(points)
        self._draw_chart(len(points) - 1 if points else None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._draw_chart(event.cursor_row)

    def _draw_chart(self, highlight: int | None) -> None:
        chart = self.query_one("#chart", Static)
        points = self.points
        criterion = self.rubric.criteria[self.criterion]
        if not points:
            chart.update(Content.assemble(
                ("No finished session has graded this criterion yet.", "bold"), "\n",
                (criterion.high.strip(), "$text-muted"), "\n\n",
                ("Scenarios that train it list it under “Trains” in the library.", "$text-muted"),
            ))
            return
        width = max(10, (self.query_one("#progress-detail").content_region.width or 60) - 6)
        fits = max(1, width // 2)
        shown = points[-fits:]
        offset = len(points) - len(shown)
        mark = None if highlight is None or highlight < offset else highlight - offset
        scores = [p.score for p in points]
        lines = column_chart([p.score for p in shown], CHART_ROWS, mark)
        first, latest, best = scores[0], scores[-1], max(scores)
        change = latest - first
        trend = ("▲", "$text-success") if change > 0 else ("▼", "$text-error") if change < 0 else ("=", "$text-muted")
        skill = self.skills[self.criterion]
        estimate = round(skill.estimate) if skill.estimate is not None else None
        headline = Content.assemble(
            ("Skill ", "$text-muted"), (f"{estimate}%", f"bold {score_style(estimate)}"),
            (f" from {skill.sessions} {'session' if skill.sessions == 1 else 'sessions'}", "$text-muted"),
            ("  ·  ", "$text-muted"), (self._due_words(skill), ""),
        )
        summary = Content.assemble(
            ("first ", "$text-muted"), (f"{first}%", "bold"), ("  →  latest ", "$text-muted"),
            (f"{latest}%", f"bold {score_style(latest)}"), ("  ", ""), (f"{trend[0]} {change:+d} pts", trend[1]),
            ("  ·  best ", "$text-muted"), (f"{best}%", "bold"),
        )
        if offset:
            summary = Content.assemble(summary, (f"  (the last {len(shown)} drawn)", "$text-muted"))
        chart.update(Content("\n").join([headline, "", *lines, summary]))

    def _due_words(self, skill: Skill) -> str:
        """When the spaced re-test of this skill falls due (coach.learning.recommend)."""
        last = skill.last_practised
        if last is None:
            return "re-test: whenever you like"
        left = interval(skill.evidence) - (self.now - last).total_seconds() / 86400
        if left <= 0:
            return "re-test due now"
        days = max(1, round(left))
        return f"re-test due in {days} {'day' if days == 1 else 'days'}"

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        points = self.points
        if 0 <= event.cursor_row < len(points):
            self.navigator.open_replay(points[event.cursor_row].summary.path)

    def on_resize(self, event) -> None:
        # CoachScreen.on_resize runs too (Textual calls each class's handler), after this one.
        if self.is_mounted and self.points:
            self.call_after_refresh(self._draw_chart, self.query_one(PointsTable).cursor_row)

    def action_back(self) -> None:
        self.navigator.back()

