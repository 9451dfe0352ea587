"""The learner's progress across sessions: best scores, scores per criterion over time, what to
resume and what to play next. Computed from session summaries and the library, for any shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import msgspec

if TYPE_CHECKING:
    from ..config.library import LibraryEntry
    from ..scenario.model import Rubric
    from ..sessions.store import SessionSummary


class CriterionProgress(msgspec.Struct, frozen=True):
    criterion: str
    title: str
    scores: tuple[int, ...]
    """Scores from finished sessions that graded this criterion, oldest first."""

    @property
    def latest(self) -> int | None:
        return self.scores[-1] if self.scores else None

    @property
    def best(self) -> int | None:
        return max(self.scores) if self.scores else None


class Recommendation(msgspec.Struct, frozen=True):
    entry: LibraryEntry
    criterion: str
    """The weakest criterion this scenario trains."""
    score: int
    """The learner's score on that criterion in the session just played."""
    replay: bool
    """True when no other scenario trains the weak criteria, so the advice is to play this one again."""


def finished(summaries: Sequence[SessionSummary]) -> list[SessionSummary]:
    """Finished sessions, oldest first (summaries arrive newest first)."""
    return [s for s in reversed(summaries) if s.finished and s.overall is not None]


def best_scores(summaries: Sequence[SessionSummary]) -> dict[str, int]:
    """Scenario id -> best overall score of its finished sessions."""
    best: dict[str, int] = {}
    for summary in finished(summaries):
        assert summary.overall is not None
        best[summary.scenario] = max(best.get(summary.scenario, summary.overall), summary.overall)  # may be below 0
    return best


def criterion_progress(summaries: Sequence[SessionSummary], rubric: Rubric) -> list[CriterionProgress]:
    """Every rubric criterion, in rubric order, with the learner's scores on it over time."""
    history: dict[str, list[int]] = {name: [] for name in rubric.criteria}
    for summary in finished(summaries):
        for name, score in summary.scores.items():
            if name in history:
                history[name].append(score)
    return [CriterionProgress(name, rubric.criteria[name].title, tuple(history[name])) for name in rubric.criteria]


class ProgressPoint(msgspec.Struct, frozen=True):
    """One point of a criterion's progress line, and the session behind it."""

    summary: SessionSummary
    score: int


def criterion_timeline(summaries: Sequence[SessionSummary], criterion: str) -> list[ProgressPoint]:
    """The finished sessions that graded `criterion`, oldest first, each with its score on it: the
    same points as `criterion_progress` draws, with the sessions behind them."""
    return [ProgressPoint(s, s.scores[criterion]) for s in finished(summaries) if criterion in s.scores]


def resumable(summaries: Sequence[SessionSummary]) -> SessionSummary | None:
    """The newest unfinished session, unless the learner has finished that scenario since."""
    finished_since: set[str] = set()
    for summary in summaries:  # newest first
        if summary.finished:
            finished_since.add(summary.scenario)
        elif summary.scenario not in finished_since and summary.record is not None:  # None: unreadable
            return summary
    return None


def unfinished(summaries: Sequence[SessionSummary], scenario: str) -> list[SessionSummary]:
    """Every unfinished, readable session of `scenario`, newest first: each can be resumed (the
    briefing offers them all, not only the newest)."""
    return [s for s in summaries if s.scenario == scenario and not s.finished and s.readable and s.record is not None]


def recommend_next(
    entries: Sequence[LibraryEntry],
    scores: dict[str, int],
    *,
    current: str | None = None,
    best: dict[str, int] | None = None,
) -> Recommendation | None:
    """The scenario that trains the learner's weakest criterion.

    Criteria are tried from the weakest up; for each, another scenario that grades it (heaviest
    weight first, then one the learner has not mastered) wins. When no other scenario trains any
    of them, replaying the current one is the recommendation.
    """
    best = best or {}
    playable = [(e, e.result.scenario) for e in entries if e.result.scenario is not None]
    ranked = sorted(scores.items(), key=lambda item: item[1])
    for criterion, score in ranked:
        candidates = [(e, s) for e, s in playable if s.id != current and criterion in s.criteria]
        if candidates:
            choice, _ = max(
                candidates,
                key=lambda c: (c[1].criteria[criterion], -best.get(c[1].id, -1), c[0].builtin),
            )
            return Recommendation(choice, criterion, score, replay=False)
    if ranked:
        same = [e for e, s in playable if s.id == current]
        if same:
            return Recommendation(same[0], ranked[0][0], ranked[0][1], replay=True)
    return None
