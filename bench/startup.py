"""Start-up of `coach play SCENARIO` and of `coach` (home) against a bare Textual app, and the
memory of a playthrough.

Each program starts in its own tmux session (120 x 36) and is polled with `capture-pane` until
its first full frame is on screen: for the bare app its one line of text; for `coach play` the
briefing with its title, its scored criteria and the first words of the situation; for home the
library's count of scenarios and the titles of the rows the screen shows. Runs alternate (bare,
play, home, bare, play, home, ...) so load from the rest of the machine falls on all alike; the
median of each is printed with its ratio to the bare app's (targets: play within 1.3x, home
within 1.5x).

The warm-up run fills coach's caches (validated scenarios by file hash), as any earlier start
would; `--cold` empties them before every coach run, to see a first start after an install or
an edit of every file.

Then a full playthrough of the scenario (headless, through the same app factory the CLI uses,
always taking the first available choice) runs in a child process, and its peak RSS is printed.

    python bench/startup.py [--scenario precision-cliff] [--rounds 7] [--cold] [--no-playthrough]
    python bench/startup.py --cpu [--rounds 9]
    python bench/startup.py --instructions

`--instructions` counts the instructions each start executes up to its first frame, under
valgrind's callgrind (headless, 120 x 36, PYTHONHASHSEED=0, a warm-up run first so bytecode and
caches exist): the same count on every run of the same tree, so a change of a few ms shows on
this shared machine, where wall and CPU time wander by tens of ms between runs. The child stops
at the first refresh that draws the first screen outside Textual's start-up batch.

`--cpu` measures CPU time instead (`time.process_time` at the first frame, headless
`run_test` at 120 x 36, one fresh process per run, interleaved likewise): far steadier than
wall time on a busy machine, and, on a quiet one, what each start costs above the bare app.
Each process imports what the command does (the launcher, the library, the app) before
building its app. Python writes and reads its bytecode caches as an installed coach would
(PYTHONDONTWRITEBYTECODE is dropped from the children's environment: compiling every module
from source at each start adds ~100 ms to coach and little to the bare app).

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


def coach_command(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("coach")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "coach", *args]


def briefing_needles(scenario: str) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from coach.config.library import resolve

    loaded = resolve(scenario)
    assert loaded.scenario is not None, f"{scenario} does not load"
    words = " ".join(loaded.scenario.summary.split()[:3])
    return [loaded.scenario.title[:30], "What will be scored", words, "Start"]


HOME_ROWS = 15
"""Rows of the library on screen at 120 x 36 (the built-in library is fifteen today)."""


def home_needles() -> list[str]:
    """The title bar's count and the first rows' titles, in the library's order: the whole list
    as a learner first sees it, not just the frame around it."""
    sys.path.insert(0, str(ROOT))
    from coach.config.library import library
    from coach.tui.screens.home import sort_key

    entries = sorted(library(), key=sort_key)
    playable = [entry.result.scenario for entry in entries if entry.result.scenario is not None]
    titles = [scenario.title[:20] for scenario in playable[:HOME_ROWS]]
    return [f"{len(playable)} scenarios", *titles]


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
                phase = getattr(screen, "phase", "")
                if phase == "scene":
                    first = next(o for o in screen.playthrough.options() if o.available)
                    await pilot.press(str(first.number))
                elif phase == "confidence":
                    await pilot.press("s")  # coach mode asks how sure the learner was
                else:
                    await pilot.press("enter")
            else:
                raise SystemExit("the playthrough did not reach the debrief")

    asyncio.run(play())


CHILD_APP = """
import asyncio, os, sys, time

which, scenario, seed = sys.argv[1], sys.argv[2], sys.argv[3:]
if which == "bare":
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("bare textual app ready")

    app = Bare()
else:
    import coach.launch
    from coach.tui.app import make_app

    if which == "play":
        from coach.config.library import resolve

        app = make_app(resolve(scenario), seed=int(seed[0]) if seed else None)
    else:
        app = make_app()
"""
"""What a child process builds before it measures: the bare app, or the app `coach play SCENARIO`
or `coach` makes (with the launcher imported), from argv: WHICH SCENARIO [SEED]."""

CPU_CHILD = CHILD_APP + """

async def first_frame() -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        print(time.process_time())


asyncio.run(first_frame())
"""


INSTRUCTIONS_CHILD = CHILD_APP + """
from textual.screen import Screen

drawn = Screen._compositor_refresh


def first_frame(screen):
    # Textual's own (private) refresh: the count stops once the first screen is drawn for real,
    # before any work deferred past the first frame can add to it.
    drawn(screen)
    app = screen.app
    if not app._batch_count and screen is app.screen and (which == "bare" or type(screen) is not Screen):
        os._exit(0)


Screen._compositor_refresh = first_frame
app.run(headless=True, size=(120, 36))
"""


def instructions_to_first_frame(name: str, scenario: str, env: dict[str, str]) -> int:
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                           "-c", INSTRUCTIONS_CHILD, name, scenario, "1"], env=env, cwd=ROOT, capture_output=True, text=True)
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise SystemExit(f"valgrind printed no count for {name}:\n{done.stderr[-2000:]}")


def instructions_bench(scenario: str) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    home = tempfile.mkdtemp(prefix="coach-bench-")
    env = {**os.environ, "COACH_HOME": home, "PYTHONHASHSEED": "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (Path(home) / "data").mkdir()
    (Path(home) / "data" / "welcomed").write_text("", "utf-8")
    try:
        for name in ("play", "home"):  # bytecode and coach's caches, as after any earlier start
            instructions_to_first_frame(name, scenario, env)
        counts = {name: instructions_to_first_frame(name, scenario, env) for name in ("bare", "play", "home")}
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print("instructions to the first frame (callgrind, headless, 120x36, warm caches; one run: the count repeats):")
    print(f"  {'bare Textual app, one line of text':<38} {counts['bare'] / 1e6:7.0f} M")
    print(f"  {f'coach play {scenario}':<38} {counts['play'] / 1e6:7.0f} M")
    print(f"  {'coach (home, the library)':<38} {counts['home'] / 1e6:7.0f} M")
    for name in ("play", "home"):
        print(f"  {name}: {counts[name] / counts['bare']:.2f}x the bare app's, {(counts[name] - counts['bare']) / 1e6:+.0f} M above it")


def cpu_first_frame(name: str, scenario: str, env: dict[str, str]) -> float:
    """CPU seconds a fresh process spends up to its first headless frame."""
    done = subprocess.run([sys.executable, "-c", CPU_CHILD, name, scenario], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def line(label: str, runs: list[float]) -> str:
    return (f"  {label:<38} {statistics.median(runs) * 1000:7.0f} ms   "
            f"(min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="precision-cliff")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="empty coach's caches before every coach run")
    parser.add_argument("--no-playthrough", action="store_true", help="skip the playthrough's memory")
    parser.add_argument("--cpu", action="store_true", help="CPU time to a headless first frame instead of wall time in tmux")
    parser.add_argument("--instructions", action="store_true", help="instructions to a headless first frame, under valgrind")
    parser.add_argument("--playthrough-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.playthrough_child:
        playthrough_child(args.scenario)
        return
    if args.cpu:
        cpu_bench(args.scenario, args.rounds)
        return
    if args.instructions:
        instructions_bench(args.scenario)
        return
    if shutil.which("tmux") is None:
        raise SystemExit("bench/startup.py needs tmux")

    home = tempfile.mkdtemp(prefix="coach-bench-")
    env = {**os.environ, "COACH_HOME": home}
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed coach has its bytecode compiled
    os.environ["COACH_HOME"] = home  # the needles are read from the same (empty) home
    (Path(home) / "data").mkdir()
    (Path(home) / "data" / "welcomed").write_text("", "utf-8")  # home, not the first-run tour
    bare_script = Path(home) / "bare_app.py"
    bare_script.write_text(BARE_APP, "utf-8")
    subjects = {
        "bare": ([sys.executable, str(bare_script)], ["bare textual app ready"]),
        "play": (coach_command("play", args.scenario), briefing_needles(args.scenario)),
        "home": (coach_command(), home_needles()),
    }
    cache = Path(home) / "cache"

    def run(name: str) -> float:
        if args.cold and name != "bare":
            shutil.rmtree(cache, ignore_errors=True)
        command, needles = subjects[name]
        return first_frame(command, needles, env)

    times: dict[str, list[float]] = {name: [] for name in subjects}
    tmux("new-session", "-d", "-s", "keeper", "sleep 3600", check=True, env=env)
    try:
        for name in subjects:  # warm the file cache, and coach's own caches, for all
            run(name)
        for _ in range(args.rounds):
            for name in subjects:
                times[name].append(run(name))
    finally:
        tmux("kill-server", check=False, capture_output=True)

    bare = statistics.median(times["bare"])
    state = "cold: caches emptied before each run" if args.cold else "warm caches"
    print(f"first full frame, median of {args.rounds} interleaved runs in tmux (120x36), {state}:")
    print(line("bare Textual app, one line of text", times["bare"]))
    print(line(f"coach play {args.scenario}", times["play"]))
    print(line("coach (home, the library)", times["home"]))
    print(f"  ratio play {statistics.median(times['play']) / bare:.2f}x   (target: within 1.30x)")
    print(f"  ratio home {statistics.median(times['home']) / bare:.2f}x   (target: within 1.50x)")

    if not args.no_playthrough:
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--playthrough-child", "--scenario", args.scenario],
                       check=True, env=env)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"full playthrough of {args.scenario} to its debrief (headless, first available choice): "
              f"{time.perf_counter() - started:.1f} s, peak RSS {peak_kib / 1024:.0f} MiB")
    shutil.rmtree(home, ignore_errors=True)


def cpu_bench(scenario: str, rounds: int) -> None:
    home = tempfile.mkdtemp(prefix="coach-bench-")
    env = {**os.environ, "COACH_HOME": home, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (Path(home) / "data").mkdir()
    (Path(home) / "data" / "welcomed").write_text("", "utf-8")
    names = ("bare", "play", "home")
    times: dict[str, list[float]] = {name: [] for name in names}
    try:
        for name in names:  # bytecode and coach's caches, as after any earlier start
            cpu_first_frame(name, scenario, env)
        for _ in range(rounds):
            for name in names:
                times[name].append(cpu_first_frame(name, scenario, env))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    bare = statistics.median(times["bare"])
    print(f"CPU time to the first frame, median of {rounds} interleaved runs (headless, 120x36, warm caches):")
    print(line("bare Textual app, one line of text", times["bare"]))
    print(line(f"coach play {scenario}", times["play"]))
    print(line("coach (home, the library)", times["home"]))
    for name in ("play", "home"):
        extra = (statistics.median(times[name]) - bare) * 1000
        print(f"  {name}: {statistics.median(times[name]) / bare:.2f}x the bare app's CPU, {extra:+.0f} ms above it")


if __name__ == "__main__":
    main()
