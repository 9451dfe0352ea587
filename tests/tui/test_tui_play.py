"""Playing by keys: the built-in drift scenario to its debrief, coach and exam mode, the clock,
leaving and resuming, and what the session log records."""

from __future__ import annotations

from pathlib import Path

from coach.config.library import resolve
from coach.sessions.log import Choice, End, Start, Timeout, read_session
from coach.sessions.playthrough import Playthrough
from coach.sessions.store import session_files
from coach.tui.screens.briefing import BriefingScreen
from coach.tui.screens.debrief import DebriefScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.play import PlayScreen
from coach.tui.widgets.choices import ChoiceList
from coach.tui.widgets.countdown import Countdown
from tui_helpers import QUIET, TIMED, FakeClock, app_for, finish_playing, play_to_debrief, press_and_answer, screen_text, settle, wait_until


async def test_precision_cliff_played_to_its_debrief_by_keys() -> None:
    loaded = resolve("precision-cliff")
    scenario = loaded.scenario
    assert scenario is not None
    app = app_for("precision-cliff", seed=3)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        text = screen_text(app)
        assert scenario.title in text
        assert "What will be scored" in text
        assert scenario.role in text

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        first_scene = scenario.nodes[scenario.start]
        assert (first_scene.title or first_scene.id) in screen_text(app)
        assert "Dashboard" in screen_text(app)

        # Content edits must not break this: always take the first available choice.
        taken = await finish_playing(app, pilot)
        assert isinstance(app.screen, DebriefScreen)
        debrief = app.screen.debrief
        text = screen_text(app)
        assert f"{debrief.overall}% overall" in text
        assert "CRITERIA" in text
        assert debrief.ending_title and debrief.ending_title in text

    files = session_files()
    assert len(files) == 1
    record = read_session(files[0])
    assert isinstance(record.start, Start)
    assert record.start.scenario == "precision-cliff"
    assert record.start.seed == 3
    assert record.start.mode == scenario.mode
    choices = [e for e in record.events if isinstance(e, Choice)]
    assert [c.choice for c in choices] == taken
    end = record.end
    assert isinstance(end, End)
    assert end.overall == debrief.overall
    assert end.ending == debrief.ending


async def test_coach_mode_shows_feedback_and_exam_mode_does_not() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "◉ Coach" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")  # retrain tonight: a reflex
        await settle(pilot)
        screen = app.screen
        assert screen.phase == "confidence"  # coach mode asks how sure first
        await pilot.press("g")
        await settle(pilot)
        assert screen.phase == "feedback"
        text = screen_text(app)
        assert "YOU CHOSE" in text and "Retrain the classifier on this week's tickets tonight" in text
        assert "Retraining before you know what broke" in text  # the choice's feedback
        assert "▼ -2  Mitigate, then diagnose" in text  # criteria moved, with a symbol
        assert "Reflex shown" in text and "Retrain it tonight" in text
        assert "▲ +400 · worse" in text  # the dashboard's change, in words

    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("m")  # switch to exam mode on the briefing
        await settle(pilot)
        assert "◉ Exam" in screen_text(app)
        taken = await play_to_debrief(app, pilot, pick=lambda options: options[1])
        assert isinstance(app.screen, DebriefScreen)
        assert len(taken) == 2
    # Both sessions may start in the same second, where names sort by their random part.
    assert sorted(read_session(path).start.mode for path in session_files()) == ["coach", "exam"]


async def test_the_briefing_mode_lines_follow_the_mouse_and_a_click_picks_one() -> None:
    """The two modes are one widget drawn a line each: the line under the mouse is lit, and a
    click on a line starts the session in its mode."""
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        app.theme = "textual-dark"  # its $boost, the hover colour, is not transparent as coach's themes' is
        await settle(pilot)
        box = app.screen.query_one("#mode-box")

        def background(line: int) -> tuple[str, set[object]]:
            """The text and backgrounds of a mode's line as drawn on screen, inside the border."""
            region = box.region
            strip = app.screen._compositor.render_strips()[region.y + 1 + line].crop(region.x + 2, region.right - 2)
            return strip.text, {segment.style.bgcolor for segment in strip if segment.style}

        plain_exam = background(1)
        await pilot.hover("#mode-box", offset=(6, 2))  # the exam line
        await pilot.pause()
        assert plain_exam[0].startswith("○ Exam")
        assert background(1)[0] == plain_exam[0] and background(1)[1] != plain_exam[1]
        assert background(0)[1] == plain_exam[1]  # the coach line stays as it was
        await pilot.click("#mode-box", offset=(6, 2))
        await settle(pilot)
        assert app.screen.mode == "exam" and "◉ Exam" in screen_text(app) and "○ Coach" in screen_text(app)
        await pilot.click("#mode-box", offset=(6, 1))  # and back
        await settle(pilot)
        assert app.screen.mode == "coach"
        await pilot.click("#mode-box", offset=(6, 2))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    record = read_session(session_files()[0])
    assert record.start.mode == "exam"


async def test_arrows_and_enter_choose_and_locked_choices_cannot_be_taken() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        text = screen_text(app)
        assert "✕ locked · Available only when Routing accuracy is above 95.0%" in text
        await pilot.press("3")  # locked: nothing happens, the learner is told why
        await settle(pilot)
        assert screen.phase == "scene"
        assert len(screen.playthrough.state.history) == 0
        assert any("locked" in n.message for n in app._notifications)
        # Arrows skip the locked choice: down, down lands on 4.
        await pilot.press("down", "down")
        assert app.screen.query_one(ChoiceList).highlighted == 3
        await pilot.press("up")
        await pilot.press("enter", "s")
        await settle(pilot)
        assert screen.playthrough.state.history[0].choice == 1


async def test_clicking_a_choice_chooses_it() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        items = list(app.screen.query("ChoiceItem"))
        await pilot.click(items[1])
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.playthrough.state.history[0].choice == 1
        assert app.screen.phase == "feedback"


async def test_a_time_limited_scene_times_out(monkeypatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr("coach.tui.screens.play.monotonic", clock)  # the screen's only source of time
    app = app_for(TIMED, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "1 decision has a time limit" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Time left" in text and "0:01 to decide" in text
        screen = app.screen
        ticks = clock.reads
        await wait_until(pilot, lambda: clock.reads >= ticks + 3, "the countdown to look at the clock")
        countdown = screen.query_one(Countdown)
        assert screen.playthrough.state.ending is None and screen.phase == "scene"  # the clock has not moved
        assert countdown.remaining == 1.0  # the countdown shows the screen's clock, not the wall's
        clock.advance(0.9)
        await wait_until(pilot, lambda: clock.reads >= ticks + 6, "the countdown to look at the clock again")
        assert screen.playthrough.state.ending is None and screen.phase == "scene"
        assert abs(countdown.remaining - 0.1) < 1e-9  # 0.1 s left
        clock.advance(0.2)
        await wait_until(pilot, lambda: screen.phase != "scene", "the scene to time out")
        await settle(pilot)
        assert screen.playthrough.state.ending == "froze"
        assert "TIME RAN OUT" in screen_text(app)  # coach mode: the feedback says so
        await pilot.press("enter")
        await settle(pilot)
        assert "You froze" in screen_text(app)
    record = read_session(session_files()[0])
    assert [type(e) for e in record.events] == [Timeout, End]
    assert record.events[0].goto == "froze"


async def test_leaving_mid_scenario_asks_and_keeps_the_session_resumable() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1", "s", "enter")  # one decision (sure), then on to the next scene
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Your 1 decision is saved" in screen_text(app)
        await pilot.press("n")  # keep playing
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        await press_and_answer(pilot, "escape", "y")
        await settle(pilot, 3)
        assert isinstance(app.screen, HomeScreen)
        assert "Unfinished: The Quiet Regression · 1 decision in" in screen_text(app)

        record = read_session(session_files()[0])
        assert not record.finished and len(record.decisions) == 1
        await pilot.press("r")
        await settle(pilot, 3)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.playthrough.state.scene == "contained"
        assert "10:30 - the bleeding has stopped" in screen_text(app)
        await pilot.press("1", "s")
        await settle(pilot)
    record = read_session(session_files()[0])
    assert len(record.decisions) == 2  # the resumed session appends to the same log
    assert len(session_files()) == 1


async def test_quit_key_mid_scenario_asks_first() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1", "s")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Quit coach?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_code == 0
    record = read_session(session_files()[0])
    assert not record.finished
    assert Playthrough.resume(record).state.scene == "contained"


async def test_metrics_an_author_hides_stay_off_the_screen_until_the_replay() -> None:
    from coach.tui.app import make_app

    scenario = resolve("ai-pm-interview-loop").scenario
    hidden = [m.label for m in scenario.metrics.values() if not m.shown]
    assert hidden == ["Strong signals in the notes", "Red flags in the notes"]
    app = app_for("ai-pm-interview-loop", seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "1")
        await settle(pilot, 3)
        text = screen_text(app)
        assert "Panel confidence" in text
        assert not any(label in text for label in hidden)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # leave; the session stays resumable
        await settle(pilot)
    [session] = session_files()
    replay = make_app("replay", session=session)
    async with replay.run_test(size=(120, 36)) as pilot:
        await settle(pilot, 3)
        text = screen_text(replay)
        assert "Panel confidence" in text and all(label in text for label in hidden)


async def test_number_keys_press_what_is_on_screen_in_the_sessions_order() -> None:
    # Seed 0 shows minimal's first scene the other way round from the file: "wait" first.
    from coach.engine import order
    from coach.tui.widgets.choices import ChoiceItem

    minimal = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"
    app = app_for(minimal, seed=0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        scene = screen.playthrough.scenario.scenes[0]
        assert order.shown_order(screen.playthrough.scenario, scene, 0) == [1, 0]
        items = list(screen.query(ChoiceItem))
        assert [(item.option.number, item.option.choice.id) for item in items] == [(1, "wait"), (2, "rollback")]
        text = screen_text(app)
        assert text.index("Wait for Thursday's weekly review") < text.index("Roll back to last week's model")
        await pilot.press("1", "s")
        await settle(pilot)
        assert screen.playthrough.state.history[0].choice_id == "wait"
    [path] = session_files()
    [choice] = [e for e in read_session(path).events if isinstance(e, Choice)]
    assert choice.shown == [1, 0] and choice.choice == 1
