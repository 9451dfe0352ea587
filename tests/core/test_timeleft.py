"""The time left on a timed decision in the session log: read back, clamped, bounded, and absent
from old logs (coach.sessions.timeleft)."""

from __future__ import annotations

import math

from hypothesis import given, strategies as st

from coach.config.library import resolve
from coach.sessions.log import Clock, read_session
from coach.sessions.playthrough import Playthrough
from coach.sessions.timeleft import MAX_PER_DECISION, clamp, time_left
from tui_helpers import QUIET, TUI_DATA

TIMED_LONG = TUI_DATA / "timed-long.toml"


def started(path=TIMED_LONG) -> Playthrough:
    return Playthrough.new(resolve(str(path)), seed=1)


def test_a_resume_continues_from_the_last_clock_written() -> None:
    play = started()
    play.record_clock(80)
    play.record_clock(66.4)
    play.close()
    record = read_session(play.writer.path)
    assert [type(e).__name__ for e in record.events] == []  # a clock is not a decision
    assert Playthrough.resume(record).resumed_left.seconds == 66.4


def test_an_old_log_without_clock_events_starts_the_countdown_in_full() -> None:
    play = started()
    play.close()
    assert Playthrough.resume(read_session(play.writer.path)).resumed_left is None


def test_a_clock_belongs_to_the_decision_it_was_written_for() -> None:
    play = started()
    play.record_clock(40)
    play.choose(0, seconds=50)  # on to the untimed scene: the 40 s were the first decision's
    play.close()
    record = read_session(play.writer.path)
    assert record.clock is None
    assert Playthrough.resume(record).resumed_left is None


def test_an_untimed_scene_writes_no_clock() -> None:
    play = started(QUIET)
    play.record_clock(10)
    play.close()
    assert '"clock"' not in play.writer.path.read_text()


def test_a_clock_for_another_scene_or_step_is_ignored() -> None:
    play = started()
    play.close()
    path = play.writer.path
    with path.open("a") as out:
        out.write('{"event":"clock","scene":"after","step":0,"left":3.0,"time":"t"}\n')
    assert time_left(read_session(path), "hurry", 90) is None
    with path.open("a") as out:
        out.write('{"event":"clock","scene":"hurry","step":4,"left":3.0,"time":"t"}\n')
    assert time_left(read_session(path), "hurry", 90) is None


def test_clock_writes_are_bounded_per_decision_but_leaving_always_writes() -> None:
    play = started()
    for _ in range(MAX_PER_DECISION + 50):
        play.record_clock(60)
    play.record_clock(12, leaving=True)
    play.close()
    lines = [line for line in play.writer.path.read_text().splitlines() if '"clock"' in line]
    assert len(lines) == MAX_PER_DECISION + 1
    assert read_session(play.writer.path).clock == Clock(scene="hurry", step=0, left=12.0, time=read_session(play.writer.path).clock.time)


@given(st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=1, max_value=3600))
def test_the_time_left_is_never_more_than_the_limit_nor_below_zero(seconds: float, limit: int) -> None:
    left = clamp(seconds, limit)
    assert 0.0 <= left <= limit
    if math.isfinite(seconds) and 0 <= seconds <= limit:
        assert left == seconds
