"""`coach check` for one file: the loader's errors and warnings in one place."""

from __future__ import annotations

from pathlib import Path

from .loader import LoadResult, load_scenario


def check_file(path: Path | str) -> LoadResult:
    """Check one file, keeping its exploration warnings for the next check (see `warnings.KEEP`)."""
    from .warnings import KEEP

    token = KEEP.set(True)
    try:
        return load_scenario(path, warnings=True)
    finally:
        KEEP.reset(token)
