"""The history screen's first frame with 2,000 stored sessions, against its first frame with none,
measured in the same run (target: within 1.2x).

A first frame is `coach history` as the app factory starts it, headless (Textual's `run_test`,
120 x 36), up to the first refresh that draws the history outside Textual's start-up batch: the
screen composed, its table holding the first page of rows (every row when there are fewer) and
the highlighted session's detail drawn.
Both homes are the same but for their sessions; the 2,000-session home has its summaries index,
as every start after the first has. Also printed, not part of the ratio: the first frame with
one screenful of sessions (what drawing rows costs at all, whatever the history's length), and
the same screen until every row is in its table (the rest are added after the first frame, a
chunk at a time).

The key bar is part of that first paint (it is one widget drawn with the screen; Textual's
Footer, before it, composed its keys two paints later).

Runs are interleaved (bench/timing.py) and the median of each is printed with the ratio. Each
run starts with a full collection, outside its time: the apps of earlier runs are garbage that
a fresh process does not have, and a collection walking them fell on one run in a few. The same
runs' CPU time to the same point (`time.process_time`) is printed after, with its own ratios: on
a shared machine the wall time swings with other processes' load, the CPU time much less.

    python bench/bench_history.py [--sessions 2000] [--rounds 9] [--cache DIR]

Uses temporary COACH_HOMEs (or, with --cache, generated ones kept in DIR between runs: generating
2,000 sessions takes about 30 s), so it never touches your sessions or settings.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import session_home  # noqa: E402
from timing import report  # noqa: E402


PAGE_SESSIONS = 40


def open_history(home: Path, expected: int, *, every_row: bool = False) -> tuple[float, float]:
    """Seconds from creating the app to the history's first frame, wall and CPU: the first refresh
    that draws it outside Textual's start-up batch (to every row in the table with `every_row`)."""
    from coach.tui.app import make_app
    from coach.tui.screens.history import PAGE, HistoryScreen, HistoryList

    from textual.screen import Screen

    os.environ["COACH_HOME"] = str(home)
    drawn: list[tuple[float, float]] = []
    refresh = Screen._compositor_refresh

    def first_frame(screen: Screen) -> None:
        # Textual's own (private) refresh: the first one that draws the history outside the
        # start-up batch is the frame a terminal shows. (A call_after_refresh queued while
        # mounting can run inside the batch, before that frame, or after it.)
        refresh(screen)
        if not drawn and isinstance(screen, HistoryScreen) and not screen.app._batch_count and screen is screen.app.screen:
            drawn.append((time.perf_counter(), time.process_time()))

    async def run() -> tuple[float, float]:
        gc.collect()  # the apps of earlier runs are garbage: a fresh `coach history` has none to walk
        started, cpu = time.perf_counter(), time.process_time()
        app = make_app("history")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            while not drawn:
                await pilot.pause(0.005)
            screen = app.screen
            assert isinstance(screen, HistoryScreen)
            assert screen.query_one(HistoryList).row_count >= min(PAGE, expected)
            if not every_row:
                return drawn[0][0] - started, drawn[0][1] - cpu
            while not screen.filled:
                await pilot.pause(0.005)
            await pilot.pause()
            return time.perf_counter() - started, time.process_time() - cpu

    Screen._compositor_refresh = first_frame  # type: ignore[method-assign]
    try:
        return asyncio.run(run())
    finally:
        Screen._compositor_refresh = refresh  # type: ignore[method-assign]


def measure_reported(functions: dict[str, Callable[[], tuple[float, float]]],
                     rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """timing.measure for functions that time themselves (wall and CPU): a headless app's first
    frame ends inside its run, before the app is torn down. Interleaved as there; the median of
    each, wall then CPU."""
    runs: dict[str, list[tuple[float, float]]] = {label: [] for label in functions}
    for _ in range(rounds):
        for label, function in functions.items():
            runs[label].append(function())
    return ({label: statistics.median(wall for wall, _ in times) for label, times in runs.items()},
            {label: statistics.median(cpu for _, cpu in times) for label, times in runs.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--cache", default=None, help="keep the generated homes in this folder between runs")
    args = parser.parse_args()
    temporary = Path(tempfile.mkdtemp(prefix="coach-bench-history-"))
    full = page = None
    try:
        page = session_home(PAGE_SESSIONS, args.cache)  # one screenful: the part that does not grow
        full = session_home(args.sessions, args.cache)
        empty = temporary / "empty"
        (empty / "data").mkdir(parents=True)
        os.environ["COACH_HOME"] = str(full)
        from coach.sessions.store import list_sessions, session_files, summaries_index_path

        count = len(session_files())
        list_sessions()  # writes the summaries index, as the first start does
        print(f"{count:,} sessions, summaries index {summaries_index_path().stat().st_size / 1024:.0f} KiB\n")
        open_history(empty, 0)  # imports and file caches warm for both
        open_history(full, count)
        baseline = "history's first frame, no sessions"
        print("coach history, headless 120 x 36, median of interleaved runs")
        wall, cpu = measure_reported({
            baseline: lambda: open_history(empty, 0),
            f"history's first frame, {count:,} sessions": lambda: open_history(full, count),
            f"  (not in the target) first frame, {PAGE_SESSIONS} sessions (a screenful)":
                lambda: open_history(page, PAGE_SESSIONS),
            f"  (not in the target) until all {count:,} rows are in the table":
                lambda: open_history(full, count, every_row=True),
        }, rounds=args.rounds)
        report(wall, baseline)
        print("target: the first frame with sessions within 1.20x of the one without")
        print("\nthe same runs' CPU time (process_time), medians")
        report(cpu, baseline)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
        if not args.cache:
            for home in (full, page):
                if home is not None:
                    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
