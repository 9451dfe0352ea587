"""The author workspace (`coach edit PATH`): a scenario's tree, the selected item's form, the
live problems from `coach check`, and an outline of the scene graph.

Every change is a pure edit from `coach.authoring.edits` applied to a `Document`, which keeps
the undo history, checks the text a save would write, and saves into the author's own file
keeping their comments (`coach.authoring.saving`). The screen only lays these out and routes
keys: structural keys belong to the tree (so typing in a field never deletes a scene), saving,
undo and the problem list work everywhere.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from ...authoring import edits, fields
from ...authoring.document import ChangedOnDisk, Checked, Document, ReadOnly
from ...authoring.graph import outline
from ...scenario.loader import builtin_rubric
from ..widgets.item_form import ItemForm
from ..widgets.problems import ProblemList
from ..widgets.scenario_tree import ScenarioTree
from .base import CoachScreen
from .dialogs import ConfirmScreen, Dialog

ItemPath = tuple[str | int, ...]
CHECK_DELAY = 0.25
"""Seconds of quiet typing before the checker runs again."""
POLL_SECONDS = 1.0
"""How often the file is looked at for changes made in another editor."""
_KEY_AT_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
GROUPS = (("scenes",), ("endings",), ("setups",))
"""The tree's group nodes: they hold items but are none, so they have a hint, not a form."""
GROUP_TITLES = {("scenes",): "Scenes", ("endings",): "Endings", ("setups",): "Setups"}


class WorkspaceScreen(CoachScreen):
    STYLES = ("screens/workspace.tcss",)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="workspace.save"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="workspace.undo"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="workspace.redo"),
        Binding("f8", "next_problem", "Next problem", key_display="F8", id="workspace.next-problem"),
        Binding("ctrl+r", "reload", "Reload from disk", show=False, id="workspace.reload"),
        Binding("escape", "back", "Back", id="workspace.back"),
    ]

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.current: ItemPath | None = None
        self.checked: Checked | None = None
        self._check_timer: Any = None
        self._warned_disk_change = False

    # --- layout ---------------------------------------------------------------------------------
    def crumbs(self) -> tuple[str, ...]:
        return ("Edit", self.document.path.name)

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="ws-body"):
            with Vertical(id="ws-left"):
                tree = ScenarioTree(id="ws-tree")
                yield tree
                with VerticalScroll(id="ws-graph"):
                    yield Static(id="ws-outline")
            with Vertical(id="ws-right"):
                yield ItemForm(id="ws-form")
                yield ProblemList(id="ws-problems")

    def on_mount(self) -> None:
        # CoachScreen.on_mount (the size guard) runs as well: Textual calls every class's handler.
        self.query_one("#ws-tree").border_title = "Scenario"
        self.query_one("#ws-graph").border_title = "Graph"
        self.query_one("#ws-problems").border_title = "Problems"
        self.set_interval(POLL_SECONDS, self._poll_disk)
        self._open()

    def _open(self) -> None:
        tree = self.query_one(ScenarioTree)
        if self.document.scenario is None:
            tree.display = False
            self.current = None
            self.call_later(self._show_unopenable)
        else:
            tree.display = True
            tree.show(self.document.scenario, select=())
            tree.focus()
        self._refresh_all(structure=False)

    async def _show_unopenable(self) -> None:
        form = self.query_one(ItemForm)
        await form.remove_children()
        await form.mount(Static(Content.assemble(
            ("This file cannot be shown as a form yet.\n\n", "bold"),
            "Its TOML or its types are wrong (see Problems below), so the workspace cannot tell what its "
            "scenes are. Fix it in your editor: the workspace reloads it as soon as it changes.",
        ), classes="form-hint"))
        form.border_title = self.document.path.name
        self.query_one(ProblemList).focus()

    # --- showing an item --------------------------------------------------------------------------
    async def on_scenario_tree_picked(self, message: ScenarioTree.Picked) -> None:
        message.stop()
        await self._show_item(message.path)

    async def _show_item(self, path: ItemPath, *, force: bool = False) -> None:
        scenario = self.document.scenario
        if scenario is None or (path == self.current and not force):
            return
        form = self.query_one(ItemForm)
        self.current = path
        self.document.end_typing()
        if path in GROUPS:
            form.border_title = GROUP_TITLES[path]
            await form.hint(path)
            return
        try:
            item = edits.get(scenario, path)
        except edits.EditRefused:
            self.current = ()
            item, path = scenario, ()
        title = "Scenario" if path == () else edits.describe_path(scenario, path)
        form.border_title = Content(title[0].upper() + title[1:])
        targets = edits.node_ids(scenario)
        await form.load(path, edits.kind_of(path), item, targets=targets, reflexes=list(builtin_rubric().reflexes))

    # --- field edits ------------------------------------------------------------------------------
    def on_item_form_field_edited(self, message: ItemForm.FieldEdited) -> None:
        message.stop()
        scenario, path, form = self.document.scenario, self.current, self.query_one(ItemForm)
        if scenario is None or path is None or path in GROUPS or message.path != path:
            return
        kind = edits.kind_of(path)
        field = next((f for f in fields.FIELDS[kind] if f.name == message.field), None)
        if field is None:
            return
        try:
            value = fields.parse(kind, field, message.text)
        except fields.FieldError as error:
            form.show_error(field.name, str(error))
            return
        form.show_error(field.name, "")
        try:
            edited = edits.update(scenario, path, **{field.name: value})
        except edits.EditRefused as refused:
            form.show_error(field.name, str(refused))
            return
        self.document.apply(edited, coalesce=(path, field.name))
        self._refresh_all(structure=False)

    def on_item_form_id_submitted(self, message: ItemForm.IdSubmitted) -> None:
        message.stop()
        scenario, path = self.document.scenario, self.current
        if scenario is None or path is None or path in GROUPS or message.path != path:
            return
        try:
            edited = edits.rename(scenario, path, message.text)
        except edits.EditRefused as refused:
            self.query_one(ItemForm).show_error("id", str(refused))
            self.notify(str(refused), title="Not renamed", severity="warning")
            return
        self.query_one(ItemForm).show_error("id", "")
        self._apply(edited, focus_tree=False)

    def on_descendant_blur(self, event: Any) -> None:
        if isinstance(event.widget, (Input, TextArea)):
            self.document.end_typing()
            if event.widget.id == "field-id" and self.document.scenario is not None and self.current is not None:
                self._reset_id_field()

    def _reset_id_field(self) -> None:
        """An id typed but not submitted is not a rename: show the real id again."""
        try:
            item = edits.get(self.document.scenario, self.current)  # type: ignore[arg-type]
        except edits.EditRefused:
            return
        form = self.query_one(ItemForm)
        form.set_value("id", getattr(item, "id", None) or "")
        form.show_error("id", "")

    # --- structural edits (keys of the tree) ------------------------------------------------------
    def _scene_index(self) -> int | None:
        path = self.current or ()
        return int(path[1]) if len(path) >= 2 and path[0] == "scenes" else None

    def action_add_scene(self) -> None:
        self._edit(lambda s: edits.add_scene(s, after=self._scene_index()))

    def action_add_choice(self) -> None:
        index = self._scene_index()
        if index is None:
            self.notify("Select a scene (or one of its choices) to add a choice to it.", severity="warning")
            return
        path = self.current or ()
        after = int(path[3]) if len(path) == 4 else None
        self._edit(lambda s: edits.add_choice(s, index, after=after))

    def action_add_ending(self) -> None:
        path = self.current or ()
        after = int(path[1]) if len(path) == 2 and path[0] == "endings" else None
        self._edit(lambda s: edits.add_ending(s, after=after))

    def action_add_setup(self) -> None:
        """A new setup after the selected one (or last); the tree shows a Setups group from then on."""
        path = self.current or ()
        after = int(path[1]) if len(path) == 2 and path[0] == "setups" else None
        self._edit(lambda s: edits.add_setup(s, after=after))

    def action_duplicate(self) -> None:
        self._edit(lambda s: edits.duplicate(s, self._selected()))

    def action_delete(self) -> None:
        self._edit(lambda s: edits.delete(s, self._selected()), undo_hint=True)

    def action_move(self, delta: int) -> None:
        self._edit(lambda s: edits.move(s, self._selected(), delta))

    def action_rename(self) -> None:
        if self.current is None or self.current in GROUPS:
            self.notify("Select a scene, choice, ending or setup to rename.", severity="warning")
            return
        self.query_one(ItemForm).focus_field("id", select=True)  # typing replaces the old id

    def action_edit_fields(self) -> None:
        """Tab from the tree: into the selected item's form, past the graph outline."""
        if not self.query_one(ItemForm).focus_first():
            self.focus_next()

    def _selected(self) -> ItemPath:
        path = self.current
        if path is None or path in GROUPS:
            raise edits.EditRefused("select a scene, choice, ending or setup first")
        return path

    def _edit(self, make: Any, *, undo_hint: bool = False) -> None:
        scenario = self.document.scenario
        if scenario is None:
            return
        try:
            edited = make(scenario)
        except edits.EditRefused as refused:
            self.app.bell()
            self.notify(str(refused), title="Refused", severity="error", timeout=10)
            return
        self._apply(edited)
        if undo_hint:
            self.notify(f"{edited.message[0].upper()}{edited.message[1:]}. ctrl+z undoes it.", timeout=5)
        else:
            self.notify(f"{edited.message[0].upper()}{edited.message[1:]}.", timeout=4)

    def _apply(self, edited: edits.Edited, *, focus_tree: bool = True) -> None:
        self.document.apply(edited)
        self.current = None
        tree = self.query_one(ScenarioTree)
        tree.show(edited.scenario, select=edited.select)
        if focus_tree:
            tree.focus()
        else:
            self.notify(f"{edited.message[0].upper()}{edited.message[1:]}.", timeout=5)
        self._refresh_all(structure=True)

    # --- undo, save, reload, leave ------------------------------------------------------------------
    def action_undo(self) -> None:
        self._history(self.document.undo, "Undid", "Nothing to undo.")

    def action_redo(self) -> None:
        self._history(self.document.redo, "Redid", "Nothing to redo.")

    def _history(self, step: Any, verb: str, nothing: str) -> None:
        message = step()
        if message is None:
            self.notify(nothing, timeout=3)
            return
        scenario = self.document.scenario
        assert scenario is not None
        keep = self.current
        self.current = None
        self.query_one(ScenarioTree).show(scenario, select=keep)
        self._refresh_all(structure=True)
        self.notify(f"{verb}: {message}.", timeout=4)

    def action_save(self) -> None:
        if self.document.scenario is None:
            self.notify("This file cannot be saved from here until it opens as a form; fix it in your editor.",
                        severity="warning")
            return
        self._save()

    def _save(self, *, overwrite: bool = False) -> bool:
        """Save; when another program changed the file, ask first (reload, overwrite or cancel)."""
        try:
            saved = self.document.save(overwrite=overwrite)
        except ChangedOnDisk as changed:
            self.navigator.ask(DiskChangedScreen(self.document.path, changed.diff), self._disk_changed_answer)
            return False
        except ReadOnly as refused:
            self.app.bell()
            self.notify(str(refused) + ".", title="Not saved: read-only", severity="error", timeout=20)
            return False
        except OSError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=15)
            return False
        self._warned_disk_change = False
        errors = self.checked.errors if self.checked else 0
        tail = f" It has {errors} error{'s' if errors != 1 else ''}: `coach check` fails until they are fixed." if errors else ""
        self.notify(f"Saved {self.document.path}.{tail}", title="Saved", severity="warning" if errors else "information")
        if saved.backup:
            self.notify(f"The version the other program wrote is kept in {saved.backup}.", title="Backup",
                        severity="warning", timeout=20)
        if saved.note:
            self.notify(saved.note[0].upper() + saved.note[1:] + ".", title="Layout", severity="warning", timeout=15)
        self._refresh_title()
        return True

    def _disk_changed_answer(self, choice: str | None) -> None:
        if choice == "overwrite":
            self._save(overwrite=True)
        elif choice == "reload":
            self._reload()
        else:
            self.notify("Not saved. Your edits are still here; the file on disk is unchanged.", timeout=6)

    def action_reload(self) -> None:
        if self.document.dirty:
            self.navigator.ask(
                ConfirmScreen("Reload from disk?", "Your unsaved edits would be lost.", yes="Reload", no="Keep editing"),
                lambda yes: self._reload() if yes else None,
            )
            return
        self._reload()

    def _reload(self, quiet: bool = False) -> None:
        try:
            document = Document.open(self.document.path)
        except OSError as error:
            self.notify(str(error), severity="error")
            return
        keep = self.current
        self.document = document
        self.current = None
        self._warned_disk_change = False
        if document.scenario is not None:
            tree = self.query_one(ScenarioTree)
            tree.display = True
            tree.show(document.scenario, select=keep)
        else:
            self.query_one(ScenarioTree).display = False
            self.call_later(self._show_unopenable)
        self._refresh_all(structure=True)
        if not quiet:
            self.notify(f"Reloaded {document.path.name}.", timeout=3)

    def _poll_disk(self) -> None:
        if not self.document.changed_on_disk():
            return
        if not self.document.dirty:
            self._reload(quiet=True)
            self.notify(f"{self.document.path.name} changed on disk; reloaded.", timeout=4)
        elif not self._warned_disk_change:
            self._warned_disk_change = True
            self.notify(f"{self.document.path.name} changed on disk. ctrl+r reloads it (your unsaved edits would be lost); "
                        "ctrl+s shows what changed and asks before overwriting it.", severity="warning", timeout=15)

    def action_back(self) -> None:
        focused = self.focused
        if focused is not None and focused is not self.query_one(ScenarioTree) and self.document.scenario is not None:
            self.query_one(ScenarioTree).focus()
            return
        self.confirm_quit()

    def confirm_quit(self) -> None:
        """Leave the workspace, asking first when there are unsaved edits."""
        if not self.document.dirty:
            self._leave()
            return

        def answer(choice: str | None) -> None:
            if choice == "save" and self._save():
                self._leave()
            elif choice == "discard":
                self._leave()

        self.navigator.ask(UnsavedScreen(self.document.path.name), answer)

    def _leave(self) -> None:
        self.navigator.back()

    # --- problems ---------------------------------------------------------------------------------
    async def on_problem_list_picked(self, message: ProblemList.Picked) -> None:
        message.stop()
        await self.show_problem(message.index)

    async def show_problem(self, index: int) -> None:
        checked = self.checked
        if checked is None or not 0 <= index < len(checked.diagnostics) or self.document.scenario is None:
            return
        path = checked.items[index]
        diagnostic = checked.diagnostics[index]
        self.query_one(ScenarioTree).select_path(path)
        await self._show_item(path)
        lines = checked.text.split("\n")
        source = lines[diagnostic.line - 1] if 0 < diagnostic.line <= len(lines) else ""
        key = _KEY_AT_LINE.match(source)
        if key and self.query_one(ItemForm).focus_field(key.group(1)):
            return
        self.query_one(ScenarioTree).focus()

    async def action_next_problem(self) -> None:
        problems = self.query_one(ProblemList)
        if self.checked is None or not self.checked.diagnostics:
            self.notify("No problems: `coach check` passes.", timeout=3)
            return
        index = problems.highlighted
        index = 0 if index is None else (index + 1) % len(self.checked.diagnostics)
        problems.highlighted = index
        await self.show_problem(index)

    # --- keeping everything in step ---------------------------------------------------------------
    def _refresh_all(self, *, structure: bool) -> None:
        scenario = self.document.scenario
        if scenario is not None:
            self.query_one("#ws-outline", Static).update(Content("\n".join(outline(scenario))))
            if not structure:
                self.query_one(ScenarioTree).refresh_labels(scenario)
        self._refresh_title()
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(CHECK_DELAY, self._run_check)

    def _run_check(self) -> None:
        self._check(self.document)

    @work(thread=True, exclusive=True, group="check")
    def _check(self, document: Document) -> None:
        scenario = document.scenario
        checked = document.check()
        self.app.call_from_thread(self._checked, document, scenario, checked)

    def _checked(self, document: Document, scenario: Any, checked: Checked) -> None:
        if document is not self.document or scenario is not self.document.scenario:
            return  # the author kept typing; a newer check is on its way
        self.checked = checked
        self.query_one(ProblemList).show(checked)
        marks: dict[ItemPath, str] = {}
        for diagnostic, path in zip(checked.diagnostics, checked.items):
            if diagnostic.is_error or marks.get(path) != "error":
                marks[path] = "error" if diagnostic.is_error else marks.get(path, "warning")
        if document.scenario is not None:
            self.query_one(ScenarioTree).refresh_labels(document.scenario, marks)
        self.query_one("#ws-problems").border_title = f"Problems ({len(checked.diagnostics)})"
        self._refresh_title()

    def _refresh_title(self) -> None:
        parts: list[Content | tuple[str, str] | str] = []
        if self.document.dirty:
            parts.append(("● unsaved  ", "bold $text-warning"))
        if self.checked is not None:
            errors, warnings = self.checked.errors, self.checked.warnings
            parts.append((f"{errors} error{'s' if errors != 1 else ''}", "$text-error" if errors else "$text-muted"))
            parts.append((f" · {warnings} warning{'s' if warnings != 1 else ''}", "$text-warning" if warnings else "$text-muted"))
        self.title_bar.set_info(Content.assemble(*parts))


class DiskChangedScreen(Dialog):
    """Another program changed the file: show what it changed and ask.

    Dismisses with "reload" (take the file on disk, losing the edits here), "overwrite" (save
    these edits over it, keeping the other version in FILE.bak) or None (cancel: nothing changes).
    """

    BINDINGS = [
        Binding("r", "answer('reload')", "Reload", id="disk-changed.reload"),
        Binding("o", "answer('overwrite')", "Overwrite", id="disk-changed.overwrite"),
        Binding("escape,c", "answer(None)", "Cancel", id="disk-changed.cancel"),
    ]

    def __init__(self, path: Any, diff: list[str]) -> None:
        super().__init__()
        self._path = path
        self._diff = diff

    def compose(self) -> Iterable[Widget]:
        from textual.widgets import Button

        from ...authoring.document import backup_path

        with Vertical(classes="dialog confirm disk-changed") as box:
            box.border_title = "The file changed on disk"
            yield Static(Content(f"{self._path} was changed by another program since it was opened here, and you "
                                 "have unsaved edits. What it changed:"), classes="message")
            lines = [Content.styled(line, "$text-success" if line.startswith("+") else
                                    "$text-error" if line.startswith("-") else "$text-muted") for line in self._diff]
            yield Static(Content("\n").join(lines) if lines else Content("(only whitespace or line endings)"),
                         id="disk-diff", classes="message")
            yield Static(Content(f"Reload takes the file on disk and drops your edits. Overwrite saves your version "
                                 f"and keeps the other one in {backup_path(self._path)}."), classes="message")
            with Horizontal(classes="buttons"):
                yield Button("Reload  (r)", id="reload")
                yield Button("Overwrite  (o)", id="overwrite", variant="warning")
                yield Button("Cancel  (esc)", id="cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#cancel").focus()

    def on_button_pressed(self, event: Any) -> None:
        event.stop()
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_answer(self, choice: str | None) -> None:
        self.dismiss(choice)


class UnsavedScreen(Dialog):
    """Save, discard or keep editing; dismisses with "save", "discard" or None."""

    BINDINGS = [
        Binding("s", "answer('save')", "Save", id="unsaved.save"),
        Binding("d", "answer('discard')", "Discard", id="unsaved.discard"),
        Binding("escape,c", "answer(None)", "Cancel", id="unsaved.cancel"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def compose(self) -> Iterable[Widget]:
        from textual.widgets import Button

        with Vertical(classes="dialog confirm") as box:
            box.border_title = "Unsaved edits"
            yield Static(Content(f"{self._name} has edits that are not saved."), classes="message")
            with Horizontal(classes="buttons"):
                yield Button("Save  (s)", id="save", variant="primary")
                yield Button("Discard  (d)", id="discard", variant="error")
                yield Button("Cancel  (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#save").focus()

    def on_button_pressed(self, event: Any) -> None:
        event.stop()
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_answer(self, choice: str | None) -> None:
        self.dismiss(choice)
