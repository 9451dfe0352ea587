"""Validated scenarios kept on disk by the hash of their file, so a start needs no TOML parse.

Loading a scenario is `tomllib`, a `msgspec.convert` and the rule checks; decoding the same
validated Scenario from msgpack is tens of times faster. The library and `coach play` read each
file anyway (the file is the truth), hash its bytes, and look the hash up here:

- the key is (sha256 of the bytes, coach's version, the rubric's hash, whether warnings were
  asked for), stored inside the entry and compared on every read, so an edited file, an
  upgraded coach or a changed rubric is simply a miss, never a stale scenario;
- only files that load are kept (a broken file takes the loader's slow path to say why, and
  it is rare);
- an entry that does not decode (truncated, corrupted, written by a different format) is a
  miss, and is replaced by the next store;
- entries are written atomically (a temporary file renamed over the name), and the folder is
  bounded to MAX_ENTRIES files, the least recently written removed first;
- any OSError makes the cache do nothing: it is an optimisation, never a reason to fail.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from .. import __version__
from .diagnostics import Diagnostic
from .model import Rubric, Scenario

if TYPE_CHECKING:
    from .result import LoadResult

FORMAT = 1
"""The layout of an entry; bumped when CachedLoad changes, so old entries become misses."""
MAX_ENTRIES = 256
"""Entries kept; beyond this the oldest go. A library of 2,000 files rebuilds the rest on demand."""
FOLDER = "scenarios"
SUFFIX = ".msgpack"
RUBRIC = "rubric-"
"""The name prefix of the rubric's entries, beside the scenarios'."""


class CachedLoad(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    scenario: Scenario
    diagnostics: list[Diagnostic] = []


class CachedRubric(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    rubric: Rubric


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(CachedLoad)
_RUBRIC_DECODER = msgspec.msgpack.Decoder(CachedRubric)


def folder() -> Path:
    from ..paths import cache_dir

    return cache_dir() / FOLDER


@lru_cache(maxsize=4)
def _rubric_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def rubric_hash() -> str:
    """The built-in rubric's file hash: criteria and glossary checks depend on it."""
    from ..paths import rubric_path

    return _rubric_hash(str(rubric_path()))


def key_of(sha256: str, warnings: bool) -> str:
    return f"{FORMAT}|{__version__}|{rubric_hash()}|{sha256}|{'warnings' if warnings else 'rules'}"


def _entry_path(key: str, kind: str = "") -> Path:
    return folder() / (kind + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + SUFFIX)


def lookup(data: bytes, name: str, *, warnings: bool = False) -> LoadResult | None:
    """The LoadResult of these bytes as `name`, from the cache; None on any miss."""
    sha = hashlib.sha256(data).hexdigest()
    key = key_of(sha, warnings)
    try:
        raw = _entry_path(key).read_bytes()
    except OSError:
        return None
    try:
        entry = _DECODER.decode(raw)
        text = data.decode("utf-8").removeprefix("\ufeff")
    except (msgspec.DecodeError, UnicodeDecodeError):  # ValidationError is a DecodeError
        return None
    if entry.key != key:
        return None
    from .result import LoadResult

    diagnostics = [d if d.file == name else msgspec.structs.replace(d, file=name) for d in entry.diagnostics]
    return LoadResult(path=name, scenario=entry.scenario, diagnostics=diagnostics, sha256=sha, text=text)


def store(result: LoadResult, *, warnings: bool = False) -> None:
    """Keep a result that loaded; anything else, or any failure to write, is left alone."""
    if result.scenario is None or not result.sha256 or any(d.is_error for d in result.diagnostics):
        return
    key = key_of(result.sha256, warnings)
    _write(_entry_path(key), _ENCODER.encode(CachedLoad(key, result.scenario, list(result.diagnostics))))


def _write(target: Path, payload: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(payload)
        os.replace(temporary, target)
    except OSError:
        return
    _prune(target.parent)


# --- the rubric: 16 KB of TOML that every screen naming a criterion needs (15 ms to parse) ------


def _rubric_key(data: bytes) -> str:
    return f"{FORMAT}|{__version__}|rubric|{hashlib.sha256(data).hexdigest()}"


def lookup_rubric(data: bytes) -> Rubric | None:
    """The Rubric these rubric-file bytes decode to, if kept before; None on any miss."""
    key = _rubric_key(data)
    try:
        entry = _RUBRIC_DECODER.decode(_entry_path(key, RUBRIC).read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    return entry.rubric if entry.key == key else None


def store_rubric(data: bytes, rubric: Rubric) -> None:
    key = _rubric_key(data)
    _write(_entry_path(key, RUBRIC), _ENCODER.encode(CachedRubric(key, rubric)))


def _prune(where: Path) -> None:
    try:
        entries = [(entry.stat().st_mtime, entry) for entry in where.iterdir() if entry.suffix == SUFFIX]
    except OSError:
        return
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort()
    for _, entry in entries[:len(entries) - MAX_ENTRIES]:
        try:
            entry.unlink()
        except OSError:
            pass


def load(path: str | Path, *, warnings: bool = False) -> LoadResult:
    """`loader.load_scenario(path, warnings=...)`, answered from the cache when the file's bytes
    were loaded before; a miss loads the file and keeps the result for the next start."""
    from .result import _Unreadable, read_bounded

    shown = str(path)
    try:
        data = read_bounded(path)
    except _Unreadable:
        from .loader import load_scenario

        return load_scenario(path, warnings=warnings)  # says why, as it always has
    found = lookup(data, shown, warnings=warnings)
    if found is not None:
        return found
    from .loader import load_bytes

    result = load_bytes(data, shown, warnings=warnings)
    store(result, warnings=warnings)
    return result
