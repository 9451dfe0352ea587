"""The file open in the author workspace: its scenario, edit history, checks and saving.

Pure (no Textual), so everything the workspace does to a file is tested without a screen.

Opening is lenient where `coach check` is strict: a file whose TOML and types are right opens
even while its rules are broken (a goto to nowhere, chances that do not sum to 1), because
fixing those is what the workspace is for. The same checker as `coach check` then reports them,
on the text a save would write, and each diagnostic is mapped to the scene, choice or ending
whose lines it points at. A file whose TOML or types are wrong cannot be shown as a form: it
opens with its diagnostics only, to be fixed in an editor.
"""

from __future__ import annotations

import difflib
import os
import stat
import unicodedata
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from ..scenario.diagnostics import Diagnostic
from ..analysis.checking import check_text
from ..scenario.model import Scenario
from .edits import Edited
from .saving import Saved, save_text, table_headers
from .watch import FileStamp
from .writer import scenario_to_toml

ItemPath = tuple[str | int, ...]
HISTORY_LIMIT = 200
DIFF_LINES = 14
"""Lines of diff shown when the file changed on disk; the rest is counted, not shown."""


class ChangedOnDisk(Exception):
    """Another program changed the file since it was read or written here: a save would lose that.

    `current` is the file's text now; `diff` a short unified diff from the text this workspace
    read to it, what an overwrite would throw away (it is kept in a backup).
    """

    def __init__(self, path: Path, base: str, current: str) -> None:
        super().__init__(f"{path} was changed by another program since it was opened here")
        self.path = path
        self.current = current
        self.diff = short_diff(base, current, path.name)


class ReadOnly(OSError):
    """The file is not writable: a save refuses rather than replacing it behind its permissions."""


@dataclass
class Checked:
    """The checker's verdict on the text a save would write."""

    text: str
    diagnostics: list[Diagnostic]
    items: list[ItemPath]
    """For each diagnostic, the item it is about (`()` for the scenario itself)."""

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


@dataclass
class Document:
    path: Path
    disk_text: str | None
    """The file's text when last read or written: the base a save edits. None for a new file."""
    scenario: Scenario | None
    problems: list[Diagnostic] = field(default_factory=list)
    """Why the file cannot be shown as a form (TOML or type errors); empty when it can."""
    saved: Scenario | None = None
    undo_stack: list[tuple[Scenario, str]] = field(default_factory=list)
    redo_stack: list[tuple[Scenario, str]] = field(default_factory=list)
    stamp: FileStamp | None = None
    _coalesce: object = None

    # --- opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str) -> Document:
        path = Path(path)
        stamp = FileStamp.of(str(path))
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(f"no such file: {path}; create one with `coach new {path}`") from None
        except OSError as error:
            raise OSError(f"cannot read {path}: {error.strerror or error}") from None
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            text = None
        if text is None:
            from ..analysis.checking import check_bytes

            return cls(path, None, None, problems=check_bytes(data, str(path)).diagnostics, stamp=stamp)
        scenario = lenient(text)
        if scenario is None:
            return cls(path, text, None, problems=check_text(text, str(path)).diagnostics, stamp=stamp)
        return cls(path, text, scenario, saved=scenario, stamp=stamp)

    @classmethod
    def new(cls, path: Path | str, scenario: Scenario) -> Document:
        """A document for a file about to be created (nothing on disk yet)."""
        return cls(Path(path), None, scenario)

    @property
    def openable(self) -> bool:
        return self.scenario is not None

    @property
    def dirty(self) -> bool:
        return self.scenario is not None and self.scenario != self.saved

    # --- editing ----------------------------------------------------------------------------------
    def apply(self, edited: Edited, *, coalesce: object = None) -> None:
        """Take an edit. Consecutive edits with the same `coalesce` key (typing in one field) undo as one."""
        assert self.scenario is not None
        if edited.scenario == self.scenario:
            return
        if coalesce is None or coalesce != self._coalesce or not self.undo_stack:
            self.undo_stack.append((self.scenario, edited.message))
            del self.undo_stack[:-HISTORY_LIMIT]
        self._coalesce = coalesce
        self.redo_stack.clear()
        self.scenario = edited.scenario

    def undo(self) -> str | None:
        """Go back one edit; returns what was undone, or None when there is nothing to undo."""
        if not self.undo_stack or self.scenario is None:
            return None
        previous, message = self.undo_stack.pop()
        self.redo_stack.append((self.scenario, message))
        self.scenario = previous
        self._coalesce = None
        return message

    def redo(self) -> str | None:
        if not self.redo_stack or self.scenario is None:
            return None
        following, message = self.redo_stack.pop()
        self.undo_stack.append((self.scenario, message))
        self.scenario = following
        self._coalesce = None
        return message

    def end_typing(self) -> None:
        """The next field edit starts a new undo step (called when focus leaves a field)."""
        self._coalesce = None

    # --- checking and saving ----------------------------------------------------------------------
    def pending(self) -> Saved:
        """What a save would write now."""
        assert self.scenario is not None
        return save_text(self.scenario, self.disk_text)

    def check(self) -> Checked:
        """`coach check` on the text a save would write, each diagnostic mapped to its item."""
        if self.scenario is None:
            text = self.disk_text or ""
            return Checked(text, list(self.problems), [() for _ in self.problems])
        text = self.pending().text
        result = check_text(text, str(self.path))
        return Checked(text, result.diagnostics, [item_at_line(text, d.line) for d in result.diagnostics])

    def changed_on_disk(self) -> bool:
        """True when the file changed since it was opened or saved here (another editor wrote it)."""
        return self.stamp is not None and self.stamp.changed()

    def external_text(self) -> str | None:
        """The file's text when another program changed it since it was read or written here, else None.

        Compares the content itself with the text this document last read or wrote, every time
        it is asked (a change seen once by the poller is still a change at save time). A file
        that is gone is not a change a save could lose.
        """
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        current = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        if self.disk_text is None:
            return current  # a file appeared where a new one was to be written
        return None if current == self.disk_text else current

    def read_only(self) -> bool:
        """True when the file exists and its permissions do not let its owner write it.

        The mode bits are read rather than `os.access`, which says yes to root; a save replaces
        the file by a rename, which a read-only file would not otherwise stop.
        """
        try:
            mode = self.path.stat().st_mode
        except OSError:
            return False
        return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(self.path, os.W_OK)

    def save(self, *, overwrite: bool = False) -> Saved:
        """Write the file (atomically: a temporary file, then a rename). Raises OSError with a sentence.

        Raises `ChangedOnDisk` when another program changed the file since it was read here,
        unless `overwrite`: then that version is first copied to `FILE.bak` (`Saved.backup`).
        Raises `ReadOnly` when the file is read-only; nothing is written.
        """
        assert self.scenario is not None
        if self.read_only():
            raise ReadOnly(f"{self.path} is read-only, so it was not saved. Make it writable "
                           f"(chmod u+w {self.path}) and save again; your edits are still here")
        current = self.external_text()
        if current is not None and not overwrite:
            raise ChangedOnDisk(self.path, self.disk_text or "", current)
        saved = self.pending()
        if current is not None:
            backup = backup_path(self.path)
            write_atomically(backup, current)
            saved.backup = str(backup)
        write_atomically(self.path, saved.text)
        self.disk_text = saved.text
        self.saved = self.scenario
        self.stamp = FileStamp.of(str(self.path))
        return saved


def lenient(text: str) -> Scenario | None:
    """The scenario a text describes when its TOML and types are right, whatever its rules say."""
    try:
        return msgspec.convert(tomllib.loads(text), Scenario)
    except (tomllib.TOMLDecodeError, msgspec.ValidationError, RecursionError):
        return None


def item_at_line(text: str, line: int) -> ItemPath:
    """The scene, choice, ending or setup whose block holds `line` (1-based); `()` for the rest."""
    best: ItemPath = ()
    best_line = -1
    for path, header_line, array in table_headers(text):
        if header_line + 1 > line or header_line < best_line:
            continue
        if array and len(path) == 2 and path[0] in ("scenes", "endings"):
            best, best_line = path, header_line
        elif array and len(path) == 4 and path[0] == "scenes" and path[2] == "choices":
            best, best_line = path, header_line
        elif array and len(path) == 2 and path[0] == "setups":
            best, best_line = path, header_line
        elif path and path[0] not in ("scenes", "endings"):
            best, best_line = (), header_line
    return best


def backup_path(path: Path) -> Path:
    """Where an overwritten external version is kept: `FILE.bak` beside the file."""
    return path.with_name(path.name + ".bak")


def short_diff(before: str, after: str, name: str, limit: int = DIFF_LINES) -> list[str]:
    """A unified diff of at most `limit` lines (then a count of the rest), safe to show.

    Control characters from the file are shown as `?`, never sent to the terminal.
    """
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), f"{name} (opened here)",
                                      f"{name} (on disk now)", n=1, lineterm=""))
    shown = [_printable(line)[:200] for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"… {len(lines) - limit} more diff lines")
    return shown


def _printable(line: str) -> str:
    return "".join("?" if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\t" else ch for ch in line)


def write_atomically(path: Path, text: str) -> None:
    """A saved file keeps its mode, a new one gets 0666 less the umask, as an editor would give it."""
    from ..io.atomic import write_atomic

    path = Path(path)
    try:
        write_atomic(path, text)
    except OSError as error:
        raise OSError(f"cannot save {path}: {error.strerror or error}") from None


def write_new(path: Path, scenario: Scenario) -> str:
    """Write a new scenario file (the wizard); returns the text written."""
    text = scenario_to_toml(scenario)
    write_atomically(path, text)
    return text


