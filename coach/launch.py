"""The `coach` executable's entry point: what a learner types most starts without click.

`coach` (the library) and `coach play SCENARIO` open the app straight away. Everything else
(any option, `--help`, `--version`, shell completion, every other command, and any scenario
that does not resolve and load) goes to the click command line in coach/cli.py, which stays
the one definition of the commands and of their errors. Importing click and building its
command tree is ~12 ms of CPU on a start that the issue asks to keep near a bare Textual
app's (docs/decisions.md, "Start-up"); the two commands below do exactly what their click
commands do when given no options.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # No cyclic collection until the app's first frame is on screen: the start makes ~90,000
    # objects and each collection walks a generation of them (a full one took 29 ms of home's
    # start, the young ones ~20 ms of any start). The app turns it back on after its first frame
    # (coach.tui.app.resume_collector); nothing is lost, the work only waits.
    gc.disable()
    if not quick_start(sys.argv[1:]):
        gc.enable()  # every other command runs as it always has
        from .cli import main as cli

        cli()


def quick_start(args: list[str]) -> bool:
    """Run `coach` or `coach play SCENARIO` and return True, or return False for click."""
    if any(name.startswith("_COACH_COMPLETE") for name in os.environ):
        return False  # click answers the shell's completion requests
    if not args:
        from .tui.app import run_app

        run_app()
        return True
    if len(args) != 2 or args[0] != "play" or args[1].startswith("-") or not sys.stdout.isatty():
        return False
    from .config.library import ScenarioNotFound, resolve

    try:
        loaded = resolve(args[1])
    except ScenarioNotFound:
        return False  # click's `play` says why, as it does for every other error
    if loaded.scenario is None:
        return False
    from .tui.app import run_app

    run_app(loaded)
    return True
