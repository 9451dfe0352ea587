"""`coach report` over 2,000 sessions, against msgspec decoding every line of the same files in
the same run (target: within 3x).

The baseline reads each log and decodes each of its JSON lines into the log's own event types
(`coach.sessions.log.Event`), one `decode` a line: the least any report must do. The report is
`coach report FOLDER` (a cohort summary as Markdown) run in this process, its output discarded:
warm with the report cache present (every run after the first on the same files), and cold
without it (the first run, or after an upgrade: every log is replayed on its scenario version).

Runs are interleaved (bench/timing.py) and the median of each is printed with the ratio.

    python bench/bench_sessions.py [--sessions 2000] [--rounds 7] [--cache DIR]

Uses a temporary COACH_HOME (or, with --cache, a generated one kept in DIR between runs:
generating 2,000 sessions takes about 30 s), so it never touches your sessions or settings.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec  # noqa: E402
from generate import session_home  # noqa: E402
from timing import measure, report  # noqa: E402


def decode_lines(files: list[Path], decoder: msgspec.json.Decoder) -> int:
    events = 0
    for path in files:
        with open(path, "rb") as handle:
            for line in handle.read().split(b"\n"):
                if line:
                    decoder.decode(line)
                    events += 1
    return events


def coach_report(folder: Path) -> str:
    from coach.commands.report import report as command

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            command.main([str(folder)], standalone_mode=False)
        except SystemExit as stop:
            assert not stop.code, stop.code
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cache", default=None, help="keep the generated home in this folder between runs")
    args = parser.parse_args()
    home = session_home(args.sessions, args.cache)
    try:
        from coach.reporting.cohort import _ReportCache
        from coach.sessions import log

        folder = home / "data" / "sessions"
        files = sorted(folder.glob("*.jsonl"))
        decoder = msgspec.json.Decoder(log.Event)
        cache = _ReportCache().path

        def cold() -> str:
            cache.unlink(missing_ok=True)
            return coach_report(folder)

        first = cold()
        assert coach_report(folder) == first, "the cached report differs from the one without a cache"
        events = decode_lines(files, decoder)
        size = sum(path.stat().st_size for path in files)
        print(f"{len(files):,} sessions, {events:,} events, {size / 1024 / 1024:.1f} MiB of logs; "
              f"report cache {cache.stat().st_size / 1024:.0f} KiB\n")
        baseline = "msgspec: decode each line of the same files"
        report(measure({
            baseline: lambda: decode_lines(files, decoder),
            "coach report FOLDER, report cache present": lambda: coach_report(folder),
            "  (not in the target) without the cache: replay every log": cold,
        }, rounds=args.rounds), baseline)
        print("target: the report with its cache within 3.00x of decoding")
    finally:
        if not args.cache:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
