"""A playthrough: the engine, a scenario and a session log moving together.

The screens and `coach simulate` both drive play through this one object, so every decision is
logged the same way whichever shell made it, and resuming or rewinding is the same replay.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from ..engine import engine, order, scoring, setups
from ..engine.hints import apply_hint
from ..engine.explore import Analysis, explore
from ..engine.state import State, Step
from ..io.paths import sessions_dir
from ..scenario.loader import LoadResult, builtin_rubric
from ..scenario.model import Rubric, Scenario
from ..analysis import saved as analyses
from . import log, timeleft
from .log import Branch, SessionError, SessionRecord, SessionWriter
from .store import keep_scenario, load_kept


_ANALYSES: dict[str, Analysis] = {}
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def analysis_of(scenario: Scenario, sha256: str = "", *, keep: bool = True, setup: str | None = None) -> Analysis:
    """Exploration is deterministic for a file's content, so it is computed once per hash: kept
    in memory for this run, and on disk (`coach.analysis.saved`) for the next ones unless
    `keep` is False (play that saves nothing, such as `simulate --no-save`, writes nothing).

    A scenario with setups is explored once per setup (each has its own expert path and
    ceilings), so the key is (hash, setup); an id the scenario lacks explores the plain start."""
    if setup is not None and setup not in setups.ids(scenario):
        setup = None
    key = f"{sha256 or f'id:{id(scenario)}'}|{setup or ''}"
    found = _ANALYSES.get(key)
    if found is not None:
        return found
    # The briefing's worker, then the play screen's, both warm the same key: the second waits for
    # the first instead of exploring again beside it (two threads exploring halve the UI's share).
    with _lock_for(key):
        found = _ANALYSES.get(key)
        if found is None and sha256:
            found = analyses.load(sha256, setup=setup)
        if found is None:
            found = explore(scenario, setup=setup)
            if sha256 and keep:
                analyses.save(sha256, found, setup=setup)
        _ANALYSES[key] = found
    return found


def _lock_for(key: str) -> threading.Lock:
    with _LOCKS_LOCK:
        return _LOCKS.setdefault(key, threading.Lock())


@dataclass
class Playthrough:
    scenario: Scenario
    state: State
    seed: int
    mode: str
    sha256: str
    writer: SessionWriter | None
    rubric: Rubric = field(default_factory=builtin_rubric)
    notices: list[str] = field(default_factory=list)
    """Things the learner should know (the session is not being saved, a kept copy failed)."""
    order_version: int = order.ORDER_VERSION
    """How choices are ordered on screen (coach.engine.order); a resumed session keeps its own."""
    confidences: list[str | None] = field(default_factory=list)
    """How sure the learner said they were, one per decision (None when not asked, and for timeouts)."""
    resumed_left: timeleft.Left | None = None
    """What was left on the clock of the decision a resumed session continues with (None: start it in full)."""
    _clock_writes: tuple[int, int] = (-1, 0)
    """(decision, clock events written for it), to bound them (timeleft.MAX_PER_DECISION)."""

    # --- starting ------------------------------------------------------------------------------
    @classmethod
    def new(
        cls,
        loaded: LoadResult,
        *,
        seed: int | None = None,
        mode: str | None = None,
        save: bool = True,
        branched_from: Branch | None = None,
        start_at: str | None = None,
        metrics: dict[str, float] | None = None,
        flags: frozenset[str] = frozenset(),
        data: bytes | None = None,
        order_version: int = order.ORDER_VERSION,
        setup: str | None = None,
        learner: str = "",
    ) -> Playthrough:
        """A new session. A scenario with setups plays `setup` if given (`--setup`), else the one
        the seed draws (`setups.draw`); the start event records it either way. `learner` is the
        name the start event records: the shell reads it (coach.config.learner), the core never reads settings."""
        scenario = loaded.scenario
        if scenario is None:
            raise SessionError(f"{loaded.path} has errors; run `coach check {loaded.path}`")
        seed = random.randrange(1 << 31) if seed is None else seed
        mode = mode or scenario.mode
        try:
            setups.by_id(scenario, setup)
        except setups.UnknownSetup as error:
            raise SessionError(str(error)) from None
        if setup is None:
            setup = setups.draw(scenario, seed)
        state = engine.start(scenario, metrics=metrics, flags=flags, at=start_at, setup=setup)
        writer = None
        notices: list[str] = []
        if save:
            problem = keep_scenario(data if data is not None else loaded.text.encode("utf-8"), loaded.sha256)
            if problem:
                notices.append(problem)
            writer = SessionWriter.create(sessions_dir(), log.new_session_id(scenario.id))
            extra = {"learner": learner, "order": order_version}
            if setup is not None:
                extra["setup"] = setup
            if start_at:
                extra.update(start_scene=start_at, start_metrics=dict(metrics or {}), start_flags=sorted(flags))
            writer.append(
                log.start_event(writer.session_id, scenario.id, scenario.title, loaded.sha256, seed, mode,
                                source=loaded.path, branched_from=branched_from, **extra)
            )
            if writer.error:
                notices.append(writer.error)
        return cls(scenario, state, seed, mode, loaded.sha256, writer, notices=notices, order_version=order_version)

    @classmethod
    def resume(cls, record: SessionRecord) -> Playthrough:
        """Continue an unfinished session from its last decision, appending to the same log."""
        if record.finished:
            raise SessionError(f"session {record.id} is already finished; replay it instead")
        if record.start is not None and record.start.order > order.ORDER_VERSION:
            raise SessionError(f"session {record.id} shows its choices in an order this coach does not know "
                               f"(order {record.start.order}); upgrade coach to resume it")
        scenario, state = rebuild(record)
        start = record.start
        assert start is not None
        writer = SessionWriter.reopen(record.path)
        notices = [writer.error] if writer.error else []
        confidences = [getattr(event, "confidence", None) for event in record.decisions]
        scene = engine.current_scene(scenario, state)
        left = timeleft.time_left(record, scene.id, scene.time_limit) if scene is not None else None
        return cls(scenario, state, start.seed, start.mode, start.sha256, writer, notices=notices,
                   order_version=start.order, confidences=confidences, resumed_left=left)

    # --- playing -------------------------------------------------------------------------------
    @property
    def analysis(self) -> Analysis:
        return analysis_of(self.scenario, self.sha256, keep=self.writer is not None, setup=self.state.setup)

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def session_id(self) -> str | None:
        return self.writer.session_id if self.writer else None

    @property
    def saving(self) -> bool:
        return self.writer is not None and self.writer.saving

    def options(self) -> list[engine.ChoiceOption]:
        """The current scene's choices in the order this session shows them, numbered as shown."""
        return order.arrange(engine.options(self.scenario, self.state), self.shown())

    def shown(self) -> list[int]:
        """Authored indices of the current scene's choices in the order on screen."""
        scene = engine.current_scene(self.scenario, self.state)
        if scene is None:
            return []
        return order.shown_order(self.scenario, scene, self.seed, version=self.order_version)

    def choose(self, index: int, *, seconds: float = 0.0, confidence: str | None = None, hinted: bool = False) -> Step:
        """Take the choice with authored index `index` (not its number on screen), with how sure the
        learner said they were and whether they asked for the scene's hint (which halves its gains)."""
        scene = engine.current_scene(self.scenario, self.state)
        shown = self.shown()
        self.state = engine.step(self.scenario, self.state, index, seed=self.seed)
        if hinted:
            self.state = apply_hint(self.state)
        taken = self.state.history[-1]
        assert scene is not None
        choice = scene.choices[index]
        self.confidences.append(confidence)
        self._log(log.Choice(scene=scene.id, choice=index, choice_id=choice.id, text=choice.text,
                             seconds=round(seconds, 2), time=log.now(), shown=shown, confidence=confidence,
                             hinted=hinted))
        if taken.outcome is not None and choice.outcomes:
            self._log(log.Outcome(scene=scene.id, choice=index, outcome=taken.outcome, draw=taken.draw or 0.0,
                                  goto=choice.outcomes[taken.outcome].goto))
        self._maybe_end()
        return taken

    def record_clock(self, left: float, *, paused: bool = False, leaving: bool = False) -> None:
        """Write the time left on the current (timed) decision to the log; at most
        `timeleft.MAX_PER_DECISION` times a decision, and once more when the learner leaves."""
        scene = engine.current_scene(self.scenario, self.state)
        if scene is None or scene.time_limit is None or self.writer is None:
            return
        step = len(self.state.history)
        decision, count = self._clock_writes
        count = count if decision == step else 0
        if count >= timeleft.MAX_PER_DECISION and not leaving:
            return
        self._clock_writes = (step, count + 1)
        self._log(log.Clock(scene=scene.id, step=step, left=round(timeleft.clamp(left, scene.time_limit), 2),
                            time=log.now(), paused=paused))

    def time_out(self) -> Step:
        scene = engine.current_scene(self.scenario, self.state)
        assert scene is not None and scene.on_timeout is not None
        shown = self.shown()
        self.state = engine.timeout(self.scenario, self.state)
        self.confidences.append(None)
        self._log(log.Timeout(scene=scene.id, goto=scene.on_timeout, time=log.now(), shown=shown))
        self._maybe_end()
        return self.state.history[-1]

    def debrief(self) -> scoring.Debrief:
        return scoring.debrief(self.scenario, self.state, self.analysis, self.rubric)

    def close(self) -> None:
        if self.writer:
            self.writer.close()

    def _maybe_end(self) -> None:
        if self.state.finished:
            result = self.debrief()
            ending = self.scenario.nodes.get(self.state.ending or "")
            title = getattr(ending, "title", "") or ""
            self._log(log.End(ending=self.state.ending or "", scores=result.scores, overall=result.overall, time=log.now(),
                              title=title, reflexes={r.reflex: r.count for r in result.reflexes}))

    def _log(self, event: log.Event) -> None:
        if self.writer is None:
            return
        before = self.writer.error
        self.writer.append(event)
        if self.writer.error and self.writer.error != before:
            self.notices.append(self.writer.error)


def rebuild(record: SessionRecord, *, steps: int | None = None) -> tuple[Scenario, State]:
    """The scenario version a session was played on, and the state after its first `steps` decisions."""
    start = record.start
    assert start is not None
    loaded = load_kept(start.sha256)
    if loaded is None or loaded.scenario is None:
        raise SessionError(
            f"the scenario version this session was played on ({start.scenario}, {start.sha256[:12]}) is no longer kept; "
            "its decisions are listed but cannot be replayed"
        )
    scenario = loaded.scenario
    return scenario, replay_decisions(scenario, record, steps=steps)


def start_state(scenario: Scenario, start: log.Start) -> State:
    """The state a logged session began in: its setup, and the scene, metrics and flags an author's
    `--from` gave. Resume, replay and rewind all start here, so they cannot drift apart.
    Raises what `engine.start` raises (EngineError, KeyError) for a log that no longer fits."""
    return engine.start(scenario, metrics=start.start_metrics or None, flags=frozenset(start.start_flags),
                        at=start.start_scene, setup=start.setup)


def replay_decisions(scenario: Scenario, record: SessionRecord, *, steps: int | None = None) -> State:
    start = record.start
    assert start is not None
    try:
        state = start_state(scenario, start)
    except engine.EngineError as error:
        raise SessionError(f"the session cannot be rebuilt from its start: {error}") from None
    decisions = record.decisions if steps is None else record.decisions[:steps]
    for number, event in enumerate(decisions, start=1):
        try:
            if isinstance(event, log.Timeout):
                state = engine.timeout(scenario, state)
            else:
                if state.scene != event.scene:
                    raise SessionError(f"decision {number} was made in scene '{event.scene}', but replay is in '{state.scene}'")
                state = engine.step(scenario, state, event.choice, seed=start.seed)
                if event.hinted:
                    state = apply_hint(state)
        except engine.EngineError as error:
            raise SessionError(f"decision {number} cannot be replayed: {error}") from None
    return state
