"""Flows through the navigator: a branch leaves every stacked screen for play, wherever the replay
was opened from; stacked screens come back to the one they were opened over; the resume banner's
click resumes, and leaving goes home."""

from __future__ import annotations

from textual.screen import Screen

from coach.scenario.loader import load_scenario
from coach.sessions.playthrough import Playthrough
from coach.tui.app import make_app
from coach.tui.screens.compare import CompareScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.play import PlayScreen
from coach.tui.screens.progress import ProgressScreen
from coach.tui.screens.replay import ReplayScreen
from tui_helpers import finish_playing, leave_debrief, settle

SIZE = (160, 48)


def stack(app) -> list[str]:
    """The app's screens, bottom first, less Textual's empty one (under a first screen that is
    not home, a briefing or the history)."""
    return [type(screen).__name__ for screen in app.screen_stack if type(screen) is not Screen]


async def _branch_here(app, pilot) -> PlayScreen:
    await pilot.press("right", "t")  # decision 2, the choice not taken
    await settle(pilot)
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    await settle(pilot, 3)
    assert isinstance(app.screen, PlayScreen)
    return app.screen


async def _leave_to_home(app, pilot) -> None:
    assert await finish_playing(app, pilot) == []  # the branch's choice ended it
    await leave_debrief(app, pilot)


async def test_a_branch_from_a_replay_over_a_comparison_leaves_all_of_it_for_play_and_home(play) -> None:
    play(0, 0)
    play(0, 1)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "down", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("2")
        await settle(pilot)
        assert stack(app) == ["HistoryScreen", "CompareScreen", "ReplayScreen"]
        played = await _branch_here(app, pilot)
        assert stack(app) == ["PlayScreen"]  # the history it all stacked on is replaced, nothing left over it
        assert played.playthrough.state.history  # the new choice was made on the play screen
        await _leave_to_home(app, pilot)
        assert stack(app) == ["HomeScreen"]


async def test_a_branch_from_a_replay_opened_from_the_profile_replaces_the_library(play) -> None:
    play(0, 1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        await pilot.press("enter", "enter")  # into the sessions behind the points, then the latest's replay
        await settle(pilot)
        assert stack(app) == ["HomeScreen", "ProgressScreen", "ReplayScreen"]
        await _branch_here(app, pilot)
        assert stack(app) == ["PlayScreen"]
        await _leave_to_home(app, pilot)
        assert stack(app) == ["HomeScreen"]


async def test_stacked_screens_come_back_to_the_screen_they_were_opened_over(play) -> None:
    play(0, 0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is home and stack(app) == ["HomeScreen"]


async def test_clicking_the_resume_banner_resumes_and_leaving_goes_home(scenario_file) -> None:
    playthrough = Playthrough.new(load_scenario(scenario_file), seed=1)
    playthrough.choose(0, seconds=3)
    playthrough.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.screen.query_one("#resume").display
        assert await pilot.click("#resume")
        await settle(pilot, 3)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.playthrough.session_id == playthrough.session_id
        assert len(app.screen.playthrough.state.history) == 1
        assert stack(app) == ["PlayScreen"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert stack(app) == ["HomeScreen"]
