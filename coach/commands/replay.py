"""`coach replay`: step through a past session on a terminal; print it as text when piped."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from ..sanitise import echo


def _fail(message: str) -> NoReturn:
    echo(f"coach replay: {message}", err=True)
    sys.exit(1)


@click.command()
@click.argument("session", required=False)
@click.option("--last", is_flag=True, help="Replay the most recent session.")
def replay(session: str | None, last: bool) -> None:
    """Replay SESSION decision by decision, on the scenario version it was played on.

    SESSION is a session id (or a unique part of one, as `coach history` lists them) or the path
    of a session file. On a terminal this opens the replay screen (←/→ to step, t to try another
    choice at a decision); piped, it prints every decision with the choices not taken.

    \b
    Examples:
      coach replay --last
      coach replay 20261123-0912
      coach replay --last | less
    """
    from ..sessions.log import SessionError
    from ..sessions.store import find_session, last_session

    if last and session:
        _fail("give a SESSION or --last, not both")
    if not last and not session:
        _fail("which session? Give its id (see `coach history`) or --last")
    try:
        path = last_session() if last else find_session(session or "")
    except SessionError as error:
        _fail(str(error))
        return
    if sys.stdout.isatty():
        from ..tui.app import run_app

        run_app(start="replay", session=path)
        return
    from ..sessions.replay import open_replay

    result = open_replay(path)
    if result.record is None:
        _fail(result.problems[0] if result.problems else f"{path.name} cannot be read")
    echo(transcript(result))


def transcript(result) -> str:
    """The replay as plain text: each decision, the choices not taken with their points, the scores."""
    rubric = result.rubric
    titles = {name: c.title for name, c in rubric.criteria.items()}
    start = result.start
    lines = [f"# Replay: {result.title}", "",
             f"session {result.session_id} · {start.time} · {start.mode} mode · seed {start.seed}"]
    if start.branched_from is not None:
        lines.append(f"a branch of {start.branched_from.session}, from decision {start.branched_from.step + 1}")
    for note in ([result.changed] if result.changed else []) + result.problems:
        lines.append(f"note: {note}")
    lines.append("")

    def points(score: dict[str, int]) -> str:
        return ", ".join(f"{value:+d} {titles.get(name, name)}" for name, value in score.items()) or "no points"

    for step in result.steps:
        clock = f" ({step.clock})" if step.clock else ""
        lines.append(f"## {step.number}. {step.scene_title}{clock}")
        lines.append(f"   > {step.choice_text}" + (f"  [{points(step.score)}]" if step.exact else ""))
        if step.outcome_text:
            lines.append(f"   ~ {step.outcome_text}")
        if step.feedback:
            lines.append(f"   {step.feedback.strip()}")
        for alternative in step.not_taken:
            state = "" if alternative.available else f" (locked: {alternative.reason})"
            lines.append(f"   - not taken: {alternative.number}. {alternative.text}{state}  [{points(alternative.score)}]")
        if step.running:
            lines.append("   score so far: " + ", ".join(f"{titles.get(n, n)} {p}%" for n, p in step.running.items()))
        lines.append("")
    ending = result.ending
    if ending is not None:
        lines.append(f"Ending: {ending.title} ({ending.rating})")
    elif result.finished:
        lines.append(f"Ending: {result.ending_id}")
    if result.setup_title:  # only once the session has ended
        lines.append(f"Setup: {result.setup_title}")
    else:
        lines.append("Unfinished: no ending reached.")
    overall = result.overall()
    scores = result.final_scores() or (result.steps[-1].running if result.steps else {})
    if scores:
        lines.append("Scores: " + ", ".join(f"{titles.get(n, n)} {p}%" for n, p in scores.items())
                     + (f"; overall {overall}%" if overall is not None else ""))
    return "\n".join(lines)
