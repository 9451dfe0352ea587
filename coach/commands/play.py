"""`coach play`: open the app straight into one scenario's briefing."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from ..sanitise import echo


def _fail(message: str) -> NoReturn:
    echo(f"coach play: {message}", err=True)
    sys.exit(1)


@click.command()
@click.argument("scenario")
@click.option("--seed", type=int, default=None, help="Seed for random outcomes (default: random).")
@click.option("--exam", is_flag=True, help="Start in exam mode: no feedback until the debrief.")
@click.option("--watch", is_flag=True,
              help="For authors: reload when the file changes, keeping your place. Writes no session.")
@click.option("--from", "from_scene", metavar="SCENE", default=None,
              help="For authors: start at SCENE instead of the start. Writes no session.")
@click.option("--set", "sets", metavar="METRIC=VALUE", multiple=True,
              help="With --from: a metric's value at the start (repeatable).")
@click.option("--flag", "flags", metavar="NAME", multiple=True,
              help="With --from: a flag already set at the start (repeatable).")
@click.option("--setup", "setup", metavar="ID", default=None,
              help="Play this one of the scenario's [[setups]] instead of the one the seed draws (previews too).")
def play(scenario: str, seed: int | None, exam: bool, watch: bool, from_scene: str | None,
         sets: tuple[str, ...], flags: tuple[str, ...], setup: str | None) -> None:
    """Play SCENARIO full-screen: a built-in id (e.g. precision-cliff) or a file path.

    Authors previewing a draft: --watch reloads it on every save and keeps your place;
    --from starts at a late scene. Previews are not recorded in your history.

    \b
    Examples:
      coach play precision-cliff
      coach play my-draft.toml --seed 7 --exam
      coach play my-draft.toml --setup unit-change
      coach play my-draft.toml --watch
      coach play my-draft.toml --from escalation --set precision=0.6 --flag paged
    """
    from ..library import ScenarioNotFound, resolve

    try:
        loaded = resolve(scenario)
    except ScenarioNotFound as error:
        _fail(str(error))
    if loaded.scenario is None:
        errors = loaded.errors
        first = errors[0] if errors else None
        where = f"{first.file}:{first.line}:{first.col}: {first.message}" if first else loaded.path
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        _fail(f"{where}{more}; run `coach check {loaded.path}`")
    if setup is not None:
        from ..engine.setups import UnknownSetup, by_id

        try:
            by_id(loaded.scenario, setup)
        except UnknownSetup as error:
            _fail(str(error))
    if (sets or flags) and from_scene is None:
        _fail("--set and --flag describe the state at a --from scene; add --from SCENE")
    start = None
    if watch or from_scene is not None:
        from ..authoring.watch import start_point

        try:
            start = start_point(loaded.scenario, scene=from_scene, sets=sets, flags=flags, setup=setup)
        except ValueError as error:
            _fail(str(error))
    if not sys.stdout.isatty():
        _fail("needs a terminal to draw in; for headless play use `coach simulate`")
    if start is not None:
        from ..tui.preview import make_preview_app

        make_preview_app(loaded, watch=watch, start=start, seed=seed, mode="exam" if exam else None).run()
        return
    from ..tui.app import run_app

    run_app(loaded, seed=seed, mode="exam" if exam else None, setup=setup)
