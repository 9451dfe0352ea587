"""Sessions as xAPI 1.0.3 statements, for a learning record store (LRS).

One statement per session: `completed` with a scaled score for a finished session, `attempted`
with `completion: false` for an unfinished one. Statement ids and registrations are UUIDv5 of
the session id, so sending the same sessions twice gives the same ids and an LRS refuses or
ignores the duplicates instead of counting them twice.

Learners are xAPI `account` agents: `homePage` is the `--xapi-home` address (your organisation's,
or the LRS's), `name` the learner's name as in the cohort report.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    from .cohort import SessionResult

DEFAULT_HOME = "https://coach.invalid"
VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
}
ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/simulation"


def valid_home(home: str) -> bool:
    return home.startswith(("https://", "http://")) and len(home) > len("https://") and " " not in home


def _uuid(home: str, session: str, kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{home}/sessions/{session}#{kind}"))


def duration(start: str, end: str) -> str | None:
    """ISO 8601 duration between two timestamps, e.g. `PT12M30S`; None if either is unreadable."""
    try:
        seconds = int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    except (TypeError, ValueError):
        return None
    if seconds < 0:
        return None
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")


def statement(session: SessionResult, home: str = DEFAULT_HOME) -> dict[str, Any]:
    """One session (a `coach.reporting.cohort.SessionResult`) as an xAPI statement."""
    home = home.rstrip("/")
    start = session.start
    end_time = session.last_time
    verb = "completed" if session.finished else "attempted"
    scenario = session.scenario
    definition: dict[str, Any] = {"name": {"en-US": start.title}, "type": ACTIVITY_TYPE}
    if scenario is not None and scenario.summary:
        definition["description"] = {"en-US": " ".join(scenario.summary.split())}
    result: dict[str, Any] = {"completion": session.finished}
    if session.finished and session.overall is not None:
        # An overall can be below 0 (points lost); xAPI wants scaled in [-1, 1] and min <= raw.
        result["score"] = {"scaled": max(-1.0, round(session.overall / 100, 4)), "raw": session.overall,
                           "min": min(0, session.overall), "max": 100}
    if end_time and (took := duration(start.time, end_time)):
        result["duration"] = took
    extensions: dict[str, Any] = {f"{home}/xapi/decisions": session.decisions}
    if session.scores:
        extensions[f"{home}/xapi/criteria"] = {name: round(value / 100, 4) for name, value in session.scores.items()}
    if session.reflexes:
        extensions[f"{home}/xapi/reflexes"] = list(session.reflexes)
    if session.ending:
        extensions[f"{home}/xapi/ending"] = session.ending
    result["extensions"] = extensions
    return {
        "id": _uuid(home, session.session, "statement"),
        "actor": {"objectType": "Agent", "name": session.learner, "account": {"homePage": home, "name": session.learner}},
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": f"{home}/scenarios/{start.scenario}", "definition": definition},
        "result": result,
        "context": {
            "registration": _uuid(home, session.session, "registration"),
            "platform": f"coach {__version__}",
            "language": "en",
            "extensions": {
                f"{home}/xapi/session": session.session,
                f"{home}/xapi/scenario-sha256": start.sha256,
                f"{home}/xapi/mode": start.mode,
            },
        },
        "timestamp": end_time or start.time,
    }


def statements(sessions: list[SessionResult], home: str = DEFAULT_HOME) -> list[dict[str, Any]]:
    return [statement(s, home) for s in sessions]
