"""`coach new`: a short form that writes a starter scenario, then opens it in the workspace.

It asks only what shapes the file (title, id, role, difficulty, minutes, the criteria it grades
with their weights, the dashboard metrics, where to save it); everything else is in the starter,
marked "Replace". The id and the file name follow the title until the author types their own.
An existing file is never overwritten without asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...authoring.document import write_new
from ...authoring.scaffold import DISPLAY_DEFAULTS, Answers, MetricAnswer, problems, slug, starter
from ...io.paths import user_scenarios_dir
from ...scenario.loader import builtin_rubric
from ...scenario.model import ENUMS
from .base import CoachScreen
from .dialogs import ConfirmScreen


class CriteriaPicker(OptionList):
    """The rubric's criteria; 1, 2 or 3 grades the highlighted one with that weight, 0 or space drops it."""

    BINDINGS = [
        *[Binding(str(n), f"weigh({n})", "Weight 1-3" if n == 1 else f"Weight {n}", show=n == 1, key_display="1-3" if n == 1 else None,
                  id=f"wizard.weight-{n}") for n in (1, 2, 3)],
        Binding("0,space", "weigh(0)", "Not graded", id="wizard.weight-0"),
    ]

    @dataclass
    class Changed(Message):
        weights: dict[str, int]

    def __init__(self, *, id: str | None = None) -> None:
        self.rubric = builtin_rubric().criteria
        self.weights: dict[str, int] = {}
        super().__init__(*self._criteria_options(), id=id)

    def _criteria_options(self) -> list[Option]:
        options = []
        for name, criterion in self.rubric.items():
            weight = self.weights.get(name)
            mark = (f"[{weight}] ", "bold $text-success") if weight else ("[ ] ", "$text-muted")
            options.append(Option(Content.assemble(mark, (name, "bold"), (f"  {criterion.title}", "$text-muted")), id=name))
        return options

    def action_weigh(self, weight: int) -> None:
        if self.highlighted is None:
            return
        name = list(self.rubric)[self.highlighted]
        if weight:
            self.weights[name] = weight
        else:
            self.weights.pop(name, None)
        self._redraw()
        self.post_message(self.Changed(dict(self.weights)))

    def _redraw(self) -> None:
        highlighted = self.highlighted
        for option, name in zip(self._criteria_options(), self.rubric):
            self.replace_option_prompt(name, option.prompt)
        self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click: grade with weight 2, or drop a graded criterion."""
        event.stop()
        name = event.option.id or ""
        self.action_weigh(0 if name in self.weights else 2)


class WizardScreen(CoachScreen):
    STYLES = ("screens/wizard.tcss",)
    CRUMBS = ("New scenario",)
    BINDINGS = [
        Binding("ctrl+s", "create", "Create", id="wizard.create"),
        Binding("escape", "cancel", "Cancel", id="wizard.cancel"),
    ]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self._given_path = path
        self._auto_id = ""
        """What the id field was last filled with from the title; any other value was typed."""
        self._auto_path = ""

    def compose_body(self) -> Iterable[Widget]:
        with VerticalScroll(id="wizard"):
            yield Static(Content.assemble(
                ("A new scenario. ", "bold"),
                "Answer a few questions; coach writes a small, valid scenario with guidance in every place "
                "you will replace, then opens it in the workspace.",
            ), id="wizard-intro")
            yield from self._row("title", "Title", Input(placeholder="e.g. The Precision Cliff", id="title", compact=True))
            yield from self._row("id", "Id", Input(placeholder="follows the title", id="id", compact=True),
                                 "Lowercase letters, digits and hyphens; it names the scenario in the library.")
            yield from self._row("role", "Role", Input("AI PM", id="role", compact=True), "Who the learner plays.")
            with Horizontal(id="wizard-pair"):
                with Vertical():
                    yield from self._row("difficulty", "Difficulty",
                                         Select([(d, d) for d in ENUMS["difficulty"]], value="intro", allow_blank=False,
                                                id="difficulty", compact=True))
                with Vertical():
                    yield from self._row("minutes", "Minutes to play", Input("10", id="minutes", compact=True, restrict=r"\d*"))
            yield from self._row("criteria", "Criteria it grades", CriteriaPicker(id="criteria"),
                                 "Highlight a criterion and press 1, 2 or 3 to grade it with that weight (3 matters most); "
                                 "0 drops it.")
            yield from self._row("metrics", "Dashboard metrics",
                                 Input(placeholder="e.g. precision:percent, latency_p95:ms", id="metrics", compact=True),
                                 f"Optional. name:display, comma-separated; display is {', '.join(DISPLAY_DEFAULTS)}.")
            yield from self._row("summary", "Summary", Input(placeholder="One or two sentences for the library list.",
                                                             id="summary", compact=True), "Optional; you can write it later.")
            yield from self._row("path", "Save to", Input(str(self._given_path or ""), id="path", compact=True))
            with Horizontal(id="wizard-buttons"):
                yield Button("Create  (ctrl+s)", id="create", variant="primary")
                yield Button("Cancel  (esc)", id="cancel")

    def _row(self, name: str, label: str, widget: Widget, help_text: str = "") -> Iterable[Widget]:
        yield Static(Content.styled(label, "bold"), classes="wizard-label")
        yield widget
        if help_text:
            yield Static(Content(help_text), classes="wizard-help")
        error = Static("", id=f"error-{name}", classes="wizard-error")
        error.display = False
        yield error

    def on_mount(self) -> None:
        # CoachScreen.on_mount (the size guard) runs as well: Textual calls every class's handler.
        self._follow_title()
        self.query_one("#title", Input).focus()

    # --- the id and the path follow the title -------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("title", "id"):
            self._follow_title()
        self._show_error(event.input.id or "", "")

    def _follow_title(self) -> None:
        """Fill the id from the title, and the path from the id, unless the author typed their own.

        Whether they did is read from the fields themselves, not from the order of Changed
        messages: a title change handled after the author has tabbed on and typed into the id
        (a fast typist, a slow terminal) finds a value it did not write and leaves it alone.
        An emptied field follows again.
        """
        title = self.query_one("#title", Input).value
        id_input = self.query_one("#id", Input)
        path_input = self.query_one("#path", Input)
        if id_input.value in ("", self._auto_id):
            self._auto_id = slug(title)
            if id_input.value != self._auto_id:
                with id_input.prevent(Input.Changed):
                    id_input.value = self._auto_id
        if path_input.value in ("", self._auto_path):
            scenario_id = id_input.value or slug(title) or "new-scenario"
            self._auto_path = str(user_scenarios_dir() / f"{scenario_id}.toml")
            if path_input.value != self._auto_path:
                with path_input.prevent(Input.Changed):
                    path_input.value = self._auto_path

    def on_criteria_picker_changed(self, message: CriteriaPicker.Changed) -> None:
        self._show_error("criteria", "")

    # --- creating -----------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()

    def answers(self) -> tuple[Answers, dict[str, str]]:
        """The answers as typed, and what is wrong with them, by field."""
        value = lambda name: self.query_one(f"#{name}", Input).value  # noqa: E731
        found: dict[str, str] = {}
        metrics: list[MetricAnswer] = []
        for part in [p.strip() for p in value("metrics").split(",") if p.strip()]:
            name, _, display = part.partition(":")
            display = display.strip() or "percent"
            if display not in DISPLAY_DEFAULTS:
                found["metrics"] = f"'{display}' is not a display; use {', '.join(DISPLAY_DEFAULTS)}"
            metrics.append(MetricAnswer(name.strip(), display=display if display in DISPLAY_DEFAULTS else "number"))
        minutes = int(value("minutes")) if value("minutes").isdigit() else 0
        difficulty = self.query_one("#difficulty", Select).value
        answers = Answers(
            title=value("title"),
            id=value("id").strip(),
            role=value("role"),
            difficulty=difficulty if isinstance(difficulty, str) else "intro",
            criteria=dict(self.query_one(CriteriaPicker).weights),
            metrics=metrics,
            summary=value("summary"),
            minutes=minutes,
        )
        found = {**problems(answers, list(builtin_rubric().criteria)), **found}
        if not value("path").strip():
            found["path"] = "where should the file go?"
        elif not value("path").strip().endswith(".toml"):
            found["path"] = "a scenario file ends in .toml"
        return answers, found

    def action_create(self) -> None:
        answers, found = self.answers()
        for name in ("title", "id", "role", "difficulty", "minutes", "criteria", "metrics", "summary", "path"):
            self._show_error(name, found.get(name, ""))
        if found:
            first = next(n for n in ("title", "id", "role", "minutes", "criteria", "metrics", "path") if n in found)
            self.query_one(f"#{first}").focus()
            self.notify(f"{len(found)} answer{'s' if len(found) > 1 else ''} to fix: {found[first]}.", severity="warning")
            return
        from ...io.paths import confine

        try:
            path = confine(Path(self.query_one("#path", Input).value.strip())).expanduser()
        except PermissionError as error:  # a served app writes only in the learner's own folder
            self._show_error("path", str(error))
            self.query_one("#path").focus()
            return
        if path.exists():
            def answered(yes: bool | None) -> None:
                if yes:
                    self._write(path, answers)
                else:
                    self.query_one("#path").focus()

            self.navigator.ask(
                ConfirmScreen("The file exists", f"{path} already exists. Replace it with the new scenario?",
                              yes="Replace", no="Keep it"),
                answered,
            )
            return
        self._write(path, answers)

    def _write(self, path: Path, answers: Answers) -> None:
        try:
            write_new(path, starter(answers))
        except OSError as error:
            self._show_error("path", str(error))
            self.notify(str(error), title="Not written", severity="error")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _show_error(self, name: str, message: str) -> None:
        for error in self.query(f"#error-{name}"):
            error.update(Content(message))  # type: ignore[attr-defined]
            error.display = bool(message)
