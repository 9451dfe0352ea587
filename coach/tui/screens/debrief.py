"""Debrief: the grade, one question to reflect on, each criterion, the reflexes shown, how sure
you were against how good each decision was (calibration), the best and weakest decisions, your
path beside the expert's, and what to play next. Exports to Markdown through `coach.reporting.reports`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.message import Message
from textual.widgets import Input, Static

from ...io.display import RATING_MARKS
from ...engine.calibration import calibration, summary_lines
from ...engine.scoring import CEILING_RULE, points_detail, worst_title
from ...sessions.reflection import QUESTION, save_reflection
from ...config.library import library
from ...learning.progress import best_scores, recommend_next
from ...sessions.store import list_sessions
from ..widgets.scores import ScoreBar, score_style
from .base import CoachScreen

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...engine.scoring import Debrief, Decision
    from ...sessions.playthrough import Playthrough


def _heading(text: str) -> Static:
    return Static(Content.styled(text.upper(), "bold $text-muted"), classes="heading")


class PathStep(Horizontal):
    """One decision on a path: a marker column, then the scene and the choice with a hanging indent."""

    def __init__(self, mark: Content, scene_title: str, text: str, *, ending: bool = False, width: int = 5) -> None:
        super().__init__(classes="path-step")
        self._mark, self._scene_title, self._text, self._ending = mark, scene_title, text, ending
        self._width = width

    def compose(self) -> ComposeResult:
        mark = Static(self._mark, classes="mark")
        mark.styles.width = self._width
        yield mark
        if self._ending:
            yield Static(Content.styled(self._text, "bold"), classes="step")
        else:
            yield Static(Content.assemble((self._scene_title, "$text-muted"), "\n", self._text), classes="step")


class ReflectionInput(Input):
    """The debrief's question: Enter saves the answer (the Input's own Submitted), Escape skips."""

    BINDINGS = [Binding("escape", "skip", "Skip the question", id="debrief.skip-reflection")]

    class Skipped(Message):
        """The learner chose not to answer."""

    def action_skip(self) -> None:
        self.post_message(self.Skipped())


class DebriefScreen(CoachScreen):
    STYLES = ("screens/debrief.tcss", "widgets/scores.tcss")
    BINDINGS = [
        Binding("e", "export", "Export", id="debrief.export"),
        Binding("n", "next", "Play next", id="debrief.next"),
        Binding("r", "again", "Play again", id="debrief.again"),
        Binding("escape", "home", "Library", id="debrief.home"),
    ]

    def __init__(self, playthrough: Playthrough) -> None:
        super().__init__()
        self.playthrough = playthrough
        self.scenario = playthrough.scenario
        self.debrief: Debrief = playthrough.debrief()
        self.calibration = calibration(self.debrief.path, playthrough.confidences)
        writer = playthrough.writer
        self._log_path = writer.path if writer is not None and playthrough.finished and writer.path.exists() else None
        """Where the answer to the question goes; None when the session is not saved (then nothing is asked)."""
        entries = library()
        self._this = next((e for e in entries if e.result.scenario is not None
                           and e.result.scenario.id == self.scenario.id), None)
        self.recommendation = recommend_next(entries, self.debrief.scores, current=self.scenario.id,
                                             best=best_scores(list_sessions()))

    def crumbs(self) -> tuple[str, ...]:
        return (self.scenario.title, "Debrief")

    def title_info(self) -> Content:
        return Content.styled(f"{self.playthrough.mode} mode · {len(self.debrief.path)} decisions", "$text-muted")

    # --- layout -------------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        debrief = self.debrief
        with VerticalScroll(id="debrief"):
            yield self._verdict()
            if self._log_path is not None:
                yield _heading("Reflection")
                with Vertical(id="reflection", classes="card"):
                    yield Static(Content.styled(QUESTION, "bold"), id="reflection-question")
                    yield ReflectionInput(placeholder="One sentence is enough", id="reflection-input", max_length=500)
                    yield Static(Content.assemble(("Enter", "bold $accent"), " saves it in the session log · ",
                                                  ("Esc", "bold $accent"), " skips"), id="reflection-keys")
            yield _heading("Criteria")
            title_width = max((len(score.title) for score in debrief.criteria), default=12)
            for score in debrief.criteria:
                yield ScoreBar(score.title, score.percent, title_width=title_width, weight=score.weight,
                               detail=points_detail(score), graded=score.graded)
            yield Static(Content.styled(CEILING_RULE, "$text-muted"), id="ceiling-rule")
            yield _heading("Reflexes you showed")
            if debrief.reflexes:
                for shown in debrief.reflexes:
                    yield Static(
                        Content.assemble(
                            ("⚑ ", "bold $warning"),
                            (f"“{shown.title}”", "bold"),
                            (f" ×{shown.count}" if shown.count > 1 else "", "bold $warning"),
                            (f"  {'first at ' if shown.count > 1 else ''}decision {shown.decision.number}, ", "$text-muted"),
                            (shown.decision.scene_title, "$text-muted"),
                            "\n",
                            ("You chose: ", "$text-muted"),
                            shown.decision.choice_text,
                            "\n",
                            ("Why it misleads: ", "$text-muted"),
                            shown.description.strip(),
                        ),
                        classes="card reflex",
                    )
            else:
                yield Static(Content.assemble(("✓ ", "bold $text-success"), "None of the traditional-PM reflexes showed in your decisions."),
                             classes="card")
            if self.calibration.asked:
                yield _heading("How sure you were")
                yield Static(self._calibration_words(), id="calibration", classes="card")
            if debrief.best is not None or debrief.worst is not None:
                with Horizontal(id="best-worst"):
                    if debrief.best is not None:
                        yield self._decision_card("✓ Best decision", debrief.best, "best")
                    if debrief.worst is not None:
                        # The decision that cost the most against the best choice open in its scene;
                        # a mistake only if it lost points, else merely the least strong.
                        mark = "✗" if debrief.worst.value < 0 else "◦"
                        yield self._decision_card(f"{mark} {worst_title(debrief.worst)}", debrief.worst, "worst")
            yield _heading("Your path and the expert's")
            with Horizontal(id="paths"):
                yield self._path_column()
                yield self._expert_column()
            yield _heading("Play next")
            yield Static(self._next_words(), id="next", classes="card")

    def _verdict(self) -> Widget:
        debrief = self.debrief
        grade = Static(Content.styled(debrief.grade, "bold"), id="grade", classes=f"grade-{debrief.grade}")
        lines: list[Content | str | tuple[str, str]] = [(f"{debrief.overall}%", f"bold {score_style(debrief.overall)}"), " overall"]
        if debrief.finished and debrief.ending_title:
            marks = RATING_MARKS.get(debrief.rating or "", ("", ""))[0]
            lines += ["\n", (f"{marks} ", "$accent"), (debrief.ending_title, "bold"), (f"  {debrief.rating} ending", "$text-muted")]
            if debrief.setup_title:  # the setup the seed drew, named only now that the session has ended
                lines += ["\n", ("Setup: ", "$text-muted"), Content(debrief.setup_title)]
        else:
            lines += ["\n", ("Unfinished: no ending reached.", "$text-warning")]
        if self.debrief.reflexes:
            count = len(self.debrief.reflexes)
            lines += ["\n", (f"{count} traditional-PM {'reflex' if count == 1 else 'reflexes'} showed", "$text-muted")]
        return Horizontal(grade, Static(Content.assemble(*lines), id="verdict-text"), id="verdict")

    def _calibration_words(self) -> Content:
        first, wrong, unsure = summary_lines(self.calibration)
        return Content.assemble(
            ("✓ ", "bold $text-success"), first, "\n",
            ("✗ ", "bold $text-error" if self.calibration.confident_wrong else "bold $text-muted"), wrong, "\n",
            ("? ", "bold $accent"), unsure,
        )

    # --- the question ------------------------------------------------------------------------------
    def on_input_submitted(self, message: Input.Submitted) -> None:
        if message.input.id != "reflection-input":
            return
        message.stop()
        answer = message.value.strip()
        if not answer:
            self._close_question(Content.styled("No answer: nothing was saved.", "$text-muted"))
            return
        problem = save_reflection(self._log_path, answer) if self._log_path is not None else "the session is not saved"
        if problem:
            self.notify(f"Your answer was not saved: {problem}", title="Not saved", severity="warning", markup=False)
            return
        self._close_question(Content.assemble(("Your answer: ", "$text-muted"), answer, ("  (saved)", "$text-success")))

    def on_reflection_input_skipped(self, message: ReflectionInput.Skipped) -> None:
        message.stop()
        self._close_question(Content.styled("Skipped: nothing was saved.", "$text-muted"))

    def _close_question(self, words: Content) -> None:
        box = self.query_one("#reflection", Vertical)
        box.remove_children()
        box.mount(Static(words, id="reflection-answer"))
        self.query_one("#debrief").focus()

    def _decision_card(self, title: str, decision: Decision, kind: str) -> Widget:
        criteria = self.playthrough.rubric.criteria

        def points(score: dict[str, int]) -> str:
            return ", ".join(f"{value:+d} {criteria[name].title if name in criteria else name}"
                             for name, value in score.items()) or "no points either way"

        parts: list[str | tuple[str, str]] = [
            (title, f"bold {'$text-success' if kind == 'best' else '$text-error'}"),
            (f"  decision {decision.number}", "$text-muted"),
            "\n",
            (decision.choice_text, "bold"),
            "\n",
            decision.feedback.strip(),
            "\n",
            (points(decision.score), "$text-muted"),
        ]
        if decision.hinted:
            parts += ["\n", ("Hint used: its gains were halved.", "$text-warning")]
        if decision.better is not None:
            parts += [
                "\n\n",
                ("Better here: ", "bold $text-success"),
                (decision.better.choice_text, "bold"),
                "\n",
                decision.better.feedback.strip(),
                "\n",
                (points(decision.better.score), "$text-muted"),
            ]
        return Static(Content.assemble(*parts), classes=f"card decision {kind}")

    def _mark_width(self) -> int:
        """The marker column of both paths: "≠ 10." and a space, so decisions 10 and up keep theirs."""
        longest = max(len(self.debrief.path), len(self.debrief.expert_path), 1)
        return len(str(longest)) + 4

    def _path_column(self) -> Widget:
        expert = self.debrief.expert_path
        width = self._mark_width()
        steps: list[Widget] = []
        for index, decision in enumerate(self.debrief.path):
            same = index < len(expert) and expert[index] == (decision.scene_title, decision.choice_text)
            mark = Content.assemble(("=" if same else "≠", "$text-success" if same else "$text-warning"), f" {decision.number}.")
            text = f"{decision.choice_text}  (hint used)" if decision.hinted else decision.choice_text
            steps.append(PathStep(mark, decision.scene_title, text, width=width))
        if not steps:
            steps.append(Static(Content.styled("No decisions.", "$text-muted")))
        steps.append(PathStep(Content.styled("  →", "$accent"), "", self.debrief.ending_title or "no ending yet", ending=True,
                              width=width))
        column = Vertical(*steps, classes="path mine")
        column.border_title = "Your path"
        column.border_subtitle = "= as the expert · ≠ different"
        return column

    def _expert_column(self) -> Widget:
        width = self._mark_width()
        steps: list[Widget] = [
            PathStep(Content(f"  {number}."), scene_title, choice_text, width=width)
            for number, (scene_title, choice_text) in enumerate(self.debrief.expert_path, start=1)
        ]
        ending = self.scenario.nodes.get(self.debrief.expert_ending or "")
        steps.append(PathStep(Content.styled("  →", "$accent"), "", getattr(ending, "title", "—"), ending=True, width=width))
        column = Vertical(*steps, classes="path expert")
        column.border_title = "Expert path"
        return column

    def _next_words(self) -> Content:
        rec = self.recommendation
        if rec is None or rec.entry.result.scenario is None:
            return Content.styled("Your library has nothing else to suggest; add scenarios to your scenarios folder.", "$text-muted")
        scenario = rec.entry.result.scenario
        title = self.playthrough.rubric.criteria[rec.criterion].title if rec.criterion in self.playthrough.rubric.criteria else rec.criterion
        reason = ("No other scenario trains it yet, so play this one again: " if rec.replay else "It trains ")
        return Content.assemble(
            ("▶ ", "bold $accent"),
            (scenario.title, "bold"),
            (f"  {scenario.difficulty} · {scenario.minutes} min", "$text-muted"),
            "\n",
            reason,
            (title, "bold"),
            f", your weakest criterion here ({rec.score}%).",
            "\n",
            ("n", "bold $accent"),
            " to open its briefing",
        )

    # --- actions --------------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self._log_path is not None:
            self.query_one("#reflection-input").focus()
        else:
            self.query_one("#debrief").focus()

    def action_next(self) -> None:
        if self.recommendation is not None:
            self.navigator.open_briefing(self.recommendation.entry.result)

    def action_again(self) -> None:
        if self._this is not None:
            self.navigator.open_briefing(self._this.result)
        else:
            self.notify("This scenario is no longer in the library; open it again with `coach play PATH`.", severity="warning")

    def action_home(self) -> None:
        self.navigator.open_home()

    def action_export(self) -> None:
        from .dialogs import ExportScreen

        self.navigator.ask(ExportScreen(Path(f"{self.scenario.id}-debrief.md")), self._export_to)

    def _export_to(self, path: Path | None) -> None:
        if path is None:
            return
        from .dialogs import ConfirmScreen

        if path.is_dir():
            path = path / f"{self.scenario.id}-debrief.md"
        if path.exists():
            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self._write(path, overwrite=True)

            self.navigator.ask(ConfirmScreen("Overwrite?", f"{path} already exists. Replace it with this debrief?",
                                             yes="Overwrite", no="Cancel"), answered)
        else:
            self._write(path, overwrite=False)

    def _write(self, path: Path, *, overwrite: bool) -> None:
        from ...reporting.reports import debrief_markdown

        text = debrief_markdown(self.debrief, self.scenario)
        try:
            with open(path, "w" if overwrite else "x", encoding="utf-8") as out:
                out.write(text)
        except FileExistsError:
            self._export_to(path)  # appeared meanwhile: ask
            return
        except OSError as error:
            self.notify(f"Could not save {path}: {error.strerror or error}", title="Export failed", severity="error", timeout=10)
            return
        self.notify(f"Saved the debrief to {path.resolve()}", title="Exported")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next" and self.recommendation is None:
            return False
        return super().check_action(action, parameters)
