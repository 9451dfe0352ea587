"""Shared helpers for the TUI tests: the test scenarios, a library limited to them, and driving
a playthrough by keys."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable

import pytest

from coach.config.library import resolve
from coach.tui.app import CoachApp, make_app

TUI_DATA = Path(__file__).resolve().parent / "data" / "tui"
QUIET = TUI_DATA / "quiet-regression.toml"
MARKUP = TUI_DATA / "markup.toml"
TIMED = TUI_DATA / "timed.toml"

HANDWRITTEN = Path(__file__).resolve().parent / "authoring" / "data" / "handwritten.toml"
"""The hand-written scenario the workspace, preview and disk-change tests edit a copy of."""
AUTHORING_SIZE = (120, 36)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """A copy of HANDWRITTEN to edit, save and change on disk (tests/authoring/conftest.py offers it)."""
    path = tmp_path / "draft.toml"
    shutil.copy(HANDWRITTEN, path)
    return path


def library_of(monkeypatch: pytest.MonkeyPatch, folder: Path, *scenarios: Path) -> Path:
    """Make the built-in library exactly these scenario files (the rubric stays the real one)."""
    folder.mkdir(parents=True, exist_ok=True)
    for scenario in scenarios:
        shutil.copy(scenario, folder / scenario.name)
    monkeypatch.setattr("coach.config.library.builtin_scenarios_dir", lambda: folder)
    return folder


def app_for(path: Path | str, **kwargs) -> CoachApp:
    loaded = resolve(str(path))
    loaded.require()  # fails naming the file's first error
    return make_app(loaded, **kwargs)


def screen_text(app: CoachApp) -> str:
    """Every character on the top screen, as a learner would read it (no styles)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot, times: int = 2) -> None:
    """Let the app process what is queued, and wait for the library to finish loading if a home
    screen is still filling it in (it draws its first frame before reading sessions and files)."""
    for _ in range(times):
        await pilot.pause()
    await home_ready(pilot)


async def home_ready(pilot) -> None:
    """Until every home screen on the stack has loaded its scenarios and read the sessions."""
    from coach.tui.screens.home import HomeScreen

    homes = [screen for screen in pilot.app.screen_stack if isinstance(screen, HomeScreen)]
    if any(not home.ready for home in homes):
        await wait_until(pilot, lambda: all(home.ready for home in homes), "the library to finish loading")
        await pilot.pause()


async def keys(pilot, *presses: str) -> None:
    """Press the keys one by one, letting the app process each, then wait until any home screen
    has finished loading (it fills in its sessions and pending scenarios after its first frame):
    the snapshot tests' `run_before`."""
    await pilot.pause()
    for key in presses:
        await pilot.press(key)
        await pilot.pause()
    await home_ready(pilot)
    await pilot.pause()


WAIT_LIMIT = 60.0
"""Seconds an explicit wait gives a condition before failing: generous, so that a loaded machine
is slow, never wrong. A passing test waits only as long as the condition takes."""


async def wait_until(pilot, condition: Callable[[], bool], what: str, limit: float = WAIT_LIMIT) -> None:
    """Let the app run until `condition()` holds; fail saying `what` was awaited if it never does."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:.0f} s for {what}")
        await pilot.pause(0.02)


async def press_and_answer(pilot, key: str, answer: str) -> None:
    """Press `key`, which asks a question, and `answer` it once the dialog is on screen: pressed
    together, the answer can arrive before the dialog is mounted on a busy machine (Pilot's wait
    for idleness takes a process the scheduler has set aside for an idle one) and go to the
    screen underneath instead."""
    from textual.screen import ModalScreen

    before = pilot.app.screen
    await pilot.press(key)
    await wait_until(pilot, lambda: pilot.app.screen is not before and isinstance(pilot.app.screen, ModalScreen),
                     f"the question {key!r} asks")
    await pilot.press(answer)


def _workspace(app):
    from coach.tui.screens.workspace import WorkspaceScreen

    return next((s for s in reversed(app.screen_stack) if isinstance(s, WorkspaceScreen)), None)


def check_is_current(app) -> bool:
    """True when the workspace's Problems show the checker's verdict on the very text a save would
    write now (the checker runs in a thread, after a quiet moment, so it lags behind each edit)."""
    screen = _workspace(app)
    if screen is None or screen.checked is None:
        return False
    document = screen.document
    text = document.pending().text if document.scenario is not None else (document.disk_text or "")
    return screen.checked.text == text


async def settle_workspace(pilot) -> None:
    """Until the workspace's checker has reported on the text being edited, and nothing is left running."""
    await pilot.pause()
    await wait_until(pilot, lambda: check_is_current(pilot.app), "the checker to report on the text being edited")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


class FakeClock:
    """A stand-in for `time.monotonic` that moves only when the test says so; counts its reads, so a
    test can wait until the code under test has looked at the time."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def play_to_debrief(app: CoachApp, pilot, *, pick=None) -> list[int]:
    """From the briefing, start and press keys until the debrief (see `finish_playing`)."""
    await pilot.press("enter")
    await settle(pilot)
    return await finish_playing(app, pilot, pick=pick)


async def finish_playing(app: CoachApp, pilot, *, pick=None, limit: int = 100) -> list[int]:
    """On the play screen, press keys until the debrief: a number for `pick(options)` (default:
    the first available choice), `s` (sure) when coach mode asks how sure, Enter past feedback and
    the ending. Returns the 0-based choice indices taken."""
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
        elif getattr(screen, "phase", None) == "confidence":
            await pilot.press("s")
        else:
            await pilot.press("enter")
        await settle(pilot)
    raise AssertionError("the playthrough did not reach the debrief")


async def leave_debrief(app: CoachApp, pilot) -> None:
    """From a finished debrief back to the screen under it (home): the first Escape skips the
    debrief's question (how will you do it next time), the second leaves."""
    from coach.tui.screens.debrief import DebriefScreen

    assert isinstance(app.screen, DebriefScreen)
    await pilot.press("escape", "escape")
    await settle(pilot)
