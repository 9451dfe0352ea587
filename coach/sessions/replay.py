"""Replay and rewind: a past session rebuilt decision by decision from its log, on the scenario
version it was played on (kept by hash), and new sessions that branch off at any decision.

A replay never raises for a session it cannot fully show. A torn log, a log from a newer coach,
a kept scenario that is missing or damaged, or a decision the kept scenario no longer allows:
each becomes a sentence in `Replay.problems`, and every step that can still be shown is (a step
without its scenario keeps what the log itself recorded: the scene id and the choice's text).
Nothing here deletes or rewrites a file; rewinding writes a new session and leaves the old one.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from ..engine import engine, order, scoring
from ..engine.hints import apply_hint
from ..engine.explore import Analysis
from ..engine.state import State
from ..engine.text import render
from ..scenario.loader import LoadResult, builtin_rubric, load_bytes
from ..scenario.model import Ending, Rubric, Scenario
from . import log
from .log import Branch, SessionError, SessionRecord, Start

if TYPE_CHECKING:
    from ..engine.calibration import Calibration
    from .playthrough import Playthrough

# --- what a replay holds ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alternative:
    """One choice of a scene as it stood when the learner decided: taken, open or locked."""

    index: int
    """0-based position in the scene's choices as authored."""
    text: str
    score: dict[str, int]
    """The rubric points this choice gives (or would have given)."""
    value: float
    """The weighted share of the criteria's maximum it is worth (see scoring.decision_value)."""
    available: bool
    reason: str
    """Why it was locked, when it was."""
    taken: bool
    feedback: str
    reflex: str | None
    position: int | None = None
    """0-based place on screen when the learner decided (None: the authored place)."""

    @property
    def number(self) -> int:
        """The number the learner saw beside this choice."""
        return (self.index if self.position is None else self.position) + 1


@dataclass(frozen=True, slots=True)
class ReplayStep:
    """One decision (or timeout) of a session, with everything that was on screen around it."""

    number: int
    """1-based position among the session's decisions."""
    scene: str
    scene_title: str
    scene_text: str | None
    """The scene as it was shown; None when the scenario version is not available."""
    clock: str | None
    before: State | None
    """The state when the scene was shown: the dashboard as it stood (None without the scenario)."""
    after: State | None
    timed_out: bool
    choice: int
    """0-based index of the choice made; -1 when time ran out."""
    choice_text: str
    outcome_text: str
    feedback: str
    score: dict[str, int]
    reflex: str | None
    alternatives: list[Alternative]
    """Every choice of the scene in the order the learner saw them, the one taken included (marked `taken`)."""
    running: dict[str, int]
    """Percent per criterion after this decision, of the most any path can earn; empty without the scenario."""
    running_overall: int | None
    seconds: float
    time: str
    confidence: str | None = None
    """How sure the learner said they were before the feedback (None when not asked)."""
    hinted: bool = False
    """The learner asked for the scene's hint; `score` is already reduced (coach.engine.hints)."""

    @property
    def exact(self) -> bool:
        """True when the step was rebuilt on the scenario; False for what the log alone recorded."""
        return self.before is not None

    @property
    def not_taken(self) -> list[Alternative]:
        return [a for a in self.alternatives if not a.taken]


@dataclass
class Replay:
    path: Path
    record: SessionRecord | None
    scenario: Scenario | None = None
    sha256: str = ""
    analysis: Analysis | None = None
    steps: list[ReplayStep] = field(default_factory=list)
    final: State | None = None
    """The state after the last decision that could be rebuilt."""
    problems: list[str] = field(default_factory=list)
    """What could not be shown, and why, in the learner's words."""
    changed: str | None = None
    """Set when the scenario's current file differs from the version played."""
    rubric: Rubric = field(default_factory=builtin_rubric)

    @property
    def start(self) -> Start | None:
        return self.record.start if self.record else None

    @property
    def session_id(self) -> str:
        return self.record.id if self.record else self.path.stem

    @property
    def title(self) -> str:
        if self.scenario is not None:
            return self.scenario.title
        return self.start.title if self.start else self.path.stem

    @property
    def finished(self) -> bool:
        return self.record is not None and self.record.finished

    @property
    def complete(self) -> bool:
        """Every decision in the log was rebuilt on the scenario."""
        return self.record is not None and self.scenario is not None and all(s.exact for s in self.steps) \
            and len(self.steps) == len(self.record.decisions)

    @property
    def ending(self) -> Ending | None:
        if self.scenario is None or self.final is None or self.final.ending is None:
            return None
        node = self.scenario.nodes.get(self.final.ending)
        return node if isinstance(node, Ending) else None

    @property
    def setup_title(self) -> str | None:
        """The title of the setup the session played, once it has ended (never before the ending)."""
        if not self.finished or self.scenario is None or self.record is None or self.record.start is None:
            return None
        from ..engine.setups import title

        return title(self.scenario, self.record.start.setup)

    @property
    def ending_id(self) -> str | None:
        if self.final is not None and self.final.ending:
            return self.final.ending
        end = self.record.end if self.record else None
        return end.ending if end else None

    @property
    def learner(self) -> str:
        """The name the session recorded, for `{learner}` in its text."""
        return self.start.learner if self.start else ""

    def text(self, text: str, state: State | None = None) -> str:
        """Scenario text rendered against `state` (default: where the replay ends), as play showed it."""
        state = state or self.final
        if self.scenario is None or state is None:
            return text
        return render(text, self.scenario, state, self.learner)

    def scores(self) -> list[scoring.CriterionScore]:
        """Criterion scores at the end of what was rebuilt (empty without the scenario)."""
        if self.scenario is None or self.final is None or self.analysis is None:
            return []
        return scoring.criterion_scores(self.scenario, self.final.points, self.analysis, self.rubric)

    def final_scores(self) -> dict[str, int]:
        """Percent per criterion: recomputed when every decision was rebuilt, else as logged at the end."""
        if self.complete:
            return {s.criterion: s.percent for s in self.scores()}
        end = self.record.end if self.record else None
        return dict(end.scores) if end else {}

    def overall(self) -> int | None:
        if self.complete:
            return scoring.overall(self.scores())
        end = self.record.end if self.record else None
        return end.overall if end else None

    def debrief(self) -> scoring.Debrief | None:
        if self.scenario is None or self.final is None or self.analysis is None:
            return None
        return scoring.debrief(self.scenario, self.final, self.analysis, self.rubric)

    @property
    def reflection(self) -> str:
        """The learner's answer to the debrief's question, if they gave one."""
        return self.record.reflection if self.record else ""

    def calibration(self) -> Calibration | None:
        """How sure the learner said they were against how good each decision was (coach.engine.calibration);
        None without the scenario to judge the decisions."""
        from ..engine.calibration import calibration

        debrief = self.debrief()
        if debrief is None:
            return None
        return calibration(debrief.path, [step.confidence for step in self.steps])

    def waiting_options(self) -> list[engine.ChoiceOption]:
        """The choices of the scene an unfinished session stopped in, in the order its learner would see them."""
        scenario, state, start = self.scenario, self.final, self.start
        if scenario is None or state is None or start is None:
            return []
        scene = engine.current_scene(scenario, state)
        if scene is None:
            return []
        shown = order.shown_order(scenario, scene, start.seed, version=start.order)
        return order.arrange(engine.options(scenario, state), shown)

    def can_rewind(self, step: int) -> str | None:
        """None if a new session can branch off at decision `step` (1-based); else why not."""
        if self.record is None or self.scenario is None:
            return "the scenario version this session was played on is not available"
        if not 1 <= step <= len(self.steps) or not self.steps[step - 1].exact:
            return f"decision {step} could not be rebuilt on the scenario"
        return None


# --- opening a replay ---------------------------------------------------------------------------


def open_replay(path: Path | str, *, rubric: Rubric | None = None) -> Replay:
    """Everything of a session that can be shown, and what cannot (never raises SessionError)."""
    path = Path(path)
    replay = Replay(path=path, record=None, rubric=rubric or builtin_rubric())
    try:
        record = log.read_session(path)
    except SessionError as error:
        reason = str(error).rstrip(".")  # some reasons are whole sentences already
        replay.problems.append(f"{reason}. Nothing of this session can be shown; the file was left as it is.")
        return replay
    replay.record = record
    replay.problems.extend(f"The log is damaged: {problem}." for problem in record.problems)
    start = record.start
    assert start is not None
    loaded, problem = played_version(start)
    if problem:
        replay.problems.append(problem)
    replay.changed = changed_since(start)
    if loaded is None or loaded.scenario is None:
        replay.steps = _log_only_steps(record, 0)
        return replay
    replay.scenario = loaded.scenario
    replay.sha256 = loaded.sha256
    from .playthrough import analysis_of

    replay.analysis = analysis_of(loaded.scenario, loaded.sha256, setup=start.setup)
    _rebuild_steps(replay, record)
    return replay


def played_version(start: Start) -> tuple[LoadResult | None, str | None]:
    """The scenario version a session was played on, and a sentence if it is not the kept copy.

    The kept copy (by SHA-256) comes first. If it is missing or damaged, a library file with the
    same hash is the same version, so it serves just as well.
    """
    loaded, _, problem = _played(start)
    return loaded, problem


def _played(start: Start) -> tuple[LoadResult | None, bytes, str | None]:
    from .store import kept_scenario_path

    if not log.is_sha256(start.sha256):  # checked when read; never a path
        return None, b"", ("The session does not record which scenario version it was played on, so scenes, "
                           "dashboards and scores cannot be shown; the decisions the log recorded are.")
    kept = kept_scenario_path(start.sha256)
    problem: str | None = None
    try:
        data = kept.read_bytes()
    except FileNotFoundError:
        problem = (f"The scenario version this session was played on ({start.scenario}, {start.sha256[:12]}) is no "
                   "longer kept, so scenes, dashboards and scores cannot be shown; the decisions the log recorded are.")
    except OSError as error:
        problem = (f"The kept scenario version {start.sha256[:12]} cannot be read ({error.strerror or error}); "
                   "only the decisions the log recorded are shown.")
    else:
        if hashlib.sha256(data).hexdigest() != start.sha256:
            problem = (f"The kept scenario version {start.sha256[:12]} is damaged (its contents no longer match its "
                       "hash); only the decisions the log recorded are shown.")
        else:
            loaded = load_bytes(data, str(kept))
            if loaded.scenario is not None:
                return loaded, data, None
            first = loaded.errors[0].message if loaded.errors else "it does not load"
            problem = (f"The kept scenario version {start.sha256[:12]} no longer loads ({first}); "
                       "only the decisions the log recorded are shown.")
    for candidate in _current_files(start):
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == start.sha256:
            loaded = load_bytes(data, str(candidate))
            if loaded.scenario is not None:
                return loaded, data, None
    return None, b"", problem


def changed_since(start: Start) -> str | None:
    """A sentence when the scenario's current file is not the version the session was played on."""
    for candidate in _current_files(start):
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == start.sha256:
            return None
        return (f"{candidate.name} has changed since this session was played; "
                "the replay shows the version that was played.")
    return None


def _current_files(start: Start) -> list[Path]:
    """Where the scenario lives now: the file the session was started from, then the library by id."""
    from ..io.paths import builtin_scenarios_dir, user_scenarios_dir

    found: list[Path] = []
    if start.source:
        source = Path(start.source)
        if source.is_file() and "scenarios-by-hash" not in source.parts:
            found.append(source)
    for folder in (builtin_scenarios_dir(), user_scenarios_dir()):
        candidate = folder / f"{start.scenario}.toml"
        if candidate.is_file() and all(not _same(candidate, f) for f in found):
            found.append(candidate)
    return found


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _rebuild_steps(replay: Replay, record: SessionRecord) -> None:
    scenario, analysis = replay.scenario, replay.analysis
    assert scenario is not None and analysis is not None
    from .playthrough import start_state

    start = record.start
    assert start is not None
    try:
        state = start_state(scenario, start)
    except (engine.EngineError, KeyError) as error:
        replay.problems.append(f"The session cannot be rebuilt from its start ({error}); only its decisions are shown.")
        replay.steps = _log_only_steps(record, 0)
        return
    replay.final = state
    decisions = record.decisions
    for number, event in enumerate(decisions, start=1):
        built = _rebuild_one(replay, state, event, number)
        if isinstance(built, str):
            replay.problems.append(
                f"Decision {number} cannot be rebuilt on the version played ({built}); "
                "from there on, only the choices the log recorded are shown."
            )
            replay.steps.extend(_log_only_steps(record, number - 1))
            return
        step, state = built
        replay.steps.append(step)
        replay.final = state
    if record.finished and not state.finished:
        replay.problems.append("The log says the session ended, but its decisions do not reach an ending.")


def _rebuild_one(replay: Replay, state: State, event: log.Choice | log.Timeout, number: int) -> tuple[ReplayStep, State] | str:
    scenario, analysis = replay.scenario, replay.analysis
    assert scenario is not None and analysis is not None
    scene = engine.current_scene(scenario, state)
    if scene is None:
        return "the scenario had already ended"
    if event.scene != scene.id:
        return f"it was made in scene '{event.scene}', but the replay is in '{scene.id}'"
    options = engine.options(scenario, state)
    shown = event.shown if order.valid_order(event.shown, len(scene.choices)) else list(range(len(scene.choices)))
    options = order.arrange(options, shown)
    try:
        after = engine.timeout(scenario, state) if isinstance(event, log.Timeout) else \
            engine.step(scenario, state, event.choice, seed=replay.start.seed if replay.start else 0)
        if isinstance(event, log.Choice) and event.hinted:
            after = apply_hint(after)
    except engine.EngineError as error:
        return str(error)
    taken = after.history[-1]
    alternatives = [
        Alternative(
            index=option.index,
            text=option.choice.text,
            score={k: v for k, v in option.choice.score.items() if v},
            value=scoring.decision_value(scenario, analysis, option.choice.score),
            available=option.available,
            reason=option.reason,
            taken=option.index == taken.choice,
            feedback=option.choice.feedback,
            reflex=option.choice.reflex,
            position=option.position,
        )
        for option in options
    ]
    scores = scoring.criterion_scores(scenario, after.points, analysis, replay.rubric)
    learner = replay.learner
    if taken.timed_out:
        choice_text, feedback, outcome = "(ran out of time)", "Time ran out before a decision; the situation moved on.", ""
    else:
        choice = scene.choices[taken.choice]
        choice_text = choice.text
        # Shown after the decision, as in play: rendered against the state it led to.
        feedback = render(choice.feedback, scenario, after, learner)
        outcome = choice.outcomes[taken.outcome].text if choice.outcomes and taken.outcome is not None else ""
        outcome = render(outcome, scenario, after, learner, markdown=False)
    step = ReplayStep(
        number=number,
        scene=scene.id,
        scene_title=scene.title or scene.id,
        scene_text=render(scene.text, scenario, state, learner),
        clock=engine.clock(scenario, state),
        before=_compact(state),
        after=_compact(after),
        timed_out=taken.timed_out,
        choice=taken.choice,
        choice_text=choice_text,
        outcome_text=outcome,
        feedback=feedback,
        score=dict(taken.score),
        reflex=taken.reflex,
        alternatives=alternatives,
        running={s.criterion: s.percent for s in scores},
        running_overall=scoring.overall(scores),
        seconds=getattr(event, "seconds", 0.0),
        time=event.time,
        confidence=getattr(event, "confidence", None),
        hinted=taken.hinted,
    )
    return step, after


SPARK_POINTS = 64
"""Metric values a step keeps for its sparkline: more than any dashboard draws."""


def _compact(state: State) -> State:
    """The state as a step shows it, without the whole past: linear memory for a whole replay.

    Every state carries its history, visited scenes and metric history; keeping two of them per
    step made a replay quadratic (a 2 MB log took 4.8 GB). A step needs only its last decision,
    the metrics and a sparkline's worth of their values; the running state keeps everything."""
    return msgspec.structs.replace(
        state,
        history=state.history[-1:],
        visited=state.visited[-1:],
        metric_history={name: values[-SPARK_POINTS:] for name, values in state.metric_history.items()},
    )


def _log_only_steps(record: SessionRecord, skip: int) -> list[ReplayStep]:
    """Decisions as the log recorded them, for when the scenario cannot rebuild them."""
    steps: list[ReplayStep] = []
    for number, event in enumerate(record.decisions[skip:], start=skip + 1):
        chose = event if isinstance(event, log.Choice) else None
        steps.append(ReplayStep(
            number=number, scene=event.scene, scene_title=event.scene, scene_text=None, clock=None,
            before=None, after=None, timed_out=chose is None, choice=chose.choice if chose else -1,
            choice_text=chose.text if chose else "(ran out of time)", outcome_text="", feedback="",
            score={}, reflex=None, alternatives=[], running={}, running_overall=None,
            seconds=chose.seconds if chose else 0.0, time=event.time,
            confidence=chose.confidence if chose else None, hinted=chose.hinted if chose else False,
        ))
    return steps


# --- rewind -------------------------------------------------------------------------------------


def rewind(record: SessionRecord, keep: int, choice: int | None = None, *, mode: str | None = None, learner: str = "",
           save: bool = True) -> Playthrough:
    """A new live session that branches off `record` after its first `keep` decisions.

    The new session is played on the version the original was played on, with the same seed, so
    every chance outcome of the kept decisions comes out the same. Those decisions are written into
    the new log as well (a branch is a complete session on its own: it can be resumed, replayed
    and reported without the original), and its start event records `Branch(original, keep)`.
    With `choice` (0-based), that choice is then made at the branching scene. Returns the
    `Playthrough`; raises SessionError, with a sentence, if the branch cannot be made.
    """
    from .playthrough import Playthrough

    start = record.start
    assert start is not None
    decisions = record.decisions
    if not 0 <= keep <= len(decisions):
        raise SessionError(f"session {record.id} has {len(decisions)} decisions; it cannot branch after decision {keep}")
    loaded, data, problem = _played(start)
    if loaded is None or loaded.scenario is None:
        raise SessionError(problem or "the scenario version this session was played on is not available")
    scenario = loaded.scenario
    # Check the whole branch on a bare state first, so a branch that cannot be made leaves no file.
    state = _branch_point(scenario, record, keep)
    if choice is not None:
        option = next((o for o in engine.options(scenario, state) if o.index == choice), None)
        if option is None:
            raise SessionError(f"that scene has no choice {choice + 1}")
        if not option.available:
            raise SessionError(f"choice {option.number} was locked at that point: {option.reason}")
    if start.source:
        loaded = dataclasses.replace(loaded, path=start.source)
    play = Playthrough.new(
        loaded, seed=start.seed, mode=mode or start.mode, save=save, branched_from=Branch(record.id, keep),
        start_at=start.start_scene, metrics=dict(start.start_metrics) or None, flags=frozenset(start.start_flags),
        data=data, order_version=start.order, setup=start.setup, learner=learner,
    )
    for event in decisions[:keep]:
        if isinstance(event, log.Timeout):
            play.time_out()
        else:
            play.choose(event.choice, seconds=event.seconds, confidence=event.confidence, hinted=event.hinted)
    if choice is not None:
        play.choose(choice)
    return play


def _branch_point(scenario: Scenario, record: SessionRecord, keep: int) -> State:
    """The state after the first `keep` decisions, checked against the scenes they were made in."""
    from .playthrough import start_state

    start = record.start
    assert start is not None
    try:
        state = start_state(scenario, start)
        for number, event in enumerate(record.decisions[:keep], start=1):
            scene = engine.current_scene(scenario, state)
            if scene is None or scene.id != event.scene:
                where = scene.id if scene else state.scene
                raise SessionError(f"decision {number} was made in scene '{event.scene}', but the branch is in '{where}'")
            if isinstance(event, log.Timeout):
                state = engine.timeout(scenario, state)
            else:
                state = engine.step(scenario, state, event.choice, seed=start.seed)
                if event.hinted:
                    state = apply_hint(state)
    except (engine.EngineError, KeyError) as error:
        raise SessionError(f"the branch cannot be made: {error}") from None
    if state.finished:
        raise SessionError(f"the session had ended after decision {keep}; there is nothing left to choose")
    return state
