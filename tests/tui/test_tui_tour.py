"""The first-run tour: shown once over the home screen, paged by keys, skippable, offered again on t."""

from __future__ import annotations

from pathlib import Path

from coach.io.paths import data_dir
from coach.tui.app import make_app
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.tour import PAGES, TourScreen
from tui_helpers import screen_text, settle, wait_until


async def test_the_tour_opens_on_a_first_run_pages_through_and_is_not_shown_again(coach_home: Path) -> None:
    (data_dir() / "welcomed").unlink()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, TourScreen), "the tour")
        await settle(pilot)
        assert "Welcome to coach" in screen_text(app) and "1 of 4" in screen_text(app)
        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        assert "Playing a scenario" in text and "choose by number" in text and "the glossary" in text
        await pilot.press("left")
        await settle(pilot)
        assert "Welcome to coach" in screen_text(app)
        for _ in PAGES:
            await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the library after the tour")
    assert (data_dir() / "welcomed").exists()
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, HomeScreen)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(again.screen, TourScreen), "the tour on request")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(again.screen, HomeScreen), "skipped")
