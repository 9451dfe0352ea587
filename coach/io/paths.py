"""Where coach finds its built-in files and keeps the user's.

Built-in scenarios and themes ship inside the wheel (`coach/_builtin/`); in a source checkout
they are the top-level `scenarios/` and `themes/` folders. User data follows the platform's
conventions through platformdirs, and `COACH_HOME` moves everything under one folder so tests
never touch a real home.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "coach"
_PACKAGE = Path(__file__).resolve().parent.parent  # coach/, this file is coach/io/paths.py


def _builtin(name: str) -> Path:
    installed = _PACKAGE / "_builtin" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def builtin_scenarios_dir() -> Path:
    return _builtin("scenarios")


def builtin_themes_dir() -> Path:
    return _builtin("themes")


def rubric_path() -> Path:
    return builtin_scenarios_dir() / "rubric.toml"


def _home() -> Path | None:
    value = os.environ.get("COACH_HOME")
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Sessions and kept scenario versions."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user's own scenarios, themes and settings."""
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """What coach can always rebuild (validated scenarios by file hash): safe to delete at any time."""
    home = _home()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def kept_scenarios_dir() -> Path:
    return data_dir() / "scenarios-by-hash"


def user_scenarios_dir() -> Path:
    return config_dir() / "scenarios"


def user_themes_dir() -> Path:
    return config_dir() / "themes"


def settings_path() -> Path:
    return config_dir() / "settings.toml"


CONFINE_ENV = "COACH_CONFINE"
"""Set by `coach serve` for a learner's app: the one folder that app may write files in."""


def confine(path: Path) -> Path:
    """`path` as the app may write it. Normally itself; in a served app (COACH_CONFINE set), a
    relative path is taken inside the learner's folder and one that leads outside it (by `..`, an
    absolute path or a link) raises PermissionError, an OSError the screens already report."""
    root_text = os.environ.get(CONFINE_ENV)
    if not root_text:
        return path
    root = Path(root_text).resolve()
    if str(path).startswith("~"):
        raise PermissionError(f"{path}: a served coach saves only inside your own folder; give a file name")
    full = (root / path).resolve()
    if full != root and root not in full.parents:
        raise PermissionError(f"{path}: a served coach saves only inside your own folder; give a file name")
    return full


SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: object) -> bool:
    """64 lowercase hex digits: the only form of a hash that is ever used in a file name."""
    return isinstance(value, str) and SHA256.fullmatch(value) is not None
