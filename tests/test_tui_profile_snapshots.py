"""Pictures of the practice loop's screens after a week of practice with fixed clocks: the profile
(skills, due re-tests, reflex marks) and the home screen's advice of what to play next.

Update with `pytest tests/test_tui_profile_snapshots.py --snapshot-update`, after looking at the
new pictures.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

import pytest

from coach.config import settings
from coach.config.library import resolve
from coach.sessions import history
from coach.sessions.playthrough import Playthrough
from coach.tui.app import make_app
from practice_week import WEEK_END, practise_a_week
from session_clock import tick_clock
from tui_helpers import QUIET, TIMED, keys, library_of

SIZE = (120, 36)


@pytest.fixture
def clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(history, "local_now", lambda: WEEK_END.astimezone(timezone.utc))
    settings.save(settings.Settings(theme="coach-night"))


def test_profile_after_a_week_of_practice(snap_compare, clocks) -> None:
    practise_a_week()
    from coach.tui.screens.progress import ProgressScreen

    def open_profile(pilot):
        async def run():
            await keys(pilot)
            pilot.app.push_screen(ProgressScreen(now=WEEK_END))
            await keys(pilot)
        return run()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=open_profile)


def test_home_recommends_what_to_play_next(snap_compare, clocks, monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    folder = library_of(monkeypatch, tmp_path / "builtin", QUIET, TIMED)
    tick_clock(monkeypatch, start=WEEK_END - timedelta(days=12), now=None)  # `clocks` set history's now
    for choices in ([1, 0], [0, 0]):
        play = Playthrough.new(resolve(str(folder / QUIET.name)), seed=1)
        for index in choices:
            play.choose(index, seconds=5)
        play.close()
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=lambda pilot: keys(pilot))
