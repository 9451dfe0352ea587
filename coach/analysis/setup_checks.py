"""`coach check` over every setup (issue 13): a scenario with `[[setups]]` is explored once per
setup, and the exploration warnings combine them (see docs/decisions.md, "Warnings over setups").

- Reachability (W101 unreachable, W102 never available): a scene or choice is reported only if
  no setup reaches or offers it, since each setup may lead to its own evidence scenes.
- Traps (W103 stuck): reported if the learner can get stuck in any setup.
- Teaching and ending warnings (W110-W112, W120, W121): worked out per setup, against that
  setup's own expert path; one that holds in every setup is reported once as it stands, one that
  holds in only some is reported for each of them, naming the setup.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

import msgspec

from ..engine.explore import Analysis

if TYPE_CHECKING:
    from ..scenario.diagnostics import Pending
    from ..scenario.tomlpos import Path


def merged(analyses: list[Analysis]) -> Analysis:
    """The reachability of all setups at once: what any setup reaches, offers or gets stuck in."""
    first = analyses[0]
    if len(analyses) == 1:
        return first
    reached: dict[str, bool] = {}
    for analysis in analyses:
        for ending, hit in analysis.endings_reached.items():
            reached[ending] = reached.get(ending, False) or hit
    return replace(
        first,
        exhaustive=all(a.exhaustive for a in analyses),
        states=sum(a.states for a in analyses),
        endings_reached=reached,
        nodes_reached=set().union(*(a.nodes_reached for a in analyses)),
        choices_available=set().union(*(a.choices_available for a in analyses)),
        stuck=set().union(*(a.stuck for a in analyses)),
    )


def per_setup(analyses: dict[str | None, Analysis],
              warnings: Callable[[Analysis, str | None], list[Pending]]) -> list[Pending]:
    """`warnings(analysis, setup)` for each setup, combined: once if every setup has it, else per setup."""
    if list(analyses) == [None]:
        return warnings(analyses[None], None)
    found: dict[tuple[str, str, Path], list[str | None]] = {}
    first: dict[tuple[str, str, Path], Pending] = {}
    for setup, analysis in analyses.items():
        for pending in warnings(analysis, setup):
            key = (pending.code, pending.message, pending.path)
            found.setdefault(key, []).append(setup)
            first.setdefault(key, pending)
    out: list[Pending] = []
    for key, where in found.items():
        pending = first[key]
        if len(where) == len(analyses):
            out.append(pending)
            continue
        for setup in where:
            out.append(msgspec.structs.replace(pending, message=f"{pending.message} (in setup '{setup}')"))
    return out
