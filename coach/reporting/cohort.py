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

import functools
import hashlib
import os
import stat
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import msgspec

from ..engine.scoring import Debrief
from ..scenario.model import Rubric, Scenario
from ..sessions.log import End, SessionError, SessionRecord, Start, clean_name, read_session

KEPT_FOLDER = "scenarios-by-hash"
UNNAMED = "(unnamed)"


@dataclass
class Found:
    """A session file to read, and the folder argument it was found under (None if named directly)."""

    path: Path
    root: Path | None = None
    info: os.stat_result | None = field(default=None, repr=False, compare=False)
    """The file's stat when gathering took it, so reading it for a report need not stat it again."""


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
    _scenario: Scenario | None = field(default=None, repr=False, compare=False)
    problems: list[str] = field(default_factory=list)
    last_time: str | None = None
    """When the session ended, or its last decision for an unfinished one."""
    reflection: str = ""
    """The learner's answer to the debrief's question (coach.sessions.reflection), if any."""
    confidences: list[str | None] = field(default_factory=list)
    """How sure the learner said they were, one per decision (None when not asked)."""
    rubric: object = field(default=None, repr=False, compare=False)
    """Set when the session was scored on its scenario version: its debrief can then be worked out."""
    criteria: dict[str, int] | None = None
    """The weights of the criteria its scenario version grades, when it was scored."""
    _debrief: Debrief | None = field(default=None, repr=False, compare=False)
    _load: Callable[[], Scenario | None] | None = field(default=None, repr=False, compare=False)

    @property
    def scenario(self) -> Scenario | None:
        """The scenario version it was played on; parsed on first use when the session's figures
        came from the report cache (a summary needs only `criteria`)."""
        if self._load is not None:
            self._scenario, self._load = self._load(), None
        return self._scenario

    @property
    def session(self) -> str:
        return self.start.session

    @property
    def debrief(self) -> Debrief | None:
        """The full debrief, worked out on first use: a cohort summary needs only the figures, and
        weighing every decision's open choices is most of the cost of scoring a session (see `debriefs`)."""
        if self._debrief is None and self.rubric is not None and self.scenario is not None:
            from ..engine.scoring import debrief as make_debrief
            from ..sessions.playthrough import analysis_of, replay_decisions

            try:
                state = replay_decisions(self.scenario, read_session(self.path))
            except SessionError:  # changed or removed since it was scored
                self.rubric = None
                return None
            analysis = analysis_of(self.scenario, self.start.sha256, setup=state.setup)
            self._debrief = make_debrief(self.scenario, state, analysis, self.rubric)  # type: ignore[arg-type]
        return self._debrief


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
    seen: set[object] = set()
    for reference in references:
        candidate = Path(reference).expanduser()
        if candidate.is_dir():
            items: list[tuple[Found, os.stat_result | None]] = [(Found(p, candidate, info), info) for p in sorted(candidate.rglob("*.jsonl"), key=lambda p: p.parts)
                     for info in [_regular(p)] if info is not None]  # regular files only
        else:
            path = find_session(reference)
            items = [(Found(path, None, _regular(path)), None)]
        for item, info in items:
            key = (info.st_dev, info.st_ino) if info is not None else item.path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def _regular(path: Path) -> os.stat_result | None:
    """The stat of the regular file a path leads to (through links), None for anything else.
    Files are told apart by device and inode: resolving every path of a large cohort cost more
    than reading the files."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


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
        self._near: dict[tuple[str, str], Scenario | None] = {}
        self._hashed: dict[tuple[str, Path], bool] = {}
        self._located: dict[tuple[str, str], bool] = {}
        self._elsewhere: dict[str, bool] = {}

    def find(self, sha256: str, session_file: Path) -> Scenario | None:
        from ..io.paths import is_sha256

        if not is_sha256(sha256):  # read from a collected log: data, never a path
            return None
        near = (sha256, os.path.dirname(session_file))
        if near not in self._near:  # the same answer for every session of a folder
            self._near[near] = self._find(sha256, session_file)
        return self._near[near]

    def located(self, sha256: str, session_file: Path, folder: str | None = None) -> bool:
        """Whether `find` has a file of this version to parse, without parsing it (a version
        parses or not whatever file holds it: the same bytes). `folder` is the file's dirname,
        if the caller has it."""
        near = (sha256, folder if folder is not None else os.path.dirname(session_file))  # a string: hashing a Path per session cost more than the rest
        known = self._located.get(near)
        if known is not None:
            return known
        from ..io.paths import is_sha256

        if not is_sha256(sha256):
            return False
        if near not in self._located:
            self._located[near] = self._locate(sha256, session_file)
        return self._located[near]

    def _locate(self, sha256: str, session_file: Path) -> bool:
        from ..sessions.store import kept_scenario_path

        for folder in (session_file.parent / KEPT_FOLDER, session_file.parent.parent / KEPT_FOLDER):
            key = (sha256, folder)
            if key not in self._hashed:
                self._hashed[key] = _hashes_to(folder / f"{sha256}.toml", sha256)
            if self._hashed[key]:
                return True
        if sha256 not in self._elsewhere:
            self._elsewhere[sha256] = kept_scenario_path(sha256).is_file() or sha256 in self.library()
        return self._elsewhere[sha256]

    def _find(self, sha256: str, session_file: Path) -> Scenario | None:
        from ..scenario.loader import load_bytes, load_scenario
        from ..scenario.result import read_bounded
        from ..sessions.store import load_kept

        for folder in (session_file.parent / KEPT_FOLDER, session_file.parent.parent / KEPT_FOLDER):
            candidate = folder / f"{sha256}.toml"
            key: tuple[str, Path | None] = (sha256, candidate)
            if key not in self._cache and not candidate.is_file():
                self._cache[key] = None  # asked once per folder and hash, not once per session
            elif key not in self._cache:
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


def _hashes_to(candidate: Path, sha256: str) -> bool:
    from ..scenario.result import read_bounded

    if not candidate.is_file():
        return False
    try:
        return hashlib.sha256(read_bounded(candidate)).hexdigest() == sha256
    except Exception:  # not a regular file, too large, unreadable: not the version
        return False


# --- reading and scoring -----------------------------------------------------------------------


class _Scored(msgspec.Struct, array_like=True):
    """What a session's scenario version says of it: everything a cohort summary needs, without
    the per-decision debrief (which weighs each open choice against the exploration)."""

    finished: bool
    ending: str | None
    rating: str | None
    overall: int
    grade: str
    scores: dict[str, int]
    reflexes: list[str]
    costly_reflexes: dict[str, list[str]]
    criteria: dict[str, int]
    """The scenario version's criteria and weights, so a summary need not parse it."""


class _Read(msgspec.Struct, array_like=True):
    """One session file as a report read it, kept in the report cache (see `_ReportCache`)."""

    path: str
    size: int
    mtime: int
    start: Start
    decisions: int
    end: End | None
    problems: list[str]
    """The log's own problems (damaged lines and the like), not the scenario's."""
    last_time: str | None
    reflection: str
    confidences: list[str | None]
    scored: _Scored | None = None
    """None when it was not scored: its scenario version was not found, or it could not be replayed."""
    replay_error: str | None = None
    """Why a found scenario version could not replay it (the same for the same hash, so kept)."""


def collect(found: Iterable[Found], *, cache: bool = True) -> Collection:
    """Read and score every session; a file that cannot be used is listed, never fatal.

    Scoring replays each log on its scenario version, which costs far more than reading it, so
    the figures are kept in a cache keyed by each file's path, size and modification time (like
    the history's index): a report over the same folder again reads only new or changed logs.
    Logs to score are replayed grouped by scenario version and setup, so each exploration's
    lookup tables are built once, not once per session."""
    from ..scenario.loader import builtin_rubric
    from ..sessions.store import collector_paused

    finder = ScenarioFinder()
    rubric = builtin_rubric()
    store = _ReportCache() if cache else None
    with collector_paused():  # reading makes thousands of results and cache entries, all kept
        known = store.read() if store is not None else {}
        reading = _Reading(finder, rubric, known)
        for item in found:
            reading.add(item)
    results = reading.results
    for index, path, entry, record, scenario in sorted(reading.to_score, key=lambda job: (job[2].start.sha256, job[2].start.setup or "")):
        _score(entry, record, scenario, rubric)
        learner = results[index].learner  # type: ignore[union-attr]
        results[index] = _result(path, entry, learner, scenario, rubric)
    if store is not None and (reading.fresh or reading.to_score):
        store.write(known, reading.reads)
    return Collection([r for r in results if r is not None], reading.unreadable)


class _Reading:
    """The sessions of one report as they are read: from the cache where it still holds, listing
    those whose scenario version was found but which are still to score."""

    def __init__(self, finder: ScenarioFinder, rubric: Rubric, known: dict[str, _Read]) -> None:
        self.finder, self.rubric, self.known = finder, rubric, known
        self.learners = _Learners()
        self.results: list[SessionResult | None] = []
        self.unreadable: list[Unreadable] = []
        self.reads: list[_Read] = []
        self.to_score: list[tuple[int, Path, _Read, SessionRecord, Scenario]] = []
        self.fresh = False
        """Some file was read, not taken from the cache: the cache is written again."""
        self._folders: dict[str, str] = {}

    def _absolute(self, folder: str) -> str:
        """os.path.abspath of a folder, once per folder (once per file it was a tenth of reading the cache)."""
        absolute = self._folders.get(folder)
        if absolute is None:
            absolute = self._folders[folder] = os.path.abspath(folder)
        return absolute

    def add(self, item: Found) -> None:
        finder, rubric = self.finder, self.rubric
        folder = os.path.dirname(item.path)
        entry, record = _read(item.path, self.known, item.info, self._absolute(folder))
        if entry is None:
            self.unreadable.append(Unreadable(item.path, record))  # type: ignore[arg-type]
            return
        self.fresh = self.fresh or record is not None
        self.reads.append(entry)
        learner = self.learners.named(entry.start.learner) or self.learners.of(item.path, item.root, folder)
        sha256, path = entry.start.sha256, item.path
        if entry.scored is not None and finder.located(sha256, path, folder):  # parsed only if a renderer needs it
            self.results.append(_result(path, entry, learner, functools.partial(finder.find, sha256, path), rubric))
            return
        scenario = finder.find(sha256, path)
        if scenario is not None and entry.scored is None and entry.replay_error is None:
            if record is None:  # cached while its scenario version was missing: read it again
                try:
                    record = read_session(path)
                except SessionError as error:
                    self.reads.pop()
                    self.unreadable.append(Unreadable(path, str(error)))
                    return
            assert isinstance(record, SessionRecord)
            self.to_score.append((len(self.results), path, entry, record, scenario))
        self.results.append(_result(path, entry, learner, scenario, rubric))


def _read(path: Path, known: dict[str, _Read], info: os.stat_result | None = None,
          folder: str | None = None) -> tuple[_Read | None, SessionRecord | str | None]:
    """The cached reading of `path` when its size and time still match (record None), else a new
    one with its record; (None, the reason) when the file cannot be used. `folder` is the
    absolute path of the file's folder, if the caller has it."""
    key = os.path.join(folder, os.path.basename(path)) if folder is not None else os.path.abspath(path)
    if info is None:
        try:
            info = os.stat(path)
        except OSError:
            info = None
    cached = known.get(key)
    if info is not None and cached is not None and cached.size == info.st_size and cached.mtime == info.st_mtime_ns:
        return cached, None
    try:
        record = read_session(path)
    except SessionError as error:
        return None, str(error)
    start = record.start
    assert start is not None
    end = record.end
    times = [t for t in (getattr(event, "time", None) for event in record.events) if t]
    entry = _Read(
        path=key, size=info.st_size if info else -1, mtime=info.st_mtime_ns if info else -1, start=start,
        decisions=len(record.decisions), end=end, problems=list(record.problems),
        last_time=end.time if end is not None else (times[-1] if times else None), reflection=record.reflection,
        confidences=[getattr(e, "confidence", None) for e in record.decisions],
    )
    return entry, record


def _score(entry: _Read, record: SessionRecord, scenario: Scenario, rubric: Rubric) -> None:
    """Replay the log on its scenario version and keep the figures (or why it cannot be replayed)."""
    from ..engine.scoring import criterion_scores, grade_letter, overall
    from ..scenario.model import Ending
    from ..sessions.playthrough import analysis_of, replay_decisions

    try:
        state = replay_decisions(scenario, record)
    except SessionError as error:
        entry.replay_error = str(error)
        return
    analysis = analysis_of(scenario, entry.start.sha256, setup=state.setup)
    scores = criterion_scores(scenario, state.points, analysis, rubric)
    total = overall(scores)
    ending = scenario.nodes.get(state.ending) if state.ending else None
    reflexes: list[str] = []
    costly: dict[str, list[str]] = {}
    for step in state.history:  # as scoring.debrief counts them, without weighing every choice
        if step.reflex and step.reflex in rubric.reflexes and step.reflex not in reflexes:
            reflexes.append(step.reflex)
        if step.reflex:
            for criterion, points in step.score.items():
                if points < 0:
                    costly.setdefault(criterion, []).append(step.reflex)
    entry.scored = _Scored(
        finished=state.finished, ending=state.ending, rating=ending.rating if isinstance(ending, Ending) else None,
        overall=total, grade=grade_letter(total), scores={c.criterion: c.percent for c in scores},
        reflexes=reflexes, costly_reflexes=costly, criteria=dict(scenario.criteria),
    )


NOT_FOUND = "the scenario version it was played on was not found; scores come from the log, reflexes are unknown"


def _result(path: Path, entry: _Read, learner: str, scenario: Scenario | Callable[[], Scenario | None] | None,
            rubric: Rubric) -> SessionResult:
    """The session as a report shows it; `scenario` is a function to parse it later when the
    figures came from the cache."""
    from ..engine.scoring import grade_letter

    scored = entry.scored if scenario is not None else None
    problems = list(entry.problems)
    if scenario is None:
        problems.append(NOT_FOUND)
    elif entry.replay_error is not None:
        problems.append(f"{entry.replay_error}; scores come from the log")
    load = scenario if callable(scenario) else None
    end = entry.end
    overall: int | None
    grade: str | None
    if scored is not None:
        finished, ending, rating = scored.finished, scored.ending, scored.rating
        overall, grade, scores = scored.overall, scored.grade, scored.scores
    else:
        finished, ending, rating = end is not None, end.ending if end else None, None
        overall, grade = (end.overall, grade_letter(end.overall)) if end else (None, None)
        scores = dict(end.scores) if end else {}
    return SessionResult(
        path=path, start=entry.start, learner=learner, finished=finished, decisions=entry.decisions, ending=ending,
        rating=rating, overall=overall, grade=grade, scores=scores, reflexes=scored.reflexes if scored else [],
        costly_reflexes=scored.costly_reflexes if scored else {},
        _scenario=None if callable(scenario) else scenario, _load=load, problems=problems,
        last_time=entry.last_time, reflection=entry.reflection, confidences=entry.confidences if scored else [],
        rubric=rubric if scored else None, criteria=scored.criteria if scored else None,
    )


def debriefs(sessions: Iterable[SessionResult]) -> None:
    """Work out the full debrief of each scored session (best and weakest decisions, the expert's
    path), grouped by scenario version and setup so each exploration's tables are built once:
    renderers that show every session's debrief call this before walking them."""
    pending = [s for s in sessions if s._debrief is None and s.rubric is not None and s.scenario is not None]
    for session in sorted(pending, key=lambda s: (s.start.sha256, s.start.setup or "")):
        session.debrief  # noqa: B018 - computes and keeps it


class _Learners:
    """`learner_from_folder`, once per folder: resolving the history's folder for every file of a
    2,000-session cohort took longer than reading them."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str | None], str] = {}
        self._named: dict[str, str] = {}

    def named(self, learner: str) -> str:
        """`clean_name` of a log's learner, once per name (a cohort repeats a few names)."""
        cleaned = self._named.get(learner)
        if cleaned is None:
            cleaned = self._named[learner] = clean_name(learner)
        return cleaned

    def of(self, path: Path, root: Path | None, folder: str | None = None) -> str:
        key = (folder if folder is not None else os.path.dirname(path), None if root is None else str(root))
        if key not in self._seen:
            self._seen[key] = learner_from_folder(path, root)
        return self._seen[key]


REPORT_CACHE_FORMAT = 1
REPORT_CACHE_LIMIT = 50_000
"""Entries kept at most: those of the files just reported on, then older ones up to this."""


class _CacheFile(msgspec.Struct):
    format: int
    version: str
    """The program that wrote it: another version scores every log again (scoring may differ)."""
    entries: list[_Read]


_cache_decoder = msgspec.msgpack.Decoder(_CacheFile)


class _ReportCache:
    """Sessions already read and scored, by absolute path, in the data folder. Only a cache: a
    missing, damaged or other-version file means scoring again; a read-only disk means no cache."""

    def __init__(self) -> None:
        from ..io.paths import data_dir

        self.path = data_dir() / "report-cache.msgpack"

    def read(self) -> dict[str, _Read]:
        from .. import __version__

        try:
            data = self.path.read_bytes()
            cached = _cache_decoder.decode(data)  # (collect pauses the cyclic GC around this)
        except (OSError, msgspec.DecodeError, msgspec.ValidationError):
            return {}
        if cached.format != REPORT_CACHE_FORMAT or cached.version != __version__:
            return {}
        return {entry.path: entry for entry in cached.entries}

    def write(self, known: dict[str, _Read], reads: list[_Read]) -> None:
        from .. import __version__
        from ..io.atomic import write_cache

        current = {entry.path: entry for entry in reads}
        older = [entry for path, entry in known.items() if path not in current]
        entries = list(current.values()) + older[: max(0, REPORT_CACHE_LIMIT - len(current))]
        write_cache(self.path, msgspec.msgpack.encode(_CacheFile(REPORT_CACHE_FORMAT, __version__, entries)))


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
    if session.criteria is not None:
        return dict(session.criteria)
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
    graded_by = {id(s): _graded(s) for s in sessions}  # once a session, not once a criterion

    def graded(session: SessionResult) -> dict[str, int]:
        return graded_by[id(session)]

    learners = []
    for name, own in by_learner.items():
        finished = [s for s in own if s.finished and s.overall is not None]
        criteria_names = sorted({c for s in own for c in graded(s)}, key=_rubric_order(rubric))
        learners.append(LearnerSummary(
            learner=name,
            sessions=len(own),
            finished=len(finished),
            scenarios=sorted({s.start.scenario for s in own}),
            overall=Stats.of([s.overall for s in own if s.finished and s.overall is not None]),
            criteria={c: Stats.of([s.scores[c] for s in finished if c in s.scores]) for c in criteria_names},
            reflexes=_most_common(r for s in own for r in s.reflexes)[:top],
        ))

    touching_by: dict[str, list[SessionResult]] = {}  # one pass, not one per criterion
    for session in sessions:
        for name in graded(session):
            touching_by.setdefault(name, []).append(session)
    names = sorted(touching_by, key=_rubric_order(rubric))
    criteria = []
    for name in names:
        touching = touching_by[name]
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
