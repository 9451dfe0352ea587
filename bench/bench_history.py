"""Opening the history with 2,000 stored sessions, and opening one replay, each against reading
the same files' bytes from disk in the same run.

"Open history" is what the history screen does to get its rows: `list_sessions()` (every log's
summary, from the index when it is present) then `history.view()` (filtered and sorted), plus the
words of every row (date and status). Cold is without the summaries index (the first start after
an upgrade, or a lost cache): every log is read and parsed, and the index is written. Warm is
with the index: each log is only stat'ed. `--app` adds a full headless mount of the history
screen (Textual's `run_test`, the table filled with all 2,000 rows), beside a bare Textual app.

"Open a replay" is what the replay screen does before drawing: `open_replay()` reads the log,
loads the kept scenario version and rebuilds every decision. The first open in a process also
needs the scenario's exploration (for "of the most any path can earn"): worked out once per
scenario version and kept on disk, so it is measured never explored, read from disk, and in memory.

Runs are interleaved with their baseline (bench/timing.py) and the median of each is printed.

    python bench/bench_history.py [--sessions 2000] [--rounds 7] [--app]

Uses a temporary COACH_HOME, so it never touches your sessions or settings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="coach-bench-history-"))
os.environ["COACH_HOME"] = str(HOME)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import measure, report  # noqa: E402

from coach.config.library import resolve  # noqa: E402
from coach.sessions import history, log, playthrough  # noqa: E402
from coach.sessions.playthrough import Playthrough  # noqa: E402
from coach.sessions.replay import open_replay  # noqa: E402
from coach.sessions.store import kept_scenario_path, list_sessions, session_files, summaries_index_path  # noqa: E402

SCENARIOS = ("precision-cliff", "llm-launch-readiness", "vendor-silent-update")
FIRST_DAY = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)


def generate(count: int) -> None:
    """`count` sessions spread over a year: seeded random choices, one in ten left unfinished."""
    rng = random.Random(2026)
    loaded = [resolve(name) for name in SCENARIOS]
    for result in loaded:
        assert result.scenario is not None, result.diagnostics
    clock = {"at": FIRST_DAY}

    def now() -> str:
        clock["at"] += timedelta(seconds=20)
        return clock["at"].isoformat(timespec="seconds")

    def new_session_id(scenario_id: str) -> str:
        clock["at"] += timedelta(hours=rng.randrange(1, 9))
        return f"{clock['at']:%Y%m%d-%H%M%S}-{scenario_id}-{rng.getrandbits(24):06x}"

    log.now, log.new_session_id = now, new_session_id  # dated, unique names without the wall clock
    for number in range(count):
        play = Playthrough.new(loaded[number % len(loaded)], seed=rng.randrange(1 << 31))
        stop_after = rng.randrange(1, 4) if number % 10 == 9 else None
        decisions = 0
        while not play.finished and decisions != stop_after:
            options = [o for o in play.options() if o.available]
            if options:
                play.choose(rng.choice(options).index, seconds=rng.uniform(2, 40))
            else:
                play.time_out()
            decisions += 1
        play.close()


def read_bytes(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


def open_history() -> int:
    """What the history screen does for its rows: summaries, the view, and each row's words."""
    now = history.local_now()
    rows = history.view(list_sessions(), sort="newest")
    for summary in rows:
        history.when_words(summary.time, now)
        history.status_words(summary)
    return len(rows)


def open_history_cold() -> int:
    summaries_index_path().unlink(missing_ok=True)
    return open_history()


def mount_history(count: int) -> None:
    from coach.tui.app import make_app
    from coach.tui.screens.history import HistoryScreen, HistoryTable

    async def run() -> None:
        app = make_app("history")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            assert app.screen.query_one(HistoryTable).row_count == count

    asyncio.run(run())


def mount_bare() -> None:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("bare textual app ready")

    async def run() -> None:
        async with Bare().run_test(size=(120, 36)) as pilot:
            await pilot.pause()

    asyncio.run(run())


def report_fine(times: dict[str, float], baseline: str) -> None:
    """timing.report for sub-millisecond baselines: the same table, in microseconds."""
    base = times[baseline]
    for label, seconds in times.items():
        ratio = "   (baseline)" if label == baseline else f"   {seconds / base:8.0f}x"
        print(f"  {label:<62} {seconds * 1e6:9.0f} µs{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--app", action="store_true", help="also mount the history screen headless")
    args = parser.parse_args()
    try:
        started = time.perf_counter()
        generate(args.sessions)
        files = session_files()
        sizes = sum(path.stat().st_size for path in files)
        print(f"{len(files):,} sessions of {len(SCENARIOS)} scenarios, {sizes / 1024 / 1024:.1f} MiB of logs "
              f"(generated in {time.perf_counter() - started:.1f} s)\n")

        assert open_history_cold() == len(files)
        index = summaries_index_path()
        print(f"Open history (summaries index {index.stat().st_size / 1024:.0f} KiB when present)")
        baseline = f"read the {len(files):,} logs' bytes"
        report(measure({
            baseline: lambda: read_bytes(files),
            "cold: no index (read and parse every log, write the index)": open_history_cold,
            "warm: index present (stat every log, read the index)": open_history,
        }, rounds=args.rounds), baseline)

        if args.app:
            print(f"\nMount the history screen headless (120 x 36, {len(files):,} rows), index present")
            report(measure({
                baseline: lambda: read_bytes(files),
                "a bare Textual app, run_test": mount_bare,
                "coach history: app, screen and table, run_test": lambda: mount_history(len(files)),
            }, rounds=max(3, args.rounds // 2)), baseline)

        longest = max((p for p in files), key=lambda p: p.stat().st_size)
        record = log.read_session(longest)
        assert record.start is not None
        kept = kept_scenario_path(record.start.sha256)
        decisions = len(record.decisions)
        print(f"\nOpen one replay ({longest.name}: {decisions} decisions, "
              f"{longest.stat().st_size / 1024:.1f} KiB log + {kept.stat().st_size / 1024:.1f} KiB kept scenario)")

        from coach.analysis import saved as analyses

        def never_explored() -> None:
            playthrough._ANALYSES.clear()
            shutil.rmtree(analyses.analyses_dir(), ignore_errors=True)
            assert open_replay(longest).complete

        def first_open() -> None:
            playthrough._ANALYSES.clear()
            assert open_replay(longest).complete

        baseline = "read the log's and the kept scenario's bytes"
        report_fine(measure({
            baseline: lambda: read_bytes([longest, kept]),
            "open_replay, scenario never explored (explores it, keeps it)": never_explored,
            "open_replay, first in a process (exploration read from disk)": first_open,
            "open_replay, exploration already in memory": lambda: open_replay(longest),
        }, rounds=args.rounds), baseline)
    finally:
        shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
