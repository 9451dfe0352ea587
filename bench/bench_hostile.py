"""Valid but huge or deep scenarios: check, simulate and explore cost grows linearly with size.

Run: python bench/bench_hostile.py [--quick]
For each shape (a chain of scenes, a fan-out, binary decisions, a chain of routes, a loop of
routes that check refuses, and hostile files the pre-scan refuses), sizes double; each size is
timed several times and the median printed, with the ratio to the previous size. Linear cost
shows as a ratio near 2 per doubling (quadratic would be 4; the old route-loop check was ~8).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import hostile_scenarios as generate  # noqa: E402

from coach.engine import engine  # noqa: E402
from coach.engine.explore import explore  # noqa: E402
from coach.scenario.loader import load_text  # noqa: E402


def median_time(function: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def simulate(scenario, picks: Callable[[int], int]) -> None:
    state = engine.start(scenario)
    while not state.finished:
        state = engine.step(scenario, state, picks(len(state.history)))


def check(text: str) -> object:
    result = load_text(text, "bench.toml")
    return result


def series(name: str, sizes: list[int], make: Callable[[int], str], picks: Callable[[int], int] | None, rounds: int) -> None:
    print(f"\n{name}")
    print(f"  {'size':>6}  {'check':>10} {'x':>5}  {'simulate':>10} {'x':>5}  {'explore':>10} {'x':>5}")
    previous: tuple[float, float, float] | None = None
    for size in sizes:
        text = make(size)
        loaded = check(text)
        scenario = loaded.scenario
        checked = median_time(lambda: check(text), rounds)
        played = median_time(lambda: simulate(scenario, picks), rounds) if scenario is not None and picks else 0.0
        explored = median_time(lambda: explore(scenario, random_runs=0), rounds) if scenario is not None and picks else 0.0
        row = (checked, played, explored)
        cells = []
        for index, seconds in enumerate(row):
            ratio = f"{seconds / previous[index]:5.2f}" if previous and previous[index] > 0 and seconds > 0 else "    -"
            cells.append(f"{seconds * 1000:8.1f}ms {ratio}")
        print(f"  {size:>6}  " + "  ".join(cells))
        previous = row


def main() -> None:
    quick = "--quick" in sys.argv
    rounds = 3 if quick else 5
    scale = 1 if quick else 2
    print("median of", rounds, "runs per size; x = ratio to the previous size (2.0 is linear for a doubling)")
    series("chain of scenes", [250 * scale * 2**k for k in range(4)], generate.chain, lambda n: 0, rounds)
    series("fan-out (one scene, n choices)", [50 * scale * 2**k for k in range(4)], generate.fan_out, lambda n: 0, rounds)
    series("binary decisions (2**n paths)", [32 * scale * 2**k for k in range(4)], generate.binary_decisions, lambda n: 0, rounds)
    series("chain of routes", [250 * scale * 2**k for k in range(4)], generate.route_chain, lambda n: 0, rounds)
    series("loop of routes (refused, C031)", [250 * scale * 2**k for k in range(4)], generate.route_loop, None, rounds)
    minimal = (ROOT / "tests" / "data" / "good" / "minimal.toml").read_text()
    series("dotted key of n parts (refused, C041)", [5000 * scale * 2**k for k in range(4)],
           lambda n: minimal.replace("[criteria]", "a" + ".a" * n + " = 1\n[criteria]", 1), None, rounds)
    series("n nested arrays (refused, C005)", [5000 * scale * 2**k for k in range(4)],
           lambda n: minimal.replace('tags = ["test"]', "tags = " + "[" * n + "]" * n, 1), None, rounds)


if __name__ == "__main__":
    main()
