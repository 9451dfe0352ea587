"""The key bar: the screen's keys on the last line, redrawn as they change, and clickable."""

from __future__ import annotations

from coach.tui.widgets.keybar import KeyBar, KeyItem, layout
from tui_helpers import QUIET, app_for, screen_text


def item(key: str, description: str, *, enabled: bool = True) -> KeyItem:
    return KeyItem(key, key, description, enabled, description)


def test_keys_run_from_the_left_and_the_palette_sits_a_column_in_from_the_right() -> None:
    line, spans = layout([item("m", "Mode"), item("esc", "Library")], item("^p", "Commands"), 40)
    assert line.plain == "m Mode esc Library" + " " * 9 + "▏^p Commands "
    assert line.cell_length == 40
    assert [(span.start, span.end, span.item.key) for span in spans] == [(0, 6, "m"), (7, 18, "esc"), (28, 39, "^p")]


def test_keys_that_do_not_fit_are_cut_at_the_edge_and_cannot_be_clicked() -> None:
    line, spans = layout([item("a", "Alpha"), item("b", "Bravo"), item("c", "Charlie")], item("^p", "Commands"), 30)
    assert line.plain == "a Alpha b Bravo c▏^p Commands "
    assert [span.item.key for span in spans] == ["a", "b", "^p"]


def test_a_disabled_key_is_dim_and_a_hovered_one_highlighted() -> None:
    line, _ = layout([item("r", "Resume", enabled=False), item("m", "Mode")], None, 20, hover="m")
    styles = {line.plain[span.start:span.end]: str(span.style) for span in line.spans}
    assert "dim" in styles["r"]
    assert "$block-hover-background" in styles["m"]
    assert "dim" not in styles["m"]


async def test_the_bar_shows_the_briefings_keys_and_a_click_presses_one() -> None:
    app = app_for(QUIET, mode="coach")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        last = screen_text(app).splitlines()[-1]
        assert last.startswith("⏎ Start m Coach/exam esc Library ? Keys")
        assert last.rstrip().endswith("▏^p Commands")
        assert app.screen.mode == "coach"
        column = last.index("m Coach/exam")
        await pilot.click(KeyBar, offset=(column, 0))
        await pilot.pause()
        assert app.screen.mode == "exam"


async def test_the_bar_follows_the_screen_when_its_keys_change() -> None:
    app = app_for(QUIET, mode="coach")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the briefing's Start: the scene's keys replace its own
        await pilot.pause()
        last = screen_text(app).splitlines()[-1]
        assert "Coach/exam" not in last
        assert "Start" not in last
        assert "? Keys" in last

