"""The scenario library: built-in scenarios, the user's own, and shared ones, found on disk.

Shared scenarios come from two places, so a team can keep theirs in a git repository or ship
them as a Python package:

- folders named in settings.toml, `library = ["~/team-scenarios"]`;
- installed packages that declare an entry point in the group `coach.scenarios`, whose value
  names a package directory holding `.toml` files, e.g. in the pack's pyproject.toml:
  `[project.entry-points."coach.scenarios"] acme = "acme_coach_scenarios"`.

Each entry is marked with its source. A broken file is listed as broken (its diagnostics), and a
folder or entry point that cannot be read is skipped with a sentence in `library_problems()`;
neither ever stops the library. Each source is bounded to MAX_FILES files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from ..io.paths import builtin_scenarios_dir, user_scenarios_dir

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from ..scenario.loader import LoadResult

RUBRIC_NAME = "rubric.toml"
ENTRY_POINT_GROUP = "coach.scenarios"
MAX_FILES = 2000
"""Files taken from one folder or package, so a mistaken `library = ["~"]` stays quick."""


def scenario_files_in(folder: Path) -> list[Path]:
    """Every `*.toml` under a folder, recursively, except the rubric; sorted for stable output."""
    return sorted(p for p in folder.rglob("*.toml") if p.name != RUBRIC_NAME and p.is_file())


def default_scenario_files() -> list[Path]:
    return [path for path, _, _ in library_files()]


class Source(msgspec.Struct, frozen=True):
    """Where scenarios come from: the label the library shows, and whether they are the app's or a pack's."""

    label: str
    folder: Path
    shipped: bool
    """Built in or installed from a package: edited as a copy, never in place."""


def sources() -> tuple[list[Source], list[str]]:
    """Every scenario source in library order, and a sentence for each one that cannot be used."""
    found = [Source("", builtin_scenarios_dir(), True)]
    problems: list[str] = []
    user = user_scenarios_dir()
    if user.is_dir():
        found.append(Source("", user, False))
    from . import settings as settings_module

    for entry in settings_module.load()[0].library:
        folder = Path(entry).expanduser()
        if folder.is_dir():
            found.append(Source(entry, folder, False))
        else:
            problems.append(f"settings.toml: library folder {entry} is not a folder; skipped")
    packs, pack_problems = package_sources()
    return found + packs, problems + pack_problems


def package_sources() -> tuple[list[Source], list[str]]:
    """Folders of scenarios that installed packages name in the `coach.scenarios` entry point group."""
    if not _may_declare_packs():
        return [], []
    from importlib import metadata

    found, problems = [], []
    try:
        points = metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception as error:  # a broken installed distribution must not stop the library
        return [], [f"could not read the installed packages' entry points: {error}"]
    for point in sorted(points, key=lambda p: (p.dist.name if p.dist else "", p.name)):
        label = point.dist.name if point.dist is not None else point.name
        label = "".join(ch for ch in str(label) if ch.isprintable())[:60] or "a package"  # metadata is the pack's text
        folder = _package_folder(point)
        if folder is None:
            problems.append(f"package {label}: entry point {point.name} = {point.value!r} names no package folder; skipped")
            continue
        found.append(Source(label, folder, True))
    return found, problems


def _may_declare_packs() -> bool:
    """False only when no installed distribution can declare a `coach.scenarios` entry point.

    `importlib.metadata` costs more to import and scan than the rest of the library's first
    frame, and almost nobody has a pack; so the folders on sys.path are looked at first, and any
    doubt (a zip on the path, a finder with distributions of its own, a file that cannot be read,
    an `entry_points.txt` that names the group) hands the question to importlib.metadata."""
    import sys
    from importlib.machinery import PathFinder

    if any(finder is not PathFinder and hasattr(finder, "find_distributions") for finder in sys.meta_path):
        return True
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as items:
                for item in items:
                    if not item.name.endswith((".dist-info", ".egg-info")) or not item.is_dir():
                        continue
                    try:
                        text = Path(item.path, "entry_points.txt").read_text("utf-8", "replace")
                    except FileNotFoundError:
                        continue
                    if ENTRY_POINT_GROUP in text:
                        return True
        except (FileNotFoundError, NotADirectoryError) as error:
            if isinstance(error, NotADirectoryError) or Path(entry).is_file():
                return True  # a zip or egg on the path: importlib.metadata reads those
        except OSError:
            return True
    return False


def _package_folder(point: EntryPoint) -> Path | None:
    """The folder of the package an entry point names, found without importing the package."""
    name = point.value.split(":", 1)[0].strip()
    if not name or not all(part.isidentifier() for part in name.split(".")):
        return None
    if point.dist is not None:
        try:
            candidate = Path(str(point.dist.locate_file(name.replace(".", "/"))))
        except Exception:
            candidate = None
        if candidate is not None and candidate.is_dir():
            return candidate
    import importlib.util

    try:
        spec = importlib.util.find_spec(name) if "." not in name else None
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations and Path(locations[0]).is_dir() else None


def library_files() -> list[tuple[Path, Source, bool]]:
    """(file, its source, built in) for every scenario file of every source, each file once."""
    seen: set[Path] = set()
    files = []
    for source in sources()[0]:
        try:
            found = scenario_files_in(source.folder)[:MAX_FILES]
        except OSError:
            continue
        builtin = source.folder == builtin_scenarios_dir()
        for path in found:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                files.append((path, source, builtin))
    return files


def library_problems() -> list[str]:
    """Why a configured folder or an installed pack is not in the library, one sentence each."""
    return sources()[1]


@dataclass
class LibraryEntry:
    path: Path
    result: LoadResult
    builtin: bool
    source: str = ""
    """Where a shared scenario comes from: the settings folder as written, or the package's name;
    empty for the built-in and the user's own."""
    shipped: bool = False
    """From a package: edited as a copy, like a built-in."""
    preview: dict[str, object] | None = None
    """Set only while the file is still to be loaded (see `quick_library`): its top-level keys, or
    {} when they do not read alone; `result` is then a placeholder with no scenario."""

    @property
    def pending(self) -> bool:
        return self.preview is not None


class ScenarioNotFound(LookupError):
    """A scenario reference that names no file and no scenario id in the library."""


def library() -> list[LibraryEntry]:
    """Every scenario the home screen lists, broken ones included (marked by their diagnostics).
    Files loaded before come from the cache of validated scenarios, by the hash of their bytes."""
    from ..scenario import cached

    entries = []
    for path, source, builtin in library_files():
        entries.append(LibraryEntry(path, cached.load(path), builtin, source.label,
                                    source.shipped and not builtin))
    return entries


def quick_library() -> list[LibraryEntry]:
    """The library as far as it can be known without parsing TOML: files the cache of validated
    scenarios answers are complete entries; the others are pending, with their top-level keys
    (coach.scenario.header) for the list to show until `load_pending` loads them."""
    from ..scenario import cache, cached
    from ..scenario.header import preview
    from ..scenario.result import LoadResult, _Unreadable, read_bounded

    entries = []
    for path, source, builtin in library_files():
        shipped = source.shipped and not builtin
        try:
            data = read_bounded(path)
        except _Unreadable:
            entries.append(LibraryEntry(path, cached.load(path), builtin, source.label, shipped))  # says why at once
            continue
        result = cache.lookup(data, str(path))
        if result is None:
            placeholder = LoadResult(path=str(path), scenario=None)
            entries.append(LibraryEntry(path, placeholder, builtin, source.label, shipped, preview=preview(data) or {}))
        else:
            entries.append(LibraryEntry(path, result, builtin, source.label, shipped))
    return entries


def load_pending(entries: list[LibraryEntry]) -> list[LibraryEntry]:
    """The same entries with every pending one loaded (and kept in the cache for the next start)."""
    from ..scenario import cached

    return [LibraryEntry(e.path, cached.load(e.path), e.builtin, e.source, e.shipped) if e.pending else e
            for e in entries]


def resolve(reference: str) -> LoadResult:
    """A scenario by path, or by id from the built-in library and the user's own scenarios
    (through the cache of validated scenarios, so `coach play` parses no TOML it parsed before)."""
    from ..scenario.cached import load

    candidate = Path(reference)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in reference:
        return load(candidate)
    for folder in (builtin_scenarios_dir(), user_scenarios_dir()):
        direct = folder / f"{reference}.toml"
        if direct.is_file():
            result = load(direct)
            if result.scenario is None or result.scenario.id == reference:
                return result
    known = []
    for entry in library():
        if entry.result.scenario is not None:
            if entry.result.scenario.id == reference:
                return entry.result
            known.append(entry.result.scenario.id)
    from ..scenario.diagnostics import did_you_mean

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
