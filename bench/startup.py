"""Startup of `coach play SCENARIO` against a bare Textual app, and the memory of a playthrough.

Both programs start in their own tmux session (120 x 36) and are polled with `capture-pane`
until their first full frame is on screen: for the bare app its one line of text, for coach
the briefing with its title, its scored criteria and the first words of the situation. Runs
alternate (bare, coach, bare, coach, ...) so load from the rest of the machine falls on both
alike; the median of each is printed with the ratio (target: within 1.3x).

Then a full playthrough of the scenario (headless, through the same app factory the CLI uses,
always taking the first available choice) runs in a child process, and its peak RSS is printed.

    python bench/startup.py [--scenario precision-cliff] [--rounds 7]

Needs tmux. Uses a temporary COACH_HOME, so it never touches your sessions or settings.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_APP = """
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static("bare textual app ready")


Bare().run()
"""
POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 30.0
SOCKET = f"coach-bench-{os.getpid()}"
"""A private tmux server, kept alive by an idle session, so the bench never touches yours."""


def tmux(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", SOCKET, *args], **kwargs)


def first_frame(command: list[str], needles: list[str], env: dict[str, str]) -> float:
    """Seconds from starting `command` in tmux until every needle is on screen."""
    session = f"run-{time.monotonic_ns()}"
    shell = " ".join(shlex.quote(part) for part in command) + "; sleep 60"
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", shell, check=True, env=env)
    try:
        while True:
            elapsed = time.perf_counter() - started
            screen = tmux("capture-pane", "-p", "-t", session, capture_output=True, text=True, check=False).stdout
            if all(needle in screen for needle in needles):
                return elapsed
            if elapsed > TIMEOUT_SECONDS:
                raise SystemExit(f"timed out waiting for {needles!r}; the screen showed:\n{screen}")
            time.sleep(POLL_SECONDS)
    finally:
        tmux("kill-session", "-t", session, check=False, capture_output=True)


def coach_command(scenario: str) -> list[str]:
    script = Path(sys.executable).with_name("coach")
    if script.exists():
        return [str(script), "play", scenario]
    return [sys.executable, "-m", "coach", "play", scenario]


def briefing_needles(scenario: str) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from coach.config.library import resolve

    loaded = resolve(scenario)
    assert loaded.scenario is not None, f"{scenario} does not load"
    words = " ".join(loaded.scenario.summary.split()[:3])
    return [loaded.scenario.title[:30], "What will be scored", words, "Start"]


def playthrough_child(scenario: str) -> None:
    """Play `scenario` to its debrief by keys, headless, in this process."""
    import asyncio

    sys.path.insert(0, str(ROOT))
    from coach.config.library import resolve
    from coach.tui.app import make_app

    async def play() -> None:
        app = make_app(resolve(scenario), seed=1)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            for _ in range(200):
                await pilot.pause()
                screen = app.screen
                name = type(screen).__name__
                if name == "DebriefScreen":
                    break
                if getattr(screen, "phase", "") == "scene":
                    first = next(o for o in screen.playthrough.options() if o.available)
                    await pilot.press(str(first.number))
                else:
                    await pilot.press("enter")
            else:
                raise SystemExit("the playthrough did not reach the debrief")

    asyncio.run(play())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="precision-cliff")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--playthrough-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.playthrough_child:
        playthrough_child(args.scenario)
        return
    if shutil.which("tmux") is None:
        raise SystemExit("bench/startup.py needs tmux")

    home = tempfile.mkdtemp(prefix="coach-bench-")
    env = {**os.environ, "COACH_HOME": home}
    env.pop("NO_COLOR", None)
    bare_script = Path(home) / "bare_app.py"
    bare_script.write_text(BARE_APP, "utf-8")
    bare = [sys.executable, str(bare_script)]
    coach = coach_command(args.scenario)
    needles = briefing_needles(args.scenario)

    times: dict[str, list[float]] = {"bare": [], "coach": []}
    tmux("new-session", "-d", "-s", "keeper", "sleep 3600", check=True, env=env)
    try:
        first_frame(bare, ["bare textual app ready"], env)  # warm the file cache for both
        first_frame(coach, needles, env)
        for _ in range(args.rounds):
            times["bare"].append(first_frame(bare, ["bare textual app ready"], env))
            times["coach"].append(first_frame(coach, needles, env))
    finally:
        tmux("kill-server", check=False, capture_output=True)

    bare_median = statistics.median(times["bare"])
    coach_median = statistics.median(times["coach"])
    print(f"first full frame, median of {args.rounds} interleaved runs in tmux (120x36):")
    print(f"  bare Textual app, one line of text   {bare_median * 1000:7.0f} ms   "
          f"(min {min(times['bare']) * 1000:.0f}, max {max(times['bare']) * 1000:.0f})")
    print(f"  coach play {args.scenario:<25} {coach_median * 1000:7.0f} ms   "
          f"(min {min(times['coach']) * 1000:.0f}, max {max(times['coach']) * 1000:.0f})")
    print(f"  ratio {coach_median / bare_median:.2f}x   (target: within 1.30x)")

    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--playthrough-child", "--scenario", args.scenario],
                   check=True, env=env)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"full playthrough of {args.scenario} to its debrief (headless, first available choice): "
          f"{time.perf_counter() - started:.1f} s, peak RSS {peak_kib / 1024:.0f} MiB")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
