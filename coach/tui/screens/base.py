"""What every full screen shares: title bar, footer, and the size guard.

Below 80 × 24 a screen hides its content and says the size it needs (instead of drawing
garbage), and its own keys stop working until the terminal is large enough again, so nothing
can be chosen blind. Below 100 columns the screen gets the `-narrow` class for tighter layouts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual.app import ComposeResult
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from ..widgets.chrome import MIN_HEIGHT, MIN_WIDTH, SizeGuard, TitleBar

if TYPE_CHECKING:
    from textual.app import App

NARROW_WIDTH = 100
TUI_DIR = Path(__file__).resolve().parent.parent


def load_styles(app: App, names: Iterable[str]) -> None:
    """Add a screen's TCSS files (paths under coach/tui) to the app's stylesheet, once.

    A Screen's own CSS_PATH makes Textual re-parse every stylesheet from scratch the first time
    the screen opens (a visible pause). Added here, before the screen mounts, only the new file
    is parsed, and its rules apply as the screen's widgets are styled. Each file styles only its
    own screen or widget family, so nothing already on screen needs restyling.
    """
    sheet = app.stylesheet
    for name in names:
        path = TUI_DIR / name
        if not sheet.has_source(str(path), ""):
            sheet.add_source(path.read_text("utf-8"), read_from=(str(path), ""))


class CoachScreen(Screen):
    CRUMBS: tuple[str, ...] = ()
    STYLES: tuple[str, ...] = ()
    """TCSS files (under coach/tui) this screen needs; loaded when it is first created."""

    def __init__(self) -> None:
        super().__init__()
        load_styles(self.app, self.STYLES)

    def compose(self) -> ComposeResult:
        yield TitleBar(*self.crumbs(), info=self.title_info())
        yield from self.compose_body()
        yield Footer(compact=True)
        yield SizeGuard()

    def compose_body(self) -> Iterable[Widget]:
        raise NotImplementedError

    def crumbs(self) -> tuple[str, ...]:
        return self.CRUMBS

    def title_info(self) -> Content | str:
        return ""

    @property
    def title_bar(self) -> TitleBar:
        return self.query_one(TitleBar)

    @property
    def too_small(self) -> bool:
        return self.has_class("-too-small")

    def on_mount(self) -> None:
        self._fit(self.app.size)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        self.set_class(size.width < NARROW_WIDTH, "-narrow")
        if small:
            self.query_one(SizeGuard).show_size(size)
        if small != self.too_small:
            self.set_class(small, "-too-small")
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.too_small
