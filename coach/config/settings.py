"""The learner's settings file: theme, default mode and key bindings, remembered between runs.

The file is strict like every coach format (a typo is reported, never ignored). A broken file
never stops the app: `load` returns the defaults and a sentence naming the file and the problem.
Saving writes a temporary file beside the target and renames it over, so a crash mid-write
leaves the old settings intact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from ..io.paths import settings_path

DEFAULT_THEME = "coach-night"
MAX_SETTINGS_BYTES = 256 * 1024

StartMode = Literal["scenario", "coach", "exam"]


class Settings(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    theme: Annotated[str, Meta(description="Name of the theme to use (built-in or from the themes folder).")] = DEFAULT_THEME
    mode: Annotated[
        StartMode,
        Meta(description="Mode a scenario starts in: scenario (its own default), coach (feedback after each decision) or exam."),
    ] = "scenario"
    learner: Annotated[
        str,
        Meta(max_length=64, description="Your name in the sessions you play, so cohort reports can tell learners apart."),
    ] = ""
    library: Annotated[
        list[Annotated[str, Meta(max_length=4096)]],
        Meta(max_length=64, description='Extra folders of scenarios the library lists, e.g. ["~/team-scenarios"] (a git checkout).'),
    ] = []
    confidence: Annotated[
        bool,
        Meta(description="Coach mode asks how sure you are (sure / think so / guessing) before each decision's feedback, "
                         "and the debrief shows your calibration. false skips the question; exam mode never asks."),
    ] = True
    keymap: Annotated[
        dict[str, str],
        Meta(description='Binding id -> keys, e.g. "play.leave" = "escape,ctrl+l". `?` in the app lists the ids.'),
    ] = {}

    def start_mode(self, scenario_default: str) -> str:
        """The mode a scenario opens in: the learner's preference, else the scenario's own default."""
        return scenario_default if self.mode == "scenario" else self.mode


RESERVED_KEYS: dict[str, str] = {
    **{str(n): f"play.choice-{n}" for n in range(1, 10)},
    "enter": "play.continue",
    "escape": "play.leave",
    "ctrl+c": "app.help-quit",
}
"""Keys the play screen and the app keep for themselves, with the binding that owns each one.

A remap of any other binding onto one of these is refused: `"app.quit" = "1"` would make
choosing the first option quit the app."""


def check_keymap(keymap: dict[str, str], known: set[str]) -> tuple[dict[str, str], list[str]]:
    """The remaps the app can apply, and one sentence for each refused (unknown id, reserved key).

    Pure: the app shows the sentences as notices. Every name and key in them is made inert."""
    from ..io.sanitise import line

    kept: dict[str, str] = {}
    notices: list[str] = []
    unknown = sorted(name for name in keymap if name not in known)
    if unknown:
        notices.append(f"settings.toml: unknown binding id {', '.join(repr(line(u)) for u in unknown)}; press ? to see the ids")
    for name, keys in keymap.items():
        if name not in known:
            continue
        taken = [key.strip() for key in keys.split(",") if RESERVED_KEYS.get(key.strip(), name) != name]
        if taken:
            owners = ", ".join(f"{line(key)!r} ({RESERVED_KEYS[key]})" for key in taken)
            notices.append(f"settings.toml: {line(name)!r} cannot use {owners}: the key is reserved; this remap was ignored")
            continue
        kept[name] = keys
    return kept, notices


def load(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, or the defaults and a message when the file is broken. A missing file is fine."""
    from .configfile import ConfigError, load_toml

    path = path or settings_path()
    if not path.exists():
        return Settings(), None
    if not path.is_file() or path.stat().st_size > MAX_SETTINGS_BYTES:  # a FIFO would hang the app
        return Settings(), f"{path}: not a regular file of at most {MAX_SETTINGS_BYTES // 1024} KiB; using the default settings"
    try:
        return load_toml(path, Settings), None
    except ConfigError as error:
        return Settings(), f"{error}; using the default settings"


def save(settings: Settings, path: Path | None = None) -> str | None:
    """Write the settings atomically. Returns a message instead of raising when it cannot."""
    import tomli_w

    return _write(path or settings_path(), tomli_w.dumps(msgspec.to_builtins(settings)).encode("utf-8"))


def remember(path: Path | None = None, **changes: str) -> str | None:
    """Change a few top-level settings (the theme, the mode) the app remembers for the learner.

    A file the learner wrote is theirs: its comments, order and other keys stay as they were
    (tomlkit edits just these keys), and a file that does not load is left alone until they fix
    it, with a message saying so, rather than replaced by one that has lost what they wrote."""
    path = path or settings_path()
    if not path.exists():
        return save(msgspec.structs.replace(Settings(), **changes), path)
    _, problem = load(path)
    if problem is not None:
        return f"not remembered: {path.name} has a problem to fix first ({problem.removesuffix('; using the default settings')})"
    import tomlkit

    try:
        document = tomlkit.parse(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as error:
        return f"could not update {path}: {error}"
    for key, value in changes.items():
        if value == getattr(Settings(), key) and key not in document:
            continue
        document[key] = value
    return _write(path, tomlkit.dumps(document).encode("utf-8"))


def _write(path: Path, data: bytes) -> str | None:
    from ..io.atomic import write_atomic

    try:
        write_atomic(path, data, durable=True)
    except OSError as error:
        return f"could not save settings to {path}: {error.strerror or error}"
    return None
