"""`coach report` keeps what it worked out of each session in a cache: a second report over the
same files reads no log and replays nothing, and says exactly what the first said; a log changed
since, or a scenario version found since, is read and scored again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.reporting import cohort
from coach.reporting.reports import cohort_json, cohort_markdown
from coach.scenario.loader import load_scenario
from coach.sessions.playthrough import Playthrough
from coach.sessions.store import kept_scenario_path

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"
RUNS = [(0, 0), (0, 1), (1, 0), (1,), (0,)]
"""Four sessions that reach an ending (one by a reflex, one by waiting), one left after a decision."""


def played(*choices: int, seed: int = 1) -> Path:
    playthrough = Playthrough.new(load_scenario(MINIMAL), seed=seed)
    for choice in choices:
        if playthrough.finished:
            break
        playthrough.choose(choice, seconds=4)
    playthrough.close()
    assert playthrough.writer is not None
    return playthrough.writer.path


@pytest.fixture
def folder() -> Path:
    paths = [played(*choices, seed=seed) for seed, choices in enumerate(RUNS)]
    return paths[0].parent


def report(folder: Path, **options) -> tuple[cohort.Collection, str]:
    collection = cohort.collect(cohort.gather([str(folder)]), **options)
    return collection, cohort_markdown(cohort.summarize(collection))


def test_a_second_report_replays_nothing_and_says_the_same(folder: Path, monkeypatch) -> None:
    _, first = report(folder)

    def no_replay(*args, **kwargs):
        raise AssertionError("a cached session was replayed")

    monkeypatch.setattr("coach.sessions.playthrough.replay_decisions", no_replay)
    monkeypatch.setattr(cohort, "read_session", no_replay)
    _, second = report(folder)
    assert second == first
    assert "5 sessions from 1 learner on 1 scenario, 4 finished" in second


def test_the_figures_from_the_cache_are_those_of_the_full_debrief(folder: Path) -> None:
    report(folder)  # writes the cache
    collection, _ = report(folder)
    scored = [s for s in collection.sessions if s.debrief is not None]
    assert len(scored) == len(RUNS)
    for session in scored:
        full = session.debrief
        assert (session.finished, session.ending, session.rating, session.overall, session.grade) == \
            (full.finished, full.ending, full.rating, full.overall, full.grade)
        assert session.scores == full.scores
        assert session.reflexes == [r.reflex for r in full.reflexes]
        costly: dict[str, list[str]] = {}
        for decision in full.path:
            for criterion, points in decision.score.items():
                if decision.reflex and points < 0:
                    costly.setdefault(criterion, []).append(decision.reflex)
        assert session.costly_reflexes == costly
    assert any(s.reflexes for s in scored) and any(s.costly_reflexes for s in scored)


def test_a_cached_report_gives_the_same_json_as_one_without_the_cache(folder: Path) -> None:
    without, _ = report(folder, cache=False)
    report(folder)
    cached, _ = report(folder)
    assert cohort_json(cohort.summarize(cached)) == cohort_json(cohort.summarize(without))


def test_a_log_changed_since_the_last_report_is_read_again(folder: Path) -> None:
    collection, first = report(folder)
    finished = next(s.path for s in collection.sessions if s.finished)
    unfinished = next(s.path for s in collection.sessions if not s.finished)
    finished.write_bytes(unfinished.read_bytes())  # that file now holds an unfinished session
    _, second = report(folder)
    assert "5 sessions from 1 learner on 1 scenario, 3 finished" in second
    assert "5 sessions from 1 learner on 1 scenario, 4 finished" in first


def test_a_session_reported_without_its_scenario_version_is_scored_once_it_is_found(folder: Path) -> None:
    collection, _ = report(folder)
    sha256 = collection.sessions[0].start.sha256
    kept = kept_scenario_path(sha256)
    aside = kept.with_suffix(".aside")
    shutil.move(kept, aside)
    missing, _ = report(folder)
    assert all(cohort.NOT_FOUND in s.problems for s in missing.sessions)
    assert all(s.reflexes == [] and s.debrief is None for s in missing.sessions)
    shutil.move(aside, kept)
    found, text = report(folder)
    assert not any(s.problems for s in found.sessions)
    assert any(s.reflexes for s in found.sessions)
    assert cohort.NOT_FOUND not in text
