"""The title bar's line: where you are on the left, the screen's context on the right."""

from __future__ import annotations

from textual.content import Content

from coach.tui.widgets.chrome import title_line


def test_the_crumbs_on_the_left_and_the_context_at_the_right_edge() -> None:
    line = title_line(("The Precision Cliff", "Briefing"), Content("about 20 min"), 60)
    assert line.plain == "◆ coach  ›  The Precision Cliff  ›  Briefing" + " " * 4 + "about 20 min"
    assert line.cell_length == 60


def test_when_both_do_not_fit_the_context_stays_whole_and_the_crumbs_are_cut() -> None:
    line = title_line(("A very long scenario title indeed", "Play"), Content("12:04 · coach"), 40)
    assert line.plain.endswith("12:04 · coach")
    assert line.plain.startswith("◆ coach  ›  A very long")
    assert line.cell_length == 40
