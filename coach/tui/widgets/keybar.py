"""The key bar at the foot of every screen: the keys the screen offers now, on one line.

It draws what Textual's compact Footer draws (`⏎ Start m Coach/exam … ▏^p Commands`), but as
one widget whose line is redrawn in place. The Footer mounts a widget per key and recomposes
all of them each time the screen's bindings change, and before `coach play` shows its briefing
they change three times (the screen stack, the screen's resume, the focus): ~20 ms of CPU of a
~300 ms start, spent building widgets nobody sees. Clicking a key presses it, as on the Footer;
a disabled key rings the bell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.events import Leave, MouseDown, MouseMove
    from textual.screen import Screen
    from textual.visual import VisualType

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"
HOVER_STYLE = "on $block-hover-background"
PALETTE_EDGE = "▏"


class KeyItem(NamedTuple):
    key: str
    """The key to simulate when the item is clicked."""
    display: str
    """How the key is written (the keymap's key, through the app's display names)."""
    description: str
    enabled: bool
    tooltip: str


class Span(NamedTuple):
    """Where an item is drawn: columns [start, end)."""

    start: int
    end: int
    item: KeyItem


def key_items(screen: Screen[object]) -> tuple[list[KeyItem], KeyItem | None]:
    """The shown keys in binding order, one per action, and the command palette's key: the
    items Textual's Footer would show for `screen`."""
    app = screen.app
    active = screen.active_bindings
    items: list[KeyItem] = []
    actions: set[str] = set()
    for _node, binding, enabled, tooltip in active.values():
        if not binding.show or binding.action in actions:
            continue
        actions.add(binding.action)
        items.append(KeyItem(binding.key, app.get_key_display(binding), binding.description, enabled,
                             tooltip or binding.description))
    palette = None
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
        _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
        palette = KeyItem(binding.key, app.get_key_display(binding), binding.description, enabled,
                          binding.tooltip or binding.description)
    return items, palette


def item_content(item: KeyItem, *, hover: bool = False) -> Content:
    dim = "" if item.enabled else " dim"
    hovered = f" {HOVER_STYLE}" if hover else ""
    parts: list[tuple[str, str]] = [(item.display, KEY_STYLE + dim + hovered)]
    if item.description:
        parts.append((f" {item.description}", DESCRIPTION_STYLE + dim + hovered))
    return Content.assemble(*parts)


def layout(items: list[KeyItem], palette: KeyItem | None, width: int,
           hover: str | None = None) -> tuple[Content, list[Span]]:
    """The line `width` columns wide, and where each item is on it. Keys run from the left, one
    space apart; the palette's key sits at the right edge, a column in from it. Keys that do not fit are cut at the
    edge (the `?` dialog lists them all)."""
    right = Content("")
    if palette is not None:
        right = Content.assemble((PALETTE_EDGE, "$foreground 20%"), item_content(palette, hover=hover == palette.key), " ")
    room = max(0, width - right.cell_length)
    spans: list[Span] = []
    parts: list[Content] = []
    column = 0
    for item in items:
        content = item_content(item, hover=hover == item.key)
        if column + content.cell_length <= room:
            spans.append(Span(column, column + content.cell_length, item))
        parts.extend((content, Content(" ")))
        column += content.cell_length + 1
    line = Content("").join(parts).truncate(room, pad=True)
    if palette is not None:
        spans.append(Span(room + len(PALETTE_EDGE), width - 1, palette))
        line += right
    return line.truncate(width), spans


class KeyBar(Widget):
    """Textual's compact Footer, drawn as one line of text."""

    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[Span] = []
        self._hover: str | None = None
        """The key of the item under the mouse, drawn highlighted."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> VisualType:
        items, palette = key_items(self.screen)
        line, self._spans = layout(items, palette, self.size.width, self._hover)
        return line

    def _item_at(self, x: int) -> KeyItem | None:
        return next((span.item for span in self._spans if span.start <= x < span.end), None)

    def on_mouse_move(self, event: MouseMove) -> None:
        item = self._item_at(event.x)
        hover = None if item is None else item.key
        if hover != self._hover:
            self._hover = hover
            self.tooltip = None if item is None else item.tooltip
            self.refresh()

    def on_leave(self, event: Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: MouseDown) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
