"""No naive bot earns a passing grade on a built-in scenario, playing through the bot protocol.

The teaching lint (W110) plays naive strategies through the engine; these bots play as an
outside program does, reading only the protocol's decision lines (coach.commands.naivebots).
A grade a pattern-matcher earns measures the wrong thing, so every cell stays at D or E.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import lru_cache, partial
from pathlib import Path

import pytest

import shared_work
from builtin_library import IDS, loaded, path_of
from coach.commands import naivebots
from coach.io.atomic import write_atomic

DOC = Path(__file__).resolve().parent.parent / "docs" / "naive-strategies.md"


@lru_cache(maxsize=1)
def rows() -> tuple[naivebots.Row, ...]:
    """`naivebots.library_rows()`, from the files loaded once per process (warnings play no part).
    Each scenario's row is played once a run and kept in the run's shared folder, so the tests
    here spread over the workers, and a worker that would wait for a row another is playing
    plays the next one instead (tests/shared_work.py)."""
    return tuple(shared_work.once(f"naive-{stem}", partial(_row, stem),
                                  lambda: [(f"naive-{other}", partial(_row, other)) for other in IDS])
                 for stem in IDS)


def _row(stem: str) -> naivebots.Row:
    """The row kept for this file's content, or played now and kept (written atomically; a
    missing or unreadable file is played again)."""
    if shared_work.ROOT is None:
        return naivebots.row(loaded(stem))
    kept = shared_work.ROOT / "naive" / f"{stem}-{hashlib.sha256(path_of(stem).read_bytes()).hexdigest()}.json"
    with contextlib.suppress(OSError, ValueError, TypeError):
        scenario, title, medians = json.loads(kept.read_bytes())
        return naivebots.Row(scenario, title, medians)
    row = naivebots.row(loaded(stem))
    write_atomic(kept, json.dumps([row.scenario, row.title, row.medians]))
    return row


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
