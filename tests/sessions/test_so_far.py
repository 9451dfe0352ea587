"""The replay's score so far: the decisions made against the best each of them offered."""

from __future__ import annotations

from pathlib import Path

from coach.scenario.loader import load_scenario
from coach.sessions.playthrough import Playthrough
from coach.sessions.replay import open_replay
from coach.sessions.so_far import score_so_far

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"


def played(*choices: int) -> Path:
    playthrough = Playthrough.new(load_scenario(MINIMAL), seed=1)
    for choice in choices:
        playthrough.choose(choice, seconds=1)
    playthrough.close()
    assert playthrough.writer is not None
    return playthrough.writer.path


def test_the_expert_path_is_100_percent_after_every_decision() -> None:
    replay = open_replay(played(0, 0))
    assert replay.scenario is not None and replay.analysis is not None and len(replay.steps) == 2
    for upto in (1, 2):
        so_far = score_so_far(replay.scenario, replay.analysis, replay.steps[:upto])
        assert so_far.overall == 100
        assert all(p == 100 for p in so_far.percent.values() if p is not None)
    # After both decisions the score so far is the final one.
    assert replay.steps[-1].running_overall == 100


def test_a_weak_decision_is_below_what_was_possible() -> None:
    replay = open_replay(played(1))  # wait for the weekly review: -2 where +2 was possible
    assert replay.scenario is not None and replay.analysis is not None
    so_far = score_so_far(replay.scenario, replay.analysis, replay.steps[:1])
    assert so_far.percent["monitoring"] is not None and so_far.percent["monitoring"] < 0
    assert so_far.overall is not None and so_far.overall < 0


def test_nothing_rebuilt_means_no_score() -> None:
    replay = open_replay(played(0))
    assert replay.scenario is not None and replay.analysis is not None
    assert score_so_far(replay.scenario, replay.analysis, []).overall is None
