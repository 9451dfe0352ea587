"""Shared helpers for the TUI tests: the test scenarios, a library limited to them, and driving
a playthrough by keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.library import resolve
from coach.tui.app import CoachApp, make_app

TUI_DATA = Path(__file__).resolve().parent / "data" / "tui"
QUIET = TUI_DATA / "quiet-regression.toml"
MARKUP = TUI_DATA / "markup.toml"
TIMED = TUI_DATA / "timed.toml"


def library_of(monkeypatch: pytest.MonkeyPatch, folder: Path, *scenarios: Path) -> Path:
    """Make the built-in library exactly these scenario files (the rubric stays the real one)."""
    folder.mkdir(parents=True, exist_ok=True)
    for scenario in scenarios:
        shutil.copy(scenario, folder / scenario.name)
    monkeypatch.setattr("coach.library.builtin_scenarios_dir", lambda: folder)
    return folder


def app_for(path: Path | str, **kwargs) -> CoachApp:
    loaded = resolve(str(path))
    assert loaded.scenario is not None, loaded.diagnostics
    return make_app(loaded, **kwargs)


def screen_text(app: CoachApp) -> str:
    """Every character on the top screen, as a learner would read it (no styles)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot, times: int = 2) -> None:
    for _ in range(times):
        await pilot.pause()


async def play_to_debrief(app: CoachApp, pilot, *, pick=None) -> list[int]:
    """From the briefing, start and press keys until the debrief (see `finish_playing`)."""
    await pilot.press("enter")
    await settle(pilot)
    return await finish_playing(app, pilot, pick=pick)


async def finish_playing(app: CoachApp, pilot, *, pick=None, limit: int = 100) -> list[int]:
    """On the play screen, press keys until the debrief: a number for `pick(options)` (default:
    the first available choice), Enter past feedback and the ending. Returns the 0-based choice
    indices taken."""
    from coach.tui.screens.debrief import DebriefScreen

    taken: list[int] = []
    for _ in range(limit):
        screen = app.screen
        if isinstance(screen, DebriefScreen):
            return taken
        if getattr(screen, "phase", None) == "scene":
            options = screen.playthrough.options()
            choice = pick(options) if pick else next(o for o in options if o.available)
            taken.append(choice.index)
            await pilot.press(str(choice.number))
        else:
            await pilot.press("enter")
        await settle(pilot)
    raise AssertionError("the playthrough did not reach the debrief")
