"""Large generated scenarios for the benchmarks (valid, with conditions, routes and outcomes)."""

from __future__ import annotations

from pathlib import Path


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


# --- session histories ----------------------------------------------------------------------------

SESSION_SCENARIOS = ("precision-cliff", "llm-launch-readiness", "vendor-silent-update")
FIRST_DAY = "2025-01-06T08:00:00+00:00"


def sessions(count: int, *, seed: int = 2026) -> None:
    """`count` sessions in the current COACH_HOME, spread over a year: seeded random choices on
    three built-in scenarios, one in ten left unfinished after one to three decisions. The same
    count and seed write the same files, so two runs measure the same history."""
    import random
    from datetime import datetime, timedelta

    from coach.config.library import resolve
    from coach.sessions import log
    from coach.sessions.playthrough import Playthrough

    rng = random.Random(seed)
    loaded = [resolve(name) for name in SESSION_SCENARIOS]
    for result in loaded:
        assert result.scenario is not None, result.diagnostics
    clock = {"at": datetime.fromisoformat(FIRST_DAY)}

    def now() -> str:
        clock["at"] += timedelta(seconds=20)
        return clock["at"].isoformat(timespec="seconds")

    def new_session_id(scenario_id: str) -> str:
        clock["at"] += timedelta(hours=rng.randrange(1, 9))
        return f"{clock['at']:%Y%m%d-%H%M%S}-{scenario_id}-{rng.getrandbits(24):06x}"

    saved = log.now, log.new_session_id
    log.now, log.new_session_id = now, new_session_id  # dated, unique names without the wall clock
    try:
        for number in range(count):
            play = Playthrough.new(loaded[number % len(loaded)], seed=rng.randrange(1 << 31))
            stop_after = rng.randrange(1, 4) if number % 10 == 9 else None
            decisions = 0
            while not play.finished and decisions != stop_after:
                options = [o for o in play.options() if o.available]
                if options:
                    play.choose(rng.choice(options).index, seconds=rng.uniform(2, 40))
                else:
                    play.time_out()
                decisions += 1
            play.close()
    finally:
        log.now, log.new_session_id = saved


def session_home(count: int, cache: str | None = None) -> Path:
    """A COACH_HOME holding `count` generated sessions (and the scenario versions they were played
    on), set in the environment. With `cache`, a folder kept between runs: generating 2,000
    sessions takes about 30 s, and the files are the same each time."""
    import os
    import shutil
    import tempfile

    if cache:
        home = Path(cache).expanduser() / f"sessions-{count}"
        os.environ["COACH_HOME"] = str(home)
        sessions_folder = home / "data" / "sessions"
        if sessions_folder.is_dir() and len(list(sessions_folder.glob("*.jsonl"))) == count:
            return home
        shutil.rmtree(home, ignore_errors=True)
    else:
        home = Path(tempfile.mkdtemp(prefix="coach-bench-sessions-"))
        os.environ["COACH_HOME"] = str(home)
    sessions(count)
    # As a learner's folder is when they open their history: last changed when their last session
    # began, not a moment ago (the history's first page trusts only a settled folder's time).
    import time

    settled = time.time_ns() - 60 * 10**9
    os.utime(home / "data" / "sessions", ns=(settled, settled))
    return home
