"""`coach config`: where coach keeps things, and the settings in force."""

from __future__ import annotations

import os
import sys

import click

from ..io.sanitise import json_dumps
from .printing import echo

PLACES = ("settings", "config", "data", "sessions", "scenarios", "themes")

TEMPLATE = """\
# coach settings. Every key is optional; `coach config show` prints what is in force.
# A typo is an error, reported with its line; the app then starts with the defaults.

# theme = "coach-night"      # a built-in theme, or the name of one in the themes folder
# mode = "scenario"          # how scenarios start: scenario (each its own), coach or exam
# learner = "Ana Lima"       # your name in the sessions you play, for cohort reports
# confidence = true         # coach mode asks how sure you are before the feedback

# [keymap]                   # binding id = keys; press ? in the app to see the ids
# "play.leave" = "escape,ctrl+l"
"""


@click.group()
def config() -> None:
    """Where coach keeps your files, and the settings in force.

    Settings live in settings.toml in your config folder (`coach config path`): theme, the mode
    scenarios start in, your learner name, and key remaps by binding id. COACH_HOME moves
    every folder under one.

    \b
    Examples:
      coach config path
      coach config show
      coach config edit
    """


@config.command()
@click.argument("place", type=click.Choice(PLACES), default="settings")
def path(place: str) -> None:
    """Print the path of PLACE: settings (the default), config, data, sessions, scenarios or themes.

    \b
    Examples:
      coach config path
      coach config path sessions
      cd "$(coach config path scenarios)"
    """
    from ..io import paths

    where = {
        "settings": paths.settings_path,
        "config": paths.config_dir,
        "data": paths.data_dir,
        "sessions": paths.sessions_dir,
        "scenarios": paths.user_scenarios_dir,
        "themes": paths.user_themes_dir,
    }[place]()
    echo(str(where))


@config.command()
@click.option("--json", "as_json", is_flag=True, help="Print the settings as one JSON object.")
def show(as_json: bool) -> None:
    """Print the settings in force, defaults included; exit 1 if the settings file is broken.

    \b
    Examples:
      coach config show
      coach config show --json
    """
    import msgspec
    import tomli_w

    from ..config.configfile import ConfigError, load_toml
    from ..io.paths import settings_path
    from ..config.settings import Settings

    where = settings_path()
    settings = Settings()
    problem = None
    if where.exists():
        try:
            settings = load_toml(where, Settings)
        except ConfigError as error:
            problem = str(error)
    values = msgspec.structs.asdict(settings)
    if as_json:
        echo(json_dumps({"file": str(where), "exists": where.exists(), "problem": problem, "settings": values},
                              indent=2, ensure_ascii=False))
    else:
        if problem:
            note = "it is broken, so the app uses the defaults below"
        elif where.exists():
            note = "keys it does not set have their defaults"
        else:
            note = "not created yet: these are the defaults"
        echo(f"# {where} ({note})")
        echo(tomli_w.dumps(values).rstrip("\n"))
    if problem:
        echo(f"coach config: {problem}", err=True)
        sys.exit(1)


@config.command()
def edit() -> None:
    """Open settings.toml in your editor ($VISUAL or $EDITOR), then check it.

    A missing file is created first, with every key explained in comments.

    \b
    Example:
      EDITOR=nano coach config edit
    """
    from ..config.configfile import ConfigError, load_toml
    from ..io.paths import settings_path
    from ..config.settings import Settings

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        echo(f"coach config: edit needs a terminal; edit {settings_path()} with any editor", err=True)
        sys.exit(1)
    where = settings_path()
    if not where.exists():
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            with open(where, "x", encoding="utf-8") as out:
                out.write(TEMPLATE)
        except FileExistsError:
            pass
        except OSError as error:
            echo(f"coach config: cannot create {where}: {error.strerror or error}", err=True)
            sys.exit(1)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    try:
        click.edit(filename=str(where), editor=editor)
    except click.ClickException as error:
        echo(f"coach config: {error.format_message()}; set EDITOR, or edit {where} with any editor", err=True)
        sys.exit(1)
    try:
        load_toml(where, Settings)
    except ConfigError as error:
        echo(f"coach config: {error}; run `coach config edit` again to fix it", err=True)
        sys.exit(1)
    echo(f"{where} is valid.")
