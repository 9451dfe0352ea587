"""Exploring every path: the largest built-in scenario, and a generated 2,000-scene one.

Run: python bench/bench_explore.py
Each is printed beside loading the same file (tomllib + validation), measured in the same run:
exploration should cost about what reading the scenario costs, and stay under a second for
every built-in scenario.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_scenario  # noqa: E402
from timing import measure, report  # noqa: E402

from coach.engine.explore import explore  # noqa: E402
from coach.config.library import scenario_files_in  # noqa: E402
from coach.io.paths import builtin_scenarios_dir  # noqa: E402
from coach.scenario.loader import load_scenario, load_text  # noqa: E402


def main() -> None:
    print("Built-in scenarios (explore must finish under a second each):")
    largest = None
    for path in scenario_files_in(builtin_scenarios_dir()):
        loaded = load_scenario(path)
        if loaded.scenario is None:
            print(f"  {path.name}: does not load")
            continue
        started = time.perf_counter()
        analysis = explore(loaded.scenario)
        seconds = time.perf_counter() - started
        print(f"  {path.stem:<28} {len(loaded.scenario.scenes):>3} scenes {analysis.states:>7} states "
              f"{analysis.paths:>9} paths {seconds * 1000:8.1f} ms{'' if analysis.exhaustive else '  (random fallback)'}")
        if largest is None or analysis.states > largest[1]:
            largest = (path, analysis.states, loaded)
    if largest:
        path, _, loaded = largest
        text = path.read_text("utf-8")
        print(f"\nLargest built-in by states: {path.stem}")
        report(measure({
            "tomllib.loads + validation of the same file": lambda: load_text(text, path.name),
            "explore (every path)": lambda: explore(loaded.scenario),
        }), "tomllib.loads + validation of the same file")

    text = big_scenario(2000, pad=40)
    scenario = load_text(text, "big.toml").scenario
    analysis = explore(scenario)
    print(f"\nGenerated: 2,000 scenes with conditions, routes and random outcomes; "
          f"{'exhaustive' if analysis.exhaustive else 'state limit reached, random fallback'}, {analysis.states} states")
    report(measure({
        "tomllib.loads + validation of the same file": lambda: load_text(text, "big.toml"),
        "explore": lambda: explore(scenario),
    }, rounds=3), "tomllib.loads + validation of the same file")


if __name__ == "__main__":
    main()
