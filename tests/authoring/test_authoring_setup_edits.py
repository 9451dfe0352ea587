"""Pure edits of `[[setups]]` and the saver that writes them into a hand-written file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.authoring import edits, fields
from coach.authoring.document import item_at_line, lenient
from coach.authoring.saving import save_text
from coach.authoring.writer import scenario_to_toml
from coach.scenario.loader import load_scenario, load_text
from coach.scenario.model import SETUPS_MAX, Scenario, Setup

HANDWRITTEN = Path(__file__).resolve().parent / "data" / "handwritten.toml"
CLIFF = Path(__file__).resolve().parents[2] / "scenarios" / "precision-cliff.toml"
SETUP_FIELDS = {f.name: f for f in fields.FIELDS["setup"]}


def _load(path: Path) -> Scenario:
    loaded = load_scenario(path)
    return loaded.require()


@pytest.fixture
def scenario() -> Scenario:
    return _load(HANDWRITTEN)


@pytest.fixture(scope="module")
def cliff() -> Scenario:
    # Read as the workspace opens it: the full check of precision-cliff explores every setup,
    # which is slow and is not what these edits are about.
    found = lenient(CLIFF.read_text())
    assert found is not None
    return found


def _codes(scenario: Scenario) -> list[str]:
    return [d.code for d in load_text(scenario_to_toml(scenario), "x.toml").errors]


def test_the_first_setup_says_a_second_is_needed_and_the_second_makes_it_valid(scenario: Scenario) -> None:
    done = edits.add_setup(scenario)
    assert done.select == ("setups", 0)
    assert done.message == "added setup 'new-setup'; add another: a scenario with setups needs at least two"
    assert "C093" in _codes(done.scenario)
    done = edits.add_setup(done.scenario)
    assert [s.id for s in done.scenario.setups] == ["new-setup", "new-setup-2"]
    assert "give it the flags and start metrics" in done.message
    assert _codes(done.scenario) == []


def test_add_after_the_selected_setup(cliff: Scenario) -> None:
    done = edits.add_setup(cliff, after=0)
    assert [s.id for s in done.scenario.setups] == ["unit-change", "new-setup", "label-rule", "segment-attack"]
    assert done.select == ("setups", 1)


def test_at_most_sixteen_setups(scenario: Scenario) -> None:
    full = Scenario(**{**{f: getattr(scenario, f) for f in scenario.__struct_fields__},
                       "setups": [Setup(id=f"s{i}", title="t") for i in range(SETUPS_MAX)]})
    with pytest.raises(edits.EditRefused, match="at most 16 setups"):
        edits.add_setup(full)
    with pytest.raises(edits.EditRefused, match="at most 16 setups"):
        edits.duplicate(full, ("setups", 0))


def test_update_a_setups_fields_through_the_form_rules(cliff: Scenario) -> None:
    path = ("setups", 1)
    values = {name: fields.parse("setup", SETUP_FIELDS[name], text) for name, text in (
        ("title", "Labels moved"), ("weight", "5"), ("set", '["cause_labels", "late"]'),
        ("metrics", "{ precision = 0.5 }"))}
    done = edits.update(cliff, path, **values)
    setup = done.scenario.setups[1]
    assert (setup.id, setup.title, setup.weight, setup.set, setup.metrics) == (
        "label-rule", "Labels moved", 5, ["cause_labels", "late"], {"precision": 0.5})
    assert done.scenario.setups[0] == cliff.setups[0] and done.scenario.scenes == cliff.scenes
    assert edits.describe_path(cliff, path) == "setup 'label-rule'"
    assert fields.parse("setup", SETUP_FIELDS["weight"], "") == 1  # blank is the default weight


@pytest.mark.parametrize("name, text, reason", [
    ("weight", "0", "must be at least 1"),
    ("weight", "101", "must be at most 100"),
    ("weight", "two", "weight must be a whole number"),
    ("metrics", '{ precision = "high" }', "expected `float`, got `str`"),
    ("metrics", "precision = 0.5", "not a TOML value"),
    ("set", '["Bad Flag"]', "expected a name"),
])
def test_a_bad_setup_value_is_a_form_error(name: str, text: str, reason: str) -> None:
    with pytest.raises(fields.FieldError, match=reason.replace("`", ".").replace("[", ".")):
        fields.parse("setup", SETUP_FIELDS[name], text)


def test_rename_a_setup_is_checked_among_setups_only(cliff: Scenario) -> None:
    done = edits.rename(cliff, ("setups", 0), "units")
    assert done.scenario.setups[0].id == "units"
    assert "`--setup unit-change` and old session logs name the old id" in done.message
    with pytest.raises(edits.EditRefused, match="another setup already has the id 'label-rule'"):
        edits.rename(cliff, ("setups", 0), "label-rule")
    with pytest.raises(edits.EditRefused, match="cannot be a setup id"):
        edits.rename(cliff, ("setups", 0), "Units!")
    # a scene's id is another namespace: a setup may share it
    assert edits.rename(cliff, ("setups", 0), cliff.scenes[0].id).scenario.setups[0].id == cliff.scenes[0].id


def test_delete_move_and_duplicate_setups(cliff: Scenario) -> None:
    done = edits.delete(cliff, ("setups", 0))
    assert [s.id for s in done.scenario.setups] == ["label-rule", "segment-attack"]
    assert done.select == ("setups", 0)
    done = edits.delete(done.scenario, ("setups", 1))
    assert "'label-rule' is the only setup left" in done.message
    done = edits.delete(done.scenario, ("setups", 0))
    assert done.scenario.setups == [] and done.select == ()
    assert "every session starts the same" in done.message
    moved = edits.move(cliff, ("setups", 2), -1)
    assert [s.id for s in moved.scenario.setups] == ["unit-change", "segment-attack", "label-rule"]
    with pytest.raises(edits.EditRefused, match="already first"):
        edits.move(cliff, ("setups", 0), -1)
    copy = edits.duplicate(cliff, ("setups", 0))
    assert copy.scenario.setups[1] == Setup(**{**{f: getattr(cliff.setups[0], f) for f in Setup.__struct_fields__},
                                               "id": "unit-change-copy"})


def test_a_setup_that_is_not_there_is_refused(scenario: Scenario) -> None:
    with pytest.raises(edits.EditRefused, match="no item at"):
        edits.get(scenario, ("setups", 0))


def test_diagnostics_in_a_setup_map_to_that_setup(cliff: Scenario) -> None:
    text = CLIFF.read_text()
    line = text.splitlines().index('id = "label-rule"') + 1
    assert item_at_line(text, line) == ("setups", 1)


# --- saving into the author's file ----------------------------------------------------------------


def _diff_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    return ([line[1:] for line in lines if line.startswith("-") and not line.startswith("---")],
            [line[1:] for line in lines if line.startswith("+") and not line.startswith("+++")])


def test_changing_one_setup_rewrites_only_its_changed_key(cliff: Scenario) -> None:
    text = CLIFF.read_text()
    saved = save_text(edits.update(cliff, ("setups", 1), weight=5).scenario, text)
    assert saved.kept_layout and not saved.note
    assert _diff_lines(text, saved.text) == ([], ["weight = 5"])


def test_a_new_setup_is_added_and_a_deleted_one_goes_comments_kept(cliff: Scenario) -> None:
    text = CLIFF.read_text()
    added = edits.update(edits.add_setup(cliff).scenario, ("setups", 3), metrics={"precision": 0.6}).scenario
    saved = save_text(added, text)
    assert saved.kept_layout and lenient(saved.text) == added
    removed, new = _diff_lines(text, saved.text)
    assert removed == [] and 'id = "new-setup"' in new and "metrics = { precision = 0.6 }" in new
    saved = save_text(edits.delete(cliff, ("setups", 0)).scenario, text)
    removed, new = _diff_lines(text, saved.text)
    assert saved.kept_layout and new == [] and 'id = "unit-change"' in removed
    assert "# A 100x step" not in saved.text  # the deleted setup's own comments go with it
    assert "# Nothing Sentinel does changed" in saved.text  # the others' stay


def test_setups_added_to_a_file_without_any_go_in_its_head(scenario: Scenario) -> None:
    text = HANDWRITTEN.read_text()
    two = edits.add_setup(edits.add_setup(scenario).scenario).scenario
    saved = save_text(two, text)
    assert saved.kept_layout and lenient(saved.text) == two
    assert saved.text.index("[[setups]]") < saved.text.index("[[scenes]]")
    assert "# containment first" in saved.text


@settings(deadline=None)
@given(st.lists(st.sampled_from(["add", "delete", "move", "weight", "rename"]), max_size=6), st.data())
def test_any_run_of_setup_edits_saves_into_the_file_and_loads_back_equal(steps: list[str], data) -> None:
    scenario = lenient(CLIFF.read_text())
    text = CLIFF.read_text()
    for step in steps:
        count = len(scenario.setups)
        index = data.draw(st.integers(0, max(count - 1, 0)))
        try:
            if step == "add":
                done = edits.add_setup(scenario, after=index if count else None)
            elif step == "delete":
                done = edits.delete(scenario, ("setups", index))
            elif step == "move":
                done = edits.move(scenario, ("setups", index), data.draw(st.sampled_from([-1, 1])))
            elif step == "weight":
                done = edits.update(scenario, ("setups", index), weight=data.draw(st.integers(1, 100)))
            else:
                done = edits.rename(scenario, ("setups", index), data.draw(st.sampled_from(["x", "y", "z-1"])))
        except edits.EditRefused:
            continue
        scenario = done.scenario
    saved = save_text(scenario, text)
    assert lenient(saved.text) == scenario
    assert saved.kept_layout, saved.note
