"""A past decision's choices: the one taken (✓), the ones not taken with what each would have
scored, and the ones that were locked then, with why. A `›` pointer (not only a colour) marks the
choice a rewind would try; a locked choice or the one already taken cannot be picked.

Attributes down (`show(alternatives, titles)`), messages up (`AlternativeList.Picked`).
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

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from ...sessions.replay import Alternative


def points_words(score: dict[str, int], titles: dict[str, str]) -> Content:
    """`+2 Quality owned after launch · -1 Failure designed for`, signs in words and colour."""
    if not score:
        return Content.styled("no points either way", "$text-muted")
    parts: list[Content] = []
    for name, points in score.items():
        style = "$text-success" if points > 0 else "$text-error"
        parts.append(Content.assemble((f"{points:+d}", f"bold {style}"), " ", titles.get(name, name)))
    return Content(" · ").join(parts)


class AlternativeItem(Horizontal):
    def __init__(self, alternative: Alternative, titles: dict[str, str], reflexes: dict[str, str], *,
                 highlighted: bool = False) -> None:
        classes = ["-taken" if alternative.taken else "", "-locked" if not alternative.available else "",
                   "-highlighted" if highlighted else ""]
        super().__init__(classes=" ".join(c for c in classes if c))
        self.alternative = alternative
        self._highlighted = highlighted
        self._titles = titles
        self._reflexes = reflexes

    @property
    def can_pick(self) -> bool:
        return self.alternative.available and not self.alternative.taken

    def compose(self) -> ComposeResult:
        alternative = self.alternative
        yield Static("›" if self._highlighted else " ", classes="pointer")
        yield Static(Content.styled("✓" if alternative.taken else "", "bold $text-success"), classes="mark")
        yield Static(Content(str(alternative.number)), classes="number")
        with Vertical(classes="body"):
            yield Static(Content(alternative.text), classes="text")
            detail: list[Content | tuple[str, str] | str] = []
            if alternative.taken:
                detail.append(("you chose this · ", "bold $text-success"))
            elif not alternative.available:
                detail += [("✕ locked then", "bold"), (f" · {alternative.reason} · ", "$text-muted")]
            else:
                detail.append(("would have scored ", "$text-muted"))
            detail.append(points_words(alternative.score, self._titles))
            if alternative.reflex:
                title = self._reflexes.get(alternative.reflex, alternative.reflex)
                detail += [("  ⚑ ", "bold $warning"), (f"“{title}”", "$text-warning")]
            yield Static(Content.assemble(*detail), classes="detail")

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(AlternativeList.Clicked(self.alternative.index))


class AlternativeList(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Previous choice", show=False, id="alternatives.up"),
        Binding("down,j", "cursor(1)", "Next choice", show=False, id="alternatives.down"),
    ]

    highlighted: reactive[int | None] = reactive(None, init=False)

    @dataclass
    class Picked(Message):
        """The learner asked to try this choice (0-based index) instead."""

        index: int

    @dataclass
    class Clicked(Message):
        index: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._alternatives: list[Alternative] = []

    @property
    def alternatives(self) -> list[Alternative]:
        return self._alternatives

    @property
    def pickable(self) -> list[int]:
        return [a.index for a in self._alternatives if a.available and not a.taken]

    def show(self, alternatives: list[Alternative], titles: dict[str, str], reflexes: dict[str, str]) -> None:
        self._alternatives = list(alternatives)
        pickable = self.pickable
        first = pickable[0] if pickable else None
        self.set_reactive(AlternativeList.highlighted, first)
        self.remove_children()
        self.mount_all(AlternativeItem(a, titles, reflexes, highlighted=a.index == first) for a in self._alternatives)
        self.scroll_home(animate=False)

    def watch_highlighted(self) -> None:
        self._paint()

    def _paint(self) -> None:
        paint_pointer(self, self.query(AlternativeItem), lambda item: item.alternative.index, self.highlighted)

    def action_cursor(self, step: int) -> None:
        target = step_pointer(self.pickable, self.highlighted, step)
        if target is not None:
            self.highlighted = target

    def pick(self) -> bool:
        """Ask to try the highlighted choice; False when there is none to try."""
        if self.highlighted is None or self.highlighted not in self.pickable:
            return False
        self.post_message(self.Picked(self.highlighted))
        return True

    def on_alternative_list_clicked(self, message: Clicked) -> None:
        message.stop()
        if message.index in self.pickable:
            self.highlighted = message.index
