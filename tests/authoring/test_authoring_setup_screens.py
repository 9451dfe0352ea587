"""The workspace edits `[[setups]]`: add one, fill in its fields, save, and find it in the file;
a bad value shows the form's error and saves nothing. Driven through the `coach edit` factory."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from coach.scenario.loader import load_scenario
from coach.tui.authoring import make_authoring_app
from coach.tui.screens.workspace import WorkspaceScreen
from coach.tui.widgets.item_form import ItemForm
from coach.tui.widgets.scenario_tree import ScenarioTree
from tui_helpers import AUTHORING_SIZE, HANDWRITTEN, notices, settle_workspace

def _error(screen, field: str) -> str:
    return str(screen.query_one(f"#row-{field} .field-error").render())


async def _set(pilot, screen, field: str, text: str) -> None:
    widget = screen.query_one(f"#field-{field}", Input)
    widget.value = text
    await pilot.pause()


async def test_add_two_setups_fill_them_in_save_and_reload(draft: Path) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await settle_workspace(pilot)
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        tree = screen.query_one(ScenarioTree)
        assert tree.has_focus
        await pilot.press("s")
        await settle_workspace(pilot)
        assert screen.current == ("setups", 0)
        assert any("a scenario with setups needs at least two" in n for n in notices(app))
        assert any(d.code == "C093" for d in screen.checked.diagnostics)  # one setup alone: the checker says so
        assert screen.checked.items[[d.code for d in screen.checked.diagnostics].index("C093")] == ("setups", 0)
        # the form is the setup's: id, title, weight, set, metrics
        assert [f for f in screen.query_one(ItemForm)._fields] == ["id", "title", "weight", "set", "metrics"]
        await _set(pilot, screen, "title", "An upstream unit change")
        await _set(pilot, screen, "weight", "3")
        await _set(pilot, screen, "set", '["cause_units"]')
        await _set(pilot, screen, "metrics", "{ precision = 0.71 }")
        # rename: r focuses the id, Enter renames
        tree.focus()
        await pilot.press("r")
        field = screen.query_one("#field-id", Input)
        assert field.has_focus
        field.value = "unit-change"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.document.scenario.setups[0].id == "unit-change"
        # a second setup, after the first: the C093 error goes
        tree.focus()
        await pilot.press("s")
        await settle_workspace(pilot)
        assert screen.current == ("setups", 1)
        assert not any(d.code == "C093" for d in screen.checked.diagnostics)
        await _set(pilot, screen, "title", "A real shift in fraud")
        await pilot.press("ctrl+s")
        await settle_workspace(pilot)
        assert not screen.document.dirty
        assert any(f"Saved {draft}" in n for n in notices(app))
        expected = screen.document.scenario
    loaded = load_scenario(draft)
    assert loaded.scenario == expected
    assert not loaded.errors
    first, second = loaded.scenario.setups
    assert (first.id, first.title, first.weight, first.set, first.metrics) == (
        "unit-change", "An upstream unit change", 3, ["cause_units"], {"precision": 0.71})
    assert (second.id, second.title, second.weight) == ("new-setup", "A real shift in fraud", 1)
    saved = draft.read_text()
    assert "# containment first" in saved  # the author's comments are kept
    assert saved.index("[[setups]]") < saved.index("[[scenes]]")
    # reopened, the tree lists the setups and selecting one shows its fields
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await settle_workspace(pilot)
        screen = app.screen
        screen.query_one(ScenarioTree).select_path(("setups", 0))
        await settle_workspace(pilot)
        assert screen.current == ("setups", 0)
        assert screen.query_one("#field-metrics", Input).value == "{ precision = 0.71 }"
        assert screen.query_one("#field-weight", Input).value == "3"


async def test_a_bad_setup_value_shows_the_error_and_saves_nothing(draft: Path) -> None:
    draft.write_text(HANDWRITTEN.read_text().replace("[[scenes]]", '[[setups]]\nid = "a"\ntitle = "A"\n\n'
                                                    '[[setups]]\nid = "b"\ntitle = "B"\n\n[[scenes]]', 1))
    before = draft.read_text()
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await settle_workspace(pilot)
        screen = app.screen
        screen.query_one(ScenarioTree).select_path(("setups", 1))
        await settle_workspace(pilot)
        assert screen.current == ("setups", 1)
        await _set(pilot, screen, "weight", "0")
        assert "must be at least 1" in _error(screen, "weight")
        await _set(pilot, screen, "metrics", '{ precision = "high" }')
        assert "expected `float`, got `str`" in _error(screen, "metrics")
        await _set(pilot, screen, "set", '["Not A Flag"]')
        assert "expected a name" in _error(screen, "set")
        assert not screen.document.dirty
        # an id another setup has is refused, in the id field's error
        field = screen.query_one("#field-id", Input)
        field.focus()
        field.value = "a"
        await pilot.press("enter")
        await pilot.pause()
        assert "another setup already has the id 'a'" in _error(screen, "id")
        assert [s.id for s in screen.document.scenario.setups] == ["a", "b"]
        assert not screen.document.dirty
        await pilot.press("ctrl+s")
        await settle_workspace(pilot)
    assert draft.read_text() == before


async def test_a_setup_value_the_checker_refuses_is_a_problem_on_that_setup(draft: Path) -> None:
    draft.write_text(HANDWRITTEN.read_text().replace("[[scenes]]", '[[setups]]\nid = "a"\ntitle = "A"\n\n'
                                                    '[[setups]]\nid = "b"\ntitle = "B"\n\n[[scenes]]', 1))
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await settle_workspace(pilot)
        screen = app.screen
        screen.query_one(ScenarioTree).select_path(("setups", 1))
        await settle_workspace(pilot)
        await _set(pilot, screen, "metrics", "{ precison = 0.5 }")  # a typo: no such metric
        await settle_workspace(pilot)
        assert screen.document.dirty
        assert screen.checked.errors
        assert ("setups", 1) in [path for d, path in zip(screen.checked.diagnostics, screen.checked.items) if d.is_error]


async def test_deleting_setups_saves_and_undo_brings_them_back(draft: Path) -> None:
    draft.write_text(HANDWRITTEN.read_text().replace("[[scenes]]", '[[setups]]\nid = "a"\ntitle = "A"\n\n'
                                                    '[[setups]]\nid = "b"\ntitle = "B"\n\n[[scenes]]', 1))
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await settle_workspace(pilot)
        screen = app.screen
        tree = screen.query_one(ScenarioTree)
        tree.select_path(("setups", 0))
        await settle_workspace(pilot)
        await pilot.press("x")
        await settle_workspace(pilot)
        assert [s.id for s in screen.document.scenario.setups] == ["b"]
        assert screen.current == ("setups", 0)
        assert any("'b' is the only setup left" in n for n in notices(app))
        await pilot.press("x")
        await settle_workspace(pilot)
        assert screen.document.scenario.setups == []
        assert screen.current == ()
        await pilot.press("ctrl+s")
        await settle_workspace(pilot)
        assert "[[setups]]" not in draft.read_text()
        assert load_scenario(draft).scenario.setups == []
        await pilot.press("ctrl+z", "ctrl+z")
        await settle_workspace(pilot)
        assert [s.id for s in screen.document.scenario.setups] == ["a", "b"]
        await pilot.press("ctrl+s")
        await settle_workspace(pilot)
    assert [s.id for s in load_scenario(draft).scenario.setups] == ["a", "b"]
