"""A learner's skill per criterion and reflexes over time, from their finished sessions.

The home screen used to headline the latest score, so one two-decision failure showed 0% beside
"best 100%". A skill estimate instead weighs every session that graded the criterion: recent
ones more (a session HALF_LIFE sessions older counts half), short ones less (a session of fewer
than FULL_DECISIONS decisions is partial evidence). Scores are clamped to 0..100 first, since a
criterion's figure can run past either end (coach.engine.scoring), and the estimate is a
weighted mean of them, so it is bounded, and a new session always moves it towards its own
score. docs/practice.md states the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from ..scenario.model import Rubric
    from ..sessions.store import SessionSummary

HALF_LIFE = 4.0
"""Sessions after which a session's weight has halved."""
FULL_DECISIONS = 4
"""Decisions that make a session full evidence; fewer weigh proportionally less."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One finished session's score on a criterion."""

    when: datetime | None
    score: int
    decisions: int
    scenario: str


@dataclass(frozen=True, slots=True)
class Skill:
    criterion: str
    title: str
    estimate: float | None
    """0..100, or None with no evidence."""
    evidence: tuple[Evidence, ...]
    """Oldest first."""

    @property
    def sessions(self) -> int:
        return len(self.evidence)

    @property
    def last_practised(self) -> datetime | None:
        times = [e.when for e in self.evidence if e.when is not None]
        return max(times) if times else None


def when(summary: SessionSummary) -> datetime | None:
    """A session's start time, or None for a log whose time is not a date (logs are untrusted)."""
    try:
        moment = datetime.fromisoformat(summary.time)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.astimezone()


def finished_oldest_first(summaries: Sequence[SessionSummary]) -> list[SessionSummary]:
    done = [s for s in summaries if s.finished and s.overall is not None and s.readable]
    # Summaries arrive newest first; a stable sort of the reversed list keeps that order for
    # sessions started in the same second (ids carry a random part, so they cannot break ties).
    return sorted(reversed(done), key=lambda s: _stamp(when(s)))


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("-inf")


def estimate(evidence: Sequence[Evidence]) -> float | None:
    """The weighted mean of clamped scores: recent and longer sessions weigh more."""
    total = weight_sum = 0.0
    newest = len(evidence) - 1
    for age_from_start, item in enumerate(evidence):
        weight = 0.5 ** ((newest - age_from_start) / HALF_LIFE) * min(1.0, max(1, item.decisions) / FULL_DECISIONS)
        total += weight * min(100, max(0, item.score))
        weight_sum += weight
    return round(total / weight_sum, 1) if weight_sum else None


def skills(summaries: Sequence[SessionSummary], rubric: Rubric) -> list[Skill]:
    """Every rubric criterion, in rubric order, with its estimate and the sessions behind it."""
    found: dict[str, list[Evidence]] = {name: [] for name in rubric.criteria}
    for summary in finished_oldest_first(summaries):
        for name, score in summary.scores.items():
            if name in found:
                found[name].append(Evidence(when(summary), score, summary.decisions, summary.scenario))
    return [Skill(name, rubric.criteria[name].title, estimate(found[name]), tuple(found[name]))
            for name in rubric.criteria]


@dataclass(frozen=True, slots=True)
class ReflexTrend:
    reflex: str
    title: str
    counts: tuple[int, ...]
    """Decisions that showed it in each finished session, oldest first (0 where it did not show)."""

    @property
    def sessions_shown(self) -> int:
        return sum(1 for c in self.counts if c)

    @property
    def trend(self) -> str:
        """"fading", "persisting" or "new", from the share of sessions it showed in, older half
        against newer half; "once" when there is too little to tell."""
        if len(self.counts) < 4:
            return "once" if self.sessions_shown <= 1 else "persisting"
        half = len(self.counts) // 2
        older = sum(1 for c in self.counts[:half] if c) / half
        newer = sum(1 for c in self.counts[half:] if c) / (len(self.counts) - half)
        if newer < older:
            return "fading"
        if newer > older and older == 0:
            return "new"
        return "persisting"


def reflex_trends(summaries: Sequence[SessionSummary], rubric: Rubric) -> list[ReflexTrend]:
    """Each rubric reflex that showed at least once, most often first."""
    sessions = finished_oldest_first(summaries)
    out = []
    for name, reflex in rubric.reflexes.items():
        counts = tuple(max(0, min(999, int(s.reflexes.get(name, 0)))) for s in sessions)
        if any(counts):
            out.append(ReflexTrend(name, reflex.title, counts))
    return sorted(out, key=lambda t: (-t.sessions_shown, t.reflex))
