"""Exploring every path: each built-in scenario, and a generated 2,000-scene one.

Run: python bench/bench_explore.py [--rounds N]
Every figure is the median of interleaved runs (timing.py), beside loading the same file
(tomllib + validation) measured in the same run, and their ratio: exploration should cost
about what reading the scenario costs, and stay under a second for every built-in scenario.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_scenario  # noqa: E402
from timing import measure, report  # noqa: E402

from coach.engine.explore import explore  # noqa: E402
from coach.config.library import scenario_files_in  # noqa: E402
from coach.io.paths import builtin_scenarios_dir  # noqa: E402
from coach.scenario.loader import load_scenario, load_text  # noqa: E402

LOAD = "tomllib.loads + validation of the same file"


def _rounds() -> int:
    return int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 5


def builtin() -> None:
    print(f"Built-in scenarios (median of {_rounds()}; explore must finish under a second each):")
    print(f"  {'scenario':<28} {'scenes':>6} {'states':>7} {'load ms':>9} {'explore ms':>11} {'ratio':>7}")
    for path in scenario_files_in(builtin_scenarios_dir()):
        loaded = load_scenario(path)
        if loaded.scenario is None:
            print(f"  {path.name}: does not load")
            continue
        text = path.read_text("utf-8")
        scenario = loaded.scenario
        analysis = explore(scenario)
        times = measure({LOAD: lambda text=text, name=path.name: load_text(text, name),
                         "explore": lambda scenario=scenario: explore(scenario)}, rounds=_rounds())
        print(f"  {path.stem:<28} {len(scenario.scenes):>6} {analysis.states:>7} {times[LOAD] * 1000:9.1f} "
              f"{times['explore'] * 1000:11.1f} {times['explore'] / times[LOAD]:6.2f}x"
              f"{'' if analysis.exhaustive else '  (random fallback)'}")


def generated() -> None:
    text = big_scenario(2000, pad=40)
    scenario = load_text(text, "big.toml").scenario
    analysis = explore(scenario)
    print(f"\nGenerated: 2,000 scenes with conditions, routes and random outcomes; "
          f"{'exhaustive' if analysis.exhaustive else 'state limit reached, random fallback'}, {analysis.states} states")
    report(measure({LOAD: lambda: load_text(text, "big.toml"),
                    "explore": lambda: explore(scenario)}, rounds=3), LOAD)


def main() -> None:
    builtin()
    generated()


if __name__ == "__main__":
    main()
