"""`coach play --setup ID` (issue 13): the chosen setup's evidence is on screen from the first
scene, the setup's title is named only on the debrief, and an unknown id is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import main
from coach.tui.screens.debrief import DebriefScreen
from coach.tui.screens.play import PlayScreen
from coach.tui.widgets.scenetext import SceneText
from tui_helpers import app_for, finish_playing, screen_text, settle, wait_until

SETUPS = Path(__file__).resolve().parent.parent / "data" / "good" / "setups.toml"
EVIDENCE = {
    "units": ("The amount field's histogram moved 100x overnight.", "71.0%", "An upstream unit change"),
    "labels": ("The labelling team shipped a new rule on Monday.", "80.0%", "A labelling-rule change"),
    "fraud": ("Chargebacks from a new merchant cluster are climbing.", "84.0%", "A real shift in fraud patterns"),
}


@pytest.mark.parametrize("setup", sorted(EVIDENCE))
async def test_play_with_a_setup_shows_that_setups_evidence(setup: str) -> None:
    evidence, figure, title = EVIDENCE[setup]
    app = app_for(SETUPS, seed=1, setup=setup)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen) and screen.playthrough.state.setup == setup
        plain = " ".join(line.plain for line in screen.query_one("#scene-text", SceneText).lines(400))
        assert evidence in plain and f"Precision fell overnight to {figure}." in plain
        others = [e for name, (e, _, _) in EVIDENCE.items() if name != setup]
        assert not any(other in plain for other in others)
        assert title not in screen_text(app)  # never before the ending
        await finish_playing(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await settle(pilot)
        assert f"Setup: {title}" in screen_text(app)


def test_play_with_an_unknown_setup_lists_the_ids() -> None:
    result = CliRunner().invoke(main, ["play", str(SETUPS), "--setup", "unit"])
    assert result.exit_code == 1
    assert "no setup 'unit'; its setups are: units, labels, fraud" in result.output


def test_simulate_with_a_setup_plays_it() -> None:
    result = CliRunner().invoke(main, ["simulate", str(SETUPS), "--setup", "labels", "--choices", "rollback,labels,postmortem",
                                       "--json", "--no-save"])
    assert result.exit_code == 0, result.output
    import json

    payload = json.loads(result.output)
    assert payload["setup"] == "labels" and payload["overall"] == 100 and payload["ending"] == "calm"
    bad = CliRunner().invoke(main, ["simulate", str(SETUPS), "--setup", "nope", "--no-save"])
    assert bad.exit_code == 2 and "its setups are: units, labels, fraud" in bad.output
