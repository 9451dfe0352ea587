"""Session logs are data, not instructions: a collected log may come from anyone."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coach.cli import main
from coach.sessions import store
from coach.analysis import saved as analyses
from coach.sessions.log import SessionWriter, is_sha256, read_session
from coach.sessions.replay import open_replay


def rewrite_start(path: Path, **fields) -> None:
    lines = path.read_text().splitlines()
    start = json.loads(lines[0])
    start.update(fields)
    path.write_text("\n".join([json.dumps(start), *lines[1:]]) + "\n")


def test_a_hash_that_is_not_a_sha256_is_never_a_path(play, tmp_path: Path, coach_home: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    for bad in (f"../../../../../{outside}/x", "a\x00b", "A" * 64, "0" * 63):
        session = play(0, 0)
        rewrite_start(session, sha256=bad)
        record = read_session(session)
        assert record.start is not None and record.start.sha256 == ""
        assert any("not a SHA-256" in problem for problem in record.problems)
        for args in (["report", str(session)], ["report", "--format", "csv", str(session)], ["replay", str(session)]):
            result = CliRunner().invoke(main, args, catch_exceptions=False)
            assert "Traceback" not in result.output
    assert list(outside.iterdir()) == []
    assert not is_sha256("../x") and is_sha256("0" * 64)
    assert store.load_kept("../../etc/passwd") is None and analyses.load("../x") is None
    assert store.keep_scenario(b"x", "../../x") is not None  # refused with a sentence


def test_an_event_after_the_end_is_reported_not_obeyed(play) -> None:
    session = play(0, 0)
    assert read_session(session).finished
    with session.open("a") as out:
        out.write(json.dumps({"event": "choice", "scene": "review", "choice": 1, "text": "Move on", "time": "x"}) + "\n")
    record = read_session(session)
    assert record.finished
    assert any("after the end" in problem and "stays finished" in problem for problem in record.problems)
    replay = open_replay(session)
    assert replay.finished and any("after the end" in problem for problem in replay.problems)


def test_resume_keeps_a_complete_last_event_without_its_newline(play) -> None:
    session = play(0)
    data = session.read_bytes()
    session.write_bytes(data.rstrip(b"\n"))
    before = len(read_session(session).events)
    writer = SessionWriter.reopen(session)
    writer.close()
    assert session.read_bytes() == data  # the newline restored, the event kept
    assert len(read_session(session).events) == before


def test_resume_cuts_a_truly_torn_event(play) -> None:
    session = play(0)
    data = session.read_bytes()
    session.write_bytes(data + b'{"event": "choice", "sce')
    SessionWriter.reopen(session).close()
    assert session.read_bytes() == data


def test_a_fifo_among_collected_logs_does_not_hang_a_report(play, tmp_path: Path) -> None:
    import os

    folder = tmp_path / "cohort" / "ana"
    folder.mkdir(parents=True)
    session = play(0, 0)
    (folder / session.name).write_bytes(session.read_bytes())
    os.mkfifo(folder / "zz-pipe.jsonl")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "cohort")], catch_exceptions=False)
    assert "# Debrief: Minimal" in result.output  # the report is made; the pipe is never waited on
