"""A world that agrees with its text, on screen: a scene's news moves the dashboard as the scene
is shown, the clock says the scene's day and time, money is in the scenario's currency, and a
locked choice says why in the author's words."""

from __future__ import annotations

from coach.tui.screens.play import PlayScreen
from coach.tui.widgets.dashboard import MetricRow
from tui_helpers import TUI_DATA, app_for, screen_text, settle

WORLD = TUI_DATA / "world.toml"


async def test_arriving_at_a_scene_moves_the_dashboard_and_a_lock_gives_its_reason() -> None:
    app = app_for(WORLD, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # past the briefing
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        text = screen_text(app)
        assert "✕ locked · Needs a mitigation in place first" in text
        assert "mitigated" not in text  # the raw condition is not shown
        assert "✕ locked · Available only when Serving cost / month is below €10.0k and" in text
        assert "€38.0k" in text and "Day 1 08:40" in text
        rows = {row.metric_name: row for row in screen.query(MetricRow)}
        assert rows["conversion"].change is None

        await pilot.press("1", "s")  # watch: the decision itself moves no metric (sure)
        await settle(pilot)
        assert screen.phase == "feedback"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "scene" and screen.playthrough.state.scene == "thursday"
        text = screen_text(app)
        assert "Thursday - conversion is down" in text
        assert "Day 4 09:30" in text
        assert "2.5%" in text and "€42.0k" in text
        assert "▼ -0.6 pts · worse" in text
        assert "▲ +€4,000 · worse" in text
        assert abs(rows["conversion"].change + 0.006) < 1e-9
