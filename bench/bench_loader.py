"""`coach check` on the built-in library against `tomllib.loads` of the same files, and the loader
on a 2,500-scene scenario just under the 2 MiB limit.

Run: python bench/bench_loader.py [--quick] [--rounds N]   (--quick: the library and the cut-off only)
Targets: `coach check` on the library (rules, exploration and every warning) within 3x of
`tomllib.loads` on the same 15 files when its caches are warm, and cold (an empty cache: every
file explored) printed beside it; load + every rule within 1.5x of `tomllib.loads` on the big file.
Also printed: the full check of generated files either side of the old 500-scene cut-off (there
is none now: both explore, and cost follows the states), and the time to report an error.
Medians of interleaved runs (timing.py), each ratio against a baseline measured in the same run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_scenario, sized_scenario  # noqa: E402
from timing import measure, report  # noqa: E402

from coach.analysis.checking import check_file, check_text  # noqa: E402
from coach.config.library import scenario_files_in  # noqa: E402
from coach.io.paths import builtin_scenarios_dir  # noqa: E402
from coach.scenario.loader import MAX_BYTES, load_text  # noqa: E402
from coach.analysis.warnings import KEEP  # noqa: E402


def _rounds() -> int:
    return int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5


def _fresh_home() -> None:
    """Caches live under COACH_HOME; a new empty one per run is a cold cache."""
    os.environ["COACH_HOME"] = tempfile.mkdtemp(prefix="coach-bench-")


def library() -> None:
    files = scenario_files_in(builtin_scenarios_dir())
    texts = [path.read_text("utf-8") for path in files]
    _fresh_home()
    warm_home = os.environ["COACH_HOME"]
    for path in files:  # fill the warm cache once
        check_file(path)

    def cold() -> None:
        _fresh_home()
        for path in files:
            check_file(path)

    def warm() -> None:
        os.environ["COACH_HOME"] = warm_home
        for path in files:
            check_file(path)

    print(f"The library: {len(files)} files, {sum(len(t.encode()) for t in texts) / 1024:.0f} KiB")
    report(measure({
        "tomllib.loads of every file": lambda: [tomllib.loads(text) for text in texts],
        "coach check, warm cache": warm,
        "coach check, cold cache (every file explored)": cold,
    }, rounds=_rounds()), "tomllib.loads of every file")


def cut_off() -> None:
    print("\nGenerated files either side of the old 500-scene cut-off (no cliff: cost follows the states):")
    for scenes in (500, 501):
        text = big_scenario(scenes)
        _fresh_home()
        warm_home = os.environ["COACH_HOME"]
        token = KEEP.set(True)
        check_text(text, "big.toml")  # fill the warm cache once
        KEEP.reset(token)

        def cold(text: str = text) -> None:
            _fresh_home()
            check_text(text, "big.toml")

        def warm(text: str = text, home: str = warm_home) -> None:
            os.environ["COACH_HOME"] = home
            check_text(text, "big.toml")

        report(measure({f"tomllib.loads, {scenes} scenes": lambda text=text: tomllib.loads(text),
                        f"coach check, {scenes} scenes, warm cache": warm,
                        f"coach check, {scenes} scenes, cold cache": cold}, rounds=3), f"tomllib.loads, {scenes} scenes")


def big_file() -> None:
    text = sized_scenario(2500, MAX_BYTES)
    _fresh_home()
    result = check_text(text, "big.toml")
    assert result.ok and not result.diagnostics, result.diagnostics[:3]
    typo = text.replace('goto = "s2400"', 'goto = "s24x0"', 1)
    unknown = text.replace('title = "Scene 2400"', 'titel = "Scene 2400"', 1)
    for broken in (typo, unknown):
        assert load_text(broken, "big.toml").diagnostics
    print(f"\n2,500 scenes, {len(text.encode()) / 1048576:.2f} MiB (limit {MAX_BYTES / 1048576:g} MiB)")

    def check_cold() -> None:
        _fresh_home()
        check_text(text, "big.toml")

    times = measure({
        "tomllib.loads": lambda: tomllib.loads(text),
        "load + every rule": lambda: load_text(text, "big.toml"),
        "load + rules + warnings (coach check, cold cache)": check_cold,
        "report a goto typo near the end (C012, with line and caret)": lambda: load_text(typo, "big.toml"),
        "report an unknown key near the end (C007, with line and caret)": lambda: load_text(unknown, "big.toml"),
    }, rounds=5)
    report(times, "tomllib.loads")


def main() -> None:
    library()
    cut_off()
    if "--quick" not in sys.argv:
        big_file()


if __name__ == "__main__":
    main()
