"""An edit pending in `coach edit` is never saved over another program's change, or over a
read-only file, without the author choosing to."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coach.authoring import edits
from coach.authoring.document import ChangedOnDisk, Document, ReadOnly
from coach.tui.authoring import make_authoring_app
from coach.tui.screens.workspace import DiskChangedScreen, WorkspaceScreen
from tui_helpers import AUTHORING_SIZE, notices, settle_workspace, wait_until

def replace_by_rename(path: Path, old: str, new: str) -> None:
    """As `sed -i` does: a new file renamed over the old one."""
    temporary = path.with_name(path.name + ".sed")
    temporary.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    os.replace(temporary, path)


def write_in_place(path: Path, old: str, new: str) -> None:
    """As many editors do: the same inode, truncated and rewritten."""
    text = path.read_text("utf-8").replace(old, new)
    with open(path, "r+", encoding="utf-8") as handle:
        handle.seek(0)
        handle.truncate()
        handle.write(text)


CHANGES = {"replace": replace_by_rename, "in-place": write_in_place}


async def _settle(pilot, app) -> None:
    await settle_workspace(pilot)  # the checker waits for a quiet moment before it runs


async def _edit_and_change_on_disk(pilot, app, draft: Path, change) -> WorkspaceScreen:
    await _settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, WorkspaceScreen)
    await pilot.press("e")  # add an ending: an unsaved edit
    await pilot.pause()
    assert screen.document.dirty
    change(draft, 'title = "Rolled back"', 'title = "Rolled back by sed"')
    # The poller looks at the file every second: wait until it has seen the change and warned.
    await wait_until(pilot, lambda: any(f"{draft.name} changed on disk." in n for n in notices(app)),
                     "the workspace to notice the change on disk")
    await pilot.pause()
    return screen


@pytest.mark.parametrize("how", sorted(CHANGES))
async def test_ctrl_s_after_an_external_change_asks_with_a_diff_and_cancel_keeps_both(draft: Path, how: str) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        screen = await _edit_and_change_on_disk(pilot, app, draft, CHANGES[how])
        for _ in range(2):  # asked every time, not only the first time the change is seen
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, DiskChangedScreen)
            diff = str(app.screen.query_one("#disk-diff").render())
            assert '-title = "Rolled back"' in diff and '+title = "Rolled back by sed"' in diff
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen and screen.document.dirty
    assert 'title = "Rolled back by sed"' in draft.read_text()
    assert 'new-ending' not in draft.read_text()
    assert not (draft.parent / "draft.toml.bak").exists()


@pytest.mark.parametrize("how", sorted(CHANGES))
async def test_overwrite_saves_the_edit_and_keeps_the_other_version_in_a_backup(draft: Path, how: str) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _edit_and_change_on_disk(pilot, app, draft, CHANGES[how])
        external = draft.read_text()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any(f"kept in {draft}.bak" in n for n in notes), notes
    assert 'id = "new-ending"' in draft.read_text()
    assert (draft.parent / "draft.toml.bak").read_text() == external


async def test_reload_takes_the_file_on_disk_and_drops_the_edit(draft: Path) -> None:
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        screen = await _edit_and_change_on_disk(pilot, app, draft, replace_by_rename)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")
        await _settle(pilot, app)
        assert not screen.document.dirty
        assert screen.document.scenario.nodes["rolled-back"].title == "Rolled back by sed"
        assert "new-ending" not in screen.document.scenario.nodes
    assert "new-ending" not in draft.read_text()


async def test_saving_over_a_read_only_file_refuses_and_says_so(draft: Path) -> None:
    before = draft.read_text()
    draft.chmod(0o444)
    app = make_authoring_app("edit", draft)
    async with app.run_test(size=AUTHORING_SIZE) as pilot:
        await _settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any("is read-only, so it was not saved" in n for n in notes), notes
        assert app.screen.document.dirty
    assert draft.read_text() == before
    assert stat.S_IMODE(draft.stat().st_mode) == 0o444


def test_the_document_refuses_an_external_change_until_told_to_overwrite(draft: Path) -> None:
    document = Document.open(draft)
    document.apply(edits.add_ending(document.scenario))
    write_in_place(draft, "Rolled back", "Rolled back twice")
    assert document.changed_on_disk()  # the poller sees it once …
    with pytest.raises(ChangedOnDisk) as raised:
        document.save()  # … and the save still refuses
    assert any(line.startswith("+") and "twice" in line for line in raised.value.diff)
    saved = document.save(overwrite=True)
    assert saved.backup == f"{draft}.bak"
    assert "twice" in Path(saved.backup).read_text()
    assert document.external_text() is None
    document.apply(edits.add_ending(document.scenario))
    document.save()  # our own save is not an external change


def test_a_read_only_file_is_never_replaced(draft: Path) -> None:
    document = Document.open(draft)
    document.apply(edits.add_ending(document.scenario))
    draft.chmod(0o444)
    with pytest.raises(ReadOnly, match="read-only"):
        document.save(overwrite=True)
    assert "new-ending" not in draft.read_text()
