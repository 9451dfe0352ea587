"""What every full screen shares: title bar, key bar, and the size guard.

Below 80 × 24 a screen hides its content and says the size it needs (instead of drawing
garbage), and its own keys stop working until the terminal is large enough again, so nothing
can be chosen blind. Below 100 columns the screen gets the `-narrow` class for tighter layouts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.events import Resize, ScreenResume
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from ..navigation import Navigator, navigator_of
from ..widgets.chrome import MIN_HEIGHT, MIN_WIDTH, SizeGuard, TitleBar
from ..widgets.keybar import KeyBar

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
        self._fitted_size: Size | None = None
        """The size the screen was last fitted to: a Resize to the same size (one comes with the
        first mount) has nothing to refit."""
        self._shown = False
        """Whether the screen has been resumed once (see _skip_first_restyle)."""

    @property
    def navigator(self) -> Navigator:
        """Where the learner goes next: screens open and close screens only through this."""
        return navigator_of(self.app)

    def compose(self) -> ComposeResult:
        # The size classes before any child is mounted, so each screen's own on_mount (which
        # Textual runs before this class's) already lays out for a narrow or too small terminal.
        self._set_size_classes(self.app.size)
        yield TitleBar(*self.crumbs(), info=self.title_info())
        yield from self.compose_body()
        yield KeyBar()
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

    # Textual calls this class's handlers itself, after a subclass's own on_mount / on_resize:
    # a subclass never calls super().on_mount() (that fitted the home screen four times).
    def on_mount(self) -> None:
        self._fit_to(self.app.size)

    @on(ScreenResume)
    def _skip_first_restyle(self, event: ScreenResume) -> None:
        """The first resume comes straight after the screen's widgets were mounted, and so styled,
        with every stylesheet the screen needs already loaded (STYLES, in __init__). Textual
        would restyle them all again (a whole pass before the first frame), so that one is off;
        every later resume restyles as usual, for a theme or a size changed meanwhile. Textual
        calls this class's handlers before Screen's own, which reads `refresh_styles` (and a
        screen's own `on_screen_resume` before both)."""
        if not self._shown:
            self._shown = True
            event.refresh_styles = False

    def on_resize(self, event: Resize) -> None:
        self._fit_to(event.size)

    def _fit_to(self, size: Size) -> None:
        if size != self._fitted_size:
            self._fitted_size = size
            self._fit(size)

    def _set_size_classes(self, size: Size) -> bool:
        """Set `-narrow` and `-too-small`; True when `-too-small` changed."""
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        self.set_class(size.width < NARROW_WIDTH, "-narrow")
        changed = small != self.too_small
        self.set_class(small, "-too-small")
        return changed

    def _fit(self, size: Size) -> None:
        """Fit the screen to `size`; screens that lay out by width extend this."""
        small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
        if small:
            self.query_one(SizeGuard).show_size(size)
        if self._set_size_classes(size):
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.too_small
