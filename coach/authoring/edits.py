"""Pure edits of a Scenario for the author workspace: add, rename, duplicate, move, delete, update.

Every edit takes a Scenario and returns an `Edited` (the new Scenario, the item to select, and a
sentence saying what happened) or raises `EditRefused` with the reason in the author's words.
Nothing is mutated. Items are addressed by their place, the same paths the loader's diagnostics
use: `()` is the scenario, `("scenes", 2)` a scene, `("scenes", 2, "choices", 0)` a choice and
`("endings", 1)` an ending and `("setups", 0)` a setup. Places, not ids, because a half-written scenario may hold two items
with one id, and the workspace must still be able to select and fix each.

Setups (`[[setups]]`) are addressed the same way; their ids name a setup in `--setup` and in
session logs, never in the scenario itself, so a setup rename or delete has no references to
follow. A scenario with setups needs 2..16 of them: the edits say so rather than refuse, since
the first setup added is necessarily alone for a moment (the checker reports C093 until then).

Scene and ending ids are referenced by `start`, `goto`, outcome and route targets and
`on_timeout`: a rename rewrites every reference, and a delete is refused while any remain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec
from msgspec.structs import replace

from ..scenario.model import ID_PATTERN, SETUPS_MAX, SETUPS_MIN, Choice, Ending, Scenario, Scene, Setup

Path = tuple[str | int, ...]
Item = Scenario | Scene | Choice | Ending | Setup


class EditRefused(Exception):
    """An edit that would break the scenario; the message says why and what to do instead."""


@dataclass(frozen=True, slots=True)
class Edited:
    scenario: Scenario
    select: Path
    message: str


@dataclass(frozen=True, slots=True)
class Reference:
    path: Path
    """The item holding the reference (the scenario, a scene or a choice)."""
    where: str
    """Where, in words: "the start", "choice 2 of 'pager'", "route 1 of 'triage'"."""


# --- reading -----------------------------------------------------------------------------------


def get(scenario: Scenario, path: Path) -> Item:
    """The item at `path`; raises EditRefused if there is none (the tree was out of date)."""
    try:
        if path == ():
            return scenario
        if path[0] == "scenes" and len(path) == 2:
            return scenario.scenes[path[1]]  # type: ignore[index]
        if path[0] == "scenes" and len(path) == 4 and path[2] == "choices":
            return scenario.scenes[path[1]].choices[path[3]]  # type: ignore[index]
        if path[0] == "endings" and len(path) == 2:
            return scenario.endings[path[1]]  # type: ignore[index]
        if path[0] == "setups" and len(path) == 2:
            return scenario.setups[path[1]]  # type: ignore[index]
    except (IndexError, TypeError):
        pass
    raise EditRefused(f"there is no item at {describe_path(scenario, path)}; it may have been deleted")


def kind_of(path: Path) -> str:
    if path == ():
        return "scenario"
    if path[0] == "scenes":
        return "choice" if len(path) == 4 else "scene"
    if path[0] == "setups":
        return "setup"
    return "ending"


def describe_path(scenario: Scenario, path: Path) -> str:
    """An item in words: "scene 'pager'", "choice 2 of 'pager'", "ending 'contained'"."""
    kind = kind_of(path)
    if kind == "scenario":
        return "the scenario"
    if kind == "choice":
        scene_id = _safe_id(scenario.scenes, path[1])
        return f"choice {int(path[3]) + 1} of '{scene_id}'"
    by_kind: dict[str, Sequence[Scene | Ending | Setup]] = {
        "scene": scenario.scenes, "ending": scenario.endings, "setup": scenario.setups}
    return f"{kind} '{_safe_id(by_kind[kind], path[1])}'"


def _safe_id(items: Sequence[Scene | Ending | Setup], index: Any) -> str:
    return items[index].id if isinstance(index, int) and 0 <= index < len(items) else f"#{index}"


def references(scenario: Scenario, node_id: str, *, skip_scene: int | None = None) -> list[Reference]:
    """Every place that leads to `node_id`. `skip_scene` leaves out one scene's own references."""
    found: list[Reference] = []
    if scenario.start == node_id:
        found.append(Reference((), "the scenario's `start`"))
    for s_index, scene in enumerate(scenario.scenes):
        if s_index == skip_scene:
            continue
        for c_index, choice in enumerate(scene.choices):
            path = ("scenes", s_index, "choices", c_index)
            if choice.goto == node_id:
                found.append(Reference(path, f"choice {c_index + 1} of '{scene.id}'"))
            for o_index, outcome in enumerate(choice.outcomes or ()):
                if outcome.goto == node_id:
                    found.append(Reference(path, f"outcome {o_index + 1} of choice {c_index + 1} of '{scene.id}'"))
        for r_index, route in enumerate(scene.routes):
            if route.goto == node_id:
                found.append(Reference(("scenes", s_index), f"route {r_index + 1} of '{scene.id}'"))
        if scene.on_timeout == node_id:
            found.append(Reference(("scenes", s_index), f"the timeout of '{scene.id}'"))
    return found


def node_ids(scenario: Scenario) -> list[str]:
    return [scene.id for scene in scenario.scenes] + [ending.id for ending in scenario.endings]


def unique_id(scenario: Scenario, base: str) -> str:
    taken = set(node_ids(scenario))
    return _unique(base, taken)


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    stem = re.sub(r"-\d+$", "", base)
    while f"{stem}-{number}" in taken:
        number += 1
    return f"{stem}-{number}"


# --- adding ------------------------------------------------------------------------------------


def add_scene(scenario: Scenario, *, after: int | None = None) -> Edited:
    """A new scene after `after` (or last). It has no choices yet: add one next."""
    new_id = unique_id(scenario, "new-scene")
    scene = Scene(id=new_id, title="New scene", text="Replace with what the learner sees.\n")
    scenes = _insert(scenario.scenes, after, scene)
    index = scenes.index(scene)
    return Edited(replace(scenario, scenes=scenes), ("scenes", index), f"added scene '{new_id}'; give it a choice next")


def add_choice(scenario: Scenario, scene_index: int, *, after: int | None = None) -> Edited:
    """A new choice in a scene, leading to the first ending so that it is valid at once."""
    scene = get(scenario, ("scenes", scene_index))
    assert isinstance(scene, Scene)
    if scene.routes:
        raise EditRefused(f"scene '{scene.id}' routes on the state; a scene has choices or routes, not both. "
                          "Remove its routes first")
    target = scenario.endings[0].id if scenario.endings else scene.id
    choice = Choice(text="Replace with the decision as the learner reads it", goto=target)
    choices = _insert(scene.choices, after, choice)
    index = choices.index(choice)
    edited = _set_item(scenario, ("scenes", scene_index), replace(scene, choices=choices))
    return Edited(edited, ("scenes", scene_index, "choices", index),
                  f"added choice {index + 1} to '{scene.id}', leading to '{target}'; set where it goes and its feedback")


def add_ending(scenario: Scenario, *, after: int | None = None) -> Edited:
    new_id = unique_id(scenario, "new-ending")
    ending = Ending(id=new_id, title="New ending", rating="mixed", text="Replace with what happened, and why.\n")
    endings = _insert(scenario.endings, after, ending)
    index = endings.index(ending)
    return Edited(replace(scenario, endings=endings), ("endings", index), f"added ending '{new_id}'")


def add_setup(scenario: Scenario, *, after: int | None = None) -> Edited:
    """A new setup after `after` (or last), starting from the metrics' own start values."""
    if len(scenario.setups) >= SETUPS_MAX:
        raise EditRefused(f"a scenario has at most {SETUPS_MAX} setups; delete one first")
    new_id = _unique("new-setup", {s.id for s in scenario.setups})
    setup = Setup(id=new_id, title="Replace with what is really going on (shown only after the ending)")
    setups = _insert(scenario.setups, after, setup)
    index = setups.index(setup)
    lonely = len(setups) < SETUPS_MIN
    tail = "; add another: a scenario with setups needs at least two" if lonely else \
        "; give it the flags and start metrics that make it differ"
    return Edited(replace(scenario, setups=setups), ("setups", index), f"added setup '{new_id}'{tail}")


T = TypeVar("T")


def _insert(items: list[T], after: int | None, item: T) -> list[T]:
    position = len(items) if after is None else after + 1
    return [*items[:position], item, *items[position:]]


# --- renaming ----------------------------------------------------------------------------------


def rename(scenario: Scenario, path: Path, new_id: str) -> Edited:
    """A new id for a scene or ending (every reference follows) or a choice (blank clears it)."""
    new_id = new_id.strip()
    kind = kind_of(path)
    item = get(scenario, path)
    if kind == "scenario":
        _check_id(new_id, "scenario id")
        return Edited(replace(scenario, id=new_id), path, f"scenario id is now '{new_id}'")
    if kind == "choice":
        return _rename_choice(scenario, path, new_id)
    if kind == "setup":
        return _rename_setup(scenario, path, new_id)
    assert isinstance(item, (Scene, Ending))
    old = item.id
    if new_id == old:
        return Edited(scenario, path, "the id is unchanged")
    _check_id(new_id, f"{kind} id")
    if new_id in node_ids(scenario):
        raise EditRefused(f"'{new_id}' is already used; scene and ending ids share one namespace")
    if node_ids(scenario).count(old) > 1:
        # Two items share the old id: which one the references meant cannot be known.
        renamed = _set_item(scenario, path, replace(item, id=new_id))
        return Edited(renamed, path, f"renamed this {kind} to '{new_id}'; references to '{old}' were left, "
                                     f"because another item also has that id")
    count = len(references(scenario, old))
    renamed = _set_item(_retarget(scenario, old, new_id), path, replace(item, id=new_id))
    return Edited(renamed, path, f"renamed {kind} '{old}' to '{new_id}' and updated {_plural(count, 'reference')}")


def _rename_choice(scenario: Scenario, path: Path, new_id: str) -> Edited:
    scene = get(scenario, path[:2])
    choice = get(scenario, path)
    assert isinstance(scene, Scene) and isinstance(choice, Choice)
    if not new_id:
        return Edited(_set_item(scenario, path, replace(choice, id=None)), path, "the choice has no id now")
    _check_id(new_id, "choice id")
    others = [c.id for i, c in enumerate(scene.choices) if i != path[3]]
    if new_id in others:
        raise EditRefused(f"another choice in '{scene.id}' already has the id '{new_id}'")
    return Edited(_set_item(scenario, path, replace(choice, id=new_id)), path, f"the choice's id is now '{new_id}'")


def _rename_setup(scenario: Scenario, path: Path, new_id: str) -> Edited:
    setup = get(scenario, path)
    assert isinstance(setup, Setup)
    if new_id == setup.id:
        return Edited(scenario, path, "the id is unchanged")
    _check_id(new_id, "setup id")
    if new_id in (s.id for i, s in enumerate(scenario.setups) if i != path[1]):
        raise EditRefused(f"another setup already has the id '{new_id}'")
    return Edited(_set_item(scenario, path, replace(setup, id=new_id)), path,
                  f"renamed setup '{setup.id}' to '{new_id}'; `--setup {setup.id}` and old session logs name the old id")


def _check_id(value: str, what: str) -> None:
    if not re.fullmatch(ID_PATTERN, value):
        raise EditRefused(f"'{value}' cannot be a {what}: use lowercase letters, digits and hyphens, "
                          "starting with a letter or digit")


def _retarget(scenario: Scenario, old: str, new: str) -> Scenario:
    def swap(value: str | None) -> str | None:
        return new if value == old else value

    scenes = []
    for scene in scenario.scenes:
        choices = []
        for choice in scene.choices:
            outcomes = None
            if choice.outcomes is not None:
                outcomes = [replace(o, goto=swap(o.goto)) for o in choice.outcomes]
            choices.append(replace(choice, goto=swap(choice.goto), outcomes=outcomes))
        routes = [replace(r, goto=swap(r.goto)) for r in scene.routes]
        scenes.append(replace(scene, choices=choices, routes=routes, on_timeout=swap(scene.on_timeout)))
    return replace(scenario, start=swap(scenario.start) or scenario.start, scenes=scenes)


# --- duplicating, moving, deleting ----------------------------------------------------------------


def duplicate(scenario: Scenario, path: Path) -> Edited:
    kind = kind_of(path)
    item = get(scenario, path)
    if kind == "scenario":
        raise EditRefused("select a scene, choice, ending or setup to duplicate")
    if kind == "choice":
        scene = get(scenario, path[:2])
        assert isinstance(scene, Scene) and isinstance(item, Choice)
        copy = item
        if item.id is not None:
            copy = replace(item, id=_unique(f"{item.id}-copy", {c.id for c in scene.choices if c.id}))
        choices = _insert(scene.choices, int(path[3]), copy)
        edited = _set_item(scenario, path[:2], replace(scene, choices=choices))
        return Edited(edited, (*path[:3], int(path[3]) + 1), f"duplicated choice {int(path[3]) + 1} of '{scene.id}'")
    if kind == "setup":
        assert isinstance(item, Setup)
        if len(scenario.setups) >= SETUPS_MAX:
            raise EditRefused(f"a scenario has at most {SETUPS_MAX} setups; delete one first")
        setup_copy = replace(item, id=_unique(f"{item.id}-copy", {s.id for s in scenario.setups}))
        setups = _insert(scenario.setups, int(path[1]), setup_copy)
        return Edited(replace(scenario, setups=setups), ("setups", int(path[1]) + 1),
                      f"duplicated setup '{item.id}' as '{setup_copy.id}'")
    assert isinstance(item, (Scene, Ending))
    node_copy = replace(item, id=unique_id(scenario, f"{item.id}-copy"))
    field = "scenes" if kind == "scene" else "endings"
    items = _insert(getattr(scenario, field), int(path[1]), node_copy)
    return Edited(replace(scenario, **{field: items}), (field, int(path[1]) + 1),
                  f"duplicated {kind} '{item.id}' as '{node_copy.id}'; nothing leads to it yet")


def move(scenario: Scenario, path: Path, delta: int) -> Edited:
    """Move an item up (-1) or down (+1) among its siblings. Order matters for choices (their
    numbers) and for the file; it never changes where anything leads."""
    kind = kind_of(path)
    if kind == "scenario":
        raise EditRefused("select a scene, choice, ending or setup to move")
    get(scenario, path)
    index = int(path[-1])
    if kind == "choice":
        scene = get(scenario, path[:2])
        assert isinstance(scene, Scene)
        items = list(scene.choices)
    else:
        items = list(getattr(scenario, str(path[0])))
    target = index + delta
    if not 0 <= target < len(items):
        raise EditRefused(f"{describe_path(scenario, path)} is already {'first' if delta < 0 else 'last'}")
    items[index], items[target] = items[target], items[index]
    if kind == "choice":
        edited = _set_item(scenario, path[:2], replace(scene, choices=items))
    else:
        edited = replace(scenario, **{str(path[0]): items})
    new_path = (*path[:-1], target)
    return Edited(edited, new_path, f"moved {describe_path(scenario, path)} {'up' if delta < 0 else 'down'}")


def delete(scenario: Scenario, path: Path) -> Edited:
    """Delete an item, refused while anything still leads to it (the reason names each place)."""
    kind = kind_of(path)
    item = get(scenario, path)
    if kind == "scenario":
        raise EditRefused("the scenario itself cannot be deleted here; delete the file instead")
    if kind == "choice":
        scene = get(scenario, path[:2])
        assert isinstance(scene, Scene)
        choices = [c for i, c in enumerate(scene.choices) if i != path[3]]
        edited = _set_item(scenario, path[:2], replace(scene, choices=choices))
        note = "" if choices else f"; '{scene.id}' has no choices now, so give it one (or routes)"
        select: Path = (*path[:3], min(int(path[3]), len(choices) - 1)) if choices else path[:2]
        return Edited(edited, select, f"deleted choice {int(path[3]) + 1} of '{scene.id}'{note}")
    if kind == "setup":
        assert isinstance(item, Setup)
        index = int(path[1])
        setups = [s for i, s in enumerate(scenario.setups) if i != index]
        select = ("setups", min(index, len(setups) - 1)) if setups else ()
        note = ""
        if len(setups) == 1:
            note = f"; '{setups[0].id}' is the only setup left: add another, or delete it too (one setup is no variation)"
        elif not setups:
            note = "; the scenario has no setups now, so every session starts the same"
        return Edited(replace(scenario, setups=setups), select, f"deleted setup '{item.id}'{note}")
    assert isinstance(item, (Scene, Ending))
    field = "scenes" if kind == "scene" else "endings"
    items = getattr(scenario, field)
    index = int(path[1])
    if len(items) == 1:
        raise EditRefused(f"'{item.id}' is the only {kind}; a scenario needs at least one {kind}")
    if node_ids(scenario).count(item.id) == 1:
        refs = references(scenario, item.id, skip_scene=index if kind == "scene" else None)
        if refs:
            places = "; ".join(r.where for r in refs)
            verb, them = ("leads", "it") if len(refs) == 1 else ("lead", "them")
            raise EditRefused(f"cannot delete {kind} '{item.id}': {places} {verb} to it; point {them} elsewhere first")
    remaining = [x for i, x in enumerate(items) if i != index]
    edited = replace(scenario, **{field: remaining})
    select = (field, min(index, len(remaining) - 1))
    return Edited(edited, select, f"deleted {kind} '{item.id}'")


# --- field updates -----------------------------------------------------------------------------


def update(scenario: Scenario, path: Path, **changes: Any) -> Edited:
    """Set fields of the item at `path`. Ids go through `rename`, so references follow."""
    if "id" in changes:
        raise EditRefused("change an id with rename, so that references follow")
    item = get(scenario, path)
    fields = type(item).__struct_fields__
    unknown = [k for k in changes if k not in fields]
    if unknown:
        raise EditRefused(f"{describe_path(scenario, path)} has no field {', '.join(unknown)}")
    try:
        updated = replace(item, **changes)
    except (TypeError, msgspec.ValidationError) as error:
        raise EditRefused(str(error)) from None
    names = ", ".join(changes)
    return Edited(_set_item(scenario, path, updated), path, f"set {names} of {describe_path(scenario, path)}")


def _set_item(scenario: Scenario, path: Path, item: Any) -> Scenario:
    if path == ():
        assert isinstance(item, Scenario)
        return item
    if path[0] in ("endings", "setups"):
        items = list(getattr(scenario, str(path[0])))
        items[int(path[1])] = item
        return replace(scenario, **{str(path[0]): items})
    scenes = list(scenario.scenes)
    index = int(path[1])
    if len(path) == 2:
        scenes[index] = item
    else:
        choices = list(scenes[index].choices)
        choices[int(path[3])] = item
        scenes[index] = replace(scenes[index], choices=choices)
    return replace(scenario, scenes=scenes)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


__all__ = [
    "EditRefused", "Edited", "Reference", "add_choice", "add_ending", "add_scene", "add_setup", "delete",
    "describe_path", "duplicate", "get", "kind_of", "move", "node_ids", "references", "rename", "unique_id", "update",
]
