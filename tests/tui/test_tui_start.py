"""The app's start: collection the launcher paused is back on once the first frame is drawn."""

from __future__ import annotations

import gc

from tui_helpers import QUIET, app_for, screen_text


async def test_collection_paused_for_the_start_is_back_on_after_the_first_frame() -> None:
    gc.disable()  # as the launcher leaves it
    try:
        app = app_for(QUIET, mode="coach")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert "What will be scored" in screen_text(app)
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_work_held_for_the_first_frame_runs_after_the_app_is_ready(monkeypatch) -> None:
    """Textual's first refresh comes inside its start-up batch and draws nothing, and a callback
    a screen queues with its own call_after_refresh while mounting could run straight after it,
    ahead of the frame the terminal shows (it did for the first screen when that was pushed over
    Textual's empty one). What a screen hands `after_first_frame` waits for the app's Ready."""
    from coach.tui.app import CoachApp
    from coach.tui.screens.briefing import BriefingScreen

    order: list[str] = []
    real_ready, real_mount = CoachApp.on_ready, BriefingScreen.on_mount

    def ready(self: CoachApp) -> None:
        order.append("ready")
        real_ready(self)

    def mount(self: BriefingScreen) -> None:
        real_mount(self)
        self.navigator.after_first_frame(lambda: order.append("held"))

    monkeypatch.setattr(CoachApp, "on_ready", ready)
    monkeypatch.setattr(BriefingScreen, "on_mount", mount)
    app = app_for(QUIET, mode="coach")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert order == ["ready", "held"]
        app.navigator.after_first_frame(lambda: order.append("later"))  # once drawing: after the next refresh
        await pilot.pause()
        assert order[-1] == "later"
