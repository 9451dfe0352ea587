"""Whether this learner has seen the one-minute tour of the app.

A marker file beside the sessions, not a settings key: settings.toml is the learner's own file,
and having been welcomed is not a preference. A marker that cannot be written (a read-only
home) only means the tour is offered again next time, never an error.
"""

from __future__ import annotations

from ..io.paths import data_dir

MARKER = "welcomed"


def welcomed() -> bool:
    return (data_dir() / MARKER).exists()


def mark_welcomed() -> None:
    try:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MARKER).write_text("The first-run tour was shown; delete this file to see it again.\n", "utf-8")
    except OSError:
        pass
