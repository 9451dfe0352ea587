"""Work that the suite's worker processes share: one folder per test session.

pytest-xdist runs the suite in one process per core, and an expensive result that several
tests need (exploring a built-in scenario, `coach check` of the library) used to be worked out
in every process that needed it, or all of those tests were pinned to one worker with an
xdist_group, which left that worker busy long after the other had finished.

The folder is decided by the controller: xdist gives each worker the base temporary directory
`<controller's basetemp>/popen-gwN`, so their parent is common to every worker of one run
(`-n 0` uses its own basetemp). tests/conftest.py sets `ROOT` from it before any test runs. It
belongs to this run only, never to a later one, so an edit to coach's code between two runs can
never be answered by an entry the old code wrote (the entries are keyed by content as well).

Concurrency: every entry is something that is cheap to ask for again once it is done (a file
written with `coach.io.atomic.write_atomic`, read back; a reader takes a missing or undecodable
file as a miss). `once` takes a per-entry lock (`fcntl.flock`), so a second process that needs
the same entry at the same time waits for the first instead of working it out beside it; and
while it would wait, it does other entries of the same kind that no process has started, so
neither process idles while there is work left. Without `ROOT` (a module imported outside
pytest) or without `fcntl` (Windows), nothing is shared: each process works everything out.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

try:
    import fcntl
except ImportError:  # Windows: no locks, so each process works out what it needs
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

ROOT: Path | None = None
"""The session's shared folder (tests/conftest.py's `shared_root` fixture sets it)."""


def session_root(basetemp: Path, is_worker: bool) -> Path:
    """The folder every process of this run agrees on: under xdist, the parent of the worker's
    basetemp (the controller's); otherwise the basetemp itself."""
    root = (basetemp.parent if is_worker else basetemp) / "coach-shared"
    root.mkdir(parents=True, exist_ok=True)
    return root


def home() -> Path | None:
    """A COACH_HOME shared by the whole run, for coach's own content-addressed caches (the
    explorations and check warnings under data/analyses, the validated scenarios under cache/)."""
    if ROOT is None:
        return None
    folder = ROOT / "home"
    (folder / "data" / "analyses").mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def in_shared_home() -> Iterator[None]:
    """Run coach with COACH_HOME set to the shared home, then put the test's own back. It sets
    the process's environment, so call it only where no app's worker thread is running (the
    helpers in tests/builtin_library.py are called before a test starts its app)."""
    shared = home()
    if shared is None:
        yield
        return
    before = os.environ.get("COACH_HOME")
    os.environ["COACH_HOME"] = str(shared)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("COACH_HOME", None)
        else:
            os.environ["COACH_HOME"] = before


def _lock_path(name: str) -> Path | None:
    if ROOT is None or fcntl is None:
        return None
    folder = ROOT / "locks"
    folder.mkdir(exist_ok=True)
    return folder / f"{name}.lock"


@contextlib.contextmanager
def _locked(name: str, *, wait: bool) -> Iterator[bool]:
    """Hold the entry's lock; with `wait=False`, yield False at once if another process holds it."""
    path = _lock_path(name)
    if path is None:
        yield True
        return
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def once(name: str, work: Callable[[], T], siblings: Callable[[], Iterable[tuple[str, Callable[[], object]]]] = tuple) -> T:
    """`work()` under this entry's lock. `work` must be cheap once some process has done it
    (it reads what that process kept). If another process holds the lock, first do the
    `siblings` (name, work) that nobody holds, then wait for this one."""
    with _locked(name, wait=False) as mine:
        if mine:
            return work()
    for other, other_work in siblings():
        if other == name:
            continue
        with _locked(other, wait=False) as mine:
            if mine:
                other_work()
        with _locked(name, wait=False) as mine:
            if mine:
                return work()
    with _locked(name, wait=True):
        return work()
