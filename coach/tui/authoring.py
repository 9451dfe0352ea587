"""Opening the authoring screens: `coach new` and `coach edit` run the coach app straight into
them, and the home screen can open them on top of the library.

The app is the one the player uses (same themes, settings, key map and command palette); only
its first screen differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import App

from ..authoring.document import Document
from .app import CoachApp


@dataclass(frozen=True)
class AuthoringStart:
    kind: str  # "new" | "edit"
    path: Path | None = None


def open_wizard(app: App, path: Path | None = None, *, exit_on_cancel: bool = False) -> None:
    """The `coach new` form; when it has written a file, the workspace opens on it."""
    from .screens.wizard import WizardScreen

    def created(written: Path | None) -> None:
        if written is None:
            if exit_on_cancel:
                app.exit()
            return
        if isinstance(app, AuthoringApp):
            app.created = written
        app.notify(f"Wrote {written}. It passes `coach check`; now make it yours.", title="Created", timeout=8)
        open_workspace(app, written)

    app.push_screen(WizardScreen(path), created)


def open_workspace(app: App, path: Path) -> bool:
    """The workspace on a scenario file; False (with a notification) when the file cannot be read."""
    from .screens.workspace import WorkspaceScreen

    try:
        document = Document.open(path)
    except OSError as error:
        app.notify(str(error), title="Cannot open", severity="error", timeout=10)
        return False
    app.push_screen(WorkspaceScreen(document))
    return True


class AuthoringApp(CoachApp):
    """The coach app, opening on the wizard or the workspace instead of the library."""

    def __init__(self, start: AuthoringStart) -> None:
        super().__init__()
        self._authoring: AuthoringStart | None = start
        self.created: Path | None = None

    def open_home(self, *, push: bool = False) -> None:
        start, self._authoring = self._authoring, None
        if start is None:
            super().open_home(push=push)
        elif start.kind == "new":
            open_wizard(self, start.path, exit_on_cancel=True)
        elif start.path is None or not open_workspace(self, start.path):
            self.exit()


def make_authoring_app(kind: str, path: Path | None = None) -> AuthoringApp:
    """The factory `coach new` / `coach edit` and their tests use."""
    return AuthoringApp(AuthoringStart(kind, path))
