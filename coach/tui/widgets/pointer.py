"""The `›` pointer shared by lists a learner moves through with up and down (the choices of a
scene, the choices of a past decision): which item it moves to, and how it is painted. A pointer
glyph, not only a colour, so the high-contrast theme needs no colour to show it."""

from __future__ import annotations

from typing import Callable, Iterable, TypeVar

from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Static


def step_pointer(allowed: list[int], current: int | None, step: int) -> int | None:
    """The next allowed index `step` away, wrapping; the first one when the pointer is elsewhere."""
    if not allowed:
        return None
    if current not in allowed:
        return allowed[0]
    return allowed[(allowed.index(current) + step) % len(allowed)]


W = TypeVar("W", bound=Widget)


def paint_pointer(container: ScrollableContainer, items: Iterable[W], index_of: Callable[[W], int],
                  highlighted: int | None) -> None:
    """Mark the item at `highlighted` (class `-highlighted` and its `.pointer` glyph) and scroll to it."""
    for item in items:
        on = index_of(item) == highlighted
        item.set_class(on, "-highlighted")
        item.query_one(".pointer", Static).update("›" if on else " ")
        if on:
            container.scroll_to_widget(item, animate=False)
