"""`coach simulate`: play a scenario headless, from a list of choices."""

from __future__ import annotations

import json
import sys

import click

from .headless import find_option, summary  # noqa: F401 (summary: part of this command's API)
from .printing import echo

from ..engine import engine


@click.command()
@click.argument("scenario")
@click.option("--choices", "choices_text", default="",
              help="Comma-separated: numbers as shown for this seed, choice ids (never change), or `timeout`; "
                   "`-` reads them from standard input as they come (with --json: the bot protocol).")
@click.option("--seed", type=int, default=None,
              help="Seed for the order choices are shown in and for random outcomes (default: random, printed).")
@click.option("--exam", is_flag=True, help="Record the session in exam mode.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object instead of a transcript; with `--choices -`, one JSON object per line "
                   "(docs/bot-protocol.md).")
@click.option("--no-save", is_flag=True, help="Do not write a session log.")
@click.option("--setup", "setup", metavar="ID", default=None,
              help="Play this one of the scenario's [[setups]] instead of the one the seed draws.")
def simulate(scenario: str, choices_text: str, seed: int | None, exam: bool, as_json: bool, no_save: bool,
             setup: str | None = None) -> None:
    """Play SCENARIO without a screen, making the given choices in order.

    SCENARIO is a built-in id or a file path. Every session shows a scene's choices in an order
    drawn from its seed, so a number means the place on screen for that seed (locked choices keep
    their place): `--choices 2,1` with `--seed 7` always makes the same decisions, with another
    seed different ones. Choice ids never change, whatever the seed. `timeout` lets a timed
    scene's clock run out. A run whose choices end before an ending is saved as unfinished and can
    be resumed in the app.

    With `--choices - --json` coach speaks the bot protocol: at each decision it prints one JSON
    line (scene, time limit, the options as shown) and reads one answer line (a number as shown,
    a choice id, or `timeout`); a bad answer gets an error line and the same decision again; the
    summary ends the stream. See docs/bot-protocol.md.

    \b
    Examples:
      coach simulate precision-cliff --choices 1,2,1 --seed 7
      coach simulate my-draft.toml --choices rollback,postmortem --json --no-save
      coach simulate my-draft.toml --setup unit-change --choices rollback
      my-bot | coach simulate precision-cliff --choices -
      coach simulate precision-cliff --choices - --json   # a bot on stdin/stdout
    """
    from ..reporting.reports import debrief_markdown
    from ..sessions.playthrough import Playthrough
    from .loading import scenario_or_exit

    loaded = scenario_or_exit(scenario, "simulate")
    if setup is not None:
        from ..engine.setups import UnknownSetup, by_id

        try:
            by_id(loaded.require(), setup)
        except UnknownSetup as unknown:
            echo(f"coach simulate: {unknown}", err=True)
            sys.exit(2)
    from ..config.learner import current_learner

    play = Playthrough.new(loaded, seed=seed, mode="exam" if exam else None, save=not no_save, setup=setup,
                           learner=current_learner())
    for notice in play.notices:
        echo(f"coach simulate: {notice}", err=True)
    streaming = choices_text.strip() == "-"
    if streaming and play.session_id:
        echo(f"session {play.session_id}", err=True)
    if streaming and as_json:
        from . import bot

        sys.exit(bot.run(play, sys.stdin, sys.stdout))
    transcript: list[str] = []
    error: str | None = None
    for token in _tokens(choices_text):
        if play.finished:
            error = f"the scenario ended at '{play.state.ending}' before choice '{token}'"
            break
        error = _take(play, token, transcript)
        if error:
            break
        if streaming and not as_json:
            echo(transcript.pop())
    play.close()
    result = play.debrief()
    if as_json:
        payload = summary(play, result)
        if error:
            payload["error"] = error
        echo(json.dumps(payload, indent=2))
    else:
        echo("\n".join(transcript))
        if not play.finished:
            scene = engine.current_scene(play.scenario, play.state)
            echo(f"\nUnfinished: waiting in '{scene.title if scene else play.state.scene}'." + (
                f" Resume it in the app (session {play.session_id})." if play.session_id else ""))
        echo("")
        echo(debrief_markdown(result, play.scenario))
        echo(f"seed {play.seed}" + (f" · session {play.session_id}" if play.session_id else " · not saved"))
    if error:
        echo(f"coach simulate: {error}", err=True)
        sys.exit(1)


def _tokens(choices_text: str):
    """Choices from the option, or, with `-`, one per line from standard input as they arrive."""
    if choices_text.strip() != "-":
        yield from (t.strip() for t in choices_text.split(",") if t.strip())
        return
    for line in sys.stdin:
        for token in line.replace(",", " ").split():
            yield token




def _take(play, token: str, transcript: list[str]) -> str | None:
    """Make one choice by number, id or `timeout`; returns an error message or None."""
    scene = engine.current_scene(play.scenario, play.state)
    assert scene is not None
    found = find_option(play, token)
    if isinstance(found, str):
        return found
    kind, option = found
    if kind == "timeout":
        play.time_out()
        transcript.append(f"## {scene.title or scene.id}\n   (time ran out)")
        return None
    from .bot import shown_text

    taken = play.choose(option.index)
    lines = [f"## {scene.title or scene.id}", f"   > {option.number}. {option.choice.text}"]
    if taken.outcome is not None and option.choice.outcomes:
        outcome = option.choice.outcomes[taken.outcome]
        lines.append(f"   ~ {shown_text(play, outcome.text) or 'chance: ' + format(outcome.chance, 'g')}")
    if option.choice.feedback:
        lines.append(f"   {shown_text(play, option.choice.feedback)}")
    transcript.append("\n".join(lines))
    return None
