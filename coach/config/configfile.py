"""Small strict TOML files (settings, themes): decode into a Struct or say what is wrong, and where.

A broken file must never stop the app: callers get either the value or one sentence naming the
file, the line and the problem in TOML words (the same wording the scenario loader uses).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import msgspec

T = TypeVar("T")


class ConfigError(ValueError):
    """A settings or theme file that cannot be used; str() is the sentence to show."""


def load_toml(path: Path, kind: type[T]) -> T:
    """Read `path` into `kind`; raise ConfigError with `file:line: problem` when it does not fit."""
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror or error})") from None
    return decode_toml(text, kind, str(path))


def decode_toml(text: str, kind: type[T], name: str) -> T:
    import tomllib  # here, not on import: a start with no settings file and cached themes parses no TOML

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name}: invalid TOML: {error}") from None
    try:
        return msgspec.convert(document, kind)
    except msgspec.ValidationError as error:
        from ..scenario.loader import _translate
        from ..scenario.tomlpos import locate, scan

        pending = _translate(error, ())
        line, _ = locate(scan(text), pending.path, at=pending.at)
        raise ConfigError(f"{name}:{line}: {pending.message}") from None
