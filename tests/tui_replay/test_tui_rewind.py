"""Rewind from a replay: "t" at decision 2 starts a new live session with the other choice, which is
finished by keys; its log links back to the session and step it left, its scores are the other
choice's, the original stays untouched, and the history shows the link both ways."""

from __future__ import annotations

from coach.sessions.log import Branch, Choice, read_session
from coach.sessions.store import session_files
from coach.tui.app import make_app
from coach.tui.screens.debrief import DebriefScreen
from coach.tui.screens.dialogs import ConfirmScreen
from coach.tui.screens.history import HistoryScreen
from coach.tui.screens.home import HomeScreen
from coach.tui.screens.play import PlayScreen
from coach.tui.screens.replay import ReplayScreen
from tui_helpers import finish_playing, leave_debrief, screen_text, settle

SIZE = (160, 48)


async def test_rewind_at_decision_2_to_the_other_choice_branches_a_new_session(play) -> None:
    original = play(0, 0)  # roll back, then the postmortem: 100% on both criteria
    before = original.read_bytes()
    app = make_app("replay", session=original)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)
        assert "›  1  Move on" in screen_text(app)  # the pointer is on the one choice not taken (seed 1 showed it first)

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert "Try this choice instead?" in text
        assert "A new session starts at decision 2 with “Move on”. Your" in text
        assert "first decision is replayed into it, then it continues" in text
        await pilot.press("y")
        await settle(pilot, 3)

        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.playthrough.writer is not None
        branch = screen.playthrough.writer.path
        assert branch != original
        text = screen_text(app)
        assert "Move on" in text and "The same break will happen again." in text  # the new choice's feedback
        assert await finish_playing(app, pilot) == []  # only Enter past feedback and the ending was left
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "60% overall" in text and "Frozen" in text

        await leave_debrief(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "2 sessions · 2 finished" in text
        assert "↳ Minimal" in text  # the branch's row, newest, highlighted
        assert "↳ branched at decision 2 from the session of today 09:01 (that one scored 100%)" in text
        await pilot.press("down")
        await settle(pilot)
        text = screen_text(app)
        assert "⑂ 1 branch made from it: today 09:06 from decision 2" in text

    record = read_session(branch)
    assert record.start is not None and record.start.branched_from == Branch(original.stem, 1)
    decisions = record.decisions
    assert all(isinstance(d, Choice) for d in decisions)
    assert [(d.scene, d.choice) for d in decisions] == [("pager", 0), ("review", 1)]  # the first replayed, then the other
    assert record.end is not None
    assert (record.end.ending, record.end.scores, record.end.overall) == ("froze", {"monitoring": 100, "failure": 0}, 60)
    first = read_session(original)
    assert first.end is not None and (first.end.scores, first.end.overall) == ({"monitoring": 100, "failure": 100}, 100)
    assert original.read_bytes() == before  # the session branched from is left as it was


async def test_cancelling_a_rewind_stays_on_the_replay_and_writes_nothing(play) -> None:
    original = play(0, 0)
    app = make_app("replay", session=original)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right", "t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        assert "decision 2 of 2" in screen_text(app)
        await pilot.press("end", "t")  # the ending has no choice to try
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
    assert session_files() == [original]
