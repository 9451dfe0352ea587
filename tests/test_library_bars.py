"""The bars of issue 14 that the whole library must clear: no warning at all (the teaching lint
included), room to recover, an expert path worth exactly 100%, one cast per scenario, and the
subjects the library was thin on.

The naive-strategy bar (no bot reaches grade C through the bot protocol) is in
tests/test_library_naive.py.
"""

from __future__ import annotations

import re

import pytest

from builtin_library import IDS, analysis_of, checked, path_of, scenario_of, seed_for, setups_of
from coach.engine import engine, scoring
from coach.scenario.loader import builtin_rubric
from coach.scenario.model import Scenario

# Who works where. A company or a person belongs to one scenario only: a learner who meets
# "Priya Raman" as a CTO in one incident and a data scientist in the next stops believing both.
CAST: dict[str, tuple[str, ...]] = {
    'ab-test-summarizer': ('Tandemly', 'Jonah Feld', 'Ingrid Solberg', 'Ravi Menon', 'Elif Kaya', 'Grace Obi'),
    'ai-pm-interview-loop': ('Hearthwise', 'Tomasz Wilk', 'Adaeze Nwosu', 'Harriet Lowe', 'Rhiannon Price'),
    'automation-bias': ('Larkspur Health', 'Helen Castellanos', 'Owen Brisco', 'Joy Mbeki', 'Sunita Varghese', 'Kofi Abara', 'Greta Kovacs'),
    'bias-cv-screening': ('Talentloom', 'Anjali Rao', 'Tomasz Wójcik', 'Helena Voss', 'Dev Malhotra', 'Mara Lindqvist'),
    'call-notes-pilot': ('Fellside Energy', 'Gwen Arkwright', 'Piotr Zawadzki', 'Ruth Mbatha', 'Imran Qureshi'),
    'chatbot-refusals': ('Fenwick Mobile', 'Miriam Hale', 'Raj Mehta', 'Katya Novak', 'Tom Ashworth', 'Andrés Ferro'),
    'claims-triage-roadmap': ('Calder Mutual', 'Ruth Adebayo', 'Greg Hollis', 'Samir Haddad', 'Yuki Tan', 'Pieter Claes', 'Inês Moura', 'Kasia Nowak'),
    'complaints-in-the-post': ('Wrenfield Building Society', 'Howard Pryce', 'Nadia Sheikh', 'Ifeoma Eze', 'Martin Coles'),
    'llm-launch-readiness': ('Larkdesk', 'Marcus Webb', 'Ines Duarte', 'Joanna Pike', 'Sam Achebe', 'Beatrix Holm'),
    'precision-cliff': ('Halyard Payments', 'Jarek Nowicki', 'Salomé Girard', 'Joost van Dam', 'Luuk Bakker', 'Carmen Olmedo', 'Sanna Virtanen'),
    'precision-drill': ('Brambleway', 'Odile Marchetti', 'Kenji Araki', 'Folake Ogunbiyi'),
    'recsys-drift-backlog': ('Tidewater', 'Marisol Ibarra', 'Oona Achterberg', 'Bram de Vries', 'Callum Reid', 'Mireille Dubois'),
    'requirements-with-ml': ('Tallyline', 'Renata Vogel', 'Tendai Moyo', 'Agnieszka Kral', 'Soline Marchand', 'Oskar Brandt'),
    'reranker-latency': ('Quillon Market', 'Tobias Lindgren', 'Ayesha Karim', 'Henrik Solberg', 'Camille Aubert', 'Diego Ferreira'),
    'vendor-silent-update': ('Brieflane', 'Marguerite Lind', 'Ingrid Sato', 'Kwame Asante', 'Ruth Calloway', 'Noor Haddad'),
}


@pytest.mark.parametrize("stem", IDS)
def test_check_strict_finds_nothing(stem: str) -> None:
    assert [f"{d.code} {d.line}: {d.message}" for d in checked(stem).diagnostics] == []


@pytest.mark.parametrize("stem", IDS)
def test_no_ending_comes_before_the_third_decision(stem: str) -> None:
    for setup in setups_of(scenario_of(stem)):
        reach = analysis_of(stem, setup).ending_reach
        short = {ending: fewest for ending, (_, _, fewest) in reach.items() if fewest < 3}
        assert short == {}, f"setup {setup}: endings reached in fewer than 3 decisions"


@pytest.mark.parametrize("stem", IDS)
def test_the_expert_path_scores_exactly_100(stem: str) -> None:
    scenario = scenario_of(stem)
    rubric = builtin_rubric()
    for setup in setups_of(scenario):
        analysis = analysis_of(stem, setup)
        state = engine.start(scenario) if setup is None else engine.start(scenario, setup=setup)
        for step in analysis.expert_path:
            if step.choice < 0:
                state = engine.timeout(scenario, state)
                continue
            choice = scenario.nodes[state.scene].choices[step.choice]
            seed = seed_for(choice.outcomes, len(state.history), step.outcome or 0)
            state = engine.step(scenario, state, step.choice, seed=seed)
        assert state.finished, f"setup {setup}: the expert path does not reach an ending"
        assert scoring.debrief(scenario, state, analysis, rubric).overall == 100, f"setup {setup}"


def _text_of(stem: str) -> str:
    return path_of(stem).read_text("utf-8")


def test_the_cast_register_names_every_scenario() -> None:
    assert set(CAST) == set(IDS)


@pytest.mark.parametrize("stem", IDS)
def test_each_scenario_has_its_own_people_and_company(stem: str) -> None:
    mine = CAST.get(stem, ())
    text = _text_of(stem)
    missing = [name for name in mine if name not in text]
    assert missing == [], "names in the register that the scenario does not use"
    for other in IDS:
        if other == stem:
            continue
        theirs = _text_of(other)
        shared = [name for name in mine if re.search(rf"\b{re.escape(name)}\b", theirs)]
        assert shared == [], f"{other} also uses them"


def test_two_scenarios_put_user_correction_rate_and_consistency_in_play() -> None:
    def in_play(scenario: Scenario, words: str) -> bool:
        names = [n for n, m in scenario.metrics.items() if m.shown and (words in n or words in m.label.lower())]
        return any(name in choice.effects for name in names for scene in scenario.scenes for choice in scene.choices)

    scenarios = [scenario_of(stem) for stem in IDS]
    assert sum(in_play(s, "correction") for s in scenarios) >= 2
    assert sum(in_play(s, "consisten") for s in scenarios) >= 2


def test_the_library_has_intro_scenarios_and_a_timed_exam_drill() -> None:
    scenarios = [scenario_of(stem) for stem in IDS]
    assert len(scenarios) >= 15
    assert sum(s.difficulty == "intro" for s in scenarios) >= 2
    drills = [s for s in scenarios if s.mode == "exam" and s.clock_start and len(getattr(s, "setups", [])) >= 2]
    assert drills, "the 30-minute whiteboard drill: exam mode, a scenario clock and setups"
