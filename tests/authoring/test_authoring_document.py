"""The workspace's document and form fields, without a screen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coach.authoring import edits, fields
from coach.authoring.document import Document, item_at_line
from coach.scenario.loader import load_scenario
from coach.scenario.model import Choice, Outcome

HANDWRITTEN = Path(__file__).resolve().parent / "data" / "handwritten.toml"


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.toml"
    shutil.copy(HANDWRITTEN, path)
    return path


def test_open_check_edit_undo_save(draft: Path) -> None:
    document = Document.open(draft)
    assert document.openable and not document.dirty
    assert [d for d in document.check().diagnostics if d.code != "W121"] == []  # short by design (W121)
    document.apply(edits.rename(document.scenario, ("endings", 0), "resolved"))
    document.apply(edits.update(document.scenario, ("scenes", 0), title="Page"), coalesce=("t",))
    document.apply(edits.update(document.scenario, ("scenes", 0), title="Paged"), coalesce=("t",))
    assert document.dirty and len(document.undo_stack) == 2  # typing in one field undoes as one step
    assert document.undo() == "set title of scene 'pager'"
    assert document.scenario.scenes[0].title == "03:12 - the alert fires"
    assert document.redo() == "set title of scene 'pager'"
    saved = document.save()
    assert saved.kept_layout and not document.dirty
    assert load_scenario(draft).scenario == document.scenario
    assert not document.changed_on_disk()
    draft.write_text(draft.read_text() + "\n# touched by another editor\n")
    assert document.changed_on_disk()


def test_rule_errors_still_open_type_errors_do_not(draft: Path) -> None:
    text = HANDWRITTEN.read_text()
    draft.write_text(text.replace('goto = "contained"', 'goto = "nowhere"'))
    document = Document.open(draft)
    assert document.openable
    checked = document.check()
    assert [d.code for d in checked.diagnostics] == ["C012"]
    assert checked.items == [("scenes", 1, "choices", 0)]
    draft.write_text(text.replace("minutes = 15", 'minutes = "15"'))
    broken = Document.open(draft)
    assert not broken.openable and [d.code for d in broken.problems] == ["C009"]
    assert broken.check().diagnostics == broken.problems


def test_diagnostics_map_to_the_block_they_are_in() -> None:
    text = HANDWRITTEN.read_text()
    lines = text.split("\n")
    line_of = lambda needle: next(i for i, line in enumerate(lines, start=1) if needle in line)  # noqa: E731
    assert item_at_line(text, 1) == ()
    assert item_at_line(text, line_of("monitoring = 3")) == ()
    assert item_at_line(text, line_of('id = "pager"')) == ("scenes", 0)
    assert item_at_line(text, line_of("# --- act one")) == ()  # a comment above a header is not yet the block
    assert item_at_line(text, line_of('reflex = "launch-gate"')) == ("scenes", 0, "choices", 1)
    assert item_at_line(text, line_of('routes = [')) == ("scenes", 2)
    assert item_at_line(text, len(lines)) == ("endings", 2)


def test_save_errors_are_sentences(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    shutil.copy(HANDWRITTEN, path)
    document = Document.open(path)
    document.apply(edits.add_ending(document.scenario))
    path.unlink()
    path.mkdir()  # something that cannot be replaced by a file, even for root
    with pytest.raises(OSError, match=r"^cannot save .*s\.toml: Is a directory$"):
        document.save()
    assert document.dirty and list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    with pytest.raises(FileNotFoundError, match="create one with `coach new"):
        Document.open(tmp_path / "missing.toml")


FIELDS = {kind: {f.name: f for f in specs} for kind, specs in fields.FIELDS.items()}


@pytest.mark.parametrize("kind, name, text, value", [
    ("choice", "score", "{ failure = 2, monitoring = -1 }", {"failure": 2, "monitoring": -1}),
    ("choice", "score", "", {}),
    ("choice", "goto", "", None),
    ("choice", "requires", "  not rolled_back ", "not rolled_back"),
    ("choice", "reflex", "", None),
    ("choice", "takes", "", 0),
    ("choice", "outcomes", '[ { chance = 1, goto = "a" } ]', [Outcome(chance=1.0, goto="a")]),
    ("scene", "time_limit", "", None),
    ("scene", "text", "line one\nline two\n", "line one\nline two\n"),
    ("scenario", "clock_start", "", None),
    ("scenario", "tags", '["a", "b"]', ["a", "b"]),
])
def test_field_text_to_values(kind: str, name: str, text: str, value: object) -> None:
    assert fields.parse(kind, FIELDS[kind][name], text) == value


@pytest.mark.parametrize("kind, name, text, message", [
    ("choice", "score", "{ failure = 4 }", "must be at most 3"),
    ("choice", "score", "failure = 2", "not a TOML value"),
    ("choice", "set", '["Rolled"]', "expected a name"),
    ("choice", "takes", "soon", "must be a whole number"),
    ("scenario", "minutes", "", "minutes is required"),
    ("scenario", "clock_start", "25:61", "expected a time of day, HH:MM"),
    ("scenario", "metrics", "p = { label = 1, start = 0 }", "expected `str`"),
])
def test_field_errors_say_what_is_expected(kind: str, name: str, text: str, message: str) -> None:
    with pytest.raises(fields.FieldError, match=message):
        fields.parse(kind, FIELDS[kind][name], text)


def test_every_value_shown_in_a_field_reads_back_the_same() -> None:
    scenario = load_scenario(HANDWRITTEN).scenario
    items = [("scenario", scenario)] + [("scene", s) for s in scenario.scenes] + [("ending", e) for e in scenario.endings]
    items += [("choice", c) for s in scenario.scenes for c in s.choices]
    items.append(("choice", Choice(text="t", outcomes=[Outcome(chance=0.5, goto="a", text='say "hi"'), Outcome(chance=0.5, goto="b")])))
    for kind, item in items:
        for field in fields.FIELDS[kind]:
            if field.kind == "id":
                continue
            assert fields.parse(kind, field, fields.show(item, field)) == getattr(item, field.name), (kind, field.name)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_a_new_file_gets_the_usual_permissions_not_0600(tmp_path, umask: int, mode: int) -> None:
    """`coach new` writes through write_new: the file is as readable as any the author makes."""
    import os
    import stat

    from coach.authoring.document import write_new
    from coach.authoring.scaffold import Answers, starter

    previous = os.umask(umask)
    try:
        path = tmp_path / "new.toml"
        write_new(path, starter(Answers(title="Modes", role="AI PM", criteria={"evaluation": 2})))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == mode
