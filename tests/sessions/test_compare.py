"""Two sessions of one scenario compared: where they split, each side's decisions and scores, and
the reflexes only one of them showed."""

from __future__ import annotations

import pytest

from coach.sessions.compare import compare
from coach.sessions.log import SessionError
from coach.sessions.replay import open_replay
from coach.sessions.store import kept_scenario_path

from session_helpers import always_review


def test_paths_that_split_at_the_second_decision(play) -> None:
    strong, weak = open_replay(play(0, 0)), open_replay(play(0, 1))
    result = compare(strong, weak)
    assert result.split == 1
    assert [s.choice_text for s in result.shared] == ["Roll back to last week's model"]
    assert [s.choice_text for s in result.left_after] == ["Write a blameless postmortem"]
    assert [s.choice_text for s in result.right_after] == ["Move on"]
    rows = {r.criterion: (r.left, r.right, r.delta) for r in result.criteria}
    assert rows == {"monitoring": (100, 100, 0), "failure": (100, 0, -100)}
    assert result.overall == (100, 60)
    assert result.reflexes_left == result.reflexes_right == result.reflexes_both == []
    assert result.notes == []


def test_reflexes_only_one_side_showed(play) -> None:
    result = compare(open_replay(play(0, 0)), open_replay(play(1, seed=1)))
    assert result.split == 0
    assert result.reflexes_left == [] and result.reflexes_right == ["launch-gate"]
    assert [s.choice_text for s in result.right_after] == ["Wait for Thursday's weekly review"]


def test_the_same_path_never_splits_and_a_prefix_splits_where_it_stops(play) -> None:
    assert compare(open_replay(play(0, 0)), open_replay(play(0, 0))).split is None
    result = compare(open_replay(play(0)), open_replay(play(0, 0)))
    assert result.split == 1 and result.left_after == [] and len(result.right_after) == 1


def test_the_same_choice_with_another_chance_outcome_is_a_split(play, scenario_file) -> None:
    always_review(scenario_file)
    result = compare(open_replay(play(1, seed=2)), open_replay(play(1, seed=1)))  # triage -> review vs froze
    assert result.split == 0


def test_sessions_of_different_scenarios_cannot_be_compared(play, scenario_file) -> None:
    first = play(0)
    scenario_file.write_text(scenario_file.read_text().replace('id = "minimal"', 'id = "other"'))
    with pytest.raises(SessionError, match="different scenarios"):
        compare(open_replay(first), open_replay(play(0)))


def test_a_side_without_its_scenario_compares_on_what_the_log_kept(play, scenario_file) -> None:
    left, right = play(0, 0), play(0, 1)
    scenario_file.write_text(scenario_file.read_text().replace("Well done.", "Good."))
    right_replay = open_replay(right)
    kept_scenario_path(right_replay.start.sha256).unlink()
    result = compare(open_replay(left), open_replay(right))
    assert result.split == 1
    assert {r.criterion: r.right for r in result.criteria} == {"monitoring": 100, "failure": 0}
    assert any("could not be fully rebuilt" in note for note in result.notes)
