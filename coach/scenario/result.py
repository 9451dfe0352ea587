"""What loading a scenario file returns, and the bounded read every loader starts with.

Kept apart from the loader so that a scenario found in the cache (coach.scenario.cache) is read
and handed over without importing tomllib, the rule checks or the position scanner: `coach
play` and the home screen pay only for what a hit needs.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from .diagnostics import Diagnostic
from .model import Scenario

MAX_BYTES = 2 * 1024 * 1024
"""Files above this are refused before parsing: no real scenario comes close (2,500 scenes fit)."""


class ScenarioNotLoaded(ValueError):
    """`LoadResult.require()` on a file that did not load: names the file and its first error."""

    def __init__(self, result: LoadResult) -> None:
        first = result.errors[0] if result.errors else None
        why = f"{first.line}:{first.col} {first.code} {first.message}" if first else "no scenario"
        super().__init__(f"{result.path} did not load: {why}")
        self.result = result


@dataclass
class LoadResult:
    path: str
    scenario: Scenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sha256: str = ""
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not any(d.is_error for d in self.diagnostics)

    def require(self) -> Scenario:
        """The scenario, for a caller that has already shown errors or knows the file is good:
        a typed way past the Optional, failing with the file's first error instead of a bare assert."""
        if self.scenario is None:
            raise ScenarioNotLoaded(self)
        return self.scenario

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def loaded(self) -> Loaded | None:
        """This result typed as one whose scenario is there, so a caller checks once, not per use."""
        if self.scenario is None:
            return None
        return Loaded(self.path, self.scenario, self.diagnostics, self.sha256, self.text)


@dataclass
class Loaded(LoadResult):
    """A `LoadResult` whose scenario loaded (it may still have warnings)."""

    scenario: Scenario


class _Unreadable(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def read_bounded(path: str | FsPath, max_bytes: int = MAX_BYTES, what: str = "scenario files") -> bytes:
    """The bytes of a regular file of at most `max_bytes`; raises _Unreadable (C001, C002) otherwise.

    Only a regular file is read: a FIFO would block for ever and /dev/zero never ends, so the
    file is opened without blocking and checked with fstat before a single byte is read, and
    the read itself stops one byte past the limit whatever the size claimed."""
    from ..io.sanitise import line

    shown = line(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise _Unreadable("C001", f"no such file: '{shown}'") from None
    except IsADirectoryError:
        raise _Unreadable("C001", f"'{shown}' is a folder, not a scenario file") from None
    except PermissionError:
        raise _Unreadable("C001", f"permission denied reading '{shown}'") from None
    except OSError as error:
        raise _Unreadable("C001", f"cannot read '{shown}': {error.strerror or error}") from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise _Unreadable("C001", f"'{shown}' is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) \
                else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file"
            raise _Unreadable("C001", f"'{shown}' is {kind}; only regular files are read")
        if info.st_size > max_bytes:
            raise _Unreadable("C002", f"file is {info.st_size / 1048576:.1f} MiB; {what} are limited to {max_bytes / 1048576:g} MiB")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        raise _Unreadable("C001", f"cannot read '{shown}': {error.strerror or error}") from None
    finally:
        os.close(handle)
    if len(data) > max_bytes:
        raise _Unreadable("C002", f"file is over {max_bytes / 1048576:g} MiB; {what} are limited to {max_bytes / 1048576:g} MiB")
    return data
