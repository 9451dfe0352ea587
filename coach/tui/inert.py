"""The last line of defence: no control character from any text reaches the terminal.

Scenario text goes through `sanitise.prose` in SceneText, which shows each control character
as a visible escape. Everything else a screen draws (titles, ids, feedback, dashboard labels,
log fields) is covered here: a Textual line filter, run on every line the compositor sends,
removes C0, DEL and C1 characters from text segments. They have no width on screen, so
removing them never moves what is drawn; Textual's own styling travels as styles, not text,
so nothing legitimate is lost.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class InertFilter(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not _CONTROL.search("".join([segment.text for segment in segments if not segment.control])):
            return segments
        return [
            segment if segment.control else Segment(_CONTROL.sub("", segment.text), segment.style, segment.control)
            for segment in segments
        ]
