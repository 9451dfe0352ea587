"""The time left on a timed decision, kept across quit and kill.

While a timed scene is on screen the play screen writes a `clock` event (coach.sessions.log.Clock)
every `SAVE_EVERY` seconds, when the learner pauses or resumes the countdown (coach mode) and when
they leave. A resume reads the last one written after the last decision and continues from it, so
leaving is never a free reset of the clock, in exam mode least of all. A kill loses at most
`SAVE_EVERY` seconds, in the learner's favour.

Writes are bounded: at most `MAX_PER_DECISION` clock events per decision (a 15-minute limit saved
every 5 s is 180), after which the clock is only written when the learner leaves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .log import SessionRecord

SAVE_EVERY = 5.0
"""Seconds between two clock events while a timed scene's countdown runs."""
MAX_PER_DECISION = 256
"""Clock events one decision may write (ticks and pauses); leaving still writes one more."""


@dataclass(frozen=True, slots=True)
class Left:
    seconds: float
    """Seconds left, between 0 and the scene's limit."""
    paused: bool
    """The countdown was paused when it was last written (coach mode)."""


def clamp(seconds: float, limit: float) -> float:
    """Seconds left as a countdown may show them: never more than the limit, never below 0, and a
    value that is not a number (a hand-edited log) counts as the whole limit's worth used."""
    if not math.isfinite(seconds):
        return 0.0
    return max(0.0, min(float(limit), seconds))


def time_left(record: SessionRecord, scene: str, limit: int | None) -> Left | None:
    """What was left on the clock of the decision a resumed session continues with, or None when the
    scene is not timed or nothing was written for it (an older log: the countdown starts in full)."""
    clock = record.clock
    if limit is None or clock is None:
        return None
    if clock.scene != scene or clock.step != len(record.decisions):
        return None  # written for another decision: a log that does not hold together
    return Left(clamp(clock.left, limit), clock.paused)
