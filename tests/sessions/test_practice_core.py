"""The practice loop's core, without a screen: a hint's price counted the same in the debrief, the
log's end event, replay, history and reports; calibration; the reflection saved after the end;
logs written before any of it still read."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coach.reporting.cohort import Found, collect
from coach.engine import engine
from coach.engine.calibration import calibration, summary_lines
from coach.engine.hints import apply_hint, hinted_score
from coach.reporting.reports import debrief_markdown
from coach.scenario.loader import load_scenario
from coach.scenario.schema import scenario_schema
from coach.sessions import log
from coach.sessions.log import read_session
from coach.sessions.playthrough import Playthrough
from coach.sessions.reflection import QUESTION, save_reflection
from coach.sessions.replay import open_replay
from coach.sessions.store import list_sessions

PRACTICE = Path(__file__).resolve().parent.parent / "data" / "tui" / "practice.toml"
FALLBACK, RETRAIN = 0, 1
SLICE, WAIT = 0, 1


def played(*choices: tuple[int, str | None, bool]) -> Playthrough:
    playthrough = Playthrough.new(load_scenario(PRACTICE), seed=1, mode="coach")
    for index, confidence, hinted in choices:
        playthrough.choose(index, confidence=confidence, hinted=hinted)
    playthrough.close()
    return playthrough


@given(st.dictionaries(st.sampled_from(["monitoring", "diagnosis", "expectations"]), st.integers(-3, 3)))
def test_a_hint_halves_gains_rounding_down_and_never_softens_a_loss(score: dict[str, int]) -> None:
    reduced = hinted_score(score)
    for name, points in score.items():
        after = reduced.get(name, 0)
        if points > 0:
            assert after == points // 2 and after < points
        else:
            assert after == points
    assert hinted_score({"monitoring": 3, "diagnosis": 2, "expectations": 1}) == {"monitoring": 1, "diagnosis": 1}


def test_apply_hint_moves_the_running_points_with_the_step() -> None:
    scenario = load_scenario(PRACTICE).scenario
    state = engine.step(scenario, engine.start(scenario), FALLBACK)
    hinted = apply_hint(state)
    assert state.points == {"monitoring": 3, "diagnosis": 2}
    assert hinted.points == {"monitoring": 1, "diagnosis": 1}
    assert hinted.history[-1].hinted and hinted.history[-1].score == {"monitoring": 1, "diagnosis": 1}
    assert apply_hint(hinted) == hinted  # once only


def test_a_hinted_decision_scores_less_the_same_everywhere() -> None:
    plain = played((FALLBACK, "sure", False), (SLICE, "sure", False))
    hinted = played((FALLBACK, "sure", True), (SLICE, "sure", False))
    expected = hinted.debrief()
    assert plain.debrief().overall == 100 and expected.overall < 100
    assert expected.path[0].hinted and not expected.path[1].hinted

    record = read_session(hinted.writer.path)
    first = record.decisions[0]
    assert isinstance(first, log.Choice) and first.hinted and first.confidence == "sure"
    assert record.end.overall == expected.overall and record.end.scores == expected.scores  # the end event
    replay = open_replay(hinted.writer.path)
    assert replay.overall() == expected.overall and replay.final_scores() == expected.scores  # replay
    assert replay.steps[0].hinted and replay.steps[0].score == {"monitoring": 1, "diagnosis": 1}
    [summary] = [s for s in list_sessions() if s.path == hinted.writer.path]
    assert summary.overall == expected.overall  # history
    [result] = collect([Found(hinted.writer.path, hinted.writer.path.parent)]).sessions
    assert result.overall == expected.overall  # reports
    assert "hint used" in debrief_markdown(result.debrief, result.scenario)
    # Resuming and branching apply the hint again from the log.
    resumed = played((FALLBACK, None, True))
    again = Playthrough.resume(read_session(resumed.writer.path))
    assert again.state.points == {"monitoring": 1, "diagnosis": 1}


def test_calibration_names_sure_and_wrong_as_entrenched() -> None:
    playthrough = played((RETRAIN, "sure", False), (SLICE, "guessing", False))
    result = calibration(playthrough.debrief().path, playthrough.confidences)
    assert result.asked == 2
    assert [d.number for d in result.confident_wrong] == [1]
    assert [d.number for d in result.unsure_right] == [2]
    assert not result.confident_right and not result.unsure_wrong
    lines = summary_lines(result)
    assert lines[0] == "Sure and right: 0 of 2."
    assert "decision 1, The queue is quiet" in lines[1] and "reflex is entrenched" in lines[1]
    assert "decision 2, The cause" in lines[2]
    # Not asked (exam mode, older logs), unknown values: nothing to show.
    assert calibration(playthrough.debrief().path, [None, "certain"]).asked == 0
    assert summary_lines(calibration(playthrough.debrief().path, [])) == []
    # The report says it too, with the confidences the log recorded.
    [result_row] = collect([Found(playthrough.writer.path, playthrough.writer.path.parent)]).sessions
    text = debrief_markdown(result_row.debrief, result_row.scenario, confidences=result_row.confidences)
    assert "## How sure you were" in text and "Sure and wrong: 1" in text


def test_a_reflection_is_saved_after_the_end_and_read_back(tmp_path: Path) -> None:
    playthrough = played((FALLBACK, "sure", False), (SLICE, "sure", False))
    path = playthrough.writer.path
    assert save_reflection(path, "  Ask for the\x1b[2J fallback\nfirst.  ") is None
    record = read_session(path)
    assert record.finished and not record.problems  # still finished, nothing "after the end" complained of
    assert record.reflection == "Ask for the [2J fallback first."
    assert open_replay(path).reflection == record.reflection
    [summary] = [s for s in list_sessions() if s.path == path]
    assert summary.reflection == record.reflection
    [result] = collect([Found(path, path.parent)]).sessions
    text = debrief_markdown(result.debrief, result.scenario, reflection=result.reflection)
    assert QUESTION in text and "> Ask for the [2J fallback first." in text
    assert save_reflection(path, "   ") is None and read_session(path).reflection == record.reflection  # empty: nothing


def test_logs_from_before_the_loop_still_read(tmp_path: Path) -> None:
    playthrough = played((FALLBACK, None, False), (SLICE, None, False))
    lines = playthrough.writer.path.read_bytes().splitlines()
    old = []
    for line in lines:
        event = json.loads(line)
        event.pop("confidence", None)
        event.pop("hinted", None)
        old.append(json.dumps(event).encode())
    path = tmp_path / "old.jsonl"
    path.write_bytes(b"\n".join(old) + b"\n")
    record = read_session(path)
    assert record.finished and record.reflection == "" and not record.problems
    assert all(isinstance(e, log.Choice) and e.confidence is None and not e.hinted for e in record.decisions)


def test_a_scene_hint_is_an_optional_documented_key() -> None:
    loaded = load_scenario(PRACTICE)
    assert loaded.scenario is not None and not loaded.errors
    first, second = loaded.scenario.scenes
    assert first.hint.startswith("Precision is {precision} now") and second.hint == ""
    assert "hint" in scenario_schema()["$defs"]["Scene"]["properties"]
    from coach.authoring.writer import scenario_to_toml

    written = scenario_to_toml(loaded.scenario)
    assert 'hint = "Precision is {precision} now' in written
    assert 'hint = ""' not in written  # a default is not written back
