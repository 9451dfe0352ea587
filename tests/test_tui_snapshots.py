"""Pictures of every screen in two themes (and play in high contrast), against a fixed small
scenario and a fixed COACH_HOME, so only a change to the app changes them.

Update with `pytest tests/tui/test_tui_snapshots.py --snapshot-update`, after looking at the
new pictures (snapshot_report.html shows them side by side).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.config import settings
from coach.config.library import resolve
from coach.sessions.playthrough import Playthrough
from coach.tui.app import make_app
from tui_helpers import QUIET, keys, library_of

SIZE = (120, 36)
THEMES = ["coach-night", "coach-paper"]


@pytest.fixture
def fixed_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, coach_home: Path) -> Path:
    """A library of one scenario, two finished sessions and one unfinished, with fixed names."""
    monkeypatch.delenv("NO_COLOR", raising=False)  # the pictures are in colour
    folder = library_of(monkeypatch, tmp_path / "builtin", QUIET)
    scenario = folder / QUIET.name
    for number, choices in enumerate(([1, 0], [0, 0], [0]), start=1):
        play = Playthrough.new(resolve(str(scenario)), seed=1)
        for index in choices:
            play.choose(index, seconds=5)
        play.close()
        assert play.writer is not None
        play.writer.path.rename(play.writer.path.with_name(f"20260101-09000{number}-quiet-regression-00000{number}.jsonl"))
    return scenario


def _at_nine(summary):
    summary.time = "2026-01-01T09:00:00+00:00"
    return summary


def app_with_theme(theme: str, scenario: Path | None = None):
    settings.save(settings.Settings(theme=theme))
    return make_app(resolve(str(scenario)), seed=1) if scenario else make_app()


@pytest.mark.parametrize("theme", THEMES)
def test_home(snap_compare, fixed_home: Path, theme: str) -> None:
    assert snap_compare(app_with_theme(theme), terminal_size=SIZE, run_before=lambda pilot: keys(pilot))


@pytest.mark.parametrize("theme", THEMES)
def test_briefing(snap_compare, fixed_home: Path, theme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The briefing lists the unfinished session with when it was played: a fixed "now" and start time.
    from datetime import datetime, timezone

    from coach.sessions import store

    monkeypatch.setattr("coach.sessions.history.local_now", lambda: datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc))
    real = store.summarize
    monkeypatch.setattr(store, "summarize", lambda path: _at_nine(real(path)))
    assert snap_compare(app_with_theme(theme, fixed_home), terminal_size=SIZE, run_before=lambda pilot: keys(pilot))


@pytest.mark.parametrize("theme", [*THEMES, "coach-contrast"])
def test_play(snap_compare, fixed_home: Path, theme: str) -> None:
    # One decision made, so the dashboard shows changes and sparklines.
    assert snap_compare(app_with_theme(theme, fixed_home), terminal_size=SIZE,
                        run_before=lambda pilot: keys(pilot, "enter", "1", "s", "enter"))


@pytest.mark.parametrize("theme", THEMES)
def test_play_feedback(snap_compare, fixed_home: Path, theme: str) -> None:
    assert snap_compare(app_with_theme(theme, fixed_home), terminal_size=SIZE,
                        run_before=lambda pilot: keys(pilot, "enter", "2", "s"))


@pytest.mark.parametrize("theme", THEMES)
def test_debrief(snap_compare, fixed_home: Path, theme: str) -> None:
    assert snap_compare(app_with_theme(theme, fixed_home), terminal_size=SIZE,
                        run_before=lambda pilot: keys(pilot, "enter", "2", "s", "enter", "1", "s", "enter", "enter"))
