"""Live preview: `coach play --watch` picks up edits and keeps the place; `--from` starts anywhere."""

from __future__ import annotations

from pathlib import Path


from coach.authoring.watch import StartPoint
from coach.scenario.loader import load_scenario
from coach.tui.preview import PreviewProblemsScreen, make_preview_app
from coach.tui.screens.play import PlayScreen
from tui_helpers import AUTHORING_SIZE, notices

async def _poll(pilot, app) -> None:
    app.preview.poll()  # what the half-second timer does
    await pilot.pause()
    await pilot.pause()


async def test_watch_picks_up_an_edit_and_keeps_the_place(draft: Path) -> None:
    app = make_preview_app(load_scenario(draft), watch=True, seed=3, mode="coach")
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1", "s")  # roll back (seed 3 shows it first), sure (coach mode asks)
        await pilot.press("enter")  # past the feedback
        await pilot.pause()
        assert app.screen.playthrough.state.scene == "rolled-back"
        draft.write_text(draft.read_text().replace("The old model is serving.", "Last week's model is serving again."))
        await _poll(pilot, app)
        screen = app.screen
        assert isinstance(screen, PlayScreen) and app.preview.reloads == 1
        assert screen.playthrough.state.scene == "rolled-back" and len(screen.playthrough.state.history) == 1
        assert "Last week's model is serving again." in screen.playthrough.scenario.scenes[1].text
        assert "Reloaded: replayed your 1 decision; you are at scene 'rolled-back'." in notices(app)
        assert screen.playthrough.writer is None  # previews never write a session log


async def test_a_broken_save_shows_its_diagnostics_and_fixing_it_resumes(draft: Path) -> None:
    good = draft.read_text()
    app = make_preview_app(load_scenario(draft), watch=True, seed=1, mode="exam")
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        draft.write_text(good.replace('goto = "contained"', 'goto = "contaned"'))
        await _poll(pilot, app)
        assert isinstance(app.screen, PreviewProblemsScreen)
        listing = str(app.screen.query_one("#preview-listing").render())
        assert "C012" in listing and "goto target 'contaned' not found" in listing
        draft.write_text(good.replace("Rolled back", "Rolled back, for now"))
        await _poll(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.playthrough.state.scene == "rolled-back"
        assert app.screen.playthrough.scenario.scenes[1].title == "Rolled back, for now"


async def test_a_place_that_is_gone_goes_back_to_the_nearest_scene(draft: Path) -> None:
    app = make_preview_app(load_scenario(draft), watch=True, seed=1, mode="exam")
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "1")  # roll back, then retrain (seed 1 shows it first): the escalation ending
        await pilot.pause()
        assert app.screen.playthrough.state.ending == "escalation"
        text = draft.read_text()
        retrain = text.index("  [[scenes.choices]]\n  text = \"Retrain")
        draft.write_text(text[:retrain] + text[text.index("[[scenes]]", retrain):])  # the author cuts that choice
        await _poll(pilot, app)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.playthrough.state.scene == "rolled-back" and not app.screen.playthrough.finished
        assert any(n.startswith("Your place no longer exists: decision 2 (choice 2 in 'rolled-back'") for n in notices(app))


async def test_from_a_late_scene_with_values(draft: Path) -> None:
    start = StartPoint("rolled-back", {"precision": 0.7}, frozenset({"rolled_back"}))
    app = make_preview_app(load_scenario(draft), start=start, mode="exam")
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        state = screen.playthrough.state
        assert state.scene == "rolled-back" and state.metrics["precision"] == 0.7 and state.flags == {"rolled_back"}
        compare = next(o for o in screen.playthrough.options() if o.index == 0)  # requires rolled_back: open because of --flag
        await pilot.press(str(compare.number))  # its number in this session's order
        await pilot.pause()
        assert screen.playthrough.state.ending == "contained"
        assert app.preview is not None and not app.request.watch
        assert "Preview. Starting at 'rolled-back'. Nothing is saved to your history." in notices(app)


async def test_esc_leaves_the_preview_for_the_shell_not_the_library(draft: Path) -> None:
    app = make_preview_app(load_scenario(draft), watch=True, seed=1, mode="exam")
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("escape")  # "This session is not being saved: leaving now loses it."
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app._exit and app.return_code == 0  # App.exit(): back to the shell
        assert not any(s.__class__.__name__ == "HomeScreen" for s in app.screen_stack)


async def test_esc_from_the_preview_debrief_leaves_too(draft: Path) -> None:
    start = StartPoint("rolled-back", {"precision": 0.7}, frozenset({"rolled_back"}))
    app = make_preview_app(load_scenario(draft), start=start, mode="exam")
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("escape")  # finished: from play to the debrief, or out
        await pilot.pause()
        if app.is_running and app.screen.__class__.__name__ == "DebriefScreen":
            await pilot.press("escape")
            await pilot.pause()
        assert app._exit and app.return_code == 0
        assert not any(s.__class__.__name__ == "HomeScreen" for s in app.screen_stack)
