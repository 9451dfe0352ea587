"""The built-in rubric: the criteria every scenario is graded on, their titles and glossary.

Apart from the loader so that a screen naming criteria (the library's Trains column, the
briefing's scored list) needs only tomllib and the model, not the rule checks.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

import msgspec

from .model import Rubric


@lru_cache(maxsize=1)
def builtin_rubric() -> Rubric:
    """Parsed once per file content: decoded from the cache of validated files when its bytes
    were seen before (coach.scenario.cache), else parsed and kept there."""
    from ..io.paths import rubric_path
    from . import cache

    data = rubric_path().read_bytes()
    found = cache.lookup_rubric(data)
    if found is not None:
        return found
    rubric = msgspec.convert(tomllib.loads(data.decode("utf-8")), Rubric)
    cache.store_rubric(data, rubric)
    return rubric
