"""Nothing escapes the loader but diagnostics: mutated, random and hostile documents."""

from __future__ import annotations

import tomllib
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.scenario.loader import load_bytes, load_text

GOOD = (Path(__file__).resolve().parent.parent / "data" / "good" / "minimal.toml").read_text()
GOOD_DOC = tomllib.loads(GOOD)


def _assert_only_diagnostics(result) -> None:
    if result.scenario is None:
        assert result.diagnostics, "a refused file must say why"
    for d in result.diagnostics:
        assert d.line >= 1 and d.col >= 1
        assert d.code[0] in "CW" and d.message


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_text_mutations(data: st.DataObject) -> None:
    """Delete, duplicate or replace a slice of a good file's text."""
    text = GOOD
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 40)))
        action = data.draw(st.sampled_from(["delete", "duplicate", "replace"]))
        if action == "delete":
            text = text[:start] + text[end:]
        elif action == "duplicate":
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text[:start] + data.draw(st.text(max_size=12)) + text[end:]
    _assert_only_diagnostics(load_text(text, "mutated.toml"))


toml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10), st.floats(-2, 2, allow_nan=False), st.text(max_size=8)
)
toml_values = st.recursive(
    toml_scalars.filter(lambda v: v is not None),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text("abcdefgimnoprstx_", min_size=1, max_size=8), children, max_size=3)),
    max_leaves=8,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_structural_mutations(data: st.DataObject) -> None:
    """Replace, drop or add a key somewhere in a good document, then load the TOML written back."""
    document = tomllib.loads(GOOD)
    node = document
    for _ in range(data.draw(st.integers(0, 4))):
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
            if isinstance(node[key], (dict, list)) and node[key]:
                node = node[key]
                continue
        if isinstance(node, list) and node:
            index = data.draw(st.integers(0, len(node) - 1))
            if isinstance(node[index], (dict, list)) and node[index]:
                node = node[index]
                continue
        break
    if isinstance(node, dict):
        action = data.draw(st.sampled_from(["replace", "drop", "add"]))
        key = data.draw(st.sampled_from(sorted(node))) if node else "x"
        if action == "replace" and node:
            node[key] = data.draw(toml_values)
        elif action == "drop" and node:
            node.pop(key)
        else:
            node[data.draw(st.text("abcdefgimnoprstx_", min_size=1, max_size=8))] = data.draw(toml_values)
    elif isinstance(node, list) and node:
        node[data.draw(st.integers(0, len(node) - 1))] = data.draw(toml_values)
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # not representable in TOML (e.g. mixed arrays in old tomli-w); nothing to test
    _assert_only_diagnostics(load_text(text, "structural.toml"))


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _assert_only_diagnostics(load_bytes(data, "random.toml"))


@settings(deadline=None)
@given(st.dictionaries(st.text(max_size=10), toml_values, max_size=6))
def test_random_documents(document: dict) -> None:
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return
    _assert_only_diagnostics(load_text(text, "random.toml"))
