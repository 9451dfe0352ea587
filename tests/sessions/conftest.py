"""Sessions made the way the app makes them, on a private copy of the minimal scenario, so a test
can edit the scenario file afterwards without touching tests/data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.scenario.loader import load_scenario
from coach.sessions.playthrough import Playthrough
from session_clock import tick_clock

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    target = tmp_path / "scenarios" / "minimal.toml"
    target.parent.mkdir()
    shutil.copy(MINIMAL, target)
    return target


@pytest.fixture
def play(scenario_file: Path):
    """play(*choices, seed=1, mode=None) -> the session file; `"timeout"` lets the clock run out."""

    def run(*choices: int | str, seed: int = 1, mode: str | None = None) -> Path:
        playthrough = Playthrough.new(load_scenario(scenario_file), seed=seed, mode=mode)
        for choice in choices:
            if choice == "timeout":
                playthrough.time_out()
            else:
                playthrough.choose(int(choice))
        playthrough.close()
        assert playthrough.writer is not None
        return playthrough.writer.path

    return run


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Session ids and event times from a clock that ticks a minute per event, from 09:00 on
    23 Nov 2026: sessions made one after another sort in the order they were made."""
    tick_clock(monkeypatch, now=None)

