"""The JSON Schema of a scenario file, for editors: the Structs' own schema plus the rubric's ids."""

from __future__ import annotations

from typing import Any

import msgspec

from .loader import builtin_rubric
from .model import Rubric, Scenario


def scenario_schema(rubric: Rubric | None = None) -> dict[str, Any]:
    """The JSON Schema of a scenario file, for editors (Taplo, Even Better TOML).

    Derived from the Structs, then given what they cannot say: the criterion and reflex ids of
    the rubric (so a typo fails in the editor, and hovering a criterion shows its title), and
    that a choice has exactly one of `goto` and `outcomes`.
    """
    if rubric is None:
        rubric = builtin_rubric()
    schema = msgspec.json.schema(Scenario)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "coach scenario (format 1)"
    definitions = schema["$defs"]
    criteria = list(rubric.criteria)

    def named(spec: dict[str, Any], what: str) -> None:
        """Only rubric criterion ids as keys, each described by its title."""
        spec["propertyNames"] = {"enum": criteria, "description": f"A rubric criterion id ({what})."}
        spec["properties"] = {name: {**spec["additionalProperties"], "description": f"{c.title}. {c.description}"}
                              for name, c in rubric.criteria.items()}

    named(definitions["Scenario"]["properties"]["criteria"], "weights 1..3")
    choice = definitions["Choice"]
    named(choice["properties"]["score"], "points -3..3")
    choice["properties"]["reflex"]["anyOf"][0] = {
        "type": "string", "enum": list(rubric.reflexes),
        "description": "; ".join(f"{name}: {r.title}" for name, r in rubric.reflexes.items()),
    }
    choice["oneOf"] = [
        {"description": "leads to one scene or ending", "required": ["goto"], "not": {"required": ["outcomes"]}},
        {"description": "leads to random outcomes", "required": ["outcomes"], "not": {"required": ["goto"]}},
    ]
    return schema
