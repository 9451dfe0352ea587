"""The `coach` command. Commands that need no screen never import Textual: the TUI is imported
inside the commands that open it, so `coach check` stays fast and works without a terminal."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_ROLE_STYLES: dict[str, dict[str, Any]] = {"location": {"bold": True}, "error": {"fg": "red", "bold": True}, "warning": {"fg": "yellow", "bold": True}}


def _terminal_style(text: str, role: str) -> str:
    """Colours for `coach check` on a terminal; the core's diagnostics.render only names roles."""
    return click.style(text, **_ROLE_STYLES.get(role, {}))


# Each command lives in its own module under coach/commands and is imported only when run (or
# when help lists it), so `coach check` never pays for the TUI and a missing optional module
# never breaks the others.
COMMANDS: dict[str, str] = {
    "play": "coach.commands.play:play",
    "replay": "coach.commands.replay:replay",
    "history": "coach.commands.history:history",
    "next": "coach.commands.next:next_command",
    "check": "coach.cli:check",
    "explore": "coach.commands.explore:explore",
    "simulate": "coach.commands.simulate:simulate",
    "report": "coach.commands.report:report",
    "new": "coach.commands.new:new",
    "edit": "coach.commands.edit:edit",
    "graph": "coach.commands.graph:graph",
    "schema": "coach.cli:schema",
    "lsp": "coach.lsp.command:lsp",
    "serve": "coach.commands.serve:serve",
    "config": "coach.commands.config:config",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, target in COMMANDS.items() if _module_exists(target.split(":")[0])]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            return None
        return getattr(module, attribute)


def _module_exists(name: str) -> bool:
    import importlib.util  # only help lists commands; running one imports it directly

    return importlib.util.find_spec(name) is not None


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="coach")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Learn to own AI systems by living through them.

    Run `coach` alone to open the app on the scenario library. `coach COMMAND --help` explains
    each command, with examples.

    \b
    Examples:
      coach                                  the app
      coach play precision-cliff             straight into one scenario
      coach serve                            the app in a web browser
      coach report ~/cohort/ > cohort.md     a cohort's summary

    \b
    Shell completion (add the line to your shell's start-up file):
      bash: eval "$(_COACH_COMPLETE=bash_source coach)"
      zsh:  eval "$(_COACH_COMPLETE=zsh_source coach)"
      fish: _COACH_COMPLETE=fish_source coach | source
    """
    if ctx.invoked_subcommand is None:
        from .tui.app import run_app

        run_app()


def scenario_files(paths: tuple[str, ...]) -> list[Path]:
    """Files named on the command line, and every `*.toml` under named folders (rubric excepted)."""
    from .config.library import scenario_files_in

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        found.extend(scenario_files_in(path) if path.is_dir() else [path])
    return found


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the diagnostics as a JSON list.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(paths: tuple[str, ...], as_json: bool, strict: bool) -> None:
    """Check scenario files and report problems like a compiler.

    With no PATH, checks the built-in library and your own scenarios.

    \b
    Examples:
      coach check my-scenario.toml
      coach check scenarios/ --strict
      coach check --json draft.toml
    """
    from .config.library import default_scenario_files
    from .analysis.checking import check_file
    from .scenario.diagnostics import render, summary

    files = scenario_files(paths) if paths else default_scenario_files()
    diagnostics = []
    for file in files:
        diagnostics.extend(check_file(file).diagnostics)
    if as_json:
        import json

        click.echo(json.dumps([d.as_json() for d in diagnostics], indent=2))
    else:
        color = _color()
        for diagnostic in diagnostics:
            click.echo(render(diagnostic, style=_terminal_style) if color else render(diagnostic), color=color)
        click.echo(summary(len(files), diagnostics))
    failed = any(d.is_error for d in diagnostics) or (strict and diagnostics)
    sys.exit(1 if failed else 0)


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file instead of standard output.")
def schema(output: str | None) -> None:
    """Print the JSON Schema of the scenario format, for editors.

    \b
    Example (Taplo / Even Better TOML): save it, then start a scenario file with
      #:schema ./coach-scenario.schema.json
      coach schema -o coach-scenario.schema.json
    """
    from .scenario.schema import scenario_schema

    import json

    text = json.dumps(scenario_schema(), indent=2)
    if output:
        target = Path(output)
        if target.exists() and not click.confirm(f"{output} exists. Overwrite it?", default=False):
            raise click.exceptions.Exit(1)
        target.write_text(text + "\n", "utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
