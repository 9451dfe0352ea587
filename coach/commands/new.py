"""`coach new [PATH]`: the authoring wizard, then the workspace on the new file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .printing import echo


@click.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def new(path: str | None) -> None:
    """Write a starter scenario from a few answers, then edit it.

    The starter passes `coach check` and has guidance in every place to replace. PATH is where
    to write it (default: your scenarios folder, named after the id, so the library lists it).
    An existing file is only replaced if you say so.

    \b
    Examples:
      coach new
      coach new drafts/launch-decision.toml
    """
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        echo("coach new: the wizard needs a terminal. Without one, start from a copy of a scenario "
                   "file (docs/authoring.md ends with a finished one) and run `coach check` on it.", err=True)
        sys.exit(2)
    from ..tui.authoring import make_authoring_app

    app = make_authoring_app("new", Path(path) if path else None)
    app.run()
    if app.created is not None:
        echo(f"wrote {app.created}  (check it: coach check {app.created}; play it: coach play {app.created} --watch)")
