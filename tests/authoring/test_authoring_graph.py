"""`coach graph`: Graphviz accepts the DOT, and the Mermaid is well-formed, for every scenario."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.authoring import edits, graph
from coach.cli import main
from coach.scenario.loader import load_scenario
from coach.scenario.model import Scenario

ROOT = Path(__file__).resolve().parents[2]
HANDWRITTEN = Path(__file__).resolve().parent / "data" / "handwritten.toml"
BUILTIN = sorted(p for p in (ROOT / "scenarios").glob("*.toml") if p.name != "rubric.toml")
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(
    DOT is None, reason="Graphviz's `dot` is not installed (Debian: apt-get install graphviz); the DOT output is not checked"
)


def _load(path: Path) -> Scenario:
    loaded = load_scenario(path)
    return loaded.require()


def _awkward() -> Scenario:
    """Quotes, backslashes, Markdown and a missing target: labels must still be escaped and drawn."""
    scenario = _load(HANDWRITTEN)
    scenario = edits.update(scenario, ("scenes", 0), title='The "alert" \\ fires <now> #1 end').scenario
    scenario = edits.update(scenario, ("scenes", 1, "choices", 1), text='Say "retrain"\nthen [[go]] {x} | y', goto="nowhere").scenario
    scenario = edits.add_scene(scenario).scenario  # unreachable, no choices
    return edits.update(scenario, (), title='A "quoted": title').scenario


SETUPS = ROOT / "tests" / "data" / "good" / "setups.toml"
CASES = [pytest.param(_load(p), id=p.stem) for p in [HANDWRITTEN, *BUILTIN, SETUPS]] + [pytest.param(_awkward(), id="awkward")]


@needs_dot
@pytest.mark.parametrize("scenario", CASES)
def test_graphviz_accepts_the_dot_output(scenario: Scenario) -> None:
    result = subprocess.run([DOT, "-Tsvg"], input=graph.to_dot(scenario), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # no warnings either
    assert "<svg" in result.stdout


NODE = re.compile(r'^    (n_[A-Za-z0-9_]+)(\["|\(\["|\{\{"|\[/"|\(\("|>")([^"\n]*)("\]|"\]\)|"\}\}|"\\\]|"\)\))$')
EDGE = re.compile(r'^    (n_[A-Za-z0-9_]+) (-->|-\.->)\|"([^"\n]*)"\| (n_[A-Za-z0-9_]+)$')
SHAPES = {'["': '"]', '(["': '"])', '{{"': '"}}', '[/"': '"\\]', '(("': '"))', '>"': '"]'}


def check_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Parse the flowchart line by line; every line must be one of the forms it may take."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "---" and lines[1].startswith("title: \"") and lines[2] == "---" and lines[3] == "flowchart TD"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str, str]] = []
    classes: set[str] = set()
    for line in lines[4:]:
        if m := NODE.match(line):
            assert SHAPES[m.group(2)] == m.group(4), line
            assert m.group(1) not in nodes, f"node declared twice: {line}"
            nodes[m.group(1)] = m.group(3)
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(2), m.group(3), m.group(4)))
        elif m := re.match(r"^    classDef ([a-z]+) [a-z-]+:[^,]+(,[a-z-]+:[^,]+)*$", line):
            classes.add(m.group(1))
        elif m := re.match(r"^    class ((?:n_[A-Za-z0-9_]+,?)+) ([a-z]+)$", line):
            assert m.group(2) in classes, line
            assert all(n in nodes for n in m.group(1).split(",")), line
        elif m := re.match(r"^    linkStyle ([\d,]+) stroke:", line):
            assert all(int(i) < len(edges) for i in m.group(1).split(",")), line
        else:
            pytest.fail(f"unexpected Mermaid line: {line!r}")
    for source, _, label, target in edges:
        assert source in nodes and target in nodes, (source, target)
        assert '"' not in label
    return nodes, edges


@pytest.mark.parametrize("scenario", CASES)
def test_mermaid_is_well_formed(scenario: Scenario) -> None:
    nodes, edges = check_mermaid(graph.to_mermaid(scenario))
    model = graph.build(scenario)
    note = 1 if model.setups else 0  # the setups note and its edge to the start
    assert len(nodes) == len(model.nodes) + note and len(edges) == len(model.edges) + note


def test_what_the_graph_shows() -> None:
    scenario = _load(HANDWRITTEN)
    text = graph.to_mermaid(scenario)
    nodes, edges = check_mermaid(text)
    assert nodes["n_contained"] == "Contained, with a plan (strong)"
    assert '    n_contained(["Contained, with a plan (strong)"])' in text  # strong: a stadium
    assert '    n_steady{{"Steady, by luck (mixed)"}}' in text  # mixed: a hexagon
    assert '    n_escalation[/"Escalated to the CFO (poor)"\\]' in text  # poor: a trapezium
    assert "    class n_contained strong" in text and "    class n_escalation poor" in text
    assert ("n_pagerX2", "-->", "70%", "n_escalation") in edges and ("n_pagerX2", "-->", "30%", "n_lucky") in edges
    assert ("n_rolled_back", "-.->", "locked: 1. Compare the feature distributions of… (requires rolled_back)",
            "n_contained") in edges
    assert ("n_lucky", "-->", "when precision #lt; 0.85", "n_escalation") in edges
    dot = graph.to_dot(scenario)
    assert '"contained" [label="Contained, with a plan (strong)", shape=doubleoctagon' in dot
    assert '"rolled-back" -> "contained" [label="locked: 1. Compare the feature distributions of…\\nrequires rolled_back", style=dashed' in dot
    assert '"pager~2" -> "escalation" [label="70%"];' in dot


def test_missing_targets_and_unreachable_scenes_are_drawn_not_dropped() -> None:
    model = graph.build(_awkward())
    missing = model.node("nowhere")
    assert missing is not None and missing.kind == "missing"
    assert model.node("new-scene").reachable is False
    outline = graph.outline(_awkward())
    assert "  2 -> nowhere (missing!)" in outline and "new-scene (unreachable)" in outline


def test_outline_lists_each_scene_with_where_it_leads() -> None:
    assert graph.outline(_load(HANDWRITTEN)) == [
        "pager (start)",
        "  1 -> rolled-back",
        "  2 -> escalation [poor] 70%, lucky 30%",
        "rolled-back",
        "  1 -> contained [strong]  locked unless rolled_back",
        "  2 -> escalation [poor]",
        "lucky",
        "  when precision < 0.85 -> escalation [poor]",
        "  otherwise -> steady [mixed]",
        "[strong] contained",
        "[mixed] steady",
        "[poor] escalation",
    ]


def test_the_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["graph", str(HANDWRITTEN)])
    assert result.exit_code == 0 and result.output.startswith("---\ntitle:")
    result = runner.invoke(main, ["graph", str(HANDWRITTEN), "--format", "dot", "-o", str(tmp_path / "g.dot")])
    assert result.exit_code == 0 and (tmp_path / "g.dot").read_text().startswith("digraph scenario {")
    refused = runner.invoke(main, ["graph", str(HANDWRITTEN), "-o", str(tmp_path / "g.dot")], input="n\n")
    assert refused.exit_code == 1 and (tmp_path / "g.dot").read_text().startswith("digraph")
    broken = tmp_path / "broken.toml"
    broken.write_text(HANDWRITTEN.read_text().replace('goto = "contained"', 'goto = "contaned"'))
    result = runner.invoke(main, ["graph", str(broken)])
    assert result.exit_code == 1 and "C012" in result.output and "has errors" in result.output
    result = runner.invoke(main, ["graph", "no-such-scenario"])
    assert result.exit_code == 1 and "no scenario 'no-such-scenario'" in result.output


def test_mermaid_ids_never_collide() -> None:
    """`prompt-patch--c1` and the chance hub of choice 1 of `prompt-patch` are two nodes."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from coach.authoring.graph import chance_id, mermaid_id

    assert mermaid_id("prompt-patch--c1") != mermaid_id(chance_id("prompt-patch", 0))
    assert re.fullmatch(r"n_[A-Za-z0-9_]+", mermaid_id("end"))

    @settings(deadline=None)
    @given(st.text(max_size=12), st.text(max_size=12))
    def injective(a: str, b: str) -> None:
        if a != b:
            assert mermaid_id(a) != mermaid_id(b)
        assert re.fullmatch(r"n_[A-Za-z0-9_]*", mermaid_id(a))

    injective()
    ids = st.text(alphabet="ab-~1", max_size=6)

    @settings(deadline=None)
    @given(ids, ids)
    def injective_on_near_misses(a: str, b: str) -> None:
        if a != b:
            assert mermaid_id(a) != mermaid_id(b)

    injective_on_near_misses()


@needs_dot
def test_svg_is_drawn_by_graphviz(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["graph", str(HANDWRITTEN), "--format", "svg", "-o", str(tmp_path / "g.svg")])
    assert result.exit_code == 0, result.output
    assert "<svg" in (tmp_path / "g.svg").read_text()


def test_svg_without_graphviz_says_so_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["graph", str(HANDWRITTEN), "--format", "svg"],
                                                env={"PATH": str(tmp_path)})
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "needs Graphviz's `dot` on PATH" in result.stderr


def test_setups_and_conditional_text_are_marked() -> None:
    scenario = _load(SETUPS)
    text = graph.to_mermaid(scenario)
    nodes, edges = check_mermaid(text)
    assert nodes["n_Xsetups"] == "setups: units (weight 1), labels (weight 1), fraud (weight 2)"
    assert ("n_Xsetups", "-.->", "drawn at the start", "n_alert") in edges
    assert nodes["n_alert"] == "start: The alert fires · text varies"  # {if cause_units}… in its text
    assert nodes["n_calm"].endswith("· text varies") and "varies" not in nodes["n_late"]
    assert "class n_alert,n_calm conditional" in text
    dot = graph.to_dot(scenario)
    assert '"~setups" [label="setups\\nunits (weight 1)\\nlabels (weight 1)\\nfraud (weight 2)", shape=note' in dot
    outline = graph.outline(scenario)
    assert outline[0] == "setups: units (weight 1), labels (weight 1), fraud (weight 2)"
    assert "alert (start) (text varies)" in outline and "[strong] calm (text varies)" in outline
    assert graph.outline(_load(HANDWRITTEN))[0] == "pager (start)"  # no setups: no line for them
