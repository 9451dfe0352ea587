"""Every command explains itself with an example, and shells can complete coach's words."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import COMMANDS, _module_exists

RUN_MAIN = "from coach.cli import main; main(prog_name='coach')"
AVAILABLE = [name for name, target in COMMANDS.items() if _module_exists(target.split(":")[0])]


def coach(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN_MAIN, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)


def test_version() -> None:
    from coach import __version__

    result = coach("--version")
    assert result.returncode == 0 and result.stdout == f"coach, version {__version__}\n"


@pytest.mark.parametrize("command", [[]] + [[name] for name in AVAILABLE]
                         + [["config", "path"], ["config", "show"], ["config", "edit"]], ids=lambda c: " ".join(c) or "coach")
def test_help_has_an_example(command: list[str]) -> None:
    result = coach(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout, f"`coach {' '.join(command)} --help` shows no example"


def test_the_delivery_commands_are_listed() -> None:
    listed = coach("--help").stdout
    for name in ("serve", "config", "report"):
        assert f"  {name} " in listed


def _complete(shell: str, words: str, cword: str) -> list[str]:
    result = coach(env={"_COACH_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": cword})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_completion_scripts_for_bash_zsh_and_fish() -> None:
    assert "complete -o nosort -F _coach_completion coach" in coach(env={"_COACH_COMPLETE": "bash_source"}).stdout
    assert "#compdef coach" in coach(env={"_COACH_COMPLETE": "zsh_source"}).stdout
    assert "complete --no-files --command coach" in coach(env={"_COACH_COMPLETE": "fish_source"}).stdout


def test_completion_of_commands_options_and_choices() -> None:
    assert "plain,report" in _complete("bash", "coach rep", "1")
    assert "plain,serve" in _complete("bash", "coach se", "1")
    assert {"plain,md", "plain,json", "plain,csv", "plain,xapi"} <= set(_complete("bash", "coach report --format ", "3"))
    assert "sessions" in _complete("zsh", "coach config path s", "3")
    assert "plain,config" in _complete("fish", "coach con", "con")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_completion_in_a_real_bash(tmp_path: Path) -> None:
    """The generated script, sourced by bash, fills COMPREPLY from the installed `coach` command."""
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "coach").exists():
        pytest.skip("the coach command is not installed beside this Python")
    script = ('eval "$(_COACH_COMPLETE=bash_source coach)"\n'
              "COMP_WORDS=(coach conf); COMP_CWORD=1; _coach_completion coach\n"
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True, text=True, env=env,
                            timeout=60, cwd=tmp_path)
    assert result.stdout.split() == ["config"], result.stderr
