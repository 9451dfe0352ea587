"""`coach play`: open the app straight into one scenario's briefing."""

from __future__ import annotations

import sys

import click


def _fail(message: str) -> None:
    click.echo(f"coach play: {message}", err=True)
    sys.exit(1)


@click.command()
@click.argument("scenario")
@click.option("--seed", type=int, default=None, help="Seed for random outcomes (default: random).")
@click.option("--exam", is_flag=True, help="Start in exam mode: no feedback until the debrief.")
def play(scenario: str, seed: int | None, exam: bool) -> None:
    """Play SCENARIO full-screen: a built-in id (e.g. precision-cliff) or a file path.

    \b
    Examples:
      coach play precision-cliff
      coach play my-draft.toml --seed 7 --exam
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
    if not sys.stdout.isatty():
        _fail("needs a terminal to draw in; for headless play use `coach simulate`")
    from ..tui.app import run_app

    run_app(loaded, seed=seed, mode="exam" if exam else None)
