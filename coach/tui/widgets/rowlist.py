"""RowList: a list of one-line rows in fixed-width columns, under a header of the same columns.

An OptionList draws each row as one line of `Content`: a DataTable renders every cell through
its own padding (rich's `Styled(Padding(cell))`) before the first frame, which was most of the
home screen's and the history's first frame. Column 0 is the mark column: a `›` beside the
highlighted row, so the cursor does not depend on colour alone, and otherwise the row's own
first cell (blank, or a mark the screen sets with `set_mark`, e.g. history's `◆` on the session
picked for comparison). The highlighted row is drawn as plain text, so the cursor's colours
apply to all of it, as a DataTable's row cursor did. A click highlights a row; a click on the
highlighted row selects it, as Enter does. The CSS is in rowlist.tcss."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from rich.segment import Segment
from textual.cache import LRUCache
from textual.content import Content, Span
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widgets import OptionList

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.events import Click, Leave, MouseMove
    from textual.visual import RenderOptions

CURSOR = Content.styled("›", "bold")


def cells_line(cells: Iterable[Content], widths: Iterable[int]) -> Content:
    """One line of columns: each cell cut or padded to its width, with a space either side (the
    columns of the header and of every row line up).

    The same line as joining `Content.assemble(" ", cell.truncate(width, pad=True), " ")` for
    each cell, built as one string and its spans moved along it: a screenful of rows the join's
    way took ~4 ms, most of what is left of a long history's first frame."""
    parts: list[str] = []
    spans: list[Span] = []
    offset = cells_width = 0
    for cell, width in zip(cells, widths):
        if cell.cell_length > width:
            cell = cell.truncate(width)
        plain = cell.plain
        offset += 1
        if cell.spans:
            spans.extend(Span(span.start + offset, span.end + offset, span.style) for span in cell.spans)
        parts += (" ", plain, " " * (width - cell.cell_length + 1))
        offset += len(plain) + width - cell.cell_length + 1
        cells_width += width + 2
    return Content("".join(parts), spans, cells_width, strip_control_codes=False)


def _span_style(style: str | Style) -> Style:
    """A span's style, its theme variables resolved by the running app's stylesheet."""
    return style if isinstance(style, Style) else Style.parse(style)


class RowLine(Visual):
    """A row's line as an option's prompt: its `Content`, drawn as one line of segments.

    Content as a prompt goes through Textual's text layout (dividing and wrapping lines, a style
    with the selection's offsets in it for every span); a row is one line of known width that
    cannot be selected, so its segments are drawn straight from `Content.render` and cut at the
    list's edge, as `text-wrap: nowrap; text-overflow: clip` would."""

    def __init__(self, content: Content) -> None:
        self.content = content

    def __str__(self) -> str:
        return self.content.plain

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.cell_length

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return [self.strip(width, style, options.get_style)] if width else []

    def strip(self, width: int, style: Style, parse_style: Callable[[str | Style], Style]) -> Strip:
        """The line, `width` cells wide on `style` (the option's own style, and its meta for the
        mouse), its span styles parsed by `parse_style` (they may name the theme's variables)."""
        segments = [Segment(text, text_style.rich_style)
                    for text, text_style in self.content.render(style, end="", parse_style=parse_style)]
        return Strip(segments, self.content.cell_length).crop_extend(0, width, style.rich_style)


class RowList(OptionList):
    """Rows of `Content` cells (column 0 the mark) in columns of `widths`, one option per row."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[tuple[Content, ...]] = []
        self.widths: list[int] = []
        self._drawn_rows: LRUCache[tuple[int, Style, int], Strip] = LRUCache(1024)
        """Drawn rows by (row, option style, width): see `render_line`."""
        self._hovered: int | None = None

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def show_rows(self, rows: Iterable[Sequence[Content]], widths: list[int], *, highlighted: int = 0) -> None:
        """Every row anew (an empty list clears it), the cursor on `highlighted`."""
        had_rows = bool(self.rows)
        self.rows, self.widths = [tuple(row) for row in rows], widths
        if had_rows != bool(self.rows):
            self.refresh_bindings()  # Enter's word in the key bar comes and goes with the rows
        self._drawn_rows.clear()
        self.clear_options()
        self.add_options([self._prompt(index, marked=False) for index in range(len(self.rows))])
        if self.rows:  # None -> a row: the watcher marks it
            self.highlighted = min(highlighted, len(self.rows) - 1)

    def add_rows(self, rows: Iterable[Sequence[Content]]) -> None:
        """More rows at the end (a long list adds them a chunk at a time after the first frame)."""
        first = len(self.rows)
        self.rows.extend(tuple(row) for row in rows)
        if not first and self.rows:
            self.refresh_bindings()
        self.add_options([self._prompt(index, marked=False) for index in range(first, len(self.rows))])  # the cursor is above them
        if self.highlighted is None and self.rows:
            self.highlighted = 0

    def set_mark(self, index: int, mark: Content) -> None:
        """Column 0 of row `index` (drawn when the row is not highlighted: the cursor's `›` wins)."""
        self.rows[index] = (mark, *self.rows[index][1:])
        self._forget(index)
        if index != self.highlighted:
            self.replace_option_prompt_at_index(index, self._prompt(index, marked=False))

    def _prompt(self, index: int, *, marked: bool) -> RowLine:
        mark, *cells = self.rows[index]
        if marked:  # the cursor's colours, not the cells' own
            return RowLine(cells_line([CURSOR, *(Content(cell.plain) for cell in cells)], self.widths))
        return RowLine(cells_line([mark, *cells], self.widths))

    def _watch_highlighted(self, old: int | None, new: int | None) -> None:
        """Move the `›` (Textual runs this before OptionList's own watcher)."""
        if old != new:  # only the two rows that change: each replaced prompt is drawn again
            for index, marked in ((old, False), (new, True)):
                if index is not None and index < self.option_count:
                    self.replace_option_prompt_at_index(index, self._prompt(index, marked=marked))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No rows, nothing to open: the key bar leaves Enter out (an empty history offered Replay)."""
        if action == "select" and not self.rows:
            return False
        return super().check_action(action, parameters)

    def _forget(self, index: int) -> None:
        for key in [key for key in self._drawn_rows.keys() if key[0] == index]:
            self._drawn_rows.discard(key)

    def render_line(self, y: int) -> Strip:
        """A row drawn straight from its line (one option, one line, no padding or gutter) and
        kept by its style and width, with the option's index for the mouse, as OptionList's own
        drawing marks it. OptionList takes each row through Textual's general drawing of a Visual
        (selection, links, alignment, padding: none of which a row has): 0.2 ms a row, most of a
        long history's first frame beyond the empty screen's."""
        index = self.scroll_offset.y + y
        if not 0 <= index < self.option_count:
            return super().render_line(y)
        width = self.scrollable_content_region.width
        if index == self.highlighted:
            style = self.get_visual_style("option-list--option", "option-list--option-highlighted")
        elif index == self._hovered:
            style = self.get_visual_style("option-list--option", "option-list--option-hover")
        else:
            style = self.get_visual_style("option-list--option")
        key = (index, style, width)
        strip = self._drawn_rows.get(key)
        if strip is None:
            prompt = self.get_option_at_index(index).prompt
            assert isinstance(prompt, RowLine)
            strip = prompt.strip(width, style + Style.from_meta({"option": index}), _span_style)
            self._drawn_rows[key] = strip
        return strip

    def on_mouse_move(self, event: MouseMove) -> None:
        self._hovered = event.style.meta.get("option")

    def on_leave(self, event: Leave) -> None:
        self._hovered = None

    def notify_style_update(self) -> None:
        """A theme or CSS change: the kept rows hold its colours."""
        self._drawn_rows.clear()
        super().notify_style_update()

    async def _on_click(self, event: Click) -> None:
        event.prevent_default()  # OptionList's own handler would select the row at the first click
        clicked: int | None = event.style.meta.get("option")
        if clicked is None:
            return
        if clicked == self.highlighted:
            self.action_select()
        else:
            self.highlighted = clicked
