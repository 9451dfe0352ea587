"""The bot protocol of `coach simulate SCENARIO --choices - --json` (docs/bot-protocol.md).

One JSON object per line on standard output, flushed after each: a `decision` at every scene
that asks for one, an `error` (followed by the same decision again) for an answer that names no
available choice, and the `summary` last. One answer per line on standard input: a number as
shown, a choice id, or `timeout`. Blank lines are skipped; the end of input leaves the session
unfinished (saved, resumable) and still prints the summary.
"""

from __future__ import annotations

import json
from typing import Iterable, Protocol

from ..engine import engine

MAX_ANSWER = 1000
"""Characters read from one answer line; a longer line is an error, not a choice."""


def shown_text(play, text: str) -> str:
    """Scenario text as the screen shows it: placeholders and passages rendered against the state
    now (coach.engine.text), values unescaped (a bot reads plain text), stripped."""
    from ..engine.text import render
    from ..config.learner import current_learner

    return render(text, play.scenario, play.state, current_learner(), markdown=False).strip()


def decision_event(play, step: int) -> dict:
    """What is on screen at a decision: the scene and its options in the order shown."""
    scene = engine.current_scene(play.scenario, play.state)
    assert scene is not None
    event: dict = {"event": "decision", "step": step, "scene": scene.id, "title": scene.title or scene.id,
                   "text": shown_text(play, scene.text)}
    if scene.time_limit is not None:
        event["time_limit"] = scene.time_limit
    event["timeout"] = scene.on_timeout is not None
    event["options"] = [
        {"number": o.number, "id": o.choice.id, "text": o.choice.text, "available": o.available,
         "locked_reason": None if o.available else o.reason}
        for o in play.options()
    ]
    return event


class Sink(Protocol):
    """Where protocol lines go: stdout, or naivebots' in-process wire."""

    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


def run(play, answers: Iterable[str], out: Sink) -> int:
    """Play `play` to its end (or the end of input); returns the exit status."""
    from .headless import find_option, summary

    def send(event: dict) -> None:
        out.write(json.dumps(event) + "\n")  # ASCII only: a scenario's control characters arrive escaped
        out.flush()

    status = 0
    step = 1
    while not play.finished:
        decision = decision_event(play, step)
        if not any(o["available"] for o in decision["options"]) and not decision["timeout"]:
            send({"event": "error", "message": f"every choice in scene '{decision['scene']}' is locked and it has "
                                                "no timeout: the scenario is stuck"})
            status = 1
            break
        send(decision)
        taken = False
        for line in answers:
            answer = line.strip()
            if not answer:
                continue
            found = "an answer is at most 1000 characters" if len(answer) > MAX_ANSWER else find_option(play, answer)
            if isinstance(found, str):
                send({"event": "error", "message": found})
                send(decision)
                continue
            kind, option = found
            if kind == "timeout":
                play.time_out()
            else:
                play.choose(option.index)
            taken = True
            break
        if not taken:
            break  # end of input: the session stays unfinished
        step += 1
    play.close()
    send({"event": "summary", **summary(play, play.debrief())})
    return status
