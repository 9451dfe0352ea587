"""Home: the library with broken scenarios marked, progress, resuming; and the `?` keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.io.paths import user_scenarios_dir
from coach.tui.app import make_app
from coach.tui.screens.briefing import BriefingScreen
from coach.tui.screens.dialogs import DiagnosticsScreen, KeysScreen
from coach.tui.screens.home import HomeScreen, LibraryList
from tui_helpers import QUIET, leave_debrief, library_of, play_to_debrief, press_and_answer, screen_text, settle

BROKEN = """format = 1
id = "half-written"
title = "Half written"
summary = "Not finished yet."
role = "AI PM"
difficulty = "intro"
minutes = 5
start = "first"

[criteria]
monitoring = 1

[[scenes]]
id = "first"
text = "Where next?"

  [[scenes.choices]]
  text = "Onwards"
  goto = "nowhere"
  feedback = "..."

[[endings]]
id = "end"
title = "The end"
rating = "strong"
"""


@pytest.fixture
def library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return library_of(monkeypatch, tmp_path / "builtin", QUIET)


@pytest.fixture
def three_scenarios(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    from tui_helpers import MARKUP, TIMED

    return library_of(monkeypatch, tmp_path / "builtin", QUIET, MARKUP, TIMED)


async def test_a_broken_user_scenario_is_listed_broken_with_its_diagnostics_one_key_away(library: Path) -> None:
    folder = user_scenarios_dir()
    folder.mkdir(parents=True)
    (folder / "half-written.toml").write_text(BROKEN, "utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "The Quiet Regression" in text
        assert "✕ half-written.toml" in text and "broken · 1 error · d to see" in text
        assert "1 scenario · 0 finished sessions" in text
        await pilot.press("down")
        await settle(pilot)
        assert "This scenario is broken and cannot be played" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiagnosticsScreen)
        text = screen_text(app)
        assert "C012" in text and "goto target 'nowhere' not found" in text
        assert 'goto = "nowhere"' in text  # the source line, as `coach check` shows it
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # Enter on a broken scenario shows why, too
        await settle(pilot)
        assert isinstance(app.screen, DiagnosticsScreen)


async def test_enter_opens_the_briefing_and_escape_comes_back(library: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "●○○" in text and "Best" in text
        # The rubric's titles, not the criterion ids, in the Trains column as in the detail below.
        assert "Quality owned after launch, Mitigate, then diagnose" in text and "monitoring, diagnosis" not in text
        assert "not played yet" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_best_score_and_progress_per_criterion_after_playing(library: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await play_to_debrief(app, pilot)
        overall = app.screen.debrief.overall
        scores = app.screen.debrief.scores
        await leave_debrief(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert f"{overall:>3}%" in text
        assert "1 scenario · 1 finished session" in text
        assert f"Quality owned after launch {scores['monitoring']}%".replace(" ", "") in text.replace(" ", "")
        assert "best" in text and "1 play" in text
        table = app.screen.query_one(LibraryList)
        assert table.option_count == 1


async def test_question_mark_lists_the_keys_of_the_current_screen_with_their_ids(library: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        text = screen_text(app)
        assert "ON THIS SCREEN" in text and "EVERYWHERE" in text
        assert "home.diagnostics" in text and "app.keys" in text
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter", "enter")  # briefing, then play
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "1-9" in text and "Choose by number" in text and "play.choice-1 … play.choice-9" in text
        assert "play.leave" in text


async def test_every_action_is_in_the_command_palette(library: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Open", "Diagnostics", "Reload", "Keys", "Theme", "Quit"} <= titles
        assert {"Theme: coach-night", "Theme: coach-paper", "Theme: coach-contrast"} <= titles
        await pilot.press("enter")
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Start", "Coach/exam", "Library"} <= titles
        # Running a palette command runs the action.
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Coach/exam")
        await command.callback()
        await settle(pilot)
        assert app.screen.mode == "exam"


async def test_editing_a_built_in_asks_then_edits_a_copy_the_library_lists(library: Path) -> None:
    from coach.tui.screens.dialogs import ConfirmScreen
    from coach.tui.screens.workspace import WorkspaceScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Edit a copy?" in screen_text(app) and "is built into coach" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and not user_scenarios_dir().exists()
        await press_and_answer(pilot, "e", "y")
        await settle(pilot, 3)
        assert isinstance(app.screen, WorkspaceScreen)
        copy = user_scenarios_dir() / "quiet-regression-copy.toml"
        text = copy.read_text("utf-8")
        assert 'id = "quiet-regression-copy"' in text and "The Quiet Regression (my copy)" in text
        assert (library / QUIET.name).read_text("utf-8") == QUIET.read_text("utf-8")
        await pilot.press("escape")
        await settle(pilot, 3)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(LibraryList).option_count == 2
        assert "The Quiet Regression (my copy)" in screen_text(app)
        # A second copy never replaces the first.
        await press_and_answer(pilot, "e", "y")
        await settle(pilot, 3)
        assert (user_scenarios_dir() / "quiet-regression-copy-2.toml").exists()
        assert copy.read_text("utf-8") == text


async def test_n_opens_the_new_scenario_wizard(library: Path) -> None:
    from coach.tui.screens.wizard import WizardScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)


async def test_clicking_the_resume_banner_resumes_the_unfinished_session(library: Path) -> None:
    from coach.scenario.loader import load_scenario
    from coach.sessions.playthrough import Playthrough
    from coach.tui.screens.play import PlayScreen

    playthrough = Playthrough.new(load_scenario(library / QUIET.name), seed=1)
    playthrough.choose(0, seconds=3)
    playthrough.close()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "Unfinished: The Quiet Regression" in screen_text(app)
        assert await pilot.click("#resume")
        await settle(pilot, 3)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.playthrough.state.scene == "contained"


async def test_the_library_cursor_stays_on_the_scenario_played_and_home_end_jump(three_scenarios: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryList)
        assert table.option_count == 3
        await pilot.press("end")
        await settle(pilot)
        assert app.screen.query_one(LibraryList).highlighted == 2
        await pilot.press("home")
        await settle(pilot)
        assert app.screen.query_one(LibraryList).highlighted == 0
        await pilot.press("down")
        await settle(pilot)
        chosen = app.screen.selected
        assert chosen is not None and app.screen.query_one(LibraryList).highlighted == 1
        await pilot.press("enter")  # the briefing, and back
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(LibraryList).highlighted == 1 and app.screen.selected.path == chosen.path
        await pilot.press("enter")  # played to the end, and back
        await settle(pilot)
        await play_to_debrief(app, pilot)
        await leave_debrief(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(LibraryList).highlighted == 1 and app.screen.selected.path == chosen.path
        assert f"› {chosen.result.scenario.title}"[:20] in " ".join(screen_text(app).split())


async def test_the_keys_dialog_keeps_descriptions_and_ids_in_columns_of_their_own(library: Path) -> None:
    import re

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "id to remap" in text.lower()
        rows = [line for line in text.splitlines() if re.search(r"\s(home|app)\.[a-z-]+\b", line)]
        assert len(rows) >= 8
        # The ids start in one column, well apart from the words, so "Open" never reads as "Open home.open".
        starts = {re.search(r"\b(home|app)\.[a-z-]+", line).start() for line in rows}
        assert len(starts) == 1, rows
        for line in rows:
            words = line[:next(iter(starts))].rstrip()
            assert line[len(words):next(iter(starts))].count(" ") >= 3, line


async def test_the_command_palette_lists_quit_once(library: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Quit") == 1, titles
        await pilot.press("enter")  # the briefing has no q of its own: Quit comes from the app
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Quit") == 1, titles


async def test_a_trains_cell_too_long_for_the_pane_ends_in_an_ellipsis(library: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        [row] = [line for line in screen_text(app).splitlines() if "› " in line and "The Quiet Regression" in line]
        trains = row.split("│")[1].split("  ")[-1].strip() or row.split("│")[1].rstrip().split("   ")[-1]
        assert trains.startswith("Quality owned after launch, ") and trains.endswith("…"), row
        await pilot.resize_terminal(200, 36)  # wide enough: the whole list, no ellipsis
        await settle(pilot, 3)
        text = screen_text(app)
        assert "Quality owned after launch, Mitigate, then diagnose, Probabilistic behaviour explained" in text


async def test_the_command_palette_opens_a_scenario_by_title_and_the_profile(library: Path) -> None:
    from coach.tui.screens.briefing import BriefingScreen
    from coach.tui.screens.progress import ProgressScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert "Profile" in commands and "History" in commands
        plays = [title for title in commands if title.startswith("Play: ")]
        assert "Play: The Quiet Regression" in plays
        commands["Play: The Quiet Regression"].callback()
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen) and "The Quiet Regression" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        profile = next(c for c in app.get_system_commands(app.screen) if c.title == "Profile").callback()
        if profile is not None:
            await profile
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)


async def test_the_first_frame_lists_files_not_yet_cached_in_place_and_the_worker_fills_in_the_rest(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Home draws before it parses a file or reads a session: a file the cache does not know yet
    is listed from its top-level keys where its loaded row will be, and the rest (best scores, the
    resume banner, the progress pane, the full rows) arrives from the worker without a row moving."""
    import threading

    import coach.config.library
    from coach.sessions.playthrough import Playthrough
    from coach.scenario.loader import load_scenario
    from tui_helpers import MARKUP, TIMED, home_ready

    folder = library_of(monkeypatch, tmp_path / "builtin", QUIET, MARKUP, TIMED)
    playthrough = Playthrough.new(load_scenario(folder / QUIET.name), seed=1)
    playthrough.choose(0, seconds=3)
    playthrough.close()
    release = threading.Event()
    real = coach.config.library.load_pending

    def held(entries):
        assert release.wait(60), "the test never let the worker go on"
        return real(entries)

    monkeypatch.setattr(coach.config.library, "load_pending", held)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and not home.ready
        first = screen_text(app)
        order = [entry.path for entry in home.entries]
        assert all(entry.pending for entry in home.entries)  # a fresh home: nothing cached yet
        rows = [line for line in first.splitlines() if "●" in line and "intro ·" not in line]
        titles = [resolve_title(path) for path in order]
        assert len(rows) == 3 and all(title[:20] in row for title, row in zip(titles, rows)), rows
        assert "3 scenarios · 0 finished sessions" in first
        assert "Unfinished" not in first and "Play next" not in first
        release.set()
        await home_ready(pilot)
        text = screen_text(app)
        assert [entry.path for entry in home.entries] == order
        rows = [line for line in text.splitlines() if "●" in line and "intro ·" not in line]
        assert len(rows) == 3 and all(title[:20] in row for title, row in zip(titles, rows)), rows
        assert "Unfinished: The Quiet Regression" in text and "Play next" in text
        assert all(not entry.pending for entry in home.entries)


def resolve_title(path: Path) -> str:
    from coach.scenario.loader import load_scenario

    return load_scenario(path).scenario.title


async def test_a_click_highlights_a_scenario_and_a_click_on_the_highlighted_one_opens_it(three_scenarios: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryList)
        assert table.highlighted == 0
        second = app.screen.entries[1].result.scenario
        await pilot.click(LibraryList, offset=(10, 1))  # the second row: the header is above the list
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and table.highlighted == 1
        lines = [" ".join(line.split()) for line in screen_text(app).splitlines()]
        assert any(f"› {second.title}"[:20] in line for line in lines)  # the mark moved with the cursor
        await pilot.click(LibraryList, offset=(10, 1))
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario.id == second.id
