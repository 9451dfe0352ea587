"""`coach play`: errors are one clear line and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coach.cli import main


def test_unknown_scenario_is_one_line_and_exit_1() -> None:
    result = CliRunner().invoke(main, ["play", "precision-clif"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("coach play: no scenario 'precision-clif'")
    assert "precision-cliff" in lines[0]  # did you mean
    assert "Traceback" not in result.output


def test_broken_scenario_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "draft.toml"
    path.write_text('format = 1\nid = "draft"\n', "utf-8")
    result = CliRunner().invoke(main, ["play", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert f"run `coach check {path}`" in lines[0]


def test_missing_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["play", str(tmp_path / "nope.toml")])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "no such file" in result.output


def test_without_a_terminal_play_says_so() -> None:
    result = CliRunner().invoke(main, ["play", "precision-cliff"])
    assert result.exit_code == 1
    assert "needs a terminal" in result.output


def test_preview_options_are_checked_against_the_scenario_before_any_screen() -> None:
    cases = [
        (["--from", "bridg"], "no scene 'bridg'"),
        (["--set", "precision=0.5"], "add --from SCENE"),
        (["--from", "bridge", "--set", "precison=0.5"], "no metric 'precison'"),
        (["--from", "bridge", "--flag", "nope"], "no choice sets 'nope'"),
    ]
    for options, expected in cases:
        result = CliRunner().invoke(main, ["play", "precision-cliff", *options])
        assert result.exit_code == 1, options
        assert expected in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_a_good_preview_request_gets_as_far_as_needing_a_terminal() -> None:
    result = CliRunner().invoke(main, ["play", "precision-cliff", "--watch"])
    assert result.exit_code == 1 and "needs a terminal" in result.output
