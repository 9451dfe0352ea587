"""What `coach lsp` knows about one scenario file: pure functions over its text.

No pygls and no Textual here: the server (coach/lsp/server.py) turns these into LSP messages.
Positions are 0-based (line, character), as LSP counts them; coach's diagnostics are 1-based.

The ids are found by a line scanner rather than by the TOML parser, so they keep working while
the file is half typed and does not parse: a scene or ending id is the `id = "..."` directly in
a `[[scenes]]` or `[[endings]]` table; a reference is any `goto = "..."`, `on_timeout = "..."`
or the top-level `start = "..."` (inline tables in `outcomes` and `routes` included). Lines
inside multi-line strings are skipped. Files are bounded by the loader's size limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..scenario.diagnostics import Diagnostic
from ..analysis.checking import check_text
from ..scenario.loader import MAX_BYTES, builtin_rubric
from ..scenario.model import ID_PATTERN, Rubric

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_ID = re.compile(r'^\s*id\s*=\s*"([^"\n]*)"')
_TITLE = re.compile(r'^\s*title\s*=\s*"([^"\n]*)"')
_REFERENCE = re.compile(r'(?<![A-Za-z0-9_])(goto|on_timeout|start)\s*=\s*"([^"\n]*)"')
_METRIC_HEADER = re.compile(r"^\s*\[\s*metrics\.([A-Za-z0-9_]+)\s*\]")
_METRIC_INLINE = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*=\s*\{")
_SET = re.compile(r"\bset\s*=\s*\[([^\]\n]*)\]")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")


@dataclass(frozen=True)
class Span:
    line: int
    start: int
    end: int
    """0-based line; characters [start, end) of the id inside its quotes."""


@dataclass
class Node:
    id: str
    kind: str  # scene | ending
    definition: Span
    header_line: int
    title: str = ""
    end_line: int = 0
    choices: list[tuple[str, int]] = field(default_factory=list)
    """(label, 0-based line of its [[scenes.choices]] header)."""


@dataclass
class Index:
    nodes: dict[str, Node] = field(default_factory=dict)
    references: list[tuple[str, str, Span]] = field(default_factory=list)
    """(key, id, where) for each goto / on_timeout / start."""
    metrics: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def spans_of(self, node_id: str, *, declaration: bool = True) -> list[Span]:
        spans = [span for _, ref, span in self.references if ref == node_id]
        if declaration and node_id in self.nodes:
            spans.insert(0, self.nodes[node_id].definition)
        return spans

    def id_at(self, line: int, character: int) -> str | None:
        for node in self.nodes.values():
            if _inside(node.definition, line, character):
                return node.id
        for _, ref, span in self.references:
            if _inside(span, line, character):
                return ref
        return None


def _inside(span: Span, line: int, character: int) -> bool:
    return span.line == line and span.start <= character <= span.end


def code_lines(text: str) -> list[tuple[int, str]]:
    """(0-based number, text) of the lines outside multi-line strings."""
    kept = []
    inside: str | None = None
    for number, source in enumerate(text.split("\n")):
        if inside is None:
            kept.append((number, source))
        for quote in re.findall(r'"""|\'\'\'', source):
            if inside is None:
                inside = quote
            elif inside == quote:
                inside = None
    return kept


def index(text: str) -> Index:
    found = Index()
    table = ""
    current: Node | None = None
    for number, source in code_lines(text[:MAX_BYTES]):
        header = _HEADER.match(source)
        if header:
            table = header.group(2) if header.group(1) == "[[" else "[" + header.group(2)
            closes = table in ("scenes", "endings") or not table.startswith("scenes")
            if current is not None and closes:
                current.end_line = max(number - 1, current.header_line)
            if table in ("scenes", "endings"):
                current = Node("", "scene" if table == "scenes" else "ending", Span(number, 0, 0), number)
            elif table == "scenes.choices" and current is not None and current.kind == "scene":
                current.choices.append((f"choice {len(current.choices) + 1}", number))
            elif not table.startswith("scenes"):
                current = None
            if metric := _METRIC_HEADER.match(source):
                found.metrics.append(metric.group(1))
            continue
        if current is not None and table in ("scenes", "endings"):
            if (match := _ID.match(source)) and not current.id:
                current.id = match.group(1)
                current.definition = Span(number, match.start(1), match.end(1))
                found.nodes.setdefault(current.id, current)
            elif match := _TITLE.match(source):
                current.title = match.group(1)
        elif current is not None and table == "scenes.choices" and current.choices:
            if match := re.match(r'^\s*text\s*=\s*"([^"\n]*)"', source):
                label, line = current.choices[-1]
                current.choices[-1] = (f"{label}: {match.group(1)[:60]}", line)
        if table == "[criteria" and (match := re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", source)):
            found.criteria.append(match.group(1))
        elif table == "[metrics" and (match := _METRIC_INLINE.match(source)):
            found.metrics.append(match.group(1))
        for match in _REFERENCE.finditer(source):
            key = match.group(1)
            if key == "start" and table != "":
                continue  # a metric's start is a number; only the top-level start names a scene
            found.references.append((key, match.group(2), Span(number, match.start(2), match.end(2))))
        for match in _SET.finditer(source):
            for flag in re.findall(r'"([a-z_][a-z0-9_]*)"', match.group(1)):
                if flag not in found.flags:
                    found.flags.append(flag)
    if current is not None:
        current.end_line = len(text.split("\n")) - 1
    return found


# --- diagnostics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int
    start: int
    end: int
    code: str
    severity: str
    message: str
    related: tuple[int, int] | None = None
    """0-based (line, character) of the first of a duplicate pair."""
    fix: str | None = None
    """The did-you-mean replacement for [start, end), when the message suggests one."""


def diagnose(text: str, name: str = "scenario.toml", rubric: Rubric | None = None) -> list[Problem]:
    """`coach check` on the text, as ranges: each diagnostic covers the word at its column."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return [Problem(0, 0, 1, "C002", "error", f"file is larger than {MAX_BYTES // 1048576} MiB; coach will not check it")]
    result = check_text(text.removeprefix("\ufeff"), name, rubric=rubric)
    lines = text.split("\n")
    return [_problem(d, lines) for d in result.diagnostics]


def _problem(diagnostic: Diagnostic, lines: list[str]) -> Problem:
    line = max(diagnostic.line - 1, 0)
    source = lines[line] if line < len(lines) else ""
    start = max(diagnostic.col - 1, 0)
    if start < len(source) and source[start] in "\"'":
        start += 1
    word = _WORD.match(source, start) if start < len(source) else None
    end = word.end() if word else min(start + 1, max(len(source), start + 1))
    suggestion = _DID_YOU_MEAN.search(diagnostic.message)
    related = (diagnostic.related[0] - 1, diagnostic.related[1] - 1) if diagnostic.related else None
    if related is not None and related[0] < len(lines) and lines[related[0]][related[1]:related[1] + 1] in ("\"", "'"):
        related = (related[0], related[1] + 1)
    return Problem(line, start, end, diagnostic.code, diagnostic.severity, diagnostic.message, related,
                   suggestion.group(1) if suggestion and word else None)


# --- completion and hover ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # reference | criterion | reflex | metric | flag
    detail: str = ""


def complete(text: str, line: int, character: int, rubric: Rubric | None = None) -> list[Completion]:
    rubric = rubric or builtin_rubric()
    lines = text.split("\n")
    if line >= len(lines):
        return []
    before = lines[line][:character]
    found = index(text)
    table = _table_at(lines, line)
    if re.search(r'(?<![A-Za-z0-9_])(goto|on_timeout)\s*=\s*"[a-z0-9-]*$', before):
        return [Completion(n.id, "reference", f"{n.kind}: {n.title}" if n.title else n.kind) for n in found.nodes.values()]
    if table == "" and re.search(r'^\s*start\s*=\s*"[a-z0-9-]*$', before):
        return [Completion(n.id, "reference", n.title) for n in found.nodes.values() if n.kind == "scene"]
    if re.search(r'(?<![A-Za-z0-9_])reflex\s*=\s*"[a-z0-9-]*$', before):
        return [Completion(k, "reflex", r.title) for k, r in rubric.reflexes.items()]
    if re.search(r'(?<![A-Za-z0-9_])(requires|when)\s*=\s*"[^"]*$', before):
        return ([Completion(m, "metric", "metric") for m in found.metrics]
                + [Completion(f, "flag", "flag") for f in found.flags])
    if re.search(r"(?<![A-Za-z0-9_])score\s*=\s*\{[^}]*$", before):
        graded = found.criteria or list(rubric.criteria)
        return [Completion(k, "criterion", rubric.criteria[k].title if k in rubric.criteria else "") for k in graded]
    if re.search(r"(?<![A-Za-z0-9_])effects\s*=\s*\{[^}]*$", before):
        return [Completion(m, "metric", "metric") for m in found.metrics]
    if re.search(r"(?<![A-Za-z0-9_])set\s*=\s*\[[^\]]*$", before):
        return [Completion(f, "flag", "flag") for f in found.flags]
    if table == "[criteria" and re.fullmatch(r"\s*[a-z_]*", before):
        return [Completion(k, "criterion", c.title) for k, c in rubric.criteria.items() if k not in found.criteria]
    return []


def _table_at(lines: list[str], line: int) -> str:
    for number in range(min(line, len(lines) - 1), -1, -1):
        header = _HEADER.match(lines[number])
        if header:
            return header.group(2) if header.group(1) == "[[" else "[" + header.group(2)
    return ""


def hover(text: str, line: int, character: int, rubric: Rubric | None = None) -> str | None:
    """Markdown for the word under the cursor: a criterion, a reflex, a metric, or a scene/ending id."""
    rubric = rubric or builtin_rubric()
    lines = text.split("\n")
    if line >= len(lines):
        return None
    word = next((m.group(0) for m in _WORD.finditer(lines[line]) if m.start() <= character <= m.end()), None)
    if word is None:
        return None
    if word in rubric.criteria:
        criterion = rubric.criteria[word]
        return f"**{criterion.title}** (criterion `{word}`)\n\n{criterion.description}\n\n*Strong:* {criterion.high}"
    if word in rubric.reflexes:
        reflex = rubric.reflexes[word]
        return f"**{reflex.title}** (reflex `{word}`)\n\n{reflex.description}"
    found = index(text)
    if word in found.metrics:
        return _metric_hover(text, word)
    node = found.nodes.get(word)
    if node is not None:
        uses = len(found.spans_of(word, declaration=False))
        return f"**{node.title or node.id}** ({node.kind} `{node.id}`), line {node.definition.line + 1}; {uses} reference{'s' if uses != 1 else ''}"
    return None


def _metric_hover(text: str, name: str) -> str:
    from ..authoring.document import lenient

    scenario = lenient(text)
    metric = scenario.metrics.get(name) if scenario is not None else None
    if metric is None:
        return f"metric `{name}`"
    label = f"**{metric.label}** " if metric.label else ""
    return (f"{label}(metric `{name}`)\n\nrange {metric.min:g}..{metric.max:g}, starts at {metric.start:g}, "
            f"shown as {metric.display}, {metric.better} is better")


# --- rename and symbols ---------------------------------------------------------------------------------


def rename(text: str, line: int, character: int, new_name: str) -> list[Span]:
    """The spans to rewrite to rename the id under the cursor; ValueError says why not."""
    found = index(text)
    old = found.id_at(line, character)
    if old is None:
        raise ValueError("put the cursor on a scene or ending id, or on a goto, on_timeout or start that names one")
    if not re.fullmatch(ID_PATTERN.strip("^$"), new_name):
        raise ValueError(f"'{new_name}' is not an id: use lowercase letters, digits and hyphens")
    if new_name != old and new_name in found.nodes:
        raise ValueError(f"'{new_name}' is already the id of a {found.nodes[new_name].kind}")
    return found.spans_of(old)


def symbols(text: str) -> list[Node]:
    return list(index(text).nodes.values())
