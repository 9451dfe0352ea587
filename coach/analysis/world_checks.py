"""Warnings for the world a scenario describes: the clock on arrival, currencies, lock reasons.

W130 a scene sets the clock but the scenario has no clock; W131 a scene sets the clock back on
every path; W132 `day` without `time`; W133 a currency on a metric that is not money; W134 a
lock reason on a choice that is never locked. They run with the other warnings, on a scenario
that passed every rule.
"""

from __future__ import annotations

from ..engine.world import DAY, arrival_minute, clock_base, minutes_of
from ..scenario.diagnostics import Pending
from ..scenario.model import Arrive, Scenario, Scene

MAX_RELAXATIONS = 200_000
"""Bound on the earliest-arrival search; past it W131 is not reported rather than guessed."""


def world_warnings(scenario: Scenario) -> list[Pending]:
    out: list[Pending] = []
    for name, metric in scenario.metrics.items():
        if metric.currency is not None and metric.display != "money":
            out.append(Pending("W133", f"metric '{name}' has a currency but shows as {metric.display}; "
                                       "a currency is only shown with display = \"money\"", ("metrics", name, "currency")))
    for s_index, scene in enumerate(scenario.scenes):
        for c_index, choice in enumerate(scene.choices):
            if choice.locked is not None and choice.requires is None:
                out.append(Pending("W134", "choice has a `locked` reason but no `requires`, so it is never locked "
                                           "and the reason is never shown", ("scenes", s_index, "choices", c_index, "locked")))
        arrive = scene.arrive
        if arrive is None:
            continue
        a_path = ("scenes", s_index, "arrive")
        sets_clock = arrive.day is not None or arrive.time is not None or arrive.advance > 0
        if sets_clock and scenario.clock_start is None:
            out.append(Pending("W130", f"scene '{scene.id}' sets the clock on arrival, but the scenario has no "
                                       "`clock_start`, so no clock is shown; add clock_start = \"HH:MM\"",
                               a_path + (_first_clock_key(arrive),), "key"))
        if arrive.day is not None and arrive.time is None:
            out.append(Pending("W132", f"scene '{scene.id}' sets `day` without `time`; the clock keeps its time of day "
                                       "from the path taken, so say when with time = \"HH:MM\"", a_path + ("day",), "key"))
    if scenario.clock_start is not None:
        entry = earliest_entry(scenario)
        if entry is not None:
            for s_index, scene in enumerate(scenario.scenes):
                arrive = scene.arrive
                if arrive is None or arrive.day is None or arrive.time is None or scene.id not in entry:
                    continue
                target = (arrive.day - 1) * DAY + minutes_of(arrive.time)
                if target < entry[scene.id]:
                    out.append(Pending(
                        "W131",
                        f"scene '{scene.id}' sets the clock to {clock_text(target)}, but every path arrives later "
                        f"(at {clock_text(entry[scene.id])} at the earliest), so the clock would go back",
                        ("scenes", s_index, "arrive", "day")))
    return out


def _first_clock_key(arrive: Arrive) -> str:
    return "day" if arrive.day is not None else "time" if arrive.time is not None else "advance"


def clock_text(minute: int) -> str:
    day, of_day = divmod(max(0, minute), DAY)
    return f"day {day + 1} {of_day // 60:02d}:{of_day % 60:02d}"


def _lower_bound(arrive: Arrive, now: int) -> int:
    """A lower bound on the clock after arriving, for any clock at least `now` on entry."""
    if arrive.day is not None and arrive.time is None:
        return (arrive.day - 1) * DAY + arrive.advance  # keeps the time of day: not monotone in `now`
    return arrival_minute(arrive, now)  # monotone in `now` in every other case


def earliest_entry(scenario: Scenario) -> dict[str, int] | None:
    """For each scene, a lower bound on the clock (minutes since midnight of day 1) when a learner
    enters it, over every path of the scene graph (conditions ignored, so over a superset of the
    real paths: a clock set earlier than this goes back on every real path). None if too large."""
    nodes = scenario.nodes
    entry = {scenario.start: clock_base(scenario)}
    work = [scenario.start]
    budget = MAX_RELAXATIONS
    while work:
        budget -= 1
        if budget < 0:
            return None
        scene = nodes.get(work.pop())
        if not isinstance(scene, Scene):
            continue
        now = entry[scene.id]
        leave = _lower_bound(scene.arrive, now) if scene.arrive is not None else now
        for target, minutes in _moves(scene):
            at = leave + minutes
            if at < entry.get(target, at + 1):
                entry[target] = at
                work.append(target)
    return entry


def _moves(scene: Scene) -> list[tuple[str, int]]:
    moves = []
    for choice in scene.choices:
        if choice.goto is not None:
            moves.append((choice.goto, choice.takes))
        for outcome in choice.outcomes or ():
            moves.append((outcome.goto, choice.takes))
    moves.extend((route.goto, 0) for route in scene.routes)
    if scene.on_timeout is not None:
        moves.append((scene.on_timeout, 0))
    return moves
