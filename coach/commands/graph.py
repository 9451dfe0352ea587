"""`coach graph`: the scene graph of a scenario, for Mermaid or Graphviz. Never imports Textual."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .printing import echo


@click.command()
@click.argument("scenario")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid", show_default=True,
              help="Mermaid (paste into Markdown on GitHub, GitLab, Notion), Graphviz DOT, or SVG drawn by "
                   "Graphviz's `dot` (which must be installed).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to a file instead of standard output.")
def graph(scenario: str, fmt: str, output: str | None) -> None:
    """Print the scene graph of SCENARIO (a built-in id or a file path).

    Scenes are boxes, the start one bold; endings are shaped and coloured by rating (strong: a
    green stadium, a double octagon in DOT; mixed: an amber hexagon; poor: a red trapezium,
    upside down in DOT); each choice is an edge with
    its number and text; random outcomes go through a "?" node with their chances; routes carry
    their condition; locked choices are dashed and say what they require; timeouts are dotted;
    scenes no path reaches are dashed and grey. A scene or ending whose text has an `{if …}`
    passage says "text varies"; a scenario's [[setups]] are one note pointing at the start.

    \b
    Examples:
      coach graph precision-cliff > graph.mmd
      coach graph my-draft.toml --format svg -o graph.svg
    """
    from ..authoring.graph import to_dot, to_mermaid
    from .loading import scenario_or_exit

    loaded = scenario_or_exit(scenario, "graph")
    text = to_dot(loaded.scenario) if fmt in ("dot", "svg") else to_mermaid(loaded.scenario)
    if fmt == "svg":
        text = _svg(text)
    if output:
        target = Path(output)
        if target.exists() and not click.confirm(f"{output} exists. Overwrite it?", default=False, err=True):
            sys.exit(1)
        try:
            target.write_text(text, "utf-8")
        except OSError as error:
            echo(f"coach graph: cannot write {output}: {error.strerror or error}", err=True)
            sys.exit(1)
        echo(f"wrote {output}", err=True)
    else:
        echo(text, nl=False)


DOT_SECONDS = 60
"""How long Graphviz may take to draw one scenario before coach gives up."""


def _svg(dot: str) -> str:
    """The DOT text drawn as SVG by Graphviz; exits with one clear line when it cannot be."""
    import shutil
    import subprocess

    program = shutil.which("dot")
    if program is None:
        echo("coach graph: --format svg needs Graphviz's `dot` on PATH, and it is not there; install "
                   "Graphviz (graphviz.org/download) or use --format dot or mermaid", err=True)
        sys.exit(1)
    try:
        done = subprocess.run([program, "-Tsvg"], input=dot.encode("utf-8"), capture_output=True,
                              timeout=DOT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        echo(f"coach graph: Graphviz's dot did not draw the graph: {error}", err=True)
        sys.exit(1)
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = "".join(ch for ch in (reason[0] if reason else "") if ch.isprintable())[:200]
        echo(f"coach graph: Graphviz's dot failed (exit {done.returncode}){': ' + first if first else ''}", err=True)
        sys.exit(1)
    return done.stdout.decode("utf-8", "replace")
