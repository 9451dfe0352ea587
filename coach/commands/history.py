"""`coach history`: past sessions, newest first."""

from __future__ import annotations

import json
import sys

import click

from .printing import echo


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the sessions as JSON instead of opening the history screen.")
def history(as_json: bool) -> None:
    """List past sessions: when, scenario, mode, ending, overall score, finished or not.

    On a terminal this opens the history screen; piped, or with --json, it prints.

    \b
    Examples:
      coach history
      coach history --json | jq '.[0]'
    """
    from ..sessions.store import list_sessions

    if not as_json and sys.stdout.isatty():
        from ..tui.app import run_app

        run_app(start="history")
        return
    sessions = list_sessions()
    if as_json:
        echo(json.dumps([
            {"session": s.id, "time": s.time, "scenario": s.scenario, "title": s.title, "mode": s.mode,
             "ending": s.ending, "ending_title": s.ending_title, "overall": s.overall, "scores": s.scores, "finished": s.finished,
             "decisions": s.decisions, "file": str(s.path),
             "branched_from": {"session": s.branched_from.session, "step": s.branched_from.step} if s.branched_from else None,
             "problems": s.problems, "reflection": s.reflection}
            for s in sessions
        ], indent=2))
        return
    if not sessions:
        echo("No sessions yet. Play one with `coach play precision-cliff` or open `coach`.")
        return
    echo(f"{'when':<20} {'scenario':<28} {'mode':<6} {'ending':<24} {'score':>5}  status")
    for s in sessions:
        status = "finished" if s.finished else f"unfinished ({s.decisions} {'decision' if s.decisions == 1 else 'decisions'})"
        if s.problems:
            status += " · " + "; ".join(s.problems)
        score = f"{s.overall}%" if s.overall is not None else "-"
        # Titles, as every screen names them; the ids are in --json.
        title = s.title or s.scenario
        ending = s.ending_title or s.ending or "-"
        echo(f"{s.time[:16].replace('T', ' '):<20} {title[:28]:<28} {s.mode:<6} {ending[:24]:<24} {score:>5}  {status}")
        if s.reflection:  # the answer to the debrief's question, under its session
            echo(f"{'':<20} next time: {s.reflection}")
