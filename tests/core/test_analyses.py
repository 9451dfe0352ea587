"""Explorations kept on disk: read back equal, and a damaged or other-version file is a miss."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from coach.scenario.loader import load_scenario
from coach.sessions import playthrough
from coach.analysis import saved as analyses
from coach.sessions.playthrough import analysis_of

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"


@pytest.fixture(autouse=True)
def nothing_in_memory() -> None:
    """Each test has its own COACH_HOME; the in-memory cache must not hide its empty disk."""
    playthrough._ANALYSES.clear()


def test_an_exploration_is_kept_and_read_back_equal_in_a_later_run(monkeypatch) -> None:
    loaded = load_scenario(MINIMAL)
    first = analysis_of(loaded.scenario, loaded.sha256)
    assert analyses.load(loaded.sha256) == first
    playthrough._ANALYSES.clear()  # a later run: nothing in memory
    monkeypatch.setattr(playthrough, "explore", lambda scenario: (_ for _ in ()).throw(AssertionError("explored again")))
    assert analysis_of(loaded.scenario, loaded.sha256) == first


def test_a_damaged_or_other_version_file_is_only_a_miss(monkeypatch) -> None:
    loaded = load_scenario(MINIMAL)
    first = analysis_of(loaded.scenario, loaded.sha256)
    kept = analyses.analyses_dir() / f"{loaded.sha256}.msgpack"
    kept.write_bytes(b"\x93not msgpack at all")
    assert analyses.load(loaded.sha256) is None
    playthrough._ANALYSES.clear()
    assert analysis_of(loaded.scenario, loaded.sha256) == first  # explored again, and kept again
    assert analyses.load(loaded.sha256) == first
    other = msgspec.msgpack.encode({"version": "0.0.0-other", "analysis": msgspec.to_builtins(first)})
    kept.write_bytes(other)
    assert analyses.load(loaded.sha256) is None


def test_play_that_saves_nothing_keeps_no_exploration_either(coach_home: Path) -> None:
    loaded = load_scenario(MINIMAL)
    unsaved = playthrough.Playthrough.new(loaded, seed=1, save=False)
    unsaved.choose(0)
    unsaved.choose(0)
    assert unsaved.debrief().overall == 100
    assert not analyses.analyses_dir().exists()
