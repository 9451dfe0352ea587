"""Compare: two sessions of one scenario side by side. The decisions both made alike, where the
paths split, what each did from there, each criterion's score with the difference, and the
reflexes only one of them showed. `1` and `2` replay either session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ...io.display import RATING_MARKS, bar
from ...engine.scoring import grade_letter
from ...sessions import history
from ...sessions.compare import Comparison, compare
from ...sessions.log import SessionError
from ...sessions.replay import Replay, ReplayStep, open_replay
from ..widgets.alternatives import points_words
from ..widgets.scores import score_style
from .base import CoachScreen

if TYPE_CHECKING:
    from textual.app import ComposeResult

SIDES = ("A", "B")


def _heading(text: str) -> Static:
    return Static(Content.styled(text.upper(), "bold $text-muted"), classes="heading")


class DecisionRow(Horizontal):
    """A decision: number in the margin, then scene, choice and points with a hanging indent."""

    def __init__(self, step: ReplayStep, titles: dict[str, str], reflexes: dict[str, str]) -> None:
        super().__init__(classes="decision-row")
        self._step, self._titles, self._reflexes = step, titles, reflexes

    def compose(self) -> ComposeResult:
        step = self._step
        yield Static(Content.styled(f"{step.number}.", "$text-muted"), classes="number")
        parts: list[Content | tuple[str, str] | str] = [(step.scene_title, "$text-muted"), "\n", (step.choice_text, "bold")]
        if step.outcome_text:
            parts += ["\n", ("~ ", "$text-muted"), Content(step.outcome_text)]
        if step.exact:
            parts += ["\n", points_words(step.score, self._titles)]
        if step.reflex:
            parts += ["  ", ("⚑ ", "bold $warning"), (f"“{self._reflexes.get(step.reflex, step.reflex)}”", "$text-warning")]
        yield Static(Content.assemble(*parts), classes="body")


class CompareScreen(CoachScreen):
    STYLES = ("screens/compare.tcss",)
    BINDINGS = [
        Binding("1", "replay(0)", "Replay A", id="compare.replay-a"),
        Binding("2", "replay(1)", "Replay B", id="compare.replay-b"),
        Binding("escape", "back", "Back", id="compare.back"),
    ]

    def __init__(self, first: Path | Replay, second: Path | Replay) -> None:
        super().__init__()
        left = first if isinstance(first, Replay) else open_replay(first)
        right = second if isinstance(second, Replay) else open_replay(second)
        self.replays = (left, right)
        self.error: str | None = None
        self.comparison: Comparison | None = None
        try:
            self.comparison = compare(left, right)
        except SessionError as error:
            self.error = str(error)
        rubric = left.rubric
        self.titles = {name: c.title for name, c in rubric.criteria.items()}
        self.reflex_titles = {name: r.title for name, r in rubric.reflexes.items()}

    def crumbs(self) -> tuple[str, ...]:
        return ("History", self.replays[0].title, "Compare")

    def title_info(self) -> Content:
        if self.comparison is None:
            return Content("")
        split = self.comparison.split
        words = "the same path" if split is None else f"paths split at decision {split + 1}"
        return Content.styled(words, "$text-muted")

    # --- layout -------------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        with VerticalScroll(id="compare"):
            if self.comparison is None:
                yield Static(Content.assemble(("✕ These sessions cannot be compared: ", "bold $text-error"),
                                              Content(self.error or "")), classes="card problem")
                return
            result = self.comparison
            with Horizontal(classes="sides"):
                for index, replay in enumerate(self.replays):
                    yield self._side_card(index, replay)
            for note in result.notes:
                yield Static(Content.assemble(("ⓘ ", "bold $text-accent"), Content(note)), classes="note")

            shared = result.shared
            count = len(shared)
            yield _heading(f"The same decisions ({count})" if count else "The same decisions")
            if shared:
                for step in shared:
                    yield DecisionRow(step, self.titles, self.reflex_titles)
            else:
                yield Static(Content.styled("None: the paths split at the very first decision.", "$text-muted"), classes="quiet")

            if result.split is None:
                yield _heading("Where the paths split")
                yield Static(Content.styled("Nowhere: both sessions made every decision alike.", "$text-muted"), classes="quiet")
            else:
                first = result.left_after[0] if result.left_after else result.right_after[0]
                yield _heading(f"Where the paths split · decision {result.split + 1} · {first.scene_title}")
                with Horizontal(classes="sides"):
                    for index, steps in enumerate((result.left_after, result.right_after)):
                        yield self._path_column(index, steps)

            yield _heading("Criteria")
            yield Static(self._criteria_table(), id="criteria-table")
            yield _heading("Reflexes")
            yield Static(self._reflex_words(), id="reflexes")

    def _side_card(self, index: int, replay: Replay) -> Widget:
        start = replay.start
        assert start is not None
        overall = replay.overall()
        ending = replay.ending
        lines: list[Content | tuple[str, str] | str] = []
        if ending is not None:
            marks, style = RATING_MARKS.get(ending.rating, ("", ""))
            lines += [(marks + " ", style), (ending.title, "bold"), (f"  {ending.rating} ending", "$text-muted")]
        elif replay.finished:
            lines += [(replay.ending_id or "ended", "bold")]
        else:
            count = len(replay.steps)
            lines += [(f"Unfinished after {count} {'decision' if count == 1 else 'decisions'}", "bold $text-warning")]
        lines.append("\n")
        if overall is not None:
            lines += [(f"{overall}%", f"bold {score_style(overall)}"), f" overall · grade {grade_letter(overall)}"]
        else:
            lines.append(("no overall score", "$text-muted"))
        if start.branched_from is not None:
            lines += ["\n", (f"↳ a branch, from decision {start.branched_from.step + 1}", "$text-accent")]
        card = Static(Content.assemble(*lines), classes=f"side side-{SIDES[index].lower()}")
        card.border_title = f"{SIDES[index]} · {history.when_words(start.time, history.local_now())} · {start.mode}"
        card.border_subtitle = f"{index + 1} replays it"
        return card

    def _path_column(self, index: int, steps: list[ReplayStep]) -> Widget:
        rows: list[Widget] = [DecisionRow(step, self.titles, self.reflex_titles) for step in steps]
        replay = self.replays[index]
        if not steps:
            rows.append(Static(Content.styled("Stopped here, unfinished.", "$text-warning"), classes="quiet"))
        ending = replay.ending
        end = ending.title if ending is not None else (replay.ending_id or "no ending yet")
        rows.append(Static(Content.assemble(("→ ", "bold $accent"), (end, "bold")), classes="ending"))
        column = Vertical(*rows, classes="path")
        column.border_title = SIDES[index]
        return column

    def _criteria_table(self) -> Content:
        result = self.comparison
        assert result is not None
        width = max((len(row.title) for row in result.criteria), default=10)
        width = max(width, len("Overall"))
        head = Content.styled(" " * width + "  " + "A".rjust(4).ljust(14) + "  " + "B".rjust(4).ljust(14) + "  B − A",
                              "bold $text-muted")
        lines = [head]
        left_total, right_total = result.overall
        rows = [(row.title, row.left, row.right, row.delta, row.same, row.left_points, row.right_points)
                for row in result.criteria]
        delta_total = None if left_total is None or right_total is None else right_total - left_total
        rows.append(("Overall", left_total, right_total, delta_total, delta_total == 0, None, None))
        for title, left, right, delta, same, left_points, right_points in rows:
            lines.append(Content.assemble(
                (title.ljust(width), "bold" if title == "Overall" else ""),
                "  ", self._score_cell(left), "  ", self._score_cell(right), "  ",
                self._delta(delta, same, left_points, right_points),
            ))
        return Content("\n").join(lines)

    @staticmethod
    def _score_cell(percent: int | None) -> Content:
        if percent is None:
            return Content.styled("  —".ljust(14), "$text-disabled")
        filled, empty = bar(percent, 8)
        return Content.assemble((f"{percent:>4}% ", f"bold {score_style(percent)}"), (filled, score_style(percent)),
                                (empty.replace(" ", "·"), "$text-disabled"))

    @staticmethod
    def _delta(delta: int | None, same: bool = True, left_points: int | None = None,
               right_points: int | None = None) -> Content:
        if delta is None:
            return Content.styled("—", "$text-disabled")
        if delta == 0 and not same and left_points is not None and right_points is not None:
            # The same rounded figure on different points: say which side earned more.
            change = right_points - left_points
            return Content.styled(f"{'▲' if change > 0 else '▼'} {change:+d} pts", "bold $text-success" if change > 0 else "bold $text-error")
        if delta == 0:
            return Content.styled("= same", "$text-muted")
        if delta > 0:
            return Content.styled(f"▲ +{delta} B higher", "bold $text-success")
        return Content.styled(f"▼ {delta} B lower", "bold $text-error")

    def _reflex_words(self) -> Content:
        result = self.comparison
        assert result is not None

        def names(reflexes: list[str]) -> Content:
            if not reflexes:
                return Content.styled("none", "$text-muted")
            return Content(", ").join(Content.assemble(("⚑ ", "$warning"), f"“{self.reflex_titles.get(r, r)}”") for r in reflexes)

        lines = [
            Content.assemble(("Only A showed  ", "bold"), names(result.reflexes_left)),
            Content.assemble(("Only B showed  ", "bold"), names(result.reflexes_right)),
        ]
        if result.reflexes_both:
            lines.append(Content.assemble(("Both showed    ", "bold"), names(result.reflexes_both)))
        if not any((result.reflexes_left, result.reflexes_right, result.reflexes_both)):
            lines = [Content.assemble(("✓ ", "bold $text-success"), "Neither session showed a traditional-PM reflex.")]
        return Content("\n").join(lines)

    # --- actions --------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.query_one("#compare").focus()

    def action_replay(self, index: int) -> None:
        self.navigator.open_replay(self.replays[index])

    def action_back(self) -> None:
        self.navigator.back()
