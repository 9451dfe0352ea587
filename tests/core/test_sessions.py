"""Session logs survive crashes, refuse what they cannot read, and never collide."""

from __future__ import annotations

import shutil

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.scenario.loader import load_scenario
from coach.sessions.log import SessionError, read_session
from coach.sessions.playthrough import Playthrough, rebuild
from coach.sessions.store import find_session, kept_scenario_path, last_session, list_sessions

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_sigkill_after_first_choice_leaves_a_resumable_session(coach_home: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "simulate", str(MINIMAL), "--choices", "-", "--seed", "5"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy(),
    )
    sessions = coach_home / "data" / "sessions"
    process.stdin.write(b"rollback\n")
    process.stdin.flush()
    _wait_for(lambda: any("choice" in p.read_text() for p in sessions.glob("*.jsonl")))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    [path] = sessions.glob("*.jsonl")

    record = read_session(path)
    assert [type(e).__name__ for e in record.events] == ["Choice"]
    assert not record.finished and not record.problems
    [summary] = list_sessions()
    assert not summary.finished and summary.decisions == 1

    play = Playthrough.resume(record)
    assert play.state.scene == "review"  # rollback -> triage routes on to review
    play.choose(0)
    play.close()
    assert play.finished and play.state.ending == "contained"
    kinds = [e["event"] for e in _events(path)]
    assert kinds == ["start", "choice", "choice", "end"]


def test_torn_last_line_is_ignored_with_a_warning_and_cut_on_resume() -> None:
    play = Playthrough.new(load_scenario(MINIMAL), seed=1)
    play.choose(0)
    play.close()
    path = play.writer.path
    with open(path, "ab") as handle:
        handle.write(b'{"event":"choice","scene":"rev')  # the crash happened mid-write

    record = read_session(path)
    assert len(record.decisions) == 1
    assert record.problems and "cut off" in record.problems[0]
    assert list_sessions()[0].problems

    resumed = Playthrough.resume(record)
    resumed.choose(0)
    resumed.close()
    clean = read_session(path)
    assert clean.problems == [] and clean.finished
    assert [e["event"] for e in _events(path)] == ["start", "choice", "choice", "end"]


def test_damaged_middle_line_is_skipped_not_fatal() -> None:
    play = Playthrough.new(load_scenario(MINIMAL), seed=1)
    play.choose(0)
    play.close()
    lines = play.writer.path.read_text().splitlines()
    lines.insert(1, "not json at all")
    play.writer.path.write_text("\n".join(lines) + "\n")
    record = read_session(play.writer.path)
    assert len(record.decisions) == 1
    assert any("damaged" in p for p in record.problems)


def test_log_from_a_newer_version_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "future.jsonl"
    path.write_text(json.dumps({"event": "start", "session": "x", "scenario": "s", "title": "t", "sha256": "0" * 64,
                                "seed": 1, "mode": "coach", "version": "9.0.0", "time": "2030-01-01T00:00:00",
                                "log_format": 7, "hologram": True}) + "\n")
    with pytest.raises(SessionError, match="coach 9.0.0 .*log format 7.*Upgrade coach"):
        read_session(path)
    assert path.exists()  # nothing is deleted


def test_not_a_session_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text('{"hello": 1}\n')
    with pytest.raises(SessionError):
        read_session(path)


def test_replay_uses_the_kept_version_after_the_file_is_edited(tmp_path: Path) -> None:
    scenario_file = tmp_path / "s.toml"
    scenario_file.write_text(MINIMAL.read_text())
    play = Playthrough.new(load_scenario(scenario_file), seed=1)
    play.choose(0)
    play.choose(0)
    play.close()
    scenario_file.write_text(MINIMAL.read_text().replace('title = "The review"', 'title = "Renamed"'))
    scenario_file.unlink()
    scenario, state = rebuild(read_session(play.writer.path))
    assert scenario.nodes["review"].title == "The review"
    assert state == play.state


def test_missing_kept_scenario_is_a_clear_error() -> None:
    play = Playthrough.new(load_scenario(MINIMAL), seed=1)
    play.choose(0)
    play.close()
    kept_scenario_path(play.sha256).unlink()
    with pytest.raises(SessionError, match="no longer kept"):
        rebuild(read_session(play.writer.path))


def test_two_processes_never_overwrite_each_other(coach_home: Path) -> None:
    script = (
        "import sys\n"
        "from coach.scenario.loader import load_scenario\n"
        "from coach.sessions.playthrough import Playthrough\n"
        f"loaded = load_scenario({str(MINIMAL)!r})\n"
        "for i in range(25):\n"
        "    p = Playthrough.new(loaded, seed=i)\n"
        "    p.choose(0); p.choose(0); p.close()\n"
    )
    workers = [subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy()) for _ in range(2)]
    assert all(w.wait(timeout=120) == 0 for w in workers)
    files = sorted((coach_home / "data" / "sessions").glob("*.jsonl"))
    assert len(files) == 50
    for path in files:
        record = read_session(path)
        assert record.finished and not record.problems
        assert record.start.session == path.stem


def test_unwritable_data_folder_keeps_play_going(coach_home: Path) -> None:
    shutil.rmtree(coach_home / "data")  # the fixture's first-run marker lives there
    (coach_home / "data").write_text("a file where the data folder should be")
    play = Playthrough.new(load_scenario(MINIMAL), seed=1)
    assert not play.saving
    assert any("not being saved" in n for n in play.notices)
    play.choose(0)
    play.choose(0)
    assert play.finished


def test_find_session_by_id_prefix_and_last() -> None:
    play = Playthrough.new(load_scenario(MINIMAL), seed=1)
    play.close()
    assert find_session(play.session_id) == play.writer.path
    assert find_session(play.session_id[:20]) == play.writer.path
    assert last_session() == play.writer.path
    with pytest.raises(SessionError, match="no session matches"):
        find_session("zzz-nothing")


def test_when_every_decision_was_the_best_open_none_is_called_least_strong() -> None:
    # "Least strong" is the decision that cost the most against the best open alternative; the
    # expert path's decisions cost nothing, so the debrief names no weakest decision at all.
    from coach.reporting.reports import debrief_markdown

    loaded = load_scenario(Path(__file__).parent.parent / "data" / "good" / "minimal.toml")
    good = Playthrough.new(loaded, seed=1, save=False)
    good.choose(0)
    good.choose(0)
    debrief = good.debrief()
    assert debrief.worst is None and debrief.overall == 100
    text = debrief_markdown(debrief, loaded.scenario)
    assert "## Best decision" in text
    assert "Least strong" not in text and "Weakest" not in text
