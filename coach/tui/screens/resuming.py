"""Resuming an unfinished session from any screen that lists one: the briefing (every unfinished
session of its scenario) and the history (the highlighted row). Both go through
`Playthrough.resume` and the navigator's `open_play`, like the home banner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...sessions import history
from ..navigation import navigator_of
from .dialogs import Dialog

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

    from ...sessions.store import SessionSummary


def session_words(summary: SessionSummary, now=None) -> str:
    """`today 09:12 · 3 decisions · coach`: when, how far, and in which mode."""
    count = summary.decisions
    when = history.when_words(summary.time, now or history.local_now())
    return f"{when} · {count} {'decision' if count == 1 else 'decisions'} · {summary.mode}"


def resume_session(screen: Screen, summary: SessionSummary) -> bool:
    """Continue `summary` on the play screen; says why on screen when it cannot be resumed."""
    from ...sessions.log import SessionError
    from ...sessions.playthrough import Playthrough

    record = summary.record
    if summary.finished or record is None:
        screen.notify("This session cannot be resumed: it is finished or cannot be read.", severity="warning")
        return False
    try:
        playthrough = Playthrough.resume(record)
    except SessionError as error:
        screen.notify(str(error), title="Cannot resume", severity="error", timeout=10)
        return False
    navigator_of(screen.app).open_play(playthrough)
    return True


class ResumePicker(Dialog):
    """Pick one of a scenario's unfinished sessions, newest first; dismisses with its index or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="resume-picker.cancel")]

    def __init__(self, title: str, sessions: Sequence[SessionSummary]) -> None:
        super().__init__()
        self._title = title
        self._sessions = list(sessions)

    def compose(self) -> ComposeResult:
        now = history.local_now()
        options = [Option(Content.assemble(("▶ ", "bold $accent"), Content(session_words(s, now))), id=str(i))
                   for i, s in enumerate(self._sessions)]
        with Vertical(classes="dialog filter") as box:
            box.border_title = "Resume which session?"
            box.border_subtitle = "⏎ resume · esc cancel"
            yield OptionList(*options, id="resume-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
