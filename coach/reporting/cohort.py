"""Sessions gathered from many learners, scored, and summed up per learner and per criterion.

A cohort lead collects session files (one folder per learner, or a whole data folder per
learner) and runs `coach report` on them. This module does the reading and the arithmetic; the
renderers live in `reports.py`. No Textual, no terminal.

Who played a session: the `learner` name recorded in its start event (from the learner's
settings, or from the link they opened on `coach serve`); for sessions played before a name was
set, the folder the file was collected in (see `learner_from_folder`).

Scores are recomputed from the scenario version the session was played on, found by its
SHA-256: in this machine's kept copies, in a `scenarios-by-hash` folder collected beside the
sessions, or among the built-in and user scenarios with the same hash. When none is found, the
scores written in the session's end event are used and the reflexes are unknown.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..engine.scoring import Debrief
from ..scenario.model import Rubric, Scenario
from ..sessions.log import SessionError, Start, clean_name

KEPT_FOLDER = "scenarios-by-hash"
UNNAMED = "(unnamed)"


@dataclass
class Found:
    """A session file to read, and the folder argument it was found under (None if named directly)."""

    path: Path
    root: Path | None = None


@dataclass
class SessionResult:
    path: Path
    start: Start
    learner: str
    finished: bool
    decisions: int
    ending: str | None
    rating: str | None
    overall: int | None
    grade: str | None
    scores: dict[str, int]
    reflexes: list[str]
    costly_reflexes: dict[str, list[str]]
    """criterion -> reflexes shown in decisions that lost points on it."""
    debrief: Debrief | None
    scenario: Scenario | None
    problems: list[str] = field(default_factory=list)
    last_time: str | None = None
    """When the session ended, or its last decision for an unfinished one."""
    reflection: str = ""
    """The learner's answer to the debrief's question (coach.sessions.reflection), if any."""
    confidences: list[str | None] = field(default_factory=list)
    """How sure the learner said they were, one per decision (None when not asked)."""

    @property
    def session(self) -> str:
        return self.start.session


@dataclass
class Unreadable:
    path: Path
    problem: str


@dataclass
class Collection:
    sessions: list[SessionResult]
    unreadable: list[Unreadable]


# --- finding files -----------------------------------------------------------------------------


def gather(references: Iterable[str]) -> list[Found]:
    """Session files from ids, files and folders (searched recursively), each file once.

    Raises SessionError for a reference that names nothing.
    """
    from ..sessions.store import find_session

    found: list[Found] = []
    seen: set[Path] = set()
    for reference in references:
        candidate = Path(reference).expanduser()
        if candidate.is_dir():
            items = [Found(p, candidate) for p in sorted(candidate.rglob("*.jsonl")) if p.is_file()]
        else:
            items = [Found(find_session(reference))]
        for item in items:
            key = item.path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def learner_from_folder(path: Path, root: Path | None) -> str:
    """The learner a session file belongs to, judged by where it was collected.

    Under a folder named on the command line, the first folder below it names the learner
    (`cohort/ana/sessions/x.jsonl` -> `ana`), and a file directly in it takes the folder's own
    name (`coach report cohort/ana` -> `ana`). A file named directly takes its parent's name.
    A file in this machine's own history carries no such hint: it is unnamed.
    """
    from ..io.paths import sessions_dir

    if _same(path.parent, sessions_dir()):
        return UNNAMED
    if root is not None:
        relative = path.relative_to(root).parts
        if len(relative) > 1:
            return clean_name(relative[0]) or UNNAMED
        name = clean_name(root.resolve().name)
        return name if name and not _same(root, sessions_dir()) else UNNAMED
    return clean_name(path.parent.resolve().name) or UNNAMED


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


# --- the scenario a session was played on -------------------------------------------------------


class ScenarioFinder:
    """Scenario versions by SHA-256, looked up where a cohort lead is likely to have them."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, Path | None], Scenario | None] = {}
        self._library: dict[str, Path] | None = None

    def find(self, sha256: str, session_file: Path) -> Scenario | None:
        from ..scenario.loader import load_bytes, load_scenario, read_bounded
        from ..sessions.log import is_sha256
        from ..sessions.store import load_kept

        if not is_sha256(sha256):  # read from a collected log: data, never a path
            return None
        for folder in (session_file.parent / KEPT_FOLDER, session_file.parent.parent / KEPT_FOLDER):
            candidate = folder / f"{sha256}.toml"
            key: tuple[str, Path | None] = (sha256, candidate)
            if key not in self._cache and candidate.is_file():
                try:
                    data = read_bounded(candidate)
                except Exception:  # not a regular file, too large, unreadable: not the version
                    self._cache[key] = None
                    continue
                self._cache[key] = load_bytes(data, str(candidate)).scenario \
                    if hashlib.sha256(data).hexdigest() == sha256 else None
            if self._cache.get(key) is not None:
                return self._cache[key]
        key = (sha256, None)
        if key not in self._cache:
            kept = load_kept(sha256)
            scenario = kept.scenario if kept is not None else None
            if scenario is None and sha256 in self.library():
                scenario = load_scenario(self.library()[sha256]).scenario
            self._cache[key] = scenario
        return self._cache[key]

    def library(self) -> dict[str, Path]:
        if self._library is None:
            from ..config.library import default_scenario_files

            self._library = {}
            for path in default_scenario_files():
                try:
                    self._library[hashlib.sha256(path.read_bytes()).hexdigest()] = path
                except OSError:
                    continue
        return self._library


# --- reading and scoring -----------------------------------------------------------------------


def collect(found: Iterable[Found]) -> Collection:
    """Read and score every session; a file that cannot be used is listed, never fatal."""
    from ..engine.scoring import debrief as make_debrief
    from ..scenario.loader import builtin_rubric
    from ..sessions.log import read_session
    from ..sessions.playthrough import analysis_of, replay_decisions

    finder = ScenarioFinder()
    rubric = builtin_rubric()
    results: list[SessionResult] = []
    unreadable: list[Unreadable] = []
    for item in found:
        try:
            record = read_session(item.path)
        except SessionError as error:
            unreadable.append(Unreadable(item.path, str(error)))
            continue
        start = record.start
        assert start is not None
        learner = clean_name(start.learner) or learner_from_folder(item.path, item.root)
        problems = list(record.problems)
        scenario = finder.find(start.sha256, item.path)
        result: Debrief | None = None
        if scenario is None:
            problems.append("the scenario version it was played on was not found; scores come from the log, reflexes are unknown")
        else:
            try:
                state = replay_decisions(scenario, record)
            except SessionError as error:
                problems.append(f"{error}; scores come from the log")
            else:
                result = make_debrief(scenario, state, analysis_of(scenario, start.sha256, setup=state.setup), rubric)
        end = record.end
        times = [t for t in (getattr(event, "time", None) for event in record.events) if t]
        last_time = end.time if end is not None else (times[-1] if times else None)
        if result is not None:
            finished = result.finished
            costly: dict[str, list[str]] = {}
            for decision in result.path:
                if decision.reflex:
                    for criterion, points in decision.score.items():
                        if points < 0:
                            costly.setdefault(criterion, []).append(decision.reflex)
            results.append(SessionResult(
                path=item.path, start=start, learner=learner, finished=finished, decisions=len(record.decisions),
                ending=result.ending, rating=result.rating, overall=result.overall, grade=result.grade,
                scores=result.scores, reflexes=[r.reflex for r in result.reflexes], costly_reflexes=costly,
                debrief=result, scenario=scenario, problems=problems, last_time=last_time,
                reflection=record.reflection, confidences=[getattr(e, "confidence", None) for e in record.decisions],
            ))
        else:
            from ..engine.scoring import grade_letter

            results.append(SessionResult(
                path=item.path, start=start, learner=learner, finished=end is not None, decisions=len(record.decisions),
                ending=end.ending if end else None, rating=None, overall=end.overall if end else None,
                grade=grade_letter(end.overall) if end else None, scores=dict(end.scores) if end else {},
                reflexes=[], costly_reflexes={}, debrief=None, scenario=scenario, problems=problems,
                last_time=last_time, reflection=record.reflection,
            ))
    return Collection(results, unreadable)


# --- the summary ---------------------------------------------------------------------------------


@dataclass
class Stats:
    """Scores of finished sessions: how many, their median and the best."""

    scored: int
    median: float | None
    best: int | None

    @classmethod
    def of(cls, values: list[int]) -> Stats:
        if not values:
            return cls(0, None, None)
        return cls(len(values), float(statistics.median(values)), max(values))


@dataclass
class LearnerSummary:
    learner: str
    sessions: int
    finished: int
    scenarios: list[str]
    overall: Stats
    criteria: dict[str, Stats]
    reflexes: list[tuple[str, int]]
    """Most often shown first, over every session (unfinished ones too)."""


@dataclass
class CriterionSummary:
    criterion: str
    title: str
    sessions: int
    """Sessions on scenarios that grade this criterion, finished or not."""
    learners: int
    scores: Stats
    reflexes: list[tuple[str, int]]
    """Reflexes shown in decisions that lost points on this criterion, most often first."""


@dataclass
class Cohort:
    learners: list[LearnerSummary]
    criteria: list[CriterionSummary]
    sessions: list[SessionResult]
    unreadable: list[Unreadable]
    reflex_titles: dict[str, str]

    @property
    def finished(self) -> int:
        return sum(1 for s in self.sessions if s.finished)

    @property
    def period(self) -> tuple[str, str] | None:
        times = sorted(s.start.time for s in self.sessions if s.start.time)
        return (times[0], times[-1]) if times else None


def _graded(session: SessionResult) -> dict[str, int]:
    """The criteria a session's scenario grades (scores are only kept for finished sessions)."""
    if session.scenario is not None:
        return dict(session.scenario.criteria)
    return {name: 1 for name in session.scores}


def summarize(collection: Collection, top: int = 3) -> Cohort:
    from ..scenario.loader import builtin_rubric

    rubric = builtin_rubric()
    sessions = sorted(collection.sessions, key=lambda s: (s.learner.lower(), s.start.time, s.session))
    by_learner: dict[str, list[SessionResult]] = {}
    for session in sessions:
        by_learner.setdefault(session.learner, []).append(session)

    learners = []
    for name, own in by_learner.items():
        finished = [s for s in own if s.finished and s.overall is not None]
        criteria_names = sorted({c for s in own for c in _graded(s)}, key=_rubric_order(rubric))
        learners.append(LearnerSummary(
            learner=name,
            sessions=len(own),
            finished=len(finished),
            scenarios=sorted({s.start.scenario for s in own}),
            overall=Stats.of([s.overall for s in own if s.finished and s.overall is not None]),
            criteria={c: Stats.of([s.scores[c] for s in finished if c in s.scores]) for c in criteria_names},
            reflexes=_most_common(r for s in own for r in s.reflexes)[:top],
        ))

    names = sorted({c for s in sessions for c in _graded(s)}, key=_rubric_order(rubric))
    criteria = []
    for name in names:
        touching = [s for s in sessions if name in _graded(s)]
        criteria.append(CriterionSummary(
            criterion=name,
            title=rubric.criteria[name].title if name in rubric.criteria else name,
            sessions=len(touching),
            learners=len({s.learner for s in touching}),
            scores=Stats.of([s.scores[name] for s in touching if s.finished and name in s.scores]),
            reflexes=_most_common(r for s in touching for r in s.costly_reflexes.get(name, []))[:top],
        ))
    titles = {name: reflex.title for name, reflex in rubric.reflexes.items()}
    return Cohort(learners, criteria, sessions, collection.unreadable, titles)


def _rubric_order(rubric: Rubric) -> Callable[[str], tuple[int, str]]:
    order = {name: index for index, name in enumerate(rubric.criteria)}
    return lambda name: (order.get(name, len(order)), name)


def _most_common(items: Iterable[str]) -> list[tuple[str, int]]:
    counts = Counter(items)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
