"""Coach mode's panel after each decision: what you chose, what happened, why it matters, which
criteria moved, and the reflex it showed, if any."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ...engine.calibration import LEVELS
from .scenetext import SceneText


@dataclass(frozen=True)
class MetricMove:
    label: str
    change: str
    """Already formatted with its unit and arrow, e.g. `▲ +4.0 pts`."""
    verdict: str
    """better | worse | same"""


@dataclass(frozen=True)
class Feedback:
    choice_text: str | None
    """None when the timer ran out."""
    feedback: str
    outcome_text: str = ""
    moved: list[tuple[int, str]] = field(default_factory=list)
    """(points, criterion title) for every criterion the decision moved."""
    reflex: tuple[str, str] | None = None
    """(title, why it misleads) when the decision showed a traditional-PM reflex."""
    metrics: list[MetricMove] = field(default_factory=list)
    better: tuple[str, str] | None = None
    """(choice text, why) of what the expert chose in this scene, when the decision was weaker."""
    hinted: bool = False
    """The learner asked for the scene's hint: the decision's gains were halved."""
    confidence: str | None = None
    """How sure the learner said they were (coach.engine.calibration.LEVELS), when asked."""


def _heading(text: str) -> Static:
    return Static(Content.styled(text.upper(), "bold $text-muted"), classes="heading")


class FeedbackPanel(VerticalScroll, can_focus=True):
    """Attributes down: `show(feedback)` replaces the panel's content."""

    def show(self, data: Feedback) -> None:
        self.remove_children()
        self.mount_all(self._parts(data))
        self.scroll_home(animate=False)

    def _parts(self, data: Feedback) -> list[Widget]:
        parts: list[Widget] = []
        if data.choice_text is None:
            parts += [_heading("Time ran out"), Static(Content("You did not decide in time; the situation moved on without you."), classes="chosen")]
        else:
            parts += [_heading("You chose"), Static(Content(data.choice_text), classes="chosen")]
            if data.confidence in LEVELS:
                parts.append(Static(Content.assemble(("You were: ", "$text-muted"), LEVELS[data.confidence]), classes="moved"))
        if data.outcome_text:
            parts += [_heading("What happened"), Static(Content(data.outcome_text), classes="outcome")]
        if data.feedback:
            parts += [_heading("Why it matters"), SceneText(data.feedback, classes="why")]
        if data.better is not None:
            text, why = data.better
            parts += [_heading("What the expert chose here"), Static(Content(text), classes="chosen better")]
            if why:
                parts.append(SceneText(why, classes="why"))
        parts.append(_heading("Criteria moved"))
        if data.moved:
            lines = []
            for points, title in data.moved:
                good = points > 0
                lines.append(
                    Content.assemble(
                        (f"{'▲' if good else '▼'} {points:+d}  ", "bold $text-success" if good else "bold $text-error"),
                        title,
                    )
                )
            parts.append(Static(Content("\n").join(lines), classes="moved"))
        else:
            parts.append(Static(Content.styled("No criterion moved.", "$text-muted"), classes="moved"))
        if data.hinted:
            parts.append(Static(Content.styled("Hint used: this decision's gains were halved.", "$text-warning"), classes="moved"))
        if data.metrics:
            lines = []
            for move in data.metrics:
                style = {"better": "$text-success", "worse": "$text-error"}.get(move.verdict, "$text-muted")
                lines.append(Content.assemble(move.label, "  ", (f"{move.change} · {move.verdict}", style)))
            parts += [_heading("Dashboard"), Static(Content("\n").join(lines), classes="metrics")]
        if data.reflex is not None:
            title, description = data.reflex
            parts.append(
                Static(
                    Content.assemble(
                        ("⚑ Reflex shown: ", "bold $warning"),
                        (f"“{title}”", "bold"),
                        "\n",
                        description.strip(),
                    ),
                    classes="reflex",
                )
            )
        return parts
