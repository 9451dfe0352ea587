"""Endings say only what happened: each claim an ending makes about the path holds on every
sampled path whose ending text shows it.

A conditional passage shows when its condition holds, so the claim is only as true as the flag
behind it: a flag set by the wrong choice, or a claim left outside any passage, would praise a
learner for what they did not do. Here each claim is tied, by hand, to the decision that earns
it (choice ids, which never change), and played paths check the tie: expert-leaning random walks
through the engine, so strong endings are reached as often as weak ones.
"""

from __future__ import annotations

import random
from typing import Callable

import pytest

from builtin_library import analysis_of, scenario_of, setups_of
from coach.engine import engine
from coach.engine.state import State
from coach.engine.text import render
from coach.scenario.model import Ending, Scene

WALKS = 150
"""Sampled paths per scenario and setup."""


def took(*ids: str) -> Callable[[State], bool]:
    return lambda state: any(step.choice_id in ids for step in state.history)


def took_none(*ids: str) -> Callable[[State], bool]:
    return lambda state: not took(*ids)(state)


RIGHT_CALL = {"unit-change": "call-pipeline", "label-rule": "call-labels", "segment-attack": "call-shift"}


def right_diagnosis(state: State) -> bool:
    return took(RIGHT_CALL.get(state.setup or "", "?"))(state)


# scenario -> ending -> [(words the ending shows, what the path must have done)]
CLAIMS: dict[str, dict[str, list[tuple[str, Callable[[State], bool]]]]] = {
    "ai-pm-interview-loop": {
        "offer": [
            ("caught the sample-ratio mismatch", took("srm")),
            ("found the sample-ratio mismatch after a hint", took("recover-srm")),
            ("preserved the evidence before changing anything", took("incident-process")),
        ],
    },
    "ab-test-summarizer": {
        "trustworthy-win": [
            ("You didn't read a single number until the split was healthy", took("health-first")),
            ("the rerun went ahead without an A/A", took_none("aa-then-ab", "fix-and-aa")),
            ("your correction the same day", took("correct-deck")),
        ],
    },
    "precision-cliff": {
        "contained": [
            ("a unit change in one upstream feed", lambda s: s.setup == "unit-change" and right_diagnosis(s)),
            ("a change in how the proxy was labelled", lambda s: s.setup == "label-rule" and right_diagnosis(s)),
            ("a real card-testing attack on one segment", lambda s: s.setup == "segment-attack" and right_diagnosis(s)),
        ],
        "late-but-sound": [("The diagnosis got there", right_diagnosis)],
        "near-miss": [("the diagnosis after that was sound", right_diagnosis)],
    },
}


def walk(scenario, setup: str | None, seed: int, expert: dict[str, int], lean: float) -> State:
    rng = random.Random(f"claims:{seed}")
    state = engine.start(scenario, setup=setup)
    for _ in range(400):
        if state.finished:
            break
        scene = engine.current_scene(scenario, state)
        assert isinstance(scene, Scene)
        open_ = [o for o in engine.options(scenario, state) if o.available]
        if not open_:
            state = engine.timeout(scenario, state)
            continue
        best = expert.get(scene.id)
        pick = best if best is not None and rng.random() < lean and any(o.index == best for o in open_) \
            else rng.choice(open_).index
        state = engine.step(scenario, state, pick, seed=seed)
    return state


@pytest.mark.parametrize("stem", sorted(CLAIMS))
def test_every_claim_an_ending_shows_was_earned_on_the_path(stem: str) -> None:
    scenario = scenario_of(stem)
    endings = {e.id: e for e in scenario.endings}
    assert set(CLAIMS[stem]) <= set(endings), "a claim names an ending the scenario no longer has"
    shown: dict[str, int] = {}
    for setup in setups_of(scenario):
        analysis = analysis_of(stem, setup)
        expert = {}
        for step in analysis.expert_path:
            expert.setdefault(step.scene, step.choice)
        for seed in range(WALKS):
            state = walk(scenario, setup, seed, expert, lean=(0.95, 0.8, 0.5)[seed % 3])
            claims = CLAIMS[stem].get(state.ending or "")
            if not claims:
                continue
            ending = endings[state.ending]
            assert isinstance(ending, Ending)
            text = " ".join(render(ending.text, scenario, state, markdown=False).split())
            for words, earned in claims:
                if words in text:
                    shown[words] = shown.get(words, 0) + 1
                    path = [s.choice_id for s in state.history]
                    assert earned(state), f"'{ending.id}' says “{words}” on a path that did not earn it: setup {setup}, {path}"
    # Reworded text would leave a claim that nothing can show: a stale registry, not a pass.
    stale = [words for ending, claims in CLAIMS[stem].items() for words, _ in claims
             if words not in " ".join(endings[ending].text.split())]
    assert stale == [], "claims the endings no longer make"
    assert shown, "no sampled path showed any claim"
