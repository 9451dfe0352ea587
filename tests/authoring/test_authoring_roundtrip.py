"""Saving an edit into every built-in scenario changes the lines of the edit and nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from coach.authoring import edits, saving
from coach.authoring.document import lenient

SCENARIOS = sorted(p for p in (Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml") if p.name != "rubric.toml")


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    """(removed, added) line pairs, for edits that replace lines one for one."""
    pairs = []
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = before.splitlines()[i1:i2], after.splitlines()[j1:j2]
        assert len(old) == len(new), f"lines added or removed:\n{old}\n{new}"
        pairs.extend(zip(old, new))
    return pairs


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_an_unchanged_builtin_scenario_saves_byte_for_byte(path: Path) -> None:
    text = path.read_text("utf-8")
    scenario = lenient(text)
    assert scenario is not None
    assert saving.save_text(scenario, text).text == text


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_renaming_any_target_changes_only_the_lines_that_name_it(path: Path) -> None:
    """A rename rewrites gotos inside multi-line `outcomes` and `routes` arrays; the arrays keep
    their indentation and every other element and key byte for byte."""
    text = path.read_text("utf-8")
    scenario = lenient(text)
    assert scenario is not None
    in_arrays = {o.goto for s in scenario.scenes for c in s.choices for o in (c.outcomes or ())}
    in_arrays |= {r.goto for s in scenario.scenes for r in (s.routes or ())}
    targets = [("scenes", i) for i, s in enumerate(scenario.scenes) if s.id in in_arrays]
    targets += [("endings", i) for i, e in enumerate(scenario.endings) if e.id in in_arrays]
    for where in [("scenes", 0), *targets[:4]]:  # a few of each file keep the test quick
        old_id = edits.get(scenario, where).id
        renamed = edits.rename(scenario, where, old_id + "-x").scenario
        saved = saving.save_text(renamed, text)
        assert saved.kept_layout, saved.note
        changed = _diff(text, saved.text)
        assert changed, old_id
        for removed, added in changed:
            assert f'"{old_id}"' in removed, (old_id, removed)
            assert added == removed.replace(f'"{old_id}"', f'"{old_id}-x"'), (removed, added)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_editing_one_choice_changes_its_line_only(path: Path) -> None:
    text = path.read_text("utf-8")
    scenario = lenient(text)
    assert scenario is not None
    for s_index, scene in enumerate(scenario.scenes[::3]):  # every third scene keeps the test quick
        s_index *= 3
        for c_index, choice in enumerate(scene.choices[:2]):
            if "\n" in choice.text:
                continue
            edited = edits.update(scenario, ("scenes", s_index, "choices", c_index), text=choice.text + " now").scenario
            saved = saving.save_text(edited, text)
            assert len(_diff(text, saved.text)) == 1, (scene.id, c_index)
