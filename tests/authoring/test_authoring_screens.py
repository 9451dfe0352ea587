"""The wizard and the workspace, driven through the same factory `coach new` / `coach edit` use."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from coach.scenario.loader import load_scenario
from coach.tui.authoring import make_authoring_app
from coach.tui.screens.wizard import CriteriaPicker, WizardScreen
from coach.tui.screens.workspace import WorkspaceScreen
from coach.tui.widgets.problems import ProblemList
from coach.tui.widgets.scenario_tree import ScenarioTree
from tui_helpers import AUTHORING_SIZE, HANDWRITTEN, notices, settle_workspace, wait_until

async def _settle(pilot, app) -> None:
    await settle_workspace(pilot)  # the checker waits for a quiet moment before it runs


async def _type(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def test_the_wizard_writes_a_file_that_coach_check_passes(tmp_path: Path) -> None:
    target = tmp_path / "drafts" / "launch.toml"
    app = make_authoring_app("new", target)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        await _type(pilot, "Launch or wait")
        assert app.screen.query_one("#id", Input).value == "launch-or-wait"
        app.screen.query_one(CriteriaPicker).focus()
        await pilot.press("3", "down", "2")  # evaluation: 3, monitoring: 2
        metrics = app.screen.query_one("#metrics", Input)
        metrics.focus()
        await _type(pilot, "precision:percent, p95_ms:ms")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.created == target
    loaded = load_scenario(target)
    # The wizard's starter is a two-decision skeleton: only the teaching lint W121 may mention it.
    assert [d for d in loaded.diagnostics if d.code != "W121"] == [] and loaded.scenario is not None
    assert loaded.scenario.id == "launch-or-wait" and loaded.scenario.criteria == {"evaluation": 3, "monitoring": 2}
    assert list(loaded.scenario.metrics) == ["precision", "p95_ms"]
    assert loaded.scenario.metrics["p95_ms"].better == "lower"


async def test_the_wizard_says_what_to_fix_and_never_overwrites_unasked(tmp_path: Path) -> None:
    target = tmp_path / "exists.toml"
    target.write_text("keep me")
    app = make_authoring_app("new", target)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#error-title").display
        assert "give the scenario a title" in str(app.screen.query_one("#error-title").render())
        assert app.screen.query_one("#error-criteria").display
        await _type(pilot, "Any title")
        app.screen.query_one(CriteriaPicker).focus()
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
    assert target.read_text() == "keep me"


async def test_the_workspace_adds_renames_and_saves(draft: Path) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        tree = screen.query_one(ScenarioTree)
        assert tree.has_focus
        # add a scene (after the last one, from the scenario root), then a choice in it
        await pilot.press("a")
        await pilot.pause()
        assert screen.current == ("scenes", 3)
        await _settle(pilot, app)
        assert any(d.code == "C020" for d in screen.checked.diagnostics)  # no choices yet: the checker says so
        await pilot.press("c")
        await _settle(pilot, app)
        assert screen.current == ("scenes", 3, "choices", 0)
        assert not any(d.code == "C020" for d in screen.checked.diagnostics)
        # the new choice's text, typed into its field
        text = screen.query_one("#field-text")
        text.focus()
        text.select_all()
        await _type(pilot, "Call the team")
        await pilot.press("escape")  # back to the tree
        # rename scene 2 ('rolled-back'): r focuses its id, Enter renames
        tree.select_path(("scenes", 1))
        await pilot.pause()
        await pilot.press("r")
        field = screen.query_one("#field-id", Input)
        assert field.has_focus
        field.value = ""
        await _type(pilot, "after-rollback")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.document.scenario.scenes[0].choices[0].goto == "after-rollback"
        await pilot.press("ctrl+s")
        await _settle(pilot, app)
        assert not screen.document.dirty
        assert any(f"Saved {draft}" in n for n in notices(app))
        expected = screen.document.scenario
    loaded = load_scenario(draft)
    assert loaded.scenario == expected
    assert [s.id for s in loaded.scenario.scenes] == ["pager", "after-rollback", "lucky", "new-scene"]
    assert loaded.scenario.scenes[3].choices[0].text == "Call the team"
    assert loaded.scenario.scenes[0].choices[0].goto == "after-rollback"
    saved = draft.read_text()
    assert "# --- act two: after the rollback" in saved and "# containment first" in saved  # comments kept


async def test_deleting_a_referenced_scene_is_refused_with_the_reason(draft: Path) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        screen = app.screen
        screen.query_one(ScenarioTree).select_path(("scenes", 2))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert [s.id for s in screen.document.scenario.scenes] == ["pager", "rolled-back", "lucky"]
        assert not screen.document.dirty
        assert "cannot delete scene 'lucky': outcome 2 of choice 2 of 'pager' leads to it; point it elsewhere first" in notices(app)
    assert draft.read_text() == HANDWRITTEN.read_text()


async def test_a_problem_selects_the_item_and_field_it_is_about(draft: Path) -> None:
    draft.write_text(HANDWRITTEN.read_text().replace('goto = "contained"', 'goto = "contaned"'))
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        screen = app.screen
        assert [d.code for d in screen.checked.errors and screen.checked.diagnostics] == ["C012"]
        await pilot.press("f8")
        await pilot.pause()
        assert screen.current == ("scenes", 1, "choices", 0)
        goto = screen.query_one("#field-goto", Input)
        assert goto.has_focus and goto.value == "contaned"
        goto.value = "contained"
        await _settle(pilot, app)
        # The error is gone; what stays is the teaching lint W121 (handwritten.toml ends in two
        # decisions), a warning, not an error.
        assert [d.code for d in screen.checked.diagnostics] == ["W121"] * len(screen.checked.diagnostics)
        assert not screen.checked.errors
        assert "W121" in str(screen.query_one(ProblemList).get_option_at_index(0).prompt)


async def test_a_bad_field_value_shows_an_error_and_changes_nothing(draft: Path) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        screen = app.screen
        screen.query_one(ScenarioTree).select_path(("scenes", 0, "choices", 0))
        await pilot.pause()
        score = screen.query_one("#field-score", Input)
        score.value = "{ failure = 9 }"
        await pilot.pause()
        assert "must be at most 3" in str(screen.query_one("#row-score .field-error").render())
        assert not screen.document.dirty
        score.value = "{ failure = 3 }"
        await pilot.pause()
        assert screen.document.scenario.scenes[0].choices[0].score == {"failure": 3}
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not screen.document.dirty


async def test_leaving_with_unsaved_edits_asks(draft: Path) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        await pilot.press("e")  # add an ending
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "UnsavedScreen"
        await pilot.press("escape")  # cancel: still editing
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen) and app.screen.document.dirty
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("s")  # save, then leave
        await pilot.pause()
    assert 'id = "new-ending"' in draft.read_text()


async def test_a_file_with_toml_errors_opens_with_its_problems_and_reloads_when_fixed(draft: Path) -> None:
    good = draft.read_text()
    draft.write_text(good.replace('title = "Rolled back"', 'title = "Rolled back'))
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        screen = app.screen
        assert screen.document.scenario is None
        assert [d.code for d in screen.checked.diagnostics] == ["C004"]
        assert not screen.query_one(ScenarioTree).display
        draft.write_text(good)
        # The workspace looks at the file every second; unchanged here, it reloads by itself.
        await wait_until(pilot, lambda: screen.document.scenario is not None, "the workspace to reload the fixed file")
        await _settle(pilot, app)
        assert screen.document.scenario is not None and screen.query_one(ScenarioTree).display
        assert [d for d in screen.checked.diagnostics if d.code != "W121"] == []  # short by design (W121)


async def test_r_then_typing_replaces_the_id(draft: Path) -> None:
    """As the tutorial says: select, press r, type the new id, Enter."""
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        screen = app.screen
        screen.query_one(ScenarioTree).select_path(("endings", 0))
        await pilot.pause()
        await pilot.press("r")
        await _type(pilot, "held")
        await pilot.press("enter")
        await pilot.pause()
        assert [e.id for e in screen.document.scenario.endings][0] == "held"
        assert any("Renamed ending 'contained' to 'held'" in n for n in notices(app))


async def test_tab_enters_the_form_and_typing_replaces_the_starters_guidance(tmp_path: Path) -> None:
    from coach.authoring.document import write_new
    from coach.authoring.scaffold import Answers, starter

    path = tmp_path / "starter.toml"
    write_new(path, starter(Answers(title="Tab test", role="AI PM", criteria={"evaluation": 2})))
    app = make_authoring_app("edit", path)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        screen = app.screen
        screen.query_one(ScenarioTree).select_path(("endings", 0))
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is screen.query_one("#field-id")  # past the graph, straight into the form
        await pilot.press("tab")
        assert app.focused is screen.query_one("#field-title")
        await _type(pilot, "Held")
        await pilot.press("tab", "tab")  # past the rating, into the text
        await _type(pilot, "Fine")
        await pilot.pause()
        ending = screen.document.scenario.endings[0]
        assert (ending.title, ending.text.strip()) == ("Held", "Fine")
        # a field the author wrote is not selected: typing adds to it
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is screen.query_one("#field-title")
        await pilot.press("end", "s")
        await pilot.pause()
        assert screen.document.scenario.endings[0].title == "Helds"
        await pilot.press("f7")  # selects a one-line field's text, as in a multi-line one
        await _type(pilot, "Kept")
        await pilot.pause()
        assert screen.document.scenario.endings[0].title == "Kept"


async def test_an_id_typed_after_enter_and_tab_stays_in_the_id_field(tmp_path: Path) -> None:
    app = make_authoring_app("new", tmp_path / "x.toml")
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await _type(pilot, "Launch or wait")
        await pilot.press("enter", "tab")
        await _type(pilot, "my-own-id")
        await pilot.pause()
        assert screen.query_one("#title", Input).value == "Launch or wait"
        assert screen.query_one("#id", Input).value == "my-own-id"
        assert screen.answers()[0].id == "my-own-id"


async def test_a_late_title_change_never_overwrites_an_id_the_author_typed(tmp_path: Path) -> None:
    """The title's Changed message can be handled after the author tabbed on and typed an id."""
    app = make_authoring_app("new", None)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await _type(pilot, "Launch")
        title, id_input = screen.query_one("#title", Input), screen.query_one("#id", Input)
        with id_input.prevent(Input.Changed):
            id_input.value = "mine"  # typed; its own Changed not handled yet
        title.post_message(Input.Changed(title, title.value))  # the stale one arrives first
        await pilot.pause()
        assert id_input.value == "mine"
        id_input.post_message(Input.Changed(id_input, "mine"))
        await pilot.pause()
        assert screen.query_one("#path", Input).value.endswith("mine.toml")
        id_input.value = ""  # emptied: follows the title again
        await pilot.pause()
        assert id_input.value == "launch"


async def test_the_workspace_outline_shows_setups_and_text_that_varies(tmp_path: Path) -> None:
    path = tmp_path / "setups.toml"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "good" / "setups.toml", path)
    app = make_authoring_app("edit", path)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        from textual.widgets import Static

        shown = str(app.screen.query_one("#ws-outline", Static).render())
        assert "setups: units (weight 1), labels (weight 1), fraud (weight 2)" in shown
        assert "alert (start) (text varies)" in shown and "[strong] calm (text varies)" in shown
