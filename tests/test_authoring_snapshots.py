"""Pictures of the authoring screens (the `coach new` wizard and the `coach edit` workspace) in
one theme at 120x36, against fixed files, so only a change to the app changes them.

Update with `pytest tests/test_authoring_snapshots.py --snapshot-update`, after looking at the
new pictures (snapshot_report.html shows them side by side).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.config import settings
from coach.tui.authoring import make_authoring_app
from tui_helpers import settle_workspace

SIZE = (120, 36)
THEME = "coach-night"
TUTORIAL = Path(__file__).resolve().parent / "authoring" / "data" / "shadow-launch.toml"


@pytest.fixture
def in_colour(monkeypatch: pytest.MonkeyPatch, coach_home: Path) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)  # the pictures are in colour
    settings.save(settings.Settings(theme=THEME))


@pytest.fixture
def draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tutorial's finished scenario, with one feedback removed so Problems has a warning."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "shadow-launch.toml"
    shutil.copy(TUTORIAL, path)
    text = path.read_text()
    cut = text.index('  feedback = "The shadow week found')
    path.write_text(text[:cut] + text[text.index("\n", cut) + 1:])
    return path


async def settle(pilot) -> None:
    """Until the workspace's checker (a thread, after a quiet moment) has reported."""
    await settle_workspace(pilot)


def test_wizard(snap_compare, in_colour: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    async def answer(pilot) -> None:
        await pilot.pause()
        await pilot.press(*["space" if c == " " else c for c in "Shadow Launch"])
        criteria = pilot.app.screen.query_one("#criteria")
        criteria.focus()
        await pilot.press("3", "down", "down", "down", "down", "2")
        await pilot.pause()

    app = make_authoring_app("new", Path("drafts/shadow-launch.toml"))
    assert snap_compare(app, terminal_size=SIZE, run_before=answer)


def test_wizard_errors(snap_compare, in_colour: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    async def create_blank(pilot) -> None:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    app = make_authoring_app("new", Path("drafts/shadow-launch.toml"))
    assert snap_compare(app, terminal_size=SIZE, run_before=create_blank)


def test_workspace(snap_compare, in_colour: None, draft: Path) -> None:
    async def to_the_choice(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#ws-tree").select_path(("scenes", 1, "choices", 1))
        await settle(pilot)

    assert snap_compare(make_authoring_app("edit", draft), terminal_size=SIZE, run_before=to_the_choice)


def test_workspace_refusal(snap_compare, in_colour: None, draft: Path) -> None:
    """A delete refused with its reason, in the notice."""

    async def delete_a_referenced_ending(pilot) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#ws-tree").select_path(("endings", 1))
        await settle(pilot)
        await pilot.press("x")
        await pilot.pause()

    assert snap_compare(make_authoring_app("edit", draft), terminal_size=SIZE, run_before=delete_a_referenced_ending)
