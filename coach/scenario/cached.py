"""A scenario file loaded through the cache of validated scenarios: the loader on a miss.

Apart from both, because the cache is read by the loader's own dependencies (the rubric) and
must not import the loader back.
"""

from __future__ import annotations

from pathlib import Path

from . import cache
from .result import LoadResult, _Unreadable, read_bounded


def load(path: str | Path) -> LoadResult:
    """`loader.load_scenario(path)`, answered from the cache when the file's bytes
    were loaded before; a miss loads the file and keeps the result for the next start."""
    shown = str(path)
    try:
        data = read_bounded(path)
    except _Unreadable:
        from . import loader

        return loader.load_scenario(path)  # says why, as it always has
    found = cache.lookup(data, shown)
    if found is not None:
        return found
    from . import loader  # a miss only: a hit needs neither the loader nor its rule checks

    result = loader.load_bytes(data, shown)
    cache.store(result)
    return result
