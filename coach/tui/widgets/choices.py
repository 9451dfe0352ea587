"""The decisions of a scene: numbered, chosen by number, arrows and Enter, or the mouse.

Locked choices keep their number, are dimmed, say `✕ locked` and why. The highlighted choice
has a `›` pointer as well as a colour, so nothing depends on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from .pointer import paint_pointer, step_pointer
from ...io.sanitise import line

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...engine.engine import ChoiceOption


class ChoiceItem(Horizontal):
    """One decision: pointer, number, text and (when locked) the reason."""

    def __init__(self, option: ChoiceOption) -> None:
        super().__init__(classes="-locked" if not option.available else "")
        self.option = option

    def compose(self) -> ComposeResult:
        yield Static(" ", classes="pointer")
        yield Static(Content(str(self.option.number)), classes="number")
        with Vertical(classes="body"):
            yield Static(Content(line(self.option.choice.text)), classes="text")
            if not self.option.available:
                yield Static(Content.assemble(("✕ locked", "bold"), f" · {self.option.reason}"), classes="reason")

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(ChoiceList.Clicked(self.option.index))


class ChoiceList(VerticalScroll, can_focus=True):
    """Attributes down (`set_options`), messages up (`ChoiceList.Chosen`)."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Previous choice", show=False, id="choices.up"),
        Binding("down,j", "cursor(1)", "Next choice", show=False, id="choices.down"),
        Binding("enter", "select", "Choose", id="choices.select"),
    ]

    highlighted: reactive[int | None] = reactive(None, init=False)

    @dataclass
    class Chosen(Message):
        """The learner picked an available choice (0-based index in the scene's choices)."""

        index: int

    @dataclass
    class Clicked(Message):
        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options: list[ChoiceOption] = []

    @property
    def options(self) -> list[ChoiceOption]:
        return self._options

    def set_options(self, options: list[ChoiceOption]) -> None:
        self._options = list(options)
        self.remove_children()
        self.mount_all(ChoiceItem(option) for option in self._options)
        first = next((o.index for o in self._options if o.available), None)
        self.set_reactive(ChoiceList.highlighted, None)
        self.call_after_refresh(self._highlight_first, first)
        self.scroll_home(animate=False)

    def _highlight_first(self, index: int | None) -> None:
        self.highlighted = index
        self._paint()

    def watch_highlighted(self) -> None:
        self._paint()

    def _paint(self) -> None:
        paint_pointer(self, self.query(ChoiceItem), lambda item: item.option.index, self.highlighted)

    def action_cursor(self, step: int) -> None:
        target = step_pointer([o.index for o in self._options if o.available], self.highlighted, step)
        if target is not None:
            self.highlighted = target

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.choose(self.highlighted)

    def choose(self, index: int) -> bool:
        """Pick choice `index` if it is available; returns False for a locked or missing one."""
        option = next((o for o in self._options if o.index == index), None)
        if option is None or not option.available:
            return False
        self.highlighted = index
        self.post_message(self.Chosen(index))
        return True

    def on_choice_list_clicked(self, message: Clicked) -> None:
        message.stop()
        if not self.choose(message.index):
            option = next((o for o in self._options if o.index == message.index), None)
            if option is not None:
                self.app.bell()
                self.notify(f"Choice {option.number} is locked: {option.reason}.", severity="warning")
