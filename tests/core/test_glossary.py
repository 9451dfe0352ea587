"""The glossary: which terms a scene uses, and a scenario's own terms beside the rubric's."""

from __future__ import annotations

from coach.learning.glossary import merged, terms_in
from coach.scenario.loader import builtin_rubric
from coach.scenario.model import Term

RUBRIC = builtin_rubric()


def names(text: str, table=None) -> list[str]:
    return [t.term for t in terms_in([text], table or RUBRIC.glossary)]


def test_the_rubric_defines_the_terms_the_library_leans_on() -> None:
    defined = {t.term for t in RUBRIC.glossary.values()}
    assert {"PSI", "NDCG", "SRM", "Four-fifths rule", "Calibration", "Precision", "Recall", "Golden set",
            "LLM-as-judge"} <= defined
    assert all(len(t.definition.split()) >= 12 for t in RUBRIC.glossary.values())


def test_terms_match_whole_words_in_order_of_first_use_and_aliases_count() -> None:
    assert names("Recall fell while precision held; the population stability index spiked.") == ["Recall", "Precision", "PSI"]
    assert names("We saw a sample ratio mismatch.") == ["SRM"]
    assert names("Precisionist recalling") == []


def test_an_acronym_matches_in_capitals_only() -> None:
    assert names("PSI is 0.41") == ["PSI"]
    assert names("the psi of it; a tipsi text") == []


def test_a_scenario_adds_terms_and_replaces_one_the_rubric_defines() -> None:
    from msgspec.structs import replace

    from coach.config.library import resolve

    scenario = resolve("precision-cliff").scenario
    own = replace(scenario, glossary={"psi": Term(term="PSI", definition="Our own words for it."),
                                      "ledger": Term(term="Ledger v2", definition="The new payments ledger.")})
    table = merged(RUBRIC, own)
    found = terms_in(["Ledger v2 shipped; PSI jumped"], table)
    assert [t.term for t in found] == ["Ledger v2", "PSI"]
    assert found[1].definition == "Our own words for it."


def test_a_term_is_matched_as_text_never_as_a_pattern() -> None:
    table = {"odd": Term(term="a.b*(c", definition="Punctuation is literal.")}
    assert names("see a.b*(c here", table) == ["a.b*(c"]
    assert names("see aXbbbc here", table) == []
