"""80 x 24 keeps everything usable; smaller says the size it needs instead of drawing garbage."""

from __future__ import annotations

from coach.tui.screens.debrief import DebriefScreen
from coach.tui.screens.play import PlayScreen
from coach.tui.widgets.chrome import SizeGuard
from tui_helpers import QUIET, app_for, finish_playing, screen_text, settle


def inside(app, widget) -> bool:
    return app.screen.region.contains_region(widget.region) and widget.region.area > 0


async def test_resizing_to_80_by_24_keeps_play_usable() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot, 3)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert not screen.too_small and screen.has_class("-narrow")
        for selector in ("#scene", "#choices", "#dashboard", "TitleBar", "KeyBar"):
            assert inside(app, screen.query_one(selector)), selector
        text = screen_text(app)
        assert "Your move" in text and "Dashboard" in text and "Routing accuracy" in text
        assert "1  Switch refunds to the keyword rules" in text
        assert "4  Wait for the weekly quality review" in text  # every choice fits
        await pilot.press("1", "enter", "1", "enter")
        await settle(pilot)
        await finish_playing(app, pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert "CRITERIA" in screen_text(app)


async def test_a_terminal_too_small_says_what_it_needs_and_keys_wait() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.resize_terminal(70, 20)
        await settle(pilot, 3)
        screen = app.screen
        assert screen.too_small
        text = screen_text(app)
        assert "coach needs a terminal of at least 80 × 24" in text
        assert "This one is 70 × 20" in text
        assert "Your move" not in text
        assert screen.query_one(SizeGuard).display
        await pilot.press("1")  # nothing is chosen blind
        await settle(pilot)
        assert screen.playthrough.state.history == ()
        await pilot.resize_terminal(80, 24)
        await settle(pilot, 3)
        assert not screen.too_small
        assert "Your move" in screen_text(app)
        await pilot.press("1", "s")
        await settle(pilot)
        assert len(screen.playthrough.state.history) == 1


async def test_home_and_briefing_fit_80_by_24() -> None:
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "What will be scored" in text and "Start" in text and "m to switch" in text
        await pilot.press("escape")
        await settle(pilot, 3)
        text = screen_text(app)
        assert "Scenarios" in text and "Your progress" in text
        assert "Best" in text  # the table's columns shrink to fit


async def test_the_briefing_of_a_scenario_with_many_criteria_keeps_mode_and_start_on_screen_at_80_by_24() -> None:
    from coach.config.library import resolve

    scenario = resolve("requirements-with-ml").scenario
    assert scenario is not None and len(scenario.criteria) == 8  # "What will be scored" alone is 8 lines
    app = app_for("requirements-with-ml", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 3)
        screen = app.screen
        for selector in ("#mode-box", "#start"):
            assert inside(app, screen.query_one(selector)), selector
        text = screen_text(app)
        assert "Start" in text and "Coach" in text and "Exam" in text and "m to switch" in text
        await pilot.click("#start")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)


async def test_briefing_prose_keeps_a_readable_measure_on_a_wide_terminal() -> None:
    app = app_for("requirements-with-ml", seed=1)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot, 3)
        text = app.screen.query_one("#briefing-text")
        assert 60 <= text.region.width <= 92, text.region
