"""The authoring writer: what it writes loads back equal, and it reads like a hand-written file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings

from coach.authoring import writer
from coach.scenario.loader import load_scenario, load_text
from coach.scenario.model import Choice, Ending, Metric, Outcome, Route, Scenario, Scene

from authoring_strategies import scenarios

ROOT = Path(__file__).resolve().parents[2]
HANDWRITTEN = Path(__file__).resolve().parent / "data" / "handwritten.toml"


def _decode(text: str) -> Scenario:
    return msgspec.convert(tomllib.loads(text), Scenario)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios)
def test_any_scenario_written_loads_back_equal(scenario: Scenario) -> None:
    text = writer.scenario_to_toml(scenario)
    assert _decode(text) == scenario


@pytest.mark.parametrize("path", [p for p in sorted((ROOT / "scenarios").glob("*.toml")) if p.name != "rubric.toml"],
                         ids=lambda p: p.stem)
def test_builtin_scenarios_round_trip_through_the_loader(path: Path) -> None:
    # Without the warnings (W-codes, each an exploration of every setup): the round trip is about
    # the file's structure and rules, whose errors come before any warning is looked for.
    loaded = load_scenario(path)
    assert loaded.scenario is not None, loaded.diagnostics
    again = load_text(writer.scenario_to_toml(loaded.scenario), "written.toml")
    assert again.scenario == loaded.scenario
    assert [d.code for d in again.errors] == []


def test_every_field_is_written_somewhere() -> None:
    """A field missing from the reading orders would be dropped silently on save."""
    blocks = {Scenario: {"criteria", "metrics", "glossary", "setups", "scenes", "endings"}, Scene: {"choices"}}
    for kind, order in writer.ORDERS.items():
        assert set(order) | blocks.get(kind, set()) == set(kind.__struct_fields__), kind.__name__


def test_the_shape_of_a_hand_written_file() -> None:
    scenario = load_scenario(HANDWRITTEN).scenario
    assert scenario is not None
    text = writer.scenario_to_toml(scenario)
    # scene text as a multi-line string, not \n escapes
    assert 'text = """\nPrecision on the card-fraud model fell' in text
    # score, effects, outcomes and routes inline
    assert "  score = { failure = 2, monitoring = 1 }\n" in text
    assert "  effects = { precision = 0.05 }\n" in text
    assert 'outcomes = [ { chance = 0.7, goto = "escalation" }, { chance = 0.3, goto = "lucky" } ]' in text
    assert 'routes = [ { when = "precision < 0.85", goto = "escalation" }, { goto = "steady" } ]' in text
    # [[scenes]] then its indented [[scenes.choices]]; no sub-tables for score or effects
    assert "[[scenes]]\nid = \"pager\"" in text and "\n  [[scenes.choices]]\n  id = \"rollback\"" in text
    assert "[scenes.choices.score]" not in text and "[scenes.choices.effects]" not in text
    assert text.index("[criteria]") < text.index("[metrics.precision]") < text.index("[[scenes]]") < text.index("[[endings]]")
    # defaults are left out, as an author would
    assert "takes = 0" not in text and 'mode = "coach"' not in text


def test_long_outcome_lists_go_one_per_line_and_stay_indented() -> None:
    outcomes = [Outcome(chance=0.25, goto=f"a-rather-long-ending-name-{i}", text="what happened then") for i in range(4)]
    choice = Choice(text="Gamble", outcomes=outcomes)
    block = writer.choice_block(choice)
    assert "  outcomes = [\n    { chance = 0.25," in block and block.rstrip().endswith("]")
    assert msgspec.convert(tomllib.loads(block)["scenes"]["choices"][0], Choice) == choice


def test_text_with_carriage_returns_stays_exact() -> None:
    ending = Ending(id="e", title="t", rating="poor", text="line one\r\nline two\n")
    assert tomllib.loads(writer.ending_block(ending))["endings"][0]["text"] == ending.text


def test_whole_numbers_are_written_without_a_fraction_but_read_back_as_floats() -> None:
    metric = Metric(label="Latency", start=200.0, min=0.0, max=2000.0, display="ms", better="lower")
    scenario = Scenario(format=1, id="x", title="x", summary="x", role="x", difficulty="intro", minutes=1, start="s",
                        criteria={}, scenes=[Scene(id="s", routes=[Route(goto="e")])],
                        endings=[Ending(id="e", title="E", rating="strong")], metrics={"latency": metric})
    text = writer.scenario_to_toml(scenario)
    assert "start = 200\nmin = 0\nmax = 2000\n" in text
    assert _decode(text) == scenario
