"""The workspace's problems: `coach check`'s diagnostics, live; Enter selects the item each is about."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...authoring.document import Checked


class ProblemList(OptionList):
    @dataclass
    class Picked(Message):
        index: int

    def show(self, checked: Checked) -> None:
        highlighted = self.highlighted
        self.clear_options()
        if not checked.diagnostics:
            self.add_option(Option(Content.styled("✓ coach check finds nothing to fix", "$text-success"), disabled=True))
            return
        for index, diagnostic in enumerate(checked.diagnostics):
            mark = ("✕ ", "bold $text-error") if diagnostic.is_error else ("⚠ ", "$text-warning")
            self.add_option(Option(Content.assemble(
                mark,
                (f"{diagnostic.code} ", "bold"),
                Content(diagnostic.message),
                (f"  line {diagnostic.line}", "$text-muted"),
            ), id=f"problem-{index}"))
        if highlighted is not None and highlighted < len(checked.diagnostics):
            self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.startswith("problem-"):
            self.post_message(self.Picked(int(event.option.id.removeprefix("problem-"))))
