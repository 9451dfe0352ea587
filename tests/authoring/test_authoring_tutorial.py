"""docs/authoring.md walks from `coach new` to a finished scenario. Its steps, done with the same
edits the workspace makes, must lead to the file the tutorial shows, and that file must pass."""

from __future__ import annotations

import re
from pathlib import Path

from coach.authoring import edits, fields
from coach.authoring.scaffold import Answers, MetricAnswer, starter
from coach.authoring.writer import scenario_to_toml
from coach.scenario.loader import load_scenario, load_text

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "authoring.md"
FINAL = Path(__file__).resolve().parent / "data" / "shadow-launch.toml"


def _set(scenario, path, **typed):
    """Type into the form's fields, as the tutorial does (text parsed as the form parses it)."""
    kind = edits.kind_of(path)
    specs = {f.name: f for f in fields.FIELDS[kind]}
    values = {name: fields.parse(kind, specs[name], text) for name, text in typed.items()}
    return edits.update(scenario, path, **values).scenario


def test_the_tutorial_steps_lead_to_the_final_file() -> None:
    final = load_scenario(FINAL)
    # The tutorial's scenario ends in two decisions: only the teaching lint W121 may mention it.
    assert [d for d in final.diagnostics if d.code != "W121"] == []
    goal = final.scenario
    s = starter(Answers(title="Shadow Launch", role="AI PM, customer support", difficulty="intro",
                        criteria={"evaluation": 3, "failure": 2}, metrics=[MetricAnswer("deflection", display="percent")]))
    assert [d for d in load_text(scenario_to_toml(s), "starter.toml").diagnostics if d.code != "W121"] == []  # a skeleton (W121)

    # 1. The scenario: summary, briefing, the metric.
    s = _set(s, (), summary=goal.summary, briefing=goal.briefing,
             metrics='deflection = { label = "Tickets answered without an agent", start = 0, min = 0, max = 1, display = "percent" }')
    # 2. Endings first: renaming one rewrites every goto that leads to it.
    for index, new_id in enumerate(["careful-launch", "bumpy-launch", "refund-storm"]):
        s = edits.rename(s, ("endings", index), new_id).scenario
        s = _set(s, ("endings", index), title=goal.endings[index].title, text=goal.endings[index].text)
    # 3. The first scene.
    s = edits.rename(s, ("scenes", 0), "go-live-call").scenario
    assert s.start == "go-live-call"
    s = _set(s, ("scenes", 0), title=goal.scenes[0].title, text=goal.scenes[0].text)
    s = edits.rename(s, ("scenes", 0, "choices", 0), "shadow").scenario
    s = _set(s, ("scenes", 0, "choices", 0), text=goal.scenes[0].choices[0].text, score="{ evaluation = 2, failure = 1 }",
             effects="", set='["shadowed"]', feedback=goal.scenes[0].choices[0].feedback)
    s = edits.rename(s, ("scenes", 0, "choices", 1), "ship").scenario
    s = _set(s, ("scenes", 0, "choices", 1), text=goal.scenes[0].choices[1].text, goto="",
             outcomes='[ { chance = 0.5, goto = "bumpy-launch" }, { chance = 0.5, goto = "refund-storm", effects = { deflection = -0.1 } } ]',
             score="{ evaluation = -2 }", effects="{ deflection = 0.3 }", feedback=goal.scenes[0].choices[1].feedback,
             reflex="naive-ab")
    s = edits.delete(s, ("scenes", 0, "choices", 2)).scenario  # the gamble
    # 4. The second scene.
    s = edits.rename(s, ("scenes", 1), "shadow-week").scenario
    s = _set(s, ("scenes", 1), title=goal.scenes[1].title, text=goal.scenes[1].text)
    s = edits.rename(s, ("scenes", 1, "choices", 0), "exclude-billing").scenario
    s = _set(s, ("scenes", 1, "choices", 0), text=goal.scenes[1].choices[0].text, requires="shadowed",
             score="{ failure = 2, evaluation = 1 }", effects="{ deflection = 0.2 }", feedback=goal.scenes[1].choices[0].feedback)
    s = edits.rename(s, ("scenes", 1, "choices", 1), "all-in").scenario
    # 5. The routing scene is not needed; deleting it is refused while a choice still leads there.
    try:
        edits.delete(s, ("scenes", 2))
        raise AssertionError("the delete should have been refused")
    except edits.EditRefused as refused:
        assert str(refused) == "cannot delete scene 'check': choice 2 of 'shadow-week' leads to it; point it elsewhere first"
    s = _set(s, ("scenes", 1, "choices", 1), text=goal.scenes[1].choices[1].text, goto="bumpy-launch",
             score="{ failure = -1 }", effects="{ deflection = 0.24 }", feedback=goal.scenes[1].choices[1].feedback,
             reflex="binary-quality")
    s = edits.delete(s, ("scenes", 2)).scenario
    assert s == goal


def test_the_doc_shows_the_final_file_and_the_refusal() -> None:
    text = DOC.read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, re.S)
    assert blocks[-1] == FINAL.read_text("utf-8")
    assert "cannot delete scene 'check': choice 2 of 'shadow-week' leads to it; point it elsewhere first" in text
