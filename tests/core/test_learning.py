"""The learner profile (skill estimates, reflex trends) and what to play next, from summaries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coach.learning import profile, recommend
from coach.config.library import library
from coach.scenario.loader import builtin_rubric
from coach.sessions.store import SessionSummary

RUBRIC = builtin_rubric()
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def session(days_ago: float, scores: dict[str, int], *, scenario: str = "precision-cliff", decisions: int = 6,
            reflexes: dict[str, int] | None = None, finished: bool = True, n: int = 0) -> SessionSummary:
    moment = (NOW - timedelta(days=days_ago)).isoformat(timespec="seconds")
    return SessionSummary(Path(f"/nowhere/{n}.jsonl"), f"s{n}-{days_ago}", moment, scenario, scenario, "coach",
                          "end" if finished else None, 50 if finished else None, scores, finished, decisions, None, [],
                          reflexes=reflexes or {})


def evidence(scores: list[int], decisions: list[int] | None = None) -> list[profile.Evidence]:
    decisions = decisions or [6] * len(scores)
    return [profile.Evidence(None, s, d, "x") for s, d in zip(scores, decisions)]


def test_one_short_failure_does_not_wipe_out_a_record_of_strong_play() -> None:
    """The old headline showed the latest score: a two-decision 0% beside "best 100%"."""
    sessions = [session(9 - i, {"diagnosis": 100}, n=i) for i in range(3)] + [session(1, {"diagnosis": 0}, decisions=2, n=9)]
    skill = next(s for s in profile.skills(sessions, RUBRIC) if s.criterion == "diagnosis")
    assert skill.sessions == 4
    assert 75 < skill.estimate < 100


def test_recent_sessions_weigh_more_than_old_ones() -> None:
    improving = profile.estimate(evidence([0, 0, 0, 100, 100, 100]))
    declining = profile.estimate(evidence([100, 100, 100, 0, 0, 0]))
    assert improving > 50 > declining


def test_unfinished_sessions_and_unknown_criteria_are_no_evidence() -> None:
    sessions = [session(1, {"diagnosis": 90}, finished=False), session(2, {"not-a-criterion": 90}, n=1)]
    assert all(s.estimate is None and s.sessions == 0 for s in profile.skills(sessions, RUBRIC))


def test_a_log_with_a_time_that_is_not_a_date_still_counts() -> None:
    broken = session(1, {"diagnosis": 80})
    broken.time = "yesterday"
    skill = next(s for s in profile.skills([broken], RUBRIC) if s.criterion == "diagnosis")
    assert skill.estimate == 80 and skill.last_practised is None


@given(st.lists(st.integers(-300, 300), min_size=1, max_size=30), st.lists(st.integers(1, 20), min_size=30, max_size=30))
def test_the_estimate_is_bounded_and_a_new_session_moves_it_towards_its_score(scores, decisions) -> None:
    before = profile.estimate(evidence(scores, decisions))
    assert 0 <= before <= 100
    for new in (-50, 0, 40, 100, 250):
        after = profile.estimate(evidence(scores + [new], decisions))
        clamped = min(100, max(0, new))
        assert 0 <= after <= 100
        assert min(before, clamped) - 0.1 <= after <= max(before, clamped) + 0.1


@given(st.lists(st.integers(-100, 200), max_size=40))
def test_spacing_stays_in_bounds_grows_on_success_and_shrinks_on_failure(scores) -> None:
    days = recommend.interval(evidence(scores))
    assert recommend.MIN_INTERVAL <= days <= recommend.MAX_INTERVAL
    assert recommend.interval(evidence(scores + [100])) >= days
    assert recommend.interval(evidence(scores + [0])) <= days


def test_reflex_trends_count_sessions_and_tell_fading_from_persisting() -> None:
    fading = [session(10 - i, {"diagnosis": 50}, reflexes={"naive-ab": 1} if i < 3 else {}, n=i) for i in range(6)]
    trend = next(t for t in profile.reflex_trends(fading, RUBRIC) if t.reflex == "naive-ab")
    assert trend.counts == (1, 1, 1, 0, 0, 0) and trend.sessions_shown == 3 and trend.trend == "fading"
    unknown = profile.reflex_trends([session(1, {}, reflexes={"made-up": 4})], RUBRIC)
    assert unknown == []


def _entries():
    return library()


def test_a_first_run_starts_with_an_intro_scenario_when_the_library_has_one() -> None:
    advice = recommend.recommend(_entries(), [], RUBRIC, NOW)
    intro = [e.result.scenario.id for e in _entries() if e.result.scenario and e.result.scenario.difficulty == "intro"]
    assert 1 <= len(advice) <= recommend.LIMIT
    if intro:
        assert advice[0].kind == "start" and advice[0].scenario in intro
    assert len({a.scenario for a in advice}) == len(advice)


def test_a_skill_not_practised_for_a_while_is_due_with_the_days_in_the_reason() -> None:
    criterion = "failure"
    sessions = [session(12, {criterion: 90}, n=1)]
    advice = recommend.recommend(_entries(), sessions, RUBRIC, NOW)
    assert advice[0].kind == "due" and advice[0].criterion == criterion
    assert advice[0].reason == f"{RUBRIC.criteria[criterion].title}: last practised 12 days ago"
    scenario = next(e.result.scenario for e in _entries() if e.result.scenario and e.result.scenario.id == advice[0].scenario)
    assert criterion in scenario.criteria


def test_a_skill_practised_yesterday_with_success_is_not_due_but_a_weak_one_is_named() -> None:
    names = list(RUBRIC.criteria)
    sessions = [session(1, {names[0]: 95, names[1]: 20})]
    advice = recommend.recommend(_entries(), sessions, RUBRIC, NOW)
    assert all(not (a.kind == "due" and a.criterion == names[0]) for a in advice)
    assert any(a.kind == "weakest" and a.criterion == names[1] and "20%" in a.reason for a in advice)


def test_a_finished_session_records_its_reflexes_and_coach_next_reads_them() -> None:
    import json

    from click.testing import CliRunner

    from coach.cli import main
    from coach.sessions.store import list_sessions

    from builtin_library import loaded
    from coach.sessions.playthrough import Playthrough

    play = Playthrough.new(loaded("precision-cliff"), seed=1)  # as `coach play` loads it: no warnings
    while not play.finished:  # the first option shown that is open: a weak player who shows reflexes
        play.choose(next(o for o in play.options() if o.available).index)
    play.close()
    summary = next(s for s in list_sessions() if s.finished)
    assert summary.reflexes and all(name in RUBRIC.reflexes and count >= 1 for name, count in summary.reflexes.items())
    result = CliRunner().invoke(main, ["next", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    practised = {s["criterion"] for s in data["skills"] if s["sessions"]}
    assert practised == set(summary.scores)
    assert data["recommendations"] and all(r["reason"] for r in data["recommendations"])
    text = CliRunner().invoke(main, ["next"]).output
    assert "Play next:" in text and "coach play " in text and "Your skills" in text


def test_the_start_here_reason_reads_as_english() -> None:
    from coach.learning.recommend import _article

    assert [f"{_article(n)} {n}-minute" for n in (5, 8, 11, 12, 18, 20, 80)] == [
        "a 5-minute", "an 8-minute", "an 11-minute", "a 12-minute", "an 18-minute", "a 20-minute", "an 80-minute"]
