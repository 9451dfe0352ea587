"""Shared timing for the benchmarks: interleaved runs, the median of each, printed beside a baseline.

Runs alternate between the baseline and the subjects, so load from the rest of the machine
falls on both alike. The median, not the minimum, is printed: the minimum rewards one lucky
run, while the median is what a user meets on a typical start, and a ratio of medians over
interleaved runs holds steady when the machine is busy.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable


def measure(functions: dict[str, Callable[[], object]], rounds: int = 7) -> dict[str, float]:
    runs: dict[str, list[float]] = {label: [] for label in functions}
    for _ in range(rounds):
        for label, function in functions.items():
            started = time.perf_counter()
            function()
            runs[label].append(time.perf_counter() - started)
    return {label: statistics.median(times) for label, times in runs.items()}


def report(times: dict[str, float], baseline: str) -> None:
    base = times[baseline]
    for label, seconds in times.items():
        text = f"  {label:<62} {seconds * 1000:9.1f} ms"
        if label != baseline:
            text += f"   {seconds / base:6.2f}x"
        else:
            text += "   (baseline)"
        print(text)
