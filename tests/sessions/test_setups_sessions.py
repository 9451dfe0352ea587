"""Setups in sessions (issue 13): the start event records the setup; replay, resume, rewind and
the debrief rebuild with it; each setup is scored against its own expert path; explore visits
every setup; analyses are kept per (hash, setup)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.engine import explore as explore_module
from coach.engine import setups
from coach.reporting.reports import debrief_json, debrief_markdown
from coach.scenario.loader import load_scenario
from coach.analysis import saved as analyses
from coach.sessions.log import read_session
from coach.sessions.playthrough import Playthrough
from coach.sessions.replay import open_replay, rewind

SETUPS = Path(__file__).resolve().parent.parent / "data" / "good" / "setups.toml"
MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
EVIDENCE = {"units": "units", "labels": "labels", "fraud": "fraud"}
"""The evidence scene each setup routes to after the first decision."""


@pytest.fixture(scope="module")
def loaded():
    result = load_scenario(SETUPS)
    result.require()  # fails naming the file's first error
    return result


def _expert_choices(scenario, setup: str) -> list[int]:
    analysis = explore_module.explore(scenario, setup=setup)
    return [step.choice for step in analysis.expert_path]


def test_the_start_event_records_the_setup_the_seed_draws(loaded) -> None:
    play = Playthrough.new(loaded, seed=4)
    play.close()
    record = read_session(play.writer.path)
    assert record.start.setup == setups.draw(loaded.scenario, 4) == "fraud" == play.state.setup
    assert json.loads(play.writer.path.read_text().splitlines()[0])["setup"] == "fraud"


def test_setup_overrides_the_draw_and_is_recorded(loaded) -> None:
    play = Playthrough.new(loaded, seed=4, setup="labels")
    play.close()
    assert read_session(play.writer.path).start.setup == "labels"
    assert play.state.metrics["precision"] == 0.8 and "cause_labels" in play.state.flags


def test_an_unknown_setup_is_refused_with_the_ids(loaded) -> None:
    from coach.sessions.log import SessionError

    with pytest.raises(SessionError, match="its setups are: units, labels, fraud"):
        Playthrough.new(loaded, seed=1, setup="unit", save=False)


def test_a_scenario_without_setups_writes_no_setup_and_old_logs_read() -> None:
    play = Playthrough.new(load_scenario(MINIMAL), seed=1)
    play.close()
    first = json.loads(play.writer.path.read_text().splitlines()[0])
    assert "setup" not in first and read_session(play.writer.path).start.setup is None


@PROPERTY
@given(seed=st.integers(0, 2**31 - 1), keep=st.integers(0, 2))
def test_a_setup_drawn_by_a_seed_is_stable_across_replay_resume_and_rewind(loaded, seed: int, keep: int) -> None:
    drawn = setups.draw(loaded.scenario, seed)
    play = Playthrough.new(loaded, seed=seed)
    assert play.state.setup == drawn
    play.choose(0)
    assert play.state.scene == EVIDENCE[drawn]  # the setup decided where the same decision led
    play.choose(0)
    play.close()
    record = read_session(play.writer.path)
    assert record.start.setup == drawn
    resumed = Playthrough.resume(record)
    assert resumed.state.setup == drawn and resumed.state == play.state
    resumed.close()
    replay = open_replay(play.writer.path)
    assert replay.final is not None and replay.final.setup == drawn and not replay.problems
    branch = rewind(record, keep)
    assert branch.state.setup == drawn
    branch.close()
    assert read_session(branch.writer.path).start.setup == drawn


@pytest.mark.parametrize("setup", ["units", "labels", "fraud"])
def test_every_setups_expert_path_scores_100(loaded, setup: str) -> None:
    play = Playthrough.new(loaded, seed=0, setup=setup, save=False)
    for index in _expert_choices(loaded.scenario, setup):
        play.choose(index)
    result = play.debrief()
    assert result.finished and result.overall == 100 and all(s.percent == 100 for s in result.criteria)
    assert result.setup == setup and result.setup_title == setups.title(loaded.scenario, setup)


@PROPERTY
@given(setup=st.sampled_from(["units", "labels", "fraud"]), seed=st.integers(0, 2**31 - 1))
def test_expert_path_of_any_setup_scores_100_whatever_the_seed(loaded, setup: str, seed: int) -> None:
    play = Playthrough.new(loaded, seed=seed, setup=setup, save=False)
    for index in _expert_choices(loaded.scenario, setup):
        play.choose(index)
    assert play.debrief().overall == 100


def test_the_session_is_scored_against_its_own_setups_expert(loaded) -> None:
    # Under `labels`, the units setup's right diagnosis (the histograms) is the wrong one.
    play = Playthrough.new(loaded, seed=0, setup="labels", save=False)
    for index in _expert_choices(loaded.scenario, "units"):
        play.choose(index)
    assert play.debrief().overall < 100 and play.state.ending == "late"


def test_explore_visits_every_setup(loaded) -> None:
    found = explore_module.explore_setups(loaded.scenario)
    assert list(found) == ["units", "labels", "fraud"]
    for setup, analysis in found.items():
        assert analysis.exhaustive and EVIDENCE[setup] in analysis.nodes_reached
        assert set(EVIDENCE.values()) - {EVIDENCE[setup]} <= set(EVIDENCE.values()) - analysis.nodes_reached
    assert list(explore_module.explore_setups(load_scenario(MINIMAL).scenario)) == [None]


def test_analyses_are_kept_per_setup(loaded) -> None:
    units = explore_module.explore(loaded.scenario, setup="units")
    labels = explore_module.explore(loaded.scenario, setup="labels")
    analyses.save(loaded.sha256, units, setup="units")
    analyses.save(loaded.sha256, labels, setup="labels")
    assert analyses.load(loaded.sha256, setup="units").expert_path == units.expert_path
    assert analyses.load(loaded.sha256, setup="labels").expert_path == labels.expert_path
    assert analyses.load(loaded.sha256) is None  # the plain start is a different exploration
    analyses.save(loaded.sha256, units, setup="../escape")  # an id from a log is data: never a path
    assert analyses.load(loaded.sha256, setup="../escape") is None
    assert not list(analyses.analyses_dir().parent.glob("escape*"))


def test_a_log_naming_a_setup_the_scenario_lacks_is_a_problem_not_a_crash(loaded) -> None:
    play = Playthrough.new(loaded, seed=3, setup="units")
    play.choose(0)
    play.close()
    lines = play.writer.path.read_text().splitlines()
    start = json.loads(lines[0])
    start["setup"] = "gone"
    play.writer.path.write_text("\n".join([json.dumps(start), *lines[1:]]) + "\n")
    replay = open_replay(play.writer.path)
    assert replay.problems and "no setup 'gone'" in replay.problems[-1]


def test_the_debrief_names_the_setup_only_after_the_ending(loaded) -> None:
    play = Playthrough.new(loaded, seed=0, setup="fraud", save=False)
    play.choose(0)
    unfinished = play.debrief()
    assert "setup" not in debrief_json(unfinished)
    assert "Setup:" not in debrief_markdown(unfinished, loaded.scenario)
    play.choose(0)
    play.choose(0)
    done = play.debrief()
    assert debrief_json(done)["setup"] == "fraud"
    assert "**Setup:** A real shift in fraud patterns" in debrief_markdown(done, loaded.scenario)


def test_replay_names_the_setup_once_the_session_has_ended(loaded) -> None:
    play = Playthrough.new(loaded, seed=0, setup="units")
    play.choose(0)
    play.close()
    assert open_replay(play.writer.path).setup_title is None
    resumed = Playthrough.resume(read_session(play.writer.path))
    resumed.choose(0)
    resumed.choose(0)
    resumed.close()
    assert open_replay(play.writer.path).setup_title == "An upstream unit change"


def test_a_setup_that_is_not_an_id_is_dropped_with_a_problem(loaded) -> None:
    play = Playthrough.new(loaded, seed=3, setup="units")
    play.close()
    start = json.loads(play.writer.path.read_text().splitlines()[0])
    start["setup"] = "\x1b[2J" + "x" * 100
    play.writer.path.write_text(json.dumps(start) + "\n")
    record = read_session(play.writer.path)
    assert record.start.setup is None
    assert any("not a setup id" in problem for problem in record.problems)
