"""The scenario library: built-in scenarios and the user's own, found on disk."""

from __future__ import annotations

from pathlib import Path

from .paths import builtin_scenarios_dir, user_scenarios_dir

RUBRIC_NAME = "rubric.toml"


def scenario_files_in(folder: Path) -> list[Path]:
    """Every `*.toml` under a folder, recursively, except the rubric; sorted for stable output."""
    return sorted(p for p in folder.rglob("*.toml") if p.name != RUBRIC_NAME and p.is_file())


def default_scenario_files() -> list[Path]:
    files = scenario_files_in(builtin_scenarios_dir())
    user = user_scenarios_dir()
    if user.is_dir():
        files.extend(scenario_files_in(user))
    return files
