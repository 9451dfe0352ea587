"""The hypothesis profiles (tests/conftest.py): a quick default, a thorough one chosen by
COACH_HYPOTHESIS, and no property that pins its own example count past the profile."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

TESTS = Path(__file__).resolve().parent

PROBE = """
from hypothesis import given, strategies as st
RUNS = []
@given(st.integers())
def test_probe(n):
    RUNS.append(n)
def test_count():
    test_probe()
    print(f"RAN {len(RUNS)} EXAMPLES")
"""


def _probe_folder(folder: Path) -> None:
    """The suite's conftest (with the module it imports) beside the probe property."""
    for name in ("conftest.py", "shared_work.py"):
        (folder / name).write_text((TESTS / name).read_text("utf-8"), "utf-8")
    (folder / "test_probe.py").write_text(PROBE, "utf-8")


def test_the_default_profile_is_quick() -> None:
    if os.environ.get("COACH_HYPOTHESIS", "") in ("", "quick"):
        assert settings.default.max_examples <= 50 and settings.default.deadline is None
    assert settings.get_profile("quick").max_examples <= 50
    assert settings.get_profile("thorough").max_examples >= 500


def test_no_property_pins_its_own_example_count() -> None:
    pinned = [f"{path.relative_to(TESTS)}:{number}"
              for path in TESTS.rglob("*.py") if path.name != "conftest.py"
              for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
              if re.search(r"max_examples\s*=", line) and path != Path(__file__).resolve()]
    assert pinned == [], "max_examples belongs in the profiles in tests/conftest.py"


@pytest.mark.parametrize(("value", "expected"), [("", 40), ("quick", 40), ("thorough", 600)])
def test_the_environment_variable_chooses_the_profile(tmp_path: Path, value: str, expected: int) -> None:
    """A property with no settings of its own runs as many examples as the chosen profile says."""
    _probe_folder(tmp_path)
    env = {**os.environ, "COACH_HYPOTHESIS": value}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "-k", "count",
                             "-o", "addopts=", str(tmp_path)],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    runs = int(re.search(r"RAN (\d+) EXAMPLES", result.stdout).group(1))
    assert runs == expected, result.stdout


def test_an_unknown_profile_is_refused(tmp_path: Path) -> None:
    _probe_folder(tmp_path)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                             str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                            env={**os.environ, "COACH_HYPOTHESIS": "thorogh"})
    assert result.returncode != 0
    assert "COACH_HYPOTHESIS='thorogh'" in result.stdout + result.stderr
