"""The naive strategies (`coach explore`, and W110 in `coach check`): five strategies on 50 seeds
each, scored against one exploration that is computed once and reused for every run.

Run: python bench/bench_strategies.py
Printed beside exploring the same scenario, measured in the same run: playing the strategies
should cost no more than a small multiple of exploration, so `coach check` stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import measure, report  # noqa: E402

from coach.engine.explore import explore  # noqa: E402
from coach.engine.strategies import evaluate  # noqa: E402
from coach.config.library import scenario_files_in  # noqa: E402
from coach.io.paths import builtin_scenarios_dir  # noqa: E402
from coach.scenario.loader import builtin_rubric, load_scenario  # noqa: E402


def main() -> None:
    rubric = builtin_rubric()
    for path in scenario_files_in(builtin_scenarios_dir()):
        scenario = load_scenario(path).scenario
        if scenario is None:
            continue
        analysis = explore(scenario)
        print(f"{path.stem}")
        report(measure({
            "explore (every path)": lambda: explore(scenario),
            "5 strategies x 50 seeds, scored on that analysis": lambda: evaluate(scenario, analysis, rubric),
        }, rounds=3), "explore (every path)")


if __name__ == "__main__":
    main()
