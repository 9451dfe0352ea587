"""Shared timing for the benchmarks: interleaved runs, best of each, printed beside a baseline.

Runs alternate between the baseline and the subjects, so load from the rest of the machine
falls on both alike, and the minimum of each is the least disturbed figure.
"""

from __future__ import annotations

import time
from typing import Callable


def measure(functions: dict[str, Callable[[], object]], rounds: int = 7) -> dict[str, float]:
    best = {label: float("inf") for label in functions}
    for _ in range(rounds):
        for label, function in functions.items():
            started = time.perf_counter()
            function()
            best[label] = min(best[label], time.perf_counter() - started)
    return best


def report(times: dict[str, float], baseline: str) -> None:
    base = times[baseline]
    for label, seconds in times.items():
        text = f"  {label:<62} {seconds * 1000:9.1f} ms"
        if label != baseline:
            text += f"   {seconds / base:6.2f}x"
        else:
            text += "   (baseline)"
        print(text)
