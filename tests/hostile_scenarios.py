"""Generated scenarios that are valid but huge or deep, for tests/core/test_hostile.py and
bench/bench_hostile.py: long chains, fan-outs, many binary decisions, long route chains, loops."""

from __future__ import annotations

HEAD = [
    "format = 1", 'id = "hostile"', 'title = "Hostile"', 'summary = "Generated."', 'role = "AI PM"',
    'difficulty = "advanced"', "minutes = 90", 'start = "s0"',
    # The tests press choices by number to walk a known path; size, not order, is what they test.
    "shuffle = false", "", "[criteria]", "monitoring = 3", "",
]
ENDINGS = ["[[endings]]", 'id = "good"', 'title = "Good"', 'rating = "strong"', "",
           "[[endings]]", 'id = "poor"', 'title = "Poor"', 'rating = "poor"', ""]


def _choice(text: str, goto: str, score: int) -> list[str]:
    return ["  [[scenes.choices]]", f'  text = "{text}"', f'  goto = "{goto}"',
            f"  score = {{ monitoring = {score} }}", '  feedback = "Why."', ""]


def binary_decisions(count: int) -> str:
    """`count` scenes of two choices each, both leading on: 2**count distinct paths."""
    lines = list(HEAD)
    for index in range(count):
        nxt = f"s{index + 1}" if index + 1 < count else "good"
        lines += ["[[scenes]]", f'id = "s{index}"', f'title = "Decision {index}"', 'text = "Pick."', ""]
        lines += _choice("Left", nxt, 1) + _choice("Right", nxt, -1)
    return "\n".join(lines + ENDINGS)


def chain(count: int) -> str:
    """`count` scenes in a line, each with one good and one poor choice."""
    lines = list(HEAD)
    for index in range(count):
        nxt = f"s{index + 1}" if index + 1 < count else "good"
        lines += ["[[scenes]]", f'id = "s{index}"', f'title = "Scene {index}"', 'text = "On."', ""]
        lines += _choice("On", nxt, 1) + _choice("Stop", "poor", -1)
    return "\n".join(lines + ENDINGS)


def fan_out(count: int) -> str:
    """One scene with `count` choices, each to its own scene, each to an ending."""
    lines = list(HEAD) + ["[[scenes]]", 'id = "s0"', 'title = "Many ways"', 'text = "Pick one."', ""]
    for index in range(count):
        lines += _choice(f"Way {index}", f"w{index}", 1 if index % 2 else -1)
    for index in range(count):
        lines += ["[[scenes]]", f'id = "w{index}"', 'title = "A way"', ""]
        lines += _choice("End well", "good", 1) + _choice("End badly", "poor", -1)
    return "\n".join(lines + ENDINGS)


def route_chain(count: int) -> str:
    """A decision, then `count` routing scenes in a row (each with a condition), then a decision."""
    lines = list(HEAD) + ["[metrics.quality]", 'label = "Quality"', "start = 0.5", ""]
    lines += ["[[scenes]]", 'id = "s0"', 'title = "Start"', ""] + _choice("Go", "r0", 1)
    for index in range(count):
        nxt = f"r{index + 1}" if index + 1 < count else "last"
        lines += ["[[scenes]]", f'id = "r{index}"',
                  f'routes = [ {{ when = "quality > 2", goto = "poor" }}, {{ goto = "{nxt}" }} ]', ""]
    lines += ["[[scenes]]", 'id = "last"', 'title = "Last"', ""] + _choice("Finish", "good", 1) + _choice("Fail", "poor", -1)
    return "\n".join(lines + ENDINGS)


def route_loop(count: int) -> str:
    """`count` routing scenes in a cycle: refused (C031), found in linear time."""
    text = route_chain(count)
    return text.replace('goto = "last" } ]', 'goto = "r0" }} ]'.replace("}}", "}"), 1)


def loop_for(decisions: int) -> tuple[str, str]:
    """A scene that can be chosen again and again, and the choices for a session of `decisions`."""
    lines = list(HEAD) + ["[metrics.quality]", 'label = "Quality"', "start = 0.5", ""]
    lines += ["[[scenes]]", 'id = "s0"', 'title = "Again"', ""]
    lines += ["  [[scenes.choices]]", '  text = "Again"', '  goto = "s0"', "  score = { monitoring = 1 }",
              "  effects = { quality = 0.001 }", '  feedback = "Again."', ""]
    lines += _choice("Stop", "good", 1)
    return "\n".join(lines + ENDINGS), ",".join(["1"] * (decisions - 1) + ["2"])
