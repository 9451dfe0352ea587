"""The scene graph of a scenario, for Mermaid, Graphviz and the author workspace's outline.

One model (`build`) feeds three renderings, so `coach graph`, a diagram pasted into a wiki and
the outline beside the workspace's form always agree. Scenes are boxes; endings are shaped and
coloured by rating (strong, mixed, poor); each choice is an edge labelled with its number and
text; a choice with random outcomes goes through a small chance node whose edges carry the
percentages; routes carry their condition; a choice that `requires` a condition is drawn as a
dashed, locked edge; a timeout is a dotted edge. Nodes no path reaches are drawn dashed, and a
goto whose target does not exist points at a "missing" node, so a half-written scenario still
draws. A scene or ending whose text has a conditional passage (`{if …}`, in its text, a choice's
feedback or an outcome) is marked "text varies"; a scenario's `[[setups]]` are drawn as one note
beside the start, with each setup's weight.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

from ..engine import text as texts
from ..scenario.model import Ending, Scenario, Scene, reachable

NodeKind = Literal["scene", "ending", "chance", "missing"]
EdgeKind = Literal["choice", "outcome", "route", "timeout"]

LABEL_WIDTH = 42
"""Choice texts are cut to this many characters on edges; the full text is in the file."""

RATING_COLOURS = {
    # rating: (fill, border) -- readable on white, the default of both renderers
    "strong": ("#d9f2d9", "#2e7d32"),
    "mixed": ("#fff2cc", "#b58900"),
    "poor": ("#f8d7da", "#c62828"),
}
MERMAID_SHAPES = {"strong": ('(["', '"])'), "mixed": ('{{"', '"}}'), "poor": ('[/"', '"\\]')}
"""Strong: a stadium; mixed: a hexagon; poor: a trapezoid. Shape says the rating without colour."""
DOT_SHAPES = {"strong": "doubleoctagon", "mixed": "hexagon", "poor": "invtrapezium"}


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: NodeKind
    label: str
    rating: str | None = None
    start: bool = False
    reachable: bool = True
    conditional: bool = False
    """Its text (or a choice's feedback or outcome text) has an `{if …}` passage: it reads differently by state."""


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    label: str
    number: int | None = None
    """The choice's number as the learner sees it (1-based), for choice and outcome edges."""
    locked: bool = False
    condition: str | None = None
    chance: float | None = None


@dataclass
class Graph:
    title: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    setups: list[tuple[str, str, int]] = field(default_factory=list)
    """(id, title, weight) of each `[[setups]]`, in the order declared."""

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def edges_from(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.source == node_id]


def chance_id(scene_id: str, index: int) -> str:
    """The id of the chance node of choice `index` (0-based); `~` cannot occur in scenario ids."""
    return f"{scene_id}~{index + 1}"


def build(scenario: Scenario) -> Graph:
    graph = Graph(title=scenario.title, setups=[(s.id, s.title, s.weight) for s in scenario.setups])
    known = scenario.nodes
    targets: list[str] = []

    def edge(source: str, target: str, kind: EdgeKind, label: str, *, number: int | None = None,
             locked: bool = False, condition: str | None = None, chance: float | None = None) -> None:
        graph.edges.append(Edge(source, target, kind, label, number, locked, condition, chance))
        targets.append(target)

    for scene in scenario.scenes:
        graph.nodes.append(Node(scene.id, "scene", scene.title or scene.id, start=scene.id == scenario.start,
                                conditional=conditional(scene)))
        for index, choice in enumerate(scene.choices):
            number = index + 1
            label = f"{number}. {short(choice.text)}"
            locked = choice.requires is not None
            if choice.outcomes:
                hub = chance_id(scene.id, index)
                graph.nodes.append(Node(hub, "chance", "chance"))
                edge(scene.id, hub, "choice", label, number=number, locked=locked, condition=choice.requires)
                for outcome in choice.outcomes:
                    edge(hub, outcome.goto, "outcome", percent(outcome.chance), number=number, chance=outcome.chance)
            elif choice.goto is not None:
                edge(scene.id, choice.goto, "choice", label, number=number, locked=locked, condition=choice.requires)
        for route in scene.routes:
            edge(scene.id, route.goto, "route", f"when {route.when}" if route.when else "otherwise", condition=route.when)
        if scene.on_timeout is not None:
            edge(scene.id, scene.on_timeout, "timeout", f"timeout {scene.time_limit}s" if scene.time_limit else "timeout")
    for ending in scenario.endings:
        graph.nodes.append(Node(ending.id, "ending", ending.title or ending.id, rating=ending.rating,
                                conditional=conditional(ending)))

    for target in dict.fromkeys(targets):
        if target not in known and not graph.node(target):
            graph.nodes.append(Node(target, "missing", f"{target} (missing)"))

    reached = _reachable(graph, scenario.start)
    graph.nodes = [_with_reach(n, n.id in reached) for n in graph.nodes]
    return graph


def _with_reach(node: Node, reachable: bool) -> Node:
    if node.reachable == reachable:
        return node
    return Node(node.id, node.kind, node.label, node.rating, node.start, reachable, node.conditional)


def conditional(node: Scene | Ending) -> bool:
    """Whether the node's text, or a choice's feedback or outcome text in it, has an `{if …}` passage."""
    found = [node.text]
    if isinstance(node, Scene):
        for choice in node.choices:
            found.append(choice.feedback)
            found.extend(outcome.text for outcome in choice.outcomes or ())
    return any(texts.has_placeholders(t) and texts.parse(t).passages() for t in found)


SETUPS_ID = "~setups"
"""The graph id of the setups note: `~` cannot occur in a scenario id."""


def setups_label(graph: Graph) -> str:
    return "setups: " + ", ".join(f"{i} (weight {w})" for i, _, w in graph.setups)


def _reachable(graph: Graph, start: str) -> set[str]:
    following: dict[str, list[str]] = {}
    for e in graph.edges:
        following.setdefault(e.source, []).append(e.target)
    return reachable(following, start)


def short(text: str, width: int = LABEL_WIDTH) -> str:
    """One line, at most `width` characters, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def percent(chance: float) -> str:
    value = chance * 100
    return f"{value:.0f}%" if abs(value - round(value)) < 1e-9 else f"{value:.1f}%".replace(".0%", "%")


# --- Mermaid ----------------------------------------------------------------------------------


def mermaid_id(node_id: str) -> str:
    """A Mermaid node id for a graph node id; two different node ids never share one.

    Mermaid ids are letters, digits and `_`, and `end` breaks a flowchart, so the id is prefixed
    and encoded one character at a time by a prefix-free code: a lowercase letter or digit stays,
    `-` becomes `_`, the `~` of a chance hub (`scene~2`) becomes `X`, and anything else (which a
    valid id cannot hold) becomes `U` + its code point in hex + `Z`. Uppercase letters appear only
    as codes, so `prompt-patch--c1` (n_prompt_patch__c1) and the hub of choice 1 of
    `prompt-patch` (n_prompt_patchX1) stay two nodes.
    """
    out = ["n_"]
    for char in node_id:
        if char in _MERMAID_KEPT:
            out.append(char)
        elif char == "-":
            out.append("_")
        elif char == "~":
            out.append("X")
        else:
            out.append(f"U{ord(char):x}Z")
    return "".join(out)


_MERMAID_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def mermaid_text(text: str) -> str:
    """A label for `"..."`: Mermaid reads `#quot;`-style entities and nothing else escapes a quote."""
    flat = " ".join(text.split())
    for char, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        flat = flat.replace(char, entity)
    return flat


def to_mermaid(scenario: Scenario) -> str:
    graph = build(scenario)
    lines = [
        "---",
        f"title: {json.dumps(' '.join(graph.title.split()), ensure_ascii=False)}",
        "---",
        "flowchart TD",
    ]
    for node in graph.nodes:
        lines.append("    " + _mermaid_node(node))
    link = 0
    start = next((n for n in graph.nodes if n.start), None)
    if graph.setups:
        lines.append(f'    {mermaid_id(SETUPS_ID)}>"{mermaid_text(setups_label(graph))}"]')
        if start is not None:
            lines.append(f'    {mermaid_id(SETUPS_ID)} -.->|"drawn at the start"| {mermaid_id(start.id)}')
            link += 1
    styles: dict[str, list[int]] = {"locked": [], "timeout": [], "outcome": []}
    for e in graph.edges:
        arrow = "-.->" if e.locked or e.kind == "timeout" else "-->"
        label = e.label
        if e.locked:
            label = f"locked: {label} (requires {e.condition})"
        lines.append(f'    {mermaid_id(e.source)} {arrow}|"{mermaid_text(label)}"| {mermaid_id(e.target)}')
        if e.locked:
            styles["locked"].append(link)
        elif e.kind in styles:
            styles[e.kind].append(link)
        link += 1
    for rating, (fill, stroke) in RATING_COLOURS.items():
        lines.append(f"    classDef {rating} fill:{fill},stroke:{stroke},stroke-width:2px,color:#000")
    lines.append("    classDef start stroke-width:3px")
    lines.append("    classDef chance fill:#eeeeee,stroke:#777777")
    lines.append("    classDef missing fill:#ffffff,stroke:#c62828,stroke-dasharray:4 3,color:#c62828")
    lines.append("    classDef unreachable stroke-dasharray:4 3,color:#777777")
    lines.append("    classDef conditional stroke:#5e35b1,stroke-width:2px")
    for cls in ("strong", "mixed", "poor", "start", "chance", "missing", "unreachable", "conditional"):
        members = [mermaid_id(n.id) for n in graph.nodes if cls in _classes(n)]
        if members:
            lines.append(f"    class {','.join(members)} {cls}")
    if styles["locked"]:
        lines.append(f"    linkStyle {','.join(map(str, styles['locked']))} stroke:#b58900,stroke-dasharray:6 4")
    if styles["timeout"]:
        lines.append(f"    linkStyle {','.join(map(str, styles['timeout']))} stroke:#777777,stroke-dasharray:2 3")
    return "\n".join(lines) + "\n"


def _classes(node: Node) -> list[str]:
    found = []
    if node.kind == "ending" and node.rating:
        found.append(node.rating)
    if node.kind in ("chance", "missing"):
        found.append(node.kind)
    if node.start:
        found.append("start")
    if not node.reachable and node.kind != "missing":
        found.append("unreachable")
    if node.conditional:
        found.append("conditional")
    return found


def _mermaid_node(node: Node) -> str:
    mid = mermaid_id(node.id)
    if node.kind == "chance":
        return f'{mid}(("?"))'
    if node.kind == "ending" and node.rating in MERMAID_SHAPES:
        opening, closing = MERMAID_SHAPES[node.rating]
        return f"{mid}{opening}{mermaid_text(f'{node.label} ({node.rating})' + _varies(node))}{closing}"
    if node.kind == "missing":
        return f'{mid}["{mermaid_text(node.label)}"]'
    prefix = "start: " if node.start else ""
    return f'{mid}["{mermaid_text(prefix + node.label + _varies(node))}"]'


def _varies(node: Node) -> str:
    return " · text varies" if node.conditional else ""


# --- Graphviz ---------------------------------------------------------------------------------


def dot_text(*lines: str) -> str:
    """A double-quoted DOT string: backslashes and quotes escaped, each part on its own line."""
    escaped = [" ".join(line.split()).replace("\\", "\\\\").replace('"', '\\"') for line in lines]
    return '"' + "\\n".join(escaped) + '"'


def to_dot(scenario: Scenario) -> str:
    graph = build(scenario)
    lines = [
        "digraph scenario {",
        f"    label={dot_text(graph.title)};",
        "    labelloc=t;",
        '    fontname="Helvetica";',
        "    rankdir=TB;",
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in graph.nodes:
        attrs: dict[str, str] = {}
        if node.kind == "scene":
            attrs["label"] = dot_text(("start: " if node.start else "") + node.label, f"({node.id})" + _varies(node))
            if node.start:
                attrs["penwidth"] = "2.5"
        elif node.kind == "ending":
            fill, stroke = RATING_COLOURS.get(node.rating or "", ("#ffffff", "#000000"))
            attrs.update(label=dot_text(f"{node.label} ({node.rating})" + _varies(node)), shape=DOT_SHAPES.get(node.rating or "", "box"),
                         style='"filled"', fillcolor=f'"{fill}"', color=f'"{stroke}"')
        elif node.kind == "chance":
            attrs.update(label='"?"', shape="circle", width="0.3", fixedsize="true", fillcolor='"#eeeeee"', style='"filled"')
        else:
            attrs.update(label=dot_text(node.label), style='"dashed"', color='"#c62828"', fontcolor='"#c62828"')
        if not node.reachable and node.kind != "missing":
            attrs["style"] = attrs.get("style", '"rounded,filled"').rstrip('"') + ',dashed"'
            attrs["fontcolor"] = '"#777777"'
        lines.append(f"    {dot_text(node.id)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    start = next((n for n in graph.nodes if n.start), None)
    if graph.setups:
        lines.append(f'    {dot_text(SETUPS_ID)} [label={dot_text("setups", *(f"{i} (weight {w})" for i, _, w in graph.setups))}, '
                     'shape=note, fillcolor="#ede7f6"];')
        if start is not None:
            lines.append(f'    {dot_text(SETUPS_ID)} -> {dot_text(start.id)} [label="drawn at the start", style=dotted];')
    for e in graph.edges:
        attrs = {"label": dot_text(e.label)}
        if e.locked:
            attrs.update(label=dot_text(f"locked: {e.label}", f"requires {e.condition}"), style="dashed", color='"#b58900"')
        elif e.kind == "timeout":
            attrs.update(style="dotted", color='"#777777"')
        elif e.kind == "route":
            attrs["color"] = '"#555555"'
        lines.append(f"    {dot_text(e.source)} -> {dot_text(e.target)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- outline (the workspace) ------------------------------------------------------------------


def outline(scenario: Scenario) -> list[str]:
    """The graph as indented plain text: each scene with where its choices, routes and timeout lead."""
    graph = build(scenario)
    lines: list[str] = [setups_label(graph)] if graph.setups else []
    for node in graph.nodes:
        if node.kind != "scene":
            continue
        marks = " (start)" if node.start else ""
        marks += " (unreachable)" if not node.reachable else ""
        marks += " (text varies)" if node.conditional else ""
        lines.append(f"{node.id}{marks}")
        for e in graph.edges_from(node.id):
            lines.extend("  " + line for line in _outline_edge(graph, e))
    for node in graph.nodes:
        if node.kind == "ending":
            marks = " (unreachable)" if not node.reachable else ""
            marks += " (text varies)" if node.conditional else ""
            lines.append(f"[{node.rating}] {node.id}{marks}")
    return lines


def _outline_edge(graph: Graph, e: Edge) -> list[str]:
    lock = f"  locked unless {e.condition}" if e.locked else ""
    if graph.node(e.target) and graph.node(e.target).kind == "chance":  # type: ignore[union-attr]
        draws = ", ".join(f"{_target(graph, o.target)} {o.label}" for o in graph.edges_from(e.target))
        return [f"{e.number} -> {draws}{lock}"]
    if e.kind == "choice":
        return [f"{e.number} -> {_target(graph, e.target)}{lock}"]
    if e.kind == "route":
        return [f"{e.label} -> {_target(graph, e.target)}"]
    return [f"{e.label} -> {_target(graph, e.target)}"]


def _target(graph: Graph, node_id: str) -> str:
    node = graph.node(node_id)
    if node is None or node.kind == "missing":
        return f"{node_id} (missing!)"
    if node.kind == "ending":
        return f"{node_id} [{node.rating}]"
    return node_id
