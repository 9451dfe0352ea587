"""Validated scenarios kept on disk by the hash of their file, so a start needs no TOML parse.

Loading a scenario is `tomllib`, a `msgspec.convert` and the rule checks; decoding the same
validated Scenario from msgpack is tens of times faster. The library and `coach play` read each
file anyway (the file is the truth), hash its bytes, and look the hash up here:

- the key is (sha256 of the bytes, coach's version, the rubric's hash), stored inside the entry
  and compared on every read, so an edited file, an
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
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

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
THEME = "theme-"
T = TypeVar("T")


class CachedLoad(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    scenario: Scenario
    diagnostics: list[Diagnostic] = []


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(CachedLoad)


def folder() -> Path:
    from ..io.paths import cache_dir

    return cache_dir() / FOLDER


@lru_cache(maxsize=4)
def _rubric_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def rubric_hash() -> str:
    """The built-in rubric's file hash: criteria and glossary checks depend on it."""
    from ..io.paths import rubric_path

    return _rubric_hash(str(rubric_path()))


def key_of(sha256: str) -> str:
    return f"{FORMAT}|{__version__}|{rubric_hash()}|{sha256}"


def _entry_path(key: str, kind: str = "") -> Path:
    return folder() / (kind + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + SUFFIX)


def lookup(data: bytes, name: str) -> LoadResult | None:
    """The LoadResult of these bytes as `name`, from the cache; None on any miss."""
    sha = hashlib.sha256(data).hexdigest()
    key = key_of(sha)
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


def store(result: LoadResult) -> None:
    """Keep a result that loaded; anything else, or any failure to write, is left alone."""
    if result.scenario is None or not result.sha256 or any(d.is_error for d in result.diagnostics):
        return
    key = key_of(result.sha256)
    _write(_entry_path(key), _ENCODER.encode(CachedLoad(key, result.scenario, list(result.diagnostics))))


def _write(target: Path, payload: bytes) -> None:
    from ..io.atomic import write_cache

    if write_cache(target, payload):
        _prune(target.parent)


# --- other validated files read on every start: the rubric (16 KB of TOML, 15 ms to parse), the
# themes (10 ms for three). Same rules: keyed by the bytes' hash and coach's version, the key
# kept in the entry and compared, any doubt a miss.


def _value_key(kind: str, data: bytes) -> str:
    return f"{FORMAT}|{__version__}|{kind}|{hashlib.sha256(data).hexdigest()}"


def lookup_value(kind: str, data: bytes, type_: type[T]) -> T | None:
    """The validated value these bytes were stored with under `kind` (a name prefix such as
    RUBRIC), decoded as `type_`; None on any miss."""
    key = _value_key(kind, data)
    try:
        stored_key, value = msgspec.msgpack.decode(_entry_path(key, kind).read_bytes(), type=tuple[str, type_])  # type: ignore[valid-type]  # a runtime type, which msgspec takes
    except (OSError, msgspec.DecodeError):
        return None
    return value if stored_key == key else None


def store_value(kind: str, data: bytes, value: object) -> None:
    """Keep a value validated from these bytes; only ever call it with one that passed every check."""
    key = _value_key(kind, data)
    _write(_entry_path(key, kind), _ENCODER.encode((key, value)))


def lookup_rubric(data: bytes) -> Rubric | None:
    return lookup_value(RUBRIC, data, Rubric)


def store_rubric(data: bytes, rubric: Rubric) -> None:
    store_value(RUBRIC, data, rubric)


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
