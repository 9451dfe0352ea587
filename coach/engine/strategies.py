"""Naive strategies: players who read no scenario, only the shape of its choices.

A coach whose grade a pattern-matcher earns measures the wrong thing. Each strategy here picks
from the options exactly as a session shows them (its seeded order, `coach.engine.order`), and is
played through the engine over many seeds and scored with the ordinary scoring, so `coach
explore` can report what each one earns and `coach check` can warn when one passes.

Pure: no screen, no file. The scenario's Analysis is computed once by the caller and reused for
scoring every run.
"""

from __future__ import annotations

import random
import re
import statistics
from dataclasses import dataclass
from typing import Callable

from ..scenario.model import Rubric, Scenario, Scene
from . import engine, order, scoring
from .engine import ChoiceOption
from .explore import MAX_RANDOM_STEPS, Analysis
from .state import State

SEEDS = 50
"""Seeds each strategy is played on by default."""

CAUTIOUS_WORDS = (
    "monitor", "evaluat", "guardrail", "rollback", "roll back", "review", "pause", "audit", "test", "escalat",
    "check", "measure", "verify", "investigat", "shadow", "canary", "baseline", "safeguard",
)
"""Stems a "sounds careful" reader looks for (case-insensitively, at the start of a word)."""

Picker = Callable[[list[ChoiceOption], random.Random], ChoiceOption]


def _first(options: list[ChoiceOption], rng: random.Random) -> ChoiceOption:
    return options[0]


def _last(options: list[ChoiceOption], rng: random.Random) -> ChoiceOption:
    return options[-1]


def _longest(options: list[ChoiceOption], rng: random.Random) -> ChoiceOption:
    return max(options, key=lambda o: len(o.choice.text))  # ties: the first shown


def _shortest(options: list[ChoiceOption], rng: random.Random) -> ChoiceOption:
    return min(options, key=lambda o: len(o.choice.text))  # ties: the first shown


def _random(options: list[ChoiceOption], rng: random.Random) -> ChoiceOption:
    return rng.choice(options)


_CAUTIOUS = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in CAUTIOUS_WORDS) + ")", re.IGNORECASE)


def cautious_count(text: str) -> int:
    """How many cautious-sounding words a choice's text has."""
    return len(_CAUTIOUS.findall(text))


def _cautious(options: list[ChoiceOption], rng: random.Random) -> ChoiceOption:
    return max(options, key=lambda o: cautious_count(o.choice.text))  # ties: the first shown


@dataclass(frozen=True, slots=True)
class Strategy:
    id: str
    title: str
    pick: Picker


STRATEGIES: tuple[Strategy, ...] = (
    Strategy("first", "always the first option shown", _first),
    Strategy("last", "always the last option shown", _last),
    Strategy("longest", "always the longest text", _longest),
    Strategy("shortest", "always the shortest text", _shortest),
    Strategy("random", "uniformly random", _random),
    Strategy("cautious", "the most cautious-sounding words", _cautious),
)


@dataclass(frozen=True, slots=True)
class StrategyResult:
    strategy: str
    title: str
    runs: int
    median: float
    """Median overall percent across seeds."""
    grade: str
    """The grade of the median."""
    best: int
    worst: int
    finished: int
    """Runs that reached an ending."""
    strong_endings: int

    def as_json(self) -> dict[str, str | int | float]:
        return {"strategy": self.strategy, "title": self.title, "runs": self.runs, "median": self.median,
                "grade": self.grade, "best": self.best, "worst": self.worst, "finished": self.finished,
                "strong_endings": self.strong_endings}


def play(scenario: Scenario, strategy: Strategy, seed: int, *, setup: str | None = None) -> State:
    """One session with `seed`, every decision made by `strategy` from the options as shown (in `setup`)."""
    rng = order.scene_random(seed, scenario.id, salt=f"strategy-{strategy.id}")
    state = engine.start(scenario, setup=setup)
    for _ in range(MAX_RANDOM_STEPS):
        if state.finished:
            break
        scene = engine.current_scene(scenario, state)
        assert isinstance(scene, Scene)
        shown = order.arrange(engine.options(scenario, state), order.shown_order(scenario, scene, seed))
        available = [o for o in shown if o.available]
        if available:
            state = engine.step(scenario, state, strategy.pick(available, rng).index, seed=seed)
        elif scene.on_timeout is not None:
            state = engine.timeout(scenario, state)
        else:
            break  # stuck: scored as it stands
    return state


def evaluate(scenario: Scenario, analysis: Analysis, rubric: Rubric, *, seeds: int = SEEDS,
             strategies: tuple[Strategy, ...] = STRATEGIES, setup: str | None = None) -> list[StrategyResult]:
    """Each strategy played on seeds 0..seeds-1, scored against `analysis` (computed once by the caller
    for the same `setup`: a scenario with setups is evaluated one setup at a time)."""
    ratings = {ending.id: ending.rating for ending in scenario.endings}
    results = []
    for strategy in strategies:
        overalls: list[int] = []
        finished = strong = 0
        for seed in range(seeds):
            final = play(scenario, strategy, seed, setup=setup)
            overalls.append(scoring.debrief(scenario, final, analysis, rubric).overall)
            finished += final.finished
            strong += ratings.get(final.ending or "") == "strong"
        median = statistics.median(overalls) if overalls else 0
        results.append(StrategyResult(
            strategy=strategy.id, title=strategy.title, runs=len(overalls), median=median,
            grade=scoring.grade_letter(round(median)), best=max(overalls, default=0), worst=min(overalls, default=0),
            finished=finished, strong_endings=strong,
        ))
    return results
