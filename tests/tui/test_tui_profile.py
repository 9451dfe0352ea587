"""The profile screen and the home screen's advice, after a simulated week of practice."""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from practice_week import WEEK_END, practise_a_week  # noqa: E402
from tui_helpers import screen_text, wait_until  # noqa: E402

from coach.tui.app import CoachApp  # noqa: E402


@pytest.fixture
def week():
    practise_a_week()
    with mock.patch("coach.sessions.history.local_now", return_value=WEEK_END.astimezone()):
        yield WEEK_END


async def test_home_shows_skill_estimates_and_what_to_play_next_with_reasons(week) -> None:
    app = CoachApp()
    async with app.run_test(size=(140, 40)) as pilot:
        # The advice and the skill rows both: the rows bring the pane's scrollbar, which rewraps the advice.
        await wait_until(pilot, lambda: "Play next" in screen_text(app) and "from 7 sessions" in screen_text(app),
                         "the advice and the skills on the home screen")
        text = screen_text(app)
        assert "your weakest skill" in text or "last practised" in text
        assert "from 7 sessions" in text  # quality owned after launch: every scenario of the week graded it
        assert "best " not in text.split("Your progress", 1)[1].split("\n", 3)[0]


async def test_p_opens_the_profile_with_skill_chart_due_date_and_reflex_marks(week) -> None:
    from coach.tui.screens.progress import ProgressScreen

    app = CoachApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: "Play next" in screen_text(app), "the home screen")
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ProgressScreen), "the profile")
        screen = app.screen
        screen._now = WEEK_END
        await pilot.pause()
        text = screen_text(app)
        assert "Skills" in text and "Reflexes" in text and "one mark per session" in text
        assert "Skill " in text and "re-test due" in text
        assert any(mark in text for mark in ("▪", "■"))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProgressScreen), "back home")
