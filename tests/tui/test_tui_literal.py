"""Scenario text is shown exactly as typed and never runs: console markup and Textual actions in a
scenario file are just characters."""

from __future__ import annotations

from coach.tui.screens.play import PlayScreen
from coach.tui.widgets.scenetext import inline, parse_blocks, render_lines
from tui_helpers import MARKUP, app_for, screen_text, settle


async def test_markup_in_a_scenario_shows_literally_and_runs_nothing() -> None:
    app = app_for(MARKUP, seed=1)
    bells: list[bool] = []
    app.bell = lambda: bells.append(True)  # [@click=app.bell] must never ring
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Markup [bold]stays[/bold] text" in text  # title, in the title bar
        assert "Tester [@click=app.quit]" in text  # role
        assert "Text such as [@click=app.quit]quit[/] and [bold]x[/bold] is shown" in text
        assert "[@click=app.quit]click me[/]" in text and "[red]red[/red]." in text

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        text = screen_text(app)
        assert "Scene [bold]x[/bold]" in text  # the scene title in the border
        assert "Press [@click=app.quit]here[/] to quit." in text
        assert "$primary is not a variable" in text
        assert "Choose [@click=app.quit] and [bold]x[/bold]" in text
        assert "The other [i]one[/i]" in text

        # Click every line of the scene text: nothing runs, the app keeps going.
        scene = app.screen.query_one("#scene-text")
        for y in range(scene.region.height):
            for x in (0, 6, 12, 20, 30):
                await pilot.click("#scene-text", offset=(x, y))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert not bells

        await pilot.press("1", "s")  # the choice, then how sure (coach mode asks)
        await settle(pilot)
        text = screen_text(app)
        assert "Feedback [bold]x[/bold] [@click=app.quit]" in text
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Ending [bold]x[/bold]" in text
        assert "Done [@click=app.quit]." in text
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Choose [@click=app.quit] and [bold]x[/bold]" in text  # the debrief's path
        assert app.is_running and not bells


def test_scene_markdown_keeps_markup_and_renders_only_markdown() -> None:
    lines = render_lines(parse_blocks("**Bold** and [bold]x[/bold] and [a link](app.quit)\n\n- item [@click=app.quit]"), 80)
    plain = [line.plain for line in lines]
    assert plain[0] == "Bold and [bold]x[/bold] and a link (app.quit)"
    assert plain[2] == "• item [@click=app.quit]"
    spans = {(line.plain[s.start:s.end], str(s.style)) for line in lines for s in line.spans}
    assert ("Bold", "bold") in spans
    assert not any("@click" in str(s.style) or "link" == str(s.style) for line in lines for s in line.spans)


def test_inline_markdown_leaves_unclosed_and_spaced_delimiters_alone() -> None:
    assert inline("2 * 3 * 4").plain == "2 * 3 * 4"
    assert inline("snake_case_name").plain == "snake_case_name"
    assert inline("**unclosed").plain == "**unclosed"
    assert inline(r"\*not emphasis\*").plain == "*not emphasis*"
    assert inline("`[bold]`").plain == "[bold]"


def test_lists_wrap_with_a_hanging_indent() -> None:
    lines = render_lines(parse_blocks("- one two three four five six seven\n  1. nested"), 20)
    assert [line.plain for line in lines] == ["• one two three four", "  five six seven", "  1. nested"]
