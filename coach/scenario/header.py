"""A scenario file's top-level keys (id, title, difficulty, minutes, criteria), read without its
scenes: what the library lists while the file itself loads in the background.

A file's top-level keys come before its first table header, and scenarios put `[criteria]`
first, so the text up to the header after `[criteria]` is a small TOML document of its own.
Anything unusual (a header inside a multi-line string, a key written later) makes the preview
fail or lack a key; the caller then waits for the full load, which is always the truth.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_CRITERIA = re.compile(r"^[ \t]*\[[ \t]*criteria[ \t]*\][ \t]*(?:#.*)?$", re.MULTILINE)
MAX_PREVIEW = 64 * 1024
"""Bytes looked at: the top-level keys of any real scenario fit well inside."""


def preview(data: bytes) -> dict[str, object] | None:
    """The top-level keys as tomllib reads them, or None when the head does not parse alone."""
    import tomllib

    text = data[:MAX_PREVIEW].decode("utf-8", "ignore").removeprefix("\ufeff")
    first = _HEADER.search(text)
    end = len(text) if first is None else first.start()
    if first is not None and _CRITERIA.match(text, first.start()):
        line_end = text.find("\n", first.start())
        following = _HEADER.search(text, line_end + 1) if line_end != -1 else None
        end = len(text) if following is None else following.start()
    try:
        head = tomllib.loads(text[:end])
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(head.get("title"), str):
        return None
    return head
