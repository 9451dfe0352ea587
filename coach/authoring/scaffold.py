"""A starter scenario from the `coach new` wizard's answers.

The starter is small but complete: it passes `coach check` with no errors and no warnings, and
it shows each part of the format once (a scored choice with effects and a flag, a reflex, random
outcomes, a locked choice, a scene that routes on state, the three ending ratings), each filled
with guidance that tells the author what to replace it with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..scenario.model import (
    ENUMS,
    ID_PATTERN,
    NAME_PATTERN,
    WEIGHT_MAX,
    WEIGHT_MIN,
    Choice,
    Ending,
    Metric,
    Outcome,
    Route,
    Scenario,
    Scene,
)

# Sensible ranges for a new metric, by how it is displayed; the author adjusts them later.
DISPLAY_DEFAULTS: dict[str, tuple[float, float, float, str]] = {
    # display: (start, min, max, better)
    "percent": (0.9, 0.0, 1.0, "higher"),
    "number": (50.0, 0.0, 100.0, "higher"),
    "ms": (200.0, 0.0, 2000.0, "lower"),
    "money": (10000.0, 0.0, 100000.0, "higher"),
    "count": (10.0, 0.0, 1000.0, "lower"),
}


@dataclass
class MetricAnswer:
    name: str
    label: str = ""
    display: str = "percent"
    better: str | None = None
    """None takes the display's usual direction (lower is better for ms and counts)."""

    def to_metric(self) -> Metric:
        start, low, high, better = DISPLAY_DEFAULTS[self.display]
        return Metric(label=self.label or label_from_name(self.name), start=start, min=low, max=high,
                      display=self.display, better=self.better or better)  # type: ignore[arg-type]


@dataclass
class Answers:
    title: str
    id: str = ""
    role: str = "AI PM"
    difficulty: str = "intro"
    criteria: dict[str, int] = field(default_factory=dict)
    metrics: list[MetricAnswer] = field(default_factory=list)
    summary: str = ""
    minutes: int = 10

    @property
    def scenario_id(self) -> str:
        return self.id or slug(self.title)


def slug(text: str) -> str:
    """An id from a title: "The Precision Cliff" -> "the-precision-cliff"."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")[:60].strip("-")


def label_from_name(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def problems(answers: Answers, criteria_known: list[str] | None = None) -> dict[str, str]:
    """What is wrong with the answers, by field, in words the wizard shows beside the field."""
    found: dict[str, str] = {}
    if not answers.title.strip():
        found["title"] = "give the scenario a title"
    if not answers.scenario_id:
        if answers.title.strip():  # a blank title is reported once, on the title
            found["id"] = "the title gives no id; type one: lowercase letters, digits and hyphens"
    elif not re.fullmatch(ID_PATTERN, answers.scenario_id):
        found["id"] = "lowercase letters, digits and hyphens, starting with a letter or digit"
    if not answers.role.strip():
        found["role"] = "who does the learner play? e.g. \"AI PM, payments risk\""
    if answers.difficulty not in ENUMS["difficulty"]:
        found["difficulty"] = f"one of {', '.join(ENUMS['difficulty'])}"
    for key, problem in (("criteria", _criteria_problem(answers.criteria, criteria_known)),
                         ("metrics", _metrics_problem(answers.metrics))):
        if problem is not None:
            found[key] = problem
    if answers.minutes <= 0:
        found["minutes"] = "how many minutes does one play take?"
    return found


def _criteria_problem(criteria: dict[str, int], known: list[str] | None) -> str | None:
    """The wizard shows one line per field: the last criterion at fault, as it is the last typed."""
    problem = None if criteria else "pick at least one criterion to grade"
    for name, weight in criteria.items():
        if known is not None and name not in known:
            problem = f"'{name}' is not a rubric criterion"
        elif not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            problem = f"weights are {WEIGHT_MIN}..{WEIGHT_MAX}; '{name}' has {weight}"
    return problem


def _metrics_problem(metrics: list[MetricAnswer]) -> str | None:
    """Like _criteria_problem, the last metric at fault."""
    problem = None
    seen: set[str] = set()
    for metric in metrics:
        if not re.fullmatch(NAME_PATTERN, metric.name):
            problem = f"metric name '{metric.name}': lowercase letters, digits and underscores, like error_rate"
        elif metric.name in seen:
            problem = f"metric '{metric.name}' is named twice"
        elif metric.name in FLAGS:
            problem = f"'{metric.name}' is a flag the starter uses; pick another name"
        elif metric.display not in DISPLAY_DEFAULTS:
            problem = f"display of '{metric.name}' must be one of {', '.join(DISPLAY_DEFAULTS)}"
        seen.add(metric.name)
    return problem


FLAGS = ("acted_early",)
GUIDANCE = "Replace"
"""How every piece of the starter's guidance text begins: the workspace selects such a field's
text when the author enters it, so typing replaces the guidance."""


def is_guidance(text: str) -> bool:
    return text.lstrip().startswith(GUIDANCE)


def starter(answers: Answers) -> Scenario:
    """The starter scenario. Call `problems` first: this assumes the answers are valid."""
    criteria = dict(answers.criteria)
    names = list(criteria)
    first = names[0]
    metrics = {m.name: m.to_metric() for m in answers.metrics}

    strong_score = {name: (2 if name == first else 1) for name in names}
    reflex_score = {first: -1}
    gamble_score = {first: -1} if len(names) == 1 else {first: 0, names[1]: -1}
    gamble_score = {k: v for k, v in gamble_score.items() if v}

    effects: dict[str, float] = {}
    worse: dict[str, float] = {}
    route_when = "acted_early"
    if metrics:
        name, metric = next(iter(metrics.items()))
        step = nice_step((metric.max - metric.min) * 0.05)
        sign = 1 if metric.better == "higher" else -1
        effects = {name: sign * step}
        worse = {name: -sign * step}
        op = ">=" if metric.better == "higher" else "<="
        route_when = f"{name} {op} {metric.start:g}"

    opening = Scene(
        id="opening",
        title="The first decision",
        text=(
            "Replace this with the situation the learner walks into: what happened, who is asking,\n"
            "and what is at stake. A few short paragraphs; it is shown as Markdown, literally.\n"
        ),
        choices=[
            Choice(
                id="expert-move",
                text="Replace with the move an experienced AI PM would make",
                goto="follow-up",
                score=strong_score,
                effects=effects,
                set=["acted_early"],
                feedback="Replace with why this is strong: what it protects, and what an expert would say about it.",
            ),
            Choice(
                id="reflex",
                text="Replace with the tempting instinct of a traditional PM",
                goto="follow-up",
                score=reflex_score,
                effects=worse,
                feedback="Replace with why this instinct misleads in AI work, and what to do instead.",
                reflex="binary-quality",
            ),
            Choice(
                id="gamble",
                text="Replace with a choice whose result is down to luck",
                outcomes=[
                    Outcome(chance=0.6, goto="follow-up", text="Replace with what happens when the gamble pays off."),
                    Outcome(chance=0.4, goto="poor-ending", text="Replace with what happens when it does not."),
                ],
                score=gamble_score,
                feedback="Replace with why relying on luck is weak here, even when it works out.",
            ),
        ],
    )
    follow_up = Scene(
        id="follow-up",
        title="What happens next",
        text="Replace with what the learner sees after the first decision. Show the consequences.\n",
        choices=[
            Choice(
                id="follow-through",
                text="Replace with a choice that only makes sense after the expert move",
                requires="acted_early",
                goto="strong-ending",
                score={name: 1 for name in names},
                feedback="Replace with why following through matters. This choice is locked unless the flag acted_early is set.",
            ),
            Choice(
                id="move-on",
                text="Replace with a choice that moves on without finishing the job",
                goto="check",
                score={first: -1},
                feedback="Replace with what is left undone, and what it will cost later.",
            ),
        ],
    )
    check = Scene(
        id="check",
        title="A scene that routes on the state",
        routes=[Route(when=route_when, goto="mixed-ending"), Route(goto="poor-ending")],
    )
    endings = [
        Ending(id="strong-ending", title="Replace with a strong outcome", rating="strong",
               text="Replace with what went well and why: the learner reads this first in the debrief.\n"),
        Ending(id="mixed-ending", title="Replace with a mixed outcome", rating="mixed",
               text="Replace with what worked, and what an expert would have done differently.\n"),
        Ending(id="poor-ending", title="Replace with a poor outcome", rating="poor",
               text="Replace with what went wrong, so the learner wants to replay and try the other branch.\n"),
    ]
    return Scenario(
        format=1,
        id=answers.scenario_id,
        title=answers.title.strip(),
        summary=answers.summary.strip() or "Replace with one or two sentences for the library list.",
        role=answers.role.strip(),
        difficulty=answers.difficulty,  # type: ignore[arg-type]
        minutes=answers.minutes,
        start="opening",
        criteria=criteria,
        metrics=metrics,
        briefing="Replace with the situation before play starts: the learner's role, the team, the system.\n",
        scenes=[opening, follow_up, check],
        endings=endings,
    )


def nice_step(value: float) -> float:
    """A round number near `value`: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    import math

    power: float = 10 ** math.floor(math.log10(value))  # an int from 1 up, as the TOML shows it
    for factor in (1, 2, 5, 10):
        if value <= factor * power * 1.5:
            return round(factor * power, 12)
    return round(10 * power, 12)
