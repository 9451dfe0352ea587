"""No naive bot earns a passing grade on a built-in scenario, playing through the bot protocol.

The teaching lint (W110) plays naive strategies through the engine; these bots play as an
outside program does, reading only the protocol's decision lines (coach.commands.naivebots).
A grade a pattern-matcher earns measures the wrong thing, so every cell stays at D or E.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from builtin_library import IDS, loaded
from coach.commands import naivebots

pytestmark = pytest.mark.xdist_group("naive-bots")  # one worker plays the bots once (`rows`)

DOC = Path(__file__).resolve().parent.parent / "docs" / "naive-strategies.md"


@lru_cache(maxsize=1)
def rows() -> tuple[naivebots.Row, ...]:
    """`naivebots.library_rows()`, from the files loaded once per process (warnings play no part)."""
    return tuple(naivebots.row(loaded(stem)) for stem in IDS)


@pytest.mark.parametrize("bot", list(naivebots.BOTS))
def test_no_naive_bot_passes_any_builtin_scenario(bot: str) -> None:
    passing = {r.scenario: f"{r.medians[bot]:g}% {r.grade(bot)}" for r in rows() if r.grade(bot) in ("A", "B", "C")}
    assert passing == {}, f"{naivebots.BOTS[bot][0]} passes"


def test_the_table_in_the_docs_is_the_one_the_bots_earn() -> None:
    """Regenerate with `python -m coach.commands.naivebots docs/naive-strategies.md`."""
    assert DOC.read_text("utf-8") == naivebots.table(list(rows()))


def test_a_bot_plays_to_an_ending_and_its_summary_is_the_protocols() -> None:
    summary = naivebots.play(loaded("precision-cliff"), "first", 3)
    assert summary["event"] == "summary" and summary["ending"] and summary["seed"] == 3
