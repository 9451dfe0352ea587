"""Helpers shared by the session tests."""

from __future__ import annotations

from pathlib import Path


def always_review(scenario_file: Path) -> None:
    """Let a "wait" that lands in triage reach the review too, where the postmortem is locked."""
    text = scenario_file.read_text()
    scenario_file.write_text(text.replace('routes = [ { when = "precision < 0.9", goto = "froze" }, { goto = "review" } ]',
                                          'routes = [ { goto = "review" } ]'))
