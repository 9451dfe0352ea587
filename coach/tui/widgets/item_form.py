"""The workspace's form: the fields of the selected scenario, scene, choice or ending.

Attributes down: `load(kind, item, targets, reflexes)` builds the fields for one item.
Messages up: `FieldEdited` when a field's text changes (the screen parses and applies it),
`IdSubmitted` when Enter is pressed in the id field (a rename, which the screen confirms).
What a field shows and how its text is read back are the pure rules of `coach.authoring.fields`;
this widget only lays them out and shows the error the screen reports under a field.
"""

from __future__ import annotations

import asyncio

from dataclasses import dataclass
from typing import Any, Iterable

from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from ...authoring import fields as spec
from ...authoring.scaffold import is_guidance

HINTS = {
    ("scenes",): "Scenes: press a to add one. Each scene has choices, or routes that pick the next scene.",
    ("endings",): "Endings: press e to add one. Each has a rating: strong, mixed or poor.",
    ("setups",): "Setups: press s to add one. The session's seed draws one (by weight) at the start; each sets "
                 "flags and start metrics, so the same decisions meet different evidence. A scenario with setups "
                 "needs 2..16 of them.",
}



class FieldArea(TextArea):
    """A multi-line field that draws nothing once removed.

    Replacing a form removes its fields while the compositor may still hold them in its map; a
    plain TextArea drawn after removal raises KeyError (its component styles are gone), which
    stops the app in the middle of a rename.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.is_attached:
            return [Strip.blank(crop.width)] * crop.height
        return super().render_lines(crop)

class ItemForm(VerticalScroll, can_focus=False):
    """Not focusable itself: Tab goes straight to its fields, which scroll into view when focused."""

    BINDINGS = [
        # A multi-line field has F7 from Textual's TextArea; this gives one-line fields the same key.
        Binding("f7", "select_field", "Select the field's text", show=False, id="workspace.select-field"),
    ]

    @dataclass
    class FieldEdited(Message):
        path: tuple
        """The item the edited field belongs to (a late message from a form since replaced is ignored)."""
        field: str
        text: str

    @dataclass
    class IdSubmitted(Message):
        path: tuple
        text: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = ""
        self.item: Any = None
        self.path: tuple | None = None
        self._loads = 0
        self._fields: dict[str, spec.Field] = {}
        # Loads come from the tree, renames and the checker's worker; two interleaved loads would
        # remove widgets while the other is mounting them, and Textual then draws a detached field.
        self._replacing = asyncio.Lock()

    # --- attributes down ------------------------------------------------------------------------
    async def load(self, path: tuple, kind: str, item: Any, *, targets: Iterable[str] = (),
                   reflexes: Iterable[str] = ()) -> None:
        """Show the fields of one item (kind: scenario | scene | choice | ending | setup) at `path`."""
        self.kind, self.item, self.path = kind, item, path
        self._loads += 1
        self._fields = {f.name: f for f in spec.FIELDS[kind]}
        async with self._replacing:
            await self.remove_children()
            widgets: list[Widget] = []
            for field in spec.FIELDS[kind]:
                widgets.append(self._row(field, spec.show(item, field), list(targets), list(reflexes)))
            await self.mount_all(widgets)
        self.scroll_home(animate=False)

    async def hint(self, path: tuple) -> None:
        self.kind, self.item, self.path = "", None, path
        self._fields = {}
        async with self._replacing:
            await self.remove_children()
            await self.mount(Static(Content.styled(HINTS.get(path, ""), "$text-muted"), classes="form-hint"))

    def show_error(self, field: str, message: str) -> None:
        for row in self.query(f"#row-{field}"):
            error = row.query_one(".field-error", Static)
            error.update(Content(message))
            error.display = bool(message)
            row.set_class(bool(message), "-invalid")

    def clear_errors(self) -> None:
        for name in self._fields:
            self.show_error(name, "")

    def set_value(self, field: str, text: str) -> None:
        """Replace a field's text without reporting it as an edit (an undo, a refused rename)."""
        for widget in self.query(f"#field-{field}"):
            with widget.prevent(Input.Changed, TextArea.Changed, Select.Changed):
                if isinstance(widget, Input):
                    widget.value = text
                elif isinstance(widget, TextArea):
                    widget.load_text(text)
                elif isinstance(widget, Select):
                    widget.value = text if text else Select.NULL

    def focus_field(self, field: str, *, select: bool = False) -> bool:
        """Put the cursor in a field; `select` selects its text, so typing replaces it (a rename)."""
        for widget in self.query(f"#field-{field}"):
            widget.focus()
            if select and isinstance(widget, Input):
                widget.select_all()
            self.call_after_refresh(widget.scroll_visible)
            return True
        return False

    def action_select_field(self) -> None:
        focused = self.app.focused
        if isinstance(focused, (Input, TextArea)):
            focused.select_all()

    def focus_first(self) -> bool:
        """Put the cursor in the first field (Tab from the tree)."""
        for widget in self.query("Input, TextArea, Select"):
            if widget.id and widget.id.startswith("field-"):
                widget.focus()
                return True
        return False

    # --- building -------------------------------------------------------------------------------
    def _row(self, field: spec.Field, value: str, targets: list[str], reflexes: list[str]) -> Vertical:
        editor: Widget
        ident = f"field-{field.name}"
        if field.kind == "area" or field.kind == "metrics":
            editor = FieldArea(value, id=ident, soft_wrap=True, tab_behavior="focus", compact=True,
                              placeholder=_example(field), classes="-area")
        elif field.kind == "enum":
            options = spec.enum_options(self.kind, field.name, reflexes)
            current = value if any(v == value for _, v in options) else Select.NULL
            editor = Select([(Content(label), v) for label, v in options], value=current, id=ident,
                            allow_blank=False, compact=True)
        else:
            suggester = SuggestFromList(targets, case_sensitive=True) if field.kind == "target" else None
            editor = Input(value, placeholder=_example(field), id=ident, suggester=suggester, compact=True,
                           select_on_focus=False)
        setattr(editor, "coach_form_load", self._loads)  # which load built this editor (read by _name_of)
        label = Content.assemble((field.name, "bold"), ("  Enter renames" if field.kind == "id" else "", "$text-muted"))
        children: list[Widget] = [Static(label, classes="field-label"), editor]
        if field.help:
            children.append(Static(Content(field.help), classes="field-help"))
        error = Static("", classes="field-error")
        error.display = False
        children.append(error)
        return Vertical(*children, id=f"row-{field.name}", classes=f"field-row -{field.kind}")

    # --- messages up ----------------------------------------------------------------------------
    def _name_of(self, widget: Widget | None) -> str | None:
        """The field an editor belongs to, if it belongs to the item shown now."""
        if widget is None or not widget.id or not widget.id.startswith("field-"):
            return None
        if getattr(widget, "coach_form_load", None) != self._loads or widget.parent is None:
            return None  # a late message from an editor of an item shown before
        return widget.id.removeprefix("field-")

    def on_descendant_focus(self, event: Any) -> None:
        """Entering a field that still holds the starter's guidance ("Replace with...") selects it,
        so what the author types replaces it."""
        widget = event.widget
        if self._name_of(widget) is None:
            return
        if isinstance(widget, Input) and is_guidance(widget.value):
            widget.select_all()
        elif isinstance(widget, TextArea) and is_guidance(widget.text):
            widget.select_all()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        name = self._name_of(event.input)
        if name is not None and self.path is not None and self._fields.get(name) and self._fields[name].kind != "id":
            self.post_message(self.FieldEdited(self.path, name, event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self._name_of(event.input)
        if name == "id" and self.path is not None:
            self.post_message(self.IdSubmitted(self.path, event.value))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        name = self._name_of(event.text_area)
        if name is not None and self.path is not None:
            self.post_message(self.FieldEdited(self.path, name, event.text_area.text))

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        name = self._name_of(event.select)
        if name is not None and self.path is not None:
            value = event.value if isinstance(event.value, str) else ""
            self.post_message(self.FieldEdited(self.path, name, value))


def _example(field: spec.Field) -> str:
    """Placeholders read as examples, never as a value the field holds."""
    return f"e.g. {field.placeholder}" if field.placeholder else ""
