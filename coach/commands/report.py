"""`coach report`: a session's debrief, a cohort's summary, or xAPI statements for an LRS."""

from __future__ import annotations

import sys

import click

from ..io.sanitise import json_dumps
from .loading import fail
from .printing import echo


@click.command()
@click.argument("sessions", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv", "xapi"]), default="md", show_default=True,
              help="md to read, json for tools, csv for a spreadsheet, xapi for a learning record store.")
@click.option("--cohort/--sessions", "cohort", default=None,
              help="A summary per learner and per criterion, or one entry per session. "
                   "Default: the summary when there are several sessions, the session itself when there is one.")
@click.option("--xapi-home", default=None, metavar="URL",
              help="With --format xapi: your organisation's address, used as the learners' account home page "
                   "and the base of activity ids (default: https://coach.invalid).")
def report(sessions: tuple[str, ...], fmt: str, cohort: bool | None, xapi_home: str | None) -> None:
    """Report on SESSIONS: session ids, session files, or folders of them (searched recursively).

    One session gives its debrief. Several give a cohort summary: per learner and per criterion,
    the number of sessions, median and best scores of the finished ones, and the reflexes most
    often shown. A learner is the `learner` name recorded when the session was played, or else
    the folder the file was collected in (cohort/ana/... counts as ana).

    \b
    Examples:
      coach report 20261123-0912-precision-cliff-3fa2c1 > debrief.md
      coach report cohort/ > cohort.md
      coach report cohort/ --format csv > cohort.csv
      coach report cohort/ --sessions --format csv > sessions.csv
      coach report cohort/ --format xapi --xapi-home https://learning.example.com > statements.json
    """
    from ..reporting.cohort import collect, gather, summarize
    from ..sessions.log import SessionError

    if xapi_home is not None and fmt != "xapi":
        fail("report", "--xapi-home only applies to --format xapi")
    try:
        found = gather(sessions)
    except SessionError as error:
        fail("report", str(error))
    if not found:
        fail("report", f"no session files (*.jsonl) in {', '.join(sessions)}")
    collection = collect(found)
    for item in collection.unreadable:
        echo(f"coach report: {item.path}: {item.problem}", err=True)
    usable = collection.sessions
    if not usable:
        sys.exit(1)
    if cohort is None:
        cohort = len(usable) > 1

    if fmt == "xapi":
        from ..reporting.xapi import DEFAULT_HOME, statements, valid_home

        home = xapi_home or DEFAULT_HOME
        if not valid_home(home):
            fail("report", f"--xapi-home must be an http(s) address, not '{home}'")
        echo(json_dumps(statements(usable, home), indent=2, ensure_ascii=False))
    elif cohort:
        from ..reporting.reports import cohort_csv, cohort_json, cohort_markdown

        summary = summarize(collection)
        if fmt == "md":
            echo(cohort_markdown(summary))
        elif fmt == "json":
            echo(json_dumps(cohort_json(summary), indent=2, ensure_ascii=False))
        else:
            echo(cohort_csv(summary), nl=False)
    else:
        _sessions(usable, fmt)
    if collection.unreadable:
        sys.exit(1)


def _sessions(usable: list, fmt: str) -> None:
    from ..reporting.cohort import debriefs
    from ..reporting.reports import debrief_markdown, reflection_markdown, sessions_csv, sessions_json

    if fmt == "json":
        echo(json_dumps(sessions_json(usable), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        echo(sessions_csv(usable), nl=False)
    else:
        debriefs(usable)
        documents = []
        for s in usable:
            heading = f"<!-- session {s.session}, {s.start.time}, {s.start.mode} mode, learner {s.learner} -->\n"
            if s.debrief is not None and s.scenario is not None:
                documents.append(heading + debrief_markdown(s.debrief, s.scenario, confidences=s.confidences,
                                                            reflection=s.reflection))
            else:
                overall = f"{s.overall}%" if s.overall is not None else "-"
                why = "; ".join(s.problems) or "the scenario version it was played on was not found"
                reflection = f"\n## Reflection\n\n{reflection_markdown(s.reflection)}\n" if s.reflection else ""
                documents.append(heading + f"# Session {s.session}\n\n{s.start.title}: {why}. "
                                 f"Logged result: ending {s.ending or 'not reached'}, overall {overall}.\n" + reflection)
        echo("\n\n---\n\n".join(documents))
