"""A world that agrees with its text: arrival effects, the clock on arrival, currencies, lock reasons."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from coach.display import format_change, format_value
from coach.engine import engine
from coach.engine.explore import explore
from coach.engine.world import arrival_minute, lock_reason
from coach.scenario.loader import load_scenario, load_text
from coach.scenario.model import Arrive, Choice, Metric
from coach.sessions.log import read_session
from coach.sessions.playthrough import Playthrough, rebuild
from coach.sessions.replay import open_replay

from scenario_strategies import FLAGS, scenarios

DATA = Path(__file__).resolve().parent.parent / "data"
WORLD = DATA / "tui" / "world.toml"
MINIMAL = DATA / "good" / "minimal.toml"


@pytest.fixture(scope="module")
def world():
    result = load_scenario(WORLD)
    assert result.scenario is not None, result.diagnostics
    return result.scenario


def by_id(scenario, state, choice_id: str) -> int:
    return next(o.index for o in engine.options(scenario, state) if o.choice.id == choice_id)


# --- arrival effects -------------------------------------------------------------------------------


def test_arriving_applies_the_scenes_effects_once_and_the_dashboard_sees_the_change(world) -> None:
    state = engine.step(world, engine.start(world), 0)  # watch -> thursday
    assert state.scene == "thursday"
    assert state.metrics["conversion"] == pytest.approx(0.025)
    assert state.metrics["spend"] == 42000
    assert "alarmed" in state.flags
    # One history point per step, so the dashboard's "change since the last decision" is the news.
    assert state.metric_history["conversion"] == pytest.approx((0.031, 0.025))
    assert state.history[-1].effects == {}  # the decision itself moved nothing


def test_arrival_is_applied_each_time_the_scene_is_entered_routing_scenes_too(world) -> None:
    state = engine.step(world, engine.start(world), by_id(world, engine.start(world), "watch"))
    state = engine.step(world, state, by_id(world, state, "roll-back"))  # relay (routes) -> afternoon
    assert state.scene == "afternoon" and "rolled" in state.flags  # the routing scene's flag chose the route
    assert state.metrics["conversion"] == pytest.approx(0.031)
    state = engine.step(world, state, by_id(world, state, "again"))  # back to thursday: its news again
    assert state.scene == "thursday"
    assert state.metrics["conversion"] == pytest.approx(0.025) and state.metrics["spend"] == 46000


def test_arrival_effects_are_clamped_like_any_effect() -> None:
    text = MINIMAL.read_text().replace('title = "The review"\n', 'title = "The review"\narrive = { effects = { precision = -5 } }\n')
    scenario = load_text(text, "clamp.toml").scenario
    assert scenario is not None
    state = engine.step(scenario, engine.start(scenario), 0)  # rollback -> triage -> review
    assert state.scene == "review" and state.metrics["precision"] == 0.0


def test_arrival_on_the_start_scene_is_part_of_the_starting_values() -> None:
    text = MINIMAL.read_text().replace('title = "The alert fires"\n', 'title = "The alert fires"\narrive = { effects = { precision = -0.02 }, set = ["paged"] }\n')
    scenario = load_text(text, "start.toml").scenario
    assert scenario is not None
    state = engine.start(scenario)
    assert state.metrics["precision"] == pytest.approx(0.90) and "paged" in state.flags
    assert state.metric_history["precision"] == pytest.approx((0.90,))


def test_a_saved_session_rebuilds_and_replays_to_the_same_state(world) -> None:
    play = Playthrough.new(load_scenario(WORLD), seed=3)
    for choice_id in ("watch", "roll-back", "again", "roll-back"):
        play.choose(by_id(world, play.state, choice_id))
    assert play.writer is not None
    path = play.writer.path
    # Resume rebuilds the state from the log (decisions only): the news of every entry is there.
    _, rebuilt = rebuild(read_session(path))
    assert rebuilt.metrics == play.state.metrics and rebuilt.flags == play.state.flags
    assert rebuilt.elapsed == play.state.elapsed and rebuilt.metric_history == play.state.metric_history
    play.choose(by_id(world, play.state, "postmortem"))
    play.close()
    replay = open_replay(path)
    assert replay.final is not None and replay.final.ending == "done"
    assert replay.final.metrics == play.state.metrics
    assert engine.clock(world, replay.final) == engine.clock(world, play.state) == "Day 4 14:00"


def test_exploration_sees_flags_and_effects_set_on_arrival() -> None:
    # The review's postmortem needs `rolled_back`; here only arriving at the review sets it.
    text = MINIMAL.read_text().replace('  set = ["rolled_back"]\n', "")
    text = text.replace('title = "The review"\n', 'title = "The review"\narrive = { set = ["rolled_back"] }\n')
    scenario = load_text(text, "explore.toml").scenario
    assert scenario is not None
    analysis = explore(scenario)
    assert ("review", 0) in analysis.choices_available
    assert analysis.endings_reached["contained"]
    # And an arrival effect that a route reads changes where the route goes.
    routed = text.replace('id = "triage"\n', 'id = "triage"\narrive = { effects = { precision = -0.5 } }\n')
    scenario = load_text(routed, "route.toml").scenario
    assert scenario is not None
    analysis = explore(scenario)
    assert not analysis.endings_reached["contained"]  # triage always routes to `froze` now


# --- the clock -------------------------------------------------------------------------------------


def test_a_scene_sets_the_day_and_time_and_advances_the_clock(world) -> None:
    state = engine.start(world)
    assert engine.clock(world, state) == "Day 1 08:40"
    state = engine.step(world, state, by_id(world, state, "watch"))
    assert engine.clock(world, state) == "Day 4 09:30"
    state = engine.step(world, state, by_id(world, state, "roll-back"))  # takes 15, relay advances 90
    # 09:30 + 15 + 90 = 11:15, then the afternoon scene sets 14:00 (later the same day).
    assert engine.clock(world, state) == "Day 4 14:00"


@pytest.mark.parametrize(("arrive", "now", "expected"), [
    (Arrive(advance=90), 8 * 60, 9 * 60 + 30),
    (Arrive(time="09:30"), 8 * 60, 9 * 60 + 30),  # later today
    (Arrive(time="09:30"), 9 * 60 + 30, 9 * 60 + 30),  # it is that time already
    (Arrive(time="09:30"), 10 * 60, 1440 + 9 * 60 + 30),  # passed today: tomorrow
    (Arrive(day=3, time="09:30"), 10 * 60, 2 * 1440 + 9 * 60 + 30),
    (Arrive(day=1, time="06:00"), 2 * 1440, 6 * 60),  # absolute, even backwards (W131 warns)
    (Arrive(day=2), 1440 * 4 + 17 * 60, 1440 + 17 * 60),  # day alone keeps the time of day (W132)
    (Arrive(day=2, time="09:00", advance=30), 0, 1440 + 9 * 60 + 30),  # advance comes last
])
def test_arrival_minute(arrive: Arrive, now: int, expected: int) -> None:
    assert arrival_minute(arrive, now) == expected


@settings(deadline=None)
@given(st.integers(0, 10 * 1440), st.integers(0, 23), st.integers(0, 59), st.integers(0, 600))
def test_time_without_day_never_moves_the_clock_back_and_lands_on_that_time(now, hours, minutes, advance) -> None:
    arrive = Arrive(time=f"{hours:02d}:{minutes:02d}", advance=advance)
    after = arrival_minute(arrive, now)
    assert now <= after - advance < now + 1440
    assert (after - advance) % 1440 == hours * 60 + minutes


# --- currencies ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("currency", "large", "small"), [
    (None, "$38.0k", "$950"),
    ("USD", "$38.0k", "$950"),
    ("EUR", "€38.0k", "€950"),
    ("GBP", "£38.0k", "£950"),
    ("JPY", "¥38.0k", "¥950"),
    ("INR", "₹38.0k", "₹950"),
    ("CHF", "CHF 38.0k", "CHF 950"),
])
def test_money_is_shown_in_its_currency(currency: str | None, large: str, small: str) -> None:
    metric = Metric(label="Cost", start=0, max=1e7, display="money", currency=currency)
    assert format_value(metric, 38000) == large
    assert format_value(metric, 950) == small
    assert format_change(metric, -950) == f"-{small}"
    assert format_value(metric, 2_500_000).endswith("2.5M")


def test_the_reranker_briefing_in_euros_shows_its_cost_in_euros() -> None:
    scenario = load_scenario(DATA.parent.parent / "scenarios" / "reranker-latency.toml", warnings=False).scenario
    assert scenario is not None
    metric = scenario.metrics["gpu_cost"]
    assert format_value(metric, metric.start) == "€38.0k"


# --- lock reasons ----------------------------------------------------------------------------------


def test_a_locked_choice_shows_the_authors_reason(world) -> None:
    options = engine.options(world, engine.start(world))
    ship = next(o for o in options if o.choice.id == "ship-fix")
    assert not ship.available and ship.reason == "Needs a mitigation in place first"


def test_without_a_reason_the_condition_is_a_sentence_in_the_dashboards_words(world) -> None:
    options = engine.options(world, engine.start(world))
    celebrate = next(o for o in options if o.choice.id == "celebrate")
    assert celebrate.reason == "Available only when Serving cost / month is below €10.0k and not alarmed"
    assert "requires" not in celebrate.reason and "<" not in celebrate.reason


@pytest.mark.parametrize(("requires", "expected"), [
    ("rolled_back", "Available only when rolled back"),
    ("not mitigated and not failed_open", "Available only when not mitigated and not failed open"),
    ("0.9 < precision", "Available only when Precision is above 90.0%"),
    ("precision >= 0.9 or (rolled_back and not paged)", "Available only when Precision is at least 90.0% or (rolled back and not paged)"),
])
def test_default_lock_sentences(requires: str, expected: str) -> None:
    scenario = load_scenario(MINIMAL).scenario
    assert scenario is not None
    assert lock_reason(scenario, Choice(text="x", goto="froze", requires=requires)) == expected


def test_an_authors_reason_is_one_line_without_a_final_full_stop() -> None:
    scenario = load_scenario(MINIMAL).scenario
    assert scenario is not None
    choice = Choice(text="x", goto="froze", requires="rolled_back", locked="  Roll back\nfirst.  ")
    assert lock_reason(scenario, choice) == "Roll back first"


# --- properties over generated scenarios with arrivals ----------------------------------------------


@st.composite
def scenarios_with_arrivals(draw):
    """The engine-property scenarios, with an `arrive` table on some scenes (routing ones too):
    effects that routes and conditions read, flags that open choices, and clock settings."""
    scenario = draw(scenarios())
    flags = sorted({f for s in scenario.scenes for c in s.choices for f in c.set} & set(FLAGS))
    scenes = []
    for scene in scenario.scenes:
        if draw(st.integers(0, 2)) == 0:
            arrive = Arrive(
                effects={"quality": draw(st.sampled_from([-0.3, -0.1, 0.1, 0.3]))} if draw(st.booleans()) else {},
                set=[draw(st.sampled_from(flags))] if flags and draw(st.booleans()) else [],
                day=draw(st.one_of(st.none(), st.integers(1, 5))),
                time=draw(st.one_of(st.none(), st.sampled_from(["06:00", "09:30", "23:59"]))),
                advance=draw(st.sampled_from([0, 0, 45, 1500])),
            )
            scene = replace(scene, arrive=arrive)
        scenes.append(scene)
    return replace(scenario, scenes=scenes, clock_start=draw(st.sampled_from([None, "08:40"])))


def _walk(scenario, seed: int, picks: list[int]):
    state = engine.start(scenario)
    states = [state]
    for pick in picks:
        if state.finished:
            break
        offered = [o.index for o in engine.options(scenario, state) if o.available]
        if not offered:
            break
        state = engine.step(scenario, state, offered[pick % len(offered)], seed=seed)
        states.append(state)
    return states


@settings(deadline=None)
@given(scenarios_with_arrivals(), st.integers(0, 2**20), st.lists(st.integers(0, 10), max_size=20))
def test_exploration_offers_what_play_offers_with_arrivals(scenario, seed, picks) -> None:
    analysis = explore(scenario)
    if not analysis.exhaustive:
        return
    for state in _walk(scenario, seed, picks):
        assert state.scene in analysis.nodes_reached
        for option in engine.options(scenario, state):
            if option.available:
                assert (state.scene, option.index) in analysis.choices_available


@settings(deadline=None)
@given(scenarios_with_arrivals(), st.integers(0, 2**20), st.lists(st.integers(0, 10), max_size=15))
def test_a_session_with_arrivals_rebuilds_exactly_from_its_log(scenario, seed, picks) -> None:
    loaded = load_text(tomli_w.dumps(msgspec.to_builtins(scenario)), "generated.toml", warnings=False)
    assert loaded.scenario is not None, loaded.diagnostics
    play = Playthrough.new(loaded, seed=seed)
    for pick in picks:
        offered = [o.index for o in play.options() if o.available]
        if play.finished or not offered:
            break
        play.choose(offered[pick % len(offered)])
    play.close()
    assert play.writer is not None
    _, rebuilt = rebuild(read_session(play.writer.path))
    assert rebuilt == play.state
    # Every history point is one step, and the dashboard's last value is the state's.
    for name, values in play.state.metric_history.items():
        assert len(values) == len(play.state.history) + 1 and values[-1] == play.state.metrics[name]


def test_a_reason_never_carries_a_control_character_to_a_terminal() -> None:
    scenario = load_scenario(MINIMAL).scenario
    assert scenario is not None
    choice = Choice(text="x", goto="froze", requires="rolled_back", locked="Roll\x1b[31m back\tfirst\x07")
    reason = lock_reason(scenario, choice)
    assert reason.isprintable() and reason == "Roll [31m back first"
