"""A simulated week of practice, for profile and recommendation tests and screenshots.

Each session is played through the real Playthrough (so its log is what the app writes), with
the log's clock fixed to the day it stands for: no test depends on today's date.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from unittest import mock

from builtin_library import analysis_of, loaded
from coach.sessions.playthrough import Playthrough

WEEK_END = datetime(2026, 12, 7, 18, 0, tzinfo=timezone.utc)

PLAN = (
    # (days before WEEK_END, scenario, how well: share of decisions taken from the expert path)
    (6.0, "precision-cliff", 0.0),
    (5.9, "ab-test-summarizer", 0.3),
    (5.0, "precision-cliff", 0.7),
    (4.0, "llm-launch-readiness", 0.5),
    (3.0, "precision-cliff", 1.0),
    (2.0, "chatbot-refusals", 0.4),
    (1.0, "llm-launch-readiness", 1.0),
    (0.2, "vendor-silent-update", 0.6),
)


def play_session(stem: str, skill: float, when: datetime, seed: int) -> None:
    # Loaded and explored once per process (tests/builtin_library.py): the week plays
    # precision-cliff three times, and several tests play the week.
    expert = {step.scene: step.choice for step in analysis_of(stem).expert_path}
    rng = random.Random(seed)
    stamp = when.isoformat(timespec="seconds")
    # The file name too: history and the profile's sparklines order sessions by it, and the real
    # clock would give every session of the week the same second and a random tie-break.
    with mock.patch("coach.sessions.log.now", return_value=stamp), \
            mock.patch("coach.sessions.log.new_session_id", return_value=f"{when:%Y%m%d-%H%M%S}-{stem}"):
        play = Playthrough.new(loaded(stem), seed=seed)
        while not play.finished:
            open_ = [o for o in play.options() if o.available]
            if not open_:
                play.time_out()
                continue
            best = expert.get(play.state.scene)
            if best is not None and rng.random() < skill and any(o.index == best for o in open_):
                play.choose(best)
            else:
                play.choose(min(open_, key=lambda o: len(o.choice.text)).index)  # a plausible-sounding short answer
        play.close()


def practise_a_week() -> datetime:
    """Play the PLAN into the current COACH_HOME; returns the moment the week ends."""
    for seed, (days, stem, skill) in enumerate(PLAN):
        play_session(stem, skill, WEEK_END - timedelta(days=days), seed)
    return WEEK_END


if __name__ == "__main__":
    practise_a_week()
