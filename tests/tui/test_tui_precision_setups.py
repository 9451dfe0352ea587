"""precision-cliff plays differently under each of its setups (issue 13): the same page and the
same first moves, different evidence on screen, and a different diagnosis that is right.

Each test drives the real app with a Pilot, started on one setup (as `coach play --setup ID`),
and takes that setup's own expert path by choice id (the order on screen is shuffled)."""

from __future__ import annotations

import pytest

from builtin_library import analysis_of, scenario_of
from coach.io.paths import settings_path
from coach.tui.screens.debrief import DebriefScreen
from coach.tui.screens.play import PlayScreen
from tui_helpers import app_for, screen_text, settle

# What the pager and the evidence say under each setup, and what the other setups would say.
EVIDENCE = {
    "unit-change": ("That is txn_amount", "Marketplace amounts jumped at 22:40"),
    "label-rule": ("No feature is above 0.05", "switched to rulebook v3"),
    "segment-attack": ("That is merchant_attempts_1h", "about 40 digital-goods merchants"),
}
RIGHT_CALL = {"unit-change": "call-pipeline", "label-rule": "call-labels", "segment-attack": "call-shift"}


def prose(text: str) -> str:
    """The main panel's words as one line: the dashboard column cut off, wrapping undone."""
    lines = [line.split("││")[0].replace("│", " ") for line in text.splitlines()]
    return " ".join(" ".join(lines).split())


def _scenario():
    return scenario_of("precision-cliff")


@pytest.mark.parametrize("setup", sorted(EVIDENCE))
async def test_each_setup_shows_its_own_evidence_and_rewards_its_own_diagnosis(setup: str) -> None:
    scenario = _scenario()
    expert = analysis_of("precision-cliff", setup).expert_path
    wanted = [scenario.nodes[step.scene].choices[step.choice].id for step in expert]
    assert RIGHT_CALL[setup] in wanted  # the call that is right here...
    others = {RIGHT_CALL[s] for s in RIGHT_CALL if s != setup}
    assert not others & set(wanted)  # ...and not the calls that are right in the other setups

    # Coach mode's feedback carries the clues; its "how sure?" question before each feedback is
    # another screen per decision and asks nothing of the setup (tests/tui/test_tui_practice.py).
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("confidence = false\n", "utf-8")
    seen: list[str] = []
    queue = list(wanted)
    app = app_for("precision-cliff", seed=4, setup=setup)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        page = prose(screen_text(app))
        mine, clue = EVIDENCE[setup]
        assert mine in page
        for other, (theirs, _) in EVIDENCE.items():
            if other != setup:
                assert theirs not in page, (setup, other)
        for _ in range(80):  # every screen on the way, scenes and feedback alike
            screen = app.screen
            if isinstance(screen, DebriefScreen):
                break
            seen.append(prose(screen_text(app)))
            if getattr(screen, "phase", None) == "scene":
                option = next(o for o in screen.playthrough.options() if o.available and o.choice.id == queue[0])
                queue.pop(0)
                await pilot.press(str(option.number))
            else:
                await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        debrief = app.screen.debrief
        assert debrief.overall == 100, (setup, debrief.overall)
        assert debrief.ending == "contained"
    assert not queue
    # What the checks turned up on screen: this setup's clue, and none of the other setups'.
    played = "\n".join(seen)
    assert clue in played, setup
    for other, (_, theirs) in EVIDENCE.items():
        if other != setup:
            assert theirs not in played, (setup, other)


async def test_the_same_decisions_meet_different_pages() -> None:
    """Three setups, one seed: the first screen a learner reads differs in its numbers and words."""
    pages = {}
    for setup in sorted(EVIDENCE):
        app = app_for("precision-cliff", seed=4, setup=setup)
        async with app.run_test(size=(120, 50)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            pages[setup] = prose(screen_text(app))
    assert len(set(pages.values())) == 3
    assert "47.0%" in pages["unit-change"] and "48.0%" in pages["label-rule"] and "49.0%" in pages["segment-attack"]
