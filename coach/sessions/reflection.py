"""The debrief's one question, "What will you do differently next time?", and its answer.

The answer is appended to the finished session's log as a `reflection` event (coach.sessions.log),
after its end: the session stays finished, older sessions simply have none, and a second answer
replaces the first when read. Pure: no Textual.
"""

from __future__ import annotations

from pathlib import Path

from ..io.sanitise import without_controls
from . import log

QUESTION = "What will you do differently next time?"


def clean(text: str) -> str:
    """The answer as kept: controls removed, spaces collapsed, at most `log.REFLECTION_MAX` characters."""
    return " ".join(without_controls(text, " ").split())[:log.REFLECTION_MAX]


def save_reflection(path: Path, text: str) -> str | None:
    """Append the answer to the session log at `path`. Returns a sentence when it cannot (never raises);
    an empty answer writes nothing."""
    answer = clean(text)
    if not answer:
        return None
    writer = log.SessionWriter.reopen(path)
    try:
        if writer.error is None:
            writer.append(log.Reflection(text=answer, time=log.now()))
        return writer.error
    finally:
        writer.close()
