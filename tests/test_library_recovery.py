"""Room to recover: whatever the learner chooses first, good play afterwards can still reach a
mixed or strong ending. A scenario whose first wrong answer seals a poor ending only punishes;
one that lets a poor start be redeemed by the next decisions teaches."""

from __future__ import annotations

import pytest

from builtin_library import IDS, scenario_of, seeds_for, setups_of
from coach.engine import engine
from coach.scenario.model import Ending

LIMIT = 60_000


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
                for seed in seeds_for(option.choice.outcomes, len(state.history)):
                    stack.append(engine.step(scenario, state, option.index, seed=seed))
        if scene is not None and scene.on_timeout:
            stack.append(engine.timeout(scenario, state))
    return ratings


@pytest.mark.parametrize("stem", IDS)
def test_every_first_decision_leaves_a_way_to_a_mixed_ending(stem: str) -> None:
    scenario = scenario_of(stem)
    for setup in setups_of(scenario):
        start = engine.start(scenario, setup=setup)
        sealed = []
        for option in engine.options(scenario, start):
            if not option.available:
                continue
            for seed in seeds_for(option.choice.outcomes, 0):
                after = engine.step(scenario, start, option.index, seed=seed)
                if not {"mixed", "strong"} & ratings_reachable(scenario, after):
                    sealed.append(option.choice.id or option.index)
        first = engine.current_scene(scenario, start)
        if first is not None and first.on_timeout and not (
                {"mixed", "strong"} & ratings_reachable(scenario, engine.timeout(scenario, start))):
            sealed.append("timeout")
        assert sealed == [], f"setup {setup}: after these first choices only poor endings remain"
