"""`coach check` for one file: the loader's errors and warnings in one place."""

from __future__ import annotations

from pathlib import Path

from .loader import LoadResult, load_scenario


def check_file(path: Path | str) -> LoadResult:
    return load_scenario(path, warnings=True)
