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
    from ..paths import rubric_path

    return msgspec.convert(tomllib.loads(rubric_path().read_text("utf-8")), Rubric)
