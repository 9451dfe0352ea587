"""Finding the scenario a command names, the same way for every command."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

from .printing import echo

if TYPE_CHECKING:  # the commands import `fail` at start-up; the loader is imported when a scenario is
    from ..scenario.loader import Loaded


def fail(command: str, message: str) -> NoReturn:
    """Say what went wrong as `coach COMMAND: message` on stderr and exit 1: typed NoReturn, so a
    caller's code after it is known unreachable and an Optional checked before it stays narrowed."""
    echo(f"coach {command}: {message}", err=True)
    sys.exit(1)


def scenario_or_exit(reference: str, command: str) -> Loaded:
    """A scenario that loads (by built-in id or path), or its diagnostics and exit status 1."""
    from ..config.library import ScenarioNotFound, resolve
    from ..scenario.diagnostics import render

    try:
        loaded = resolve(reference)
    except ScenarioNotFound as error:
        fail(command, str(error))
    good = loaded.loaded()
    if good is None:
        for diagnostic in loaded.errors:
            echo(render(diagnostic), err=True)
        fail(command, f"{loaded.path} has errors; fix them (`coach check {loaded.path}`), then try again")
    return good
