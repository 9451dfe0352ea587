"""Save an edited Scenario into the file an author wrote by hand, keeping what they wrote.

`writer.scenario_to_toml` writes a fresh file; it cannot keep comments. This module starts
from the file's own text instead and changes only what the edit changed:

- The file is cut into blocks: the head (top-level keys, `[criteria]`, `[metrics.*]`,
  `[[setups]]`), each
  `[[scenes]]` with its own keys, each `[[scenes.choices]]`, each `[[endings]]`. Comment lines
  directly above a header (no blank line between) belong to that header's block.
- Each item of the new scenario is matched to the item of the old one it came from: by id, and
  for a renamed item by its content.
- An unchanged block is copied byte for byte. In a changed block, keys whose values did not
  change keep their text and comments; changed keys are rewritten in the writer's style (with the
  old line's end-of-line comment carried over for one-line values), removed keys go, new keys are
  added in place through tomlkit. New items are written by the writer; deleted items go with the
  comments above them.

The result must load back into exactly the scenario asked for. If it does not (a layout this
module does not understand, such as scenes written as one inline array), the whole file is
written by the writer instead and `Saved.note` says that comments and layout were not kept.
docs/authoring.md lists the same rules for authors.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import msgspec
import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Table
from tomlkit.items import Item as TomlItem

from ..scenario.model import Choice, Ending, Metric, Scenario, Setup
from ..scenario.tomlpos import Path, scan
from . import writer

# --- the result --------------------------------------------------------------------------------


@dataclass
class Saved:
    text: str
    kept_layout: bool
    """True when the author's file was the base: their comments and layout are in `text`."""
    note: str = ""
    """Why the file was written afresh, when it was."""
    backup: str | None = None
    """Where the version another program wrote was kept, when a save overwrote it."""


def save_text(scenario: Scenario, original: str | None) -> Saved:
    """The text to write for `scenario`, given the file's current text (None for a new file)."""
    fresh = writer.scenario_to_toml(scenario)
    if original is None or not original.strip():
        return Saved(fresh, kept_layout=False)
    try:
        old = msgspec.convert(tomllib.loads(original), Scenario)
    except (tomllib.TOMLDecodeError, msgspec.ValidationError):
        return Saved(fresh, False, "the file on disk did not load, so it was written afresh; its comments were not kept")
    if old == scenario:
        return Saved(original, kept_layout=True)
    try:
        text = _Merge(original, old, scenario).run()
    except _Unsupported as reason:
        return Saved(fresh, False, f"{reason}, so the file was written afresh; its comments were not kept")
    if not _loads_equal(text, scenario):
        return Saved(fresh, False, "this file's layout could not be edited in place, so it was written afresh; "
                                   "its comments were not kept")
    return Saved(text, kept_layout=True)


def _loads_equal(text: str, scenario: Scenario) -> bool:
    try:
        return msgspec.convert(tomllib.loads(text), Scenario) == scenario
    except (tomllib.TOMLDecodeError, msgspec.ValidationError):
        return False


class _Unsupported(Exception):
    """A layout the in-place saver does not handle; the message says which, for the note."""


# --- cutting the file into blocks ----------------------------------------------------------------


@dataclass
class Block:
    kind: str  # head | other | scene | choice | ending
    key: Any  # scene index | (scene index, choice index) | ending index | None
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.lines)


_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


def table_headers(text: str) -> list[tuple[Path, int, bool]]:
    """(path, 0-based line, is an array of tables) for each `[table]` and `[[array]]` header.

    tomlpos also records inline tables as headers; those do not start with `[`, so they are left
    out. Positions are offsets into the text.
    """
    positions = scan(text)
    found = []
    for path, offset in positions.headers.items():
        line = text.count("\n", 0, offset)
        if text[offset : offset + 1] == "[":
            found.append((path, line, text[offset : offset + 2] == "[["))
    return found


def cut(text: str) -> list[Block]:
    """The file as blocks, in file order; joined, they are the file exactly."""
    lines = _LINES.findall(text)
    cuts: dict[int, tuple[str, Any]] = {}
    for path, line, array in table_headers(text):
        if array and len(path) == 2 and path[0] == "scenes":
            cuts[line] = ("scene", path[1])
        elif array and len(path) == 4 and path[0] == "scenes" and path[2] == "choices":
            cuts[line] = ("choice", (path[1], path[3]))
        elif array and len(path) == 2 and path[0] == "endings":
            cuts[line] = ("ending", path[1])
        elif path and path[0] not in ("scenes", "endings"):
            cuts[line] = ("other", None)
    starts: dict[int, tuple[str, Any]] = {}
    previous = -1
    for line in sorted(cuts):
        start = line
        while start - 1 > previous and _is_comment(lines[start - 1]):
            start -= 1  # comments directly above a header belong to its block
        starts[start] = cuts[line]
        previous = line
    blocks = [Block("head", None)]
    for number, source in enumerate(lines):
        if number in starts:
            blocks.append(Block(*starts[number]))
        blocks[-1].lines.append(source)
    return blocks


def _is_comment(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("#") and '"""' not in stripped and "'''" not in stripped


# --- matching new items to old ones ---------------------------------------------------------------


def match(old: list[Any], new: list[Any]) -> list[int | None]:
    """For each new item, the index of the old item it came from, or None for a new one.

    By id first (choices may have none), then by identical choice text, then by the most fields
    in common, so a renamed or edited item keeps its block and its comments.
    """
    result: list[int | None] = [None] * len(new)
    free = set(range(len(old)))
    for n_index, item in enumerate(new):
        if getattr(item, "id", None) is None:
            continue
        found = next((o for o in sorted(free) if old[o].id == item.id), None)
        if found is not None:
            result[n_index] = found
            free.discard(found)
    if isinstance(new[0] if new else None, Choice):
        for n_index, item in enumerate(new):
            if result[n_index] is None:
                found = next((o for o in sorted(free) if old[o].text == item.text), None)
                if found is not None:
                    result[n_index] = found
                    free.discard(found)
    pairs = sorted(
        ((similarity(old[o], new[n]), n, o) for n in range(len(new)) if result[n] is None for o in free),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for score, n_index, o_index in pairs:
        if score < 0.5:
            break
        if result[n_index] is None and o_index in free:
            result[n_index] = o_index
            free.discard(o_index)
    return result


def similarity(a: msgspec.Struct, b: msgspec.Struct) -> float:
    """The share of fields (other than the id) set in either item that are equal in both."""
    defaults = writer.field_defaults(type(a))
    considered = equal = 0
    for name in type(a).__struct_fields__:
        if name == "id":
            continue
        left, right = getattr(a, name), getattr(b, name)
        if name in defaults and left == defaults[name] and right == defaults[name]:
            continue
        considered += 1
        equal += left == right
    return equal / considered if considered else 1.0


# --- merging -------------------------------------------------------------------------------------


HEAD_FIELDS = (*writer.HEAD_ORDER, "criteria", "metrics", "setups")


class _Merge:
    def __init__(self, original: str, old: Scenario, new: Scenario) -> None:
        self.old = old
        self.new = new
        self.blocks = cut(original)
        self.scene_blocks: dict[int, Block] = {}
        self.choice_blocks: dict[tuple[int, int], Block] = {}
        self.ending_blocks: dict[int, Block] = {}
        for block in self.blocks:
            if block.kind == "scene":
                self.scene_blocks[block.key] = block
            elif block.kind == "choice":
                self.choice_blocks[block.key] = block
            elif block.kind == "ending":
                self.ending_blocks[block.key] = block
        if len(self.scene_blocks) != len(old.scenes) or len(self.ending_blocks) != len(old.endings):
            raise _Unsupported("this file does not write every scene and ending as [[scenes]] and [[endings]] tables")

    def run(self) -> str:
        new, old = self.new, self.old
        head_changed = any(getattr(old, f) != getattr(new, f) for f in HEAD_FIELDS) or any(
            (not getattr(old, f)) != (not getattr(new, f)) for f in ("scenes", "endings"))
        scene_texts = self._scenes()
        ending_texts = [self._ending(n, o) for n, o in zip(new.endings, match(old.endings, new.endings))]
        out: list[str] = []
        last_scene = max((i for i, b in enumerate(self.blocks) if b.kind == "scene"), default=-1)
        last_ending = max((i for i, b in enumerate(self.blocks) if b.kind == "ending"), default=-1)
        for position, block in enumerate(self.blocks):
            if block.kind == "head":
                if head_changed:
                    others = "".join(b.text for b in self.blocks if b.kind == "other")
                    _emit(out, self._head(block.text + others))
                else:
                    _emit(out, block.text)
            elif block.kind == "other":
                if not head_changed:
                    _emit(out, block.text)
            elif block.kind == "scene":
                if scene_texts:
                    _emit(out, scene_texts.pop(0))
                if position == last_scene:
                    for text in scene_texts:
                        _emit(out, text)
                    scene_texts = []
            elif block.kind == "ending":
                if ending_texts:
                    _emit(out, ending_texts.pop(0))
                if position == last_ending:
                    for text in ending_texts:
                        _emit(out, text)
                    ending_texts = []
        for text in [*scene_texts, *ending_texts]:  # a file that had none of a kind
            _emit(out, text)
        return "".join(out)

    # --- items ----------------------------------------------------------------------------------

    def _scenes(self) -> list[str]:
        texts = []
        for scene, origin in zip(self.new.scenes, match(self.old.scenes, self.new.scenes)):
            if origin is None:
                texts.append(writer.scene_block(scene))
                continue
            old_scene = self.old.scenes[origin]
            head = self.scene_blocks[origin]
            choice_blocks = [self.choice_blocks[k] for k in sorted(self.choice_blocks) if k[0] == origin]
            if scene == old_scene:
                texts.append(head.text + "".join(b.text for b in choice_blocks))
                continue
            inline_choices = bool(old_scene.choices) and len(choice_blocks) != len(old_scene.choices)
            if inline_choices:
                if scene.choices != old_scene.choices:
                    texts.append(_leading_comments(head.text) + writer.scene_block(scene))
                    continue
                parts = [_merge_table(head.text, ("scenes", 0), old_scene, scene, writer.SCENE_ORDER)]
            else:
                parts = [_merge_table(head.text, ("scenes", 0), old_scene, scene, (*writer.SCENE_ORDER, "choices:drop"))]
                for choice, c_origin in zip(scene.choices, match(old_scene.choices, scene.choices)):
                    if c_origin is None:
                        parts.append(writer.choice_block(choice))
                        continue
                    block = choice_blocks[c_origin]
                    old_choice = old_scene.choices[c_origin]
                    if choice == old_choice:
                        parts.append(block.text)
                    else:
                        parts.append(_merge_table(block.text, ("scenes", "choices", 0), old_choice, choice, writer.CHOICE_ORDER))
            out: list[str] = []
            for part in parts:
                _emit(out, part)
            texts.append("".join(out))
        return texts

    def _ending(self, ending: Ending, origin: int | None) -> str:
        if origin is None:
            return writer.ending_block(ending)
        block = self.ending_blocks[origin]
        old = self.old.endings[origin]
        if ending == old:
            return block.text
        return _merge_table(block.text, ("endings", 0), old, ending, writer.ENDING_ORDER)

    def _head(self, text: str) -> str:
        document = tomlkit.parse(text)
        _merge_fields(document, self.old, self.new, writer.HEAD_ORDER)
        if self.old.criteria != self.new.criteria:
            _merge_mapping(document, "criteria", self.old.criteria, self.new.criteria)
        if self.old.metrics != self.new.metrics:
            _merge_metrics(document, self.old.metrics, self.new.metrics)
        if self.old.setups != self.new.setups:
            _merge_setups(document, self.old.setups, self.new.setups)
        for name in ("scenes", "endings"):
            # An empty list has no [[...]] block, so it is a `scenes = []` key in the head.
            if getattr(self.new, name):
                if name in document:
                    del document[name]
            elif name not in document:
                _set_key(document, name, [], writer.HEAD_ORDER + (name,))
        return document.as_string()


def _emit(out: list[str], text: str) -> None:
    """Append a block, making sure it starts on a line of its own after a blank line."""
    if not text:
        return
    if out:
        joined_end = out[-1][-2:] if len(out[-1]) >= 2 else out[-1]
        if not out[-1].endswith("\n"):
            out.append("\n\n")
        elif joined_end != "\n\n" and not text.startswith("\n"):
            out.append("\n")
    out.append(text)


def _leading_comments(text: str) -> str:
    lines = _LINES.findall(text)
    kept = []
    for line in lines:
        if not _is_comment(line):
            break
        kept.append(line)
    return "".join(kept)


# --- tomlkit, key by key ---------------------------------------------------------------------------


def _merge_table(text: str, where: Path, old: msgspec.Struct, new: msgspec.Struct, order: tuple[str, ...]) -> str:
    document = tomlkit.parse(text)
    table: Any = document
    for step in where:
        table = table[step]
    if "choices:drop" in order:
        # The scene's choices are written as blocks after it; an inline `choices = []` must go.
        order = tuple(f for f in order if f != "choices:drop")
        if "choices" in table:
            del table["choices"]
    _merge_fields(table, old, new, order)
    return document.as_string()


def _merge_fields(table: Any, old: msgspec.Struct, new: msgspec.Struct, order: tuple[str, ...]) -> None:
    """Rewrite only the keys whose values changed, in the order the writer would put them."""
    written = dict(writer.fields_to_write(new))
    for name in order:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if name not in written:
            if name in table:
                del table[name]
            continue
        _set_key(table, name, after, order, before=before)


def _set_key(table: Any, name: str, value: Any, order: tuple[str, ...], *, before: Any = None) -> None:
    item = _item(value)
    container = getattr(table, "value", table)  # a Table wraps a Container; a document is one
    if name in table:
        previous = table.item(name) if hasattr(table, "item") else table[name]
        if _edit_array(previous, before, value):
            return
        if "\n" not in item.as_string() and isinstance(previous, TomlItem) and previous.trivia.comment:
            item.trivia.comment_ws = previous.trivia.comment_ws or "  "
            item.trivia.comment = previous.trivia.comment
        table[name] = item
        return
    before = [key for key in order[: order.index(name)] if key in table]
    if before and hasattr(container, "_insert_after"):
        sibling = table.item(before[-1]) if hasattr(table, "item") else None
        if isinstance(sibling, TomlItem) and not isinstance(sibling, (Table, AoT)):
            item.trivia.indent = sibling.trivia.indent  # an indented choice stays indented
        try:
            container._insert_after(before[-1], name, item)
            return
        except (KeyError, ValueError, AttributeError):
            pass
    table.add(name, item)


def _edit_array(array: Any, before: Any, after: Any) -> bool:
    """Change only the elements of an array that changed (and in an inline table only its changed
    keys), so a multi-line `outcomes` or `routes` array keeps its indentation, its comments and
    every element the edit did not touch, byte for byte. False when the array cannot be edited in
    place (a different length): the caller then writes the whole value.
    """
    if not isinstance(array, (Array, AoT)) or not isinstance(before, list) or not isinstance(after, list):
        return False
    if not len(array) == len(before) == len(after):
        return False
    tables = isinstance(array, AoT)  # [[scenes.choices.outcomes]] blocks
    plan: list[tuple[int, list[tuple[str, Any]] | None]] = []  # None: write the whole element
    for index, (old, new) in enumerate(zip(before, after)):
        if old == new:
            continue
        element = array[index]
        if isinstance(element, (InlineTable, Table)) and isinstance(old, msgspec.Struct) and type(old) is type(new):
            old_pairs, new_pairs = dict(writer.fields_to_write(old)), dict(writer.fields_to_write(new))
            if set(element.keys()) == set(old_pairs) and set(old_pairs) <= set(new_pairs):
                plan.append((index, [(k, v) for k, v in new_pairs.items() if k not in old_pairs or old_pairs[k] != v]))
                continue
        if tables:
            return False  # the whole value is written instead
        plan.append((index, None))
    for index, keys in plan:
        if keys is None:
            array[index] = _item(after[index], inline=True)
            continue
        for key, value in keys:
            array[index][key] = _item(value, inline=not tables)
    return True


def _item(value: Any, *, inline: bool = False) -> TomlItem:
    """A tomlkit item formatted exactly as the writer formats the value."""
    item = tomlkit.parse(f"v = {writer.value_text(value, inline=inline)}\n").item("v")  # `["v"]` unwraps a bool to a plain bool
    assert isinstance(item, TomlItem)  # a key's value, never the proxy tomlkit makes for a table split in two
    return item


def _merge_mapping(document: Any, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """A table of plain values (criteria): change, add and remove keys in place."""
    if name not in document or not hasattr(document[name], "items"):
        document[name] = tomlkit.table()
    table = document[name]
    for key in list(table.keys()):
        if key not in new:
            del table[key]
    for key, value in new.items():
        if old.get(key) != value or key not in table:
            table[key] = _item(value)


def _merge_metrics(document: Any, old: dict[str, Metric], new: dict[str, Metric]) -> None:
    if "metrics" not in document:
        document["metrics"] = tomlkit.table(is_super_table=True)
    metrics = document["metrics"]
    for name in list(metrics.keys()):
        if name not in new:
            del metrics[name]
    for name, metric in new.items():
        if name in metrics and name in old and hasattr(metrics[name], "items"):
            if old[name] != metric:
                _merge_fields(metrics[name], old[name], metric, writer.METRIC_ORDER)
            continue
        table = tomlkit.table()
        for key, value in writer.fields_to_write(metric):
            table.add(key, _item(value))
        metrics[name] = table


def _merge_setups(document: Any, old: list[Setup], new: list[Setup]) -> None:
    """`[[setups]]`: each setup that came from an old one keeps its table (comments, layout) with
    only its changed keys rewritten; a deleted one goes; a new one is written as the writer writes
    it, appended in place when it comes last (a setup moved or inserted between others rebuilds
    the array, keeping each table)."""
    tables = document["setups"] if "setups" in document else None
    if tables is not None and (not isinstance(tables, AoT) or len(tables) != len(old)):
        raise _Unsupported("this file does not write its setups as [[setups]] tables")
    if not new:
        if tables is not None:
            del document["setups"]
        return
    origins = match(old, new)
    for setup, origin in zip(new, origins):
        if origin is not None and tables is not None and setup != old[origin]:
            _merge_fields(tables[origin], old[origin], setup, writer.SETUP_ORDER)
    kept = [o for o in origins if o is not None]
    fresh = [_setup_table(setup) for setup, origin in zip(new, origins) if origin is None]
    in_place = kept == sorted(kept) and all(o is None for o in origins[len(kept):])
    if tables is None:
        array = tomlkit.aot()
        for table in fresh:
            array.append(table)
        document["setups"] = array
    elif in_place:
        for index in sorted(set(range(len(old))) - set(kept), reverse=True):
            del tables[index]
        for table in fresh:
            tables.append(table)
    else:
        array = tomlkit.aot()
        for origin in origins:
            array.append(tables[origin] if origin is not None else fresh.pop(0))
        document["setups"] = array


def _setup_table(setup: Setup) -> Any:
    table = tomlkit.table()
    for key, value in writer.fields_to_write(setup):
        table.add(key, _item(value))
    return table
