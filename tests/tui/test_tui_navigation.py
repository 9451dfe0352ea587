"""One navigator: only coach/tui/stack.py opens and closes screens, screens never import one
another (nor the app), coach.tui has no import cycle, and Textual's own call of each class's
mount handler is not doubled by `super().on_mount()`.

The import checks read the source with `ast`, counting imports inside functions too (as the
import-linter contracts will), and leaving out those under `if TYPE_CHECKING:`, which never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coach.tui.app import make_app
from coach.tui.screens import base
from coach.tui.screens.home import HomeScreen
from import_graph import COACH, cycles, import_graph, imports_of, module_name, modules  # noqa: F401
from tui_helpers import QUIET, library_of, settle

TUI = COACH / "tui"
NAVIGATOR = TUI / "stack.py"
STACK_CALLS = {"push_screen", "pop_screen", "switch_screen"}

SHARED_SCREEN_MODULES = {"coach.tui.screens.base", "coach.tui.screens.dialogs", "coach.tui.screens.resuming"}
"""What every screen may build on: the frame, the dialogs, resuming a session. None of them imports a screen."""
ABOVE_SCREENS = {"coach.tui.app", "coach.tui.authoring", "coach.tui.preview", "coach.tui.stack"}


def stack_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return [f"{path.name}:{node.lineno} {node.func.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STACK_CALLS]


def test_only_the_navigator_pushes_pops_or_switches_screens() -> None:
    outside = [call for path in sorted(COACH.rglob("*.py")) if path != NAVIGATOR for call in stack_calls(path)]
    assert outside == []


def test_the_check_sees_stack_calls_inside_functions_and_callbacks(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def leave(screen):\n    def answered(yes):\n        screen.app.pop_screen()\n"
                      "    screen.app.push_screen(object(), answered)\n", "utf-8")
    assert sorted(stack_calls(sample)) == ["sample.py:3 pop_screen", "sample.py:4 push_screen"]
    assert len(stack_calls(NAVIGATOR)) >= 3  # push, pop and switch, all in the navigator


def test_no_screen_reaches_the_navigation_through_an_untyped_attribute() -> None:
    """Thirteen `self.app.open_*()` calls needed `# type: ignore`; the navigator is typed instead."""
    offenders = [f"{path.name}:{number}: {line.strip()}"
                 for path in sorted(TUI.rglob("*.py"))
                 for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                 if "app.open_" in line or ("navigator" in line and "type: ignore" in line)]
    assert offenders == []


# --- no import cycle; screens do not know one another ---------------------------------------------
def test_the_cycle_finder_finds_a_cycle_made_inside_a_function() -> None:
    graph = import_graph()
    graph["coach.tui.screens.progress"] = graph["coach.tui.screens.progress"] | {"coach.tui.screens.replay"}
    graph["coach.tui.screens.replay"] = graph["coach.tui.screens.replay"] | {"coach.tui.screens.progress"}
    assert ["coach.tui.screens.progress", "coach.tui.screens.replay"] in cycles(graph)


def test_function_level_imports_are_counted_and_type_checking_ones_are_not() -> None:
    graph = import_graph()
    assert "coach.tui.screens.home" in graph["coach.tui.stack"]  # imported inside open_home
    assert "coach.tui.app" not in graph["coach.tui.stack"]  # only under TYPE_CHECKING


def test_screens_import_no_other_screen_nor_the_app() -> None:
    graph = import_graph()
    screens = {name for name in graph if name.startswith("coach.tui.screens.")}
    wrong = {name: sorted(targets & ((screens - SHARED_SCREEN_MODULES) | ABOVE_SCREENS))
             for name, targets in graph.items() if name in screens}
    assert {name: targets for name, targets in wrong.items() if targets} == {}
    shared = {name: sorted(graph[name] & (screens - SHARED_SCREEN_MODULES)) for name in SHARED_SCREEN_MODULES}
    assert {name: targets for name, targets in shared.items() if targets} == {}


def test_the_navigation_contract_imports_no_screen() -> None:
    graph = import_graph()
    assert not {t for t in graph["coach.tui.navigation"] if t.startswith("coach.tui")}


# --- lifecycle: Textual calls each class's handler once -------------------------------------------
def test_no_handler_calls_the_handler_textual_already_calls() -> None:
    doubled = []
    for path in sorted(TUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("on_"):
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and call.func.attr == node.name and isinstance(call.func.value, ast.Call)
                            and getattr(call.func.value.func, "id", "") == "super"):
                        doubled.append(f"{path.name}:{call.lineno} super().{node.name}()")
    assert doubled == []


@pytest.mark.parametrize("size", [(120, 36), (90, 30)], ids=["wide", "narrow"])
async def test_the_home_screen_fits_once_and_fills_its_table_once_per_load_on_first_mount(monkeypatch, tmp_path, size) -> None:
    library_of(monkeypatch, tmp_path / "builtin", QUIET)
    fits: list[str] = []
    fills: list[str] = []
    fit, fill = base.CoachScreen._fit, HomeScreen._fill_table

    def counted_fit(self, size):
        fits.append(type(self).__name__)
        fit(self, size)

    def counted_fill(self):
        fills.append(type(self).__name__)
        fill(self)

    monkeypatch.setattr(base.CoachScreen, "_fit", counted_fit)
    monkeypatch.setattr(HomeScreen, "_fill_table", counted_fill)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot, 3)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.has_class("-narrow") == (size[0] < base.NARROW_WIDTH)
        assert app.screen.ready
        # One fit; two fills, by design: the first frame's rows, then the worker's hand-over of
        # the scenarios it loaded and the sessions it read (one refill, not one per file).
        assert (fits, fills) == (["HomeScreen"], ["HomeScreen", "HomeScreen"])
        await pilot.resize_terminal(130 if size[0] < 100 else 95, size[1])
        await settle(pilot, 3)
        assert fits == ["HomeScreen", "HomeScreen"]  # a real resize still refits
        assert app.screen.has_class("-narrow") == (size[0] >= base.NARROW_WIDTH)


def test_a_screen_outside_a_coach_app_is_told_it_has_no_navigator() -> None:
    from textual.app import App

    from coach.tui.navigation import Navigator, navigator_of

    with pytest.raises(TypeError, match="has no navigator"):
        navigator_of(App())
    assert isinstance(navigator_of(make_app()), Navigator)
