"""Modal dialogs: confirm, the keys of the current screen, a broken scenario's diagnostics, and
where to save an export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from ..navigation import navigator_of

if TYPE_CHECKING:
    from ...config.library import LibraryEntry
    from ..navigation import Navigator


class Dialog(ModalScreen):
    """Base of the dialogs; styled by dialogs.tcss."""

    def __init__(self) -> None:
        super().__init__()
        from .base import load_styles

        load_styles(self.app, ("screens/dialogs.tcss",))

    @property
    def navigator(self) -> Navigator:
        """Dialogs that lead somewhere (the tour, a resume) go there through the app's navigator."""
        return navigator_of(self.app)

class ConfirmScreen(Dialog):
    """Ask a yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._title, self._message, self._yes, self._no = title, message, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm") as box:
            box.border_title = self._title
            yield Static(Content(self._message), classes="message")
            with Horizontal(classes="buttons"):
                yield Button(f"{self._yes}  (y)", id="yes", variant="primary")
                yield Button(f"{self._no}  (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class KeysScreen(Dialog):
    """`?`: every key that works on the screen beneath, with the binding id to remap it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="keys.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self._under = under

    def compose(self) -> ComposeResult:
        groups: dict[str, list[tuple[str, str, str]]] = {}
        seen: set[tuple[str, str]] = set()
        for key, active in self._under.active_bindings.items():
            binding = active.binding
            if binding.system or not binding.description or not (binding.id or binding.show):
                # A focused widget's own navigation keys (a table's page-left, a copy key) are
                # standard and unremappable: they would bury the keys this screen adds.
                continue
            where = "Everywhere" if active.node is self.app else "On this screen"
            display = binding.key_display or self.app.get_key_display(binding.with_key(key))
            ident = binding.id or ""
            if (display, ident) in seen:
                continue
            seen.add((display, ident))
            groups.setdefault(where, []).append((display, binding.description, ident))
        with Vertical(classes="dialog keys") as box:
            box.border_title = "Keys"
            # Keys, words and ids in three columns, the same for both groups: with the id right
            # after the words, "Open  home.open" read as one description.
            merged = {group: _merge_rows(groups.get(group, [])) for group in ("On this screen", "Everywhere")}
            every = [row for rows in merged.values() for row in rows]
            key_width = max((len(display) for display, _, _ in every), default=1)
            words_width = max((len(description) for _, description, _ in every), default=1)
            id_column = key_width + 2 + words_width + 4
            with VerticalScroll():
                first = True
                for group, rows in merged.items():
                    if not rows:
                        continue
                    heading = Content.styled(group.upper(), "bold $text-muted")
                    if first:
                        heading = Content.assemble(heading, " " * max(2, id_column - len(group)),
                                                   ("ID TO REMAP", "$text-disabled"))
                        first = False
                    yield Static(heading, classes="group")
                    lines = [
                        Content.assemble((display.ljust(key_width), "bold $accent"), "  ", description.ljust(words_width),
                                         "    ", (ident, "$text-disabled"))
                        for display, description, ident in rows
                    ]
                    yield Static(Content("\n").join(lines), classes="rows")
            yield Static(
                Content.styled("Remap a key by its id in settings.toml:  [keymap]  \"play.leave\" = \"ctrl+l\"", "$text-muted"),
                classes="hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)


def _merge_rows(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """One row per description: `1-9  Choose by number  play.choice-1 … play.choice-9`."""
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for row in rows:
        groups.setdefault(row[1], []).append(row)
    merged = []
    for description, group in groups.items():
        display = group[0][0]
        if len(group) > 1 and "-" not in display:
            display = ", ".join(row[0] for row in group)
        ids = list(dict.fromkeys(row[2] for row in group))  # one binding with two keys has one id
        ident = ids[0] if len(ids) == 1 else f"{ids[0]} … {ids[-1]}"
        merged.append((display, description, ident))
    return merged


class DiagnosticsScreen(Dialog):
    """Why a scenario is broken, exactly as `coach check` says it."""

    BINDINGS = [Binding("escape,q,d", "close", "Close", id="diagnostics.close")]

    def __init__(self, entry: LibraryEntry) -> None:
        super().__init__()
        self._entry = entry

    def compose(self) -> ComposeResult:
        from ...scenario.diagnostics import render, summary

        diagnostics = self._entry.result.diagnostics
        text = "\n\n".join(render(d) for d in diagnostics) or "No diagnostics."
        with Vertical(classes="dialog diagnostics") as box:
            box.border_title = f"✕ {self._entry.path.name}"
            yield Static(Content.styled(summary(1, diagnostics), "bold $text-error"), classes="summary")
            with VerticalScroll():
                yield Static(Content(text), classes="listing")
            yield Static(
                Content.styled(f"Fix {self._entry.path} in your editor, then press ctrl+r on the library to reload.", "$text-muted"),
                classes="hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)


class ExportScreen(Dialog):
    """Where to save the debrief; dismisses with the path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, suggested: Path) -> None:
        super().__init__()
        self._suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog export") as box:
            box.border_title = "Export the debrief as Markdown"
            yield Static(Content("Save to (a file name, or a path):"), classes="message")
            yield Input(str(self._suggested), id="path")
            with Horizontal(classes="buttons"):
                yield Button("Save  (enter)", id="save", variant="primary")
                yield Button("Cancel  (esc)", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.notify("Give a file name to save to.", severity="warning")
            return
        from ...io.paths import confine

        try:
            path = confine(Path(raw)).expanduser()
        except PermissionError as error:  # a served app writes only in the learner's own folder
            self.notify(str(error), severity="warning")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class GlossaryScreen(Dialog):
    """`g` in play: the terms the scene on screen uses, defined (coach.learning.glossary). `a`
    shows every term the rubric and this scenario define. Definitions are shown literally."""

    BINDINGS = [
        Binding("escape,q,g", "close", "Close", id="glossary.close"),
        Binding("a", "toggle_all", "All terms", id="glossary.all"),
    ]

    def __init__(self, here: list, everything: list, title: str) -> None:
        super().__init__()
        self._here, self._everything, self._title = here, everything, title
        self._all = not here

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog glossary") as box:
            box.border_title = "Glossary"
            yield Static(classes="summary", id="glossary-what")
            with VerticalScroll():
                yield Static(classes="listing", id="glossary-terms")
            yield Static(Content.styled("a all terms · g or Esc close", "$text-muted"), classes="hint")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        terms = self._everything if self._all else self._here
        what = (f"Every term ({len(terms)})" if self._all
                else f"Terms in “{self._title}” ({len(terms)})")
        self.query_one("#glossary-what", Static).update(Content.styled(what, "bold"))
        if not terms:
            body = Content.styled("This scenario and the rubric define no terms.", "$text-muted")
        else:
            body = Content("\n\n").join(
                Content.assemble((term.term, "bold $text-accent"), "\n", term.definition) for term in terms)
        self.query_one("#glossary-terms", Static).update(body)

    def action_toggle_all(self) -> None:
        self._all = not self._all if self._here else True
        self._show()

    def action_close(self) -> None:
        self.dismiss(None)
