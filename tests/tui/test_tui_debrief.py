"""The debrief: what it shows, exporting it to Markdown without overwriting unasked, and what to
play next."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.engine.scoring import CEILING_RULE
from coach.reporting.reports import debrief_markdown
from coach.tui.screens.briefing import BriefingScreen
from coach.tui.screens.debrief import DebriefScreen
from coach.tui.screens.dialogs import ConfirmScreen, ExportScreen
from tui_helpers import QUIET, app_for, library_of, play_to_debrief, press_and_answer, screen_text, settle


async def test_the_debrief_shows_scores_reflexes_decisions_and_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    library_of(monkeypatch, tmp_path / "builtin", QUIET)
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await play_to_debrief(app, pilot, pick=lambda options: options[1])  # retrain, retrain
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        text = screen_text(app)
        debrief = screen.debrief
        assert f"{debrief.overall}% overall" in text and debrief.grade in text
        assert "A week of misrouted refunds" in text and "poor ending" in text
        for score in debrief.criteria:
            assert score.title in text
        assert "“Retrain it tonight”" in text and "Why it misleads:" in text
        # Shown at both decisions, the reflex is one card, named with how often.
        assert [(r.reflex, r.count) for r in debrief.reflexes] == [("retrain-first", 2)]
        assert text.count("“Retrain it tonight”") == 1 and "×2" in text and "first at decision 1" in text
        assert "Weakest decision" in text
        # The costliest decision comes with the better choice and that choice's own feedback.
        assert debrief.worst is not None and debrief.worst.better is not None
        assert "Better here:" in text and debrief.worst.better.feedback.split()[0] in text
        assert CEILING_RULE in text
        assert "Your path" in text and "Expert path" in text
        assert "≠ 1." in text  # the learner's first decision differs from the expert's
        assert "Switch refunds to the keyword rules" in text  # the expert's first decision
        await pilot.press("escape", "end")  # skip the question; the debrief's keys are its own again
        await settle(pilot)
        assert "play this one again" in screen_text(app)  # the only scenario in this library
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, BriefingScreen)


async def test_export_writes_markdown_and_asks_before_overwriting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    app = app_for(QUIET, seed=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await play_to_debrief(app, pilot)
        screen = app.screen
        await pilot.press("escape", "e")  # skip the question, then export
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await settle(pilot)
        target = tmp_path / "quiet-regression-debrief.md"
        assert target.read_text("utf-8") == debrief_markdown(screen.debrief, screen.scenario)
        assert any("Saved the debrief" in n.message for n in app._notifications)

        target.write_text("my notes", "utf-8")
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "already exists" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text("utf-8") == "my notes"

        await pilot.press("e")
        await settle(pilot)
        await press_and_answer(pilot, "enter", "y")
        await settle(pilot)
        assert target.read_text("utf-8").startswith("# Debrief: The Quiet Regression")

        # A chosen path: a folder gets the default name inside it.
        folder = tmp_path / "reports"
        folder.mkdir()
        await pilot.press("e")
        await settle(pilot)
        field = app.screen.query_one("#path")
        field.value = str(folder)
        await pilot.press("enter")
        await settle(pilot)
        assert (folder / "quiet-regression-debrief.md").exists()


def long_scenario(folder: Path, decisions: int = 11) -> Path:
    """A chain of `decisions` scenes, one choice each, titled by weekday."""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    parts = ['format = 1\nid = "long-week"\ntitle = "A long week"\nsummary = "Many decisions."\nrole = "AI PM"\n'
             'difficulty = "intro"\nminutes = 5\nstart = "s1"\n\n[criteria]\nmonitoring = 1\n']
    for n in range(1, decisions + 1):
        goto = f"s{n + 1}" if n < decisions else "end"
        parts.append(f'\n[[scenes]]\nid = "s{n}"\ntitle = "{days[(n - 1) % 7]} {n}"\ntext = "Day {n}."\n\n'
                     f'  [[scenes.choices]]\n  text = "Carry on {n}"\n  goto = "{goto}"\n'
                     f'  score = {{ monitoring = 1 }}\n  feedback = "Fine."\n')
    parts.append('\n[[endings]]\nid = "end"\ntitle = "Weekend"\nrating = "strong"\ntext = "Done."\n')
    path = folder / "long-week.toml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), "utf-8")
    return path


async def test_decisions_ten_and_up_keep_the_space_after_their_number(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = long_scenario(tmp_path / "scenarios")
    library_of(monkeypatch, tmp_path / "builtin", path)
    # Exam mode: the debrief's list of decisions is the same in either mode, and exam mode reaches
    # it in 11 screens, where coach mode's question and feedback after each decision make it 33.
    app = app_for(path, seed=1, mode="exam")
    async with app.run_test(size=(120, 80)) as pilot:
        await settle(pilot)
        await play_to_debrief(app, pilot)
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "= 9.  Tuesday 9" in text and "= 10. Wednesday 10" in text and "= 11. Thursday 11" in text
        assert "   10. Wednesday 10" in text  # the expert path, too
        assert "10.Wednesday" not in text and "11.Thursday" not in text
