"""Hypothesis strategies for the authoring writer: every field, every awkward value.

These scenarios are structurally valid (they satisfy the model's types and patterns, so they
decode) but not necessarily sound (a goto may point nowhere): the writer must carry whatever the
author has in the workspace, half-finished or not. Texts are arbitrary Unicode with quotes,
backslashes, line breaks, carriage returns and control characters; keys of score, effects and
criteria are arbitrary strings (quoted in TOML when they must be); numbers cover the whole range.
"""

from __future__ import annotations

from hypothesis import strategies as st

from coach.scenario.model import (
    ENUMS,
    MINUTES_MAX,
    TAKES_MAX,
    TIME_LIMIT_MAX,
    Arrive,
    Choice,
    Ending,
    Metric,
    Outcome,
    Route,
    Scenario,
    Scene,
    Setup,
)

ids = st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,12}\Z")
names = st.from_regex(r"\A[a-z_][a-z0-9_]{0,10}\Z")
nasty = st.sampled_from(['"', '"""', "'''", "\\", "\n", "\r\n", "\r", "\t", "\x00", "\x7f", "#", "é", "\u2028", "😀", " "])
texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(nasty, st.text(max_size=8)), max_size=8).map("".join),
)
keys = st.one_of(names, st.text(min_size=0, max_size=10))
numbers = st.one_of(
    st.floats(allow_nan=False),
    st.integers(-10**6, 10**6).map(float),
    st.sampled_from([0.0, -0.0, 0.1, 0.05, 1e-7, 1e300, 0.1 + 0.2]),
)
condition = st.one_of(st.none(), texts)


def maybe(strategy):
    return st.one_of(st.none(), strategy)


outcomes = st.builds(Outcome, chance=numbers, goto=ids, text=texts, effects=st.dictionaries(keys, numbers, max_size=2))
routes = st.builds(Route, goto=ids, when=condition)
clock_times = st.from_regex(r"\A([01][0-9]|2[0-3]):[0-5][0-9]\Z")
arrivals = st.builds(
    Arrive,
    effects=st.dictionaries(keys, numbers, max_size=2),
    set=st.lists(names, max_size=2),
    day=maybe(st.integers(1, 999)),
    time=maybe(clock_times),
    advance=st.integers(0, 525_600),
)

choices = st.builds(
    Choice,
    text=texts,
    id=maybe(ids),
    goto=maybe(ids),
    outcomes=maybe(st.lists(outcomes, max_size=3)),
    score=st.dictionaries(keys, st.integers(-3, 3), max_size=3),
    effects=st.dictionaries(keys, numbers, max_size=2),
    set=st.lists(names, max_size=2),
    requires=condition,
    locked=maybe(texts),
    feedback=texts,
    reflex=maybe(texts),
    takes=st.integers(0, TAKES_MAX),
    pin=maybe(st.just("last")),
)

scenes = st.builds(
    Scene,
    id=ids,
    title=texts,
    text=texts,
    choices=st.lists(choices, max_size=3),
    routes=st.lists(routes, max_size=2),
    time_limit=maybe(st.integers(1, TIME_LIMIT_MAX)),
    on_timeout=maybe(ids),
    arrive=maybe(arrivals),
    shuffle=maybe(st.booleans()),
)

endings = st.builds(Ending, id=ids, title=texts, rating=st.sampled_from(ENUMS["rating"]), text=texts)

metrics = st.builds(
    Metric,
    label=texts,
    start=numbers,
    min=numbers,
    max=numbers,
    display=st.sampled_from(ENUMS["display"]),
    better=st.sampled_from(ENUMS["better"]),
    currency=maybe(st.from_regex(r"\A[A-Z]{3}\Z")),
)

setups = st.builds(
    Setup,
    id=ids,
    title=texts,
    weight=st.integers(1, 100),
    set=st.lists(names, max_size=2),
    metrics=st.dictionaries(keys, numbers, max_size=2),
)

scenarios = st.builds(
    Scenario,
    format=st.just(1),
    id=ids,
    title=texts,
    summary=texts,
    role=texts,
    difficulty=st.sampled_from(ENUMS["difficulty"]),
    minutes=st.integers(1, MINUTES_MAX),
    start=ids,
    criteria=st.dictionaries(keys, st.integers(1, 3), max_size=3),
    scenes=st.lists(scenes, max_size=4),
    endings=st.lists(endings, max_size=3),
    tags=st.lists(texts, max_size=3),
    briefing=texts,
    mode=st.sampled_from(ENUMS["mode"]),
    clock_start=maybe(clock_times),
    metrics=st.dictionaries(names, metrics, max_size=2),
    shuffle=st.booleans(),
    setups=st.lists(setups, max_size=2),
)
