"""Pictures of the history, replay and compare screens, on the minimal scenario and sessions made
with a fixed clock and seed, so only a change to the app changes them (no wall-clock date, no
random session id reaches the screen).

Update with `pytest tests/test_tui_replay_snapshots.py --snapshot-update`, after looking at the
new pictures (snapshot_report.html shows them side by side).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.config import settings
from coach.scenario.loader import load_scenario
from coach.sessions import log
from coach.sessions.playthrough import Playthrough
from coach.sessions.replay import rewind
from coach.tui.app import make_app
from session_clock import tick_clock
from tui_helpers import keys, library_of

SIZE = (120, 36)
MINIMAL = Path(__file__).resolve().parent / "data" / "good" / "minimal.toml"


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, coach_home: Path) -> dict[str, Path]:
    """A fixed history of the minimal scenario: the strong ending, a session showing a reflex, an
    unfinished one, and a branch of the first at decision 2 (newest)."""
    monkeypatch.delenv("NO_COLOR", raising=False)  # the pictures are in colour
    tick_clock(monkeypatch)
    scenario = load_scenario(library_of(monkeypatch, tmp_path / "builtin", MINIMAL) / MINIMAL.name)

    def play(*choices: int, seed: int = 1) -> Path:
        playthrough = Playthrough.new(scenario, seed=seed)
        for choice in choices:
            playthrough.choose(choice, seconds=4)
        playthrough.close()
        assert playthrough.writer is not None
        return playthrough.writer.path

    made = {"strong": play(0, 0), "reflex": play(1, seed=3), "unfinished": play(0)}
    branch = rewind(log.read_session(made["strong"]), 1, 1)
    branch.close()
    assert branch.writer is not None
    made["branch"] = branch.writer.path
    return made


def app_with_theme(theme: str, start: str = "history", session: Path | None = None):
    settings.save(settings.Settings(theme=theme))
    return make_app(start, session=session)


@pytest.mark.parametrize("theme", ["coach-night", "coach-paper"])
def test_history(snap_compare, sessions: dict[str, Path], theme: str) -> None:
    # The branch is highlighted: its detail says where it branched from.
    assert snap_compare(app_with_theme(theme), terminal_size=SIZE, run_before=lambda pilot: keys(pilot))


def test_history_comparing(snap_compare, sessions: dict[str, Path]) -> None:
    # The branch marked for comparison, the cursor on the unfinished session.
    assert snap_compare(app_with_theme("coach-night"), terminal_size=SIZE,
                        run_before=lambda pilot: keys(pilot, "c", "down"))


def test_replay_first_decision(snap_compare, sessions: dict[str, Path]) -> None:
    # The choice made, the one not taken with its score and reflex, the dashboard and score so far.
    assert snap_compare(app_with_theme("coach-night", "replay", sessions["strong"]), terminal_size=SIZE,
                        run_before=lambda pilot: keys(pilot))


def test_replay_ending(snap_compare, sessions: dict[str, Path]) -> None:
    assert snap_compare(app_with_theme("coach-night", "replay", sessions["reflex"]), terminal_size=SIZE,
                        run_before=lambda pilot: keys(pilot, "end"))


def test_compare(snap_compare, sessions: dict[str, Path]) -> None:
    # The branch (newest, top row) against the session it left (the oldest, bottom row).
    assert snap_compare(app_with_theme("coach-night"), terminal_size=SIZE,
                        run_before=lambda pilot: keys(pilot, "c", "down", "down", "down", "c"))
