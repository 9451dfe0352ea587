"""The app's navigator: the only module that pushes, pops or switches screens.

One main screen at a time (home, briefing, play, debrief, history) and, over it, the screens
that come back to it (replay, compare, progress, tour, wizard, workspace) and dialogs. The main
screen is recorded when it is shown, so leaving a stack of replays for a new branch unwinds to
that record instead of guessing from the classes of the screens on top.

Screens are imported when first opened, so `coach play` draws its first frame without paying
for the library screen, and `coach check` never imports any of this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import msgspec

if TYPE_CHECKING:
    from pathlib import Path

    from textual.screen import Screen

    from ..scenario.loader import LoadResult
    from ..sessions.playthrough import Playthrough
    from ..sessions.replay import Replay
    from .app import CoachApp

T = TypeVar("T")


class StartRequest(msgspec.Struct, frozen=True):
    """The first screen, chosen here and nowhere else.

    `screen` is "home" (`coach`), "briefing" (`coach play`, with `loaded`), "history"
    (`coach history`), "replay" (`coach replay`: `session` over the history), "new" / "edit"
    (`coach new` / `coach edit`, with `path`) or "play" (a preview: straight into `playthrough`)."""

    screen: str = "home"
    loaded: LoadResult | None = None
    seed: int | None = None
    mode: str | None = None
    session: Path | None = None
    setup: str | None = None
    """`coach play --setup ID`: the scenario's setup to play instead of the one the seed draws."""
    path: Path | None = None
    playthrough: Playthrough | None = None
    home_is_shell: bool = False
    """Going home leaves the app: a preview was started from the shell with a file, not from the
    library, so leaving it (Esc in play, or from the debrief) goes back there."""


class StackNavigator:
    """Implements coach.tui.navigation.Navigator over a Textual app's screen stack."""

    def __init__(self, app: CoachApp, start: StartRequest) -> None:
        self.app = app
        self.start_request = start
        self.main: Screen[object] | None = None
        """The main screen on the stack, where stacked screens return to and a branch unwinds to."""
        self.created: Path | None = None
        self._drawing = False
        """Whether Textual's start-up batch is over, so the next refresh is drawn (`started`)."""
        self._held: list[Callable[[], object]] = []
        self._making_first = False
        self._main_is_base = False
        """Whether the first main screen is the bottom of the stack (no empty screen under it)."""

    # --- the first screen -----------------------------------------------------------------------
    FIRST_SCREENS = ("home", "briefing", "history")
    """Starts that are one main screen, made as Textual's default screen (`first_screen`)."""

    def first_screen(self) -> Screen[object] | None:
        """The first main screen, for CoachApp.get_default_screen: home, a briefing or the
        history is made as Textual's default screen rather than pushed over an empty one.
        Pushed, it was styled, laid out and drawn after the empty screen had been, inside
        Textual's start-up batch, and again once the batch was over: 80 M instructions of
        coach play's ~1,230 M to its first frame (a bare app's is ~880 M). Other starts (a
        replay over the history, the wizard, a preview) open from `start` as before."""
        start = self.start_request
        if start.screen not in self.FIRST_SCREENS or (start.screen == "briefing" and start.loaded is None):
            return None
        self._making_first = True
        try:
            self.start()
        finally:
            self._making_first = False
        return self.main

    def start(self) -> None:
        if self.main is not None:
            return  # made as the default screen (`first_screen`)
        start = self.start_request
        if start.screen == "history":
            self.open_history()
        elif start.screen == "replay" and start.session is not None:
            self.open_history(select=start.session.stem)
            self.open_replay(start.session)
        elif start.screen == "briefing" and start.loaded is not None:
            self.open_briefing(start.loaded, mode=start.mode, seed=start.seed, setup=start.setup)
        elif start.screen == "play" and start.playthrough is not None:
            self.open_play(start.playthrough)
        elif start.screen == "new":
            self._wizard(start.path, exit_on_cancel=True)
        elif start.screen == "edit":
            if start.path is None or not self.open_workspace(start.path):
                self.app.exit()
        else:
            self.open_home()

    def started(self) -> None:
        """Called by the app when Textual's start-up batch is over (its Ready event).

        A refresh inside that batch draws nothing, and a `call_after_refresh` callback a
        screen queues while mounting can run on the idle straight after one: ahead of the
        frame the terminal shows, competing with it (a worker's thread for the GIL, the
        collector for its pauses). It did for every first screen while they were pushed over
        Textual's empty one, and still can for the starts that are (`first_screen`). What was
        held for the first frame is queued now, so it runs after the refresh that is drawn."""
        self._drawing = True
        held, self._held = self._held, []
        for callback in held:
            self.app.call_after_refresh(callback)

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        if self._drawing:
            self.app.call_after_refresh(callback)
        else:
            self._held.append(callback)

    # --- main screens -----------------------------------------------------------------------------
    def _show_main(self, screen: Screen[object]) -> None:
        """Replace the main screen with `screen`, first closing whatever was stacked over it."""
        app = self.app
        if self._making_first:
            # Textual records a result callback for each screen it pushes and drops one when a
            # screen is switched out; the default screen gets none (Textual 8.2.8, pinned), so
            # it is given the one push_screen would give it, and the next main screen replaces it.
            screen._push_result_callback(app, None)
            self.main, self._main_is_base = screen, True
            return
        while len(app.screen_stack) > 1 and app.screen is not self.main:
            app.pop_screen()
        if len(app.screen_stack) > 1 or app.screen is self.main:
            app.switch_screen(screen)
        else:  # the first screen, over Textual's empty default one
            app.push_screen(screen)
        self.main = screen

    def open_home(self) -> None:
        if self.start_request.home_is_shell:
            self.app.exit()
            return
        from .screens.home import HomeScreen

        self._show_main(HomeScreen())

    def open_briefing(self, loaded: LoadResult, *, mode: str | None = None, seed: int | None = None,
                      setup: str | None = None) -> None:
        from .screens.briefing import BriefingScreen

        scenario = loaded.scenario
        if scenario is None:
            raise ValueError(f"{loaded.path} did not load: there is nothing to brief")
        mode = mode or self.app.settings.start_mode(scenario.mode)
        self._show_main(BriefingScreen(loaded, mode=mode, seed=seed, setup=setup))

    def open_play(self, playthrough: Playthrough) -> None:
        from .screens.play import PlayScreen

        self._show_main(PlayScreen(playthrough))

    def open_debrief(self, playthrough: Playthrough) -> None:
        from .screens.debrief import DebriefScreen

        self._show_main(DebriefScreen(playthrough))

    def open_history(self, *, select: str | None = None) -> None:
        from .screens.history import HistoryScreen

        self._show_main(HistoryScreen(select=select))

    def open_branch(self, playthrough: Playthrough, index: int) -> None:
        """Play the branch in place of the main screen the replay was opened over, then make the
        new choice there, so coach mode shows its feedback as it would in any session."""
        for notice in playthrough.notices:
            self.app.notify(notice, title="Not being saved", severity="warning", timeout=12)
        self.open_play(playthrough)
        played = self.main

        def choose() -> None:
            from .screens.play import PlayScreen

            if self.app.screen is played and isinstance(played, PlayScreen):
                played.choose_authored(index, ask_confidence=False)

        self.app.call_after_refresh(choose)

    # --- stacked screens ------------------------------------------------------------------------
    def open_replay(self, session: Path | Replay, *, at: int = 0) -> None:
        from .screens.replay import ReplayScreen

        self.app.push_screen(ReplayScreen(session, at=at))

    def open_compare(self, older: Path, newer: Path) -> None:
        from .screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(older, newer))

    def open_progress(self, *, crumbs: tuple[str, ...] | None = None) -> None:
        from .screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen(crumbs=crumbs))

    def open_tour(self) -> None:
        from .screens.tour import TourScreen

        self.app.push_screen(TourScreen())

    def open_wizard(self, path: Path | None = None) -> None:
        self._wizard(path, exit_on_cancel=False)

    def _wizard(self, path: Path | None, *, exit_on_cancel: bool) -> None:
        """The `coach new` form; when it has written a file, the workspace opens on it."""
        from .screens.wizard import WizardScreen

        def created(written: Path | None) -> None:
            if written is None:
                if exit_on_cancel:
                    self.app.exit()
                return
            self.created = written
            self.app.notify(f"Wrote {written}. It passes `coach check`; now make it yours.", title="Created", timeout=8)
            self.open_workspace(written)

        self.app.push_screen(WizardScreen(path), created)

    def open_workspace(self, path: Path) -> bool:
        from ..authoring.document import Document
        from .screens.workspace import WorkspaceScreen

        try:
            document = Document.open(path)
        except OSError as error:
            self.app.notify(str(error), title="Cannot open", severity="error", timeout=10)
            return False
        self.app.push_screen(WorkspaceScreen(document))
        return True

    def back(self) -> None:
        app = self.app
        screens = len(app.screen_stack) - (0 if self._main_is_base else 1)  # less Textual's empty one
        if screens > 1:
            app.pop_screen()
        else:  # opened first (`coach edit`): nothing to go back to but the shell
            app.exit()

    # --- dialogs ----------------------------------------------------------------------------------
    def ask(self, dialog: Screen[T], answered: Callable[[T | None], None] | None = None) -> None:
        self.app.push_screen(dialog, answered)

    def toggle_keys(self) -> None:
        """`?` opens the keys of the screen underneath, and closes them again."""
        from .screens.dialogs import KeysScreen

        screen = self.app.screen
        if isinstance(screen, KeysScreen):
            screen.dismiss(None)
        else:
            self.app.push_screen(KeysScreen(screen))
