"""The commands that need no screen, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
MINIMAL = DATA / "good" / "minimal.toml"
CLEAN = DATA / "good" / "three-decisions.toml"  # minimal.toml is too short to teach (W121)


def coach(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, input=stdin,
                          env=os.environ.copy())


def test_check_clean_file_exits_0_with_summary() -> None:
    result = coach("check", str(CLEAN))
    assert result.returncode == 0
    assert result.stdout.strip() == "1 file, 0 errors, 0 warnings"


def test_check_reports_like_a_compiler_and_exits_1() -> None:
    result = coach("check", str(DATA / "bad" / "goto-not-found.toml"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("goto-not-found.toml:34:10: error C012: goto target 'traige' not found (did you mean `triage`?)")
    assert "^" in lines[2] and "\x1b[" not in result.stdout  # plain when piped / NO_COLOR
    assert lines[-1] == "1 file, 1 error, 0 warnings"


def test_check_warnings_fail_only_with_strict() -> None:
    path = str(DATA / "bad" / "warn-missing-feedback.toml")
    assert coach("check", path).returncode == 0
    assert coach("check", "--strict", path).returncode == 1


def test_check_json_lists_diagnostics() -> None:
    result = coach("check", "--json", str(DATA / "bad" / "score-range.toml"))
    assert result.returncode == 1
    [diagnostic] = json.loads(result.stdout)
    assert diagnostic == {"file": str(DATA / "bad" / "score-range.toml"), "line": 45, "col": 26, "code": "C025",
                          "severity": "error", "message": "`monitoring` is -5; a score must be between -3 and 3"}


def test_check_folder_is_recursive_and_skips_the_rubric(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "one.toml").write_text(CLEAN.read_text())
    (tmp_path / "rubric.toml").write_text("not = a scenario")
    result = coach("check", str(tmp_path))
    assert result.returncode == 0 and result.stdout.startswith("1 file,")


def test_check_without_paths_checks_the_library_and_user_scenarios(coach_home: Path, shared_explorations: Path) -> None:
    # Shared: the built-ins' exploration warnings are worked out once a run (tests/conftest.py).
    user = coach_home / "config" / "scenarios"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(MINIMAL.read_text().replace("goto = \"contained\"", "goto = \"contaned\""))
    result = coach("check")
    assert result.returncode == 1
    assert "mine.toml" in result.stdout and "C012" in result.stdout


def test_check_bad_usage_exits_2() -> None:
    assert coach("check", "--frobnicate").returncode == 2


def test_simulate_json_has_the_documented_fields() -> None:
    result = coach("simulate", str(MINIMAL), "--choices", "rollback,postmortem", "--seed", "4", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    for key in ("scenario", "session", "seed", "ending", "path", "scores", "overall", "reflexes", "best", "worst"):
        assert key in payload
    assert payload["ending"] == "contained" and payload["seed"] == 4
    assert [step["scene"] for step in payload["path"]] == ["pager", "review"]
    assert payload["scores"] == {"monitoring": 100, "failure": 100}


def test_simulate_locked_choice_names_scene_and_offer(tmp_path: Path) -> None:
    # Waiting keeps precision above 0.9 here, so the learner reaches the review without the
    # rollback flag that the postmortem requires.
    text = MINIMAL.read_text().replace("precision = -0.1", "precision = -0.01").replace('goto = "froze" } ]', 'goto = "triage" } ]')
    scenario = tmp_path / "locked.toml"
    scenario.write_text(text)
    result = coach("simulate", str(scenario), "--choices", "wait,postmortem", "--seed", "0", "--no-save")
    assert result.returncode == 1
    # Seed 0 shows the review's choices the other way round from the file; the offer lists them as shown.
    assert ("choice 2 of scene 'review' is locked: Available only when rolled back "
            "(choices: 1 move-on; 2 postmortem (locked: Available only when rolled back))") in result.stderr


def test_simulate_unknown_choice_and_unfinished_run_is_saved(coach_home: Path) -> None:
    bad = coach("simulate", str(MINIMAL), "--choices", "nope", "--seed", "0")
    assert bad.returncode == 1 and "has no choice 'nope' (choices: 1 wait; 2 rollback)" in bad.stderr
    partial = coach("simulate", str(MINIMAL), "--choices", "rollback", "--json")
    payload = json.loads(partial.stdout)
    assert payload["ending"] is None and payload["current"] == "review"
    history = json.loads(coach("history", "--json").stdout)
    assert [h["finished"] for h in history] == [False, False]


def test_simulate_timeout_token() -> None:
    result = coach("simulate", str(MINIMAL), "--choices", "timeout", "--json", "--no-save")
    assert json.loads(result.stdout)["ending"] == "froze"


def test_simulate_unknown_scenario_suggests() -> None:
    result = coach("simulate", "no-such-scenario", "--choices", "1")
    assert result.returncode == 1 and "no scenario 'no-such-scenario'" in result.stderr
    assert "Traceback" not in result.stderr


def test_simulate_broken_file_points_to_check() -> None:
    result = coach("simulate", str(DATA / "bad" / "goto-not-found.toml"), "--choices", "1")
    assert result.returncode == 1 and "coach check" in result.stderr and "Traceback" not in result.stderr


def test_explore_json_reports_endings_ranges_and_expert_path() -> None:
    result = coach("explore", str(MINIMAL), "--json", "--random", "50")
    payload = json.loads(result.stdout)
    assert payload["exhaustive"] is True
    assert payload["endings"] == {"contained": {"reached": True, "rating": "strong"}, "froze": {"reached": True, "rating": "poor"}}
    assert payload["criteria"]["monitoring"] == {"min": -2, "max": 2, "expert": 2}  # expert: its 100%
    assert [s["text"] for s in payload["expert_path"]] == ["Roll back to last week's model", "Write a blameless postmortem"]
    assert payload["expert_ending"] == "contained"
    assert sum(payload["random"]["endings"].values()) == 50


def test_history_text_when_empty() -> None:
    result = coach("history")
    assert result.returncode == 0 and "No sessions yet" in result.stdout


def test_history_text_lists_finished_and_unfinished_sessions() -> None:
    minimal = str(Path(__file__).parent.parent / "data" / "good" / "minimal.toml")
    assert coach("simulate", minimal, "--choices", "rollback,postmortem", "--seed", "1").returncode == 0
    assert coach("simulate", minimal, "--choices", "rollback", "--seed", "1").returncode == 0
    lines = coach("history").stdout.splitlines()
    assert lines[0].split()[:2] == ["when", "scenario"]
    assert any(line.endswith("unfinished (1 decision)") for line in lines[1:]), lines
    assert any("contained" in line.lower() and "100%" in line and line.endswith("finished") for line in lines[1:]), lines
    [finished] = [s for s in json.loads(coach("history", "--json").stdout) if s["finished"]]
    assert (finished["ending"], finished["ending_title"]) == ("contained", "Contained")


def test_history_text_names_scenarios_and_endings_by_title_not_id() -> None:
    """The table says what the screens say: "Minimal" and "Contained", not `minimal` and `contained`."""
    assert coach("simulate", str(MINIMAL), "--choices", "rollback,postmortem", "--seed", "1").returncode == 0
    [line] = coach("history").stdout.splitlines()[1:]
    assert line.split()[2:4] == ["Minimal", "coach"] and " Contained " in line
    assert "minimal" not in line.split() and "contained" not in line.split()


def test_commands_without_a_screen_never_import_textual() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "import coach.scenario.loader, coach.engine.explore, coach.engine.scoring, coach.sessions.playthrough\n"
        "import coach.reporting.reports, coach.config.library\n"
        "from coach.cli import main\n"
        f"for args in (['check', {str(MINIMAL)!r}], ['schema'], ['explore', {str(MINIMAL)!r}],\n"
        f"             ['simulate', {str(MINIMAL)!r}, '--choices', '1', '--no-save'], ['history', '--json'], ['--help']):\n"
        "    result = CliRunner().invoke(main, args)\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
        "assert 'textual' not in sys.modules, [m for m in sys.modules if m.startswith('textual')][:3]\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 0, result.stderr


def _simulate(*choices: str) -> str:
    result = coach("simulate", str(MINIMAL), "--choices", ",".join(choices), "--seed", "2", "--json")
    return json.loads(result.stdout)["session"]


def test_report_markdown_csv_and_json() -> None:
    finished = _simulate("rollback", "postmortem")
    unfinished = _simulate("rollback")
    markdown = coach("report", finished).stdout
    assert markdown.startswith(f"<!-- session {finished}")
    assert "# Debrief: Minimal" in markdown and "**Overall:** 100% (grade A)" in markdown
    # Several sessions make a cohort summary by default; --sessions keeps one entry per session.
    csv_lines = coach("report", finished, unfinished, "--sessions", "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == ("session,learner,time,scenario,mode,finished,ending,rating,overall,grade,decisions,reflexes,"
                            "score_failure,score_monitoring")
    assert len(csv_lines) == 3
    rows = json.loads(coach("report", finished, unfinished, "--sessions", "--format", "json").stdout)
    assert [r["finished"] for r in rows] == [True, False]
    assert rows[1]["ending"] is None


def test_report_unknown_session_is_one_line() -> None:
    result = coach("report", "nothing-like-this")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
