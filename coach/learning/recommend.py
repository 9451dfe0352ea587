"""What to play next: spaced re-tests of skills not practised for a while, then the weakest skill.

Spacing follows the Leitner idea that flash-card systems use: each criterion has an interval
that starts at FIRST_INTERVAL days, grows by GROWTH after a session that scored it at PASS or
above, and halves after one below, never leaving MIN..MAX days. A criterion whose interval has
run out since it was last practised is due. docs/practice.md explains the rule; the learner
always sees the reason next to the advice ("Failure design: last practised 12 days ago").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Sequence

from .profile import Evidence, Skill, skills

if TYPE_CHECKING:
    from ..config.library import LibraryEntry
    from ..scenario.model import Rubric, Scenario
    from ..sessions.store import SessionSummary

PASS = 70
"""A criterion score at or above this counts as a success for spacing (grade C or better)."""
FIRST_INTERVAL, MIN_INTERVAL, MAX_INTERVAL = 2.0, 1.0, 60.0
"""Days."""
GROWTH = 2.5
LIMIT = 3
"""Recommendations shown at most."""


def interval(evidence: Sequence[Evidence]) -> float:
    """Days until the criterion should be re-tested, after this evidence (oldest first)."""
    days = FIRST_INTERVAL
    for item in evidence:
        days = min(MAX_INTERVAL, days * GROWTH) if item.score >= PASS else max(MIN_INTERVAL, days / 2)
    return days


@dataclass(frozen=True, slots=True)
class Advice:
    scenario: str
    """The scenario's id."""
    title: str
    criterion: str
    criterion_title: str
    reason: str
    """Why, in a sentence a learner reads beside the title."""
    kind: str
    """"due" (a spaced re-test), "weakest", "new" (a skill not practised yet) or "start" (first run)."""


def _stamp(moment: datetime | None) -> float:
    """Seconds since the epoch; never played sorts before everything."""
    return moment.timestamp() if moment is not None else float("-inf")


def _days(delta_seconds: float) -> int:
    return max(0, int(delta_seconds // 86400))


def recommend(entries: Sequence[LibraryEntry], summaries: Sequence[SessionSummary], rubric: Rubric,
              now: datetime, *, limit: int = LIMIT) -> list[Advice]:
    """Up to `limit` scenarios, each for a different reason, most pressing first."""
    playable = [(e, e.result.scenario) for e in entries if e.result.scenario is not None]
    if not playable:
        return []
    profile = skills(summaries, rubric)
    played_last = _played_last(profile)
    chosen: list[Advice] = []

    def best_for(criterion: str) -> Scenario | None:
        taken = {a.scenario for a in chosen}
        candidates = [(e, s) for e, s in playable if criterion in s.criteria and s.id not in taken]
        if not candidates:
            return None
        # Heaviest weight on the criterion; then the one played longest ago (never played first); then built-ins.
        return max(candidates, key=lambda c: (c[1].criteria[criterion], -_stamp(played_last.get(c[1].id)),
                                              c[0].builtin))[1]

    def add(skill: Skill, kind: str, reason: str) -> None:
        scenario = best_for(skill.criterion)
        if scenario is not None and len(chosen) < limit:
            chosen.append(Advice(scenario.id, scenario.title, skill.criterion, skill.title, reason, kind))

    if not any(skill.evidence for skill in profile):
        chosen.extend(_first_run(playable, rubric))
    for skill, last in _due(profile, now):
        days = _days((now - last).total_seconds())
        add(skill, "due", f"{skill.title}: last practised {days} day{'s' if days != 1 else ''} ago")
    practised = sorted((s for s in profile if s.estimate is not None), key=lambda s: (s.estimate, s.criterion))
    for skill in practised:
        if skill.estimate is not None and skill.estimate < PASS:
            add(skill, "weakest", f"{skill.title}: your weakest skill ({skill.estimate:g}% over "
                                  f"{skill.sessions} session{'s' if skill.sessions != 1 else ''})")
    for skill in profile:
        if not skill.evidence:
            add(skill, "new", f"{skill.title}: not practised yet")
    for skill in practised:  # everything strong and nothing due: keep the least strong sharp
        add(skill, "weakest", f"{skill.title}: your least strong skill ({skill.estimate:g}%)")
    return chosen[:limit]


def _played_last(profile: Sequence[Skill]) -> dict[str, datetime]:
    """When each scenario was last played, by id, from the evidence the profile holds."""
    played_last: dict[str, datetime] = {}
    for skill in profile:
        for item in skill.evidence:
            if item.when is not None:
                played_last[item.scenario] = max(item.when, played_last.get(item.scenario, item.when))
    return played_last


def _first_run(playable: Sequence[tuple[LibraryEntry, Scenario]], rubric: Rubric) -> list[Advice]:
    """For a learner with no evidence yet: the shortest intro scenario (built-ins first), on its heaviest criterion."""
    intro = sorted((pair for pair in playable if pair[1].difficulty == "intro"),
                   key=lambda pair: (not pair[0].builtin, pair[1].minutes, pair[1].id))
    advice = []
    for _, s in intro[:1]:
        top = max(s.criteria, key=lambda c: s.criteria[c])
        advice.append(Advice(s.id, s.title, top, rubric.criteria[top].title if top in rubric.criteria else top,
                             f"Start here: {_article(s.minutes)} {s.minutes}-minute first scenario", "start"))
    return advice


def _due(profile: Sequence[Skill], now: datetime) -> list[tuple[Skill, datetime]]:
    """Skills whose re-test interval has run out, with when they were last practised, most overdue first."""
    due = []
    for skill in profile:
        last = skill.last_practised
        if last is None:
            continue
        overdue = (now - last).total_seconds() / 86400 - interval(skill.evidence)
        if overdue >= 0:
            due.append((overdue, skill, last))
    return [(skill, last) for _, skill, last in sorted(due, key=lambda item: -item[0])]


def _article(number: int) -> str:
    """"an 8-minute", "an 11-minute", "a 12-minute": the article goes by how the number is said."""
    return "an" if str(number).startswith("8") or number in (11, 18) else "a"
