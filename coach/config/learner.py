"""Who is playing: the name a session records so a cohort lead can tell learners apart.

The name comes from the `COACH_LEARNER` environment variable when it is set (`coach serve` sets
it for each browser: the name the learner gave on the join page), and otherwise from
`learner` in the settings file. It is recorded in each session's start event; sessions without one are credited
to the folder they were collected in (see `coach.reporting.cohort.learner_from_folder`).
"""

from __future__ import annotations

import os
import re

MAX_LENGTH = 64
_ALLOWED = re.compile(r"^\w[\w .@'+-]*$")

ENV = "COACH_LEARNER"


def clean(name: str) -> str | None:
    """The name tidied (spaces collapsed), or None if it is not an acceptable learner name.

    A letter or digit (in any script) first, then letters, digits, spaces and `. @ ' + - _`: the
    name travels through URLs, file names and CSV cells, so nothing a spreadsheet could take for
    a formula or a browser for markup.
    """
    tidy = " ".join(name.split())
    if not tidy or len(tidy) > MAX_LENGTH or not _ALLOWED.match(tidy):
        return None
    return tidy


def current_learner() -> str:
    """This player's name, or "" when none is set (or the one set is not acceptable)."""
    value = os.environ.get(ENV)
    if value is not None:  # set, even empty: `coach serve` gives a browser with no name an empty one
        return clean(value) or ""
    from . import settings

    loaded, _problem = settings.load()
    return clean(loaded.learner) or ""
