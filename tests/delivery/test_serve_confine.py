"""A served learner's app writes only inside that learner's folder (`coach.io.paths.confine`).

`coach serve` sets COACH_CONFINE for each learner's app; the debrief export and the new-scenario
wizard take their paths through `confine`, so a browser cannot write over the host's files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coach.io.paths import CONFINE_ENV, confine
from coach.tui.screens.dialogs import ExportScreen
from tui_helpers import QUIET, app_for, play_to_debrief, settle


def test_outside_a_served_app_a_path_is_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFINE_ENV, raising=False)
    for path in (Path("notes.md"), Path("/etc/motd"), Path("~/x.md"), Path("../up.md")):
        assert confine(path) == path


def test_a_served_app_writes_only_in_its_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "learners" / "abc"
    (root / "reports").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", root / "link")
    monkeypatch.setenv(CONFINE_ENV, str(root))
    assert confine(Path("notes.md")) == root.resolve() / "notes.md"
    assert confine(Path("reports/a.md")) == root.resolve() / "reports" / "a.md"
    assert confine(Path(str(root / "b.md"))) == root.resolve() / "b.md"
    for outside in ("../x.md", "reports/../../x.md", "/etc/motd", str(tmp_path / "x.md"), "~/x.md", "link/x.md"):
        with pytest.raises(PermissionError, match="only inside your own folder"):
            confine(Path(outside))


async def test_the_export_dialog_refuses_a_path_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = tmp_path / "learner"
    root.mkdir()
    elsewhere = tmp_path / "host"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv(CONFINE_ENV, str(root))
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await play_to_debrief(app, pilot)
        await pilot.press("escape", "e")  # Escape skips the debrief's question, whose input has focus
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path").value = str(elsewhere / "owned.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)  # still asking
        assert any("only inside your own folder" in n.message for n in app._notifications)
        assert not (elsewhere / "owned.md").exists()
        app.screen.query_one("#path").value = "mine.md"
        await pilot.press("enter")
        await settle(pilot)
        assert (root / "mine.md").is_file() and not (elsewhere / "mine.md").exists()


async def test_the_wizard_refuses_to_save_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from coach.tui.authoring import make_authoring_app
    from coach.tui.screens.wizard import CriteriaPicker, WizardScreen

    root = tmp_path / "learner"
    root.mkdir()
    outside = tmp_path / "host" / "launch.toml"
    monkeypatch.setenv(CONFINE_ENV, str(root))
    app = make_authoring_app("new", outside)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        for char in "Launch":
            await pilot.press(char)
        app.screen.query_one(CriteriaPicker).focus()
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WizardScreen)
        assert "only inside your own folder" in str(app.screen.query_one("#error-path").render())
    assert not outside.exists()
