"""Cohort reports on a folder of sessions made by `coach simulate`, as a cohort lead collects them.

Three learners each play on their own machine (their own COACH_HOME); the lead copies each
learner's data folder into cohort/<name>/ and reports on cohort/ with a home of their own, so
scenario versions are found beside the sessions, never in the lead's kept copies. Among the
sessions: unfinished ones, a torn one (the process was killed mid-write), and a file that is not
a session at all.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
MINIMAL = DATA / "good" / "minimal.toml"


def coach(*args: str, home: Path, learner: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COACH_LEARNER"}
    env["COACH_HOME"] = str(home)
    if learner is not None:
        env["COACH_LEARNER"] = learner
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, env=env)


def play(home: Path, scenario: str, choices: str, *, seed: int = 2, learner: str | None = None,
         setup: str | None = None) -> str:
    chosen = ("--setup", setup) if setup else ()
    result = coach("simulate", scenario, *chosen, "--choices", choices, "--seed", str(seed), "--json", home=home, learner=learner)
    payload = json.loads(result.stdout)
    return payload["session"]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """cohort/ana (named "Ana Lima" in her sessions), cohort/ben (no name: the folder names him), cohort/chloe."""
    work = tmp_path_factory.mktemp("cohort")
    homes = work / "homes"
    # precision-cliff has setups, each with its own expert path: Ana plays the unit-change one.
    expert = json.loads(coach("explore", "precision-cliff", "--setup", "unit-change", "--json",
                              home=homes / "probe").stdout)["expert_path"]
    strong = ",".join(step["id"] for step in expert)  # ids: numbers depend on the seed's order
    ids: dict[str, list[str]] = {}
    # Ana: the expert path through precision-cliff, a perfect minimal run, and one she left unfinished.
    ids["ana"] = [play(homes / "ana", "precision-cliff", strong, learner="Ana Lima", setup="unit-change"),
                  play(homes / "ana", str(MINIMAL), "rollback,postmortem", learner="Ana Lima"),
                  play(homes / "ana", str(MINIMAL), "rollback", learner="Ana Lima")]
    # Ben: waits (the launch-gate reflex) on minimal twice; seed 2 and 5 take different outcomes.
    ids["ben"] = [play(homes / "ben", str(MINIMAL), "wait,move-on", seed=seed) for seed in (2, 5)]
    ids["ben"] = [i for i in ids["ben"] if i]
    # Chloe: one finished minimal run whose file is torn, and one unfinished run.
    ids["chloe"] = [play(homes / "chloe", str(MINIMAL), "rollback,postmortem"), play(homes / "chloe", str(MINIMAL), "rollback")]
    root = work / "cohort"
    for name in ("ana", "ben", "chloe"):
        shutil.copytree(homes / name / "data", root / name)
    torn = root / "chloe" / "sessions" / f"{ids['chloe'][0]}.jsonl"
    lines = torn.read_bytes().splitlines(keepends=True)
    assert json.loads(lines[-1])["event"] == "end"
    # Killed while writing its last decision: the end event never came, the choice line is half there.
    torn.write_bytes(b"".join(lines[:-2]) + lines[-2][: len(lines[-2]) // 2])
    (root / "chloe" / "sessions" / "notes.jsonl").write_text("these are not session events\n", "utf-8")
    return {"root": root, "ids": ids, "lead": work / "lead", "strong_session": ids["ana"][0]}


def report(cohort: dict, *args: str) -> subprocess.CompletedProcess:
    return coach("report", str(cohort["root"]), *args, home=cohort["lead"])


def test_markdown_summary_per_learner_and_criterion(cohort: dict) -> None:
    result = report(cohort)
    text = result.stdout
    # One unreadable file: the report is still printed, the file named on stderr, and the exit code says so.
    assert result.returncode == 1
    assert "notes.jsonl" in result.stderr and "Traceback" not in result.stderr
    assert text.startswith("# Cohort report\n")
    assert "7 sessions from 3 learners on 2 scenarios, 4 finished" in text
    learners = _table(text, "## Learners")
    assert [row[0] for row in learners] == ["Ana Lima", "ben", "chloe"]
    ana, ben, chloe = learners
    assert ana[1:5] == ["3", "2", ana[3], "100%"]  # median of the expert run and a perfect one
    assert ben[1:3] == ["2", ben[2]] and "`launch-gate`" in ben[5]
    assert chloe[1:5] == ["2", "0", "—", "—"]  # the torn one never reached its ending
    criteria = {row[0]: row for row in _table(text, "## Criteria")}
    assert "Quality owned after launch" in criteria and "Mitigate, then diagnose" in criteria
    assert "`launch-gate`" in criteria["Quality owned after launch"][5]
    assert "## Problems" in text and "cut off mid-write" in text and "not a coach session" in text
    assert "`launch-gate`: \u201cQuality is a launch gate\u201d" in text


def test_csv_summary_is_one_tidy_table(cohort: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(report(cohort, "--format", "csv").stdout)))
    assert {row["scope"] for row in rows} == {"learner", "criterion", "learner-criterion"}
    ana = next(r for r in rows if r["scope"] == "learner" and r["learner"] == "Ana Lima")
    assert (ana["sessions"], ana["finished"], ana["best"]) == ("3", "2", "100")
    monitoring = next(r for r in rows if r["scope"] == "criterion" and r["criterion"] == "monitoring")
    assert int(monitoring["sessions"]) == 7 and "launch-gate:" in monitoring["reflexes"]
    assert any(r["scope"] == "learner-criterion" and r["learner"] == "ben" and r["criterion"] == "failure" for r in rows)


def test_json_summary_has_learners_criteria_sessions_and_problems(cohort: dict) -> None:
    payload = json.loads(report(cohort, "--format", "json").stdout)
    learners = {entry["learner"]: entry for entry in payload["learners"]}
    assert set(learners) == {"Ana Lima", "ben", "chloe"}
    assert learners["Ana Lima"]["overall"]["best"] == 100
    assert learners["Ana Lima"]["scenarios"] == ["minimal", "precision-cliff"]
    assert learners["ben"]["reflexes"][0]["reflex"] == "launch-gate"
    assert learners["chloe"]["overall"] == {"scored": 0, "median": None, "best": None}
    sessions = {row["session"]: row for row in payload["sessions"]}
    torn = sessions[cohort["ids"]["chloe"][0]]
    assert torn["finished"] is False and any("cut off mid-write" in p for p in torn["problems"])
    assert [u["file"].endswith("notes.jsonl") for u in payload["unreadable"]] == [True]
    # Scenarios were found beside the sessions (the lead's own home has none kept).
    assert all(not any("not found" in p for p in row["problems"]) for row in payload["sessions"])


def test_sessions_view_keeps_one_row_per_session(cohort: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(report(cohort, "--sessions", "--format", "csv").stdout)))
    assert len(rows) == 7
    assert {row["learner"] for row in rows} == {"Ana Lima", "ben", "chloe"}


def test_one_session_is_its_debrief(cohort: dict) -> None:
    path = next(cohort["root"].rglob(f"{cohort['strong_session']}.jsonl"))
    result = coach("report", str(path), home=cohort["lead"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"<!-- session {cohort['strong_session']}")
    assert "# Debrief: The Precision Cliff" in result.stdout and "learner Ana Lima" in result.stdout


def test_xapi_statements(cohort: dict) -> None:
    result = report(cohort, "--format", "xapi", "--xapi-home", "https://learning.example.com/")
    statements = json.loads(result.stdout)
    assert len(statements) == 7
    for statement in statements:
        uuid.UUID(statement["id"]) and uuid.UUID(statement["context"]["registration"])
        actor = statement["actor"]
        assert actor["objectType"] == "Agent" and actor["account"]["homePage"] == "https://learning.example.com"
        assert statement["verb"]["id"] in ("http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/attempted")
        assert statement["object"]["id"].startswith("https://learning.example.com/scenarios/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", statement["timestamp"])
        score = statement["result"].get("score")
        if statement["verb"]["display"]["en-US"] == "completed":
            assert statement["result"]["completion"] is True and -1 <= score["scaled"] <= 1
            assert score["raw"] == round(score["scaled"] * 100) and re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+S)?", statement["result"]["duration"])
        else:
            assert statement["result"]["completion"] is False and score is None
    strong = next(s for s in statements if s["context"]["extensions"]["https://learning.example.com/xapi/session"] == cohort["strong_session"])
    assert strong["actor"]["account"]["name"] == "Ana Lima" and strong["result"]["score"]["scaled"] == 1.0
    assert strong["object"]["definition"]["name"] == {"en-US": "The Precision Cliff"}
    # The same sessions always give the same statement ids, so an LRS never counts them twice.
    again = json.loads(report(cohort, "--format", "xapi", "--xapi-home", "https://learning.example.com").stdout)
    assert [s["id"] for s in again] == [s["id"] for s in statements]


def test_xapi_home_must_be_an_address(cohort: dict) -> None:
    result = report(cohort, "--format", "xapi", "--xapi-home", "learning")
    assert result.returncode == 1 and "--xapi-home must be an http(s) address" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_folder_is_one_line(tmp_path: Path, coach_home: Path) -> None:
    result = coach("report", str(tmp_path), home=coach_home)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "no session files" in result.stderr


def test_learner_name_is_recorded_in_the_start_event(coach_home: Path) -> None:
    session = play(coach_home, str(MINIMAL), "rollback", learner="  Dana   Kim ")
    start = json.loads((coach_home / "data" / "sessions" / f"{session}.jsonl").read_text("utf-8").splitlines()[0])
    assert start["learner"] == "Dana Kim"
    unnamed = play(coach_home, str(MINIMAL), "rollback")
    start = json.loads((coach_home / "data" / "sessions" / f"{unnamed}.jsonl").read_text("utf-8").splitlines()[0])
    assert "learner" not in start


def _table(text: str, heading: str) -> list[list[str]]:
    """The body rows of the Markdown table under a heading, as lists of cells."""
    section = text.split(heading + "\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[1:] if not row.startswith("|---")]
