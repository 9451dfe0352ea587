"""Every rule of the scenario format, each with a bad file: the code, line and column it gets.

The files under tests/data/bad/ each break one rule of tests/data/good/minimal.toml. Where a
broken id also breaks the references to it, the rule's own diagnostic is asserted to be among
the others at its exact place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.analysis.checking import check_file
from coach.scenario.diagnostics import CODES, render
from coach.scenario.loader import load_bytes, load_scenario, load_text

DATA = Path(__file__).resolve().parent.parent / "data"
BAD = DATA / "bad"

# file -> the diagnostic that names the broken rule: (code, line, column)
EXPECTED: dict[str, tuple[str, int, int]] = {
    "binary": ("C003", 1, 1),
    "chance-out-of-range": ("C018", 44, 27),
    "choices-top-level": ("C007", 59, 3),
    "condition-arrow": ("C017", 52, 32),
    "criteria-typo": ("C013", 15, 1),
    "header-single-brackets": ("C060", 32, 3),
    "key-duplicate": ("C061", 30, 1),
    "score-float": ("C009", 63, 23),
    "whitespace-nbsp": ("C062", 33, 1),
    "chances-sum": ("C018", 44, 14),
    "clock-malformed": ("C028", 10, 15),
    "comments-only": ("C006", 1, 1),
    "condition-syntax": ("C017", 51, 38),
    "condition-unclosed": ("C017", 61, 47),
    "condition-unknown-flag": ("C016", 61, 15),
    "condition-unknown-metric": ("C015", 51, 22),
    "criterion-unknown": ("C013", 14, 1),
    "currency-malformed": ("C028", 23, 12),
    "deep-nesting": ("C005", 1, 40),
    "effect-unknown-metric": ("C015", 36, 15),
    "empty": ("C006", 1, 1),
    "enum-better": ("C010", 22, 10),
    "enum-difficulty": ("C010", 6, 14),
    "enum-display": ("C010", 21, 11),
    "enum-rating": ("C010", 75, 10),
    "flag-name-malformed": ("C028", 37, 10),
    "format-missing": ("C008", 1, 1),
    "format-newer": ("C027", 1, 10),
    "goto-and-outcomes": ("C019", 41, 3),
    "goto-nor-outcomes": ("C019", 58, 3),
    "goto-not-found": ("C012", 34, 10),
    "id-duplicate-choice": ("C011", 42, 8),
    "id-duplicate-scene": ("C011", 54, 6),
    "id-malformed": ("C028", 25, 6),
    "id-scene-ending-clash": ("C011", 78, 6),
    "invalid-toml": ("C004", 7, 11),
    "json-named-toml": ("C004", 1, 1),
    "metric-min-max": ("C023", 19, 7),
    "metric-name-malformed": ("C028", 16, 1),
    "metric-start-range": ("C023", 18, 9),
    "missing-key-choice": ("C008", 65, 3),
    "missing-key-ending": ("C008", 77, 1),
    "no-endings": ("C030", 1, 1),
    "not-utf8": ("C003", 3, 13),
    "on-timeout-not-found": ("C012", 29, 14),
    "outcome-target-not-found": ("C012", 44, 106),
    "reflex-unknown": ("C026", 47, 12),
    "route-after-catch-all": ("C021", 51, 12),
    "route-last-has-when": ("C021", 51, 60),
    "route-loop": ("C031", 51, 10),
    "route-target-not-found": ("C012", 51, 67),
    "scene-choices-and-routes": ("C020", 28, 1),
    "scene-no-choices-no-routes": ("C020", 49, 1),
    "score-criterion-not-graded": ("C014", 62, 13),
    "score-criterion-unknown": ("C013", 62, 13),
    "score-range": ("C025", 45, 26),
    "start-is-ending": ("C029", 9, 9),
    "start-not-found": ("C029", 9, 9),
    "time-limit-without-timeout": ("C022", 28, 1),
    "timeout-without-limit": ("C022", 28, 1),
    "unknown-key-choice": ("C007", 39, 3),
    "unknown-key-metric": ("C007", 23, 1),
    "unknown-key-outcome": ("C007", 44, 115),
    "unknown-key-top": ("C007", 8, 1),
    "unterminated-string": ("C004", 3, 17),
    "warn-best-first": ("W112", 12, 11),
    "warn-best-longest": ("W111", 3, 6),
    "warn-best-shortest": ("W113", 3, 6),
    "warn-choices-score-alike": ("W105", 54, 6),
    "warn-clock-backwards": ("W131", 57, 18),
    "warn-clock-without-start": ("W130", 56, 12),
    "warn-currency-not-money": ("W133", 23, 12),
    "warn-day-without-time": ("W132", 57, 12),
    "warn-locked-without-requires": ("W134", 68, 12),
    "warn-criterion-never-scored": ("W104", 15, 1),
    "warn-ending-contradicts-grade": ("W120", 70, 10),
    "warn-impossible-condition": ("W102", 61, 14),
    "warn-loop-no-exit": ("W103", 72, 6),
    "warn-missing-feedback": ("W106", 66, 3),
    "warn-naive-passes": ("W110", 3, 6),
    "warn-short-path": ("W121", 79, 6),
    "warn-stuck": ("W103", 54, 6),
    "warn-unreachable": ("W101", 72, 6),
    "weight-range": ("C024", 13, 14),
    "wrong-type-effect-value": ("C009", 36, 27),
    "wrong-type-minutes": ("C009", 7, 11),
    "wrong-type-score-value": ("C009", 68, 23),
    "wrong-type-time-limit": ("C009", 28, 14),
    "condition-non-ascii-digit": ("C017", 52, 34),
    "condition-too-deep": ("C043", 62, 143),
    "id-trailing-newline": ("C028", 51, 6),
    "key-dotted-too-long": ("C041", 13, 1),
    "key-too-long": ("C040", 5, 1),
    "minutes-absurd": ("C010", 8, 11),
    "number-not-finite": ("C044", 37, 27),
    "number-too-long": ("C042", 8, 11),
    "time-limit-absurd": ("C010", 29, 14),
    "text-unknown-name": ("C080", 30, 8),
    "text-malformed-placeholder": ("C081", 39, 34),
    "text-passage-unclosed": ("C082", 79, 1),
    "text-end-without-if": ("C083", 85, 1),
    "text-nested-too-deep": ("C084", 57, 137),
    "text-condition-unknown-flag": ("C016", 79, 5),
    "setup-unknown-metric": ("C090", 27, 13),
    "setup-value-range": ("C091", 27, 25),
    "setup-id-duplicate": ("C092", 29, 6),
    "setups-too-many": ("C093", 88, 1),
    "warn-passage-never-holds": ("W140", 76, 23),
}


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in BAD.glob("*.toml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_located_diagnostic(name: str) -> None:
    code, line, col = EXPECTED[name]
    result = check_file(BAD / f"{name}.toml")
    found = [(d.code, d.line, d.col) for d in result.diagnostics]
    assert (code, line, col) in found, found
    if code.startswith("C"):
        assert result.scenario is None
        assert not result.ok
    else:
        assert result.scenario is not None
        assert all(not d.is_error for d in result.diagnostics)


def test_good_file_loads_clean() -> None:
    result = load_scenario(DATA / "good" / "minimal.toml")
    # The smallest scenario that exercises the format is, by design, too short to teach: W121
    # (an ending in under three decisions) is the only thing `coach check` may say about it.
    assert result.ok and {d.code for d in result.diagnostics} <= {"W121"}
    assert result.scenario is not None and result.scenario.id == "minimal"
    assert result.require() is result.scenario
    assert len(result.sha256) == 64


def test_requiring_a_scenario_that_did_not_load_names_the_file_and_its_first_error() -> None:
    from coach.scenario.loader import ScenarioNotLoaded

    result = load_scenario(BAD / "chance-out-of-range.toml")
    with pytest.raises(ScenarioNotLoaded) as raised:
        result.require()
    assert str(raised.value).startswith(f"{result.path} did not load: ")
    first = result.errors[0]
    assert f"{first.line}:{first.col} {first.code}" in str(raised.value)
    assert raised.value.result is result


def test_messages_suggest_the_fix() -> None:
    messages = {name: [d.message for d in load_scenario(BAD / f"{name}.toml").diagnostics] for name in
                ("goto-not-found", "unknown-key-choice", "enum-display", "criterion-unknown", "condition-unknown-flag")}
    assert "goto target 'traige' not found (did you mean `triage`?)" in messages["goto-not-found"]
    assert any("did you mean `takes`?" in m for m in messages["unknown-key-choice"])
    assert any("did you mean `percent`?" in m for m in messages["enum-display"])
    assert any("did you mean `failure`?" in m for m in messages["criterion-unknown"])
    assert any("did you mean `rolled_back`?" in m for m in messages["condition-unknown-flag"])


def test_misleading_cases_get_messages_that_name_the_fix() -> None:
    """The messages an author met that pointed the wrong way (issue 16), one bad file each."""

    def only(name: str):
        diagnostics = load_scenario(BAD / f"{name}.toml").diagnostics
        assert len(diagnostics) == 1, [(d.code, d.line, d.message) for d in diagnostics]
        return diagnostics[0]

    assert "did you mean '>='?" in only("condition-arrow").message
    single = only("header-single-brackets")
    assert "write `[[scenes.choices]]`" in single.message and "overwrite" not in single.message
    duplicate = only("key-duplicate")
    assert duplicate.message.startswith("key `title` is given twice") and duplicate.related == (27, 1)
    assert "(first given at 27:1)" in duplicate.message
    nbsp = only("whitespace-nbsp")
    assert "U+00A0 NO-BREAK SPACE" in nbsp.message
    assert "`[[scenes.choices]]`" in only("choices-top-level").message
    assert only("criteria-typo").code == "C013"  # not seven C014s for the scores that spell it right
    assert "expected an integer -3..3 (a score), got 1.5" in only("score-float").message
    choice = only("id-duplicate-choice")
    assert "(first used at 32:8)" in choice.message and choice.related == (32, 8)
    scene = next(d for d in load_scenario(BAD / "id-duplicate-scene.toml").diagnostics if d.code == "C011")
    assert "(first used at 50:6)" in scene.message and scene.related == (50, 6)


def test_hints_for_other_duplicates_and_spaces() -> None:
    inline = load_text('format = 1\nid = "x"\ntags = []\nscore = { a = 1, a = 2 }\n', "t.toml").diagnostics[0]
    assert (inline.code, inline.related) == ("C061", (4, 11)) and inline.col == 18
    table = load_text('format = 1\n[criteria]\nfailure = 1\n\n[criteria]\ndata = 1\n', "t.toml").diagnostics[0]
    assert table.code == "C061" and table.line == 5 and table.related == (2, 1)
    zero_width = load_text('format = 1\nid =\u200b"x"\n', "t.toml").diagnostics[0]
    assert zero_width.code == "C062" and "U+200B ZERO WIDTH SPACE" in zero_width.message and zero_width.col == 5
    plain = load_text('format = 1\nid = "x\n', "t.toml").diagnostics[0]
    assert plain.code == "C004"  # an ordinary syntax error keeps tomllib's words


def test_free_key_maps_name_their_key() -> None:
    [diagnostic] = load_scenario(BAD / "wrong-type-score-value.toml").diagnostics
    assert "`failure`" in diagnostic.message
    [diagnostic] = load_scenario(BAD / "score-range.toml").diagnostics
    assert "`monitoring` is -5" in diagnostic.message


def test_structural_errors_are_all_reported_not_just_the_first() -> None:
    text = (DATA / "good" / "minimal.toml").read_text()
    text = text.replace('  takes = 30', '  takess = 30').replace('rating = "poor"', 'rating = "bad"')
    codes = sorted(d.code for d in load_text(text, "two.toml").diagnostics)
    assert codes == ["C007", "C010"]


def test_json_file_is_recognised() -> None:
    [diagnostic] = load_scenario(BAD / "json-named-toml.toml").diagnostics
    assert "looks like JSON" in diagnostic.message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    [missing] = load_scenario(tmp_path / "nope.toml").diagnostics
    assert missing.code == "C001" and "no such file" in missing.message
    [folder] = load_scenario(tmp_path).diagnostics
    assert folder.code == "C001" and "folder" in folder.message


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")

    def never(*args, **kwargs):
        raise AssertionError("an oversized file reached the TOML parser")

    monkeypatch.setattr("coach.scenario.loader.tomllib.loads", never)  # refused before parsing, not merely fast
    [diagnostic] = load_scenario(big).diagnostics
    assert diagnostic.code == "C002"
    assert "MiB" in diagnostic.message


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    locked = tmp_path / "locked.toml"
    locked.write_text("format = 1")
    locked.chmod(0)
    [diagnostic] = load_scenario(locked).diagnostics
    assert diagnostic.code == "C001"


def test_byte_order_mark_is_accepted() -> None:
    data = (DATA / "good" / "minimal.toml").read_bytes()
    assert load_bytes(b"\xef\xbb\xbf" + data, "bom.toml").ok


def test_render_shows_line_and_caret() -> None:
    [diagnostic] = load_scenario(BAD / "goto-not-found.toml").diagnostics
    text = render(diagnostic)
    head, source, caret = text.splitlines()
    assert head.endswith("goto-not-found.toml:34:10: error C012: goto target 'traige' not found (did you mean `triage`?)")
    assert source.endswith('goto = "traige"')
    assert caret.index("^") == source.index('"traige"')


def test_render_keeps_caret_on_screen_for_long_lines() -> None:
    [diagnostic] = load_scenario(BAD / "unknown-key-outcome.toml").diagnostics
    head, source, caret = render(diagnostic).splitlines()
    assert len(source) < 120
    assert source[caret.index("^"):].startswith("odds")


def test_every_code_is_documented() -> None:
    catalogue = (Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md").read_text()
    for code in CODES:
        assert f"### {code}" in catalogue, code


def test_every_code_is_exercised_by_a_bad_file() -> None:
    exercised = {code for code, _, _ in EXPECTED.values()}
    exercised |= {"C001", "C002"}  # made in tmp_path above: a missing file, a file over the limit
    assert set(CODES) <= exercised, set(CODES) - exercised


def test_compiled_conditions_agree_with_the_tree_walker() -> None:
    from coach.scenario import conditions

    cases = ["a", "not a", "x < 0.5", "0.5 > x", "x >= y", "a and (x != 1 or not b)", "not (a or b) and x == 0.25"]
    for source in cases:
        node = conditions.parse(source)
        for metrics in ({"x": 0.25, "y": 0.5}, {"x": 1.0, "y": 0.1}, {"x": 0.5, "y": 0.5}):
            for flags in (set(), {"a"}, {"b"}, {"a", "b"}):
                assert conditions.compiled(source)(metrics, flags) == conditions.evaluate(node, metrics, flags), (source, metrics, flags)


def test_the_documented_worked_example_is_a_valid_scenario() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md").read_text()
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    result = load_text(example, "scenario-format.md")
    # Like tests/data/good/minimal.toml, the worked example is too short to teach (W121), and says so.
    assert result.ok and [d for d in result.diagnostics if d.code != "W121"] == [], \
        [f"{d.code} {d.line}: {d.message}" for d in result.diagnostics]
