"""The fifteen built-in scenarios, loaded, checked and explored once per test process.

Several test files hold bars over the whole library (tests/test_library*.py, core/test_ceilings.py)
and each used to load and explore every scenario itself: the same minutes of exploration paid
three or four times a run. Exploration is deterministic for a scenario and a setup, so one cached
result serves every file; under pytest-xdist each worker process fills its own cache.

Also the one way a test forces a chance outcome: the engine draws from `"{seed}:{step}"`, so a
test finds the seed whose draw picks the outcome it wants (`seed_for`, `seeds_for`).
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from coach.analysis.checking import check_file
from coach.engine import engine
from coach.engine.explore import Analysis, explore
from coach.config.library import scenario_files_in
from coach.io.paths import builtin_scenarios_dir
from coach.scenario.loader import LoadResult, load_scenario
from coach.scenario.model import Scenario

FILES: list[Path] = list(scenario_files_in(builtin_scenarios_dir()))
IDS: list[str] = [path.stem for path in FILES]


def path_of(stem: str) -> Path:
    return builtin_scenarios_dir() / f"{stem}.toml"


@lru_cache(maxsize=None)
def checked(stem: str) -> LoadResult:
    """`coach check` on the file: loaded with every warning (which explores each setup)."""
    return check_file(path_of(stem))


@lru_cache(maxsize=None)
def loaded(stem: str) -> LoadResult:
    """The file loaded as `coach play` loads it (no warnings): what a Playthrough starts from."""
    result = load_scenario(path_of(stem))
    assert result.scenario is not None, [str(d.message) for d in result.diagnostics]
    return result


def scenario_of(stem: str) -> Scenario:
    scenario = loaded(stem).scenario
    assert scenario is not None
    return scenario


def setups_of(scenario: Scenario) -> list[str | None]:
    """The setups to explore one by one; [None] (the plain start) for a scenario without any."""
    return [s.id for s in getattr(scenario, "setups", [])] or [None]


@lru_cache(maxsize=None)
def analysis_of(stem: str, setup: str | None = None) -> Analysis:
    """The scoring exploration of one setup, with `endings=True`: that only adds `ending_reach`
    to what `explore(scenario)` finds, so the same analysis serves the bars that read it."""
    return explore(scenario_of(stem), endings=True, setup=setup)


@lru_cache(maxsize=None)
def _first_seeds(chances: tuple[float, ...], step: int) -> tuple[int, ...]:
    """Per outcome, the first seed whose draw at this step picks it."""
    found: dict[int, int] = {}
    for seed in range(10_000):
        found.setdefault(engine.pick_outcome(list(chances), random.Random(f"{seed}:{step}").random()), seed)
        if len(found) == len(chances):
            return tuple(found[outcome] for outcome in range(len(chances)))
    raise AssertionError(f"no seed below 10,000 draws outcomes {sorted(set(range(len(chances))) - set(found))} of {chances}")


def seed_for(outcomes, step: int, outcome: int) -> int:
    """A seed whose draw at this step picks `outcome` of these outcomes (0 for a choice without any)."""
    if not outcomes:
        return 0
    return _first_seeds(tuple(o.chance for o in outcomes), step)[outcome]


def seeds_for(outcomes, step: int) -> tuple[int, ...]:
    """One seed per outcome, in the outcomes' order, each drawing that outcome at this step."""
    if not outcomes:
        return (0,)
    return _first_seeds(tuple(o.chance for o in outcomes), step)
