"""Sessions on disk: the history, and scenario versions kept by hash so replays stay exact."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..paths import kept_scenarios_dir, sessions_dir
from ..scenario.loader import LoadResult, load_bytes
from .log import Branch, SessionError, SessionRecord, read_session


def kept_scenario_path(sha256: str) -> Path:
    return kept_scenarios_dir() / f"{sha256}.toml"


def keep_scenario(data: bytes, sha256: str) -> str | None:
    """Keep this exact scenario file once, by hash. Returns an error message instead of raising."""
    target = kept_scenario_path(sha256)
    if target.exists():
        return None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except OSError as error:
        return f"could not keep a copy of the scenario: {error.strerror or error}"
    return None


def load_kept(sha256: str) -> LoadResult | None:
    """The scenario version a session was played on, or None if it is no longer kept."""
    path = kept_scenario_path(sha256)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return load_bytes(data, str(path), warnings=False)


def session_files(folder: Path | None = None) -> list[Path]:
    """Session logs, newest first (names start with their start time)."""
    folder = folder or sessions_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.jsonl"), key=lambda p: p.name, reverse=True)


@dataclass
class SessionSummary:
    path: Path
    id: str
    time: str
    scenario: str
    title: str
    mode: str
    ending: str | None
    overall: int | None
    scores: dict[str, int]
    finished: bool
    decisions: int
    branched_from: Branch | None
    problems: list[str]
    record: SessionRecord | None


def summarize(path: Path) -> SessionSummary:
    try:
        record = read_session(path)
    except SessionError as error:
        return SessionSummary(path, path.stem, "", "?", "?", "?", None, None, {}, False, 0, None, [str(error)], None)
    start = record.start
    assert start is not None
    end = record.end
    return SessionSummary(
        path=path,
        id=start.session,
        time=start.time,
        scenario=start.scenario,
        title=start.title,
        mode=start.mode,
        ending=end.ending if end else None,
        overall=end.overall if end else None,
        scores=dict(end.scores) if end else {},
        finished=end is not None,
        decisions=len(record.decisions),
        branched_from=start.branched_from,
        problems=list(record.problems),
        record=record,
    )


def list_sessions(folder: Path | None = None) -> list[SessionSummary]:
    return [summarize(path) for path in session_files(folder)]


def find_session(reference: str) -> Path:
    """A session by path, by id, or by a unique prefix of its id."""
    candidate = Path(reference)
    if candidate.suffix == ".jsonl" or os.sep in reference:
        if candidate.is_file():
            return candidate
        raise SessionError(f"no session file at {reference}")
    files = session_files()
    exact = [p for p in files if p.stem == reference]
    if exact:
        return exact[0]
    matches = [p for p in files if p.stem.startswith(reference) or reference in p.stem]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise SessionError(f"no session matches '{reference}'; `coach history` lists them")
    names = ", ".join(p.stem for p in matches[:5])
    raise SessionError(f"'{reference}' matches {len(matches)} sessions ({names}…); give more of the id")


def last_session() -> Path:
    files = session_files()
    if not files:
        raise SessionError("there are no sessions yet; play one with `coach play`")
    return files[0]
