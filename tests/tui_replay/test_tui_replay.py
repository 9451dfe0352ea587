"""The replay screen, driven by keys: each step of a stored session as it was shown, a session whose
scenario file was edited afterwards, and sessions that cannot be fully shown (torn, from a newer
coach, without their kept scenario) opening with a sentence instead of a crash."""

from __future__ import annotations

import json
from pathlib import Path

from coach.sessions.store import kept_scenario_path, session_files
from coach.tui.app import make_app
from coach.tui.screens.history import HistoryScreen
from coach.tui.screens.replay import ReplayScreen
from tui_helpers import screen_text, settle

SIZE = (160, 48)
"""Wide enough that no choice or score line of the minimal scenario wraps."""


def line_with(text: str, needle: str) -> str:
    """The one screen line holding `needle` (so a score is read beside its own label)."""
    found = [line for line in text.splitlines() if needle in line]
    assert found, f"{needle!r} is not on screen:\n{text}"
    return found[0]


async def test_stepping_through_a_session_shows_each_decision_as_it_was(play) -> None:
    path = play(0, 0)  # roll back, then the blameless postmortem: the strong ending
    app = make_app("replay", session=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        text = screen_text(app)
        assert "History  ›  Minimal  ›  Replay" in text
        assert "today 09:01" in text and "coach mode" in text  # the fixed clock, never the wall clock
        assert "Decision 1 · The alert fires" in text and "Day 1 03:12" in text
        assert "Precision fell overnight." in text
        assert "92.0%" in line_with(text, "Precision  ")  # the dashboard as it stood before deciding
        assert "✓ 1  Roll back to last week's model" in text
        assert "you chose this · +2 Quality owned after launch · +1 Failure designed for" in text
        assert "2  Wait for Thursday's weekly review" in text
        assert "would have scored -2 Quality owned after launch  ⚑ “Quality is a launch gate”" in text
        assert "Containment first." in text  # the feedback
        assert "100%" in line_with(text, "Quality owned a…")
        assert "100%" in line_with(text, "Failure designe…")  # its one point, the most this decision offered
        assert "Overall 100%" in text and "after decision 1 · of the best so far" in text
        assert "decision 1 of 2" in text

        await pilot.press("left")  # already at the first decision: nothing moves
        await settle(pilot)
        assert "decision 1 of 2" in screen_text(app)

        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        assert "Decision 2 · The review" in text and "Day 1 03:42" in text
        assert "What now?" in text
        assert "97.0%" in line_with(text, "Precision  ")
        # Seed 1 showed the review's choices the other way round from the file: the replay shows that order.
        assert "✓ 2  Write a blameless postmortem" in text and "you chose this · +2 Failure designed for" in text
        assert "1  Move on" in text and "would have scored -1 Failure designed for" in text
        assert text.index("1  Move on") < text.index("✓ 2  Write a blameless postmortem")
        assert "Learning without blame." in text
        assert "100%" in line_with(text, "Failure designe…") and "Overall 100%" in text
        assert "decision 2 of 2" in text and "Roll back to last week's model" not in text

        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        assert "The end · Contained" in text and "●●● strong ending" in text and "Well done." in text
        assert "100% overall · grade A" in text and "No traditional-PM reflex showed." in text
        assert "the ending" in text and "final" in text
        assert "The choices" not in text

        await pilot.press("home")
        await settle(pilot)
        assert "Decision 1 · The alert fires" in screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        assert "The end · Contained" in screen_text(app)
        await pilot.press("left")
        await settle(pilot)
        assert "Decision 2 · The review" in screen_text(app)

        await pilot.press("escape")  # back to the history it was opened over, on this session
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.selected is not None and app.screen.selected.path == path


async def test_a_reflex_and_a_chance_outcome_are_shown_on_their_step(play) -> None:
    path = play(1, seed=3)  # wait for the weekly review: a reflex, and the harm grows
    app = make_app("replay", session=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "✓ 2  Wait for Thursday's weekly review" in text
        assert "you chose this · -2 Quality owned after launch  ⚑ “Quality is a launch gate”" in text
        assert "would have scored +2 Quality owned after launch · +1 Failure designed for" in text
        assert "Waiting lets the harm grow." in text
        assert "-100%" in line_with(text, "Quality owned a…")  # -2 where the expert earns +2
        assert "⚑ a reflex showed" in text
        await pilot.press("end")
        await settle(pilot)
        text = screen_text(app)
        assert "The end · Frozen" in text and "●○○ poor ending" in text
        assert "Reflexes shown: ⚑ “Quality is a launch gate” (decision 1)" in text


async def test_an_edited_scenario_file_replays_what_was_played_and_says_it_changed(play, scenario_file: Path) -> None:
    path = play(0, 0)
    text = scenario_file.read_text("utf-8")
    scenario_file.write_text(text.replace("Precision fell overnight.", "Recall fell overnight.")
                                 .replace("Write a blameless postmortem", "Hold a retro"), "utf-8")
    app = make_app("replay", session=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "minimal.toml has changed since this session was played; the replay shows the version that was played." in text
        assert "Precision fell overnight." in text and "Recall fell overnight." not in text
        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        assert "✓ 2  Write a blameless postmortem" in text and "Hold a retro" not in text  # as seed 1 showed it
        assert "Overall 100%" in text


async def test_a_torn_log_replays_up_to_the_tear_and_says_so(play) -> None:
    path = play(0, 0)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-2]) + lines[-2][: len(lines[-2]) // 2])  # the last decision half-written
    before = path.read_bytes()
    app = make_app("replay", session=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "The log is damaged: line 3 was cut off mid-write (the program was stopped); it was ignored." in text
        assert "Decision 1 · The alert fires" in text and "decision 1 of 1" in text
        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        assert "Unfinished · stopped at The review" in text and "What now?" in text
        assert "where it stopped" in text
        await pilot.press("escape")
        await settle(pilot)
        history = screen_text(app)
        assert "⚠ damaged · unfinished" in history  # short enough for its column
        assert "Unfinished after 1 decision" in history and "⚠ line 3 was cut off mid-write" in history
    assert path.read_bytes() == before  # nothing rewritten or deleted


async def test_a_log_from_a_newer_coach_opens_with_a_sentence_and_nothing_else(coach_home: Path, play) -> None:
    play(0, 0)  # a good session beside it
    folder = session_files()[0].parent
    newer = folder / "20990101-090000-minimal.jsonl"
    start = {"event": "start", "session": newer.stem, "scenario": "minimal", "title": "Minimal", "sha256": "0" * 64,
             "seed": 1, "mode": "coach", "version": "9.0", "time": "2099-01-01T09:00:00+00:00", "log_format": 99,
             "hologram": True}
    newer.write_text(json.dumps(start) + "\n", "utf-8")
    app = make_app("history")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "✕ unreadable" in line_with(text, newer.name)  # listed last: it has no date to sort by
        await pilot.press("down")
        await settle(pilot)
        text = screen_text(app)
        assert "✕ This session cannot be read." in text
        assert "was written by coach 9.0 (log format 99)" in text and "Upgrade coach to open it." in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        text = screen_text(app)
        assert "Nothing to replay" in text and "unreadable session" in text
        assert "Upgrade coach to open it. Nothing of this" in text and "it.." not in text
        assert "session can be shown; the file was left as it is." in text
        assert "Score so far" not in text  # nothing was read, so no score is drawn
        for key in ("right", "left", "end", "t"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
    assert newer.exists()


async def test_without_its_kept_scenario_a_session_shows_the_decisions_its_log_recorded(play, scenario_file: Path) -> None:
    path = play(0, 1)
    kept = [p for p in kept_scenario_path("x").parent.iterdir()]
    for file in kept:
        file.unlink()
    scenario_file.write_text(scenario_file.read_text("utf-8").replace("The review", "The retro"), "utf-8")
    app = make_app("replay", session=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "is no longer kept, so scenes, dashboards and scores cannot be shown" in text
        assert "Decision 1 · pager" in text and "The scene's text is not available" in text
        assert "✓ 1  Roll back to last week's model" in text
        await pilot.press("right")
        await settle(pilot)
        assert "✓ 2  Move on" in screen_text(app)
        await pilot.press("t")  # nothing to branch on: said, not crashed
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("end")
        await settle(pilot)
        text = screen_text(app)
        assert "The session ended at froze." in text and "as logged at the end" in text
        assert "Overall 60%" in text
    assert path.exists()


async def test_score_so_far_measures_against_what_was_possible_so_far(play) -> None:
    path = play(0, 1)  # a perfect first decision (the best choice on both criteria), then a weak one
    app = make_app("replay", session=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Decision 1 · The alert fires" in text
        # Of the whole scenario this is 73% and Failure 33% (its one point of three): here it is 100%.
        assert "Overall 100%" in text and "of the best so far" in text
        assert "100%" in line_with(text, "Quality owned a…") and "100%" in line_with(text, "Failure designe…")
        await pilot.press("right")
        await settle(pilot)
        text = screen_text(app)
        # "Move on" lost a point where two could be won: 0 of 3 possible on Failure so far.
        assert "0%" in line_with(text, "Failure designe…") and "100%" in line_with(text, "Quality owned a…")
        assert "Overall 100%" not in text
