"""`coach config path|show|edit`: the settings file in the user config folder, strict like every format."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path


def coach(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=30)


def settings_file(home: Path, text: str) -> Path:
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_paths_follow_coach_home(coach_home: Path) -> None:
    assert coach("config", "path").stdout == f"{coach_home / 'config' / 'settings.toml'}\n"
    assert coach("config", "path", "sessions").stdout == f"{coach_home / 'data' / 'sessions'}\n"
    assert coach("config", "path", "scenarios").stdout == f"{coach_home / 'config' / 'scenarios'}\n"
    wrong = coach("config", "path", "nowhere")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr


def test_show_prints_the_defaults_when_there_is_no_file(coach_home: Path) -> None:
    result = coach("config", "show")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# {coach_home / 'config' / 'settings.toml'} (not created yet: these are the defaults)"
    assert 'theme = "coach-night"' in lines and 'mode = "scenario"' in lines and 'learner = ""' in lines


def test_show_prints_the_file_with_defaults_filled_in(coach_home: Path) -> None:
    settings_file(coach_home, 'mode = "exam"\nlearner = "Ana Lima"\n\n[keymap]\n"play.leave" = "escape,ctrl+l"\n')
    payload = json.loads(coach("config", "show", "--json").stdout)
    assert payload["problem"] is None and payload["exists"] is True
    assert payload["settings"] == {"theme": "coach-night", "mode": "exam", "learner": "Ana Lima", "library": [],
                                   "confidence": True, "keymap": {"play.leave": "escape,ctrl+l"}}
    text = coach("config", "show").stdout
    assert '"play.leave" = "escape,ctrl+l"' in text and "keys it does not set have their defaults" in text


def test_a_typo_is_an_error_with_its_line(coach_home: Path) -> None:
    path = settings_file(coach_home, 'theme = "coach-day"\nlerner = "Ana"\n')
    result = coach("config", "show")
    assert result.returncode == 1
    assert result.stderr == f"coach config: {path}:2: unknown key `lerner`\n"
    assert "it is broken, so the app uses the defaults below" in result.stdout


def test_a_wrong_value_is_an_error_with_its_line(coach_home: Path) -> None:
    path = settings_file(coach_home, 'theme = "coach-day"\nmode = "relaxed"\n')
    result = coach("config", "show")
    assert result.returncode == 1 and result.stderr.startswith(f"coach config: {path}:2: ")
    assert "relaxed" in result.stderr or "mode" in result.stderr


def test_the_learner_in_settings_is_recorded_in_sessions(coach_home: Path) -> None:
    settings_file(coach_home, 'learner = "Ana Lima"\n')
    minimal = Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml"
    env = {k: v for k, v in os.environ.items() if k != "COACH_LEARNER"}
    result = subprocess.run([sys.executable, "-m", "coach", "simulate", str(minimal), "--choices", "1", "--json"],
                            capture_output=True, text=True, env=env, timeout=30)
    session = json.loads(result.stdout)["session"]
    start = json.loads((coach_home / "data" / "sessions" / f"{session}.jsonl").read_text("utf-8").splitlines()[0])
    assert start["learner"] == "Ana Lima"


def test_edit_needs_a_terminal() -> None:
    result = coach("config", "edit")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "needs a terminal" in result.stderr


def test_edit_creates_the_file_opens_the_editor_and_checks_the_result(coach_home: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        "assert '# learner = ' in text, text\n"
        "open(path, 'a', encoding='utf-8').write('learner = \"Zoe\"\\n')\n", "utf-8")
    output, code = _in_terminal(["config", "edit"], {"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert code == 0, output
    assert "is valid" in output
    assert 'learner = "Zoe"' in (coach_home / "config" / "settings.toml").read_text("utf-8")

    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('colour = 1\\n')\n", "utf-8")
    output, code = _in_terminal(["config", "edit"], {"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert code == 1 and "unknown key `colour`" in output and "Traceback" not in output


def _in_terminal(args: list[str], env: dict[str, str]) -> tuple[str, int]:
    """Run coach with a pseudo-terminal as its standard streams; return what it wrote and its exit code."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "coach", *args], stdin=follower, stdout=follower, stderr=follower,
                               env={**os.environ, **env}, close_fds=True)
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                data = os.read(leader, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace"), process.wait(timeout=10)
