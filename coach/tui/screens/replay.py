"""Replay: a past session, decision by decision, on the scenario version it was played on.

←/→ (and home/end) step through the decisions; the last position is the ending, or the scene
where an unfinished session stopped. Each step shows the scene as it was shown, the dashboard as
it stood, every choice (the one made, the ones not taken with what they would have scored, the
locked ones), the feedback, and the score so far. `t` tries another choice at that decision: a
new live session branches off there. Whatever the log or the kept scenario cannot give is said
in a note at the top; nothing here changes or deletes a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from ...io.display import RATING_MARKS, arrow, direction, format_change
from ...sessions import history
from ...sessions.replay import Alternative, Replay, ReplayStep, open_replay
from ...sessions.so_far import score_so_far
from ..widgets.alternatives import AlternativeList
from ..widgets.dashboard import MetricsDashboard
from ..widgets.feedback import Feedback, FeedbackPanel, MetricMove
from ..widgets.scenetext import SceneText
from ..widgets.scores import ScoreBar, score_style
from .base import CoachScreen

STRIP_MAX = 40


class ReplayScreen(CoachScreen):
    STYLES = ("screens/replay.tcss", "widgets/alternatives.tcss", "widgets/dashboard.tcss", "widgets/feedback.tcss",
              "widgets/scores.tcss")
    BINDINGS = [
        Binding("left", "step(-1)", "Previous", key_display="←", priority=True, id="replay.previous"),
        Binding("right", "step(1)", "Next", key_display="→", priority=True, id="replay.next"),
        Binding("home", "first", "First", show=False, priority=True, id="replay.first"),
        Binding("end", "last", "Last", show=False, priority=True, id="replay.last"),
        Binding("t", "try_other", "Try this choice instead", id="replay.try"),
        Binding("escape", "back", "Back", id="replay.back"),
    ]

    position: reactive[int] = reactive(0, init=False)

    def __init__(self, session: Path | Replay, *, at: int = 0) -> None:
        super().__init__()
        self.replay = session if isinstance(session, Replay) else open_replay(session)
        rubric = self.replay.rubric
        self.titles = {name: c.title for name, c in rubric.criteria.items()}
        self.reflex_titles = {name: r.title for name, r in rubric.reflexes.items()}
        self.set_reactive(ReplayScreen.position, max(0, min(at, self.last_position)))

    # --- positions: one per decision, then the ending (or where an unfinished session stopped) --
    @property
    def last_position(self) -> int:
        return len(self.replay.steps)

    @property
    def step(self) -> ReplayStep | None:
        steps = self.replay.steps
        return steps[self.position] if self.position < len(steps) else None

    # --- layout -------------------------------------------------------------------------------
    def crumbs(self) -> tuple[str, ...]:
        return ("History", self.replay.title, "Replay")

    def title_info(self) -> Content:
        replay = self.replay
        start = replay.start
        if start is None:
            return Content.styled("unreadable session", "$text-error")
        overall = replay.overall()
        parts: list[Content | tuple[str, str] | str] = [
            (history.when_words(start.time, history.local_now()), "bold"),
            ("  ·  ", "$text-muted"),
            (f"{start.mode} mode", "$text-secondary"),
        ]
        if overall is not None:
            parts += [("  ·  ", "$text-muted"), (f"{overall}%", f"bold {score_style(overall)}")]
        elif not replay.finished:
            parts += [("  ·  ", "$text-muted"), ("unfinished", "$text-warning")]
        return Content.assemble(*parts)

    def compose_body(self) -> Iterable[Widget]:
        yield Static(self._notes(), id="replay-notes")
        with Horizontal(id="replay-body"):
            with Vertical(id="replay-main"):
                with VerticalScroll(id="replay-scene"):
                    yield SceneText(id="replay-scene-text")
                yield AlternativeList(id="replay-choices")
                yield FeedbackPanel(id="replay-feedback")
                yield Static(id="replay-final")
            with Vertical(id="replay-side"):
                yield MetricsDashboard(everything=True, id="replay-dashboard")
                with Vertical(id="replay-scores"):
                    for name in self._criteria():
                        yield ScoreBar(self.titles.get(name, name), 0, title_width=16)
                    yield Static(id="replay-overall")
        yield Static(id="replay-strip")

    def _criteria(self) -> dict[str, int]:
        scenario = self.replay.scenario
        if scenario is not None:
            return dict(scenario.criteria)
        return {name: 0 for name in self.replay.final_scores()}

    def _notes(self) -> Content:
        lines: list[Content] = []
        if self.replay.changed:
            lines.append(Content.assemble(("ⓘ ", "bold $text-accent"), Content(self.replay.changed)))
        for problem in self.replay.problems:
            lines.append(Content.assemble(("⚠ ", "bold $text-warning"), Content(problem)))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        notes = self.query_one("#replay-notes", Static)
        notes.display = bool(self.replay.changed or self.replay.problems)
        notes.set_class(bool(self.replay.problems), "-problem")
        self.query_one("#replay-choices").border_title = "The choices"
        self.query_one(FeedbackPanel).border_title = "Feedback"
        dashboard = self.query_one(MetricsDashboard)
        dashboard.border_title = "Dashboard"
        dashboard.border_subtitle = "as it stood"
        if self.replay.scenario is None or not self.replay.scenario.metrics:
            dashboard.display = False
        if self.replay.record is None:  # nothing was read, so there is no score to speak of
            self.query_one("#replay-side").display = False
        self.query_one("#replay-scores").border_title = "Score so far"
        self._show()
        self.query_one(AlternativeList).focus()

    # --- showing one position -------------------------------------------------------------------
    def watch_position(self) -> None:
        self._show()

    def _show(self) -> None:
        step = self.step
        if step is None:
            self._show_end()
        else:
            self._show_step(step)
        self._show_strip()
        self.refresh_bindings()

    def _show_step(self, step: ReplayStep) -> None:
        box = self.query_one("#replay-scene", VerticalScroll)
        box.border_title = Content.assemble(f"Decision {step.number} · ", Content(step.scene_title))
        box.border_subtitle = step.clock
        text = self.query_one(SceneText)
        if step.scene_text is None:
            text.update("*The scene's text is not available: the scenario version this session was played on "
                        "is missing. The log recorded the decision below.*")
        else:
            text.update(step.scene_text.strip())
        box.scroll_home(animate=False)
        choices = self.query_one(AlternativeList)
        choices.display = True
        alternatives = step.alternatives or [self._logged_choice(step)]
        choices.show(alternatives, self.titles, self.reflex_titles)
        choices.border_subtitle = "↑↓ pick · t try it instead" if choices.pickable and self.replay.can_rewind(step.number) is None else None
        panel = self.query_one(FeedbackPanel)
        panel.display = True
        panel.show(self._feedback(step))
        self.query_one("#replay-final").display = False
        if step.before is not None and self.replay.scenario is not None:
            self.query_one(MetricsDashboard).show(self.replay.scenario, step.before)
        scores, overall = step.running, step.running_overall
        if self.replay.scenario is not None and self.replay.analysis is not None and step.exact:
            # Against what the decisions so far allowed: a perfect first decision is 100%, not 13%.
            so_far = score_so_far(self.replay.scenario, self.replay.analysis, self.replay.steps[:self.position + 1])
            scores = {name: percent for name, percent in so_far.percent.items() if percent is not None}
            overall = so_far.overall
            self._show_scores(scores, overall, f"after decision {step.number} · of the best so far",
                              nothing="Nothing was at stake yet.")
            return
        self._show_scores(scores, overall, f"after decision {step.number}")

    def _logged_choice(self, step: ReplayStep) -> Alternative:
        return Alternative(index=max(step.choice, 0), text=step.choice_text, score={}, value=0.0, available=True,
                           reason="", taken=True, feedback="", reflex=None)

    def _show_end(self) -> None:
        replay = self.replay
        box = self.query_one("#replay-scene", VerticalScroll)
        text = self.query_one(SceneText)
        choices = self.query_one(AlternativeList)
        final = self.query_one("#replay-final", Static)
        self.query_one(FeedbackPanel).display = False
        box.border_subtitle = None
        ending = replay.ending
        if replay.record is None:
            box.border_title = "Nothing to replay"
            text.update("This session's log cannot be read, so none of it can be shown. The note above says why; "
                        "the file was left as it is.")
            choices.display = False
            final.display = False
        elif ending is not None:
            box.border_title = Content.assemble("The end · ", Content(ending.title))
            marks, style = RATING_MARKS.get(ending.rating, ("", ""))
            box.border_subtitle = Content.assemble((marks, style), f" {ending.rating} ending")
            text.update(replay.text(ending.text).strip() or ending.title)
            choices.display = False
            final.display = True
            final.update(self._verdict())
        elif replay.finished:
            box.border_title = "The end"
            text.update(f"The session ended at *{replay.ending_id}*.")
            choices.display = False
            final.display = True
            final.update(self._verdict())
        else:
            self._show_stopped(box, text, choices)
            final.display = False
        box.scroll_home(animate=False)
        if replay.final is not None and replay.scenario is not None:
            self.query_one(MetricsDashboard).show(replay.scenario, replay.final)
        last = replay.steps[-1] if replay.steps else None
        if replay.complete or last is None:
            scores = {s.criterion: s.percent for s in replay.scores()} or replay.final_scores()
            self._show_scores(scores, replay.overall() if replay.finished else (last.running_overall if last else None),
                              "final" if replay.finished else "where it stopped")
        else:
            self._show_scores(replay.final_scores(), replay.overall(), "as logged at the end")

    def _show_stopped(self, box: VerticalScroll, text: SceneText, choices: AlternativeList) -> None:
        from ...engine import engine

        replay = self.replay
        scenario, state = replay.scenario, replay.final
        scene = engine.current_scene(scenario, state) if scenario is not None and state is not None else None
        if scene is None or scenario is None or state is None or not replay.complete:
            box.border_title = "Unfinished"
            text.update("The session stopped here, before an ending.")
            choices.display = False
            return
        box.border_title = Content.assemble("Unfinished · stopped at ", Content(scene.title or scene.id))
        box.border_subtitle = engine.clock(scenario, state)
        text.update(replay.text(scene.text, state).strip())
        from ...engine.scoring import decision_value

        assert replay.analysis is not None
        options = replay.waiting_options()
        alternatives = [
            Alternative(o.index, o.choice.text, {k: v for k, v in o.choice.score.items() if v},
                        decision_value(scenario, replay.analysis, o.choice.score), o.available, o.reason, False,
                        o.choice.feedback, o.choice.reflex, position=o.position)
            for o in options
        ]
        choices.display = True
        choices.show(alternatives, self.titles, self.reflex_titles)
        choices.border_subtitle = "↑↓ pick · t try it" if choices.pickable else None

    def _verdict(self) -> Content:
        replay = self.replay
        overall = replay.overall()
        parts: list[Content | tuple[str, str] | str] = []
        if overall is not None:
            from ...engine.scoring import grade_letter

            parts += [(f"{overall}%", f"bold {score_style(overall)}"), f" overall · grade {grade_letter(overall)}"]
        if replay.setup_title:  # _verdict shows only at the ending
            parts += ["\n" if parts else "", ("Setup: ", "$text-muted"), Content(replay.setup_title)]
        reflexes = [s for s in replay.steps if s.reflex]
        if reflexes:
            parts += ["\n", ("Reflexes shown: ", "$text-muted")]
            parts.append(Content(", ").join(
                Content.assemble(("⚑ ", "$warning"), f"“{self.reflex_titles.get(s.reflex or '', s.reflex)}”",
                                 (f" (decision {s.number})", "$text-muted")) for s in reflexes))
        elif replay.complete:
            parts += ["\n", ("✓ ", "bold $text-success"), "No traditional-PM reflex showed."]
        judged = replay.calibration() if replay.complete else None
        if judged is not None and judged.asked:
            from ...engine.calibration import summary_lines

            parts += ["\n", ("How sure you were: ", "$text-muted"), " ".join(summary_lines(judged))]
        if replay.reflection:
            parts += ["\n", ("Next time: ", "bold $accent"), Content(replay.reflection)]
        parts += ["\n", ("← to step back through the decisions; t on one of them tries another choice there.", "$text-muted")]
        return Content.assemble(*parts)

    def _feedback(self, step: ReplayStep) -> Feedback:
        moved = [(points, self.titles.get(name, name)) for name, points in step.score.items() if points]
        reflex = None
        rubric = self.replay.rubric
        if step.reflex and step.reflex in rubric.reflexes:
            reflex = (rubric.reflexes[step.reflex].title, rubric.reflexes[step.reflex].description)
        metrics: list[MetricMove] = []
        scenario = self.replay.scenario
        if scenario is not None and step.after is not None:
            for name, delta in step.after.history[-1].effects.items():
                metric = scenario.metrics[name]
                metrics.append(MetricMove(metric.label, f"{arrow(delta)} {format_change(metric, delta)}", direction(metric, delta)))
        if not step.exact:
            return Feedback(step.choice_text, "", "", [], None, [])
        return Feedback(None if step.timed_out else step.choice_text, step.feedback, step.outcome_text, moved, reflex, metrics,
                        hinted=step.hinted, confidence=step.confidence)

    def _show_scores(self, scores: dict[str, int], overall: int | None, when: str,
                     nothing: str = "No score: the scenario version is not available.") -> None:
        box = self.query_one("#replay-scores")
        box.border_subtitle = when
        for bar, name in zip(self.query(ScoreBar), self._criteria()):
            percent = scores.get(name)
            bar.percent = percent or 0
            bar.graded = percent is not None
            bar.refresh()
        words = Content.assemble(("Overall ", "$text-muted"), (f"{overall}%", f"bold {score_style(overall)}")) \
            if overall is not None else Content.styled(nothing, "$text-muted")
        self.query_one("#replay-overall", Static).update(words)

    def _show_strip(self) -> None:
        steps = self.replay.steps
        strip = self.query_one("#replay-strip", Static)
        if self.replay.record is None:
            strip.update("")
            return
        marks: list[tuple[str, str]] = []
        window = range(len(steps))
        if len(steps) > STRIP_MAX:
            first = max(0, min(self.position - STRIP_MAX // 2, len(steps) - STRIP_MAX))
            window = range(first, first + STRIP_MAX)
        for index in window:
            step = steps[index]
            current = index == self.position
            symbol = "◉" if current else ("⚑" if step.reflex else "●" if index < self.position else "○")
            style = "bold $text-accent" if current else ("$text-warning" if step.reflex else "$text-muted")
            marks.append((symbol + " ", style))
        end_symbol = "◆" if self.position == self.last_position else "◇"
        marks.append((end_symbol, "bold $text-accent" if self.position == self.last_position else "$text-muted"))
        if self.step is not None:
            where = f"decision {self.step.number} of {len(steps)}"
        else:
            where = "the ending" if self.replay.finished else "where it stopped"
        strip.update(Content.assemble(("← ", "bold $accent"), *marks, (" →", "bold $accent"), ("   ", ""),
                                      (where, "bold"), ("   ⚑ a reflex showed", "$text-muted") if any(s.reflex for s in steps) else ""))

    # --- actions --------------------------------------------------------------------------------
    def action_step(self, delta: int) -> None:
        self.position = max(0, min(self.last_position, self.position + delta))

    def action_first(self) -> None:
        self.position = 0

    def action_last(self) -> None:
        self.position = self.last_position

    def action_back(self) -> None:
        self.navigator.back()

    def action_try_other(self) -> None:
        choices = self.query_one(AlternativeList)
        keep = self.position
        index = choices.highlighted
        problem = self.replay.can_rewind(keep + 1) if self.step is not None else None
        if problem is None and self.step is None and not self.replay.complete:
            problem = "the session could not be fully rebuilt"
        if problem is not None:
            self.notify(f"Cannot branch here: {problem}.", severity="warning")
            return
        if index is None or index not in choices.pickable:
            self.notify("Every other choice was locked here; there is nothing else to try.", severity="warning")
            return
        from .dialogs import ConfirmScreen

        option = next(a for a in choices.alternatives if a.index == index)
        kept = ("Your first decision is replayed into it, then it " if keep == 1 else
                f"Your first {keep} decisions are replayed into it, then it " if keep else "It ")
        message = (f"A new session starts at decision {keep + 1} with “{option.text}”. {kept}"
                   "continues live from there. This session stays as it is.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._branch(keep, index)

        self.navigator.ask(ConfirmScreen("Try this choice instead?", message, yes="Start", no="Cancel"), answered)

    def _branch(self, keep: int, index: int) -> None:
        from ...config.learner import current_learner
        from ...sessions.log import SessionError
        from ...sessions.replay import rewind

        assert self.replay.record is not None
        try:
            playthrough = rewind(self.replay.record, keep, learner=current_learner())
        except SessionError as error:
            self.notify(str(error), title="Cannot branch", severity="error", timeout=10)
            return
        self.navigator.open_branch(playthrough, index)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            delta = parameters[0] if parameters else 0
            target = self.position + int(delta)  # type: ignore[call-overload]
            if not 0 <= target <= self.last_position:
                return None
        if action == "try_other":
            choices = self.query_one(AlternativeList)
            if not choices.display or not choices.pickable or self.replay.record is None:
                return False
        return super().check_action(action, parameters)

