"""Briefing: who you are, the situation, what will be scored, the time limits, and the mode; and
every unfinished session of the scenario, newest first, any of which `r` resumes."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Iterable

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from ...scenario.rubric import builtin_rubric
from ...engine.text import briefing as briefing_text
from ...config.learner import current_learner
from ..widgets.scenetext import SceneText
from .base import CoachScreen
from ...io.sanitise import line

if TYPE_CHECKING:
    from textual.events import Click, MouseEvent, MouseMove

    from ...scenario.loader import LoadResult

MODES = {
    "coach": ("Coach", "feedback after each decision"),
    "exam": ("Exam", "nothing until the debrief"),
}


def seconds_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} minutes"


def mode_words(mode: str, on: bool) -> Content:
    name, words = MODES[mode]
    return Content.assemble(
        ("◉ " if on else "○ ", "bold $accent" if on else "$text-muted"),
        (name.ljust(7), "bold" if on else ""),
        (words, "" if on else "$text-muted"),
    )


class ModeSwitch(Static):
    """The two modes, a line each: a click picks the line's mode, and the line under the mouse is
    lit as a button's would be. One widget rather than a box of two, for the first frame's sake."""

    def __init__(self, mode: str) -> None:
        super().__init__(id="mode-box")
        self.border_title = "Mode"
        self.border_subtitle = "m to switch"
        self.mode = mode
        self._hovered: int | None = None
        self._paint()

    def show(self, mode: str) -> None:
        self.mode = mode
        self._paint()

    def _paint(self) -> None:
        lines = []
        for number, mode in enumerate(MODES):
            words = mode_words(mode, mode == self.mode)
            if number == self._hovered:
                words = words.pad_right(max(0, self.content_size.width - words.cell_length)).stylize("on $boost")
            lines.append(words)
        self.update(Content("\n").join(lines))

    def _line_at(self, event: MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        return offset.y if offset is not None and 0 <= offset.y < len(MODES) else None

    def on_mouse_move(self, event: MouseMove) -> None:
        line = self._line_at(event)
        if line != self._hovered:
            self._hovered = line
            self._paint()

    def on_leave(self) -> None:
        if self._hovered is not None:
            self._hovered = None
            self._paint()

    def on_click(self, event: Click) -> None:
        event.stop()
        line = self._line_at(event)
        if line is not None:
            self.screen.mode = list(MODES)[line]  # type: ignore[attr-defined]


class StartButton(Static):
    def on_click(self, event: Click) -> None:
        event.stop()
        self.screen.action_start()  # type: ignore[attr-defined]


class BriefingScreen(CoachScreen):
    STYLES = ("screens/briefing.tcss",)
    BINDINGS = [
        Binding("enter", "start", "Start", id="briefing.start"),
        Binding("m", "toggle_mode", "Coach/exam", id="briefing.mode"),
        Binding("r", "resume", "Resume", id="briefing.resume"),
        Binding("escape", "back", "Library", id="briefing.back"),
    ]

    mode: reactive[str] = reactive("coach", init=False)

    def __init__(self, loaded: LoadResult, *, mode: str, seed: int | None = None, setup: str | None = None) -> None:
        super().__init__()
        self.loaded = loaded
        self.scenario = loaded.require()
        self.setup: str | None = None
        if self.scenario.setups:
            # The briefing already reads the session's setup, so its seed is drawn here, not at Start.
            import random

            from ...engine import setups

            seed = random.randrange(1 << 31) if seed is None else seed
            self.setup = setup if setup in setups.ids(self.scenario) else setups.draw(self.scenario, seed)
        self.seed = seed
        self.set_reactive(BriefingScreen.mode, mode)
        from ...learning.progress import unfinished
        from ...sessions.store import list_sessions

        self.unfinished = unfinished(list_sessions(), self.scenario.id)
        """This scenario's unfinished sessions, newest first: each can be resumed."""

    def crumbs(self) -> tuple[str, ...]:
        return (self.scenario.title, "Briefing")

    def title_info(self) -> Content:
        scenario = self.scenario
        return Content.styled(f"{scenario.difficulty} · about {scenario.minutes} min", "$text-muted")

    def compose_body(self) -> Iterable[Widget]:
        # The screen's grid (briefing.tcss) places the situation on the left, full height, and
        # the facts, the mode and Start in the column beside it: no container holds them, since
        # each container is styled, laid out and drawn before the first frame like any widget.
        scenario = self.scenario
        rubric = builtin_rubric()
        with VerticalScroll(id="situation") as situation:
            situation.border_title = "Situation"
            if self.unfinished:
                yield Static(self._unfinished(), id="unfinished")
            role = Content.assemble(("YOU ARE  ", "bold $text-muted"), (line(scenario.role), "bold $text-secondary"))
            # Rendered against the start state.
            yield SceneText(briefing_text(scenario, current_learner(), setup=self.setup), lead=role, id="briefing-text")
        # What is scored and the timing scroll when they are long (8 criteria at 80 x 24); the
        # mode and Start below them are always on screen.
        with VerticalScroll(id="briefing-facts", can_focus=False):
            lines = []
            for name, weight in sorted(scenario.criteria.items(), key=lambda item: -item[1]):
                title = rubric.criteria[name].title if name in rubric.criteria else name
                lines.append(Content.assemble(("●" * weight + "○" * (3 - weight), "$accent"), "  ", title))
            scored = Static(Content("\n").join(lines), id="scored")
            scored.border_title = "What will be scored"
            scored.border_subtitle = "●●● weighs most"
            yield scored
            timing = Static(self._timing(), id="timing")
            timing.border_title = "Time"
            yield timing
        yield ModeSwitch(self.mode)
        yield StartButton(Content.assemble(("▶  Start", "bold"), ("   ⏎ enter", "")), id="start")

    SHOWN_UNFINISHED = 3

    def _unfinished(self) -> Content:
        from .resuming import session_words

        count = len(self.unfinished)
        parts: list[Content | str | tuple[str, str]] = [
            ("▶ Unfinished" if count == 1 else f"▶ {count} unfinished", "bold $accent"),
            ("  r", "bold $accent"), " resume" if count == 1 else " to pick one"]
        for summary in self.unfinished[:self.SHOWN_UNFINISHED]:
            parts += ["\n", session_words(summary)]
        if count > self.SHOWN_UNFINISHED:
            parts += ["\n", (f"  and {count - self.SHOWN_UNFINISHED} older", "$text-muted")]
        return Content.assemble(*parts)

    def action_resume(self) -> None:
        """One unfinished session: resume it. Several: pick one, newest first."""
        from .resuming import ResumePicker, resume_session

        if len(self.unfinished) == 1:
            resume_session(self, self.unfinished[0])
        elif self.unfinished:
            def picked(index: int | None) -> None:
                if index is not None:
                    resume_session(self, self.unfinished[index])

            self.navigator.ask(ResumePicker(self.scenario.title, self.unfinished), picked)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume" and not self.unfinished:
            return False
        return super().check_action(action, parameters)

    def _timing(self) -> Content:
        scenario = self.scenario
        limits = [scene.time_limit for scene in scenario.scenes if scene.time_limit]
        minutes = f"{scenario.minutes} minute{'' if scenario.minutes == 1 else 's'}"
        parts: list[Content | str | tuple[str, str]] = [f"About {minutes} to play."]
        if limits:
            count = len(limits)
            parts += [
                "\n",
                (f"{count} {'decision has' if count == 1 else 'decisions have'} a time limit", "bold $text-warning"),
                f" (the shortest {seconds_words(min(limits))}). When it runs out, the scenario moves on without you.",
            ]
        else:
            parts += ["\n", ("No decision is timed.", "$text-muted")]
        if scenario.clock_start:
            parts += ["\n", (f"The scenario clock starts at {scenario.clock_start}; decisions take scenario time.", "$text-muted")]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one("#situation").focus()
        # Not before the first frame is out: a thread exploring paths competes for the GIL with it.
        # After it, a short pause more, for the keys a learner presses on sight of the briefing.
        self.navigator.after_first_frame(partial(self.set_timer, 0.3, self._start_warming))

    def _start_warming(self) -> None:
        self.run_worker(self._warm_analysis, thread=True, exclusive=True, group="analysis")

    def _warm_analysis(self) -> None:
        """Exploring every path (for scoring) happens once per scenario; do it while the learner reads."""
        from ...sessions.playthrough import analysis_of

        analysis_of(self.scenario, self.loaded.sha256, setup=self.setup)

    def watch_mode(self) -> None:
        self._paint_mode()

    def _paint_mode(self) -> None:
        self.query_one(ModeSwitch).show(self.mode)

    def action_toggle_mode(self) -> None:
        self.mode = "exam" if self.mode == "coach" else "coach"

    def action_start(self) -> None:
        from ...sessions.playthrough import Playthrough

        playthrough = Playthrough.new(self.loaded, seed=self.seed, mode=self.mode, setup=self.setup,
                                      learner=current_learner())
        for notice in playthrough.notices:
            self.notify(notice, title="Not being saved" if not playthrough.saving else "", severity="warning", timeout=12)
        self.navigator.open_play(playthrough)

    def action_back(self) -> None:
        self.navigator.open_home()

