"""Debriefs and session reports as Markdown, JSON and CSV rows: no Textual, no terminal.

The debrief screen's export, `coach simulate` and `coach report` all render through here, so a
learner's debrief reads the same wherever it was produced.
"""

from __future__ import annotations

import csv
import io

from .engine.scoring import Debrief, Decision
from .scenario.model import Scenario

BAR_WIDTH = 20


def bar(percent: int, width: int = BAR_WIDTH) -> str:
    """A text bar that needs no colour: `███████░░░░░░░`."""
    filled = round(width * max(0, min(100, percent)) / 100)
    return "█" * filled + "░" * (width - filled)


def _score_words(score: dict[str, int]) -> str:
    return ", ".join(f"{name} {points:+d}" for name, points in score.items()) or "no points"


def _decision_md(decision: Decision) -> list[str]:
    lines = [f"**{decision.scene_title}** — {decision.choice_text} ({_score_words(decision.score)})", ""]
    if decision.feedback:
        lines += [f"> {decision.feedback.strip()}", ""]
    return lines


def debrief_markdown(debrief: Debrief, scenario: Scenario) -> str:
    """The debrief a learner can send to a mentor."""
    lines = [f"# Debrief: {scenario.title}", ""]
    if debrief.finished:
        lines.append(f"**Ending:** {debrief.ending_title} ({debrief.rating})  ")
    else:
        lines.append("**Ending:** not reached — the session is unfinished  ")
    lines += [f"**Overall:** {debrief.overall}% (grade {debrief.grade})", "", "## Criteria", ""]
    lines += ["| criterion | weight | score | |", "|---|---|---|---|"]
    for criterion in debrief.criteria:
        lines.append(f"| {criterion.title} | {criterion.weight} | {criterion.percent}% | `{bar(criterion.percent)}` |")
    lines.append("")
    if debrief.reflexes:
        lines += ["## Reflexes shown", ""]
        for shown in debrief.reflexes:
            lines += [
                f"- **\u201c{shown.title}\u201d** — at *{shown.decision.scene_title}*: {shown.decision.choice_text}",
                f"  {shown.description.strip()}",
            ]
        lines.append("")
    else:
        lines += ["## Reflexes shown", "", "None: no traditional-PM reflex showed in your decisions.", ""]
    if debrief.best is not None:
        lines += ["## Best decision", ""] + _decision_md(debrief.best)
    if debrief.worst is not None:
        lines += ["## Weakest decision", ""] + _decision_md(debrief.worst)
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
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def debrief_json(debrief: Debrief) -> dict:
    def decision(d: Decision | None) -> dict | None:
        if d is None:
            return None
        return {"scene": d.scene, "choice": d.choice_text, "score": d.score, "feedback": d.feedback, "reflex": d.reflex}

    return {
        "scenario": debrief.scenario_id,
        "finished": debrief.finished,
        "ending": debrief.ending,
        "rating": debrief.rating,
        "scores": debrief.scores,
        "overall": debrief.overall,
        "grade": debrief.grade,
        "reflexes": [{"reflex": r.reflex, "scene": r.decision.scene, "choice": r.decision.choice_text} for r in debrief.reflexes],
        "best": decision(debrief.best),
        "worst": decision(debrief.worst),
        "expert_path": [{"scene": scene, "choice": choice} for scene, choice in debrief.expert_path],
        "expert_ending": debrief.expert_ending,
    }


def csv_text(rows: list[dict], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
