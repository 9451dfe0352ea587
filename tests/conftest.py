"""Shared fixtures. Every test gets its own COACH_HOME, so no test reads or writes a real home.

Work the worker processes share (the built-in library's explorations and check warnings) is
kept in one folder per run (tests/shared_work.py); a test whose `coach check` of the built-in
library only needs to be fast asks for `shared_explorations` (`shared_analyses` links a home's
data/analyses to the shared one). The tests about those caches never do: they keep their own home.

Hypothesis runs under a profile chosen by COACH_HYPOTHESIS: "quick" (the default, 40 examples a
property, for a suite a developer runs often) or "thorough" (600 examples a property, for CI to
opt into). No test pins `max_examples` itself, so the profile governs every property
(tests/test_hypothesis_profiles.py checks both).
"""

from __future__ import annotations

import contextlib
import gc
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import shared_work

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



def pytest_configure(config: pytest.Config) -> None:
    """Full collections a tenth as often (every 100th collection of the middle generation, not
    every 10th); the young generations as Python sets them. A worker's full collection walks
    everything it holds, which by the end of a run is ~0.35 s: tests/tui made 55 of them in each
    worker, 19 s of its 72. With this, 3-4, and each worker's peak memory 215-270 MB instead of
    185-215 MB. (Only the suite's processes: what the app does is Python's default.)"""
    gc.set_threshold(700, 10, 100)


ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUILTIN = ROOT / "scenarios"


@pytest.fixture(scope="session", autouse=True)
def shared_root(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """The run's shared folder, the same for every xdist worker (see tests/shared_work.py)."""
    shared_work.ROOT = shared_work.session_root(tmp_path_factory.getbasetemp(), hasattr(request.config, "workerinput"))
    return shared_work.ROOT


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
def shared_analyses(coach_home: Path) -> Path:
    """This test's COACH_HOME keeps its explorations and check warnings (data/analyses) in the
    run's shared home; everything else in the home stays the test's own. The entries are
    content-addressed (the file's hash or the parsed scenario, coach's version, the rubric, the
    bounds), so sharing changes how long a check or a debrief takes, never what it reports. Where
    a folder cannot be linked, the test keeps its own (only slower)."""
    shared = shared_work.home()
    if shared is not None:
        with contextlib.suppress(OSError):
            (coach_home / "data" / "analyses").symlink_to(shared / "data" / "analyses", target_is_directory=True)
    return coach_home


@pytest.fixture
def shared_explorations(shared_analyses: Path) -> Path:
    """`shared_analyses`, with the built-ins checked in this process first
    (`builtin_library.checked`, which the workers coordinate so that each scenario is explored
    once a run): a `coach check` of the library run as a subprocess then reads the exploration
    warnings kept for them instead of exploring beside another worker."""
    import builtin_library

    if (shared_analyses / "data" / "analyses").is_symlink():
        for stem in builtin_library.IDS:
            builtin_library.checked(stem)
    return shared_analyses


@pytest.fixture
def data_dir() -> Path:
    return DATA
