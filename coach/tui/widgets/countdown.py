"""A visible countdown for time-limited scenes. The screen owns the clock; this only shows it."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...io.display import bar

URGENT_SECONDS = 10


class Countdown(Widget):
    remaining: reactive[float] = reactive(0.0)
    total: reactive[float] = reactive(0.0)
    paused: reactive[bool] = reactive(False)
    """Coach mode's pause: the bar stays, the words say how to go on."""

    def watch_remaining(self, remaining: float) -> None:
        self.set_class(remaining <= min(URGENT_SECONDS, self.total / 3), "-urgent")

    def render(self) -> Content:
        seconds = max(0, int(self.remaining + 0.999))
        clock = f"{seconds // 60}:{seconds % 60:02d}"
        urgent = self.has_class("-urgent") and not self.paused
        label = ("! Time left " if urgent else "Time left ")
        tail = f" {clock} to decide"
        if self.paused:
            label, tail = "Paused — p to resume ", f" {clock} left"
        width = max(4, self.size.width - len(label) - len(tail) - 2)
        filled, empty = bar(100 * self.remaining / self.total if self.total else 0, width)
        return Content.assemble(
            (label, "bold"),
            ("▕", "$text-muted"),
            (filled, "$warning" if urgent else "$accent"),
            (empty, ""),
            ("▏", "$text-muted"),
            (tail, "bold" if urgent else ""),
        )
