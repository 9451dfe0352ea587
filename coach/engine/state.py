"""The state of one playthrough, and the record of each step taken.

States are plain Structs so a session log can rebuild them exactly, and the engine never
mutates one in place: `step` returns a new State, which makes rewind and exploration trivial.
"""

from __future__ import annotations

import msgspec


class Step(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One decision (or timeout) and everything it caused."""

    scene: str
    choice: int = -1
    """0-based index in the scene's choices; -1 when the timer ran out."""
    choice_id: str | None = None
    outcome: int | None = None
    """Index of the random outcome drawn, for choices with `outcomes`."""
    draw: float | None = None
    routed: tuple[str, ...] = ()
    """Scenes passed through by routes after the decision, in order."""
    arrived: str = ""
    """The scene or ending the step ended on."""
    score: dict[str, int] = {}
    effects: dict[str, float] = {}
    """Metric changes actually applied (after clamping)."""
    reflex: str | None = None
    minutes: int = 0

    @property
    def timed_out(self) -> bool:
        return self.choice < 0


class State(msgspec.Struct, frozen=True, kw_only=True):
    scene: str
    """The current scene, or the ending reached when `ending` is set."""
    metrics: dict[str, float]
    flags: frozenset[str] = frozenset()
    history: tuple[Step, ...] = ()
    visited: tuple[str, ...] = ()
    elapsed: int = 0
    """Minutes the scenario clock has moved since `clock_start`: each decision's `takes`, and a
    scene's `arrive` clock settings (which can set it, so it is not only a sum)."""
    points: dict[str, int] = {}
    """Rubric points earned so far, by criterion."""
    ending: str | None = None
    metric_history: dict[str, tuple[float, ...]] = {}
    """Each metric's value after every step, starting with its start value (for sparklines)."""
    setup: str | None = None
    """The id of the scenario's setup this playthrough started in (None for a scenario without setups)."""

    @property
    def finished(self) -> bool:
        return self.ending is not None
