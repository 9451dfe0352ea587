"""The author workspace's tree: the scenario, its setups (when it has any), its scenes with their
choices, and its endings.

Each node's data is the item's place (`("scenes", 2, "choices", 0)`), the same address the pure
edits and the diagnostics use. Labels carry a mark for problems (✕ error, ⚠ warning), so what
is wrong is visible without colour. The structural keys live here, so they only act while the
tree has focus and never while the author is typing in a field.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...authoring.graph import short
from ...scenario.model import Scenario

ItemPath = tuple[str | int, ...]
MARKS = {"error": ("✕ ", "error"), "warning": ("⚠ ", "warning")}


class ScenarioTree(Tree[ItemPath]):
    BINDINGS = [
        Binding("a", "screen.add_scene", "Add scene", id="workspace.add-scene"),
        Binding("c", "screen.add_choice", "Add choice", id="workspace.add-choice"),
        Binding("e", "screen.add_ending", "Add ending", id="workspace.add-ending"),
        Binding("s", "screen.add_setup", "Add setup", show=False, id="workspace.add-setup"),
        Binding("r", "screen.rename", "Rename", id="workspace.rename"),
        Binding("d", "screen.duplicate", "Duplicate", show=False, id="workspace.duplicate"),
        Binding("delete,x", "screen.delete", "Delete", id="workspace.delete"),
        Binding("shift+up", "screen.move(-1)", "Move up", show=False, id="workspace.move-up"),
        Binding("shift+down", "screen.move(1)", "Move down", show=False, id="workspace.move-down"),
        Binding("tab", "screen.edit_fields", "To the form", show=False, id="workspace.to-form"),
    ]

    @dataclass
    class Picked(Message):
        """The cursor moved to an item: show its fields."""

        path: ItemPath

    def __init__(self, *, id: str | None = None) -> None:
        self._by_path: dict[ItemPath, TreeNode[ItemPath]] = {}
        self._marks: dict[ItemPath, str] = {}
        self._scenario: Scenario | None = None
        super().__init__("scenario", data=(), id=id)
        self.show_root = True
        self.guide_depth = 2

    # --- attributes down ------------------------------------------------------------------------
    def show(self, scenario: Scenario, select: ItemPath | None = None) -> None:
        """Rebuild for a new structure, keeping folded scenes folded, and put the cursor on `select`."""
        folded = {path for path, node in self._by_path.items() if node.allow_expand and not node.is_expanded}
        current = select if select is not None else (self.cursor_node.data if self.cursor_node else ())
        self._scenario = scenario
        self.clear()
        self._by_path = {(): self.root}
        self.root.data = ()
        if scenario.setups:
            # Only a scenario with setups shows the group: most have none, and `s` adds the first.
            setups = self.root.add("Setups", data=("setups",), expand=("setups",) not in folded)
            self._by_path[("setups",)] = setups
            for u_index, setup in enumerate(scenario.setups):
                path = ("setups", u_index)
                self._by_path[path] = setups.add_leaf(setup.id, data=path)
        scenes = self.root.add("Scenes", data=("scenes",), expand=True)
        for s_index, scene in enumerate(scenario.scenes):
            path = ("scenes", s_index)
            node = scenes.add(scene.id, data=path, expand=path not in folded)
            self._by_path[path] = node
            for c_index in range(len(scene.choices)):
                choice_path = (*path, "choices", c_index)
                self._by_path[choice_path] = node.add_leaf(str(c_index + 1), data=choice_path)
        endings = self.root.add("Endings", data=("endings",), expand=True)
        for e_index, ending in enumerate(scenario.endings):
            path = ("endings", e_index)
            self._by_path[path] = endings.add_leaf(ending.id, data=path)
        self.root.expand()
        self.select_path(current)

    def refresh_labels(self, scenario: Scenario, marks: dict[ItemPath, str] | None = None) -> None:
        """New labels for the same structure (a field changed, or the problems did)."""
        self._scenario = scenario
        if marks is not None:
            self._marks = marks
        self._invalidate()

    def select_path(self, path: ItemPath | None) -> None:
        """Put the cursor on an item (expanding its parents) and report it as picked."""
        node = self._by_path.get(path or ()) or self.root
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent

        def move() -> None:
            # After a rebuild, a node's line is known only once the tree has laid out its lines.
            self.move_cursor(node)
            self.post_message(self.Picked(node.data or ()))

        self.call_after_refresh(move)

    # --- labels ---------------------------------------------------------------------------------
    # Labels are styled when drawn, from component classes coloured by the theme, so a theme
    # change recolours them and scenario text is never parsed as markup.
    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {
        "scenario-tree--muted", "scenario-tree--accent", "scenario-tree--error", "scenario-tree--warning",
        "scenario-tree--strong", "scenario-tree--mixed", "scenario-tree--poor", "scenario-tree--bold",
    }
    DEFAULT_CSS = """
    ScenarioTree > .scenario-tree--muted { color: $text-muted; }
    ScenarioTree > .scenario-tree--accent { color: $text-accent; }
    ScenarioTree > .scenario-tree--error { color: $text-error; text-style: bold; }
    ScenarioTree > .scenario-tree--warning { color: $text-warning; }
    ScenarioTree > .scenario-tree--strong { color: $text-success; }
    ScenarioTree > .scenario-tree--mixed { color: $text-warning; }
    ScenarioTree > .scenario-tree--poor { color: $text-error; }
    ScenarioTree > .scenario-tree--bold { text-style: bold; }
    """

    def _parts(self, path: ItemPath) -> list[tuple[str, str]]:
        """The label as (text, component class) parts; "" is the plain label style."""
        scenario = self._scenario
        if scenario is None:
            return [("", "")]
        if path == ("scenes",):
            return [("Scenes", "bold")]
        if path == ("endings",):
            return [("Endings", "bold")]
        if path == ("setups",):
            return [("Setups", "bold")]
        mark = MARKS.get(self._marks.get(path, ""), ("", ""))
        if path == ():
            return [mark, (scenario.title or scenario.id, "bold")]
        try:
            if path[0] == "setups":
                setup = scenario.setups[int(path[1])]
                return [mark, (setup.id, ""), (f"  weight {setup.weight}", "muted")]
            if path[0] == "endings":
                ending = scenario.endings[int(path[1])]
                return [mark, ("● ", ending.rating), (ending.id, ""), (f"  {ending.rating}", "muted")]
            scene = scenario.scenes[int(path[1])]
            if len(path) == 2:
                start = ("  start", "accent") if scene.id == scenario.start else ("", "")
                routes = ("  routes", "muted") if scene.routes and not scene.choices else ("", "")
                return [mark, (scene.id, "bold"), start, routes]
            choice = scene.choices[int(path[3])]
        except IndexError:
            return [("", "")]
        where = "?" + "/".join(o.goto for o in choice.outcomes) if choice.outcomes else (choice.goto or "?")
        lock = ("⊘ " if choice.requires else "", "muted")  # locked unless `requires` holds
        return [mark, (f"{int(path[3]) + 1} ", "muted"), lock, (short(choice.text, 28) or "(no text)", ""),
                (f" → {where}", "muted")]

    def render_label(self, node: TreeNode[ItemPath], base_style: Style, style: Style) -> Text:
        text = Text()
        if node.allow_expand:
            text.append(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE, base_style)
        for part, kind in self._parts(node.data if node.data is not None else ()):
            if not part:
                continue
            extra = self.get_component_rich_style(f"scenario-tree--{kind}", partial=True) if kind else Style()
            text.append(part, style + extra)
        return text

    # --- messages up ----------------------------------------------------------------------------
    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[ItemPath]) -> None:
        event.stop()
        # After a rebuild a highlight for the old cursor line can arrive late: only the node
        # under the cursor now counts.
        if event.node.data is not None and event.node is self.cursor_node:
            self.post_message(self.Picked(event.node.data))
