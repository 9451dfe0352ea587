"""Session logs: one JSON Lines file per session, one event per line, appended as play happens.

Each event is written with a single `write` to a descriptor opened with O_APPEND, so a killed
process loses at most the line being written, and two processes never share a file (names are
created exclusively). A torn last line is ignored with a warning; a log from a newer program is
refused rather than misread.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import msgspec

from .. import __version__
from ..io.paths import SHA256 as SHA256, is_sha256 as is_sha256  # re-exported: the log validates hashes
from ..io.sanitise import without_controls

LOG_FORMAT = 1


class Branch(msgspec.Struct, frozen=True):
    session: str
    step: int
    """How many decisions of the original session were kept before branching."""


class Start(msgspec.Struct, tag="start", tag_field="event", kw_only=True, omit_defaults=True):
    session: str
    scenario: str
    title: str
    sha256: str
    seed: int
    mode: str
    version: str
    time: str
    log_format: int = LOG_FORMAT
    source: str = ""
    """Where the scenario file was when the session started (informational)."""
    branched_from: Branch | None = None
    start_scene: str | None = None
    """Set when an author started from a late scene (`--from`)."""
    start_metrics: dict[str, float] = {}
    start_flags: list[str] = []
    learner: str = ""
    """Who played, for cohort reports (settings `learner` or `COACH_LEARNER`); empty if unknown."""
    order: int = 0
    """How choices were ordered on screen: 0 authored order (logs from before shuffling), 1 seeded order
    (coach.engine.order, version 1). A resumed session keeps its order."""
    setup: str | None = None
    """The id of the scenario's setup the session plays (`[[setups]]`, drawn from the seed or picked with
    `--setup`); absent for a scenario without setups and in logs from before setups."""


class Choice(msgspec.Struct, tag="choice", tag_field="event", kw_only=True, omit_defaults=True):
    scene: str
    choice: int
    """0-based index in declaration order."""
    text: str
    time: str
    choice_id: str | None = None
    seconds: float = 0.0
    """How long the learner took to decide."""
    shown: list[int] | None = None
    """Authored indices of the scene's choices in the order they were on screen; missing = authored order."""
    confidence: str | None = None
    """How sure the learner said they were before the feedback (coach mode): sure, think-so or guessing
    (coach.engine.calibration); missing when not asked (exam mode, older logs)."""
    hinted: bool = False
    """The learner asked for the scene's hint before choosing: the decision's gains are halved (coach.engine.hints)."""


class Outcome(msgspec.Struct, tag="outcome", tag_field="event", kw_only=True):
    scene: str
    choice: int
    outcome: int
    draw: float
    goto: str


class Timeout(msgspec.Struct, tag="timeout", tag_field="event", kw_only=True, omit_defaults=True):
    scene: str
    goto: str
    time: str
    shown: list[int] | None = None
    """The order the choices were on screen when time ran out, as on a choice event."""


class End(msgspec.Struct, tag="end", tag_field="event", kw_only=True):
    ending: str
    scores: dict[str, int]
    overall: int
    time: str
    title: str = ""
    """The ending's title as played, so history can name it without loading the scenario (empty in older logs)."""
    reflexes: dict[str, int] = {}
    """Reflex id -> decisions that showed it, so the learner profile can trace reflexes over time
    without loading every scenario (empty in older logs)."""


class Reflection(msgspec.Struct, tag="reflection", tag_field="event", kw_only=True):
    """The learner's answer to the debrief's question, written after the end (the session stays finished)."""

    text: str
    time: str


class Clock(msgspec.Struct, tag="clock", tag_field="event", kw_only=True, omit_defaults=True):
    """The time left on a timed decision, written while it is on screen (every few seconds), when the
    learner pauses or resumes it (coach mode) and when they leave, so a resume continues the countdown
    instead of restarting it (coach.sessions.timeleft). Kept beside the events, like a reflection:
    it is not a decision."""

    scene: str
    step: int
    """Decisions made before this one: the clock belongs to decision `step + 1`."""
    left: float
    time: str
    paused: bool = False
    """The countdown was paused at `left` (coach mode); False when it was running or resumed."""


REFLECTION_MAX = 2000
"""Characters of a reflection kept when read: an answer, not an essay."""

Event = Start | Choice | Outcome | Timeout | End | Reflection | Clock

_encoder = msgspec.json.Encoder()
@functools.cache
def _line_decoder() -> msgspec.json.Decoder[Event]:
    return msgspec.json.Decoder(Event)
_version_probe = msgspec.json.Decoder(dict)


class SessionError(Exception):
    """A session file that cannot be used; the message says why in the learner's words."""


def now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def new_session_id(scenario_id: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{scenario_id}-{secrets.token_hex(3)}"


class SessionWriter:
    """Appends events to one session file. Write failures never stop play: `error` says why."""

    def __init__(self, path: Path, *, fd: int | None = None) -> None:
        self.path = path
        self.error: str | None = None
        self._fd = fd

    @classmethod
    def create(cls, folder: Path, session_id: str) -> SessionWriter:
        """A new file that no other process can have: created exclusively, never overwritten."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            writer = cls(folder / f"{session_id}.jsonl")
            writer.error = _describe(error, folder)
            return writer
        for attempt in range(100):
            name = session_id if attempt == 0 else f"{session_id}-{attempt}"
            path = folder / f"{name}.jsonl"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
            except FileExistsError:
                continue
            except OSError as error:
                writer = cls(path)
                writer.error = _describe(error, folder)
                return writer
            return cls(path, fd=fd)
        writer = cls(folder / f"{session_id}.jsonl")
        writer.error = "could not find a free session file name"
        return writer

    @classmethod
    def reopen(cls, path: Path) -> SessionWriter:
        """Append to an existing session (resume).

        A torn last line is our own half-written event from a crash: it is cut off before
        appending, so the log stays one clean event per line. A last line that is a complete
        event and only lacks its newline is kept: the newline is added instead.
        """
        try:
            data = path.read_bytes()
            fd = None
            if data and not data.endswith(b"\n"):
                tail = data[data.rfind(b"\n") + 1:]
                if _is_event(tail):  # complete, only its newline was lost: keep it
                    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
                    os.write(fd, b"\n")
                else:  # truly torn
                    os.truncate(path, data.rfind(b"\n") + 1)
            if fd is None:
                fd = os.open(path, os.O_WRONLY | os.O_APPEND)
            return cls(path, fd=fd)
        except OSError as error:
            writer = cls(path)
            writer.error = _describe(error, path.parent)
            return writer

    @property
    def saving(self) -> bool:
        return self._fd is not None and self.error is None

    @property
    def session_id(self) -> str:
        return self.path.stem

    def append(self, event: Event) -> None:
        if not self.saving:
            return
        data = _encoder.encode(event) + b"\n"
        try:
            assert self._fd is not None  # saving implies an open file
            written = os.write(self._fd, data)
            if written != len(data):
                raise OSError(28, "short write")
        except OSError as error:
            self.error = _describe(error, self.path.parent)

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            finally:
                self._fd = None

    def __enter__(self) -> SessionWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _describe(error: OSError, folder: Path) -> str:
    if error.errno == 28:
        return f"the disk is full; this session is not being saved ({folder})"
    if error.errno in (13, 30):
        return f"the data folder is read-only; this session is not being saved ({folder})"
    return f"this session is not being saved: {error.strerror or error} ({folder})"


@dataclass
class SessionRecord:
    path: Path
    start: Start | None
    events: list[Event] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reflection: str = ""
    """The learner's answer to the debrief's question (the last one written), cleaned; empty if none."""
    clock: Clock | None = None
    """The last clock event written after the last decision (coach.sessions.timeleft); None if none."""

    @property
    def id(self) -> str:
        return self.start.session if self.start else self.path.stem

    @property
    def end(self) -> End | None:
        last = self.events[-1] if self.events else None
        return last if isinstance(last, End) else None

    @property
    def finished(self) -> bool:
        return self.end is not None

    @property
    def decisions(self) -> list[Choice | Timeout]:
        return [e for e in self.events if isinstance(e, (Choice, Timeout))]


def read_session(path: Path | str) -> SessionRecord:
    """Read a log, tolerating a torn last line; raise SessionError only when nothing is usable."""
    path = Path(path)
    try:
        data = _read_regular(path, MAX_LOG_BYTES)
    except OSError as error:
        raise SessionError(f"cannot read {path}: {error.strerror or error}") from None
    return parse_session(data, path)


MAX_LOG_BYTES = 64 * 1024 * 1024
"""A log above this is refused: a session of ten thousand decisions is about 2 MB."""


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file: a FIFO named `x.jsonl` in a collected folder must not hang a
    report, nor /dev/zero fill memory."""
    import stat

    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "it is not a regular file")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(handle)
    if len(data) > limit:
        raise OSError(0, f"it is larger than {limit // 1048576} MiB")
    return data


def _damage(number: int, is_last: bool, error: msgspec.DecodeError) -> str:
    if is_last:
        return f"line {number} was cut off mid-write (the program was stopped); it was ignored"
    return f"line {number} is damaged and was skipped ({error})"


def _take_start(record: SessionRecord, event: Start, number: int, path: Path) -> None:
    """The first start event is the session's; a second is reported, and a newer log format refused."""
    if record.start is not None:
        record.problems.append(f"line {number}: a second start event was ignored")
        return
    if event.log_format > LOG_FORMAT:
        raise SessionError(
            f"{path.name} was written by coach {event.version} (log format {event.log_format}); "
            f"this coach ({__version__}) reads log format {LOG_FORMAT}. Upgrade coach to open it."
        )
    record.start = _cleaned_start(event, number, record.problems)


def parse_session(data: bytes, path: Path) -> SessionRecord:
    lines = data.split(b"\n")
    record = SessionRecord(path=path, start=None)
    ended = False
    after_end = 0  # events after `end` are reported, never obeyed: the session stays finished
    last_index = len(lines) - 1
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = _line_decoder().decode(line)
        except msgspec.DecodeError as error:
            if number == 1:
                _refuse_newer(line, path)
            is_last = number - 1 == last_index or all(not rest.strip() for rest in lines[number:])
            record.problems.append(_damage(number, is_last, error))
            continue
        if isinstance(event, Start):
            _take_start(record, event, number, path)
            continue
        if record.start is None:
            raise SessionError(f"{path.name} does not begin with a start event; it is not a coach session")
        if isinstance(event, Reflection):  # kept beside the events: it comes after the end
            record.reflection = " ".join(without_controls(event.text, " ").split())[:REFLECTION_MAX]
            continue
        if ended:
            after_end += 1
            continue
        if isinstance(event, Clock):  # beside the events: the time left on the decision not yet made
            record.clock = event
            continue
        record.events.append(event)
        if isinstance(event, (Choice, Timeout)):
            record.clock = None  # a clock belongs to the decision after the last one
        ended = isinstance(event, End)
    if record.start is None:
        raise SessionError(f"{path.name} is empty or not a coach session")
    if after_end:
        what = "1 event was" if after_end == 1 else f"{after_end} events were"
        record.problems.append(f"{what} found after the end of the session and ignored; the session stays finished")
    return record


LEARNER_MAX = 64




def clean_name(value: str, limit: int = LEARNER_MAX) -> str:
    """A learner or folder name as shown anywhere: controls removed, spaces collapsed, bounded."""
    text = without_controls(value, " ")
    return " ".join(text.split())[:limit]


_SETUP_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
"""A setup id as a log may carry it: the id pattern, bounded (anything else is data to refuse)."""


def _cleaned_start(event: Start, number: int, problems: list[str]) -> Start:
    """A start event whose fields are data: every one that names a file or reaches a screen checked.

    A log may come from anyone (a cohort folder collects them), so a bad hash is dropped (it
    would be a path), and names are cleaned when read, not only when written."""
    from ..config.learner import clean

    changes: dict[str, Any] = {}
    if not is_sha256(event.sha256):
        problems.append(f"line {number}: the scenario hash is not a SHA-256; the played version cannot be looked up")
        changes["sha256"] = ""
    if event.learner and not clean(event.learner):
        problems.append(f"line {number}: the learner name is not an acceptable name; it was ignored")
    learner = (clean(event.learner) or "") if event.learner else ""
    if learner != event.learner:
        changes["learner"] = learner
    if event.setup is not None and not _SETUP_ID.fullmatch(event.setup):
        problems.append(f"line {number}: the setup is not a setup id; the session is rebuilt without it")
        changes["setup"] = None
    for key in ("session", "scenario", "title", "mode", "version", "time", "source"):
        value = getattr(event, key)
        cleaned = without_controls(value)[:512]
        if cleaned != value:
            changes[key] = cleaned
    return msgspec.structs.replace(event, **changes) if changes else event


def _is_event(line: bytes) -> bool:
    try:
        _line_decoder().decode(line)
    except msgspec.DecodeError:
        return False
    return True


def _refuse_newer(line: bytes, path: Path) -> None:
    try:
        raw = _version_probe.decode(line)
    except msgspec.DecodeError:
        return
    if isinstance(raw, dict) and raw.get("event") == "start" and isinstance(raw.get("log_format"), int):
        if raw["log_format"] > LOG_FORMAT:
            raise SessionError(
                f"{path.name} was written by coach {raw.get('version', '?')} (log format {raw['log_format']}); "
                f"this coach ({__version__}) reads log format {LOG_FORMAT}. Upgrade coach to open it."
            )


def start_event(session_id: str, scenario_id: str, title: str, sha256: str, seed: int, mode: str, **extra: Any) -> Start:
    return Start(session=session_id, scenario=scenario_id, title=title, sha256=sha256, seed=seed, mode=mode,
                 version=__version__, time=now(), **extra)
