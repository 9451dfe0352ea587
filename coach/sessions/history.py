"""The history of past sessions as a learner reads it: filtered by scenario, sorted, with dates in
words, each session's state in words, and the links between a branch and the session it left.

Pure functions over `SessionSummary` lists, shared by the history screen and any other shell.
The current time is always passed in, so the same sessions read the same in a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from .store import SessionSummary

SORTS: dict[str, str] = {
    "newest": "newest first",
    "oldest": "oldest first",
    "score": "best score first",
    "scenario": "by scenario",
}


@dataclass(frozen=True, slots=True)
class ScenarioCount:
    scenario: str
    title: str
    sessions: int


def parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def when_words(text: str, now: datetime) -> str:
    """`today 09:12`, `yesterday 18:40`, `Mon 09:12` this week, `3 Nov 09:12` this year, else `3 Nov 2025`."""
    moment = parse_time(text)
    if moment is None:
        return "—"
    if moment.tzinfo is not None and now.tzinfo is not None:
        moment = moment.astimezone(now.tzinfo)
    elif moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    clock = f"{moment:%H:%M}"
    days = (now.date() - moment.date()).days
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return f"{moment:%a} {clock}"
    if moment.year == now.year:
        return f"{moment.day} {moment:%b} {clock}"
    return f"{moment.day} {moment:%b %Y}"


def scenarios_of(summaries: Sequence[SessionSummary]) -> list[ScenarioCount]:
    """Every scenario with sessions, by title, for the filter."""
    titles: dict[str, str] = {}
    counts: dict[str, int] = {}
    for summary in summaries:
        if not summary.readable:
            continue
        titles.setdefault(summary.scenario, summary.title)
        counts[summary.scenario] = counts.get(summary.scenario, 0) + 1
    return sorted((ScenarioCount(k, titles[k], n) for k, n in counts.items()), key=lambda c: (c.title.lower(), c.scenario))


def view(summaries: Sequence[SessionSummary], *, scenario: str | None = None, sort: str = "newest") -> list[SessionSummary]:
    """The sessions to list: only `scenario`'s when given, in the order `sort` names (see SORTS)."""
    rows = [s for s in summaries if scenario is None or s.scenario == scenario]
    newest = sorted(rows, key=lambda s: (s.time, s.path.name), reverse=True)
    if sort == "oldest":
        return newest[::-1]
    if sort == "score":
        return sorted(newest, key=lambda s: -1 if s.overall is None else s.overall, reverse=True)
    if sort == "scenario":
        return sorted(newest, key=lambda s: (s.title.lower(), s.scenario))
    return newest


def status_words(summary: SessionSummary) -> str:
    """`finished`, `unfinished · 3 decisions`, or what is wrong with the file. Reads only the
    summary (never the log), so a history listed from the index stays a single file read."""
    if not summary.readable:
        return "unreadable"
    if summary.problems:
        # Short enough for the history's status column; the detail says what is damaged.
        return "damaged · finished" if summary.finished else "damaged · unfinished"
    if summary.finished:
        return "finished"
    count = summary.decisions
    return f"unfinished · {count} {'decision' if count == 1 else 'decisions'}"


def ending_words(summary: SessionSummary, titles: dict[str, str] | None = None) -> str:
    if summary.ending is None:
        return "—"
    return (titles or {}).get(summary.ending, summary.ending)


def branch_words(summary: SessionSummary, by_id: dict[str, SessionSummary], now: datetime) -> str | None:
    """`↳ branched at decision 3 from the session of today 09:12`, for a session that branched off another."""
    branch = summary.branched_from
    if branch is None:
        return None
    parent = by_id.get(branch.session)
    where = f"↳ branched at decision {branch.step + 1}"
    if parent is None:
        return f"{where} from a session since deleted"
    return f"{where} from the session of {when_words(parent.time, now)}"


def branches_of(summary: SessionSummary, summaries: Sequence[SessionSummary]) -> list[SessionSummary]:
    """Sessions that branched off this one."""
    return [s for s in summaries if s.branched_from is not None and s.branched_from.session == summary.id]



def local_now() -> datetime:
    """The time dates are written against; tests replace it, so screens read the same every run."""
    return datetime.now().astimezone()
