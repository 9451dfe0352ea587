"""Live preview: keep the learner's place when the scenario file changes under `--watch`.

As Inky does for ink, the place is not stored as a scene id but as the decisions that led
there: after a reload they are replayed, in order, on the new scenario. A decision is found in
the scene the replay has reached by its choice id, else by its exact text, else by its number
when the scene still has the same id or its old id is gone (renamed) and the choice now at that
number is not one of the scene's other choices moved up (a choice deleted above it); so
rewording the choice being tested, or renaming its scene, keeps the place, and deleting it never
silently replays a different decision. The first decision that cannot be found
(its scene or choice is gone, or it is locked now) stops the replay: the learner is put in the
last scene the replay reached, the nearest place on their path that still exists, and the
message says so.

Random outcomes draw from the session seed and the step number, as in play, so a replay that
goes through the same choices meets the same luck.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from ..engine import engine
from ..engine.state import State
from ..scenario.model import Scenario, Scene


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision as played: where, which choice (its number, id and text), or a timeout."""

    scene: str
    choice: int
    """0-based; -1 for a timeout."""
    choice_id: str | None = None
    text: str = ""
    others: frozenset[str] = frozenset()
    """The ids and texts of the scene's other choices when the decision was made: a choice that
    is one of them is not this decision, whatever number it has now."""


@dataclass(frozen=True, slots=True)
class StartPoint:
    """Where play began: the scenario's start, or an author's `--from` scene with given values."""

    scene: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    setup: str | None = None
    """`--setup ID`: the scenario's setup to preview (else the one the seed draws)."""


@dataclass(frozen=True, slots=True)
class Relocated:
    state: State
    decisions: tuple[Decision, ...]
    """The decisions that replayed: the learner's history in the new scenario."""
    start: StartPoint
    """The start point actually used (a `--from` scene that is gone falls back to the start)."""
    message: str
    exact: bool
    """True when every decision replayed: the learner is where they were."""


def decisions_of(scenario: Scenario, state: State) -> tuple[Decision, ...]:
    """The decisions behind a state, with the choice ids and texts needed to find them again."""
    found = []
    for step in state.history:
        scene = scenario.nodes.get(step.scene)
        text = ""
        others: set[str] = set()
        if isinstance(scene, Scene) and 0 <= step.choice < len(scene.choices):
            text = scene.choices[step.choice].text
            for index, choice in enumerate(scene.choices):
                if index != step.choice:
                    others.update(c for c in (choice.id, choice.text) if c)
        found.append(Decision(step.scene, step.choice, step.choice_id, text, frozenset(others)))
    return tuple(found)


def relocate(scenario: Scenario, decisions: tuple[Decision, ...] | list[Decision], *, seed: int = 0,
             start: StartPoint | None = None, setup: str | None = None) -> Relocated:
    """Replay `decisions` on `scenario` as far as they go, in the setup the preview was playing
    (`setup`, or the start's `--setup`); one the new version lacks gives way to the seed's draw."""
    from ..engine import setups

    start = start or StartPoint()
    notes: list[str] = []
    chosen = start.setup if start.setup is not None else setup
    if chosen is not None and chosen not in setups.ids(scenario):
        notes.append(f"the setup '{chosen}' is gone; playing the one the seed draws")
        chosen = None
    if chosen is None:
        chosen = setups.draw(scenario, seed)
    used = start
    if start.scene is not None and not isinstance(scenario.nodes.get(start.scene), Scene):
        notes.append(f"the scene you started from, '{start.scene}', is gone; starting from '{scenario.start}'")
        used = StartPoint(None, start.metrics, start.flags, start.setup)
        decisions = ()
    metrics = {k: v for k, v in used.metrics.items() if k in scenario.metrics}
    dropped = sorted(set(used.metrics) - set(metrics))
    if dropped:
        notes.append(f"metric{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} no longer exist{'' if len(dropped) > 1 else 's'}")
        used = StartPoint(used.scene, metrics, used.flags, used.setup)
    try:
        state = engine.start(scenario, metrics=metrics or None, flags=used.flags, at=used.scene, setup=chosen)
    except engine.EngineError as error:
        state = engine.start(scenario, setup=chosen)
        notes.append(f"could not start where you did ({error}); starting from '{scenario.start}'")
        used, decisions = StartPoint(), ()

    replayed: list[Decision] = []
    stopped = ""
    for number, decision in enumerate(decisions, start=1):
        moved, problem = _replay_one(scenario, state, decision, seed)
        if moved is None:
            stopped = f"decision {number} ({_describe(decision)}) {problem}"
            break
        state = moved
        replayed.append(decision)

    total = len(decisions)
    where = _where(scenario, state)
    if stopped:
        message = (f"Your place no longer exists: {stopped}. Back at {where}, the nearest place on your path "
                   f"that still does ({len(replayed)} of {total} decisions replayed).")
    elif total:
        message = f"Reloaded: replayed your {total} decision{'s' if total != 1 else ''}; you are at {where}."
    else:
        message = f"Reloaded: you are at {where}."
    if notes:
        message += " Note: " + "; ".join(notes) + "."
    return Relocated(state, tuple(replayed), used, message, exact=not stopped and not notes)


def _replay_one(scenario: Scenario, state: State, decision: Decision, seed: int) -> tuple[State | None, str]:
    if state.finished:
        return None, f"comes after the ending '{state.ending}', which now ends the story earlier"
    scene = engine.current_scene(scenario, state)
    assert scene is not None
    if decision.choice < 0:
        if scene.on_timeout is None:
            return None, f"was a timeout, but '{scene.id}' has no time limit now"
        return engine.timeout(scenario, state), ""
    index = find_choice(scene, decision, renamed=decision.scene not in scenario.nodes)
    if index is None:
        if scene.id != decision.scene:
            return None, f"was made in '{decision.scene}', but the story now leads to '{scene.id}' instead"
        return None, f"is no longer a choice in '{scene.id}'"
    choice = scene.choices[index]
    if not engine.holds(choice.requires, state):
        return None, f"is locked now in '{scene.id}' (requires {choice.requires})"
    return engine.step(scenario, state, index, seed=seed), ""


def find_choice(scene: Scene, decision: Decision, *, renamed: bool = False) -> int | None:
    """The choice a recorded decision means in (a new version of) its scene.

    `renamed`: the decision's scene id no longer exists, so the scene the replay reached by the
    same earlier decisions is taken to be that scene under a new id.
    """
    if decision.choice_id is not None:
        for index, choice in enumerate(scene.choices):
            if choice.id == decision.choice_id:
                return index
    if decision.text:
        for index, choice in enumerate(scene.choices):
            if choice.text == decision.text:
                return index
    if (scene.id == decision.scene or renamed) and 0 <= decision.choice < len(scene.choices):
        there = scene.choices[decision.choice]
        if there.id in decision.others or there.text in decision.others:
            return None  # another choice moved up into its number: this one was deleted
        return decision.choice  # the author rewrote the choice they were testing: same place
    return None


def _describe(decision: Decision) -> str:
    if decision.choice < 0:
        return f"the timeout in '{decision.scene}'"
    label = decision.text.strip().splitlines()[0] if decision.text.strip() else ""
    if len(label) > 50:
        label = label[:49].rstrip() + "…"
    return f"choice {decision.choice + 1} in '{decision.scene}'" + (f", “{label}”" if label else "")


def _where(scenario: Scenario, state: State) -> str:
    if state.finished:
        return f"the ending '{state.ending}'"
    return f"scene '{state.scene}'"


@dataclass
class FileStamp:
    """What a file looked like when last read, to tell a real change from a touch.

    The size and modification time are checked first (cheap, every poll); the content only when
    they moved, so an editor that rewrites the same bytes does not trigger a reload.
    """

    path: str
    mtime_ns: int = -1
    size: int = -1
    digest: str = ""

    @classmethod
    def of(cls, path: str) -> FileStamp:
        stamp = cls(path)
        stamp.changed()
        return stamp

    def changed(self) -> bool:
        """True when the file's content differs from the last call (a missing file counts as a change once)."""
        try:
            info = os.stat(self.path)
        except OSError:
            if self.size == -2:
                return False
            self.mtime_ns, self.size, self.digest = -1, -2, ""
            return True
        if info.st_mtime_ns == self.mtime_ns and info.st_size == self.size:
            return False
        self.mtime_ns, self.size = info.st_mtime_ns, info.st_size
        try:
            with open(self.path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            return False
        if digest == self.digest:
            return False
        self.digest = digest
        return True


def start_point(scenario: Scenario, *, scene: str | None = None, sets: tuple[str, ...] | list[str] = (),
                flags: tuple[str, ...] | list[str] = (), setup: str | None = None) -> StartPoint:
    """`--from SCENE --set metric=value --flag name --setup ID` checked against the scenario; ValueError says what is wrong."""
    from ..engine import setups
    from ..scenario.diagnostics import did_you_mean

    if setup is not None:
        setups.by_id(scenario, setup)  # UnknownSetup is a ValueError that lists the ids

    if scene is not None:
        node = scenario.nodes.get(scene)
        if node is None:
            scenes = [s.id for s in scenario.scenes]
            raise ValueError(f"--from: no scene '{scene}'{did_you_mean(scene, scenes)}; scenes: {', '.join(scenes)}")
        if not isinstance(node, Scene):
            raise ValueError(f"--from: '{scene}' is an ending; start from a scene that leads to it")
    values: dict[str, float] = {}
    for item in sets:
        name, equals, raw = item.partition("=")
        name = name.strip()
        if not equals:
            raise ValueError(f"--set {item}: write it as metric=value, e.g. --set precision=0.8")
        metric = scenario.metrics.get(name)
        if metric is None:
            known = ", ".join(scenario.metrics) or "none"
            raise ValueError(f"--set: no metric '{name}'{did_you_mean(name, scenario.metrics)}; metrics: {known}")
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"--set {item}: '{raw.strip()}' is not a number") from None
        if not metric.min <= value <= metric.max:
            raise ValueError(f"--set {item}: {name} ranges over {metric.min:g}..{metric.max:g}")
        values[name] = value
    known_flags = sorted({flag for s in scenario.scenes for c in s.choices for flag in c.set}
                         | {flag for s in scenario.scenes if s.arrive for flag in s.arrive.set}
                         | {flag for s in scenario.setups for flag in s.set})
    for flag in flags:
        if flag not in known_flags:
            listed = ", ".join(known_flags) or "none"
            raise ValueError(f"--flag: no choice sets '{flag}'{did_you_mean(flag, known_flags)}; flags: {listed}")
    return StartPoint(scene, values, frozenset(flags), setup)
