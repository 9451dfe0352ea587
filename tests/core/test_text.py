"""Text that follows the state (coach.engine.text): values formatted as the dashboard formats
them, passages shown by condition, literal braces, and text that stays text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from builtin_library import scenario_of
from coach.io.display import format_value
from coach.engine import engine
from coach.engine.text import MAX_DEPTH, briefing, parse, render
from coach.scenario.loader import load_scenario, load_text
from coach.tui.widgets.scenetext import inline, parse_blocks, render_lines

DATA = Path(__file__).resolve().parent.parent / "data"
STATE_TEXT = DATA / "good" / "state-text.toml"
MINIMAL = DATA / "good" / "minimal.toml"


@lru_cache(maxsize=1)
def _state_text():
    loaded = load_scenario(STATE_TEXT)
    assert loaded.ok, [d.message for d in loaded.diagnostics if d.is_error]
    return loaded.scenario


@pytest.fixture(scope="module")
def scenario():
    return _state_text()


def shown(markdown: str) -> str:
    """What the scene widget draws for this Markdown: plain characters, no styles."""
    return "\n".join(line.plain for line in render_lines(parse_blocks(markdown), 200))


def test_each_display_type_prints_as_the_dashboard_does(scenario) -> None:
    state = engine.start(scenario)
    text = render("{precision}|{spend}|{latency}|{tickets}|{ratio}", scenario, state, markdown=False)
    assert text == "92.0%|€38.0k|1,234 ms|1,500|0.25"
    assert text.split("|") == [format_value(scenario.metrics[n], state.metrics[n])
                               for n in ("precision", "spend", "latency", "tickets", "ratio")]


def test_values_follow_the_state_after_a_decision(scenario) -> None:
    after = engine.step(scenario, engine.start(scenario), 0)
    assert render("{precision} at {clock}", scenario, after) == "97.0% at Day 1 03:42"
    assert render("{spend}", scenario, after) == "€39.0k"


def test_clock_and_learner(scenario) -> None:
    state = engine.start(scenario)
    assert render("{clock}, {learner}.", scenario, state, "Ana Lima") == "Day 1 03:12, Ana Lima."
    assert render("{learner}", scenario, state) == "you"  # no name set
    no_clock = replace(scenario, clock_start=None)
    assert render("[{clock}]", no_clock, state) == "[]"


def test_a_placeholder_inside_markdown_emphasis_is_emphasised_text(scenario) -> None:
    state = engine.start(scenario)
    rendered = render("Precision is **{precision}** now.", scenario, state)
    content = inline(parse_blocks(rendered)[0].text)
    assert content.plain == "Precision is 92.0% now."
    bold = [span for span in content.spans if "bold" in str(span.style)]
    assert bold and content.plain[bold[0].start:bold[0].end] == "92.0%"


def test_a_value_is_never_markdown(scenario) -> None:
    state = engine.start(scenario)
    rendered = render("Hello {learner}.", scenario, state, "_jo_*x*")
    assert shown(rendered) == "Hello _jo_*x*."
    assert render("Hello {learner}.", scenario, state, "_jo_", markdown=False) == "Hello _jo_."


def test_double_braces_are_literal_braces(scenario) -> None:
    state = engine.start(scenario)
    assert render("{{precision}} is {precision}; a set {{a, b}}", scenario, state) == "{precision} is 92.0%; a set {a, b}"
    assert render('JSON { "a": 1 } stays', scenario, state) == 'JSON { "a": 1 } stays'
    assert render("}}", scenario, state) == "}"


def test_console_markup_and_actions_stay_literal(scenario) -> None:
    state = engine.start(scenario)
    typed = "[bold]{precision}[/bold] [@click=app.quit]quit[/] $primary"
    assert shown(render(typed, scenario, state)) == "[bold]92.0%[/bold] [@click=app.quit]quit[/] $primary"


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}[]ab_ fi\nendlse*`\\")), max_size=80))
def test_rendering_never_raises_and_never_grows_without_bound(text: str) -> None:
    scenario = _state_text()
    out = render(text, scenario, engine.start(scenario), "Ana")
    assert isinstance(out, str) and len(out) <= 2 * len(text) + 64


def test_unknown_names_are_shown_as_typed_when_rendering(scenario) -> None:
    state = engine.start(scenario)
    assert render("{precison} {rolled_back}", scenario, state) == "{precison} {rolled_back}"


def test_passages_follow_flags_and_metrics(scenario) -> None:
    start = engine.start(scenario)
    rolled = engine.step(scenario, start, 0)  # rollback: sets rolled_back, precision 0.97
    waited = engine.step(scenario, start, 1)  # wait: precision 0.82
    review = scenario.nodes["review"].text
    assert shown(render(review, scenario, rolled)) == "What now? The rollback is holding at 97.0%."
    assert shown(render(review, scenario, waited)) == "What now? Nothing has been contained."
    # A directive alone on its line takes the line with it: no blank lines are left behind.
    assert render(review, scenario, waited) == "What now?\nNothing has been contained.\n"


def test_nested_passages(scenario) -> None:
    ending = scenario.nodes["contained"].text
    start = engine.start(scenario)
    rolled = engine.step(scenario, start, 0)
    assert render(ending, scenario, rolled).strip() == "Well done.\nYou rolled back before diagnosing, and precision held at 97.0%."
    low = replace(rolled, metrics={**rolled.metrics, "precision": 0.5})
    assert render(ending, scenario, low).strip() == "Well done.\nYou rolled back before diagnosing."
    assert render(ending, scenario, start).strip() == "Well done."
    deep = "{if rolled_back}" * MAX_DEPTH + "x" + "{end}" * MAX_DEPTH
    assert render(deep, scenario, rolled) == "x" and not parse(deep).problems


def test_inline_else(scenario) -> None:
    start = engine.start(scenario)
    text = "You {if rolled_back}rolled back{else}waited{end}."
    assert render(text, scenario, start) == "You waited."
    assert render(text, scenario, engine.step(scenario, start, 0)) == "You rolled back."


def test_briefing_renders_against_the_start_state(scenario) -> None:
    text = briefing(scenario, "Ana")
    assert text.startswith(scenario.summary)
    assert text.endswith("Good morning, Ana. Precision starts at 92.0%; spend is €38.0k.")


def check(text_field: str) -> list[tuple[str, int, int, str]]:
    """Diagnostics for minimal.toml with its pager scene's text replaced."""
    source = MINIMAL.read_text().replace('text = "Precision fell overnight."', f"text = {text_field}")
    return [(d.code, d.line, d.col, d.message) for d in load_text(source, "t.toml").diagnostics if d.is_error]


def test_check_locates_problems_inside_multi_line_text() -> None:
    [(code, line, col, message)] = check('"""\nfine\n  and {precsion} here\n"""')
    assert (code, line, col) == ("C080", 30, 8) and "did you mean `precision`?" in message
    [(code, line, col, message)] = check('"""\n{if rolled_back}\nno end\n"""')
    assert (code, line, col) == ("C082", 29, 1)
    [(code, line, col, _)] = check('"""\nline\n{if precision > }x{end}\n"""')
    assert (code, line) == ("C017", 30)
    [(code, line, col, message)] = check('"{if rolled_back}{rolled_back}{end}"')
    assert code == "C080" and col == 26 and "it is a flag" in message
    assert check('"""\nok {precision} {clock} {learner} {{x}}\n{if rolled_back and precision >= 0.9}\nyes\n{else}\nno\n{end}\n"""') == []


def test_check_knows_flags_and_metrics_in_passage_conditions() -> None:
    [(code, _, _, message)] = check('"{if precison < 0.5}x{end}"')
    assert code == "C015" and "did you mean `precision`?" in message
    [(code, _, _, message)] = check('"{if precision}x{end}"')
    assert code == "C017" and "is a metric" in message


def test_every_builtin_scenario_still_loads() -> None:
    for path in sorted((DATA.parent.parent / "scenarios").glob("*.toml")):
        if path.name == "rubric.toml":
            continue
        loaded = load_scenario(path)
        assert loaded.ok, (path.name, [d.message for d in loaded.errors])


def test_simulate_transcript_renders_feedback_and_outcomes() -> None:
    from coach.cli import main

    result = CliRunner().invoke(main, ["simulate", str(STATE_TEXT), "--choices", "wait,postmortem", "--seed", "1",
                                       "--no-save"])
    assert result.exit_code == 0, result.output
    assert "~ Precision slid to 82.0% by Day 1 03:12." in result.output
    result = CliRunner().invoke(main, ["simulate", str(STATE_TEXT), "--choices", "rollback", "--seed", "1", "--no-save"])
    assert "Containment first: precision is back to 97.0%." in result.output
    assert "{precision}" not in result.output


def test_bot_protocol_sends_rendered_scene_text() -> None:
    import json

    from coach.cli import main

    result = CliRunner().invoke(main, ["simulate", str(STATE_TEXT), "--choices", "-", "--json", "--no-save", "--seed", "1"],
                                input="rollback\n")
    events = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    decisions = [e for e in events if e["event"] == "decision"]
    assert decisions[0]["text"].startswith("At Day 1 03:12, precision is **92.0%** and spend is *€38.0k*")
    assert "Literal braces: {precision} and [bold]not markup[/bold]." in decisions[0]["text"]
    assert decisions[1]["text"] == "What now?\nThe rollback is holding at 97.0%."


def _played_to(scenario, ending: str, runs: int, seed: int, setup: str | None = None):
    """States that reach `ending`, from seeded plays that mostly take the best-scoring open choices."""
    import random

    rng = random.Random(seed)
    for run in range(runs):
        state = engine.start(scenario, setup=setup)
        while not state.finished:
            open_ = [o for o in engine.options(scenario, state) if o.available]
            if not open_:
                state = engine.timeout(scenario, state)
                continue
            best = max(sum(o.choice.score.values()) for o in open_)
            pool = [o for o in open_ if sum(o.choice.score.values()) >= best - 1] if rng.random() < 0.9 else open_
            state = engine.step(scenario, state, rng.choice(pool).index, seed=run)
        if state.ending == ending:
            yield state


@lru_cache(maxsize=None)
def _reached(name: str, ending: str, setup: str | None) -> tuple:
    """The plays of a built-in scenario that reach `ending`, played once for all the claims about it."""
    return tuple(_played_to(scenario_of(name), ending, 600, 13, setup))


def _taken(scenario, state, choice_id: str) -> bool:
    return any(scenario.nodes[s.scene].choices[s.choice].id == choice_id for s in state.history if s.choice >= 0)


@pytest.mark.parametrize("name, ending, claim, choices, setup", [
    ("ai-pm-interview-loop", "offer", "caught the sample-ratio mismatch", {"srm"}, None),
    ("ab-test-summarizer", "honest-null", "an A/A check now comes before every real test", {"aa-then-ab", "fix-and-aa"}, None),
    ("ab-test-summarizer", "honest-null", "The golden set now catches", {"golden-set"}, None),
    *[("precision-cliff", "late-but-sound", claim, choices, setup)
      for setup in ("unit-change", "label-rule", "segment-attack")
      for claim, choices in (("after a call the evidence did not support", None),
                             ("after a retrain pushed before the cause was known",
                              {"retrain-now", "bridge-retrain", "rollback-retrain"}))],
])
def test_ending_claims_hold_on_the_paths_that_show_them(name, ending, claim, choices, setup) -> None:
    """An ending's conditional claim shows exactly on the paths that did what it claims."""
    scenario = scenario_of(name)
    reached = _reached(name, ending, setup)
    assert reached, f"no seeded play reached {ending}"
    for state in reached:
        text = render(scenario.nodes[ending].text, scenario, state)
        if choices is None:  # precision-cliff: a wrong call is the one that leads to 'wrong-call'
            did = any(step.arrived == "wrong-call" for step in state.history)
        else:
            did = any(_taken(scenario, state, c) for c in choices)
        assert (claim in text) == did, (claim, [s.choice_id for s in state.history])


def test_a_replay_shows_each_step_as_it_was_rendered() -> None:
    from coach.sessions.playthrough import Playthrough
    from coach.sessions.replay import open_replay

    play = Playthrough.new(load_scenario(STATE_TEXT), seed=1, learner="Ana")  # the shell passes the name in
    play.choose(0)  # rollback
    play.choose(0)  # postmortem
    play.close()
    replay = open_replay(play.writer.path)
    first, second = replay.steps
    assert first.scene_text.startswith("At Day 1 03:12, precision is **92.0%**")  # before the decision
    assert first.feedback == "Containment first: precision is back to 97.0%."  # after it
    assert "The rollback is holding at 97.0%." in second.scene_text
    assert replay.learner == "Ana"
    ending = replay.text(replay.ending.text)
    assert "You rolled back before diagnosing, and precision held at 97.0%." in ending


def test_a_text_of_many_bad_braces_is_refused_with_a_few_located_errors() -> None:
    source = MINIMAL.read_text().replace('text = "Precision fell overnight."', 'text = "' + "{a" * 20000 + '"')
    errors = [d for d in load_text(source, "t.toml").diagnostics if d.is_error]
    assert 0 < len(errors) <= 20 and {d.code for d in errors} == {"C081"} and errors[0].line == 28
