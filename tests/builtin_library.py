"""The fifteen built-in scenarios, loaded, checked and explored once per test run.

Several test files hold bars over the whole library (tests/test_library*.py, core/test_ceilings.py)
and each used to load and explore every scenario itself: the same minutes of exploration paid
three or four times a run. Exploration is deterministic for a scenario and a setup, so one cached
result serves every file. Within a process the results are kept in memory; across pytest-xdist's
workers the expensive part is kept on disk in the run's shared folder (tests/shared_work.py), in
coach's own content-addressed formats: `checked` runs `coach check` with the run's shared
COACH_HOME, so the exploration warnings it keeps there are read back by every later check of the
same scenario (another worker's, or test_cli's and the installed wheel's library checks), and
`analysis_of` keeps its exploration there with `coach.analysis.saved`. So the tests need no
xdist_group: they spread over the workers, and each scenario is still explored once a run.

Also the one way a test forces a chance outcome: the engine draws from `"{seed}:{step}"`, so a
test finds the seed whose draw picks the outcome it wants (`seed_for`, `seeds_for`).
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache, partial
from pathlib import Path

import shared_work
from coach.analysis import saved
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
    return shared_work.once(f"checked-{stem}", partial(_check, stem),
                            lambda: [(f"checked-{other}", partial(_check, other)) for other in IDS])


def _check(stem: str) -> LoadResult:
    """In the shared home, `coach check` keeps the exploration warnings for every later check of
    this scenario in the run (a check that finds them kept explores nothing, and reports the same
    diagnostics: tests/core/test_check_cache.py)."""
    with shared_work.in_shared_home():
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
    return shared_work.once(f"analysis-{stem}-{setup or ''}", partial(_explore, stem, setup), _every_exploration)


def _explore(stem: str, setup: str | None) -> Analysis:
    """Read back from the shared home if a process of this run explored it already, else
    explore and keep it there. The key is the file's SHA-256 with a prefix that marks the
    `endings=True` exploration, so it never stands in for the plain one a Playthrough keeps
    under the file's own hash."""
    key = hashlib.sha256(b"tests/builtin_library endings=True\n" + path_of(stem).read_bytes()).hexdigest()
    with shared_work.in_shared_home():
        found = saved.load(key, setup=setup)
        if found is None:
            found = explore(scenario_of(stem), endings=True, setup=setup)
            saved.save(key, found, setup=setup)
    return found


def _every_exploration() -> list[tuple[str, partial[Analysis]]]:
    return [(f"analysis-{stem}-{setup or ''}", partial(_explore, stem, setup))
            for stem in IDS for setup in dict.fromkeys([None, *setups_of(scenario_of(stem))])]


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
