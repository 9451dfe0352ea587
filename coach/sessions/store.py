"""Sessions on disk: the history, and scenario versions kept by hash so replays stay exact."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import msgspec

from .. import __version__
from ..io.atomic import write_atomic, write_cache
from ..io.paths import data_dir, kept_scenarios_dir, sessions_dir
from .log import Branch, SessionError, SessionRecord, is_sha256, read_session

if TYPE_CHECKING:
    from ..scenario.result import LoadResult


def kept_scenario_path(sha256: str) -> Path:
    """The kept copy of a scenario version. Only a real SHA-256 names a file: a hash read from a
    collected log is data, and `../../x` or a NUL in it must never become a path."""
    if not is_sha256(sha256):
        return kept_scenarios_dir() / "not-a-sha256"  # never written (keep_scenario refuses), never read
    return kept_scenarios_dir() / f"{sha256}.toml"


def keep_scenario(data: bytes, sha256: str) -> str | None:
    """Keep this exact scenario file once, by hash. Returns an error message instead of raising."""
    if not is_sha256(sha256):
        return "could not keep a copy of the scenario: it has no valid hash"
    target = kept_scenario_path(sha256)
    if target.exists():
        return None
    try:
        write_atomic(target, data)
    except OSError as error:
        return f"could not keep a copy of the scenario: {error.strerror or error}"
    return None


def load_kept(sha256: str) -> LoadResult | None:
    """The scenario version a session was played on, or None if it is no longer kept."""
    if not is_sha256(sha256):
        return None
    path = kept_scenario_path(sha256)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    from ..scenario.loader import load_bytes  # the loader and its checks: not on the briefing's path

    return load_bytes(data, str(path))


def session_files(folder: Path | None = None) -> list[Path]:
    """Session logs, newest first (names start with their start time)."""
    folder = folder or sessions_dir()
    return [folder / name for name in _session_names(folder)]


def _session_names(folder: Path) -> list[str]:
    """The logs' file names, newest first: names only, where a glob built a path per file to match
    it (`listdir`, not `scandir`: no entry object per name; 1.4 -> 1.1 ms for 2,000 files)."""
    try:
        names = [name for name in os.listdir(folder) if name.endswith(".jsonl")]
    except OSError:
        return []
    names.sort(reverse=True)
    return names


class SessionSummary(msgspec.Struct, array_like=True, dict=True):
    """One line of history, declared once: the index stores these as they are (array_like, after
    the file's name, size and time), so a field added here is indexed with no second edit.
    `dict=True` lets the lazily read record live outside the fields, so it is never indexed."""

    path: Path
    """Not indexed: the index is keyed by file name and rebuilt against the folder it is read from."""
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
    readable: bool = True
    """False when the file cannot be used at all (its `problems` say why)."""
    ending_title: str | None = None
    """The ending's title as the log recorded it (None in logs written before it did)."""
    reflexes: dict[str, int] = {}
    """Reflex id -> decisions that showed it, from the end event (empty when unfinished or older)."""
    reflection: str = ""
    """The learner's answer to the debrief's question (coach.sessions.reflection); empty if none."""

    @property
    def _record(self) -> SessionRecord | None:
        """The whole log once read: kept outside the fields (`dict=True`), so never compared or indexed."""
        kept: SessionRecord | None = self.__dict__.get("_kept_record")
        return kept

    def _keep(self, record: SessionRecord) -> None:
        self.__dict__["_kept_record"] = record

    @property
    def record(self) -> SessionRecord | None:
        """The whole log, read on first use (summaries from the index do not hold it); None if unreadable."""
        if self._record is None and self.readable:
            try:
                self._keep(read_session(self.path))
            except SessionError as error:
                self.readable = False
                self.problems = [str(error)]
        return self._record


def summarize(path: Path) -> SessionSummary:
    try:
        record = read_session(path)
    except SessionError as error:
        return SessionSummary(path, path.stem, "", "?", "?", "?", None, None, {}, False, 0, None, [str(error)],
                              readable=False)
    start = record.start
    assert start is not None
    end = record.end
    summary = SessionSummary(
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
        ending_title=(end.title or None) if end else None,
        reflexes=dict(end.reflexes) if end else {},
        reflection=record.reflection,
    )
    summary._keep(record)
    return summary


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while thousands of summaries (or cache entries) are made,
    and what was made moved to its oldest generation at the end:
    none is garbage, but in a running app each collection of the oldest generation walks every
    object of Textual too, and made listing 2,000 sessions take 0.2-0.7 s instead of 0.1 s."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Paused, the collector only defers the work: the first collection after it walks every
        # object made meanwhile (26 of 186 ms of a warm `coach report` of 2,000 sessions). Frozen
        # and unfrozen, they join the oldest generation in one step, as if they had survived its
        # collections; a later full collection still frees whichever of them becomes garbage.
        gc.freeze()
        gc.unfreeze()
        if was_on:
            gc.enable()


def list_sessions(folder: Path | None = None) -> list[SessionSummary]:
    """Every session, newest first. The user's own sessions folder keeps an index of summaries
    keyed by each file's name, size and modification time, so a long history is not re-read at
    every start: only new or changed logs are parsed."""
    if folder is not None and folder != sessions_dir():
        return [summarize(path) for path in session_files(folder)]
    with collector_paused():
        return _listed()


def _listed() -> list[SessionSummary]:
    folder = sessions_dir()
    folder_mtime = _settled_mtime(folder)  # before listing: a log added meanwhile changes it again
    names = _session_names(folder)
    if not names:
        return []
    index_path = summaries_index_path()
    known = _read_index(index_path)
    entries: list[_IndexEntry] = []
    result: list[SessionSummary] = []
    changed = len(known) != len(names)
    stat, join, where = os.stat, os.path.join, str(folder)
    for name in names:
        try:
            info = stat(join(where, name))  # a string: formatting a Path per file cost as much as the stat
        except OSError:
            changed = True
            continue
        path = folder / name
        entry = known.get(name)
        if entry is not None and entry.size == info.st_size and entry.mtime == info.st_mtime_ns:
            summary = entry.summary(path)
        else:
            changed = True
            summary = summarize(path)
            entry = _IndexEntry.of(summary, info.st_size, info.st_mtime_ns)
        entries.append(entry)
        result.append(summary)
    if changed:
        _write_index(index_path, entries)
    if changed or (len(entries) > HEAD and folder_mtime is not None and _head_folder_mtime() != folder_mtime):
        _write_head(entries, folder_mtime)
    return result


# --- the index of summaries --------------------------------------------------------------------

INDEX_FORMAT = 5
"""5: the newest page is a file of its own (`sessions-head.msgpack`), checked against the
folder's modification time instead of a list of every name. 4: the index also held the newest
page (`head`). 3: each entry holds the SessionSummary itself (2 repeated its fields in the entry)."""

HEAD = 100
"""Sessions in the index's head: the newest HEAD by (start time, file name), as the history
lists them first. Only a longer history is opened from the head (see `first_page`)."""

SETTLED_NS = 2_000_000_000
"""How old the folder's modification time must be for the head to trust it: a file system
stamps times in ticks (a few milliseconds on Linux, two seconds on FAT), and a log added within
the tick of the folder's last change would leave its time as it was."""


def summaries_index_path() -> Path:
    return data_dir() / "sessions-index.msgpack"


def summaries_head_path() -> Path:
    return data_dir() / "sessions-head.msgpack"


class _IndexEntry(msgspec.Struct, array_like=True):
    name: str
    size: int
    mtime: int
    held: SessionSummary

    @classmethod
    def of(cls, s: SessionSummary, size: int, mtime: int) -> _IndexEntry:
        return cls(s.path.name, size, mtime, s)

    def summary(self, path: Path) -> SessionSummary:
        self.held.path = path
        return self.held


class _Index(msgspec.Struct):
    format: int
    version: str
    """The program that wrote it: another version re-reads every log (how logs are read may differ)."""
    entries: list[_IndexEntry]


class _Head(msgspec.Struct):
    """The history's first page, in a file of its own so that opening a long history decodes a
    hundred summaries, not two thousand (the index held it before, and skipping the rest of the
    index, listing the folder and comparing every name cost more than drawing the page)."""

    format: int
    version: str
    folder_mtime: int
    """The sessions folder's modification time when it was listed: a log added, removed or
    renamed since changes it. (A log appended to does not: the head's own files are stat'ed.)"""
    total: int
    finished: int
    entries: list[_IndexEntry]
    """The newest HEAD sessions, then every session that one of them branched from or that
    branched from one of them: all the history screen needs for its first page and its detail."""


def _path_out(value: object) -> object:
    if isinstance(value, Path):
        return ""  # the summary's path is the folder's business (see SessionSummary.path)
    raise NotImplementedError(type(value))


def _path_in(kind: type, value: object) -> object:
    if kind is Path:
        return Path()
    raise NotImplementedError(kind)


@functools.cache
def _index_decoder() -> msgspec.msgpack.Decoder[_Index]:
    return msgspec.msgpack.Decoder(_Index, dec_hook=_path_in)


@functools.cache
def _head_decoder() -> msgspec.msgpack.Decoder[_Head]:
    return msgspec.msgpack.Decoder(_Head, dec_hook=_path_in)
_index_encoder = msgspec.msgpack.Encoder(enc_hook=_path_out)


def _read_index(path: Path) -> dict[str, _IndexEntry]:
    """The index by file name; empty if it is missing, damaged or from another version (it is only a cache)."""
    try:
        index = _index_decoder().decode(path.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return {}
    if index.format != INDEX_FORMAT or index.version != __version__:
        return {}
    return {entry.name: entry for entry in index.entries}


def _write_index(path: Path, entries: list[_IndexEntry]) -> None:
    write_cache(path, _index_encoder.encode(_Index(INDEX_FORMAT, __version__, entries)))


def _settled_mtime(folder: Path) -> int | None:
    """The folder's modification time, if it is old enough to show the next change (SETTLED_NS)."""
    try:
        mtime = os.stat(folder).st_mtime_ns
    except OSError:
        return None
    return mtime if time.time_ns() - mtime >= SETTLED_NS else None


def _read_head() -> _Head | None:
    try:
        head = _head_decoder().decode(summaries_head_path().read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return head if head.format == INDEX_FORMAT and head.version == __version__ else None


def _head_folder_mtime() -> int | None:
    head = _read_head()
    return head.folder_mtime if head is not None else None


def _write_head(entries: list[_IndexEntry], folder_mtime: int | None) -> None:
    """The first page of a long history; none (the file removed) for a short one, or while the
    folder's time is too recent to tell the next change by (`first_page` then lists everything)."""
    path = summaries_head_path()
    if len(entries) <= HEAD or folder_mtime is None:
        with contextlib.suppress(OSError):
            path.unlink()
        return
    finished = sum(1 for e in entries if e.held.finished)
    write_cache(path, _index_encoder.encode(_Head(INDEX_FORMAT, __version__, folder_mtime, len(entries), finished,
                                                  _head(entries))))


def _newest(entry: _IndexEntry) -> tuple[str, str]:
    """The history's default order (coach.sessions.history.view, "newest"), reversed."""
    return entry.held.time, entry.name


def _head(entries: list[_IndexEntry]) -> list[_IndexEntry]:
    """The newest HEAD entries, then those linked to them by a branch (see `_Head.entries`)."""
    head = sorted(entries, key=_newest, reverse=True)[:HEAD]
    ids = {e.held.id for e in head}
    parents = {e.held.branched_from.session for e in head if e.held.branched_from is not None}
    named = {e.name for e in head}
    related = [e for e in entries if e.name not in named and (
        e.held.id in parents or (e.held.branched_from is not None and e.held.branched_from.session in ids))]
    return head + related


class FirstPage(msgspec.Struct):
    """What the history screen draws first in a long history, from the index's head alone."""

    sessions: list[SessionSummary]
    """The newest `rows` (in the history's default order), then the sessions linked to them."""
    rows: int
    total: int
    finished: int


def first_page() -> FirstPage | None:
    """The newest page of a long history without reading the index or listing the folder: None
    unless the head is current (the folder unchanged since it was written, every file of the head
    unchanged). The caller lists every session (`list_sessions`) afterwards: a file outside the
    head may have been appended to meanwhile, which leaves the folder's time as it was."""
    with collector_paused():
        folder = sessions_dir()
        head = _read_head()
        if head is None or not head.entries:
            return None
        try:
            if os.stat(folder).st_mtime_ns != head.folder_mtime:
                return None
        except OSError:
            return None
        stat, join, where = os.stat, os.path.join, str(folder)
        sessions = []
        for entry in head.entries:
            try:
                info = stat(join(where, entry.name))
            except OSError:
                return None
            if entry.size != info.st_size or entry.mtime != info.st_mtime_ns:
                return None
            sessions.append(entry.summary(folder / entry.name))
        return FirstPage(sessions, min(HEAD, len(sessions)), head.total, head.finished)


def delete_session(path: Path) -> None:
    """Delete one session log (the screens ask first). Its kept scenario version stays: other
    sessions may have been played on it. Raises SessionError with a sentence if it cannot."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as error:
        raise SessionError(f"could not delete {path.name}: {error.strerror or error}") from None


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
