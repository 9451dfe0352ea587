"""The parts of docs/scenario-format.md that are made from the code stay equal to it."""

from __future__ import annotations

from pathlib import Path

from coach.authoring import rubricdoc
from coach.scenario.loader import builtin_rubric

FORMAT_DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"


def test_the_rubric_tables_are_the_rubric() -> None:
    """Regenerate with `python -m coach.authoring.rubricdoc docs/scenario-format.md`."""
    text = FORMAT_DOC.read_text("utf-8")
    assert rubricdoc.rewrite(text, builtin_rubric()) == text
    rubric = builtin_rubric()
    for name, criterion in rubric.criteria.items():
        assert f"| `{name}` | {criterion.title} |" in text
    for name, reflex in rubric.reflexes.items():
        assert f"| `{name}` | {reflex.title} |" in text


def test_the_generator_rewrites_a_stale_section(tmp_path) -> None:
    stale = FORMAT_DOC.read_text("utf-8").replace("| Mitigate, then diagnose |", "| Diagnose, then mitigate |")
    path = tmp_path / "format.md"
    path.write_text(stale, "utf-8")
    assert rubricdoc.main([str(path)]) == 0
    assert path.read_text("utf-8") == FORMAT_DOC.read_text("utf-8")


def test_the_markdown_subset_is_written_down() -> None:
    text = FORMAT_DOC.read_text("utf-8")
    section = text.split("## Text: the Markdown subset", 1)[1].split("\n## ", 1)[0]
    for construct in ("# Heading", "- item", "1. item", "> quoted", "---", "**strong**", "*emphasis*", "[label](address)"):
        assert construct in section, construct
    assert "A timeout scores nothing" in text
    assert "first nine can be chosen by pressing their number" in text
