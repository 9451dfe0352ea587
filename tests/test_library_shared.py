"""Shared libraries: folders named in settings and packages that ship scenarios join the library,
marked with their source; a broken file is listed as broken and a bad source is skipped, never fatal."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from coach.config import library
from coach.io.paths import settings_path

GOOD = Path(__file__).resolve().parent / "data" / "good" / "minimal.toml"


def _pack(folder: Path, scenario_id: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{scenario_id}.toml").write_text(GOOD.read_text().replace('id = "minimal"', f'id = "{scenario_id}"', 1))
    (folder / "broken.toml").write_text('format = 1\nid = "broken\n')


def _settings(text: str) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(text)


def _entries() -> dict[str, library.LibraryEntry]:
    return {f"{e.source}:{e.path.name}": e for e in library.library()}


def test_a_settings_folder_joins_the_library_marked_with_where_it_is(tmp_path: Path) -> None:
    _pack(tmp_path / "team-scenarios", "team-drill")
    _settings(f'library = ["{tmp_path / "team-scenarios"}", "{tmp_path / "missing"}"]\n')
    entries = _entries()
    good = entries[f"{tmp_path / 'team-scenarios'}:team-drill.toml"]
    assert good.result.scenario is not None and good.result.scenario.id == "team-drill"
    assert not good.builtin and not good.shipped  # a team's checkout is edited in place
    broken = entries[f"{tmp_path / 'team-scenarios'}:broken.toml"]
    assert broken.result.scenario is None and broken.result.diagnostics[0].code == "C004"
    assert library.resolve("team-drill").scenario.id == "team-drill"
    [problem] = library.library_problems()
    assert "missing" in problem and "skipped" in problem


@pytest.fixture
def fake_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed package as importlib.metadata sees one: a *.dist-info with entry_points.txt."""
    site = tmp_path / "site"
    _pack(site / "acme_coach_scenarios", "acme-outage")
    info = site / "acme_coach_scenarios-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-coach-scenarios\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[coach.scenarios]\nacme = acme_coach_scenarios\nghost = no_such_package_here\n")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    return site


def test_a_package_ships_scenarios_through_an_entry_point(fake_distribution: Path) -> None:
    entries = _entries()
    good = entries["acme-coach-scenarios:acme-outage.toml"]
    assert good.result.scenario is not None and good.shipped and not good.builtin
    assert entries["acme-coach-scenarios:broken.toml"].result.scenario is None  # listed, broken
    assert "acme_coach_scenarios" not in sys.modules  # found without importing the pack's code
    [problem] = library.library_problems()
    assert "no_such_package_here" in problem
    # the built-in library is all still there
    assert sum(1 for e in entries.values() if e.builtin) >= 12


def test_the_home_screen_marks_a_pack_with_its_name(fake_distribution: Path) -> None:
    from coach.tui.screens.home import HomeScreen

    entries = _entries()
    screen = HomeScreen.__new__(HomeScreen)  # only _row is needed: no app, no mount
    screen.best = {}
    row = HomeScreen._row(screen, entries["acme-coach-scenarios:acme-outage.toml"])
    assert str(row[1]).endswith(" · acme-coach-scenarios")


def _wheel(folder: Path) -> Path:
    """A real wheel of a scenario pack, as `pip wheel` makes one from a pyproject with
    `[project.entry-points."coach.scenarios"] acme = "acme_coach_scenarios"`."""
    import base64
    import hashlib
    import zipfile

    name, version = "acme_coach_scenarios", "1.0"
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": "",
        f"{name}/acme-wheel.toml": GOOD.read_text().replace('id = "minimal"', 'id = "acme-wheel"', 1),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: acme-coach-scenarios\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: coach-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": f"[coach.scenarios]\nacme = {name}\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return wheel


def test_a_pack_installed_from_a_wheel_by_pip_joins_the_library_of_the_coach_command(tmp_path: Path) -> None:
    import json
    import os
    import subprocess

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(target), str(_wheel(tmp_path))], check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-m", "coach", "explore", "acme-wheel"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("Minimal (acme-wheel): every path"), done.stderr
    listed = subprocess.run([sys.executable, "-c", "import json; from coach.config import library; print(json.dumps("
                             "[[e.path.name, str(e.source), e.shipped] for e in library.library()]))"],
                            capture_output=True, text=True, env=env, timeout=120, check=True)
    rows = json.loads(listed.stdout)
    [row] = [r for r in rows if r[0] == "acme-wheel.toml"]
    assert "acme-coach-scenarios" in row[1] and row[2] is True  # marked with its source, edited as a copy
