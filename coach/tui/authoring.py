"""The authoring app: `coach new` and `coach edit` run the coach app straight into the wizard or
the workspace (the home screen opens the same screens on top of the library, through its
navigator).

The app is the one the player uses (same themes, settings, key map and command palette); only
its first screen differs, and that is the navigator's StartRequest.
"""

from __future__ import annotations

from pathlib import Path

from .app import CoachApp
from .stack import StartRequest


class AuthoringApp(CoachApp):
    """The coach app, opening on the wizard or the workspace instead of the library."""

    @property
    def created(self) -> Path | None:
        """The file the wizard wrote, for `coach new` to print once the app has closed."""
        return self.navigator.created


def make_authoring_app(kind: str, path: Path | None = None) -> AuthoringApp:
    """The factory `coach new` / `coach edit` and their tests use; `kind` is "new" or "edit"."""
    if kind not in ("new", "edit"):
        raise ValueError(f"kind must be 'new' or 'edit', not {kind!r}")
    return AuthoringApp(StartRequest(kind, path=path))
