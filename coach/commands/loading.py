"""Finding the scenario a command names, the same way for every command."""

from __future__ import annotations

import sys

from ..sanitise import echo
from ..scenario.loader import Loaded


def scenario_or_exit(reference: str, command: str) -> Loaded:
    """A scenario that loads (by built-in id or path), or its diagnostics and exit status 1."""
    from ..library import ScenarioNotFound, resolve
    from ..scenario.diagnostics import render

    try:
        loaded = resolve(reference)
    except ScenarioNotFound as error:
        echo(f"coach {command}: {error}", err=True)
        sys.exit(1)
    good = loaded.loaded()
    if good is None:
        for diagnostic in loaded.errors:
            echo(render(diagnostic), err=True)
        echo(f"coach {command}: {loaded.path} has errors; fix them (`coach check {loaded.path}`), then try again", err=True)
        sys.exit(1)
    return good
