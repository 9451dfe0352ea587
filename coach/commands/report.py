"""`coach report`: session debriefs to send to a mentor, or rows for a spreadsheet."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

CSV_COLUMNS = ["session", "time", "scenario", "mode", "finished", "ending", "rating", "overall", "grade", "decisions", "reflexes"]


@click.command()
@click.argument("sessions", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv"]), default="md", show_default=True,
              help="md: debriefs to read; json: one object per session; csv: one row per session.")
def report(sessions: tuple[str, ...], fmt: str) -> None:
    """Report on SESSIONS: session ids, session files, or folders of them.

    \b
    Examples:
      coach report 20261123-0912-precision-cliff-3fa2c1 > debrief.md
      coach report ~/cohort/ --format csv > cohort.csv
    """
    from ..engine.scoring import debrief as make_debrief
    from ..reports import csv_text, debrief_json, debrief_markdown
    from ..scenario.loader import builtin_rubric
    from ..sessions.log import SessionError, read_session
    from ..sessions.playthrough import analysis_of, replay_decisions
    from ..sessions.store import find_session, load_kept

    paths: list[Path] = []
    for reference in sessions:
        candidate = Path(reference)
        if candidate.is_dir():
            paths.extend(sorted(candidate.rglob("*.jsonl")))
            continue
        try:
            paths.append(find_session(reference))
        except SessionError as error:
            click.echo(f"coach report: {error}", err=True)
            sys.exit(1)

    rows: list[dict] = []
    documents: list[str] = []
    problems = 0
    for path in paths:
        try:
            record = read_session(path)
        except SessionError as error:
            click.echo(f"coach report: {path}: {error}", err=True)
            problems += 1
            continue
        start = record.start
        kept = load_kept(start.sha256)
        row = {"session": start.session, "time": start.time, "scenario": start.scenario, "mode": start.mode,
               "finished": record.finished, "decisions": len(record.decisions), "file": str(path),
               "problems": list(record.problems)}
        if kept is None or kept.scenario is None:
            end = record.end
            row.update(ending=end.ending if end else None, overall=end.overall if end else None,
                       scores=dict(end.scores) if end else {}, reflexes="")
            row["problems"].append("the scenario version it was played on is no longer kept; scores come from the log")
            documents.append(f"# Session {start.session}\n\n{start.title}: the scenario it was played on is no longer kept, "
                             f"so only the logged result is shown: ending {row['ending'] or 'not reached'}, "
                             f"overall {row['overall'] if row['overall'] is not None else '-'}%.\n")
        else:
            scenario = kept.scenario
            try:
                state = replay_decisions(scenario, record)
            except SessionError as error:
                click.echo(f"coach report: {path}: {error}", err=True)
                problems += 1
                continue
            result = make_debrief(scenario, state, analysis_of(scenario, start.sha256), builtin_rubric())
            row.update(debrief_json(result))
            row["session"] = start.session
            row["reflexes"] = " ".join(r.reflex for r in result.reflexes)
            row["reflex_list"] = [r.reflex for r in result.reflexes]
            documents.append(f"<!-- session {start.session}, {start.time}, {start.mode} mode -->\n" + debrief_markdown(result, scenario))
        rows.append(row)

    if fmt == "md":
        click.echo("\n\n---\n\n".join(documents))
    elif fmt == "json":
        for row in rows:
            row["reflexes"] = row.pop("reflex_list", [])
        click.echo(json.dumps(rows, indent=2))
    else:
        criteria = sorted({c for row in rows for c in row.get("scores", {})})
        flat = [{**row, **{f"score_{c}": row.get("scores", {}).get(c, "") for c in criteria}} for row in rows]
        click.echo(csv_text(flat, CSV_COLUMNS + [f"score_{c}" for c in criteria]), nl=False)
    if problems:
        sys.exit(1)
