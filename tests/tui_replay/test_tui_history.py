"""The history screen, driven by keys: compare two sessions, delete only after asking, filter by
scenario, sort, and the progress of one criterion across sessions."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from coach.scenario.loader import load_scenario
from coach.sessions.playthrough import Playthrough
from coach.sessions.store import kept_scenario_path, session_files
from coach.tui.app import make_app
from coach.tui.screens.compare import CompareScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.history import FilterScreen, HistoryScreen
from coach.tui.screens.progress import ProgressScreen
from coach.tui.screens.replay import ReplayScreen
from tui_helpers import press_and_answer, screen_text, settle

SIZE = (160, 48)
ROW = re.compile(r"│ [›◆ ]  (today \d\d:\d\d)\s+(↳ )?(\S.*?)\s{2,}coach\s+(\S+)\s+(-?\d+%|—)")


def rows(text: str) -> list[tuple[str, str, str]]:
    """The history table as (title, ending, score), top to bottom."""
    return [(m.group(3), m.group(4), m.group(5)) for m in map(ROW.search, text.splitlines()) if m]


def line_with(text: str, needle: str) -> str:
    found = [line for line in text.splitlines() if needle in line]
    assert found, f"{needle!r} is not on screen:\n{text}"
    return found[0]


def other_scenario(scenario_file: Path) -> Path:
    """A second scenario in the library: the minimal one under another id and title."""
    other = scenario_file.with_name("other.toml")
    other.write_text(scenario_file.read_text("utf-8").replace('id = "minimal"', 'id = "other"')
                     .replace('title = "Minimal"', 'title = "Another one"'), "utf-8")
    return other


def play_file(path: Path, *choices: int) -> Path:
    playthrough = Playthrough.new(load_scenario(path), seed=1)
    for choice in choices:
        playthrough.choose(choice, seconds=4)
    playthrough.close()
    assert playthrough.writer is not None
    return playthrough.writer.path


async def test_compare_two_sessions_that_split_at_decision_2(play) -> None:
    play(0, 0)
    play(0, 1)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")  # marks the newest, 60%
        await settle(pilot)
        assert "◆ Comparing Minimal, today 09:06: pick another session of it and press c" in screen_text(app)
        await pilot.press("down", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
        assert "History  ›  Minimal  ›  Compare" in text and "paths split at decision 2" in text
        assert "A · today 09:01 · coach" in text and "B · today 09:06 · coach" in text  # the older one is A
        assert "●●● Contained  strong ending" in text and "●○○ Frozen  poor ending" in text
        assert "THE SAME DECISIONS (1)" in text and "1.  The alert fires" in text
        assert "WHERE THE PATHS SPLIT · DECISION 2 · THE REVIEW" in text
        split = line_with(text, "Write a blameless postmortem")
        assert "Move on" in split  # A's decision and B's, side by side
        assert "→ Contained" in line_with(text, "→ Frozen")
        assert re.search(r"Quality owned after launch\s+100% █+\s+100% █+\s+= same", text)
        assert re.search(r"Failure designed for\s+100% █+\s+0% ·+\s+▼ -100 B lower", text)
        assert re.search(r"Overall\s+100% █+\s+60% .+▼ -40 B lower", text)
        assert "Neither session showed a traditional-PM reflex." in text

        await pilot.press("2")  # B's replay, over the comparison
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        assert "60%" in line_with(screen_text(app), "History  ›  Minimal  ›  Replay")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert "◆ Comparing" not in screen_text(app)


async def test_compare_names_the_reflex_only_one_session_showed(play) -> None:
    play(0, 0)
    play(1, seed=3)  # waits for the weekly review: the launch-gate reflex
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "down", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        text = screen_text(app)
        assert "paths split at decision 1" in text
        assert "None: the paths split at the very first decision." in text
        assert "WHERE THE PATHS SPLIT · DECISION 1 · THE ALERT FIRES" in text
        assert "Wait for Thursday's weekly review" in line_with(text, "Roll back to last week's model")
        assert "Only A showed  none" in text
        assert "Only B showed  ⚑ “Quality is a launch gate”" in text
        assert "Both showed" not in text


async def test_deleting_asks_first_and_keeps_the_file_when_cancelled(play) -> None:
    kept = play(0, 0)
    doomed = play(0, 1)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "2 sessions · 2 finished" in screen_text(app)
        await pilot.press("x")  # the newest, highlighted
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Delete this session?" in text
        assert "Delete the session Minimal, today 09:06 (60%)? Its log is" in text
        assert "removed from disk; this cannot be undone." in text
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert doomed.exists() and "2 sessions · 2 finished" in screen_text(app)

        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert doomed.exists()

        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "1 session · 1 finished" in text and rows(text) == [("Minimal", "Contained", "100%")]
        assert any(f"Deleted {doomed.name}." in n.message for n in app._notifications)
    assert not doomed.exists() and kept.exists()
    assert session_files() == [kept]
    start = kept.read_text("utf-8").splitlines()[0]
    sha = re.search(r'"sha256":"([0-9a-f]+)"', start)
    assert sha and kept_scenario_path(sha.group(1)).exists()  # the kept scenario version stays for the others


async def test_the_key_bar_offers_replay_only_while_there_is_a_session_to_replay(play) -> None:
    play(0, 0)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "⏎ Replay" in screen_text(app).splitlines()[-1]
        await press_and_answer(pilot, "x", "y")  # delete the only session
        await settle(pilot)
        text = screen_text(app)
        assert "No sessions yet" in text
        assert "Replay" not in text.splitlines()[-1] and "Library" in text.splitlines()[-1]
        await pilot.press("enter")  # nothing to open: the history stays
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)


async def test_filter_by_scenario_and_sort(play, scenario_file: Path) -> None:
    other = other_scenario(scenario_file)
    play(0, 0)  # Minimal, 100%
    play_file(other, 0, 1)  # Another one, 60%
    play(1, seed=3)  # Minimal, -60%: it lost points, and says so
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        newest = [("Minimal", "Frozen", "-60%"), ("Another one", "Frozen", "60%"), ("Minimal", "Contained", "100%")]
        text = screen_text(app)
        assert rows(text) == newest and "Sort newest first" in text and "3 shown" in text

        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert "Sort oldest first" in text and rows(text) == newest[::-1]
        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert "Sort best score first" in text and [r[2] for r in rows(text)] == ["100%", "60%", "-60%"]
        await pilot.press("s")
        await settle(pilot)
        text = screen_text(app)
        assert "Sort by scenario" in text and [r[0] for r in rows(text)] == ["Another one", "Minimal", "Minimal"]
        await pilot.press("s")
        await settle(pilot)
        assert "Sort newest first" in screen_text(app)

        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        text = screen_text(app)
        assert "Show the sessions of" in text and "All scenarios  3" in text
        assert "Another one  1" in text and "Minimal  2" in text
        await pilot.press("down", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Scenario Another one" in text and "1 shown" in text
        assert rows(text) == [("Another one", "Frozen", "60%")]
        assert "3 sessions · 2 finished" not in text and "3 sessions · 3 finished" in text  # the count is of all

        await pilot.press("f", "down", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Scenario Minimal" in text and rows(text) == [newest[0], newest[2]]
        await pilot.press("f", "escape")  # cancelled: the filter stays
        await settle(pilot)
        assert "Scenario Minimal" in screen_text(app)

        await pilot.press("f", "home", "enter")
        await settle(pilot)
        assert rows(screen_text(app)) == newest
        await pilot.press("down", "c", "down", "c")  # Another one, then Minimal: not comparable
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert any("Compare needs two sessions of the same scenario: pick another session of Another one." in n.message
                   for n in app._notifications)


async def test_progress_of_one_criterion_across_sessions(play) -> None:
    play(0, 1)  # Quality owned after launch 100%, Failure designed for 0%
    play(0, 0)  # 100%, 100%
    play(1, seed=3)  # -100% (it lost 2 points where the expert earns 2), 0%
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)
        text = screen_text(app)
        assert "History  ›  Profile" in text and "3 finished sessions" in text
        assert "─ Quality owned after launch ─" in text  # the first criterion played is shown first
        assert "first 100%  →  latest -100%  ▼ -200 pts  ·  best 100%" in text and "from 3 sessions" in text  # -2 pts of the expert's +2
        assert "not played yet" in line_with(text, "│ not played yet")

        await pilot.press("down", "down", "down")  # to Failure designed for
        await settle(pilot)
        text = screen_text(app)
        assert "─ Failure designed for ─" in text
        assert "first 0%  →  latest 0%  = +0 pts  ·  best 100%" in text
        points = [line.split("││")[-1] for line in text.splitlines() if re.search(r"│\s+\d\s+today", line)]
        assert [re.findall(r"(-?\d+)%", line) for line in points] == [["0", "60"], ["100", "100"], ["0", "-60"]]

        await pilot.press("enter")  # into the sessions behind the points, on the latest
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        assert "✓ 2  Wait for Thursday's weekly review" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProgressScreen)


async def test_with_the_index_present_opening_history_reads_no_log(play, monkeypatch) -> None:
    """A long history must not make the app slow to start: rows, statuses, the detail and the
    filter's scenario list all come from the summaries index, not from re-reading each log."""
    from coach.sessions import log, store

    for choices in ((0, 0), (0, 1), (1,), (0,)):
        play(*choices)
    store.list_sessions()  # writes the index, as the first opening does
    reads: list[Path] = []
    real = log.read_session

    def counted(path):
        reads.append(path)
        return real(path)

    monkeypatch.setattr(store, "read_session", counted)
    monkeypatch.setattr(log, "read_session", counted)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "4 sessions · 3 finished" in text and "unfinished · 1 decision" in text
        await pilot.press("f")
        await settle(pilot)
        assert "Minimal  4" in screen_text(app)
        await pilot.press("escape", "s", "down")
        await settle(pilot)
        assert reads == []
        await pilot.press("enter")  # a replay reads its one log
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen) and len(reads) == 1


async def test_marks_follow_the_cursor_and_history_reloads_when_coming_back(play) -> None:
    play(0, 0)
    play(0, 1)
    play(1, seed=3)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c", "down", "down", "up")
        await settle(pilot)
        marks = [line[2] for line in screen_text(app).splitlines() if ROW.search(line)]
        assert marks == ["◆", "›", " "]  # marked, highlighted, neither: no mark left behind
        await pilot.press("escape")  # drops the comparison mark
        await settle(pilot)
        assert [line[2] for line in screen_text(app).splitlines() if ROW.search(line)] == [" ", "›", " "]

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        play(0)  # a session saved meanwhile (another terminal)
        await pilot.press("escape")
        await settle(pilot)
        text = screen_text(app)
        assert "4 sessions · 3 finished" in text and len(rows(text)) == 4
        assert "›" in line_with(text, "today 09:06")  # still on the session that was replayed


async def test_a_scenario_title_that_looks_like_markup_reaches_a_notification_literally(play, scenario_file: Path) -> None:
    tricky = "Tricky [/x] [@click=app.quit]quit[/]"
    other = scenario_file.with_name("tricky.toml")
    other.write_text(scenario_file.read_text("utf-8").replace('id = "minimal"', 'id = "tricky"')
                     .replace('title = "Minimal"', f'title = "{tricky}"'), "utf-8")
    play(0, 0)
    play_file(other, 0, 1)  # the newest, so the first row
    app = make_app("history")
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # toasts drawn, as in a terminal
        await settle(pilot)
        await pilot.press("c", "down", "c")  # the tricky one, then Minimal: not comparable, and says why
        await settle(pilot, 3)
        assert isinstance(app.screen, HistoryScreen) and app.is_running  # no MarkupError, and no quit
        toast = " ".join(line.split("▌", 1)[1].strip(" │╯─") for line in screen_text(app).splitlines() if "▌" in line)
        assert f"pick another session of {tricky}." in " ".join(toast.split())


async def test_a_history_longer_than_a_page_fills_in_after_the_first_frame_in_the_same_order(play, monkeypatch) -> None:
    """The first frame holds a page of rows (a screenful) and the rest arrive in chunks; once they
    have, the table is the whole history in the order `history.view` gives, each session once,
    even when the sort changed while rows were still arriving."""
    from coach.sessions import history
    from coach.sessions.store import list_sessions
    from coach.tui.screens import history as screen_module
    from coach.tui.screens.history import HistoryList
    from tui_helpers import wait_until

    monkeypatch.setattr(screen_module, "CHUNK", 5)
    monkeypatch.setattr(screen_module, "CHUNK_EVERY", 3600)  # the first fill's rest never comes in this test
    count = SIZE[1] + 12  # more than a screenful
    for seed in range(count):
        play(*[(0, 0), (0, 1), (1,), (0,)][seed % 4], seed=seed)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(HistoryList)
        await pilot.pause()
        assert SIZE[1] <= table.row_count < count  # a screenful, the rest still to come
        monkeypatch.setattr(screen_module, "CHUNK_EVERY", 0.01)
        await pilot.press("s")  # oldest first, while the first fill's rows are still to come
        await wait_until(pilot, lambda: screen.filled, "every row in the table")
        await settle(pilot)
        assert screen.sort == "oldest"
        expected = [history.when_words(s.time, screen.now) for s in history.view(list_sessions(), sort="oldest")]
        assert [str(row[1]) for row in table.rows] == expected
        assert len(set(expected)) == count


def _settle_folder() -> None:
    """The sessions folder last changed a minute ago: the head is kept only for a folder whose
    time will show the next change (store.SETTLED_NS), and these sessions were written just now."""
    from coach.sessions import store

    stamp = time.time_ns() - 60 * 10**9
    os.utime(store.sessions_dir(), ns=(stamp, stamp))


async def _history_text(monkeypatch, *, first_page: bool, hold_first_page: bool = False) -> tuple[str, str]:
    """The history's text at 160 x 48 (its first page as drawn, held there if asked, then complete)."""
    from coach.tui.screens import history as screen_module

    real = screen_module.first_page
    monkeypatch.setattr(screen_module, "first_page", real if first_page else (lambda: None))
    completed = screen_module.HistoryScreen._completed_drawn
    if hold_first_page:
        monkeypatch.setattr(screen_module.HistoryScreen, "_completed_drawn", lambda self: None)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = screen_text(app)
        if hold_first_page:
            completed(app.screen)
            await settle(pilot)
        return first, screen_text(app)


async def test_a_long_history_draws_its_first_page_from_the_index_then_the_same_screen_as_before(play, monkeypatch) -> None:
    """Past store.HEAD sessions the first frame comes from the index's head (no log read, no
    stat of every log); once drawn, every session is listed and the screen is what it was."""
    from coach.sessions import store

    monkeypatch.setattr(store, "HEAD", 2)
    for choices in ((0, 0), (0, 1), (1,), (0,), (0, 0)):
        play(*choices)
    _settle_folder()
    store.list_sessions()  # writes the index and its head
    first, complete = await _history_text(monkeypatch, first_page=True, hold_first_page=True)
    assert len(rows(first)) == 2 and "5 sessions · 4 finished" in first and "5 shown" in first
    _, before = await _history_text(monkeypatch, first_page=False)
    assert complete == before and len(rows(complete)) == 5


async def test_a_log_changed_outside_the_head_is_reconciled_once_the_first_page_is_drawn(play, monkeypatch) -> None:
    from coach.sessions import store

    monkeypatch.setattr(store, "HEAD", 2)
    oldest = play(0, 0)
    for choices in ((0, 1), (1,), (0, 0)):
        play(*choices)
    _settle_folder()
    store.list_sessions()
    lines = oldest.read_bytes().splitlines(keepends=True)
    oldest.write_bytes(b"".join(lines[:-1]))  # its end event gone: now unfinished
    first, complete = await _history_text(monkeypatch, first_page=True, hold_first_page=True)
    assert "4 sessions · 4 finished" in first  # the head is current; the count is the index's
    _, before = await _history_text(monkeypatch, first_page=False)
    assert complete == before and "4 sessions · 3 finished" in complete


async def test_each_session_is_one_row_of_the_columns_under_the_header_wide_and_narrow(play) -> None:
    """The rows line up under the header's labels; below 100 columns the Mode column goes and
    the columns narrow, so a row fits the pane and its Status is whole."""
    play(0, 0)
    play(1)
    left = play(0, 0)
    left.write_bytes(b"".join(left.read_bytes().splitlines(keepends=True)[:-1]))  # its end gone: unfinished, a long status
    for size, labels, mode in ((SIZE, ("When", "Scenario", "Mode", "Ending", "Score", "Status"), True),
                               ((80, 24), ("When", "Scenario", "Ending", "Score", "Status"), False)):
        app = make_app("history")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            text = screen_text(app)
            header = line_with(text, "When")
            assert header.split() == ["│", *labels, "│"]
            drawn = [line for line in text.splitlines() if line[5:].startswith("today")]
            assert len(drawn) == 3 and drawn[1].startswith("│    today 09:06") and drawn[2].startswith("│    today 09:01")
            assert ("coach" in drawn[0]) == mode
            for label in ("When", "Scenario", "Score"):  # each column starts where its label does
                assert drawn[1][header.index(label)] != " " and drawn[1][header.index(label) - 1] == " "
            status = drawn[0][header.index("Status"):].rstrip(" │")
            assert status == ("unfinished · 2 decisions" if mode else "unfinished · …")  # whole, or cut by an ellipsis


async def test_a_click_highlights_a_session_and_a_click_on_the_highlighted_one_replays_it(play) -> None:
    from coach.tui.screens.history import HistoryList

    play(0, 0)
    play(0, 1)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(HistoryList)
        assert table.highlighted == 0
        await pilot.click(HistoryList, offset=(20, 1))  # the second row: the header is above the list
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and table.highlighted == 1
        assert "›" in line_with(screen_text(app), "today 09:01") and "›" not in line_with(screen_text(app), "today 09:06")
        await pilot.click(HistoryList, offset=(20, 1))
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)


async def test_marks_are_drawn_on_the_rows_added_in_chunks(play, monkeypatch) -> None:
    """The `◆` of the session picked for comparison and the cursor's `›`, on every row once the
    chunks have all come (here the marked session's row is the last one added)."""
    from coach.tui.screens import history as screen_module
    from coach.tui.screens.history import HistoryList
    from tui_helpers import wait_until

    monkeypatch.setattr(screen_module, "CHUNK", 5)
    count = SIZE[1] + 12  # more than a screenful
    for seed in range(count):
        play(*[(0, 0), (0, 1), (1,)][seed % 3], seed=seed)
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await settle(pilot)
        await pilot.press("c", "down")  # the newest marked, the cursor on the next
        await wait_until(pilot, lambda: screen.filled, "every row in the list")
        await pilot.press("s")  # oldest first: the marked session is the last row now
        await wait_until(pilot, lambda: screen.filled, "every row in the list again")
        await settle(pilot)
        table = screen.query_one(HistoryList)
        assert table.option_count == table.row_count == count
        marks = [str(table.get_option_at_index(i).prompt)[1] for i in range(count)]
        assert marks == [" "] * (count - 2) + ["›", "◆"]
        assert screen.selected is not None and screen.marked is not None
        assert screen.shown[-1].id == screen.marked.id and screen.shown[-2].id == screen.selected.id
