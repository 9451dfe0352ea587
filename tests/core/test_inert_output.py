"""Every byte from a file is inert: no command prints a control character it read from a file.

A scenario with ESC, OSC 52 (a clipboard write), CSI 2J (clear screen), BEL, CR and a C1 CSI in
every text field, a settings file and session logs with the same, are run through every command
that prints; the output must hold none of those bytes, and show them as visible escapes instead.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.io import sanitise
from coach.cli import main

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
ESCAPES = HOSTILE / "escapes.toml"
FORBIDDEN = ("\x1b", "\x9b", "\x07", "\r", "\x00")


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.output


def assert_inert(text: str) -> None:
    for byte in FORBIDDEN:
        assert byte not in text, (byte, text[:400])


@pytest.fixture
def played(coach_home: Path) -> str:
    """A finished session of the escapes scenario, with a hostile learner name."""
    out = CliRunner(env={"COACH_LEARNER": "=HYPERLINK(\"http://x\")\x1b[2J"}).invoke(
        main, ["simulate", str(ESCAPES), "--choices", "1,1", "--seed", "1"], catch_exceptions=False)
    assert "session" in out.output or out.exit_code == 0, out.output
    [log] = list((coach_home).rglob("*.jsonl"))
    return str(log)


def test_every_command_that_prints_is_inert(played: str, coach_home: Path) -> None:
    settings = coach_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('theme = "x\\u001b]52;c;eA==\\u0007"\nlearner = "a\\u009b2J"\n[keymap]\n"app.\\u001b[2J" = "q"\n')
    commands = [
        ["check", str(ESCAPES)], ["check", "--json", str(ESCAPES)], ["check", str(HOSTILE / "escape-keys.toml")],
        ["check", "--json", str(HOSTILE / "escape-keys.toml")],
        ["simulate", str(ESCAPES), "--choices", "2,1", "--seed", "3", "--no-save"],
        ["simulate", str(ESCAPES), "--choices", "1,1", "--seed", "3", "--json", "--no-save"],
        ["graph", str(ESCAPES)], ["graph", "--format", "dot", str(ESCAPES)],
        ["explore", str(ESCAPES)], ["explore", "--json", "--random", "20", str(ESCAPES)],
        ["replay", played], ["replay", "--last"],
        ["history"], ["history", "--json"],
        ["report", played], ["report", "--format", "json", played], ["report", "--format", "csv", "--sessions", played],
        ["report", "--format", "csv", str(coach_home)], ["report", str(coach_home), played],
        ["report", "--format", "xapi", played],
        ["config", "show"], ["config", "show", "--json"],
    ]
    for command in commands:
        output = run(*command)
        assert output.strip(), command
        assert_inert(output)
    transcript = run("simulate", str(ESCAPES), "--choices", "1,1", "--seed", "3", "--no-save")
    assert "\\x1b[2J" in transcript and "\\x9b31m" in transcript  # shown, not obeyed


def test_a_newline_in_a_key_cannot_forge_a_diagnostic_line() -> None:
    output = run("check", str(HOSTILE / "escape-keys.toml"))
    heads = [line for line in output.splitlines() if not line.startswith(" ")]
    assert len(heads) == 4 and heads[-1] == "1 file, 3 errors, 0 warnings", heads
    assert all(line.startswith(str(HOSTILE / "escape-keys.toml")) for line in heads[:-1]), heads
    assert "\\x0aminimal.toml:1:1" in output


def test_raw_control_bytes_in_a_file_are_shown_in_the_caret_line(tmp_path: Path) -> None:
    path = tmp_path / "raw.toml"
    path.write_bytes(b'format = 1\ntitle = "a\x1b[2Jb"\n')
    output = run("check", str(path))
    assert_inert(output)
    assert "C004" in output and "\\x1b[2J" in output


def test_json_output_stays_valid_json_and_equal() -> None:
    text = sanitise.json_dumps({"a": "x\x9b\x1b\u202ey"}, ensure_ascii=False)
    assert_inert(text) and "\u202e" not in text
    assert json.loads(text) == {"a": "x\x9b\x1b\u202ey"}


def test_csv_cells_never_start_a_formula(played: str, tmp_path: Path) -> None:
    folder = tmp_path / "cohort" / '=HYPERLINK("http://x")'
    folder.mkdir(parents=True)
    (folder / Path(played).name).write_bytes(Path(played).read_bytes())
    rows = list(csv.DictReader(io.StringIO(run("report", "--format", "csv", "--sessions", str(tmp_path / "cohort")))))
    assert rows and rows[0]["learner"].startswith("'=HYPERLINK"), rows
    for cell in ("=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"):
        assert sanitise.csv_cell(cell).startswith("'")
    assert sanitise.csv_cell("-3") == "-3" and sanitise.csv_cell(-3) == -3  # a negative score is a number


def test_a_learner_name_from_a_log_is_cleaned_when_read(played: str) -> None:
    from coach.sessions.log import read_session

    path = Path(played)
    lines = path.read_text().splitlines()
    start = json.loads(lines[0])
    start["learner"] = '=HYPERLINK("http://x")\u001b'
    path.write_text("\n".join([json.dumps(start), *lines[1:]]) + "\n")
    record = read_session(path)
    assert record.start is not None and record.start.learner == ""
    assert any("learner name" in problem for problem in record.problems)


def test_markdown_reports_escape_html(tmp_path: Path, coach_home: Path) -> None:
    scenario = tmp_path / "html.toml"
    scenario.write_text(ESCAPES.read_text().replace('title = "Escapes ', 'title = "<script>alert(1)</script> ', 1))
    output = run("simulate", str(scenario), "--choices", "1,1", "--seed", "1", "--no-save")
    assert "<script>" not in output and "&lt;script&gt;" in output
    assert sanitise.markdown("> quoted <b>x</b> a>b") == "> quoted &lt;b&gt;x&lt;/b&gt; a&gt;b"


def test_sanitiser_keeps_prose_and_escapes_single_lines() -> None:
    assert sanitise.prose("a\n\tb\x1b[2J\x9b\x07\r") == "a\n\tb\\x1b[2J\\x9b\\x07\\x0d"
    assert sanitise.line("a\nb\tc") == "a\\x0ab\\x09c"
    assert sanitise.line("\u202eevil") == "\\u202eevil"
    assert sanitise.prose("plain ünïcode — ok") == "plain ünïcode — ok"


from hypothesis import given, settings as hypothesis_settings, strategies as st  # noqa: E402


@hypothesis_settings(deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2100), max_size=60))
def test_no_text_survives_the_sanitiser_with_a_control_character(text: str) -> None:
    shown = sanitise.line(text)
    assert all(ord(c) >= 0x20 and not 0x7f <= ord(c) <= 0x9f for c in shown)
    assert "\n" not in shown
    kept = sanitise.prose(text)
    assert all(c in "\n\t" or (ord(c) >= 0x20 and not 0x7f <= ord(c) <= 0x9f) for c in kept)
    assert sanitise.is_inert(kept)
    if sanitise.is_inert(text):
        assert kept == text  # ordinary text is never changed
