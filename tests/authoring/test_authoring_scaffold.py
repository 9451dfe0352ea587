"""The starter scenario: valid, warning-free, and it shows the parts most scenarios need once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.authoring.scaffold import DISPLAY_DEFAULTS, Answers, MetricAnswer, nice_step, problems, slug, starter
from coach.authoring.writer import scenario_to_toml
from coach.scenario.loader import builtin_rubric, load_text

CRITERIA = list(builtin_rubric().criteria)


@settings(deadline=None)
@given(
    criteria=st.dictionaries(st.sampled_from(CRITERIA), st.integers(1, 3), min_size=1, max_size=4),
    metrics=st.lists(st.tuples(st.from_regex(r"\A[a-z][a-z0-9_]{0,8}\Z"), st.sampled_from(list(DISPLAY_DEFAULTS))),
                     max_size=3, unique_by=lambda m: m[0]),
    difficulty=st.sampled_from(["intro", "intermediate", "advanced"]),
)
def test_every_starter_passes_check_without_warnings(criteria, metrics, difficulty) -> None:
    answers = Answers(title="A Launch Decision", role="AI PM, search", difficulty=difficulty, criteria=criteria,
                      metrics=[MetricAnswer(name, display=display) for name, display in metrics if name != "acted_early"])
    assert problems(answers, CRITERIA) == {}
    scenario = starter(answers)
    loaded = load_text(scenario_to_toml(scenario), "starter.toml")
    # A starter is a two-decision skeleton to grow: the teaching lint W121 (an ending reached in
    # under three decisions) says so, and is the only thing `coach check` may say about it.
    assert [d for d in loaded.diagnostics if d.code != "W121"] == []
    assert loaded.scenario == scenario


def test_the_starter_shows_each_part_of_the_format() -> None:
    text = scenario_to_toml(starter(Answers(title="Drift", criteria={"monitoring": 3}, metrics=[MetricAnswer("precision")])))
    for part in ("requires = \"acted_early\"", "outcomes = [", "reflex = \"binary-quality\"", "routes = [",
                 "rating = \"strong\"", "rating = \"mixed\"", "rating = \"poor\"", "set = [\"acted_early\"]",
                 "effects = { precision = 0.05 }", "when = \"precision >= 0.9\""):
        assert part in text
    assert text.count("Replace") >= 15


@pytest.mark.parametrize("answers, field", [
    (Answers(title=" ", criteria={"monitoring": 1}), "title"),
    (Answers(title="x", id="Bad Id", criteria={"monitoring": 1}), "id"),
    (Answers(title="x", criteria={}), "criteria"),
    (Answers(title="x", criteria={"monitorin": 1}), "criteria"),
    (Answers(title="x", criteria={"monitoring": 4}), "criteria"),
    (Answers(title="x", criteria={"monitoring": 1}, metrics=[MetricAnswer("Error-Rate")]), "metrics"),
    (Answers(title="x", criteria={"monitoring": 1}, metrics=[MetricAnswer("a"), MetricAnswer("a")]), "metrics"),
    (Answers(title="x", criteria={"monitoring": 1}, metrics=[MetricAnswer("acted_early")]), "metrics"),
    (Answers(title="x", role="", criteria={"monitoring": 1}), "role"),
])
def test_problems_name_the_field(answers: Answers, field: str) -> None:
    assert field in problems(answers, CRITERIA)


def test_a_blank_title_is_one_problem_not_two() -> None:
    """The id follows the title, so a blank title is not also a bad id; a title with no letters is."""
    assert set(problems(Answers(title="", criteria={"monitoring": 1}), CRITERIA)) == {"title"}
    assert problems(Answers(title="???", criteria={"monitoring": 1}), CRITERIA)["id"].startswith("the title gives no id")


def test_ids_from_titles_and_round_steps() -> None:
    assert slug("The Precision Cliff!") == "the-precision-cliff"
    assert slug("  Ünïcode — and   spaces ") == "n-code-and-spaces"
    assert Answers(title="Launch: v2").scenario_id == "launch-v2"
    assert [nice_step(v) for v in (0.05, 5.0, 100.0, 0.0)] == [0.05, 5.0, 100.0, 1.0]
