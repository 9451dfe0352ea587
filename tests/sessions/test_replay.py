"""Replays rebuild every decision on the version played, say what they cannot show, and rewinds
start self-contained sessions that record where they branched from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.sessions.log import Branch, SessionError, read_session
from coach.sessions.playthrough import Playthrough
from coach.sessions.replay import open_replay, rewind
from coach.sessions.store import kept_scenario_path, list_sessions, session_files
from session_helpers import always_review


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_each_step_shows_the_scene_the_dashboard_the_choice_and_the_road_not_taken(play) -> None:
    replay = open_replay(play(0, 0))
    assert replay.problems == [] and replay.changed is None
    assert replay.complete and replay.finished
    first, second = replay.steps

    assert (first.number, first.scene_title, first.scene_text) == (1, "The alert fires", "Precision fell overnight.")
    assert first.clock == "Day 1 03:12"
    assert first.before.metrics == {"precision": 0.92} and first.after.metrics == {"precision": 0.97}
    assert first.choice_text == "Roll back to last week's model" and first.feedback == "Containment first."
    assert first.score == {"monitoring": 2, "failure": 1}
    [wait] = first.not_taken
    assert (wait.number, wait.text, wait.score, wait.available, wait.reflex) == (2, "Wait for Thursday's weekly review",
                                                                                 {"monitoring": -2}, True, "launch-gate")
    assert wait.value < 0 < first.alternatives[0].value
    # Running scores are shares of the most any path can earn: monitoring 2/2, failure 1/3.
    assert first.running == {"monitoring": 100, "failure": 33} and first.running_overall == 73

    assert second.clock == "Day 1 03:42"  # the rollback took 30 minutes
    assert second.scene_title == "The review" and second.choice_text == "Write a blameless postmortem"
    assert second.running == {"monitoring": 100, "failure": 100}
    assert replay.ending is not None and replay.ending.title == "Contained"
    assert replay.final_scores() == {"monitoring": 100, "failure": 100} and replay.overall() == 100


def test_a_locked_choice_is_shown_locked_with_its_reason(play, scenario_file: Path) -> None:
    always_review(scenario_file)
    replay = open_replay(play(1, 1, seed=2))  # wait (the draw lands in triage), then move on
    review = replay.steps[1]
    move_on, postmortem = review.alternatives  # in the order seed 2 showed them
    assert (move_on.number, postmortem.number) == (1, 2) and (move_on.index, postmortem.index) == (1, 0)
    assert not postmortem.available and postmortem.reason == "Available only when rolled back"
    assert postmortem.score == {"failure": 2} and not postmortem.taken
    assert move_on.taken and review.not_taken == [postmortem]


def test_moving_on_after_a_rollback_scores_the_failure_criterion_down(play) -> None:
    review = open_replay(play(0, 1)).steps[1]
    assert review.alternatives[0].available and review.choice == 1
    assert review.running["failure"] == 0  # rollback +1, move on -1


def test_a_timeout_is_a_step_with_every_choice_not_taken(play) -> None:
    replay = open_replay(play("timeout"))
    [step] = replay.steps
    assert step.timed_out and step.choice == -1 and step.choice_text == "(ran out of time)"
    assert [a.taken for a in step.alternatives] == [False, False]
    assert replay.ending_id == "froze"


def test_an_unfinished_session_replays_what_was_decided(play) -> None:
    replay = open_replay(play(0))
    assert not replay.finished and len(replay.steps) == 1 and replay.final.scene == "review"
    assert replay.problems == []


def test_a_replay_after_the_scenario_was_edited_still_shows_what_was_played(play, scenario_file: Path) -> None:
    path = play(0, 0)
    text = scenario_file.read_text()
    scenario_file.write_text(text.replace("Precision fell overnight.", "Recall fell overnight.")
                             .replace('text = "Roll back to last week\'s model"', 'text = "Page the on-call engineer"'))
    replay = open_replay(path)
    assert replay.changed and "minimal.toml has changed" in replay.changed
    assert replay.steps[0].scene_text == "Precision fell overnight."
    assert replay.steps[0].choice_text == "Roll back to last week's model"
    assert replay.complete and replay.problems == []


def test_the_library_copy_stands_in_for_a_missing_kept_copy_with_the_same_hash(play) -> None:
    path = play(0, 0)
    kept_scenario_path(read_session(path).start.sha256).unlink()
    replay = open_replay(path)
    assert replay.complete and replay.problems == [] and replay.changed is None


def test_a_missing_kept_scenario_shows_the_logged_decisions_and_says_why(play, scenario_file: Path) -> None:
    path = play(0, 0)
    kept_scenario_path(read_session(path).start.sha256).unlink()
    scenario_file.write_text(scenario_file.read_text().replace("Well done.", "Good."))
    before = path.read_bytes()
    replay = open_replay(path)
    assert replay.scenario is None and not replay.complete
    assert len(replay.problems) == 1 and "no longer kept" in replay.problems[0]
    assert [s.choice_text for s in replay.steps] == ["Roll back to last week's model", "Write a blameless postmortem"]
    assert all(not s.exact and s.scene_text is None for s in replay.steps)
    assert replay.final_scores() == {"monitoring": 100, "failure": 100} and replay.overall() == 100  # as logged
    assert replay.can_rewind(1)
    assert path.read_bytes() == before  # nothing is rewritten


def test_a_damaged_kept_scenario_is_named_as_damaged(play, scenario_file: Path) -> None:
    path = play(0, 0)
    scenario_file.unlink()  # no library copy to fall back on either
    kept = kept_scenario_path(read_session(path).start.sha256)
    kept.write_text(kept.read_text().replace("Precision", "Recall"))
    replay = open_replay(path)
    assert replay.scenario is None and "damaged" in replay.problems[0]
    assert kept.exists()


def test_a_torn_log_replays_up_to_the_tear(play) -> None:
    path = play(0)
    with open(path, "ab") as handle:
        handle.write(b'{"event":"choice","scene":"rev')
    replay = open_replay(path)
    assert len(replay.steps) == 1 and replay.steps[0].exact
    assert len(replay.problems) == 1 and "cut off" in replay.problems[0]


def test_a_log_from_a_newer_coach_opens_with_a_sentence_and_no_steps(coach_home: Path) -> None:
    folder = coach_home / "data" / "sessions"
    folder.mkdir(parents=True)
    path = folder / "future.jsonl"
    path.write_text(json.dumps({"event": "start", "log_format": 99, "version": "9.0", "session": "future"}) + "\n")
    replay = open_replay(path)
    assert replay.record is None and replay.steps == []
    assert "Upgrade coach" in replay.problems[0] and "Nothing of this session can be shown" in replay.problems[0]
    assert path.exists()
    assert replay.can_rewind(1)


def test_a_decision_the_kept_version_does_not_allow_stops_the_rebuild_there(play) -> None:
    path = play(0, 0)
    lines = path.read_text().splitlines()
    second = json.loads(lines[2])
    second["scene"] = "elsewhere"
    lines[2] = json.dumps(second)
    path.write_text("\n".join(lines) + "\n")
    replay = open_replay(path)
    assert [s.exact for s in replay.steps] == [True, False]
    assert "Decision 2 cannot be rebuilt" in replay.problems[-1]
    assert replay.steps[1].choice_text == "Write a blameless postmortem"


# --- rewind -------------------------------------------------------------------------------------


def test_rewind_at_decision_2_links_back_and_scores_as_the_other_choice_should(play) -> None:
    original = play(0, 0)
    record = read_session(original)
    branch = rewind(record, 1, 1)  # keep the rollback, then "Move on" instead of the postmortem
    branch.close()
    assert branch.finished and branch.state.ending == "froze"

    new = read_session(branch.writer.path)
    assert new.start.branched_from == Branch(record.id, 1)
    assert new.start.seed == record.start.seed and new.start.sha256 == record.start.sha256
    assert new.start.source == record.start.source
    # Self-contained: the kept decision is in the new log too, then the other choice.
    assert [(e.scene, e.choice) for e in new.decisions] == [("pager", 0), ("review", 1)]
    assert new.end.scores == {"monitoring": 100, "failure": 0}  # failure: +1 rollback, -1 move on
    assert new.end.overall == 60 < read_session(original).end.overall == 100
    assert [e["event"] for e in _events(original)] == ["start", "choice", "choice", "end"]  # untouched

    summaries = {s.id: s for s in list_sessions()}
    assert summaries[new.id].branched_from == Branch(record.id, 1)


def test_a_rewound_session_left_unfinished_can_be_resumed_and_replayed(play) -> None:
    record = read_session(play(0, 0))
    branch = rewind(record, 1)  # the branch point itself: the review, nothing chosen yet
    branch.close()
    new = read_session(branch.writer.path)
    assert not new.finished and len(new.decisions) == 1
    resumed = Playthrough.resume(new)
    resumed.choose(0)
    resumed.close()
    replay = open_replay(branch.writer.path)
    assert replay.complete and replay.finished and replay.overall() == 100


def test_rewind_replays_chance_outcomes_exactly(play) -> None:
    record = read_session(play(1, seed=2))  # wait: the draw sends it to triage, precision falls, froze
    assert open_replay(record.path).steps[0].after.metrics["precision"] == pytest.approx(0.82)
    branch = rewind(record, 0, 1)
    branch.close()
    assert branch.state.ending == "froze" and branch.state.metrics["precision"] == pytest.approx(0.82)


def test_a_branch_that_cannot_be_made_leaves_no_file(play, scenario_file: Path) -> None:
    record = read_session(play(1, seed=1))  # wait -> froze directly: the review was never reached
    count = len(session_files())
    with pytest.raises(SessionError, match="ended"):
        rewind(record, 1)
    record = read_session(play(0))
    with pytest.raises(SessionError, match="no choice 5"):
        rewind(record, 0, 4)
    with pytest.raises(SessionError, match="cannot branch after decision 3"):
        rewind(record, 3)
    kept_scenario_path(record.start.sha256).unlink()
    scenario_file.unlink()
    with pytest.raises(SessionError, match="no longer kept"):
        rewind(record, 0, 1)
    assert len(session_files()) == count + 1


def test_a_locked_choice_cannot_be_taken_on_a_branch(play, scenario_file: Path) -> None:
    always_review(scenario_file)
    record = read_session(play(1, 1, seed=2))
    with pytest.raises(SessionError, match="locked at that point: Available only when rolled back"):
        rewind(record, 1, 0)
