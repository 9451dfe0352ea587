"""The practice loop by keys: how sure before the feedback, a hint that costs, the expert's choice
after a weak decision, and the debrief's question, saved and shown in replay, history and reports."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coach.cli import main
from coach.io.paths import settings_path
from coach.sessions.log import Choice, read_session
from coach.sessions.store import session_files
from coach.tui.screens.debrief import DebriefScreen
from coach.tui.screens.play import PlayScreen
from tui_helpers import app_for, finish_playing, screen_text, settle

PRACTICE = Path(__file__).resolve().parent.parent / "data" / "tui" / "practice.toml"


async def start(app, pilot) -> PlayScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, PlayScreen)
    return app.screen


async def test_coach_mode_asks_how_sure_before_the_feedback_and_the_debrief_shows_calibration() -> None:
    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        await pilot.press("2")  # retrain: a weak decision
        await settle(pilot)
        assert screen.phase == "confidence"
        text = screen_text(app)
        assert "How sure are you?" in text and "s sure" in text and "t think so" in text and "g guessing" in text
        assert "WHY IT MATTERS" not in text and "Retraining before you know the cause" not in text  # no feedback yet
        assert screen.playthrough.state.history == ()  # nothing decided until the answer
        await pilot.press("enter", "1")  # neither continues nor chooses again
        await settle(pilot)
        assert screen.phase == "confidence"
        await pilot.press("s")
        await settle(pilot)
        assert screen.phase == "feedback"
        text = screen_text(app)
        assert "Retraining before you know the cause" in text and "You were: sure" in text
        await pilot.press("enter", "1", "g")  # slice, the best choice: guessing
        await settle(pilot)
        await finish_playing(app, pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")  # skip the question
        await settle(pilot)
        text = screen_text(app)
        assert "HOW SURE YOU WERE" in text
        assert "Sure and wrong: 1 (decision 1, The queue is quiet): a reflex is entrenched" in text
        assert "Unsure and right: 1 (decision 2, The cause)" in text
    choices = [e for e in read_session(session_files()[0]).events if isinstance(e, Choice)]
    assert [c.confidence for c in choices] == ["sure", "guessing"]


async def test_exam_mode_and_the_setting_off_do_not_ask() -> None:
    app = app_for(PRACTICE, seed=1, mode="exam")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        await pilot.press("1")
        await settle(pilot)
        assert screen.phase == "scene" and len(screen.playthrough.state.history) == 1
        assert "How sure" not in screen_text(app)
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("confidence = false\n", "utf-8")
    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        await pilot.press("1")
        await settle(pilot)
        assert screen.phase == "feedback"
    events = [e for f in session_files() for e in read_session(f).events if isinstance(e, Choice)]
    assert events and all(e.confidence is None for e in events)


async def test_a_hint_says_its_price_first_then_shows_literally_and_costs_points() -> None:
    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        assert "h Hint" in screen_text(app)  # this scene has a hint: the footer offers it
        await pilot.press("h")
        await settle(pilot)
        text = screen_text(app)
        assert "A hint halves what this decision earns" in text and "Press h again to see it" in text
        assert "mitigate" not in text  # not yet
        await pilot.press("h")
        await settle(pilot)
        text = screen_text(app)
        assert "Precision is 84.0% now: [bold]mitigate[/bold] before you diagnose." in text  # rendered, literal
        await pilot.press("1", "s")  # the fallback, the best choice
        await settle(pilot)
        assert "Hint used: this decision's gains were halved." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "scene" and "h Hint" not in screen_text(app)  # the second scene has none
        await pilot.press("h")
        await settle(pilot)
        assert "A hint halves" not in screen_text(app)
        await finish_playing(app, pilot)
        assert isinstance(app.screen, DebriefScreen)
        debrief = app.screen.debrief
        assert debrief.path[0].hinted and debrief.overall < 100
        assert "(hint used)" in screen_text(app)
    record = read_session(session_files()[0])
    assert [c.hinted for c in record.decisions] == [True, False]
    assert record.end.overall == debrief.overall


async def test_exam_mode_offers_no_hint() -> None:
    app = app_for(PRACTICE, seed=1, mode="exam")
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        assert "h Hint" not in screen_text(app)
        await pilot.press("h", "h")
        await settle(pilot)
        assert "A hint halves" not in screen_text(app) and "mitigate" not in screen_text(app)


async def test_after_a_weak_decision_the_feedback_shows_the_experts_choice_and_why() -> None:
    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(app, pilot)
        await pilot.press("2", "s")  # retrain: weaker than the fallback open beside it
        await settle(pilot)
        text = screen_text(app)
        assert "WHAT THE EXPERT CHOSE HERE" in text
        assert "Switch to the keyword fallback" in text and "Mitigate first: the fallback stops the harm" in text
        await pilot.press("enter", "1", "s")  # slice: the best choice, nothing to add
        await settle(pilot)
        assert screen.phase == "feedback"
        assert "WHAT THE EXPERT CHOSE HERE" not in screen_text(app)


async def test_the_debriefs_question_is_saved_and_shown_in_replay_history_and_reports() -> None:
    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await finish_playing(app, pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert "What will you do differently next time?" in screen_text(app)
        assert "Esc skips" in screen_text(app)
        await pilot.press(*"Slice first", "enter")
        await settle(pilot)
        assert "Your answer: Slice first  (saved)" in screen_text(app)
        await pilot.press("e")  # the debrief's keys work again: export
        await settle(pilot)
        from coach.tui.screens.dialogs import ExportScreen

        assert isinstance(app.screen, ExportScreen)
    [path] = session_files()
    record = read_session(path)
    assert record.reflection == "Slice first" and record.finished and not record.problems

    from coach.tui.screens.replay import ReplayScreen

    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ReplayScreen(path, at=len(record.decisions)))  # the end: the verdict
        await settle(pilot, 3)
        assert "Next time: Slice first" in screen_text(app)
    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.navigator.open_history()
        await settle(pilot, 3)
        assert "Next time: Slice first" in screen_text(app)

    printed = CliRunner().invoke(main, ["history"])
    assert printed.exit_code == 0 and "next time: Slice first" in printed.output
    report = CliRunner().invoke(main, ["report", str(path)])
    assert report.exit_code == 0 and "## Reflection" in report.output and "> Slice first" in report.output


async def test_escape_skips_the_question_and_writes_nothing() -> None:
    app = app_for(PRACTICE, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await finish_playing(app, pilot)
        size = session_files()[0].stat().st_size
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)  # escape skipped, it did not leave
        assert "Skipped: nothing was saved." in screen_text(app)
        assert session_files()[0].stat().st_size == size
        await pilot.press("escape")  # now the debrief's own escape: the library
        await settle(pilot)
        assert not isinstance(app.screen, DebriefScreen)
