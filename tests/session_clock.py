"""One fake clock for tests that make sessions: event times and session ids tick a minute per use,
so sessions made one after another sort in the order they were made and no wall-clock date (or
random id) reaches a log, a screen or a snapshot."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from coach.sessions import history, log

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)


def tick_clock(monkeypatch: pytest.MonkeyPatch, start: datetime = START, now: datetime | None = NOW) -> None:
    """From `start`, each event time and each new session id takes the next minute (one counter
    for both). History's "now" becomes `now`; None leaves the real one."""
    ticks = itertools.count()

    def event_time() -> str:
        return (start + timedelta(minutes=next(ticks))).isoformat(timespec="seconds")

    def new_session_id(scenario_id: str) -> str:
        return f"{start + timedelta(minutes=next(ticks)):%Y%m%d-%H%M%S}-{scenario_id}"

    monkeypatch.setattr(log, "now", event_time)
    monkeypatch.setattr(log, "new_session_id", new_session_id)
    if now is not None:
        monkeypatch.setattr(history, "local_now", lambda: now)
