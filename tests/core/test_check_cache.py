"""`coach check` keeps the warnings that need exploration: a second check reads them instead of
exploring, gets the same diagnostics, and a damaged or stale file is only a miss (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.engine import explore as explore_module
from coach.engine.explore import choice_values, explore
from coach.analysis import warnings
from coach.analysis.checking import check_file, check_text
from coach.scenario.loader import load_scenario
from coach.analysis import saved as analyses

DATA = Path(__file__).resolve().parent.parent / "data"
STUCK = DATA / "bad" / "warn-stuck.toml"
SETUPS = DATA / "good" / "setups.toml"


def _diagnostics(path: Path) -> list[dict]:
    return [d.as_json() for d in check_file(path).diagnostics]


def _no_exploring(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("explored again")
    monkeypatch.setattr(warnings, "_exploration_warnings", refuse)


@pytest.mark.parametrize("path", [STUCK, SETUPS], ids=["stuck", "setups"])
def test_a_second_check_reads_the_kept_warnings_instead_of_exploring(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _diagnostics(path)
    assert list(analyses.analyses_dir().glob("*.warnings.msgpack"))
    _no_exploring(monkeypatch)
    assert _diagnostics(path) == first


def test_the_kept_warnings_are_the_ones_exploring_finds() -> None:
    explored = [d.as_json() for d in check_text(STUCK.read_text('utf-8'), str(STUCK)).diagnostics]  # nothing kept: explored
    assert any(d["code"] == "W103" for d in explored)
    assert _diagnostics(STUCK) == explored  # explored and kept
    assert _diagnostics(STUCK) == explored  # read back


def test_a_comment_or_a_reformat_is_still_a_hit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _diagnostics(STUCK)
    moved = tmp_path / "stuck.toml"
    moved.write_text("# a comment the scenario does not read\n" + STUCK.read_text("utf-8"), "utf-8")
    _no_exploring(monkeypatch)
    again = _diagnostics(moved)
    assert [(d["code"], d["message"]) for d in again] == [(d["code"], d["message"]) for d in first]
    assert [d["line"] for d in again] == [d["line"] + 1 for d in first]  # positions are the new file's


def test_an_edited_scenario_is_a_miss(tmp_path: Path) -> None:
    _diagnostics(STUCK)
    edited = tmp_path / "stuck.toml"
    edited.write_text(STUCK.read_text("utf-8").replace('title = "', 'title = "Edited ', 1), "utf-8")
    _diagnostics(edited)
    assert len(list(analyses.analyses_dir().glob("*.warnings.msgpack"))) == 2


def test_a_damaged_or_other_version_file_is_only_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    first = _diagnostics(STUCK)
    [kept] = analyses.analyses_dir().glob("*.warnings.msgpack")
    kept.write_bytes(b"\x93not msgpack")
    assert _diagnostics(STUCK) == first
    monkeypatch.setattr(analyses, "__version__", "0.0.0-other")
    assert analyses.load_warnings(kept.name.split(".")[0]) is None


def test_only_check_writes_the_cache_loading_for_play_writes_nothing() -> None:
    load_scenario(STUCK)
    check_text(STUCK.read_text("utf-8"), str(STUCK))  # an editor's check of unsaved text keeps nothing either
    assert not analyses.analyses_dir().exists()


def test_past_the_state_bound_explore_says_how_far_it_got_and_random_runs_zero_means_none() -> None:
    scenario = load_scenario(DATA / "good" / "three-decisions.toml").scenario
    full = explore(scenario)
    assert full.exhaustive and full.states > 2
    capped = explore(scenario, max_states=2, random_runs=0)
    assert not capped.exhaustive and capped.states == 2 and capped.random_runs == 0
    sampled = explore(scenario, max_states=2, random_runs=5)
    assert not sampled.exhaustive and sampled.states == 2 and sampled.random_runs == 5


def test_choice_values_are_worked_out_once_per_state_and_a_caller_cannot_spoil_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.engine import engine

    scenario = load_scenario(DATA / "good" / "three-decisions.toml").scenario
    analysis = explore(scenario)
    start = engine.start(scenario)
    first = choice_values(scenario, analysis, start)
    assert first
    first[0] = -1.0
    monkeypatch.setattr(explore_module, "_successors", lambda *_: (_ for _ in ()).throw(AssertionError("again")))
    again = choice_values(scenario, analysis, start)
    assert again and again[0] != -1.0


def test_a_generated_file_checked_with_the_cache_kept_reads_back_the_same_warnings() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import big_scenario

    text = big_scenario(60)
    first = [d.as_json() for d in check_text(text, "big.toml").diagnostics]
    assert {d["code"] for d in first} >= {"W102", "W120"}
    token = warnings.KEEP.set(True)
    try:
        assert [d.as_json() for d in check_text(text, "big.toml").diagnostics] == first
        assert [d.as_json() for d in check_text(text, "big.toml").diagnostics] == first
    finally:
        warnings.KEEP.reset(token)
