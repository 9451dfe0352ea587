"""Pure edits: references follow a rename, a delete is refused while anything leads there."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.authoring import edits
from coach.scenario.loader import load_scenario, load_text
from coach.authoring.writer import scenario_to_toml
from coach.scenario.model import Scenario

HANDWRITTEN = Path(__file__).resolve().parent / "data" / "handwritten.toml"


@pytest.fixture
def scenario() -> Scenario:
    loaded = load_scenario(HANDWRITTEN)
    return loaded.require()


def _errors(scenario: Scenario) -> list[str]:
    return [f"{d.code} {d.message}" for d in load_text(scenario_to_toml(scenario), "x.toml").errors]


def test_rename_a_scene_updates_every_reference(scenario: Scenario) -> None:
    done = edits.rename(scenario, ("scenes", 2), "recovered")
    assert done.message == "renamed scene 'lucky' to 'recovered' and updated 1 reference"
    choice = done.scenario.scenes[0].choices[1]
    assert [o.goto for o in choice.outcomes] == ["escalation", "recovered"]
    assert _errors(done.scenario) == []


def test_rename_the_start_scene_and_an_ending_used_by_outcomes_routes_and_gotos(scenario: Scenario) -> None:
    done = edits.rename(scenario, ("scenes", 0), "the-page")
    assert done.scenario.start == "the-page"
    done = edits.rename(done.scenario, ("endings", 2), "cfo")
    assert "3 references" in done.message
    assert done.scenario.scenes[2].routes[0].goto == "cfo"
    assert done.scenario.scenes[1].choices[1].goto == "cfo"
    assert _errors(done.scenario) == []


@pytest.mark.parametrize("new_id, reason", [
    ("Bad Id", "use lowercase letters, digits and hyphens"),
    ("steady", "already used; scene and ending ids share one namespace"),
    ("", "cannot be a scene id"),
])
def test_rename_refusals(scenario: Scenario, new_id: str, reason: str) -> None:
    with pytest.raises(edits.EditRefused, match=reason):
        edits.rename(scenario, ("scenes", 1), new_id)


def test_choice_ids_are_unique_in_their_scene_and_may_be_cleared(scenario: Scenario) -> None:
    done = edits.rename(scenario, ("scenes", 0, "choices", 1), "wait")
    assert done.scenario.scenes[0].choices[1].id == "wait"
    with pytest.raises(edits.EditRefused, match="already has the id 'rollback'"):
        edits.rename(scenario, ("scenes", 0, "choices", 1), "rollback")
    assert edits.rename(done.scenario, ("scenes", 0, "choices", 1), " ").scenario.scenes[0].choices[1].id is None


def test_delete_a_referenced_scene_is_refused_with_every_place(scenario: Scenario) -> None:
    with pytest.raises(edits.EditRefused) as refused:
        edits.delete(scenario, ("scenes", 2))
    assert str(refused.value) == (
        "cannot delete scene 'lucky': outcome 2 of choice 2 of 'pager' leads to it; point it elsewhere first"
    )
    with pytest.raises(edits.EditRefused, match="the scenario's `start` leads to it"):
        edits.delete(scenario, ("scenes", 0))


def test_a_scene_only_its_own_choices_lead_to_can_be_deleted(scenario: Scenario) -> None:
    looped = edits.update(scenario, ("scenes", 2), routes=[edits.get(scenario, ("scenes", 2)).routes[1]]).scenario
    unreferenced = edits.update(looped, ("scenes", 0, "choices", 1), outcomes=None, goto="steady").scenario
    done = edits.delete(unreferenced, ("scenes", 2))
    assert [s.id for s in done.scenario.scenes] == ["pager", "rolled-back"]
    assert done.select == ("scenes", 1)
    assert _errors(done.scenario) == []


def test_add_scene_then_choice(scenario: Scenario) -> None:
    added = edits.add_scene(scenario, after=0)
    assert added.select == ("scenes", 1) and added.scenario.scenes[1].id == "new-scene"
    assert any("C020" in e for e in _errors(added.scenario))  # a scene without choices is an error until…
    with_choice = edits.add_choice(added.scenario, 1)
    assert with_choice.select == ("scenes", 1, "choices", 0)
    assert with_choice.scenario.scenes[1].choices[0].goto == "contained"
    assert _errors(with_choice.scenario) == []
    assert edits.add_scene(with_choice.scenario).scenario.scenes[-1].id == "new-scene-2"


def test_add_choice_to_a_routing_scene_is_refused(scenario: Scenario) -> None:
    with pytest.raises(edits.EditRefused, match="routes on the state"):
        edits.add_choice(scenario, 2)


def test_duplicate_gives_fresh_ids(scenario: Scenario) -> None:
    done = edits.duplicate(scenario, ("scenes", 1))
    assert [s.id for s in done.scenario.scenes] == ["pager", "rolled-back", "rolled-back-copy", "lucky"]
    again = edits.duplicate(done.scenario, ("scenes", 1))
    assert again.scenario.scenes[2].id == "rolled-back-copy-2"
    choice = edits.duplicate(scenario, ("scenes", 0, "choices", 0))
    assert [c.id for c in choice.scenario.scenes[0].choices] == ["rollback", "rollback-copy", None]
    assert choice.select == ("scenes", 0, "choices", 1)


def test_move_changes_order_never_targets(scenario: Scenario) -> None:
    done = edits.move(scenario, ("scenes", 0, "choices", 0), 1)
    assert [c.id for c in done.scenario.scenes[0].choices] == [None, "rollback"]
    assert done.select == ("scenes", 0, "choices", 1)
    with pytest.raises(edits.EditRefused, match="already last"):
        edits.move(done.scenario, done.select, 1)


def test_deleting_the_only_ending_or_the_scenario_is_refused(scenario: Scenario) -> None:
    with pytest.raises(edits.EditRefused, match="cannot be deleted here"):
        edits.delete(scenario, ())
    lone = edits.update(scenario, (), endings=scenario.endings[:1]).scenario
    with pytest.raises(edits.EditRefused, match="only ending"):
        edits.delete(lone, ("endings", 0))


def test_update_refuses_ids_and_unknown_fields(scenario: Scenario) -> None:
    with pytest.raises(edits.EditRefused, match="rename"):
        edits.update(scenario, ("scenes", 0), id="x")
    with pytest.raises(edits.EditRefused, match="no field colour"):
        edits.update(scenario, ("scenes", 0), colour="red")
    with pytest.raises(edits.EditRefused, match="no item at scene '#9'"):
        edits.get(scenario, ("scenes", 9))
