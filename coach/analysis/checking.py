"""A scenario file checked as `coach check` sees it: the loader's errors and the analysis warnings.

The loader (coach.scenario) reads the format and knows nothing of play; the warnings here need
the engine (exploring every path, playing strategies), so they live above it. Every shell that
shows an author warnings (check, the workspace, the language server, the library listing) comes
through these three functions, so they all report the same findings for the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from ..scenario.loader import MAX_BYTES, LoadResult, add_findings, load_bytes, load_scenario, load_text
from ..scenario.model import Rubric
from .warnings import KEEP, static_warnings
from .world_checks import world_warnings


def with_warnings(result: LoadResult) -> LoadResult:
    """Add the warnings to a file that loaded without errors; a broken file gets none, as before."""
    if result.scenario is None or result.errors:
        return result
    findings = static_warnings(result.scenario)
    findings.extend(world_warnings(result.scenario))
    return add_findings(result, findings)


def check_file(path: Path | str, *, rubric: Rubric | None = None, max_bytes: int = MAX_BYTES) -> LoadResult:
    """`coach check` of one file, keeping its exploration warnings for the next check of the same
    scenario (see `warnings.KEEP`); the other two entry points read what was kept, never write."""
    token = KEEP.set(True)
    try:
        return with_warnings(load_scenario(path, rubric=rubric, max_bytes=max_bytes))
    finally:
        KEEP.reset(token)


def check_bytes(data: bytes, name: str, *, rubric: Rubric | None = None, max_bytes: int = MAX_BYTES) -> LoadResult:
    return with_warnings(load_bytes(data, name, rubric=rubric, max_bytes=max_bytes))


def check_text(text: str, name: str, *, rubric: Rubric | None = None) -> LoadResult:
    return with_warnings(load_text(text, name, rubric=rubric))
