"""Resuming any unfinished session (from the briefing and the history), the time left on a timed
decision kept across leaving and kill -9, coach mode's pause, and a timed scene at 80 x 24."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.config.library import resolve
from coach.sessions.log import read_session
from coach.sessions.playthrough import Playthrough
from coach.sessions.store import session_files
from coach.tui.app import make_app
from coach.tui.screens.briefing import BriefingScreen
from coach.tui.screens.history import HistoryScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.play import PlayScreen
from coach.tui.screens.resuming import ResumePicker
from coach.tui.widgets.countdown import Countdown
from tui_helpers import QUIET, TUI_DATA, FakeClock, app_for, library_of, notices, press_and_answer, screen_text, settle, wait_until


@pytest.fixture
def quick_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The countdown looks at its clock every 20 ms instead of 100, for the tests that move a fake
    clock and wait until the countdown has read it (`_advance`): they wait on ticks, and what a
    tick does depends only on the clock's reading, never on how often it comes. (On a real clock
    the quicker ticks would only keep Pilot from seeing the app idle.)"""
    monkeypatch.setattr("coach.tui.screens.play.TICK_SECONDS", 0.02)

TIMED_LONG = TUI_DATA / "timed-long.toml"


def footer(app) -> str:
    return screen_text(app).splitlines()[-1]


def numbered_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Session ids that sort by creation (two made in the same second would sort by their random tail)."""
    made = iter(range(1, 100))
    monkeypatch.setattr("coach.sessions.log.new_session_id",
                        lambda scenario: f"20260101-0000{next(made):02d}-{scenario}-aaaaaa")


def unfinished_session(path: Path, decisions: int, *, mode: str = "coach") -> str:
    playthrough = Playthrough.new(resolve(str(path)), seed=1, mode=mode)
    for _ in range(decisions):
        playthrough.choose(next(o.index for o in playthrough.options() if o.available), seconds=1)
    playthrough.close()
    assert not playthrough.finished
    return playthrough.session_id


# --- 1. resume any unfinished session ------------------------------------------------------------
async def test_the_briefing_offers_every_unfinished_session_and_resumes_the_chosen_one(monkeypatch) -> None:
    numbered_ids(monkeypatch)
    older = unfinished_session(QUIET, 1)
    newer = unfinished_session(QUIET, 0)
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        text = screen_text(app)
        assert "2 unfinished  r to pick one" in text
        lines = [line for line in text.splitlines() if "· coach" in line and "decision" in line]
        assert "0 decisions · coach" in lines[0] and "1 decision · coach" in lines[1]  # newest first
        assert "Resume" in footer(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ResumePicker)
        await pilot.press("down", "enter")  # the older one, not the newest the home banner offers
        await settle(pilot, 3)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.playthrough.session_id == older != newer
        assert screen.playthrough.state.scene == "contained"
        assert len(screen.playthrough.state.history) == 1


async def test_a_briefing_without_unfinished_sessions_offers_no_resume() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "unfinished" not in screen_text(app)
        assert "Resume" not in footer(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)


async def test_history_resumes_the_highlighted_unfinished_session(monkeypatch, tmp_path: Path) -> None:
    library_of(monkeypatch, tmp_path / "builtin", QUIET)
    numbered_ids(monkeypatch)
    older = unfinished_session(QUIET, 1)
    finished = Playthrough.new(resolve(str(QUIET)), seed=1)
    while not finished.finished:
        finished.choose(next(o.index for o in finished.options() if o.available), seconds=1)
    finished.close()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.selected.finished  # the newest row
        assert "Resume" not in footer(app)
        await pilot.press("r")  # does nothing on a finished row
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.selected.id == older
        assert "Resume" in footer(app)
        assert "r resumes it" in screen_text(app)
        await pilot.press("r")
        await settle(pilot, 3)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.playthrough.session_id == older
        assert screen.playthrough.state.scene == "contained"


# --- 2. the time left is kept across leaving and kill ----------------------------------------------
async def _start_timed(pilot, app) -> PlayScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, PlayScreen)
    return screen


async def _advance(pilot, clock: FakeClock, seconds: float) -> None:
    """Move the fake clock and wait until the countdown has looked at it twice."""
    clock.advance(seconds)
    reads = clock.reads
    await wait_until(pilot, lambda: clock.reads >= reads + 2, "the countdown to look at the clock")


async def _resume_from_home(app, pilot) -> PlayScreen:
    await pilot.press("r")
    await settle(pilot, 3)
    assert isinstance(app.screen, PlayScreen)
    return app.screen


async def test_leaving_keeps_the_time_left_and_the_resume_continues_it(monkeypatch, quick_ticks) -> None:
    clock = FakeClock()
    monkeypatch.setattr("coach.tui.screens.play.monotonic", clock)
    app = app_for(TIMED_LONG, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _start_timed(pilot, app)
        await _advance(pilot, clock, 24)
        assert screen.query_one(Countdown).remaining == 66
        await press_and_answer(pilot, "escape", "y")
        await settle(pilot, 3)
        assert isinstance(app.screen, HomeScreen)
        record = read_session(session_files()[0])
        assert record.clock is not None and record.clock.left == 66 and record.clock.step == 0
        assert not [e for e in record.events if type(e).__name__ == "Clock"]  # beside the events, not a decision
        screen = await _resume_from_home(app, pilot)
        assert screen.query_one(Countdown).remaining == 66  # not a fresh 1:30
        assert "1:06 to decide" in screen_text(app)
        await _advance(pilot, clock, 6)
        assert screen.query_one(Countdown).remaining == 60
        await pilot.press("1", "s")
        await settle(pilot)
    choice = read_session(session_files()[0]).decisions[0]
    assert choice.seconds == 30  # the seconds taken count the time before leaving


async def test_a_kill_loses_at_most_a_few_seconds_in_exam_mode(monkeypatch, quick_ticks) -> None:
    clock = FakeClock()
    monkeypatch.setattr("coach.tui.screens.play.monotonic", clock)
    app = app_for(TIMED_LONG, seed=1, mode="exam")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _start_timed(pilot, app)
        assert screen.playthrough.mode == "exam"
        for _ in range(24):  # 24 s, a second at a time
            await _advance(pilot, clock, 1)
        # Read the log while the app still runs: exactly what a kill -9 now would leave on disk.
        record = read_session(session_files()[0])
        written = [e for e in session_files()[0].read_text().splitlines() if '"clock"' in e]
        assert len(written) == 4  # one every 5 s: bounded, not one per tick
    assert record.clock is not None and 66 <= record.clock.left <= 66 + 5
    left = record.clock.left
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await _resume_from_home(app, pilot)
        assert screen.playthrough.mode == "exam"
        assert screen.query_one(Countdown).remaining == left


async def test_a_log_claiming_more_than_the_limit_is_clamped(monkeypatch, quick_ticks) -> None:
    session = unfinished_session(TIMED_LONG, 0)
    path = next(p for p in session_files() if p.stem == session)
    with path.open("a") as out:
        out.write('{"event":"clock","scene":"hurry","step":0,"left":5000.0,"time":"2026-01-01T00:00:00+00:00"}\n')
    clock = FakeClock()
    monkeypatch.setattr("coach.tui.screens.play.monotonic", clock)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await _resume_from_home(app, pilot)
        assert screen.query_one(Countdown).remaining == 90


# --- 3. pause, coach mode only -----------------------------------------------------------------
async def test_coach_mode_pauses_the_countdown_and_the_log_records_it(monkeypatch, quick_ticks) -> None:
    clock = FakeClock()
    monkeypatch.setattr("coach.tui.screens.play.monotonic", clock)
    app = app_for(TIMED_LONG, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _start_timed(pilot, app)
        assert "Pause" in footer(app)
        await _advance(pilot, clock, 10)
        await pilot.press("p")
        await settle(pilot)
        text = screen_text(app)
        assert "Paused — p to resume" in text
        assert "Roll back" in text and "The pager is ringing" in text  # nothing else is hidden
        clock.advance(600)  # ten minutes away: the clock does not move, nothing times out
        await settle(pilot, 3)
        countdown = screen.query_one(Countdown)
        assert countdown.remaining == 80 and screen.phase == "scene"
        await pilot.press("1", "enter")  # no choice is taken while paused, by number or by Enter
        await settle(pilot)
        assert any("press p to resume it" in notice for notice in notices(app))
        assert screen.phase == "scene" and not screen.playthrough.state.history
        record = read_session(session_files()[0])
        assert record.clock is not None and record.clock.paused and record.clock.left == 80
        await pilot.press("p")
        await settle(pilot)
        assert "Paused" not in screen_text(app)
        await _advance(pilot, clock, 5)
        assert countdown.remaining == 75
        await pilot.press("1", "s")
        await settle(pilot)
        assert len(screen.playthrough.state.history) == 1
    events = [line for line in session_files()[0].read_text().splitlines() if '"clock"' in line]
    assert any('"paused":true' in line for line in events)
    assert read_session(session_files()[0]).decisions[0].seconds == 15  # the pause is not time spent deciding


async def test_a_paused_session_killed_resumes_with_the_time_it_had(monkeypatch, quick_ticks) -> None:
    clock = FakeClock()
    monkeypatch.setattr("coach.tui.screens.play.monotonic", clock)
    app = app_for(TIMED_LONG, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await _start_timed(pilot, app)
        await _advance(pilot, clock, 12)
        await pilot.press("p")
        await settle(pilot)
        clock.advance(300)
        await settle(pilot)
    app = make_app()  # the first app ended without leaving: as after a kill
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = await _resume_from_home(app, pilot)
        assert screen.query_one(Countdown).remaining == 78
        assert screen.paused and "Paused — p to resume" in screen_text(app)


async def test_exam_mode_never_pauses(monkeypatch, quick_ticks) -> None:
    clock = FakeClock()
    monkeypatch.setattr("coach.tui.screens.play.monotonic", clock)
    app = app_for(TIMED_LONG, seed=1, mode="exam")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _start_timed(pilot, app)
        assert "Pause" not in footer(app)
        await pilot.press("p")
        await settle(pilot)
        await _advance(pilot, clock, 10)
        assert "Paused" not in screen_text(app)
        assert screen.query_one(Countdown).remaining == 80 and not screen.paused


# --- 4. a timed scene at 80 x 24 reads first ----------------------------------------------------
def _words(text: str) -> list[str]:
    return re.sub(r"[*_`>#]", " ", text).split()


async def test_a_timed_scene_at_80x24_shows_its_whole_first_paragraph() -> None:
    scenario = resolve("bias-cv-screening").scenario
    scene = scenario.nodes[scenario.start]
    assert scene.time_limit is not None
    first = scene.text.strip().split("\n\n")[0]
    app = app_for("bias-cv-screening", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, 3)
        assert isinstance(app.screen, PlayScreen)
        shown = " ".join(screen_text(app).split())
        box = app.screen.query_one("#scene").content_region  # only what is inside the scene's box
        lines = screen_text(app).splitlines()[box.y:box.bottom]
        visible = " ".join(_words(" ".join(line[box.x:box.right] for line in lines)))
        assert " ".join(_words(first)) in visible, shown
        assert "Time left" in shown and "Your move" in shown
