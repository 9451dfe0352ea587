"""Who is playing: the name a session records so a cohort lead can tell learners apart.

The name comes from the `COACH_LEARNER` environment variable (`coach serve` sets it for each
browser that opens a `?learner=NAME` link). It is recorded in each session's start event; sessions without one are credited
to the folder they were collected in (see `coach.cohort.learner_from_folder`).
"""

from __future__ import annotations

import os
import re

MAX_LENGTH = 64
_ALLOWED = re.compile(r"^\w[\w .@'+-]*$")

ENV = "COACH_LEARNER"


def clean(name: str) -> str | None:
    """The name tidied (spaces collapsed), or None if it is not an acceptable learner name.

    Letters and digits in any script, then also spaces and `. @ ' + - _`: the name travels through
    URLs, file names and CSV cells, so nothing that could be read as markup or a path.
    """
    tidy = " ".join(name.split())
    if not tidy or len(tidy) > MAX_LENGTH or not _ALLOWED.match(tidy):
        return None
    return tidy


def current_learner() -> str:
    """This player's name, or "" when none is set (or the one set is not acceptable)."""
    return clean(os.environ.get(ENV, "")) or ""
