"""The first-run tour: what coach is and which keys do what, in four short pages, shown once.

It opens over the home screen the first time coach starts for a learner (coach.learning.firstrun
remembers it), and from the command palette ("Tour") whenever they want it again. → or Enter
turns the page, ← goes back, Esc skips; a skipped tour counts as seen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from .dialogs import Dialog

PAGES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Welcome to coach", (
        ("", "You play a product manager who owns an AI system when it matters: a model's precision falls "
             "overnight, an LLM feature must be judged ready or not, a bias report lands after launch."),
        ("", "Every decision is scored against what owning an AI product takes, and the debrief names the "
             "traditional-PM reflexes you fell into. Nothing you choose is marked right or wrong by its length "
             "or its place on screen: the order of the choices changes every session."),
    )),
    ("Playing a scenario", (
        ("1-9", "choose by number, or ↑↓ and Enter"),
        ("Enter", "continue after the feedback"),
        ("g", "the glossary: the terms this scene uses"),
        ("p", "pause a timed scene's countdown (coach mode only)"),
        ("Esc", "leave: decisions and time left are kept; resume later"),
        ("", "Coach mode shows feedback after each decision; exam mode keeps it for the debrief. Some "
             "scenes are timed: the countdown is real, and leaving does not reset it."),
    )),
    ("After you play", (
        ("h", "history: every session; replay it, rewind to a decision and take the other branch"),
        ("p", "your profile: skill per criterion and your reflexes over time"),
        ("", "The home screen suggests what to play next, and says why: a skill due for a re-test, or "
             "your weakest one."),
    )),
    ("Keys anywhere", (
        ("?", "every key of the screen you are on"),
        ("ctrl+p", "the command palette: open a scenario by its title, change the theme, take this tour again"),
        ("q", "quit (a scenario in progress asks first)"),
        ("", "Start with an intro scenario from the library: it takes about eight minutes."),
    )),
)


class TourScreen(Dialog):
    BINDINGS = [
        Binding("right,enter,space", "page(1)", "Next", id="tour.next"),
        Binding("left", "page(-1)", "Back", id="tour.back"),
        Binding("escape,q", "close", "Skip", id="tour.skip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog tour") as box:
            box.border_title = "Tour"
            yield Static(id="tour-page", classes="listing")
            yield Static(id="tour-hint", classes="hint")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        title, items = PAGES[self.page]
        lines: list[Content] = [Content.styled(title, "bold $text-accent"), Content("")]
        for key, words in items:
            if key:
                lines.append(Content.assemble((f"{key:>7}", "bold $text-accent"), "  ", words))
            else:
                if lines[-1].plain:
                    lines.append(Content(""))
                lines.extend([Content(words), Content("")])
        self.query_one("#tour-page", Static).update(Content("\n").join(lines))
        last = self.page == len(PAGES) - 1
        hint = f"{self.page + 1} of {len(PAGES)} · " + ("Enter: start" if last else "→ or Enter: next") + \
            (" · ←: back" if self.page else "") + " · Esc: skip"
        self.query_one("#tour-hint", Static).update(Content.styled(hint, "$text-muted"))
        self.query_one(".dialog").border_subtitle = f"{self.page + 1}/{len(PAGES)}"

    def action_page(self, step: int) -> None:
        target = self.page + step
        if target >= len(PAGES):
            self.action_close()
            return
        self.page = max(0, target)
        self._show()

    def action_close(self) -> None:
        from ...learning.firstrun import mark_welcomed

        mark_welcomed()
        self.dismiss(None)
