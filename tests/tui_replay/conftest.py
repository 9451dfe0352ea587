"""Sessions for the replay, history and compare screens: the minimal scenario as the whole library,
sessions made with fixed seeds, and a fixed clock, so no wall-clock date reaches a screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.scenario.loader import load_scenario
from coach.sessions.playthrough import Playthrough
from session_clock import tick_clock
from tui_helpers import library_of

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Event times and session ids tick a minute per use from 09:00 on 23 Nov 2026; "now" is 18:00."""
    tick_clock(monkeypatch)


@pytest.fixture
def scenario_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The minimal scenario as the whole built-in library."""
    return library_of(monkeypatch, tmp_path / "builtin", MINIMAL) / MINIMAL.name


@pytest.fixture
def play(scenario_file: Path):
    """play(*choices, seed=1) -> the session file (0-based choices; "timeout" lets the clock run out)."""

    def run(*choices: int | str, seed: int = 1) -> Path:
        playthrough = Playthrough.new(load_scenario(scenario_file), seed=seed)
        for choice in choices:
            if choice == "timeout":
                playthrough.time_out()
            else:
                playthrough.choose(int(choice), seconds=4)
        playthrough.close()
        assert playthrough.writer is not None
        return playthrough.writer.path

    return run
