"""`coach check` for text that follows the state (coach.engine.text): placeholders and passages.

Every text that is rendered against a state (the briefing, scene text, choice feedback, outcome
text, ending text) is parsed here at load. A malformed placeholder, an `{if}` without `{end}`,
an `{else}` or `{end}` without `{if}`, a text past a limit, and a name the scenario does not
have are located errors (C080 to C084); a passage's condition is checked like every other
condition (C015, C016, C017, C043), at its column inside the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from . import passages as texts
from . import conditions
from .diagnostics import did_you_mean

if TYPE_CHECKING:
    from .diagnostics import Pending
    from .model import Metric, Scenario
    from .tomlpos import Path, Positions


MAX_PER_TEXT = 20
"""Diagnostics reported for one text: a file of a thousand bad braces needs the first few, not all."""


def rendered_texts(scenario: Scenario) -> Iterator[tuple[Path, str]]:
    """(path, text) of every field that is rendered against a state."""
    yield ("briefing",), scenario.briefing
    for s_index, scene in enumerate(scenario.scenes):
        yield ("scenes", s_index, "text"), scene.text
        if scene.hint:
            yield ("scenes", s_index, "hint"), scene.hint
        for c_index, choice in enumerate(scene.choices):
            yield ("scenes", s_index, "choices", c_index, "feedback"), choice.feedback
            for o_index, outcome in enumerate(choice.outcomes or ()):
                yield ("scenes", s_index, "choices", c_index, "outcomes", o_index, "text"), outcome.text
    for e_index, ending in enumerate(scenario.endings):
        yield ("endings", e_index, "text"), ending.text


def check_texts(scenario: Scenario, flags: set[str], out: list[Pending]) -> None:
    from .diagnostics import Pending

    known = texts.names(scenario)
    metrics = scenario.metrics
    for path, text in rendered_texts(scenario):
        if not texts.has_placeholders(text):
            continue
        parsed = texts.parse(text)
        before = len(out)
        for problem in parsed.problems[:MAX_PER_TEXT]:
            out.append(Pending(problem.code, problem.message, path, offset=problem.offset))
        for found in parsed.values():
            if found.name in known:
                continue
            if len(out) - before >= MAX_PER_TEXT:
                break
            if found.name in flags:
                hint = f" (it is a flag: show a passage with `{{if {found.name}}}` … `{{end}}`)"
            else:
                hint = did_you_mean(found.name, known) or f" (names here: {', '.join(known)})"
            out.append(Pending("C080", f"unknown name '{found.name}' in placeholder{hint}", path, offset=found.offset))
        for passage in parsed.passages():
            _condition(passage, metrics, flags, path, out, Pending)


def _condition(passage: texts.Passage, metrics: Mapping[str, Metric], flags: set[str], path: Path, out: list[Pending],
               Pending: type[Pending]) -> None:
    try:
        node = conditions.parse(passage.condition)
    except conditions.ConditionError as error:
        out.append(Pending(error.code, f"condition: {error.message}", path, offset=passage.offset + error.offset))
        return
    for ref in conditions.names(node):
        at = passage.offset + ref.offset
        if isinstance(ref, conditions.Metric) and ref.name not in metrics:
            hint = " (it is a flag; use it alone, without a comparison)" if ref.name in flags else did_you_mean(ref.name, metrics)
            out.append(Pending("C015", f"unknown metric '{ref.name}' in condition{hint}", path, offset=at))
        elif isinstance(ref, conditions.Flag) and ref.name not in flags:
            if ref.name in metrics:
                out.append(Pending("C017", f"'{ref.name}' is a metric; compare it, e.g. `{ref.name} < 0.5`", path, offset=at))
            else:
                hint = did_you_mean(ref.name, flags) or " (a flag exists only if some choice sets it)"
                out.append(Pending("C016", f"unknown flag '{ref.name}' in condition{hint}", path, offset=at))


def position_in_string(positions: Positions, source: str, line: int, col: int, offset: int) -> tuple[int, int]:
    """The line and column of character `offset` of the string value that starts at (line, col).

    Walks the TOML string as tomllib decodes it (a newline right after an opening triple quote
    is dropped; escapes are one character; a line-ending backslash joins lines), so a
    placeholder inside a multi-line text gets its own line. Falls back to the value's start."""
    start = positions.line_starts[line - 1] + col - 1
    quote = source[start:start + 3]
    if quote not in ('"""', "'''"):
        return line, col
    index = start + 3
    if source.startswith("\r\n", index):
        index += 2
    elif source.startswith("\n", index):
        index += 1
    decoded = 0
    size = len(source)
    while index < size and decoded < offset:
        char = source[index]
        if quote == '"""' and char == "\\" and index + 1 < size:
            following = source[index + 1]
            if following in " \t\r\n":
                probe = index + 1
                while probe < size and source[probe] in " \t":
                    probe += 1
                if probe < size and source[probe] in "\r\n":  # a line-ending backslash
                    while probe < size and source[probe] in " \t\r\n":
                        probe += 1
                    index = probe
                    continue
            index += {"u": 6, "U": 10}.get(following, 2)
        elif char == "\r" and source.startswith("\r\n", index):
            index += 2
        else:
            index += 1
        decoded += 1
    if index >= size:
        return line, col
    return positions.line_col(index)
