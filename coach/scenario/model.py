"""The scenario format (version 1) as strict msgspec Structs.

These types are the contract between authors and the program: the loader decodes TOML into
them, `coach schema` derives the JSON Schema from them, and the engine reads them. Every
Struct forbids unknown keys so that a typo is an error, never silently ignored. Descriptions
live beside the fields because editors show them as completion help.
"""

# No `from __future__ import annotations`: as objects, the annotations are read as they are when
# a decoder is built for a Scenario (every start, from the cache), not compiled from strings.

from functools import cached_property
from typing import Annotated, Iterable, Literal, Mapping

from msgspec import Meta, Struct

FORMAT_VERSION = 1

ID_PATTERN = "^[a-z0-9][a-z0-9-]*$(?!\\n)"
"""Scenario, scene, ending and choice ids: lowercase letters, digits and hyphens."""

NAME_PATTERN = "^[a-z_][a-z0-9_]*$(?!\\n)"
"""Metric and flag names: they appear in conditions, so they look like identifiers.

`$(?!\n)`, not `$`: in Python `$` also matches before a final newline, so `"intro\n"` passed."""

CLOCK_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$(?!\\n)"
"""`clock_start`: a time of day, HH:MM."""

Difficulty = Literal["intro", "intermediate", "advanced"]
Display = Literal["percent", "number", "ms", "money", "count"]
Better = Literal["higher", "lower"]
Rating = Literal["strong", "mixed", "poor"]
Mode = Literal["coach", "exam"]

ENUMS: dict[str, tuple[str, ...]] = {
    "difficulty": ("intro", "intermediate", "advanced"),
    "display": ("percent", "number", "ms", "money", "count"),
    "better": ("higher", "lower"),
    "rating": ("strong", "mixed", "poor"),
    "mode": ("coach", "exam"),
}
"""Allowed values of each enumerated field, by key name, for messages that suggest a fix."""

SCORE_MIN, SCORE_MAX = -3, 3
MINUTES_MAX = 600
"""A scenario is played in a sitting: ten hours is already absurd."""
TIME_LIMIT_MAX = 3600
"""Seconds a timed decision may last: an hour."""
TAKES_MAX = 525600
"""Scenario minutes one decision may cost: a year."""
WEIGHT_MIN, WEIGHT_MAX = 1, 3
SETUPS_MIN, SETUPS_MAX = 2, 16
"""A scenario with setups declares 2..16 of them (C093): one setup is no variation, and more than
sixteen multiply every analysis (each setup is explored on its own) for no teaching gain."""
SETUP_WEIGHT_MAX = 100

Id = Annotated[str, Meta(pattern=ID_PATTERN, description="Lowercase letters, digits and hyphens.")]
Name = Annotated[str, Meta(pattern=NAME_PATTERN)]
Condition = Annotated[
    str,
    Meta(
        description=(
            "A condition over metric and flag names: numbers, < <= > >= == !=, and, or, not,"
            " parentheses. Example: \"not rolled_back and precision < 0.9\"."
        )
    ),
]
ClockTime = Annotated[str, Meta(pattern="^([01][0-9]|2[0-3]):[0-5][0-9]$")]
CURRENCY_PATTERN = "^[A-Z]{3}$"
"""An ISO 4217 code: three capital letters (EUR, USD, GBP...)."""
ScoreDelta = Annotated[int, Meta(ge=SCORE_MIN, le=SCORE_MAX)]
Weight = Annotated[int, Meta(ge=WEIGHT_MIN, le=WEIGHT_MAX)]


class Strict(Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Base for every file format: unknown keys are errors, defaults are not written back."""


class Metric(Strict):
    label: Annotated[str, Meta(description="What the dashboard calls this metric.")]
    start: Annotated[float, Meta(description="Value when the scenario starts.")]
    min: Annotated[float, Meta(description="Lowest value; effects are clamped to it.")] = 0.0
    max: Annotated[float, Meta(description="Highest value; effects are clamped to it.")] = 1.0
    display: Annotated[
        Display, Meta(description="How values are shown: percent (0..1 as %), number, ms, money, count.")
    ] = "number"
    better: Annotated[Better, Meta(description="Which direction is good news.")] = "higher"
    currency: Annotated[
        Annotated[str, Meta(pattern=CURRENCY_PATTERN)] | None,
        Meta(description="For display = \"money\": an ISO 4217 code (EUR shows €38.0k, USD $, GBP £, JPY ¥, INR ₹; "
                         "others show the code). Without it money shows in $."),
    ] = None
    shown: Annotated[
        bool,
        Meta(description="false keeps it off the dashboard: still tracked, read by conditions and routes, and "
                         "shown in the debrief's replay (an interview panel's notes, a quality signal nobody sees yet)."),
    ] = True


class Outcome(Strict):
    chance: Annotated[float, Meta(description="Probability in (0, 1]; a choice's chances sum to 1.")]
    goto: Annotated[Id, Meta(description="Scene or ending this outcome leads to.")]
    text: Annotated[str, Meta(description="What happened, shown after the draw; may hold placeholders ({precision}, {if flag}…{end}).")] = ""
    effects: Annotated[
        dict[str, float], Meta(description="Metric deltas applied when this outcome is drawn.")
    ] = {}


class Choice(Strict):
    text: Annotated[str, Meta(description="The decision as the learner reads it.")]
    id: Annotated[Id | None, Meta(description="Stable id, unique in its scene; kept in session logs.")] = None
    goto: Annotated[Id | None, Meta(description="Scene or ending this choice leads to.")] = None
    outcomes: Annotated[
        list[Outcome] | None, Meta(description="Random outcomes instead of goto; chances sum to 1.")
    ] = None
    score: Annotated[
        dict[str, ScoreDelta], Meta(description="Rubric criterion -> points, integers -3..3.")
    ] = {}
    effects: Annotated[dict[str, float], Meta(description="Metric -> delta.")] = {}
    set: Annotated[list[Name], Meta(description="Flags that become true.")] = []
    requires: Annotated[
        Condition | None, Meta(description="The choice is locked unless this condition holds.")
    ] = None
    locked: Annotated[
        str | None,
        Meta(description="What the learner reads while the choice is locked, instead of the condition, "
                         "e.g. \"Needs a mitigation in place first\"."),
    ] = None
    feedback: Annotated[str, Meta(description="Why this choice is strong or weak: what an expert would do. "
                                              "Markdown; may hold placeholders ({precision}, {if flag}…{end}).")] = ""
    reflex: Annotated[
        str | None, Meta(description="The traditional-PM reflex this choice shows (a rubric reflex id).")
    ] = None
    takes: Annotated[int, Meta(ge=0, le=TAKES_MAX, description="Minutes of scenario time the decision costs.")] = 0
    pin: Annotated[
        Literal["last"] | None,
        Meta(description="\"last\" always shows this choice last, shuffled or not (e.g. \"none of these\")."),
    ] = None


class Route(Strict):
    goto: Annotated[Id, Meta(description="Scene or ending to go to.")]
    when: Annotated[Condition | None, Meta(description="Taken when this holds; the last route has none.")] = None


class Arrive(Strict):
    """What entering a scene does to the world, applied every time the scene is entered, before it is shown."""

    effects: Annotated[dict[str, float], Meta(description="Metric -> delta, applied on arrival (the scene's news).")] = {}
    set: Annotated[list[Name], Meta(description="Flags that become true on arrival.")] = []
    day: Annotated[
        Annotated[int, Meta(ge=1, le=999)] | None,
        Meta(description="Set the clock to this day (day 1 is the day of clock_start); give `time` with it."),
    ] = None
    time: Annotated[
        ClockTime | None,
        Meta(description="Set the clock to this time of day, HH:MM; without `day`, the next time the clock shows it."),
    ] = None
    advance: Annotated[int, Meta(ge=0, le=525_600, description="Minutes the clock moves on, after day and time.")] = 0


class Scene(Strict):
    id: Id
    title: Annotated[str, Meta(description="Heading shown above the scene.")] = ""
    text: Annotated[str, Meta(description="Markdown, shown literally; placeholders print values ({precision}, {clock}, "
                                          "{learner}) and {if COND}…{else}…{end} shows a passage only when COND holds.")] = ""
    choices: Annotated[list[Choice], Meta(description="The decisions on offer, as [[scenes.choices]].")] = []
    routes: Annotated[
        list[Route], Meta(description="For a scene without choices: the first route whose `when` holds is taken.")
    ] = []
    time_limit: Annotated[Annotated[int, Meta(gt=0, le=TIME_LIMIT_MAX)] | None, Meta(description="Seconds to decide; needs on_timeout.")] = None
    on_timeout: Annotated[Id | None, Meta(description="Scene or ending when time runs out.")] = None
    arrive: Annotated[
        Arrive | None,
        Meta(description="Applied each time the scene is entered: metric effects, flags, and the clock (day, time, advance)."),
    ] = None
    shuffle: Annotated[
        bool | None, Meta(description="Show this scene's choices in a seeded shuffled order (overrides the scenario's).")
    ] = None
    hint: Annotated[
        str,
        Meta(max_length=4000, description="Coach mode: a nudge the learner may ask for (key h) at a price: a hint halves what "
                                          "the decision earns. Shown literally; may hold placeholders ({precision}, {if flag}…{end})."),
    ] = ""


class Ending(Strict):
    id: Id
    title: Annotated[str, Meta(description="Heading of the ending.")]
    rating: Annotated[Rating, Meta(description="strong | mixed | poor")]
    text: Annotated[str, Meta(description="Markdown, shown literally; {if COND}…{else}…{end} says what the path did, "
                                          "and placeholders print values ({precision}, {clock}, {learner}).")] = ""


GLOSSARY_MAX = 200
"""Terms a scenario may define: a glossary, not a dictionary."""


class Term(Strict):
    """A word a learner may not know, defined where the rubric or a scenario uses it."""

    term: Annotated[str, Meta(min_length=1, max_length=80, description="The term as written, e.g. \"PSI\".")]
    definition: Annotated[str, Meta(min_length=1, max_length=2000, description="What it means, in a sentence or three.")]
    aliases: Annotated[
        list[Annotated[str, Meta(min_length=1, max_length=80)]],
        Meta(max_length=8, description="Other spellings that count as the term (\"population stability index\")."),
    ] = []


class Setup(Strict):
    """One of the situations a session can start in, drawn from the session's seed (weighted)."""

    id: Id
    title: Annotated[str, Meta(description="What this setup is, shown in the debrief, replay, reports and explore; "
                                           "never before the ending.")]
    weight: Annotated[int, Meta(ge=1, le=SETUP_WEIGHT_MAX,
                                description="Relative chance of being drawn, 1..100 (default 1).")] = 1
    set: Annotated[list[Name], Meta(description="Flags that are true from the start under this setup.")] = []
    metrics: Annotated[
        dict[str, float],
        Meta(description="Start values under this setup, replacing metrics.<name>.start (within min..max)."),
    ] = {}


class Scenario(Strict, dict=True):
    format: Annotated[int, Meta(description="Scenario format version; this program reads 1.")]
    id: Id
    title: Annotated[str, Meta(description="The scenario's name in the library.")]
    summary: Annotated[str, Meta(description="One or two sentences for the library list.")]
    role: Annotated[str, Meta(description="Who the learner plays.")]
    difficulty: Annotated[Difficulty, Meta(description="intro | intermediate | advanced")]
    minutes: Annotated[int, Meta(gt=0, le=MINUTES_MAX, description="Typical minutes to play.")]
    start: Annotated[Id, Meta(description="Id of the first scene.")]
    criteria: Annotated[
        dict[str, Weight], Meta(description="Rubric criteria this scenario grades, with weights 1..3.")
    ]
    scenes: Annotated[list[Scene], Meta(description="The scenes, as [[scenes]] tables.")]
    endings: Annotated[list[Ending], Meta(description="The endings, as [[endings]] tables; each rated.")]
    tags: Annotated[list[str], Meta(description="Free labels for the library, e.g. incident, drift.")] = []
    briefing: Annotated[str, Meta(description="Markdown shown before play: the situation; placeholders print the start "
                                              "values ({precision}, {clock}, {learner}).")] = ""
    mode: Annotated[Mode, Meta(description="Default mode: coach shows feedback, exam waits for the debrief.")] = "coach"
    clock_start: Annotated[
        Annotated[str, Meta(pattern=CLOCK_PATTERN)] | None,
        Meta(description="Scenario clock start on day 1, HH:MM; `takes` advances it."),
    ] = None
    metrics: Annotated[dict[str, Metric], Meta(description="Dashboard metrics by name.")] = {}
    shuffle: Annotated[
        bool,
        Meta(description="Each session shows every scene's choices in an order drawn from its seed; false keeps the "
                         "authored order where order is meaning (a scene's own `shuffle` overrides this)."),
    ] = True
    setups: Annotated[
        list[Setup],
        Meta(description="2..16 situations, as [[setups]]; the session's seed draws one (weighted) and it sets start "
                         "metrics and flags, which the text reads through placeholders and {if flag} passages."),
    ] = []
    glossary: Annotated[
        dict[Id, Term],
        Meta(max_length=GLOSSARY_MAX, description="Terms this scenario uses beyond the rubric's glossary; `g` in play "
                                                  "lists the terms of the scene on screen. An id the rubric also "
                                                  "defines is replaced by this scenario's."),
    ] = {}

    @cached_property
    def nodes(self) -> dict[str, Scene | Ending]:
        """Scenes and endings by id (the first of a duplicated id wins; validation reports it)."""
        table: dict[str, Scene | Ending] = {}
        nodes: list[Scene | Ending] = [*self.scenes, *self.endings]
        for node in nodes:
            table.setdefault(node.id, node)
        return table


class Criterion(Strict):
    title: str
    description: str
    high: Annotated[str, Meta(description="What high scores look like.")]
    anchors: list[str]


class Reflex(Strict):
    title: Annotated[str, Meta(description="The instinct, in the PM's own words.")]
    description: Annotated[str, Meta(description="Why it misleads in AI work, and what replaces it.")]


class Rubric(Strict):
    format: int
    criteria: dict[str, Criterion]
    reflexes: dict[str, Reflex]
    glossary: dict[str, Term] = {}


def reachable(successors: Mapping[str, Iterable[str]], start: str) -> set[str]:
    """Every node a walk from `start` can reach, conditions ignored: the static warnings and the
    authoring graph ask this of their own edge maps, so there is one walk (iterative, so a
    2,500-scene chain does not hit the recursion limit)."""
    seen = {start}
    stack = [start]
    while stack:
        for nxt in successors.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
