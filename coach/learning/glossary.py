"""The terms of a scene: which glossary entries its text uses, for the play screen's `g`.

The rubric ships the definitions most scenarios need (PSI, SRM, the four-fifths rule...) and a
scenario may add or replace its own. A term matches as a whole word, case-insensitively, except
a term written in capitals (an acronym such as PSI or SRM), which matches in capitals only, so
"psi" in a word never counts. Plain string matching, no pattern from a file is ever compiled
as written: every term is escaped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ..scenario.model import Rubric, Scenario, Term


def merged(rubric: Rubric, scenario: Scenario | None) -> dict[str, Term]:
    """The rubric's glossary with the scenario's entries added (a scenario's id replaces the rubric's)."""
    table = dict(rubric.glossary)
    if scenario is not None:
        table.update(scenario.glossary)
    return table


def _spellings(term: Term) -> list[str]:
    return [s for s in (term.term, *term.aliases) if s.strip()]


@lru_cache(maxsize=4096)
def _pattern(spelling: str) -> re.Pattern[str]:
    acronym = spelling.upper() == spelling and any(c.isalpha() for c in spelling)
    body = re.escape(spelling.strip())
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", 0 if acronym else re.IGNORECASE)


def terms_in(texts: Iterable[str], glossary: dict[str, Term]) -> list[Term]:
    """The glossary's terms that the texts use, in the order they first appear."""
    text = "\n".join(texts)
    found: list[tuple[int, str, Term]] = []
    for key, term in glossary.items():
        places = [m.start() for s in _spellings(term) if (m := _pattern(s).search(text))]
        if places:
            found.append((min(places), key, term))
    return [term for _, _, term in sorted(found, key=lambda item: (item[0], item[1]))]
