"""`coach serve` in a real browser: Debian's Chromium, driven by Playwright, on a loopback port.

The test starts `coach serve --port 0`, checks that the page without the join token is refused,
joins with the printed address and a name, picks the drift
scenario (precision-cliff) in the library, starts it, makes the first choice by its number
key, and checks that the next scene's text and choices are in the page's terminal and that
the session log, in that learner's own folder, holds the choice and the learner's name. It
stops the browser and the server itself, and checks that no app process is left behind.

Nothing leaves the machine: every request the page makes to another host is refused.

xterm.js draws the terminal on a canvas, so the text is read from its buffer: a script added
before the page loads notes each xterm `Terminal` as it is built (when its `_core` is set).

Where Chromium or Playwright is missing, the test skips with the reason on a developer's
machine, and fails under CI (CI=true), where .ci/run installs both.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
# As the machine's own probe starts it: as root it needs --no-sandbox, and the background
# networking flags keep it from calling out to Google's services.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"]
WAIT_MS = 30_000
LEARNER = "Test Learner"

# Notes every xterm Terminal as it is constructed, so the test can read what the page shows.
CAPTURE_TERMINALS = """
(() => {
  window.__coachTerminals = [];
  Object.defineProperty(Object.prototype, "_core", {
    configurable: true,
    get() { return undefined; },
    set(value) {
      Object.defineProperty(this, "_core", { value, writable: true, configurable: true, enumerable: true });
      if (typeof this.loadAddon === "function" && "buffer" in this) window.__coachTerminals.push(this);
    },
  });
})();
"""
SCREEN_TEXT = """
() => {
  const terminals = window.__coachTerminals || [];
  const terminal = terminals[terminals.length - 1];
  if (!terminal) return "";
  const buffer = terminal.buffer.active;
  const lines = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
"""

MARKED_LINE = "() => (" + SCREEN_TEXT + ")().split(\"\\n\").find(line => line.startsWith(\"│ › \")) || \"\""


def _require_browser() -> None:
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("Playwright for Python is not installed (python -m pip install '.[test]')")
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"Debian's Chromium is not at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    if problems:
        message = "; ".join(problems)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the browser test cannot run under CI: {message}")
        pytest.skip(message)


class Server:
    """`coach serve --port 0` as a learner's machine would run it, stopped by the test."""

    def __init__(self, home: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "COACH_LEARNER"}
        env["COACH_HOME"] = str(home)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coach", "serve", "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        first = self._next_line(20)
        assert first.startswith("coach is being served at http://127.0.0.1:"), self.text()
        self.url = first.rsplit(" ", 1)[1]
        join = self._next_line(20)
        assert join.lstrip().startswith("Learners join at "), self.text()
        self.join_url = join.rsplit(" ", 1)[1]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def _next_line(self, seconds: float) -> str:
        try:
            line = self.lines.get(timeout=seconds)
        except queue.Empty:
            raise AssertionError(f"coach serve printed nothing in {seconds}s") from None
        self.output.append(line)
        return line

    def text(self) -> str:
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return "\n".join(self.output)

    def descendants(self) -> set[int]:
        """The app processes the server started (Linux: read from /proc)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry.name))
        found, todo = set(), [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.add(child)
                todo.append(child)
        return found

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
                raise AssertionError("coach serve did not stop within 15 s of SIGTERM") from None
        return self.process.returncode


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)}


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def opening(markdown: str, words: int = 3) -> str:
    """The first words of a Markdown text as the screen shows them (emphasis marks dropped)."""
    return " ".join(markdown.replace("*", "").replace("`", "").split()[:words])


def wait_for_text(page, *needles: str) -> str:
    """Wait until the terminal shows one of the needles; return the one that showed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "(needles) => { const text = (" + SCREEN_TEXT + ")(); return needles.some(n => text.includes(n)); }",
            arg=list(needles), timeout=WAIT_MS, polling=100,
        )
    except PlaywrightTimeout:
        pytest.fail(f"the page never showed any of {needles!r}; it shows:\n" + page.evaluate(SCREEN_TEXT))
    text = page.evaluate(SCREEN_TEXT)
    return next(n for n in needles if n in text)


def test_play_precision_cliff_in_chromium(coach_home: Path, tmp_path: Path) -> None:
    _require_browser()
    from playwright.sync_api import sync_playwright

    from coach.config.library import resolve

    # What the page should show, taken from the scenario so that an author's rewording cannot break
    # the test: the opening words of the briefing, of the first scene, of the first choice's
    # feedback, and of the scene that choice leads to (each starts a line on screen).
    drift = resolve("precision-cliff").scenario
    first = drift.nodes[drift.start]
    choice = first.choices[0]
    after = drift.nodes[choice.goto]

    server = Server(coach_home)
    refused: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                                 timeout=WAIT_MS)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 860})

                def only_loopback(route) -> None:
                    if urlsplit(route.request.url).hostname == "127.0.0.1":
                        route.continue_()
                    else:
                        refused.append(route.request.url)
                        route.abort()

                context.route("**/*", only_loopback)
                context.add_init_script(CAPTURE_TERMINALS)
                page = context.new_page()
                page.goto(f"{server.url}/", timeout=WAIT_MS)  # without the join token: refused, no app
                assert "join address your facilitator gave you" in page.content()
                page.goto(server.join_url, timeout=WAIT_MS)
                page.fill("input[name=name]", LEARNER, timeout=WAIT_MS)
                page.click("button[type=submit]", timeout=WAIT_MS)
                wait_for_text(page, drift.title)
                page.focus(".xterm-helper-textarea")
                # A new learner is welcomed with the one-minute tour first; Escape skips it.
                wait_for_text(page, "Welcome to coach")
                page.keyboard.press("Escape")
                page.wait_for_function(f"() => !({SCREEN_TEXT})().includes('Welcome to coach')",
                                       timeout=WAIT_MS, polling=100)

                # The library: move the cursor (marked ›) to the drift scenario.
                # One key at a time, each time waiting until the mark has moved: keys sent faster than a
                # busy machine draws would overshoot the scenario.
                wait_for_text(page, "│ › ")
                for _ in range(40):
                    marked = page.evaluate(MARKED_LINE)
                    if drift.title in marked:
                        break
                    page.keyboard.press("ArrowDown")
                    page.wait_for_function(f"(before) => ({MARKED_LINE})() !== before", arg=marked,
                                           timeout=WAIT_MS, polling=100)
                else:
                    pytest.fail(f"the library cursor never reached {drift.title}:\n" + page.evaluate(SCREEN_TEXT))

                page.keyboard.press("Enter")
                wait_for_text(page, opening(drift.briefing))
                page.keyboard.press("Enter")
                wait_for_text(page, opening(first.text))
                # The session's seed decides the order on screen: press the number shown beside the choice.
                wait_for_text(page, opening(choice.text))
                beside = re.search(r"(\d)\s+" + re.escape(opening(choice.text)), page.evaluate(SCREEN_TEXT))
                assert beside, page.evaluate(SCREEN_TEXT)
                page.keyboard.press(beside.group(1))
                wait_for_text(page, "How sure are you?")  # coach mode asks before the feedback
                page.keyboard.press("s")
                shown = wait_for_text(page, opening(after.text), opening(choice.feedback))
                if shown != opening(after.text):  # coach mode shows the feedback first
                    page.keyboard.press("Enter")
                    wait_for_text(page, opening(after.text))
                wait_for_text(page, opening(after.choices[0].text))
                assert after.title in page.evaluate(SCREEN_TEXT)
                page.screenshot(path=str(tmp_path / "coach-serve.png"))
                apps = server.descendants()
                assert apps, "the server runs one app process per browser"
            finally:
                browser.close()
    finally:
        code = server.stop()
    assert code == 0, server.text()
    deadline = time.monotonic() + 30  # a killed process may take a moment to be reaped (longer on a busy machine)
    while _alive(apps) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(apps), f"app processes left behind after the server stopped: {_alive(apps)}"
    assert "Traceback" not in server.text(), server.text()
    assert not [url for url in refused if not url.startswith("data:")], refused

    assert not list((coach_home / "data" / "sessions").glob("*.jsonl"))  # not in the host's own history
    [log] = list((coach_home / "data" / "serve" / "learners").glob("*/data/sessions/*.jsonl"))
    events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert events[0]["event"] == "start" and events[0]["scenario"] == "precision-cliff"
    assert events[0]["learner"] == LEARNER
    # A timed scene also logs what was left on its clock while the learner reads (coach.sessions.timeleft):
    # how many such lines come before the choice depends on how fast the machine drew the page.
    decisions = [e for e in events[1:] if e["event"] != "clock"]
    assert decisions[0]["event"] == "choice"
    assert (decisions[0]["scene"], decisions[0]["choice"], decisions[0]["choice_id"]) == (first.id, 0, choice.id)


def test_the_external_font_link_is_still_the_one_we_strip() -> None:
    """coach.web.server removes textual-serve's web-font link from the page; a new textual-serve must not slip one past."""
    from textual_serve.server import Server as Upstream

    from coach.web.server import _FONT_LINK

    template = (Path(Upstream.__init__.__code__.co_filename).parent / "templates" / "app_index.html").read_text("utf-8")
    external = [line for line in template.splitlines() if "https://" in line and "w3.org" not in line]
    assert external == [line for line in _FONT_LINK.splitlines() if "https://" in line], external
