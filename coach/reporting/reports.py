"""Debriefs and session reports as Markdown, JSON and CSV rows: no Textual, no terminal.

The debrief screen's export, `coach simulate` and `coach report` all render through here, so a
learner's debrief reads the same wherever it was produced.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from ..engine.calibration import calibration, summary_lines
from ..engine.hints import HINT_RULE
from ..engine.scoring import CEILING_RULE, Debrief, Decision, points_detail, worst_title
from ..sessions.reflection import QUESTION
from ..scenario.model import Scenario
from ..io.sanitise import csv_cell
from ..io.sanitise import markdown as inert_markdown

if TYPE_CHECKING:
    from .cohort import Cohort, SessionResult, Stats

Json = dict[str, Any]
"""An object as `--format json` prints it (and a CSV row before flattening)."""

BAR_WIDTH = 20


def bar(percent: int, width: int = BAR_WIDTH) -> str:
    """A text bar that needs no colour: `███████░░░░░░░`."""
    filled = round(width * max(0, min(100, percent)) / 100)
    return "█" * filled + "░" * (width - filled)


def _score_words(score: dict[str, int]) -> str:
    return ", ".join(f"{name} {points:+d}" for name, points in score.items()) or "no points"


def _decision_md(decision: Decision) -> list[str]:
    hint = ", hint used" if decision.hinted else ""
    lines = [f"**{decision.scene_title}** — {decision.choice_text} ({_score_words(decision.score)}{hint})", ""]
    if decision.feedback:
        lines += [f"> {decision.feedback.strip()}", ""]
    return lines


def reflection_markdown(text: str) -> str:
    """The learner's answer to the debrief's question, as a quote (made inert with the rest)."""
    return inert_markdown(f"*{QUESTION}*\n\n> {' '.join(text.split())}")


def debrief_markdown(debrief: Debrief, scenario: Scenario, *, confidences: list[str | None] | None = None,
                     reflection: str = "") -> str:
    """The debrief a learner can send to a mentor: with how sure they were (`confidences`, one per
    decision, from the log) and their answer to the debrief's question, when they gave them."""
    lines = [f"# Debrief: {scenario.title}", ""]
    if debrief.finished:
        lines.append(f"**Ending:** {debrief.ending_title} ({debrief.rating})  ")
        if debrief.setup_title:  # which situation the seed drew: said only once the session has ended
            lines.append(f"**Setup:** {debrief.setup_title}  ")
    else:
        lines.append("**Ending:** not reached — the session is unfinished  ")
    lines += [f"**Overall:** {debrief.overall}% (grade {debrief.grade})", "", "## Criteria", ""]
    lines += ["| criterion | weight | score | points | |", "|---|---|---|---|---|"]
    for criterion in debrief.criteria:
        figure = f"{criterion.percent}%" if criterion.graded else "n/a"
        lines.append(f"| {criterion.title} | {criterion.weight} | {figure} | {points_detail(criterion)} | `{bar(criterion.percent)}` |")
    lines += ["", f"*{CEILING_RULE}*", ""]
    if debrief.reflexes:
        lines += ["## Reflexes shown", ""]
        for shown in debrief.reflexes:
            often = f" ×{shown.count} (first at" if shown.count > 1 else " (at"
            lines += [
                f"- **\u201c{shown.title}\u201d**{often} *{shown.decision.scene_title}*): {shown.decision.choice_text}",
                f"  {shown.description.strip()}",
            ]
        lines.append("")
    else:
        lines += ["## Reflexes shown", "", "None: no traditional-PM reflex showed in your decisions.", ""]
    judged = calibration(debrief.path, confidences or [])
    if judged.asked:
        lines += ["## How sure you were", ""] + [f"- {sentence}" for sentence in summary_lines(judged)] + [""]
    hinted = [d for d in debrief.path if d.hinted]
    if hinted:
        lines += ["## Hints", "", f"{len(hinted)} {'decision' if len(hinted) == 1 else 'decisions'} used the scene's hint "
                  f"({', '.join(str(d.number) for d in hinted)}): {HINT_RULE}", ""]
    if debrief.best is not None:
        lines += ["## Best decision", ""] + _decision_md(debrief.best)
    if debrief.worst is not None:
        lines += [f"## {worst_title(debrief.worst)}", ""] + _decision_md(debrief.worst)
        better = debrief.worst.better
        if better is not None:
            lines += [f"Better here: **{better.choice_text}** ({_score_words(better.score)})", ""]
            if better.feedback:
                lines += [f"> {better.feedback.strip()}", ""]
    lines += ["## Your path and the expert's", "", "| # | your decision | expert's decision |", "|---|---|---|"]
    rows = max(len(debrief.path), len(debrief.expert_path))
    for index in range(rows):
        mine = debrief.path[index].choice_text if index < len(debrief.path) else ""
        theirs = debrief.expert_path[index][1] if index < len(debrief.expert_path) else ""
        lines.append(f"| {index + 1} | {_cell(mine)} | {_cell(theirs)} |")
    lines.append("")
    if debrief.expert_ending:
        ending = scenario.nodes.get(debrief.expert_ending)
        title = getattr(ending, "title", debrief.expert_ending)
        lines += [f"The expert path ends at *{title}*.", ""]
    if reflection:
        lines += ["## Reflection", "", reflection_markdown(reflection), ""]
    return inert_markdown("\n".join(lines))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def debrief_json(debrief: Debrief) -> Json:
    def decision(d: Decision | None) -> Json | None:
        if d is None:
            return None
        found: Json = {"scene": d.scene, "choice": d.choice_text, "score": d.score, "feedback": d.feedback, "reflex": d.reflex}
        if d.better is not None:
            found.update(cost=round(d.cost, 4), better={"choice": d.better.choice_text, "score": d.better.score,
                                                        "feedback": d.better.feedback})
        return found

    found: Json = {
        "scenario": debrief.scenario_id,
        "finished": debrief.finished,
        "ending": debrief.ending,
        "rating": debrief.rating,
        "scores": debrief.scores,
        "overall": debrief.overall,
        "grade": debrief.grade,
        "reflexes": [{"reflex": r.reflex, "scene": r.decision.scene, "choice": r.decision.choice_text, "count": r.count}
                     for r in debrief.reflexes],
        "best": decision(debrief.best),
        "worst": decision(debrief.worst),
        "expert_path": [{"scene": scene, "choice": choice} for scene, choice in debrief.expert_path],
        "expert_ending": debrief.expert_ending,
    }
    if debrief.finished and debrief.setup is not None:  # the setup played, only after the ending
        found.update(setup=debrief.setup, setup_title=debrief.setup_title)
    return found


def csv_text(rows: list[Json], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return out.getvalue()


# --- cohorts -----------------------------------------------------------------------------------

SESSION_COLUMNS = ["session", "learner", "time", "scenario", "mode", "finished", "ending", "rating", "overall", "grade",
                   "decisions", "reflexes"]
COHORT_COLUMNS = ["scope", "learner", "criterion", "sessions", "finished", "median", "best", "reflexes"]


def _number(value: float | None) -> int | float | None:
    """A median as the reader expects it: 72, 72.5; never 72.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 1)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{_number(value)}%"


def _reflex_words(reflexes: list[tuple[str, int]]) -> str:
    return ", ".join(f"`{name}` ×{count}" if count > 1 else f"`{name}`" for name, count in reflexes) or "—"


def _reflex_cell(reflexes: list[tuple[str, int]]) -> str:
    return " ".join(f"{name}:{count}" for name, count in reflexes)


def session_row(session: SessionResult, *, decisions: bool = True) -> Json:
    """One session as a flat row (CSV) or object (JSON); `decisions` adds the best and weakest
    decisions and the expert's path, which need the full debrief (CSV has no column for them)."""
    row = {
        "session": session.session, "learner": session.learner, "time": session.start.time,
        "scenario": session.start.scenario, "mode": session.start.mode, "finished": session.finished,
        "ending": session.ending, "rating": session.rating, "overall": session.overall, "grade": session.grade,
        "decisions": session.decisions, "reflexes": list(session.reflexes), "scores": dict(session.scores),
        "file": str(session.path), "problems": list(session.problems),
    }
    if decisions and session.debrief is not None:
        full = debrief_json(session.debrief)
        row.update(best=full["best"], worst=full["worst"], expert_path=full["expert_path"],
                   expert_ending=full["expert_ending"])
    return row


def sessions_csv(sessions: list[SessionResult]) -> str:
    rows = [session_row(s, decisions=False) for s in sessions]
    criteria = sorted({c for row in rows for c in row["scores"]})
    flat = [{**row, "reflexes": " ".join(row["reflexes"]), **{f"score_{c}": row["scores"].get(c, "") for c in criteria}}
            for row in rows]
    return csv_text(flat, SESSION_COLUMNS + [f"score_{c}" for c in criteria])


def sessions_json(sessions: list[SessionResult]) -> list[Json]:
    from .cohort import debriefs

    debriefs(sessions)
    return [session_row(s) for s in sessions]


def cohort_json(cohort: Cohort) -> Json:
    def stats(s: Stats) -> Json:
        return {"scored": s.scored, "median": _number(s.median), "best": s.best}

    return {
        "learners": [
            {"learner": one.learner, "sessions": one.sessions, "finished": one.finished, "scenarios": one.scenarios,
             "overall": stats(one.overall), "criteria": {c: stats(s) for c, s in one.criteria.items()},
             "reflexes": [{"reflex": r, "count": n} for r, n in one.reflexes]}
            for one in cohort.learners
        ],
        "criteria": [
            {"criterion": c.criterion, "title": c.title, "sessions": c.sessions, "learners": c.learners,
             **stats(c.scores), "reflexes": [{"reflex": r, "count": n} for r, n in c.reflexes]}
            for c in cohort.criteria
        ],
        "sessions": sessions_json(cohort.sessions),
        "unreadable": [{"file": str(u.path), "problem": u.problem} for u in cohort.unreadable],
    }


def cohort_csv(cohort: Cohort) -> str:
    """One tidy table: a row per learner, per criterion, and per learner and criterion."""
    rows: list[Json] = []
    for one in cohort.learners:
        rows.append({"scope": "learner", "learner": one.learner, "criterion": "", "sessions": one.sessions,
                     "finished": one.finished, "median": _number(one.overall.median), "best": one.overall.best,
                     "reflexes": _reflex_cell(one.reflexes)})
    for c in cohort.criteria:
        rows.append({"scope": "criterion", "learner": "", "criterion": c.criterion, "sessions": c.sessions,
                     "finished": c.scores.scored, "median": _number(c.scores.median), "best": c.scores.best,
                     "reflexes": _reflex_cell(c.reflexes)})
    for one in cohort.learners:
        for name, s in one.criteria.items():
            rows.append({"scope": "learner-criterion", "learner": one.learner, "criterion": name, "sessions": "",
                         "finished": s.scored, "median": _number(s.median), "best": s.best, "reflexes": ""})
    return csv_text(rows, COHORT_COLUMNS)


def cohort_markdown(cohort: Cohort) -> str:
    sessions = cohort.sessions
    lines = ["# Cohort report", ""]
    learners = len(cohort.learners)
    scenarios = len({s.start.scenario for s in sessions})
    summary = (f"{len(sessions)} {'session' if len(sessions) == 1 else 'sessions'} from {learners} "
               f"{'learner' if learners == 1 else 'learners'} on {scenarios} {'scenario' if scenarios == 1 else 'scenarios'}, "
               f"{cohort.finished} finished")
    period = cohort.period
    if period:
        summary += f", {period[0][:10]} to {period[1][:10]}" if period[0][:10] != period[1][:10] else f", {period[0][:10]}"
    lines += [summary + ".", "",
              "Medians and bests are over finished sessions; reflexes count every decision, unfinished sessions included.", ""]

    lines += ["## Learners", "", "| learner | sessions | finished | median | best | reflexes most often shown |",
              "|---|---|---|---|---|---|"]
    for one in cohort.learners:
        lines.append(f"| {_cell(one.learner)} | {one.sessions} | {one.finished} | {_percent(one.overall.median)} | "
                     f"{_percent(one.overall.best)} | {_reflex_words(one.reflexes)} |")
    lines.append("")

    lines += ["## Criteria", "", "| criterion | sessions | learners | median | best | reflexes that cost points here |",
              "|---|---|---|---|---|---|"]
    for c in cohort.criteria:
        lines.append(f"| {c.title} | {c.sessions} | {c.learners} | {_percent(c.scores.median)} | "
                     f"{_percent(c.scores.best)} | {_reflex_words(c.reflexes)} |")
    lines.append("")

    if cohort.criteria and cohort.learners:
        lines += ["## Median by learner and criterion", "",
                  "| learner | " + " | ".join(c.criterion for c in cohort.criteria) + " |",
                  "|---|" + "---|" * len(cohort.criteria)]
        for one in cohort.learners:
            cells = [_percent(one.criteria[c.criterion].median) if c.criterion in one.criteria else "" for c in cohort.criteria]
            lines.append(f"| {_cell(one.learner)} | " + " | ".join(cells) + " |")
        lines.append("")

    lines += ["## Sessions", "", "| learner | session | scenario | mode | result | overall |", "|---|---|---|---|---|---|"]
    for s in sessions:
        result = f"{s.ending} ({s.rating})" if s.finished and s.rating else (s.ending or "") if s.finished else \
            f"unfinished after {s.decisions} {'decision' if s.decisions == 1 else 'decisions'}"
        overall = f"{s.overall}% ({s.grade})" if s.finished and s.overall is not None else "—"
        lines.append(f"| {_cell(s.learner)} | `{s.session}` | {s.start.scenario} | {s.start.mode} | {_cell(result)} | {overall} |")
    lines.append("")

    shown = sorted({r for one in cohort.learners for r, _ in one.reflexes} | {r for c in cohort.criteria for r, _ in c.reflexes})
    if shown:
        lines += ["## The reflexes", ""]
        lines += [f"- `{name}`: \u201c{cohort.reflex_titles.get(name, name)}\u201d" for name in shown]
        lines.append("")

    notes = [(s.path, problem) for s in sessions for problem in s.problems]
    notes += [(u.path, u.problem) for u in cohort.unreadable]
    if notes:
        lines += ["## Problems", ""]
        lines += [f"- `{path}`: {problem}" for path, problem in notes]
        lines.append("")
    return inert_markdown("\n".join(lines))
