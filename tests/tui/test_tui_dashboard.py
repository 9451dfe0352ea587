"""The dashboard as the learner reads it: whole labels, and no sparkline until a metric moves."""

from __future__ import annotations

from pathlib import Path

from coach.tui.screens.play import PlayScreen
from coach.tui.widgets.dashboard import MetricRow, split_label
from tui_helpers import app_for, screen_text, settle, wait_until

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"
LONG = "Share of card payments declined by the fraud model"


def test_a_long_label_breaks_at_a_space_and_keeps_its_end() -> None:
    assert split_label("Precision", 20) == ("Precision", "")
    assert split_label(LONG, 28) == ("Share of card payments", "declined by the fraud model")
    assert split_label("Unbreakablewordlabel", 8) == ("Unbreaka", "blewordlabel")


async def test_the_dashboard_shows_a_long_label_whole_and_no_lone_sparkline_dot(tmp_path: Path) -> None:
    scenario = tmp_path / "long-label.toml"
    scenario.write_text(MINIMAL.read_text("utf-8").replace('label = "Precision"', f'label = "{LONG}"'), "utf-8")
    app = app_for(scenario, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlayScreen), "the first scene")
        await settle(pilot)
        text = screen_text(app)
        assert "Share of card payments" in text and "declined by the fraud model" in text
        row = app.screen.query_one(MetricRow)
        assert len(row.history) == 1
        rendered = str(row.render())
        assert not any(block in rendered for block in "▁▂▃▄▅▆▇█"), rendered
