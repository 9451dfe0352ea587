"""RowList's line of columns: built as one string with its spans moved along, it is the line
that joining each cell's `truncate(width, pad=True)` between spaces makes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from textual.content import Content

from coach.tui.widgets.rowlist import cells_line


def _joined_cells_line(cells: Iterable[Content], widths: Iterable[int]) -> Content:
    """`cells_line` the plain way: each cell assembled and joined (the two must agree)."""
    return Content("").join(Content.assemble(" ", cell.truncate(width, pad=True), " ") for cell, width in zip(cells, widths))

ROWS = [
    [Content(""), Content("today 09:13"), Content.assemble(("↳ ", "$text-accent"), Content("Minimal")),
     Content.styled("coach", "$text-secondary"), Content("Contained"), Content.styled(" 60%", "bold $success"),
     Content.styled("finished", "dim")],
    [Content.styled("◆", "bold $accent"), Content("x" * 60), Content.assemble(("日本語の", "bold"), ("長いシナリオ名です", "$text-warning")),
     Content("日本語の長いシナリオ名です、とても長い"), Content(""), Content.styled("  —", "dim"),
     Content.assemble(("a", "bold"), "b", ("c", "$text-error"))],
]


@pytest.mark.parametrize("widths", [[1, 15, 30, 5, 20, 5, 26], [1, 15, 20, 14, 5, 16], [1, 3, 3, 3, 3, 3, 3], [1, 0, 1, 2, 3, 4, 5]])
@pytest.mark.parametrize("cells", ROWS)
def test_cells_line_is_the_joined_cells(cells: list[Content], widths: list[int]) -> None:
    fast, joined = cells_line(cells, widths), _joined_cells_line(cells, widths)
    assert fast.plain == joined.plain and fast.cell_length == joined.cell_length == sum(w + 2 for w in widths[:len(cells)])
    assert list(fast.render_segments()) == list(joined.render_segments())


def test_a_row_line_draws_what_its_content_draws_cut_at_the_edge() -> None:
    """RowLine (a row's prompt) draws the segments Content's own layout draws, styles alike but
    for the selection offsets Content adds, cut or padded to the width."""
    from textual.style import Style
    from textual.visual import RenderOptions

    from coach.tui.widgets.rowlist import RowLine

    line = cells_line([Content.styled("◆", "bold"), Content("today 09:13"), Content.assemble(("↳ ", "italic"), "日本語の名前"),
                       Content.styled("finished", "dim")], [1, 15, 12, 10])
    options = RenderOptions(Style.parse, {"text_wrap": "nowrap", "text_overflow": "clip"})  # type: ignore[arg-type]
    base = Style.parse("on #102030")
    for width in (line.cell_length + 5, line.cell_length, 20, 21):
        [drawn] = RowLine(line).render_strips(width, None, base, options)
        [textual] = line.render_strips(width, None, base, options)
        textual = textual.crop_extend(0, width, base.rich_style)
        assert drawn.cell_length == textual.cell_length == width
        assert drawn.text == textual.text
        assert look(drawn) == look(textual)


def look(strip) -> list[tuple]:
    """Each character with its colours and attributes (not the meta)."""
    return [(char, s.style.color, s.style.bgcolor, s.style.bold, s.style.italic, s.style.dim)
            for s in strip for char in s.text if s.style is not None]


async def test_rows_under_the_mouse_and_under_the_cursor_are_drawn_in_their_own_colours() -> None:
    """RowList draws its rows itself (and keeps them): the highlighted row in the cursor's
    colours with the `›`, the row under the mouse in the hover colours, and a row the mouse has
    left, or a mark set on it, drawn again."""
    from textual.app import App, ComposeResult

    from coach.tui.widgets.rowlist import RowList

    class Rows(App[None]):
        CSS_PATH = [str(Path(__file__).resolve().parents[2] / "coach" / "tui" / "widgets" / "rowlist.tcss")]

        def compose(self) -> ComposeResult:
            yield RowList()

        def on_mount(self) -> None:
            self.query_one(RowList).show_rows([[Content(""), Content(f"row {n}")] for n in range(5)], [1, 10])

    def background(rows: RowList, index: int):
        return {s.style.bgcolor for s in rows.render_line(index) if s.style is not None}

    app = Rows()
    async with app.run_test(size=(30, 8)) as pilot:
        rows = app.query_one(RowList)
        await pilot.pause()
        plain = background(rows, 3)
        cursor = background(rows, 0)
        assert rows.render_line(0).text.startswith(" ›") and cursor != plain
        await pilot.hover(RowList, offset=(4, 3))
        await pilot.pause()
        hovered = background(rows, 3)
        assert hovered not in (plain, cursor) and rows.render_line(3).text.startswith("    row 3")
        await pilot.hover(RowList, offset=(4, 1))
        await pilot.pause()
        assert background(rows, 3) == plain and background(rows, 1) == hovered
        rows.set_mark(3, Content("◆"))
        assert rows.render_line(3).text.startswith(" ◆  row 3")
        await pilot.press("down")
        assert rows.render_line(1).text.startswith(" ›  row 1") and rows.render_line(0).text.startswith("    row 0")
