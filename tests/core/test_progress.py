"""Progress across sessions, what to resume, and what to play next."""

from __future__ import annotations

from pathlib import Path

from coach.config.library import LibraryEntry
from coach.learning.progress import best_scores, criterion_progress, recommend_next, resumable
from coach.scenario.loader import LoadResult, builtin_rubric
from coach.scenario.model import Ending, Scenario, Scene
from coach.io.paths import sessions_dir
from coach.sessions import log
from coach.sessions.log import SessionWriter
from coach.sessions.store import SessionSummary, list_sessions


def write_sessions(*sessions: tuple[str, int | None, dict[str, int]]) -> list[SessionSummary]:
    """Session logs, oldest first: (scenario, overall or None if unfinished, scores)."""
    for number, (scenario, overall, scores) in enumerate(sessions, start=1):
        with SessionWriter.create(sessions_dir(), f"20260101-00000{number}-{scenario}-000000") as writer:
            writer.append(log.start_event(writer.session_id, scenario, scenario.title(), "0" * 64, 1, "coach"))
            writer.append(log.Choice(scene="a", choice=0, text="x", time=log.now()))
            if overall is not None:
                writer.append(log.End(ending="e", scores=scores, overall=overall, time=log.now()))
    return list_sessions()


def entry(scenario_id: str, criteria: dict[str, int], builtin: bool = True) -> LibraryEntry:
    scenario = Scenario(format=1, id=scenario_id, title=scenario_id.title(), summary="", role="", difficulty="intro",
                        minutes=5, start="a", criteria=criteria, scenes=[Scene(id="a")],
                        endings=[Ending(id="e", title="E", rating="strong")])
    return LibraryEntry(Path(f"{scenario_id}.toml"), LoadResult(f"{scenario_id}.toml", scenario), builtin)


def test_best_scores_and_progress_over_time() -> None:
    newest_first = write_sessions(
        ("a", 70, {"monitoring": 50}),
        ("b", 40, {"monitoring": 20, "data": 60}),
        ("a", 90, {"monitoring": 90}),
        ("b", None, {}),
    )
    assert best_scores(newest_first) == {"a": 90, "b": 40}
    progress = {p.criterion: p for p in criterion_progress(newest_first, builtin_rubric())}
    assert list(progress) == list(builtin_rubric().criteria)
    assert progress["monitoring"].scores == (50, 20, 90)  # oldest first
    assert progress["monitoring"].latest == 90 and progress["monitoring"].best == 90
    assert progress["data"].scores == (60,)
    assert progress["evaluation"].scores == () and progress["evaluation"].latest is None


def test_resume_offers_the_newest_unfinished_one() -> None:
    assert resumable([]) is None
    summaries = write_sessions(("a", 80, {}), ("a", None, {}))
    assert resumable(summaries).path.name.startswith("20260101-000002")


def test_resume_skips_a_scenario_finished_since() -> None:
    assert resumable(write_sessions(("a", None, {}), ("a", 80, {}))) is None


def test_resume_offers_another_scenario_unfinished_earlier() -> None:
    summaries = write_sessions(("a", None, {}), ("b", 80, {}))
    assert resumable(summaries).scenario == "a"


def test_resume_skips_an_unreadable_log() -> None:
    write_sessions(("a", None, {}))
    (sessions_dir() / "20260101-000009-a-000000.jsonl").write_bytes(b"not a session\n")
    summaries = list_sessions()
    assert resumable(summaries).path.name.startswith("20260101-000001")


def test_play_next_trains_the_weakest_criterion() -> None:
    entries = [
        entry("current", {"monitoring": 3, "data": 1}),
        entry("light", {"data": 1}),
        entry("heavy", {"data": 3}),
        entry("other", {"monitoring": 2}),
    ]
    pick = recommend_next(entries, {"monitoring": 80, "data": 30}, current="current")
    assert pick.entry.result.scenario.id == "heavy" and pick.criterion == "data" and pick.score == 30
    assert not pick.replay
    # With no other scenario for the weakest criterion, the next weakest one counts.
    pick = recommend_next(entries[:1] + entries[3:], {"monitoring": 80, "data": 30}, current="current")
    assert pick.entry.result.scenario.id == "other" and pick.criterion == "monitoring"
    # Nothing else at all: play this one again.
    pick = recommend_next(entries[:1], {"monitoring": 80, "data": 30}, current="current")
    assert pick.replay and pick.entry.result.scenario.id == "current" and pick.criterion == "data"
    assert recommend_next([], {}, current="current") is None


def test_play_next_prefers_what_the_learner_has_not_mastered() -> None:
    entries = [entry("done", {"data": 2}), entry("fresh", {"data": 2})]
    pick = recommend_next(entries, {"data": 10}, current="x", best={"done": 95})
    assert pick.entry.result.scenario.id == "fresh"
