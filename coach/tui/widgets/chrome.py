"""The frame around every screen: the title bar and the too-small-terminal guard.

Text that comes from a scenario or a file is always wrapped in `Content(...)` (never a plain
string, which Textual would parse as markup), so `[bold]` or `[@click=app.quit]` shows as typed.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


def literal(text: str, style: str = "") -> Content:
    """User-supplied text as Content: shown exactly as typed, never parsed as markup."""
    return Content.styled(text, style) if style else Content(text)


class TitleBar(Widget):
    """`◆ coach › where › you are` on the left, context (clock, mode, counts) on the right.

    One line drawn by one widget, not three Statics in a row: every screen has one, and each
    widget costs its styling, layout and render before the first frame. When the line is too
    narrow for both, the context is kept whole and the crumbs are cut."""

    def __init__(self, *crumbs: str, info: Content | str = "") -> None:
        super().__init__()
        self._crumbs = crumbs
        self._info = info

    def set_crumbs(self, *crumbs: str) -> None:
        self._crumbs = crumbs
        self.refresh()

    def set_info(self, info: Content | str) -> None:
        self._info = info
        self.refresh()

    def render(self) -> Content:
        return title_line(self._crumbs, self._as_content(self._info), self.size.width)

    @staticmethod
    def _as_content(info: Content | str) -> Content:
        return info if isinstance(info, Content) else Content(info)


BRAND = Content.assemble(("◆ ", "$accent"), ("coach", "bold"))


def title_line(crumbs: tuple[str, ...], info: Content, width: int) -> Content:
    """The title bar's line, `width` columns: the brand and the crumbs, and `info` at the right."""
    parts: list[Content | tuple[str, str]] = [BRAND]
    for index, crumb in enumerate(crumbs):
        parts.append(("  ›  ", "$text-muted"))
        last = index == len(crumbs) - 1
        parts.append((crumb, "bold" if last else "$text-muted"))
    left = Content.assemble(*parts)
    room = max(0, width - info.cell_length)
    return (left.truncate(room, pad=True) + info).truncate(width)


class SizeGuard(Static):
    """Shown instead of the screen when the terminal is smaller than the app can draw."""

    def show_size(self, size: Size) -> None:
        self.update(
            Content.assemble(
                ("coach needs a terminal of at least ", ""),
                (f"{MIN_WIDTH} × {MIN_HEIGHT}", "bold"),
                ".\n",
                ("This one is ", "$text-muted"),
                (f"{size.width} × {size.height}", "bold $warning"),
                (".\n\nMake the window larger or the font smaller;\nnothing is lost meanwhile.", "$text-muted"),
            )
        )
