"""What a screen may ask of navigation: the one contract between the screens and the screen stack.

Screens never import each other, nor the app: they say where the learner goes next through a
`Navigator` (reached as `self.navigator` on a CoachScreen or a Dialog, or `navigator_of(app)`),
and the app's navigator (coach/tui/stack.py, the only module that pushes, pops or switches
screens) decides how. So a new screen is added in one place, the type checker sees every call,
and the two import cycles the screens once made (replay, compare and progress importing each
other; home importing the authoring app that imports home) cannot come back.

This module imports no screen: screens import it at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App
    from textual.screen import Screen

    from ..scenario.loader import LoadResult
    from ..sessions.playthrough import Playthrough
    from ..sessions.replay import Replay

T = TypeVar("T")


@runtime_checkable
class Navigator(Protocol):
    """Main screens (home, briefing, play, debrief, history) replace one another; the others stack
    over the main screen below them, and `back` returns there."""

    created: Path | None
    """The file the wizard last wrote (`coach new` prints it on leaving)."""

    # --- main screens ---------------------------------------------------------------------------
    def open_home(self) -> None: ...

    def open_briefing(self, loaded: LoadResult, *, mode: str | None = None, seed: int | None = None,
                      setup: str | None = None) -> None: ...

    def open_play(self, playthrough: Playthrough) -> None: ...

    def open_debrief(self, playthrough: Playthrough) -> None: ...

    def open_history(self, *, select: str | None = None) -> None: ...

    def open_branch(self, playthrough: Playthrough, index: int) -> None:
        """Leave the replay (and whatever was stacked with it) for play, then make choice `index`."""

    # --- stacked screens: Esc comes back ------------------------------------------------------
    def open_replay(self, session: Path | Replay, *, at: int = 0) -> None: ...

    def open_compare(self, older: Path, newer: Path) -> None: ...

    def open_progress(self, *, crumbs: tuple[str, ...] | None = None) -> None: ...

    def open_tour(self) -> None: ...

    def open_wizard(self, path: Path | None = None) -> None: ...

    def open_workspace(self, path: Path) -> bool:
        """False (with a notification) when the file cannot be read."""

    def back(self) -> None:
        """Close the top screen; out of the app when nothing is under it."""

    # --- dialogs ------------------------------------------------------------------------------
    def ask(self, dialog: Screen[T], answered: Callable[[T | None], None] | None = None) -> None:
        """Show a dialog over the current screen; `answered` gets what it dismisses with."""

    def toggle_keys(self) -> None: ...

    # --- the first frame ----------------------------------------------------------------------
    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the first screen is on the terminal (at once, later on): for
        work a screen defers so as not to compete with its first frame (see StackNavigator)."""


def navigator_of(app: App[Any]) -> Navigator:
    """The app's navigator, typed. Raises when the app has none (a screen run in a bare App)."""
    found = getattr(app, "navigator", None)
    if not isinstance(found, Navigator):
        raise TypeError(f"{type(app).__name__} has no navigator: coach screens run in a CoachApp")
    return found
