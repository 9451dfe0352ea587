"""Loading and validating a 2,500-scene scenario just under the 2 MiB limit, against tomllib.

Run: python bench/bench_loader.py
Target: load + every rule within 1.5x of `tomllib.loads` on the same text. Also printed: the
full `coach check` (rules + warnings) and the time to report an error, when the path-to-line
scanner runs too.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import sized_scenario  # noqa: E402
from timing import measure, report  # noqa: E402

from coach.analysis.checking import check_text
from coach.scenario.loader import MAX_BYTES, load_text  # noqa: E402


def main() -> None:
    text = sized_scenario(2500, MAX_BYTES)
    result = check_text(text, "big.toml")
    assert result.ok and not result.diagnostics, result.diagnostics[:3]
    typo = text.replace('goto = "s2400"', 'goto = "s24x0"', 1)
    unknown = text.replace('title = "Scene 2400"', 'titel = "Scene 2400"', 1)
    for broken in (typo, unknown):
        assert load_text(broken, "big.toml").diagnostics
    print(f"2,500 scenes, {len(text.encode()) / 1048576:.2f} MiB (limit {MAX_BYTES / 1048576:g} MiB)")
    times = measure({
        "tomllib.loads": lambda: tomllib.loads(text),
        "load + every rule": lambda: load_text(text, "big.toml"),
        "load + rules + warnings (coach check)": lambda: check_text(text, "big.toml"),
        "report a goto typo near the end (C012, with line and caret)": lambda: load_text(typo, "big.toml"),
        "report an unknown key near the end (C007, with line and caret)": lambda: load_text(unknown, "big.toml"),
    }, rounds=5)
    report(times, "tomllib.loads")


if __name__ == "__main__":
    main()
