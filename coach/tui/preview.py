"""Live preview for authors: `coach play PATH --watch` and `--from SCENE [--set m=v] [--flag f]`.

The player's own screens do the playing; this module only decides where play starts and, with
`--watch`, looks at the file twice a second. When the file changes it is loaded again: a good
file replaces the play screen with one at the place the learner's decisions lead to in the new
version (`coach.authoring.watch.relocate`, with a message when the place had to change); a broken
file shows its diagnostics in a dialog over the game, and the game resumes as soon as a save
fixes it. Previews never write a session log: a file that changes under a session would make
its log unreplayable, and a start in the middle would make its scores meaningless.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from textual.app import App
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ..authoring.watch import FileStamp, StartPoint, decisions_of, relocate
from ..scenario.diagnostics import Diagnostic, render, summary
from ..scenario.loader import LoadResult, load_scenario
from ..sessions.playthrough import Playthrough
from .app import CoachApp
from .navigation import navigator_of
from .screens.dialogs import Dialog
from .stack import StartRequest

POLL_SECONDS = 0.5


@dataclass(frozen=True)
class PreviewRequest:
    loaded: LoadResult
    watch: bool = False
    start: StartPoint = StartPoint()
    seed: int | None = None
    mode: str | None = None


def preview_playthrough(loaded: LoadResult, start: StartPoint, *, seed: int | None, mode: str | None) -> Playthrough:
    return Playthrough.new(loaded, seed=seed, mode=mode, save=False, start_at=start.scene,
                           metrics=dict(start.metrics) or None, flags=start.flags, setup=start.setup)


class PreviewProblemsScreen(Dialog):
    """The watched file does not load: what `coach check` says, until a save fixes it."""

    BINDINGS = [Binding("escape", "close", "Keep playing the last good version", id="preview.close")]

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__()
        self._path = path
        self._diagnostics = diagnostics

    def compose(self) -> Iterable[Widget]:
        with Vertical(classes="dialog diagnostics") as box:
            box.border_title = f"✕ {Path(self._path).name} does not load"
            yield Static(Content.styled(summary(1, self._diagnostics), "bold $text-error"), id="preview-summary",
                         classes="summary")
            with VerticalScroll():
                yield Static(self._listing(), id="preview-listing", classes="listing")
            yield Static(Content.styled("Fix the file and save it: play resumes where you were. "
                                        "Esc keeps playing the last version that loaded.", "$text-muted"), classes="hint")

    def _listing(self) -> Content:
        return Content("\n\n".join(render(d) for d in self._diagnostics) or "No diagnostics.")

    def show(self, diagnostics: list[Diagnostic]) -> None:
        self._diagnostics = diagnostics
        if self.is_mounted:
            self.query_one("#preview-summary", Static).update(
                Content.styled(summary(1, diagnostics), "bold $text-error"))
            self.query_one("#preview-listing", Static).update(self._listing())

    def action_close(self) -> None:
        self.dismiss(None)


class LivePreview:
    """The watched file and the playthrough being previewed; owned by the app."""

    def __init__(self, app: App, request: PreviewRequest) -> None:
        self.app = app
        self.request = request
        self.path = request.loaded.path
        self.stamp = FileStamp.of(self.path)
        self.playthrough = preview_playthrough(request.loaded, request.start, seed=request.seed, mode=request.mode)
        self.start = request.start
        self.problems: PreviewProblemsScreen | None = None
        self._pending = False
        self.reloads = 0

    def poll(self) -> None:
        if self.stamp.changed():
            self._pending = True
        if self._pending and self._may_reload():
            self._pending = False
            self.reload()

    def _may_reload(self) -> bool:
        """Only over the game itself: never under a dialog the learner is answering, nor after they left."""
        from .screens.debrief import DebriefScreen
        from .screens.play import PlayScreen

        return isinstance(self.app.screen, (PlayScreen, DebriefScreen, PreviewProblemsScreen))

    def reload(self) -> None:
        loaded = load_scenario(self.path)
        if loaded.scenario is None:
            self._show_problems(loaded.diagnostics)
            return
        old = self.playthrough
        moved = relocate(loaded.scenario, decisions_of(old.scenario, old.state), seed=old.seed, start=self.start,
                         setup=old.state.setup)
        self.start = moved.start
        self.playthrough = Playthrough(loaded.scenario, moved.state, old.seed, old.mode, loaded.sha256, None)
        self.reloads += 1
        if self.problems is not None:
            problems, self.problems = self.problems, None
            if problems.is_current:
                problems.dismiss(None)
        self.app.call_later(self._show_play, moved.message, moved.exact)

    def _show_play(self, message: str, exact: bool) -> None:
        navigator_of(self.app).open_play(self.playthrough)
        self.app.notify(message, title="Live preview", severity="information" if exact else "warning",
                        timeout=6 if exact else 15)

    def _show_problems(self, diagnostics: list[Diagnostic]) -> None:
        if self.problems is not None and self.problems.is_attached:
            self.problems.show(diagnostics)
            return
        self.problems = PreviewProblemsScreen(self.path, diagnostics)

        def closed(_: object) -> None:
            self.problems = None

        navigator_of(self.app).ask(self.problems, closed)


class PreviewApp(CoachApp):
    """The coach app, opening straight into play with the preview's start and (with --watch) reloads."""

    def __init__(self, request: PreviewRequest) -> None:
        self.request = request
        self.preview = LivePreview(self, request)
        super().__init__(StartRequest("play", playthrough=self.preview.playthrough, home_is_shell=True))

    def on_mount(self) -> None:
        # Textual also runs CoachApp.on_mount (after this one), which opens the first screen.
        self.notify(self.welcome(), title=Path(self.preview.path).name, timeout=8)
        if self.request.watch:
            self.set_interval(POLL_SECONDS, self.preview.poll)

    def welcome(self) -> str:
        """What the first notice says: how this preview differs from play."""
        parts = ["Live preview: saving the file reloads it here, keeping your place." if self.request.watch else "Preview."]
        if self.request.start.scene:
            parts.append(f"Starting at '{self.request.start.scene}'.")
        parts.append("Nothing is saved to your history.")
        return " ".join(parts)


def make_preview_app(loaded: LoadResult, *, watch: bool = False, start: StartPoint = StartPoint(),
                     seed: int | None = None, mode: str | None = None) -> PreviewApp:
    """The factory `coach play --watch / --from` and its tests use."""
    return PreviewApp(PreviewRequest(loaded, watch, start, seed, mode))
