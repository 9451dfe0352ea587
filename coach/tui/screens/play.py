"""Play: the scene, the decisions, the dashboard, the clock, and (in coach mode) feedback after
each decision. Every decision goes through `Playthrough.choose`, which writes the session log.

The screen moves through four phases: `scene` (deciding), `confidence` (coach mode, after choosing:
how sure was the learner, one key), `feedback` (coach mode, after a decision) and `ending` (the
scenario is over; Enter opens the debrief). In coach mode a scene's hint is one key away (`h`:
the first press says what it costs, the second shows it), and `p` pauses a timed scene's
countdown (exam mode never pauses). The time left on a timed decision is written to the log every
few seconds, on pause and on leaving, so a resume continues the countdown (coach.sessions.timeleft).
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Iterable

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from ...io.display import RATING_MARKS, arrow, direction, format_change
from ...engine import engine
from ...engine.text import render
from ...scenario.model import Ending
from ...sessions.timeleft import SAVE_EVERY
from ..widgets.choices import ChoiceList
from ..widgets.countdown import Countdown
from ..widgets.dashboard import DashboardStrip, MetricsDashboard
from ..widgets.feedback import Feedback, FeedbackPanel, MetricMove
from ..widgets.scenetext import SceneText
from .base import CoachScreen
from ...io.sanitise import line

if TYPE_CHECKING:
    from textual.timer import Timer

    from ...engine.state import Step
    from ...sessions.playthrough import Playthrough

TICK_SECONDS = 0.1


class PlayScreen(CoachScreen):
    STYLES = ("screens/play.tcss", "widgets/choices.tcss", "widgets/dashboard.tcss", "widgets/feedback.tcss")
    BINDINGS = [
        *[
            Binding(str(n), f"choose({n - 1})", "Choose by number", show=n == 1, key_display="1-9" if n == 1 else None,
                    id=f"play.choice-{n}")
            for n in range(1, 10)
        ],
        Binding("enter", "continue", "Continue", id="play.continue"),
        Binding("h", "hint", "Hint", id="play.hint"),
        Binding("p", "pause", "Pause", id="play.pause"),
        Binding("s", "confidence('sure')", "Sure", id="play.sure"),
        Binding("t", "confidence('think-so')", "Think so", id="play.think-so"),
        Binding("g", "confidence('guessing')", "Guessing", id="play.guessing"),
        Binding("escape", "leave", "Leave", id="play.leave"),
        Binding("g", "glossary", "Glossary", id="play.glossary"),
    ]

    phase: reactive[str] = reactive("scene", init=False)

    def __init__(self, playthrough: Playthrough) -> None:
        super().__init__()
        self.playthrough = playthrough
        self.scenario = playthrough.scenario
        self._shown_at = monotonic()
        self._deadline: float | None = None
        self._ticker: Timer | None = None
        self._hint_stage = 0
        """0: not asked; 1: the price was shown; 2: the hint was shown (the decision will be hinted)."""
        self._pending: tuple[int, float] | None = None
        self._skip_confidence = False
        self._paused_left: float | None = None
        """Seconds left while the countdown is paused (coach mode); None when it runs or there is none."""
        self._paused_at = 0.0
        self._saved_at = 0.0
        """When the time left was last written to the log."""
        self._left_at_decision: float | None = None
        """Seconds left when the choice was made, while coach mode asks how sure the learner is."""
        """The choice (authored index) and seconds taken, while the learner says how sure they are."""
        from ...config.learner import current_learner

        self._learner = current_learner()

    # --- layout -------------------------------------------------------------------------------
    def crumbs(self) -> tuple[str, ...]:
        return (self.scenario.title,)

    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                yield DashboardStrip(id="strip")
                with VerticalScroll(id="scene"):
                    yield SceneText(id="scene-text")
                yield Static(id="hint")
                yield FeedbackPanel(id="feedback")
                yield Countdown(id="countdown")
                yield ChoiceList(id="choices")
                yield Static(id="prompt")
            dashboard = MetricsDashboard(id="dashboard")
            dashboard.border_title = "Dashboard"
            yield dashboard

    def on_mount(self) -> None:
        self.query_one("#choices").border_title = "Your move"
        self.query_one(FeedbackPanel).border_title = "Feedback"
        if not any(metric.shown for metric in self.scenario.metrics.values()):
            self.query_one(MetricsDashboard).display = False
        self._refresh_status()
        self.call_after_refresh(self.run_worker, self._warm_analysis, thread=True, exclusive=True, group="analysis")
        if self.playthrough.finished:
            self._show_ending()
        else:
            self._show_scene()

    def _warm_analysis(self) -> None:
        """Scoring needs every path explored once; do it off the UI thread before the last decision."""
        self.playthrough.analysis  # noqa: B018 - computed and cached by the property

    # --- phases ---------------------------------------------------------------------------------
    def watch_phase(self, phase: str) -> None:
        self.query_one("#scene").display = phase != "feedback"
        self.query_one(FeedbackPanel).display = phase == "feedback"
        self.query_one(ChoiceList).display = phase == "scene"
        self.query_one("#prompt").display = phase != "scene"
        self.query_one("#hint").display = phase in ("scene", "confidence") and self._hint_stage > 0
        self._compact()
        self.refresh_bindings()

    COMPACT_HEIGHT = 30
    """Below this many rows a timed scene hands the dashboard's column to its text (a one-line strip instead)."""

    def _fit(self, size) -> None:
        super()._fit(size)
        if self.is_mounted:
            self._compact()

    def _compact(self) -> None:
        """A timed decision on a short terminal reads first: the dashboard becomes one line over the
        scene and the text gets the full width (at 80 x 24, six lines of text became a whole screenful)."""
        scene = engine.current_scene(self.scenario, self.playthrough.state)
        timed = scene is not None and scene.time_limit is not None and self.phase in ("scene", "confidence")
        shows_metrics = any(metric.shown for metric in self.scenario.metrics.values())
        self.set_class(timed and shows_metrics and self.app.size.height < self.COMPACT_HEIGHT, "-compact")

    def _show_scene(self) -> None:
        state = self.playthrough.state
        scene = engine.current_scene(self.scenario, state)
        assert scene is not None
        box = self.query_one("#scene", VerticalScroll)
        box.border_title = Content(line(scene.title or scene.id))
        box.border_subtitle = None
        self.query_one(SceneText).update(self._text(scene.text).strip())
        box.scroll_home(animate=False)
        choices = self.query_one(ChoiceList)
        choices.set_options(self.playthrough.options())
        self._hint_stage = 0
        self._pending = None
        self.phase = "scene"
        self._compact()  # the phase may not have changed (exam mode), the scene has
        choices.focus()
        self._shown_at = monotonic()
        resumed, self.playthrough.resumed_left = self.playthrough.resumed_left, None  # only the first scene shown
        self._start_clock(scene.time_limit, resumed.seconds if resumed else None)
        if resumed is not None and scene.time_limit is not None:
            self._shown_at -= scene.time_limit - resumed.seconds  # the seconds taken include those before leaving
            if resumed.paused:
                self.action_pause()
        if not any(option.available for option in choices.options) and scene.time_limit is None:
            self.notify("Every choice here is locked and there is no timer: the scenario is stuck. Tell its author.",
                        severity="error", timeout=15)

    def _show_feedback(self, step: Step, before=None) -> None:
        self.query_one(FeedbackPanel).show(self._feedback_for(step, before))
        self._prompt("Enter", "continue")
        self.phase = "feedback"
        self.query_one(FeedbackPanel).focus()

    def _show_ending(self) -> None:
        self._stop_clock()
        ending = self.scenario.nodes.get(self.playthrough.state.ending or "")
        assert isinstance(ending, Ending)
        box = self.query_one("#scene", VerticalScroll)
        box.border_title = Content.assemble("The end · ", Content(line(ending.title)))
        marks, style = RATING_MARKS.get(ending.rating, ("", ""))
        box.border_subtitle = Content.assemble((marks, style), f" {ending.rating} ending")
        self.query_one(SceneText).update(self._text(ending.text).strip() or ending.title)
        self._prompt("Enter", "see your debrief")
        self.phase = "ending"
        box.focus()

    def _prompt(self, key: str, words: str) -> None:
        self.query_one("#prompt", Static).update(Content.assemble((f"⏎ {key}", "bold $accent"), f"  {words}"))

    # --- the clock ------------------------------------------------------------------------------
    def _start_clock(self, limit: int | None, left: float | None = None) -> None:
        """Start the countdown of a scene with `limit` seconds, from `left` when a resume continues it."""
        self._stop_clock()
        countdown = self.query_one(Countdown)
        countdown.display = limit is not None
        countdown.paused = False
        if limit is None:
            return
        remaining = float(limit) if left is None else max(0.0, min(float(limit), left))
        self._deadline = monotonic() + remaining
        self._saved_at = monotonic()
        countdown.total = limit
        countdown.remaining = remaining
        self._ticker = self.set_interval(TICK_SECONDS, self._tick)

    def _stop_clock(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self._deadline = None
        self._paused_left = None
        self.query_one(Countdown).paused = False

    def _left_now(self) -> float | None:
        """Seconds left on the decision on screen (paused, running, or when the choice was made), or None."""
        if self._paused_left is not None:
            return self._paused_left
        if self._deadline is not None:
            return max(0.0, self._deadline - monotonic())
        if self.phase == "confidence":
            return self._left_at_decision
        return None

    @property
    def paused(self) -> bool:
        return self._paused_left is not None

    def action_pause(self) -> None:
        """Coach mode: stop a timed scene's countdown, or start it again; the log records both."""
        if not self._can_pause:
            return
        countdown = self.query_one(Countdown)
        now = monotonic()
        if self._paused_left is None:
            assert self._deadline is not None
            left = max(0.0, self._deadline - now)
            if self._ticker is not None:
                self._ticker.stop()
                self._ticker = None
            self._deadline = None
            self._paused_left, self._paused_at = left, now
            countdown.remaining = left
            countdown.paused = True
            self.playthrough.record_clock(left, paused=True)
        else:
            left, self._paused_left = self._paused_left, None
            self._shown_at += now - self._paused_at  # time spent paused is not time spent deciding
            self._deadline = now + left
            self._saved_at = now
            countdown.paused = False
            self._ticker = self.set_interval(TICK_SECONDS, self._tick)
            self.playthrough.record_clock(left)
        self.refresh_bindings()

    @property
    def _can_pause(self) -> bool:
        return (self.playthrough.mode == "coach" and self.phase == "scene"
                and (self._deadline is not None or self._paused_left is not None))

    def _tick(self) -> None:
        if self._deadline is None or self.phase != "scene":
            return
        now = monotonic()
        remaining = self._deadline - now
        self.query_one(Countdown).remaining = max(0.0, remaining)
        if remaining > 0 and now - self._saved_at >= SAVE_EVERY:  # a kill loses at most this much
            self._saved_at = now
            self.playthrough.record_clock(remaining)
        if remaining <= 0:
            self._stop_clock()
            self.query_one(Countdown).display = False
            before = self.playthrough.state
            self._after_step(self.playthrough.time_out(), before)

    # --- deciding -------------------------------------------------------------------------------
    def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        message.stop()
        self._decide(message.index)

    def action_choose(self, place: int) -> None:
        """A number key: press the choice at that place on screen (the session's order, not the file's)."""
        choices = self.query_one(ChoiceList)
        if place < len(choices.options):
            self.choose_authored(choices.options[place].index)

    def choose_authored(self, index: int, *, ask_confidence: bool = True) -> None:
        """Take the choice with authored index `index` (a rewind's choice), telling the learner if it is locked.

        A rewind's "try this instead" does not ask how sure the learner is: they chose it to see it."""
        self._skip_confidence = not ask_confidence
        choices = self.query_one(ChoiceList)
        option = next((o for o in choices.options if o.index == index), None)
        if option is not None and not choices.choose(index):
            self.app.bell()
            self.notify(f"Choice {option.number} is locked: {option.reason}.", severity="warning")

    def _decide(self, index: int) -> None:
        if self.phase != "scene":
            return
        if self.paused:  # deciding with the clock stopped would make the time limit a suggestion
            self.app.bell()
            self.notify("The clock is paused: press p to resume it, then choose.", severity="warning")
            return
        self._left_at_decision = self._left_now()
        seconds = monotonic() - self._shown_at
        self._stop_clock()
        self.query_one(Countdown).display = False
        ask, self._skip_confidence = self._asks_confidence and not self._skip_confidence, False
        if ask:
            self._pending = (index, seconds)
            chosen = self.scenario.nodes[self.playthrough.state.scene].choices[index].text  # type: ignore[union-attr]
            self.query_one("#prompt", Static).update(Content.assemble(
                ("How sure are you?  ", "bold"),
                ("s", "bold $accent"), " sure  ", ("t", "bold $accent"), " think so  ", ("g", "bold $accent"), " guessing",
                ("   you chose: ", "$text-muted"), (line(chosen), "$text-muted"),
            ))
            self.phase = "confidence"
            return
        self._make(index, seconds, None)

    @property
    def _asks_confidence(self) -> bool:
        settings = getattr(self.app, "settings", None)
        return self.playthrough.mode == "coach" and getattr(settings, "confidence", True)

    def action_confidence(self, level: str) -> None:
        """How sure the learner was of the choice just made: then the decision is made and its feedback shown."""
        if self.phase != "confidence" or self._pending is None:
            return
        index, seconds = self._pending
        self._pending = None
        self._make(index, seconds, level)

    def _make(self, index: int, seconds: float, confidence: str | None) -> None:
        before = self.playthrough.state
        step = self.playthrough.choose(index, seconds=seconds, confidence=confidence, hinted=self._hint_stage == 2)
        self._after_step(step, before)

    def action_hint(self) -> None:
        """First press: what a hint costs. Second press: the hint, and the decision is marked hinted."""
        scene = engine.current_scene(self.scenario, self.playthrough.state)
        if self.phase != "scene" or scene is None or not scene.hint or self.playthrough.mode != "coach":
            return
        from ...engine.hints import HINT_RULE

        box = self.query_one("#hint", Static)
        if self._hint_stage == 0:
            self._hint_stage = 1
            box.update(Content.assemble(("Hint: ", "bold $warning"), HINT_RULE, "  Press ", ("h", "bold $accent"),
                                        " again to see it."))
        else:
            self._hint_stage = 2
            box.update(Content.assemble(("Hint: ", "bold $warning"), self._text(scene.hint, markdown=False).strip()))
        box.display = True

    def _after_step(self, step: Step, before=None) -> None:
        self._flush_notices()
        self._refresh_status()
        if self.playthrough.mode == "coach":
            self._show_feedback(step, before)
        else:
            self.action_continue()

    def action_continue(self) -> None:
        if self.phase == "ending":
            self.playthrough.close()
            self.navigator.open_debrief(self.playthrough)
        elif self.playthrough.finished:
            self._show_ending()
        else:
            self._show_scene()

    def _flush_notices(self) -> None:
        while self.playthrough.notices:
            self.notify(self.playthrough.notices.pop(0), title="Not being saved", severity="warning", timeout=12)

    def _refresh_status(self) -> None:
        state = self.playthrough.state
        self.query_one(MetricsDashboard).show(self.scenario, state)
        self.query_one(DashboardStrip).show(self.scenario, state)
        parts: list[Content | tuple[str, str] | str] = []
        clock = engine.clock(self.scenario, state)
        if clock:
            parts += [(clock, "bold"), ("  ·  ", "$text-muted")]
        decisions = len(state.history)
        parts += [
            (f"{self.playthrough.mode} mode", "$text-secondary"),
            ("  ·  ", "$text-muted"),
            (f"{decisions} {'decision' if decisions == 1 else 'decisions'}", "$text-muted"),
        ]
        if not self.playthrough.saving:
            parts += [("  ·  ", "$text-muted"), ("not saved", "bold $text-warning")]
        self.title_bar.set_info(Content.assemble(*parts))

    def _better_for(self, step: Step, before) -> tuple[str, str] | None:
        """What the expert chose in this scene and why, when the decision was worth less than the best
        choice open (the debrief's measure, coach.engine.scoring.describe_step); None otherwise."""
        if before is None:
            return None
        from ...engine.scoring import describe_step

        decision = describe_step(self.scenario, self.playthrough.analysis, step, len(self.playthrough.state.history), before)
        if decision.better is None:
            return None
        feedback = render(decision.better.feedback, self.scenario, before, self._learner)
        return decision.better.choice_text, feedback

    def _feedback_for(self, step: Step, before=None) -> Feedback:
        rubric = self.playthrough.rubric
        moved = [(points, rubric.criteria[name].title if name in rubric.criteria else name)
                 for name, points in step.score.items() if points]
        reflex = None
        if step.reflex and step.reflex in rubric.reflexes:
            reflex = (rubric.reflexes[step.reflex].title, rubric.reflexes[step.reflex].description)
        metrics = []
        for name, delta in step.effects.items():
            metric = self.scenario.metrics[name]
            if not metric.shown:  # the author keeps it off the screen until the replay
                continue
            metrics.append(MetricMove(metric.label, f"{arrow(delta)} {format_change(metric, delta)}", direction(metric, delta)))
        better = self._better_for(step, before)
        if step.timed_out:
            return Feedback(None, "", moved=moved, metrics=metrics, better=better)
        scene = self.scenario.nodes[step.scene]
        choice = scene.choices[step.choice]  # type: ignore[union-attr]
        outcome = choice.outcomes[step.outcome].text if choice.outcomes and step.outcome is not None else ""
        return Feedback(choice.text, self._text(choice.feedback), self._text(outcome, markdown=False), moved, reflex, metrics,
                        better=better, hinted=step.hinted, confidence=self.playthrough.confidences[-1] if self.playthrough.confidences else None)

    def _text(self, text: str, *, markdown: bool = True) -> str:
        """Scenario text with its placeholders and passages rendered against the state now shown."""
        return render(text, self.scenario, self.playthrough.state, self._learner, markdown=markdown)

    # --- leaving --------------------------------------------------------------------------------
    def action_glossary(self) -> None:
        """The terms of the scene on screen: its text, its choices and the feedback being shown."""
        from ...learning.glossary import merged, terms_in
        from .dialogs import GlossaryScreen

        table = merged(self.playthrough.rubric, self.scenario)
        scene = engine.current_scene(self.scenario, self.playthrough.state)
        texts: list[str] = []
        title = self.scenario.title
        if scene is not None:
            title = scene.title or scene.id
            texts = [scene.text, *(choice.text for choice in scene.choices)]
        history = self.playthrough.state.history
        if history and history[-1].choice >= 0:  # the feedback of the decision just made may still be on screen
            node = self.scenario.nodes.get(history[-1].scene)
            choices = getattr(node, "choices", [])
            if 0 <= history[-1].choice < len(choices):
                texts.append(choices[history[-1].choice].feedback)
        everything = sorted(table.values(), key=lambda term: term.term.lower())
        self.navigator.ask(GlossaryScreen(terms_in(texts, table), everything, title))

    def action_leave(self, quit_app: bool = False) -> None:
        if self.playthrough.finished:  # nothing to lose: the session log already has its end
            self.playthrough.close()
            if quit_app:
                self.app.exit()
            else:
                self.navigator.open_debrief(self.playthrough)
            return
        from .dialogs import ConfirmScreen

        decisions = len(self.playthrough.state.history)
        if self.playthrough.saving:
            message = (f"Your {decisions} {'decision is' if decisions == 1 else 'decisions are'} saved. "
                       "Resume from the library whenever you like.")
        else:
            message = "This session is not being saved: leaving now loses it."

        def answered(leave: bool | None) -> None:
            if not leave:
                return
            left = self._left_now()
            if left is not None:  # a resume continues this countdown: leaving is not a free reset
                self.playthrough.record_clock(left, paused=self.paused, leaving=True)
            self._stop_clock()
            self.playthrough.close()
            if quit_app:
                self.app.exit()
            else:
                self.navigator.open_home()

        title = "Quit coach?" if quit_app else "Leave this scenario?"
        self.navigator.ask(ConfirmScreen(title, message, yes="Quit" if quit_app else "Leave", no="Keep playing"), answered)

    def confirm_quit(self) -> None:
        """The app's quit key asks first while a scenario is in progress."""
        self.action_leave(quit_app=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and (self.phase != "scene" or self.paused):
            return False
        if action == "pause" and not self._can_pause:
            return False
        if action == "confidence" and self.phase != "confidence":
            return False
        if action == "glossary" and self.phase == "confidence":
            return False  # g answers "guessing" while the question is asked, and opens the glossary otherwise
        if action == "hint":
            scene = engine.current_scene(self.scenario, self.playthrough.state)
            if self.phase != "scene" or self.playthrough.mode != "coach" or scene is None or not scene.hint:
                return False
        if action == "continue" and self.phase in ("scene", "confidence"):
            return False
        return super().check_action(action, parameters)
