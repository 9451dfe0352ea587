"""Explorations of a scenario kept on disk by the SHA-256 of its file.

Exploring every path is what scoring needs, and for the larger scenarios it takes most of a
second. It depends only on the file's content and on the program that explored it, so it is
worked out once per (hash, version) and kept beside the sessions: a replay, a resumed session or
a debrief in a later run reads it back in well under a millisecond. A missing, damaged or
other-version file is only a cache miss.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, get_origin

import msgspec

from .. import __version__
from ..engine.explore import Analysis
from ..io.paths import data_dir
from ..io.paths import is_sha256


LAYOUT = 1
"""Bumped when Analysis gains what scoring needs (1: the expert path's ceilings and state values),
so a file kept by an earlier build of the same version is a miss, not a wrong score."""


class _Kept(msgspec.Struct):
    version: str
    analysis: Analysis
    layout: int = 0


def _dec_hook(kind: type, value: object) -> object:
    if (kind is Counter or get_origin(kind) is Counter) and isinstance(value, dict):  # Counter or Counter[str]
        return Counter(value)
    raise NotImplementedError(kind)


_decoder = msgspec.msgpack.Decoder(_Kept, dec_hook=_dec_hook)
_encoder = msgspec.msgpack.Encoder()


def analyses_dir() -> Path:
    return data_dir() / "analyses"


_SETUP_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
"""A setup id that may be part of a file name: the id pattern, bounded (an id read from a log is data)."""


def _path(sha256: str, setup: str | None = None) -> Path:
    """One file per (hash, setup): each setup of a scenario has its own exploration."""
    return analyses_dir() / (f"{sha256}.msgpack" if setup is None else f"{sha256}.setup-{setup}.msgpack")


def _usable(sha256: str, setup: str | None) -> bool:
    return is_sha256(sha256) and (setup is None or _SETUP_NAME.fullmatch(setup) is not None)


def load(sha256: str, *, setup: str | None = None) -> Analysis | None:
    if not _usable(sha256, setup):  # a hash from a log is data; only a real one names a file
        return None
    try:
        kept = _decoder.decode(_path(sha256, setup).read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError, NotImplementedError):
        return None
    return kept.analysis if kept.version == __version__ and kept.layout == LAYOUT else None


def save(sha256: str, analysis: Analysis, *, setup: str | None = None) -> None:
    """Write atomically; failing to keep it (a read-only disk) only costs the next run time."""
    if not _usable(sha256, setup):
        return
    from ..io.atomic import write_cache

    try:
        payload = _encoder.encode(_Kept(__version__, analysis, LAYOUT))
    except (OverflowError, TypeError, ValueError):  # an unencodable value is only a miss too
        return
    write_cache(_path(sha256, setup), payload)


# --- the checker's warnings ---------------------------------------------------------------------
# `coach check` keeps the warnings that need exploration beside the explorations, keyed by what
# decides them: the parsed scenario, the program and the rubric (see `warnings_key`). A file
# checked again, in this run or a later one, costs its parse and rules, not its exploration.

WARNINGS_LAYOUT = 1
"""Bumped when the kept warnings' shape changes, so an older file is a miss."""

PathPart = str | int


class _KeptWarnings(msgspec.Struct):
    version: str
    layout: int
    warnings: list[tuple[str, str, tuple[PathPart, ...], str, int | None, tuple[PathPart, ...] | None]]


_warnings_decoder = msgspec.msgpack.Decoder(_KeptWarnings)


def _warnings_path(key: str) -> Path:
    return analyses_dir() / f"{key}.warnings.msgpack"


def load_warnings(key: str) -> list[tuple[Any, ...]] | None:
    """The kept warnings as (code, message, path, at, offset, first) tuples; None is a miss."""
    if not is_sha256(key):
        return None
    try:
        kept = _warnings_decoder.decode(_warnings_path(key).read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return kept.warnings if kept.version == __version__ and kept.layout == WARNINGS_LAYOUT else None


def save_warnings(key: str, warnings: list[tuple[Any, ...]]) -> None:
    """Write atomically; failing to keep them only costs the next check its exploration."""
    if not is_sha256(key):
        return
    from ..io.atomic import write_cache

    try:
        payload = _encoder.encode(_KeptWarnings(__version__, WARNINGS_LAYOUT, warnings))
    except (OverflowError, TypeError, ValueError):
        return
    write_cache(_warnings_path(key), payload)
