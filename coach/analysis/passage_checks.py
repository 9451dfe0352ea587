"""W140: a passage whose condition can never hold where its text is shown (issue 13).

`{if COND}` in a scene's text, an ending's text or the briefing is checked against every state a
learner can be in when that text is shown: each distinct state at the scene or ending, over every
setup (coach.engine.explore.reachable_states, with the passages' own conditions added to what the
states carry). A condition that holds in none of them is a passage no learner will ever read,
which is nearly always a wrong flag or a wrong threshold. Feedback and outcome texts are rendered
after a decision, against a state this search does not keep, so they are not checked (yet).
Scenes no path reaches are W101's business and are skipped; past the state bound nothing is said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..engine import text as texts
from ..scenario import conditions

if TYPE_CHECKING:
    from ..engine.state import State
    from ..scenario.diagnostics import Pending
    from ..scenario.model import Scenario
    from ..scenario.tomlpos import Path

LIMIT = 20_000
"""States explored per setup before the check settles for saying nothing."""


def passage_warnings(scenario: Scenario) -> list[Pending]:
    from ..engine.explore import reachable_states
    from ..scenario.diagnostics import Pending

    targets: list[tuple[Path, str | None, list[texts.Passage]]] = []  # node id None: the briefing
    if texts.has_placeholders(scenario.briefing):
        targets.append((("briefing",), None, texts.parse(scenario.briefing).passages()))
    for index, scene in enumerate(scenario.scenes):
        if scene.choices and texts.has_placeholders(scene.text):
            targets.append((("scenes", index, "text"), scene.id, texts.parse(scene.text).passages()))
    for index, ending in enumerate(scenario.endings):
        if texts.has_placeholders(ending.text):
            targets.append((("endings", index, "text"), ending.id, texts.parse(ending.text).passages()))
    targets = [t for t in targets if t[2]]
    if not targets:
        return []
    sources = tuple(dict.fromkeys(p.condition for _, _, passages in targets for p in passages))
    at: dict[str, list[State]] = {}
    starts: list[State] = []  # the briefing is read in each setup's start state
    setups: list[str | None] = [s.id for s in scenario.setups] or [None]
    for setup in setups:
        states = reachable_states(scenario, setup=setup, extra_conditions=sources, max_states=LIMIT)
        if states is None:
            return []
        starts.extend(states[:1])
        for state in states:
            at.setdefault(state.scene, []).append(state)
    out: list[Pending] = []
    for path, node_id, passages in targets:
        shown = starts if node_id is None else at.get(node_id, [])
        if not shown:
            continue
        for passage in passages:
            check = conditions.compiled(passage.condition)
            if not any(check(state.metrics, state.flags) for state in shown):
                where = "the briefing" if node_id is None else f"'{node_id}'"
                out.append(Pending("W140", f"`{{if {passage.condition}}}` never holds where this text is shown: "
                                           f"no path that reaches {where} has it, so no learner reads the passage",
                                   path, offset=passage.offset))
    return out
