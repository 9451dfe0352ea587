"""The scenario library: built-in scenarios and the user's own, found on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import builtin_scenarios_dir, user_scenarios_dir

if TYPE_CHECKING:
    from .scenario.loader import LoadResult

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


@dataclass
class LibraryEntry:
    path: Path
    result: LoadResult
    builtin: bool


class ScenarioNotFound(LookupError):
    """A scenario reference that names no file and no scenario id in the library."""


def library(*, warnings: bool = False) -> list[LibraryEntry]:
    """Every scenario the home screen lists, broken ones included (marked by their diagnostics)."""
    from .scenario.loader import load_scenario

    entries = []
    builtin_root = builtin_scenarios_dir()
    for path in default_scenario_files():
        entries.append(LibraryEntry(path, load_scenario(path, warnings=warnings), path.is_relative_to(builtin_root)))
    return entries


def resolve(reference: str) -> LoadResult:
    """A scenario by path, or by id from the built-in library and the user's own scenarios."""
    from .scenario.loader import load_scenario

    candidate = Path(reference)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in reference:
        return load_scenario(candidate, warnings=False)
    for folder in (builtin_scenarios_dir(), user_scenarios_dir()):
        direct = folder / f"{reference}.toml"
        if direct.is_file():
            result = load_scenario(direct, warnings=False)
            if result.scenario is None or result.scenario.id == reference:
                return result
    known = []
    for entry in library():
        if entry.result.scenario is not None:
            if entry.result.scenario.id == reference:
                return entry.result
            known.append(entry.result.scenario.id)
    from .scenario.diagnostics import did_you_mean

    hint = did_you_mean(reference, known)
    raise ScenarioNotFound(f"no scenario '{reference}'{hint}; `coach check` lists the library, or pass a file path")


def copy_for_editing(source: Path, scenario_id: str, title: str) -> Path:
    """A copy of a built-in scenario in the user's scenarios folder, with an id and title of its
    own, so the library lists both and sessions of one are never taken for the other.

    Only `id` and `title` change (tomlkit keeps everything else as written, comments included),
    and an existing file is never replaced: the copy takes the first free `-copy`, `-copy-2`, ...
    name."""
    import tomlkit

    folder = user_scenarios_dir()
    folder.mkdir(parents=True, exist_ok=True)
    taken = {entry.result.scenario.id for entry in library() if entry.result.scenario is not None}
    for number in range(1, 1000):
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        new_id = f"{scenario_id}{suffix}"
        target = folder / f"{new_id}.toml"
        if new_id not in taken and not target.exists():
            break
    else:
        raise OSError(f"too many copies of {scenario_id} in {folder}")
    document = tomlkit.parse(source.read_text("utf-8"))
    document["id"] = new_id
    document["title"] = f"{title} (my copy)"
    with open(target, "x", encoding="utf-8") as out:  # "x": never over a file that appeared meanwhile
        out.write(tomlkit.dumps(document))
    return target
