"""The bot protocol (`coach simulate SCENARIO --choices - --json`), spoken by a real process, and the
naive strategies `coach explore` reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from coach.engine import order, strategies
from coach.engine.explore import explore
from coach.scenario.loader import builtin_rubric, load_scenario
from coach.analysis.teaching import best_choices

DATA = Path(__file__).resolve().parent.parent / "data"
MINIMAL = DATA / "good" / "minimal.toml"


class Bot:
    """A coach process on the other end of two pipes, read one JSON line at a time."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "coach", "simulate", *args, "--choices", "-", "--json"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env=os.environ.copy())
        # A safety net only (no assertion is timed): a protocol that stops answering fails the test, not the run.
        self.guard = threading.Timer(120, self.process.kill)
        self.guard.start()

    def read(self) -> dict:
        line = self.process.stdout.readline()
        assert line, f"coach closed its output; stderr: {self.process.stderr.read()}"
        return json.loads(line)

    def send(self, answer: str) -> None:
        self.process.stdin.write(answer + "\n")
        self.process.stdin.flush()

    def finish(self) -> int:
        self.process.stdin.close()
        code = self.process.wait()
        self.guard.cancel()
        return code


def test_a_bot_plays_a_scenario_to_its_end_by_reading_the_decisions() -> None:
    bot = Bot("precision-cliff", "--seed", "5", "--no-save")
    decisions = 0
    event = bot.read()
    while event["event"] == "decision":
        decisions += 1
        assert {"step", "scene", "title", "options", "timeout"} <= set(event)
        numbers = [o["number"] for o in event["options"]]
        assert numbers == list(range(1, len(numbers) + 1))
        for option in event["options"]:
            assert set(option) == {"number", "id", "text", "available", "locked_reason"}
            assert (option["locked_reason"] is None) == option["available"]
        open_ = [o for o in event["options"] if o["available"]]
        # The longest available text, answered by number on odd steps and by id on even ones.
        pick = max(open_, key=lambda o: len(o["text"]))
        bot.send(str(pick["number"]) if decisions % 2 else pick["id"])
        event = bot.read()
    assert event["event"] == "summary"
    assert event["finished"] is True and event["ending"] and event["seed"] == 5
    assert len(event["path"]) == decisions and event["grade"] in "ABCDE"
    assert bot.finish() == 0


def test_a_bad_answer_gets_an_error_and_the_same_decision_again() -> None:
    bot = Bot(str(MINIMAL), "--seed", "0", "--no-save")
    first = bot.read()
    assert first["scene"] == "pager" and first["time_limit"] == 60 and first["timeout"] is True
    # Seed 0 shows "wait" first: numbers are places on screen, not places in the file.
    assert [(o["number"], o["id"]) for o in first["options"]] == [(1, "wait"), (2, "rollback")]
    bot.send("nope")
    error = bot.read()
    assert error["event"] == "error" and "has no choice 'nope'" in error["message"]
    assert bot.read() == first
    bot.send("9")
    assert bot.read()["event"] == "error" and bot.read() == first
    bot.send("")  # blank lines are skipped
    bot.send("2")  # rollback
    review = bot.read()
    assert review["scene"] == "review" and "time_limit" not in review and review["timeout"] is False
    assert [(o["number"], o["id"]) for o in review["options"]] == [(1, "move-on"), (2, "postmortem")]
    bot.send("postmortem")
    summary = bot.read()
    assert summary["event"] == "summary" and summary["ending"] == "contained" and summary["overall"] == 100
    assert [(s["choice"], s["authored"], s["choice_id"]) for s in summary["path"]] == [(2, 1, "rollback"),
                                                                                      (2, 1, "postmortem")]
    assert bot.finish() == 0


def test_a_locked_choice_and_a_timeout_by_the_protocol() -> None:
    bot = Bot(str(MINIMAL), "--seed", "0", "--no-save")
    bot.read()
    bot.send("timeout")
    summary = bot.read()
    assert summary["event"] == "summary" and summary["ending"] == "froze"
    assert bot.finish() == 0


def test_the_end_of_input_leaves_the_session_unfinished_and_still_summarises() -> None:
    bot = Bot(str(MINIMAL), "--seed", "0")
    bot.read()
    bot.send("rollback")
    assert bot.read()["scene"] == "review"
    code = bot.finish()
    summary = json.loads(bot.process.stdout.read().splitlines()[-1])
    assert code == 0 and summary["event"] == "summary" and summary["finished"] is False
    assert summary["current"] == "review" and summary["session"]


def test_simulate_numbers_mean_the_order_shown_for_the_seed() -> None:
    scenario = load_scenario(MINIMAL).scenario
    for seed in (0, 1):
        shown = order.shown_order(scenario, scenario.scenes[0], seed)
        result = subprocess.run([sys.executable, "-m", "coach", "simulate", str(MINIMAL), "--choices", "1",
                                 "--seed", str(seed), "--json", "--no-save"], capture_output=True, text=True,
                                env=os.environ.copy())
        path = json.loads(result.stdout)["path"]
        assert path[0]["choice_id"] == scenario.scenes[0].choices[shown[0]].id and path[0]["choice"] == 1
    help_text = subprocess.run([sys.executable, "-m", "coach", "simulate", "--help"], capture_output=True, text=True,
                               env=os.environ.copy()).stdout
    help_text = " ".join(help_text.split())
    assert "numbers as shown for this seed" in help_text and "ids (never change)" in help_text


# --- naive strategies --------------------------------------------------------------------------


def test_strategies_play_the_order_shown_and_score_with_the_ordinary_scoring() -> None:
    scenario = load_scenario(MINIMAL).scenario
    analysis = explore(scenario)
    results = {r.strategy: r for r in strategies.evaluate(scenario, analysis, builtin_rubric(), seeds=20)}
    assert list(results) == ["first", "last", "longest", "shortest", "random", "cautious"]
    # The longest text in minimal's first scene is the weak "wait": it never reaches the strong ending.
    assert results["longest"].strong_endings == 0 and results["longest"].median == -60 and results["longest"].grade == "E"
    # "first" meets the strong choice first on some seeds only: the order changes with the seed.
    assert 0 < results["first"].strong_endings < 20 and results["first"].best == 100
    assert all(r.runs == 20 for r in results.values())


def test_a_pinned_answer_lets_always_last_pass() -> None:
    scenario = load_scenario(DATA / "bad" / "warn-naive-passes.toml").scenario
    analysis = explore(scenario)
    [last] = strategies.evaluate(scenario, analysis, builtin_rubric(), strategies=(strategies.STRATEGIES[1],))
    assert (last.median, last.grade, last.strong_endings) == (100, "A", 50)


def test_cautious_words_are_counted_at_word_starts() -> None:
    assert strategies.cautious_count("Monitor it, then roll back and review the audit") == 4
    assert strategies.cautious_count("The latest contest") == 0


def test_the_best_choice_is_the_expert_one_or_the_highest_scoring() -> None:
    scenario = load_scenario(MINIMAL).scenario
    analysis = explore(scenario)
    assert best_choices(scenario, analysis) == {"pager": 0, "review": 0}


def test_explore_prints_the_strategies_table_and_json() -> None:
    def run(*extra: str) -> str:
        return subprocess.run([sys.executable, "-m", "coach", "explore", str(MINIMAL), "--seeds", "10", *extra],
                              capture_output=True, text=True, env=os.environ.copy()).stdout

    text = run()
    assert "Naive strategies (10 seeds each; median overall and its grade)" in text
    assert "always the longest text" in text and "the most cautious-sounding words" in text
    payload = json.loads(run("--json"))
    table = payload["strategies"]
    assert table["seeds"] == 10 and [r["strategy"] for r in table["results"]] == ["first", "last", "longest", "shortest", "random", "cautious"]
    assert {"median", "grade", "best", "worst", "finished", "strong_endings"} <= set(table["results"][0])
    assert [s["id"] for s in payload["expert_path"]] == ["rollback", "postmortem"]


def test_the_documented_strategy_runs(tmp_path: Path) -> None:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "bot-protocol.md").read_text()
    code = re.findall(r"```python\n(.*?)```", doc, re.S)[0]
    script = tmp_path / "cautious.py"
    script.write_text(code.replace('["coach", ', '[sys.executable, "-m", "coach", '))
    result = subprocess.run([sys.executable, str(script), str(MINIMAL)], capture_output=True, text=True,
                            env=os.environ.copy(), timeout=120)
    ending, overall, grade = result.stdout.split()
    assert result.returncode == 0 and ending in ("contained", "froze") and grade in "ABCDE" and overall.lstrip("-").isdigit()
