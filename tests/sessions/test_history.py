"""The history as the learner reads it, the index that keeps a long history fast, deleting, and
a criterion's progress with the sessions behind each point."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

from coach.learning import progress
from coach.sessions import history
from coach.sessions.log import Branch
from coach.sessions.replay import rewind
from coach.sessions.store import (delete_session, list_sessions, read_session, summaries_index_path, summarize)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def test_dates_in_words_relative_to_an_injected_now() -> None:
    assert history.when_words("2026-11-23T09:12:00+00:00", NOW) == "today 09:12"
    assert history.when_words("2026-11-22T18:40:00+00:00", NOW) == "yesterday 18:40"
    assert history.when_words("2026-11-19T08:05:00+00:00", NOW) == "Thu 08:05"
    assert history.when_words("2026-03-02T08:05:00+00:00", NOW) == "2 Mar 08:05"
    assert history.when_words("2025-03-02T08:05:00+00:00", NOW) == "2 Mar 2025"
    assert history.when_words("", NOW) == "—"


def test_filter_sort_status_and_branch_links(play) -> None:
    strong, unfinished, weak = play(0, 0), play(0), play(0, 1)
    summaries = list_sessions()
    by_path = {s.path: s for s in summaries}
    assert history.status_words(by_path[unfinished]) == "unfinished · 1 decision"
    assert history.status_words(by_path[strong]) == "finished"
    assert (by_path[strong].overall, by_path[weak].overall) == (100, 60)
    assert [s.overall for s in history.view(summaries, sort="score")] == [100, 60, None]
    assert history.view(summaries, sort="oldest") == history.view(summaries)[::-1]
    assert history.view(summaries, scenario="nothing") == []
    assert [(c.scenario, c.sessions) for c in history.scenarios_of(summaries)] == [("minimal", 3)]

    branch = rewind(read_session(strong), 1, 1)
    branch.close()
    summaries = list_sessions()
    by_id = {s.id: s for s in summaries}
    child = by_id[branch.session_id]
    words = history.branch_words(child, by_id, NOW)
    assert words == "↳ branched at decision 2 from the session of today 09:01"
    assert history.branches_of(by_id[read_session(strong).id], summaries) == [child]
    delete_session(strong)
    by_id = {s.id: s for s in list_sessions()}
    assert history.branch_words(by_id[branch.session_id], by_id, NOW) == "↳ branched at decision 2 from a session since deleted"


def test_the_index_matches_reading_every_log_and_follows_changes(play) -> None:
    paths = [play(0, 0), play(0), play(1, seed=1)]
    first = list_sessions()
    assert summaries_index_path().is_file()
    again = list_sessions()
    fresh = [summarize(p) for p in sorted(paths, key=lambda p: p.name, reverse=True)]
    assert [_plain(s) for s in again] == [_plain(s) for s in first] == [_plain(s) for s in fresh]
    assert all(s._record is None for s in again)  # served from the index, without reading the logs
    assert again[0].record is not None  # ...which are read when asked for

    # A log that grows (a resumed session) is read again; a deleted one drops out.
    unfinished = paths[1]
    with open(unfinished, "ab") as handle:
        handle.write(b'{"event":"choi')
    changed = {s.path: s for s in list_sessions()}
    assert changed[unfinished].problems and "cut off" in changed[unfinished].problems[0]
    delete_session(paths[0])
    assert not paths[0].exists()
    assert {s.path for s in list_sessions()} == {paths[1], paths[2]}
    delete_session(paths[0])  # already gone: nothing to do


def test_a_damaged_index_is_only_a_missing_cache(play) -> None:
    play(0, 0)
    list_sessions()
    summaries_index_path().write_bytes(b"\x93garbage")
    [summary] = list_sessions()
    assert summary.finished and summary.overall == 100


def test_an_unreadable_log_is_listed_with_what_is_wrong(coach_home: Path, play) -> None:
    play(0, 0)
    broken = coach_home / "data" / "sessions" / "zzz-broken.jsonl"
    broken.write_text("not a session\n")
    for _ in range(2):  # from the logs, then from the index
        summary = next(s for s in list_sessions() if s.path == broken)
        assert not summary.readable and summary.record is None
        assert history.status_words(summary) == "unreadable" and summary.problems


def test_a_criterion_over_time_with_the_sessions_behind_each_point(play) -> None:
    play(0, 0)
    play(0)
    play(0, 1)
    points = progress.criterion_timeline(list_sessions(), "failure")
    assert [p.score for p in points] == [100, 0]  # oldest first; the unfinished session has no score
    assert all(p.summary.finished for p in points)
    assert progress.criterion_timeline(list_sessions(), "evaluation") == []


def test_branch_links_survive_the_index(play) -> None:
    strong = read_session(play(0, 0))
    rewind(strong, 1, 1).close()
    list_sessions()
    linked = [s for s in list_sessions() if s.branched_from]
    assert [s.branched_from for s in linked] == [Branch(strong.id, 1)]


def _plain(summary) -> tuple:
    return (summary.path, summary.id, summary.time, summary.scenario, summary.title, summary.mode, summary.ending,
            summary.overall, summary.scores, summary.finished, summary.decisions, summary.branched_from,
            summary.problems, summary.readable)


def test_the_ending_title_is_logged_and_survives_the_index_and_older_logs_fall_back(play) -> None:
    finished = play(0, 0)
    assert read_session(finished).end.title == "Contained"
    assert summarize(finished).ending_title == "Contained"
    list_sessions()  # writes the index
    [from_index] = [s for s in list_sessions() if s.path == finished]
    assert from_index.ending_title == "Contained" and from_index._record is None
    older = finished.with_name("older.jsonl")
    older.write_text(finished.read_text("utf-8").replace(',"title":"Contained"', ""), "utf-8")
    assert summarize(older).ending == "contained" and summarize(older).ending_title is None


def test_a_summary_from_the_index_equals_one_read_from_its_log_in_every_field(play) -> None:
    # SessionSummary is declared once and indexed as it is, so every field (reflexes and
    # reflection included, which _plain leaves out) comes back; equality compares all of them.
    paths = [play(0, 0), play(1, seed=3), play(0)]
    list_sessions()  # writes the index
    from_index = list_sessions()
    assert all(s._record is None for s in from_index)
    assert from_index == [summarize(p) for p in sorted(paths, key=lambda p: p.name, reverse=True)]


def test_the_first_page_comes_from_the_index_head_only_while_the_folder_and_the_head_are_unchanged(play, monkeypatch) -> None:
    from coach.sessions import store

    monkeypatch.setattr(store, "HEAD", 2)
    paths = [play(0, 0), play(0), play(0, 1), play(0, 0)]
    folder = paths[0].parent

    def settle() -> None:  # the folder last changed a minute ago
        stamp = time.time_ns() - 60 * 10**9
        os.utime(folder, ns=(stamp, stamp))

    assert store.first_page() is None  # no index yet
    list_sessions()  # the folder changed just now: a log added in the same tick would not show
    assert store.first_page() is None
    settle()
    everything = list_sessions()  # unchanged, but the folder has settled: the head is written
    page = store.first_page()
    assert page is not None and (page.rows, page.total, page.finished) == (2, 4, 3)
    assert history.view(page.sessions)[:2] == history.view(everything)[:2]
    assert all(s._record is None for s in page.sessions)
    newest = history.view(everything)[0].path
    os.utime(newest, ns=(1, 1))  # a file of the head changed
    assert store.first_page() is None
    list_sessions()
    assert store.first_page() is not None
    extra = paths[0].with_name("2000-01-01-extra.jsonl")
    extra.write_bytes(paths[0].read_bytes())  # a file the index does not list
    settle()  # even with the folder's time in the past, it is not the time the head was written at
    assert store.first_page() is None
    list_sessions()
    assert store.first_page() is not None
    extra.unlink()
    settle()
    assert store.first_page() is None
    for path in paths[1:]:
        path.unlink()
    list_sessions()  # a short history: listed whole, no head kept
    assert not store.summaries_head_path().exists() and store.first_page() is None