"""The `coach` executable's quick start: `coach` and `coach play SCENARIO` open the app without
click, exactly as their click commands would; every other command line goes to click."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from coach import launch
from coach.cli import main as cli

DATA = Path(__file__).resolve().parent.parent / "data"
BROKEN = DATA / "bad" / "goto-not-found.toml"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Each app start, as the arguments run_app was given (defaults filled in), instead of running it."""
    import coach.tui.app

    calls: list[dict[str, object]] = []
    signature = inspect.signature(coach.tui.app.run_app)

    def run_app(*args: object, **kwargs: object) -> None:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        calls.append(dict(bound.arguments))

    monkeypatch.setattr(coach.tui.app, "run_app", run_app)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    return calls


def test_coach_alone_opens_the_library_as_the_click_command_does(opened: list[dict[str, object]]) -> None:
    assert launch.quick_start([]) is True
    cli.main([], standalone_mode=False)
    assert len(opened) == 2 and opened[0] == opened[1] == {"start": None, "seed": None, "mode": None,
                                                           "session": None, "setup": None}


def test_play_opens_the_briefing_as_the_click_command_does(opened: list[dict[str, object]]) -> None:
    assert launch.quick_start(["play", "precision-cliff"]) is True
    cli.main(["play", "precision-cliff"], standalone_mode=False)
    quick, clicked = opened
    assert quick["start"].scenario.id == clicked["start"].scenario.id == "precision-cliff"  # type: ignore[union-attr]
    assert {k: v for k, v in quick.items() if k != "start"} == {k: v for k, v in clicked.items() if k != "start"}


@pytest.mark.parametrize("args", [
    ["play", "no-such-scenario"],  # click says it is not found, and exits 1
    ["play", str(BROKEN)],  # click names the first error
    ["play", "precision-cliff", "--exam"],
    ["play", "--help"],
    ["play"],
    ["--help"],
    ["--version"],
    ["check", "precision-cliff"],
    ["history"],
])
def test_every_other_command_line_goes_to_click(opened: list[dict[str, object]], args: list[str]) -> None:
    assert launch.quick_start(args) is False
    assert opened == []


def test_no_terminal_or_a_completion_request_goes_to_click(opened: list[dict[str, object]],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert launch.quick_start(["play", "precision-cliff"]) is False  # click says it needs a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("_COACH_COMPLETE", "bash_source")
    assert launch.quick_start([]) is False
    assert opened == []


def test_the_quick_start_never_imports_click() -> None:
    probe = ("import sys\n"
             "import coach.tui.app\n"
             "coach.tui.app.run_app = lambda *args, **kwargs: None\n"
             "sys.stdout.isatty = lambda: True\n"
             "from coach import launch\n"
             "assert launch.quick_start([]) and launch.quick_start(['play', 'precision-cliff'])\n"
             "print(sorted(name for name in sys.modules if name == 'click' or name.startswith('click.')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_start_runs_without_cyclic_collection_and_every_other_command_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import coach.tui.app

    seen: list[bool] = []
    monkeypatch.setattr(coach.tui.app, "run_app", lambda *args, **kwargs: seen.append(gc.isenabled()))
    monkeypatch.setattr(launch, "quick_start", lambda args: bool(coach.tui.app.run_app()) or True)
    try:
        monkeypatch.setattr(sys, "argv", ["coach"])
        launch.main()
        assert seen == [False]  # the app turns it back on after its first frame
    finally:
        gc.enable()
    monkeypatch.setattr(launch, "quick_start", lambda args: False)
    monkeypatch.setattr("coach.cli.main", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["coach", "check"])
    launch.main()
    assert seen == [False, True]
