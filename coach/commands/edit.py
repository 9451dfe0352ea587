"""`coach edit PATH`: the author workspace on a scenario file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .printing import echo


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
def edit(path: str) -> None:
    """Edit a scenario file in the author workspace.

    A tree of scenes, choices and endings; the selected item's fields; the problems `coach
    check` finds, live, each selecting what it is about; an outline of the scene graph. Saving
    keeps your comments and layout (docs/authoring.md says exactly what is kept).

    \b
    Keys (tree): a add scene · c add choice · e add ending · r rename · d duplicate ·
                 x delete · shift+up/down move · tab into the form
    Keys (form): f7 select the field's text · enter in the id field renames
    Keys (everywhere): ctrl+s save · ctrl+z undo · ctrl+y redo · f8 next problem · esc back ·
                       ? every key

    \b
    Example:
      coach edit scenarios/precision-cliff.toml
    """
    target = Path(path)
    if not target.exists():
        echo(f"coach edit: no such file: {path}; create it with `coach new {path}`", err=True)
        sys.exit(1)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        echo("coach edit: the workspace needs a terminal; `coach check` works anywhere.", err=True)
        sys.exit(2)
    from ..tui.authoring import make_authoring_app

    make_authoring_app("edit", target).run()
