"""`g` in play shows the terms of the scene on screen; `a` shows every term."""

from __future__ import annotations

from pathlib import Path

from coach.tui.screens.dialogs import GlossaryScreen
from coach.tui.screens.play import PlayScreen
from tui_helpers import app_for, screen_text, settle, wait_until

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"


async def test_g_lists_the_scenes_terms_with_definitions_shown_literally(tmp_path: Path) -> None:
    text = MINIMAL.read_text("utf-8")
    text = text.replace('text = "Precision fell overnight."', 'text = "Precision fell overnight and PSI on amount is 0.41."')
    text += '\n[glossary.pager-duty]\nterm = "Precision"\ndefinition = "Our [bold]own[/bold] definition, shown as written."\n'
    scenario = tmp_path / "glossary.toml"
    scenario.write_text(text, "utf-8")
    app = app_for(scenario, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PlayScreen), "the first scene")
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GlossaryScreen), "the glossary")
        await settle(pilot)
        shown = screen_text(app)
        assert "Terms in “The alert fires” (2)" in shown or "Terms in “The alert fires” (3)" in shown
        assert "Population stability index" in shown
        assert "Our [bold]own[/bold] definition, shown as written." in shown
        assert "Four-fifths rule" not in shown
        await pilot.press("a")
        await settle(pilot)
        assert "Every term" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PlayScreen), "back to the scene")
