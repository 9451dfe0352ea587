"""Choices in a seeded order: the same seed shows the same order, every order comes up over
seeds, `shuffle = false` and `pin = "last"` are kept, and what a session showed is what its log,
its replay and its resume show."""

from __future__ import annotations

import itertools
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.engine import order
from coach.scenario.loader import load_text
from coach.sessions.log import Choice, Start, read_session
from coach.sessions.playthrough import Playthrough
from coach.sessions.replay import open_replay

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])

THREE = """
format = 1
id = "three"
title = "Three"
summary = "A scene with three choices, then one with four."
role = "AI PM"
difficulty = "intro"
minutes = 2
start = "one"
{head}

[criteria]
monitoring = 1

[[scenes]]
id = "one"
title = "One"
{scene}
  [[scenes.choices]]
  id = "a"
  text = "A"
  goto = "two"
  score = {{ monitoring = 2 }}
  feedback = "Strong."

  [[scenes.choices]]
  id = "b"
  text = "B"
  goto = "two"
  score = {{ monitoring = -1 }}
  feedback = "Weak."

  [[scenes.choices]]
  id = "none"
  text = "None of these"
  goto = "two"
  feedback = "Neutral."
{pin}

[[scenes]]
id = "two"
title = "Two"

  [[scenes.choices]]
  id = "w"
  text = "W"
  goto = "end"
  feedback = "Fine."

  [[scenes.choices]]
  id = "x"
  text = "X"
  goto = "end"
  feedback = "Fine."

  [[scenes.choices]]
  id = "y"
  text = "Y"
  goto = "end"
  feedback = "Fine."

  [[scenes.choices]]
  id = "z"
  text = "Z"
  goto = "end"
  feedback = "Fine."

[[endings]]
id = "end"
title = "The end"
rating = "strong"
"""


def scenario(head: str = "", scene: str = "", pin: str = ""):
    loaded = load_text(THREE.format(head=head, scene=scene, pin=pin), "three.toml")
    loaded.require()  # fails naming the file's first error
    return loaded


SHUFFLED = scenario().scenario
seeds = st.integers(0, 2**31 - 1)


@SETTINGS
@given(seeds)
def test_the_same_seed_shows_the_same_order(seed: int) -> None:
    for scene in SHUFFLED.scenes:
        shown = order.shown_order(SHUFFLED, scene, seed)
        assert shown == order.shown_order(SHUFFLED, scene, seed)
        assert sorted(shown) == list(range(len(scene.choices)))


def test_every_order_of_a_three_choice_scene_comes_up_over_seeds() -> None:
    scene = SHUFFLED.scenes[0]
    seen = {tuple(order.shown_order(SHUFFLED, scene, seed)) for seed in range(200)}
    assert seen == set(itertools.permutations(range(3)))


def test_the_order_is_a_fixed_function_of_seed_and_scene() -> None:
    # Pinned values: a change here changes what old seeds showed, so it needs a new ORDER_VERSION.
    assert [order.shown_order(SHUFFLED, s, 7) for s in SHUFFLED.scenes] == [[2, 1, 0], [3, 2, 0, 1]]
    assert order.shown_order(SHUFFLED, SHUFFLED.scenes[0], 7, version=0) == [0, 1, 2]


@SETTINGS
@given(seeds)
def test_shuffle_false_keeps_the_authored_order(seed: int) -> None:
    off = scenario(head="shuffle = false").scenario
    assert [order.shown_order(off, s, seed) for s in off.scenes] == [[0, 1, 2], [0, 1, 2, 3]]
    # A scene's own key wins over the scenario's, either way.
    scene_off = scenario(scene="shuffle = false").scenario
    assert order.shown_order(scene_off, scene_off.scenes[0], seed) == [0, 1, 2]
    scene_on = scenario(head="shuffle = false", scene="shuffle = true").scenario
    assert not order.shuffles(scene_on, scene_on.scenes[1]) and order.shuffles(scene_on, scene_on.scenes[0])


@SETTINGS
@given(seeds)
def test_a_pinned_choice_is_always_last(seed: int) -> None:
    pinned = scenario(pin='  pin = "last"').scenario
    shown = order.shown_order(pinned, pinned.scenes[0], seed)
    assert shown[-1] == 2 and sorted(shown) == [0, 1, 2]
    fixed = scenario(head="shuffle = false", pin='  pin = "last"').scenario
    assert order.shown_order(fixed, fixed.scenes[0], seed) == [0, 1, 2]


def test_pinned_choices_still_let_the_others_move() -> None:
    pinned = scenario(pin='  pin = "last"').scenario
    seen = {tuple(order.shown_order(pinned, pinned.scenes[0], seed)) for seed in range(50)}
    assert seen == {(0, 1, 2), (1, 0, 2)}


@SETTINGS
@given(seeds, st.integers(0, 2), st.integers(0, 3))
def test_the_log_replay_and_resume_show_the_order_that_was_played(seed: int, first: int, second: int) -> None:
    loaded = scenario()
    play = Playthrough.new(loaded, seed=seed)
    shown_first = [o.choice.id for o in play.options()]
    assert [o.number for o in play.options()] == [1, 2, 3]
    play.choose(play.options()[first].index)  # the learner presses `first + 1`
    shown_second = [o.choice.id for o in play.options()]
    path = play.writer.path
    play.close()

    record = read_session(path)
    assert record.start.order == order.ORDER_VERSION
    [logged] = [e for e in record.events if isinstance(e, Choice)]
    assert [loaded.scenario.scenes[0].choices[i].id for i in logged.shown] == shown_first

    resumed = Playthrough.resume(record)  # a resumed session keeps its order
    assert [o.choice.id for o in resumed.options()] == shown_second
    resumed.choose(resumed.options()[second].index)
    resumed.close()

    replay = open_replay(path)
    assert replay.complete and replay.finished
    one, two = replay.steps
    assert [a.text for a in one.alternatives] == [loaded.scenario.scenes[0].choices[i].text for i in logged.shown]
    assert [a.number for a in one.alternatives] == [1, 2, 3]
    assert next(a for a in one.alternatives if a.taken).number == first + 1
    assert next(a for a in two.alternatives if a.taken).number == second + 1
    two_scene = loaded.scenario.scenes[1]
    assert [a.text for a in two.alternatives] == [two_scene.choices[i].text
                                                  for i in order.shown_order(loaded.scenario, two_scene, seed)]


def test_a_log_from_before_shuffling_replays_and_resumes_in_the_authored_order() -> None:
    loaded = scenario()
    play = Playthrough.new(loaded, seed=7)
    play.choose(0)
    path = play.writer.path
    play.close()
    # As coach wrote it before this change: no `order` on the start, no `shown` on the choice.
    lines = path.read_text().splitlines()
    start, choice = json.loads(lines[0]), json.loads(lines[1])
    del start["order"], choice["shown"]
    path.write_text(json.dumps(start) + "\n" + json.dumps(choice) + "\n")
    record = read_session(path)
    assert isinstance(record.start, Start) and record.start.order == 0
    replay = open_replay(path)
    assert [a.text for a in replay.steps[0].alternatives] == ["A", "B", "None of these"]
    resumed = Playthrough.resume(record)
    assert [o.choice.id for o in resumed.options()] == ["w", "x", "y", "z"]
    resumed.close()


def test_a_session_in_an_order_this_coach_does_not_know_is_not_resumed() -> None:
    import pytest

    from coach.sessions.log import SessionError

    play = Playthrough.new(scenario(), seed=3)
    play.choose(0)
    path = play.writer.path
    play.close()
    lines = path.read_text().splitlines()
    start = json.loads(lines[0])
    start["order"] = order.ORDER_VERSION + 1
    path.write_text("\n".join([json.dumps(start), *lines[1:]]) + "\n")
    with pytest.raises(SessionError, match="upgrade coach to resume it"):
        Playthrough.resume(read_session(path))
    assert open_replay(path).complete  # the replay shows what the log recorded
