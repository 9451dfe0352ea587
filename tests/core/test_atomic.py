"""write_atomic: the old contents or the new, never half; a file keeps its permissions. write_cache:
the same, where a failed write is only no cache."""

from __future__ import annotations

import os
import stat

import pytest

from coach.io import atomic
from coach.io.atomic import write_atomic


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_it_replaces_the_contents_and_leaves_no_temporary_file(tmp_path) -> None:
    target = tmp_path / "deep" / "settings.toml"  # missing folders are made
    write_atomic(target, "first = 1\r\n")  # text is UTF-8, newlines as given
    write_atomic(target, b"second = 2\n")
    assert target.read_bytes() == b"second = 2\n"
    assert _leftovers(target.parent) == []


@pytest.mark.parametrize("durable", [False, True])
def test_a_failed_write_keeps_the_old_file_whole_and_removes_the_temporary(tmp_path, monkeypatch, durable) -> None:
    target = tmp_path / "index.msgpack"
    target.write_bytes(b"old contents")

    def refuse(*_args) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync" if durable else "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new contents that never land", durable=durable)
    assert target.read_bytes() == b"old contents"
    assert _leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_nothing_behind(tmp_path, monkeypatch) -> None:
    target = tmp_path / "kept.toml"

    def interrupted(*_args) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "x = 1\n")
    assert not target.exists() and _leftovers(tmp_path) == []


def test_an_existing_file_keeps_its_mode(tmp_path) -> None:
    target = tmp_path / "private.toml"
    target.write_text("a = 1\n")
    target.chmod(0o600)
    write_atomic(target, "a = 2\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o640)
    write_atomic(target, "a = 3\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "a = 3\n"


def test_a_new_file_gets_the_mode_open_would_give_it(tmp_path) -> None:
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.toml", "a = 1\n")
        (tmp_path / "plain.toml").write_text("a = 1\n")
    finally:
        os.umask(previous)
    made = stat.S_IMODE((tmp_path / "new.toml").stat().st_mode)
    assert made == stat.S_IMODE((tmp_path / "plain.toml").stat().st_mode) == 0o640  # not mkstemp's 0600


def test_a_folder_in_the_way_is_an_error_and_is_left_alone(tmp_path) -> None:
    target = tmp_path / "scenario.toml"
    target.mkdir()
    with pytest.raises(OSError):
        write_atomic(target, "a = 1\n")
    assert target.is_dir() and _leftovers(tmp_path) == []


def test_a_cache_that_cannot_be_written_is_only_no_cache(tmp_path, monkeypatch) -> None:
    target = tmp_path / "cache" / "entry.msgpack"
    assert atomic.write_cache(target, b"kept") is True and target.read_bytes() == b"kept"

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    assert atomic.write_cache(target, b"never lands") is False  # no exception: the caller goes on without it
    assert target.read_bytes() == b"kept" and _leftovers(target.parent) == []
