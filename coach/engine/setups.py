"""Setups: the situation a session starts in, drawn from its seed (issue 13).

A scenario may declare 2..16 `[[setups]]`, each with a weight, start metrics and flags. A session
draws one from its seed, so the same seed always plays the same setup: on every replay, rewind
and resume. The draw is a pure function of the seed: a stable hash (BLAKE2b of "setup" and the
seed, never Python's salted `hash()`) picks a point in the total weight. Changing this would
change which setup old seeds play, so it is fixed; session logs also record the id drawn.
"""

from __future__ import annotations

import hashlib

from ..scenario.model import Scenario, Setup


class UnknownSetup(ValueError):
    """A setup id the scenario does not declare; the message lists the ids it does."""

    def __init__(self, scenario: Scenario, setup_id: str) -> None:
        self.setup_id = setup_id
        self.ids = [s.id for s in scenario.setups]
        # The id may come from a session log or a command line: bounded, control characters shown as `?`.
        shown = "".join(c if c.isprintable() else "?" for c in str(setup_id)[:64]) + ("…" if len(str(setup_id)) > 64 else "")
        if self.ids:
            super().__init__(f"scenario '{scenario.id}' has no setup '{shown}'; its setups are: {', '.join(self.ids)}")
        else:
            super().__init__(f"scenario '{scenario.id}' has no setups, so there is no setup '{shown}'")


def by_id(scenario: Scenario, setup_id: str | None) -> Setup | None:
    """The setup with this id; None for None. Raises UnknownSetup for an id the scenario lacks."""
    if setup_id is None:
        return None
    for setup in scenario.setups:
        if setup.id == setup_id:
            return setup
    raise UnknownSetup(scenario, setup_id)


def ids(scenario: Scenario) -> list[str]:
    return [s.id for s in scenario.setups]


def draw(scenario: Scenario, seed: int) -> str | None:
    """The id of the setup the session with `seed` plays (weighted); None without setups."""
    if not scenario.setups:
        return None
    total = sum(max(1, s.weight) for s in scenario.setups)
    digest = hashlib.blake2b(f"setup:{seed}".encode(), digest_size=8).digest()
    point = int.from_bytes(digest, "big") % total
    for setup in scenario.setups:
        point -= max(1, setup.weight)
        if point < 0:
            return setup.id
    return scenario.setups[-1].id  # unreachable: the points sum to `total`


def apply(scenario: Scenario, setup_id: str | None, metrics: dict[str, float],
          flags: frozenset[str]) -> tuple[dict[str, float], frozenset[str]]:
    """Start metrics and flags under the setup: its metrics replace the start values, its flags are set."""
    setup = by_id(scenario, setup_id)
    if setup is None:
        return metrics, flags
    values = dict(metrics)
    for name, value in setup.metrics.items():
        if name in values:
            values[name] = value
    return values, flags | frozenset(setup.set)


def title(scenario: Scenario, setup_id: str | None) -> str | None:
    """The setup's title (shown after the ending only); None for None or an id the scenario lacks
    (an id read from a session log is data, so it is never shown as it stands)."""
    if setup_id is None:
        return None
    for setup in scenario.setups:
        if setup.id == setup_id:
            return setup.title or setup.id
    return None
