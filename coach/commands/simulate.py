"""`coach simulate`: play a scenario headless, from a list of choices."""

from __future__ import annotations

import json
import sys

import click

from ..sanitise import echo

from ..engine import engine


@click.command()
@click.argument("scenario")
@click.option("--choices", "choices_text", default="",
              help="Comma-separated: 1-based numbers, choice ids, or `timeout`; `-` reads them from standard input as they come.")
@click.option("--seed", type=int, default=None, help="Seed for random outcomes (default: random, printed).")
@click.option("--exam", is_flag=True, help="Record the session in exam mode.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a transcript.")
@click.option("--no-save", is_flag=True, help="Do not write a session log.")
def simulate(scenario: str, choices_text: str, seed: int | None, exam: bool, as_json: bool, no_save: bool) -> None:
    """Play SCENARIO without a screen, making the given choices in order.

    SCENARIO is a built-in id or a file path. Choices are numbers in declaration order (locked
    choices keep their number) or choice ids; `timeout` lets a timed scene's clock run out. A run
    whose choices end before an ending is saved as unfinished and can be resumed in the app.

    \b
    Examples:
      coach simulate precision-cliff --choices 1,2,1 --seed 7
      coach simulate my-draft.toml --choices rollback,postmortem --json --no-save
      my-bot | coach simulate precision-cliff --choices -
    """
    from ..reports import debrief_json, debrief_markdown
    from ..sessions.playthrough import Playthrough
    from .loading import scenario_or_exit

    loaded = scenario_or_exit(scenario, "simulate")
    play = Playthrough.new(loaded, seed=seed, mode="exam" if exam else None, save=not no_save)
    for notice in play.notices:
        echo(f"coach simulate: {notice}", err=True)
    streaming = choices_text.strip() == "-"
    if streaming and play.session_id:
        echo(f"session {play.session_id}", err=True)
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
        payload = debrief_json(result)
        payload.update(
            session=play.session_id,
            seed=play.seed,
            path=[{"scene": s.scene, "choice": s.choice + 1 if s.choice >= 0 else None, "choice_id": s.choice_id,
                   "outcome": s.outcome, "arrived": s.arrived} for s in play.state.history],
            current=None if play.finished else play.state.scene,
        )
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
    options = play.options()
    offer = "; ".join(
        f"{o.number} {o.choice.id or ''}".strip() + ("" if o.available else f" (locked: {o.reason})") for o in options
    )
    if token.lower() == "timeout":
        if scene.on_timeout is None:
            return f"scene '{scene.id}' has no time limit, so it cannot time out (choices: {offer})"
        play.time_out()
        transcript.append(f"## {scene.title or scene.id}\n   (time ran out)")
        return None
    option = None
    if token.isdigit():
        number = int(token)
        option = next((o for o in options if o.number == number), None)
    else:
        option = next((o for o in options if o.choice.id == token), None)
    if option is None:
        return f"scene '{scene.id}' has no choice '{token}' (choices: {offer})"
    if not option.available:
        return f"choice {option.number} of scene '{scene.id}' is locked: {option.reason} (choices: {offer})"
    taken = play.choose(option.index)
    lines = [f"## {scene.title or scene.id}", f"   > {option.number}. {option.choice.text}"]
    if taken.outcome is not None and option.choice.outcomes:
        outcome = option.choice.outcomes[taken.outcome]
        lines.append(f"   ~ {outcome.text or 'chance: ' + format(outcome.chance, 'g')}")
    if option.choice.feedback:
        lines.append(f"   {option.choice.feedback.strip()}")
    transcript.append("\n".join(lines))
    return None
