"""`coach next`: what to play next, and why, from the learner's sessions."""

from __future__ import annotations

import json
from datetime import datetime

import click

from ..io.sanitise import line
from .printing import echo


@click.command("next")
@click.option("--json", "as_json", is_flag=True, help="Print the advice and the skill estimates as JSON.")
def next_command(as_json: bool) -> None:
    """Recommend scenarios: spaced re-tests of skills not practised for a while, then the weakest.

    Each recommendation says why ("Failure design: last practised 12 days ago"). Skills are
    estimated from every finished session, recent and longer ones weighing more; the rule is in
    docs/practice.md. The home screen shows the same advice.

    \b
    Examples:
      coach next
      coach next --json | jq '.recommendations[0].scenario'
    """
    from ..learning.profile import skills
    from ..learning.recommend import recommend
    from ..config.library import library
    from ..scenario.loader import builtin_rubric
    from ..sessions.store import list_sessions

    rubric = builtin_rubric()
    sessions = list_sessions()
    advice = recommend(library(), sessions, rubric, datetime.now().astimezone())
    profile = skills(sessions, rubric)
    if as_json:
        echo(json.dumps({
            "recommendations": [{"scenario": a.scenario, "title": a.title, "criterion": a.criterion,
                                 "reason": a.reason, "kind": a.kind} for a in advice],
            "skills": [{"criterion": s.criterion, "title": s.title, "estimate": s.estimate, "sessions": s.sessions}
                       for s in profile],
        }, indent=2))
        return
    if not advice:
        echo("Nothing to recommend: the library has no playable scenario.")
        return
    echo("Play next:")
    for number, a in enumerate(advice, start=1):
        echo(f"  {number}. {line(a.title)}  ·  {line(a.reason)}")
        echo(f"     coach play {a.scenario}")
    practised = [s for s in profile if s.estimate is not None]
    if practised:
        echo("")
        echo("Your skills (estimate over your finished sessions):")
        width = max(len(s.title) for s in practised)
        for s in practised:
            echo(f"  {s.title:<{width}}  {s.estimate:5.1f}%  from {s.sessions} session{'s' if s.sessions != 1 else ''}")
