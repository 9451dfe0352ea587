"""`coach schema` describes the format well enough for an editor to check real files."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

from coach.config.library import scenario_files_in
from coach.io.paths import builtin_scenarios_dir
from coach.scenario.schema import scenario_schema

GOOD = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"
FILES = [GOOD, *scenario_files_in(builtin_scenarios_dir())]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_schema_accepts_real_scenarios(validator, path: Path) -> None:
    errors = list(validator.iter_errors(tomllib.loads(path.read_text("utf-8"))))
    assert not errors, [e.message for e in errors]


def test_schema_rejects_unknown_key(validator) -> None:
    document = tomllib.loads(GOOD.read_text())
    document["scenes"][0]["choices"][0]["gotoo"] = "x"
    assert any("gotoo" in e.message for e in validator.iter_errors(document))


def test_schema_rejects_out_of_range_score(validator) -> None:
    document = tomllib.loads(GOOD.read_text())
    document["scenes"][0]["choices"][0]["score"]["monitoring"] = 7
    assert list(validator.iter_errors(document))


def test_every_field_is_described() -> None:
    schema = scenario_schema()
    undescribed = []
    for name, definition in schema["$defs"].items():
        for field, spec in definition.get("properties", {}).items():
            if "description" not in spec and "$ref" not in spec:
                undescribed.append(f"{name}.{field}")
    assert not undescribed, undescribed


def test_coach_schema_prints_json() -> None:
    out = subprocess.run([sys.executable, "-m", "coach", "schema"], capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["title"].startswith("coach scenario")


def test_schema_knows_the_rubrics_criteria_and_reflexes(validator) -> None:
    from coach.scenario.loader import builtin_rubric

    rubric = builtin_rubric()
    schema = scenario_schema()
    assert schema["$defs"]["Scenario"]["properties"]["criteria"]["propertyNames"]["enum"] == list(rubric.criteria)
    for where, value in ((("criteria",), {"failur": 2}), (("scenes", 0, "choices", 0, "score"), {"failur": 1})):
        document = tomllib.loads(GOOD.read_text())
        target = document
        for step in where[:-1]:
            target = target[step]
        target[where[-1]] = value
        assert any("failur" in e.message for e in validator.iter_errors(document)), where
    document = tomllib.loads(GOOD.read_text())
    document["scenes"][0]["choices"][1]["reflex"] = "launch-gates"
    assert list(validator.iter_errors(document))


@pytest.mark.parametrize("change", ["both", "neither"])
def test_schema_wants_exactly_one_of_goto_and_outcomes(validator, change: str) -> None:
    document = tomllib.loads(GOOD.read_text())
    choice = document["scenes"][0]["choices"][0]
    assert list(validator.iter_errors(document)) == []
    if change == "both":
        choice["outcomes"] = [{"chance": 1.0, "goto": "triage"}]
    else:
        del choice["goto"]
    assert list(validator.iter_errors(document))
