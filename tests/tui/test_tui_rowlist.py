"""RowList's line of columns: built as one string with its spans moved along, it is the line
that joining each cell's `truncate(width, pad=True)` between spaces makes."""

from __future__ import annotations

import pytest
from textual.content import Content

from coach.tui.widgets.rowlist import _joined_cells_line, cells_line

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
