"""The installed wheel works from any folder: the built-in library and rubric ship inside it.

The wheel is built once per run and installed, with pip, into a fresh venv of its own. Its
dependencies are not downloaded and installed a second time: the venv sees this suite's own
site-packages through a `.pth` file, where `.ci/run` installed them from pyproject.toml, and a
test checks the wheel declares every one of them. (Installing them again took 10 of the
fixture's 20 seconds, and pip in the new venv 5 more: the suite's pip installs into it.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("wheel")  # one worker builds the wheel once

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
        check=True, capture_output=True,
    )
    [built] = (work / "dist").glob("coach-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path) -> Path:
    """A fresh venv with the project's wheel installed by pip (its `coach` script included);
    returns its bin folder. The dependencies come from this suite's site-packages (see above)."""
    env_dir = wheel.parent.parent / "env"
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    site = Path(subprocess.run([str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "suite-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    # --force-reinstall: the borrowed site-packages may hold this very version of coach (`.ci/run`
    # installs it there), which pip would take as already installed and skip. It never uninstalls
    # that one: pip leaves alone what is outside the environment it installs into.
    subprocess.run([sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "-q", "--no-deps",
                    "--force-reinstall", str(wheel)], check=True, capture_output=True)
    return bin_dir


def test_the_wheel_declares_every_dependency_of_pyproject(wheel: Path) -> None:
    """What the installed venv borrows from the suite's site-packages, the wheel asks for itself."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    with zipfile.ZipFile(wheel) as archive:
        [metadata] = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode("utf-8").splitlines()
    required = [line.removeprefix("Requires-Dist: ") for line in lines
                if line.startswith("Requires-Dist: ") and "extra ==" not in line]  # the test extra is the suite's own
    assert declared and sorted(map(_normal, required)) == sorted(map(_normal, declared))


def _normal(requirement: str) -> str:
    """One spelling of a requirement (the wheel's metadata orders the version bounds its own way)."""
    from packaging.requirements import Requirement

    return str(Requirement(requirement))


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(bin_dir / "coach"), *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_installed_check_runs_from_another_folder(installed: Path, tmp_path: Path, shared_explorations: Path) -> None:
    # Shared: the built-ins' exploration warnings are worked out once a run (tests/conftest.py);
    # the installed coach reads and writes them by content, as the source tree's does.
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
    result = _run(installed, "simulate", str(scenario), "--choices", "rollback,postmortem", "--seed", "1", "--json", "--no-save",
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ending"] == "contained" and payload["overall"] == 100


def test_installed_completion_help_and_config(installed: Path, tmp_path: Path) -> None:
    env_home = {"COACH_HOME": str(tmp_path / "home")}
    for command in (["--help"], ["serve", "--help"], ["report", "--help"], ["config", "--help"]):
        result = _run(installed, *command, cwd=tmp_path)
        assert result.returncode == 0 and "Example" in result.stdout, (command, result.stderr)
    source = subprocess.run([str(installed / "coach")], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, **env_home, "_COACH_COMPLETE": "bash_source"})
    assert "_coach_completion" in source.stdout
    path = subprocess.run([str(installed / "coach"), "config", "path"], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, **env_home})
    assert path.stdout.strip() == str(tmp_path / "home" / "config" / "settings.toml")


def test_installed_report_on_simulated_sessions(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["COACH_HOME"] = str(tmp_path / "home")
    from coach.engine.explore import explore
    from coach.config.library import resolve

    drift = resolve("precision-cliff").scenario
    expert = [drift.nodes[step.scene].choices[step.choice].id for step in explore(drift).expert_path]
    for choices in (",".join(expert[:2]), expert[0]):  # ids: what a number presses depends on the seed
        subprocess.run([str(installed / "coach"), "simulate", "precision-cliff", "--choices", choices, "--seed", "1"],
                       capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    sessions = tmp_path / "home" / "data" / "sessions"
    result = subprocess.run([str(installed / "coach"), "report", str(sessions), "--format", "json"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["sessions"]) == 2


def test_installed_serve_serves_its_page_and_assets(installed: Path, tmp_path: Path) -> None:
    """textual-serve's page, script and styles come with the wheel's dependencies; only loopback is used."""
    import signal
    import urllib.request

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["COACH_HOME"] = str(tmp_path / "home")
    process = subprocess.Popen([str(installed / "coach"), "serve", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
    try:
        first = process.stdout.readline()
        assert first.startswith("coach is being served at http://127.0.0.1:"), first + process.stderr.read()
        url = first.split()[-1]
        join = process.stdout.readline().split()[-1]  # "Learners join at URL?token=..."
        import http.cookiejar
        import urllib.parse

        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        browser.open(join, timeout=10).read()
        with browser.open(url + "/join", data=urllib.parse.urlencode({"name": "Ana"}).encode(), timeout=10) as page:
            assert "data-session-websocket-url" in page.read().decode("utf-8")
        with urllib.request.urlopen(url + "/static/js/textual.js", timeout=10) as script:
            assert len(script.read()) > 100_000
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
