"""The order a session shows a scene's choices in: drawn from the session's seed, so position
carries no signal, and the same on every replay, rewind and resume of that session.

The order is a pure function of (seed, scene id): a stable hash (BLAKE2b, never Python's salted
`hash()`) seeds a private generator that shuffles the authored indices. Authors keep the authored
order with `shuffle = false` on the scenario or on a scene (the scene's wins), and a choice with
`pin = "last"` is always shown last (several pinned choices keep their authored order at the end).
Changing this algorithm would change what old seeds show, so it is versioned: `ORDER_VERSION` is
written into each session's start event, and session logs record the order each decision showed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from typing import TypeGuard

from ..scenario.model import Scenario, Scene
from .engine import ChoiceOption

ORDER_VERSION = 1
"""Version of the seeded order; 0 means authored order (sessions logged before shuffling)."""


def shuffles(scenario: Scenario, scene: Scene) -> bool:
    """Whether this scene's choices are shuffled: the scene's `shuffle`, else the scenario's."""
    return scenario.shuffle if scene.shuffle is None else scene.shuffle


def scene_random(seed: int, scene_id: str, salt: str = "order") -> random.Random:
    """A generator that depends only on (seed, scene id), identical on every run and platform."""
    digest = hashlib.blake2b(f"{salt}:{seed}:{scene_id}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def shown_order(scenario: Scenario, scene: Scene, seed: int, *, version: int = ORDER_VERSION) -> list[int]:
    """Authored indices of `scene`'s choices in the order the session with `seed` shows them."""
    indices = list(range(len(scene.choices)))
    pinned = [i for i in indices if scene.choices[i].pin == "last"]
    free = [i for i in indices if scene.choices[i].pin != "last"]
    if version >= 1 and shuffles(scenario, scene) and len(free) > 1:
        rng = scene_random(seed, scene.id)
        # Fisher-Yates written out, so the order never depends on a library's shuffle details.
        for top in range(len(free) - 1, 0, -1):
            other = rng.randrange(top + 1)
            free[top], free[other] = free[other], free[top]
    return free + pinned


def valid_order(order: list[int] | None, count: int) -> TypeGuard[list[int]]:
    """True for a permutation of range(count) (a logged order that can be trusted)."""
    return order is not None and len(order) == count and sorted(order) == list(range(count))


def arrange(options: list[ChoiceOption], order: list[int]) -> list[ChoiceOption]:
    """The engine's options (authored order) in `order`, each numbered by its place on screen."""
    by_index = {option.index: option for option in options}
    return [replace(by_index[index], position=place) for place, index in enumerate(order) if index in by_index]
