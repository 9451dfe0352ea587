"""Replace a file in one step, so a reader (or a crash) sees the old contents or the new, never half.

One helper for every file coach writes whole: settings, saved scenarios and their backups, kept
scenario versions, saved explorations, the sessions index, a served learner's name; and
`write_cache` over it for the caches, where a failed write is only a miss next time. It sits low
(standard library only) so the core and the shells can both use it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, durable: bool = False) -> None:
    """Write `data` (str is written as UTF-8, newlines untouched) to `path` through a temporary
    file in the same folder, then `os.replace` it into place. Raises OSError; on any failure the
    temporary file is removed and `path` is left as it was.

    Permissions: a file that exists keeps its mode (a saved scenario stays 0644, or 0600 if the
    author made it so); a new file gets what `open()` would give it (0666 less the umask), because
    the temporary file is created with that mode rather than mkstemp's 0600. `durable` also
    fsyncs before the rename, for files a person edits (settings), where losing the write to a
    power cut would surprise them; caches skip it.
    """
    target = Path(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        keep_mode: int | None = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        keep_mode = None
    temporary = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if keep_mode is not None:
            os.chmod(temporary, keep_mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_cache(path: str | os.PathLike[str], data: bytes) -> bool:
    """Write a cache file atomically; False if it could not be written. A read-only or full
    disk only means no cache: every cache coach keeps (validated scenarios, explorations, check
    warnings, the sessions index, the report cache) is rebuilt from the files it stands for."""
    try:
        write_atomic(path, data)
    except OSError:
        return False
    return True
