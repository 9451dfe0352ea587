"""The frame around every screen: the title bar and the too-small-terminal guard.

Text that comes from a scenario or a file is always wrapped in `Content(...)` (never a plain
string, which Textual would parse as markup), so `[bold]` or `[@click=app.quit]` shows as typed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.containers import Horizontal
from textual.geometry import Size
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


def literal(text: str, style: str = "") -> Content:
    """User-supplied text as Content: shown exactly as typed, never parsed as markup."""
    return Content.styled(text, style) if style else Content(text)


class TitleBar(Horizontal):
    """`◆ coach › where › you are` on the left, context (clock, mode, counts) on the right."""

    def __init__(self, *crumbs: str, info: Content | str = "") -> None:
        super().__init__()
        self._crumbs = crumbs
        self._info = info

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("◆ ", "$accent"), ("coach", "bold")), id="brand")
        yield Static(self._crumb_content(), id="crumbs")
        yield Static(self._as_content(self._info), id="info")

    def set_crumbs(self, *crumbs: str) -> None:
        self._crumbs = crumbs
        if self.is_mounted:
            self.query_one("#crumbs", Static).update(self._crumb_content())

    def set_info(self, info: Content | str) -> None:
        self._info = info
        if self.is_mounted:
            self.query_one("#info", Static).update(self._as_content(info))

    def _crumb_content(self) -> Content:
        parts: list[Content | tuple[str, str]] = []
        for index, crumb in enumerate(self._crumbs):
            parts.append(("  ›  ", "$text-muted"))
            last = index == len(self._crumbs) - 1
            parts.append((crumb, "bold" if last else "$text-muted"))
        return Content.assemble(*parts)

    @staticmethod
    def _as_content(info: Content | str) -> Content:
        return info if isinstance(info, Content) else Content(info)


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
