"""Room to recover: whatever the learner chooses first, good play afterwards can still reach a
mixed or strong ending. A scenario whose first wrong answer seals a poor ending only punishes;
one that lets a poor start be redeemed by the next decisions teaches."""

from __future__ import annotations

import random

import pytest

from coach.engine import engine
from coach.config.library import scenario_files_in, resolve
from coach.io.paths import builtin_scenarios_dir
from coach.scenario.model import Ending

IDS = [path.stem for path in scenario_files_in(builtin_scenarios_dir())]
LIMIT = 60_000


def _seeds_for(choice, step: int) -> list[int]:
    """One seed per outcome of a chance choice, each drawing that outcome at this step."""
    if not choice.outcomes:
        return [0]
    found: dict[int, int] = {}
    chances = [o.chance for o in choice.outcomes]
    for seed in range(5000):
        found.setdefault(engine.pick_outcome(chances, random.Random(f"{seed}:{step}").random()), seed)
        if len(found) == len(chances):
            break
    return list(found.values())


def ratings_reachable(scenario, state) -> set[str]:
    seen: set = set()
    ratings: set[str] = set()
    stack = [state]
    while stack and len(seen) < LIMIT:
        state = stack.pop()
        key = (state.scene, tuple(sorted(state.metrics.items())), state.flags, state.elapsed)
        if key in seen:
            continue
        seen.add(key)
        if state.finished:
            node = scenario.nodes[state.ending]
            assert isinstance(node, Ending)
            ratings.add(node.rating)
            if {"mixed", "strong"} & ratings:
                return ratings
            continue
        scene = engine.current_scene(scenario, state)
        for option in engine.options(scenario, state):
            if option.available:
                for seed in _seeds_for(option.choice, len(state.history)):
                    stack.append(engine.step(scenario, state, option.index, seed=seed))
        if scene is not None and scene.on_timeout:
            stack.append(engine.timeout(scenario, state))
    return ratings


@pytest.mark.parametrize("stem", IDS)
def test_every_first_decision_leaves_a_way_to_a_mixed_ending(stem: str) -> None:
    scenario = resolve(stem).scenario
    assert scenario is not None
    for setup in [s.id for s in scenario.setups] or [None]:
        start = engine.start(scenario, setup=setup)
        sealed = []
        for option in engine.options(scenario, start):
            if not option.available:
                continue
            for seed in _seeds_for(option.choice, 0):
                after = engine.step(scenario, start, option.index, seed=seed)
                if not {"mixed", "strong"} & ratings_reachable(scenario, after):
                    sealed.append(option.choice.id or option.index)
        first = engine.current_scene(scenario, start)
        if first is not None and first.on_timeout and not (
                {"mixed", "strong"} & ratings_reachable(scenario, engine.timeout(scenario, start))):
            sealed.append("timeout")
        assert sealed == [], f"setup {setup}: after these first choices only poor endings remain"
