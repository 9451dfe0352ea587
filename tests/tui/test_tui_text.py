"""Text that follows the state, on screen: a scene's `{precision}` shows the dashboard's own
figure, the feedback prints the value after the decision, and an ending's passage follows the
path (coach.engine.text)."""

from __future__ import annotations

from pathlib import Path

from coach.io.display import format_value
from coach.tui.screens.play import PlayScreen
from coach.tui.widgets.dashboard import MetricRow
from coach.tui.widgets.scenetext import SceneText
from tui_helpers import app_for, screen_text, settle

STATE_TEXT = Path(__file__).resolve().parent.parent / "data" / "good" / "state-text.toml"


async def test_a_scenes_placeholder_shows_the_dashboards_figure(monkeypatch) -> None:
    monkeypatch.setenv("COACH_LEARNER", "Ana Lima")
    app = app_for(STATE_TEXT, seed=1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert "Good morning, Ana Lima. Precision starts at 92.0%; spend is €38.0k." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        rows = {row.metric_name: row for row in screen.query(MetricRow)}
        figure = format_value(screen.scenario.metrics["precision"], rows["precision"].history[-1])
        assert figure == "92.0%" and figure in rows["precision"].render().plain  # the dashboard's own figure
        scene = screen.query_one("#scene-text", SceneText)
        plain = " ".join(line.plain for line in scene.lines(400))
        assert f"At Day 1 03:12, precision is {figure} and spend is €38.0k" in plain
        assert "Literal braces: {precision} and [bold]not markup[/bold]." in plain

        await pilot.press("1", "s")  # roll back: precision +5 points (sure)
        await settle(pilot)
        assert screen.phase == "feedback"
        assert "Containment first: precision is back to 97.0%." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "The rollback is holding at 97.0%." in screen_text(app)
        assert "Nothing has been contained." not in screen_text(app)
        await pilot.press("1", "s")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "ending"
        text = screen_text(app)
        assert "You rolled back before diagnosing, and precision held at 97.0%." in text
