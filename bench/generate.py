"""Large generated scenarios for the benchmarks (valid, with conditions, routes and outcomes)."""

from __future__ import annotations


def big_scenario(scenes: int, *, pad: int = 0) -> str:
    """A valid scenario of `scenes` scenes; `pad` characters of text per scene set the size."""
    lines = [
        "format = 1", 'id = "big"', 'title = "Big"', 'summary = "Generated."', 'role = "AI PM"',
        'difficulty = "advanced"', "minutes = 90", 'start = "s0"', "",
        "[criteria]", "monitoring = 3", "failure = 2", "impact = 1", "",
        "[metrics.quality]", 'label = "Quality"', "start = 0.5", "min = 0.0", "max = 1.0", 'display = "percent"', "",
    ]
    filler = ("The dashboard shows precision sliding while the on-call engineer waits for a call. " * 8)[:pad]
    for index in range(scenes):
        nxt = f"s{index + 1}" if index + 1 < scenes else "good"
        skip = f"s{index + 2}" if index + 2 < scenes else "poor"
        lines += ["[[scenes]]", f'id = "s{index}"', f'title = "Scene {index}"', f'text = """\n{filler}\n"""']
        if index % 10 == 5:
            lines += [f'routes = [ {{ when = "quality < 0.3", goto = "{skip}" }}, {{ goto = "{nxt}" }} ]', ""]
            continue
        if index % 7 == 3:
            lines += ["time_limit = 45", 'on_timeout = "poor"']
        lines += [
            "", "  [[scenes.choices]]", f'  id = "a{index}"', '  text = "Investigate before acting"', f'  goto = "{nxt}"',
            "  score = { monitoring = 2, failure = 1 }", "  effects = { quality = 0.05 }", '  set = ["checked"]',
            '  feedback = "Mitigate first, then find the cause."', "",
            "  [[scenes.choices]]", f'  id = "b{index}"', '  text = "Retrain tonight"',
            f'  outcomes = [ {{ chance = 0.6, goto = "{nxt}", effects = {{ quality = -0.05 }} }}, {{ chance = 0.4, goto = "{skip}" }} ]',
            "  score = { monitoring = -1, impact = 1 }", '  reflex = "retrain-first"',
            '  feedback = "Retraining on broken data bakes the bug in."', "",
            "  [[scenes.choices]]", f'  id = "c{index}"', '  text = "Ship the postmortem"', f'  goto = "{nxt}"',
            '  requires = "checked and quality >= 0.4"', "  score = { failure = 2 }", '  feedback = "Learning without blame."', "",
        ]
    lines += ["[[endings]]", 'id = "good"', 'title = "Good"', 'rating = "strong"', "",
              "[[endings]]", 'id = "poor"', 'title = "Poor"', 'rating = "poor"', ""]
    return "\n".join(lines)


def sized_scenario(scenes: int, limit: int) -> str:
    """The largest padding that keeps the file under `limit` bytes."""
    low, high = 0, 4000
    while low < high:
        middle = (low + high + 1) // 2
        if len(big_scenario(scenes, pad=middle).encode()) < limit:
            low = middle
        else:
            high = middle - 1
    return big_scenario(scenes, pad=low)
