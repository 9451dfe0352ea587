"""Shared fixtures. Every test gets its own COACH_HOME, so no test reads or writes a real home.

Hypothesis runs under a profile chosen by COACH_HYPOTHESIS: "quick" (the default, 40 examples a
property, for a suite a developer runs often) or "thorough" (600 examples a property, for CI to
opt into). No test pins `max_examples` itself, so the profile governs every property
(tests/test_hypothesis_profiles.py checks both).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

HYPOTHESIS_PROFILES = {
    "quick": settings(max_examples=40, deadline=None),
    "thorough": settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow]),
}
for _name, _profile in HYPOTHESIS_PROFILES.items():
    settings.register_profile(_name, _profile)
HYPOTHESIS_PROFILE = os.environ.get("COACH_HYPOTHESIS", "").strip() or "quick"
if HYPOTHESIS_PROFILE not in HYPOTHESIS_PROFILES:
    raise pytest.UsageError(f"COACH_HYPOTHESIS={HYPOTHESIS_PROFILE!r}: expected one of {', '.join(HYPOTHESIS_PROFILES)}")
settings.load_profile(HYPOTHESIS_PROFILE)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUILTIN = ROOT / "scenarios"


@pytest.fixture(autouse=True)
def coach_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("coach-home")
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    # The first-run tour is its own test's business (tests/tui/test_tui_tour.py); elsewhere it would
    # stand between every home-screen test and the library.
    (home / "data").mkdir()
    (home / "data" / "welcomed").write_text("", "utf-8")
    return home


@pytest.fixture
def data_dir() -> Path:
    return DATA
