"""The installed wheel works from any folder: the built-in library and rubric ship inside it.

Slow (a wheel build and a fresh venv with the dependencies), so it runs once per session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the project's wheel installed; returns its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = (work / "dist").glob("coach-*.whl")
    env_dir = work / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(bin_dir / "coach"), *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_installed_check_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
    files = int(result.stdout.strip().splitlines()[-1].split()[0])
    assert files >= 1


def test_installed_wheel_holds_scenarios_and_themes(installed: Path) -> None:
    site = next((installed.parent / "lib").glob("python*/site-packages"))
    builtin = site / "coach" / "_builtin"
    assert (builtin / "scenarios" / "rubric.toml").is_file()
    assert any((builtin / "scenarios").glob("*.toml"))
    assert (builtin / "themes").is_dir()


def test_installed_simulate_and_version(installed: Path, tmp_path: Path) -> None:
    version = _run(installed, "--version", cwd=tmp_path)
    assert version.returncode == 0 and "coach" in version.stdout
    scenario = ROOT / "tests" / "data" / "good" / "minimal.toml"
    result = _run(installed, "simulate", str(scenario), "--choices", "1,1", "--seed", "1", "--json", "--no-save", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ending"] == "contained" and payload["overall"] == 100
