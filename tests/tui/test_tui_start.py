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
